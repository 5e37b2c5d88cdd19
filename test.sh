#!/usr/bin/env bash
# Runs every Touchpoint test on a fresh Debian machine that has only the .NET SDK.
# Installs what the tests need (PostgreSQL, Chromium, CJK fonts) when missing, starts PostgreSQL on loopback,
# then runs unit, integration (SQLite + PostgreSQL), component and browser tests.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${TOUCHPOINT_TEST_POSTGRES:-}" ]; then
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    as_root pg_createcluster "$version" main >/dev/null
    cluster="$version main"
  fi
  as_root pg_ctlcluster $cluster start 2>/dev/null || true
  port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  as_root su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='touchpoint'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE touchpoint LOGIN CREATEDB PASSWORD 'touchpoint'\""
  export TOUCHPOINT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=touchpoint;Password=touchpoint"
fi
echo "== PostgreSQL: ${TOUCHPOINT_TEST_POSTGRES%%;Password=*}"

log=$(mktemp)
set +e
dotnet test Touchpoint.slnx --nologo -v q 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] || echo "dotnet test exited with status $status (see the build or test errors above)"
exit "$status"
