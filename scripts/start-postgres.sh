# Sourced by test.sh and bench/run.sh: starts the machine's PostgreSQL cluster on loopback (creating one if
# needed), makes a "touchpoint" role that may create databases, and exports TOUCHPOINT_TEST_POSTGRES.
# Does nothing when TOUCHPOINT_TEST_POSTGRES is already set (e.g. to a server of your own).
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
