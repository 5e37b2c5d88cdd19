#!/usr/bin/env bash
# Runs the Touchpoint platform on this machine: SQLite file under ./data, demo data seeded on first run,
# console at http://127.0.0.1:5080 (the demo logins are printed at start).
# PostgreSQL instead: Storage__Provider=Postgres Storage__ConnectionString="Host=…;Database=…;Username=…;Password=…" ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Demo__Seed="${Demo__Seed:-true}"
export Storage__ConnectionString="${Storage__ConnectionString:-Data Source=$PWD/data/touchpoint.db}"
export Demo__SandboxDirectory="${Demo__SandboxDirectory:-$PWD/data/demo}"
exec dotnet run --project src/Touchpoint.Server --no-launch-profile --urls "${TOUCHPOINT_URLS:-http://127.0.0.1:5080}"
