#!/usr/bin/env bash
# One command for the poster placement benchmark (issue 13): a poster placed through the console API on 10,000 connected
# agents, time until all of them run it on air and until the platform has their reports, and the server's CPU.
# bench/posters.sh [--agents 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
dotnet run -c Release --project bench/Touchpoint.Bench -- posters "$@"
