#!/usr/bin/env bash
# Runs every Touchpoint test on a fresh Debian machine that has only the .NET SDK.
# Installs what the tests need (PostgreSQL, mosquitto, Chromium, CJK fonts, apksigner) when missing, starts PostgreSQL on loopback,
# installs the official alipay-sdk npm package for the gateway tests, then runs unit, integration
# (SQLite + PostgreSQL, embedded and external MQTT broker), component and browser tests.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/as-root.sh

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
# mosquitto: the external-broker tests start their own on a free loopback port, with its dynamic security plugin.
[ -x /usr/sbin/mosquitto ] && [ -x /usr/bin/mosquitto_ctrl ] || need+=(mosquitto)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# apksigner: the distribution tests sign the APKs they write with Debian's tool (v2/v3 signatures, as devices check).
[ -x /usr/bin/apksigner ] || need+=(apksigner)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# shellcheck source=scripts/start-postgres.sh
source scripts/start-postgres.sh
echo "== PostgreSQL: ${TOUCHPOINT_TEST_POSTGRES%%;Password=*}"

# The official alipay-sdk (npm) is a client of the gateway in the tests; the lock file pins it.
echo "== alipay-sdk (npm ci)"
(cd tests/Touchpoint.Server.Tests/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

log=$(mktemp)
set +e
# One test project at a time (-m:1): browser journeys and the hosts they start need the two cores to themselves.
dotnet test Touchpoint.slnx -m:1 --nologo -v q --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line per test project: "Passed!  - Failed: 0, Passed: 64, Skipped: 0, Total: 64 …".
summary=$(grep -E '^(Passed|Failed)! +- ' "$log" || true)
passed=$(echo "$summary" | grep -Eo 'Passed: +[0-9]+' | awk '{s+=$2} END {print s+0}' || true)
failed=$(echo "$summary" | grep -Eo 'Failed: +[0-9]+' | awk '{s+=$2} END {print s+0}' || true)
skipped=$(echo "$summary" | grep -Eo 'Skipped: +[0-9]+' | awk '{s+=$2} END {print s+0}' || true)
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] || echo "dotnet test exited with status $status (see the build or test errors above)"
exit "$status"
