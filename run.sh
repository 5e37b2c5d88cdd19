#!/usr/bin/env bash
# Runs the Touchpoint platform on this machine: SQLite file under ./data, demo data seeded on first run,
# console at http://127.0.0.1:5080 (the demo logins are printed at start), device MQTT endpoint on 1883, and a few
# simulated terminals (src/Touchpoint.Device) connected to it so the console shows live devices at once.
# PostgreSQL instead: Storage__Provider=Postgres Storage__ConnectionString="Host=…;Database=…;Username=…;Password=…" ./run.sh
# No simulated terminals: TOUCHPOINT_AGENTS=0 ./run.sh
# The simulated members pay at the terminals about every TOUCHPOINT_PAY_EVERY seconds (default 30; 0 = never).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Demo__Seed="${Demo__Seed:-true}"
export Storage__ConnectionString="${Storage__ConnectionString:-Data Source=$PWD/data/touchpoint.db}"
export Demo__SandboxDirectory="${Demo__SandboxDirectory:-$PWD/data/demo}"
export DeviceChannel__Port="${DeviceChannel__Port:-1883}"
export Distribution__ArtifactPath="${Distribution__ArtifactPath:-$PWD/data/artifacts}"
url="${TOUCHPOINT_URLS:-http://127.0.0.1:5080}"

dotnet build src/Touchpoint.Server -v q --nologo >/dev/null
dotnet build src/Touchpoint.Device -v q --nologo >/dev/null
dotnet run --project src/Touchpoint.Server --no-build --no-launch-profile --urls "$url" &
server=$!
trap 'kill $server ${agents:-} 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

if [ "${TOUCHPOINT_AGENTS:-5}" != "0" ]; then
  for _ in $(seq 1 120); do
    [ -f data/demo/agents.json ] && curl -fs "$url/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || exit 1
    sleep 1
  done
  dotnet run --project src/Touchpoint.Device --no-build -- --server "127.0.0.1:$DeviceChannel__Port" \
    --credentials "$PWD/data/demo/agents.json" --fleet "${TOUCHPOINT_AGENTS:-5}" --state "$PWD/data/agents" \
    --shoppers "$PWD/data/demo/shoppers.json" --web "$url" --pay-every "${TOUCHPOINT_PAY_EVERY:-30}" &
  agents=$!
fi
wait $server
