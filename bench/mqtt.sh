#!/usr/bin/env bash
# One command for the device channel benchmark: 1,000 and 10,000 real agents against one server on this machine.
# Extra arguments go to the benchmark, e.g. bench/mqtt.sh --agents 2000 --seconds 30 --heartbeat 1
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
dotnet run -c Release --project bench/Touchpoint.Bench -- mqtt "$@"
