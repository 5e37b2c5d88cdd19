#!/usr/bin/env bash
# One command for the device channel benchmark: 1,000 and 10,000 real agents against one server on this machine.
# Extra arguments go to the benchmark, e.g. bench/mqtt.sh --agents 2000 --seconds 30 --heartbeat 1
# bench/mqtt.sh --external [--nodes 2 --agents 2000]: mosquitto + PostgreSQL + several nodes sharing the uplinks.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
if [[ " $* " == *" --external "* ]]; then
  source scripts/as-root.sh
  need=()
  command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
  if [ ${#need[@]} -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  source scripts/start-postgres.sh
fi
dotnet run -c Release --project bench/Touchpoint.Bench -- mqtt "$@"
