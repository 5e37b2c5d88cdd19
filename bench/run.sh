#!/usr/bin/env bash
# One command for the device-list and export benchmark on SQLite and PostgreSQL.
# Extra arguments go to the benchmark, e.g. bench/run.sh --devices 100000 --providers sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/as-root.sh
command -v pg_ctlcluster >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
source scripts/start-postgres.sh
dotnet run -c Release --project bench/Touchpoint.Bench -- "$@"
