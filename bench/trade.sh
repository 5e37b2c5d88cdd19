#!/usr/bin/env bash
# One command for the trade benchmark: alipay.trade.pay end to end, as a ratio of CPU time to RSA-2048 sign+verify.
# Extra arguments go to the benchmark, e.g. --calls 8000 --rounds 5.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Touchpoint.Bench -- trade "$@"
