#!/usr/bin/env bash
# One command for the poster-schedule benchmark: the 3 + 3 slot check and what is on air, over 100,000 devices.
# Extra arguments go to the benchmark, e.g. --devices 200000 --rounds 9.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Touchpoint.Bench -- schedule "$@"
