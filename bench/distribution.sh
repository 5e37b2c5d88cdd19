#!/usr/bin/env bash
# One command for the distribution benchmarks (issue 11):
#   tasks   — a task to 100,000 seeded devices with its pre-flight, and the details page by state, on SQLite and PostgreSQL
#   rollout — download throughput against a plain static-file server, then 10,000 real agents installing a 5 MB package
#             in waves (time, server RSS), and 5 MB vs 50 MB packages for memory as the package grows
# bench/distribution.sh [tasks|rollout] [--agents 10000] [--size-agents 500] [--sizes 5,50] [--providers sqlite,postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
source scripts/as-root.sh
command -v pg_ctlcluster >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
source scripts/start-postgres.sh
dotnet run -c Release --project bench/Touchpoint.Bench -- distribution "$@"
