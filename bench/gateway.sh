#!/usr/bin/env bash
# One command for the gateway benchmark: signed calls per second against this machine's RSA-2048 limit.
# Installs wrk (the load generator) when missing. Extra arguments go to the benchmark, e.g. --seconds 30.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/as-root.sh
command -v wrk >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet run -c Release --project bench/Touchpoint.Bench -- gateway "$@"
