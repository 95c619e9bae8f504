#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the catalog service and its tests.
#
#   scripts/catalog-db.sh start [DIR]   install PostgreSQL from Debian's packages if missing,
#                                       create the cluster in DIR if new, start it
#   scripts/catalog-db.sh stop  [DIR]   stop it (fast: open connections are closed)
#   scripts/catalog-db.sh env   [DIR]   print the libpq variables that reach it
#   scripts/catalog-db.sh listen ADDRESS CLIENT   also listen on ADDRESS (an address of a veth
#                                       pair the caller made, towards a network namespace of its
#                                       own) and trust CLIENT there; restarts the cluster
#   scripts/catalog-db.sh loopback      back to the socket and 127.0.0.1 only; restarts it
#
# DIR defaults to $CATALOG_DIR, else ${TMPDIR:-/tmp}/cachetop-catalog. The cluster listens on a
# unix socket in DIR/socket and on 127.0.0.1 only (port $CATALOG_PGPORT, default 15432: below the
# ephemeral port range, so that no client socket can hold it while the cluster restarts),
# trusts local connections (it is private to this machine's users who can reach DIR), and
# preloads pg_stat_statements, which the tests count queries with. PostgreSQL refuses to run as
# root: as root, the cluster belongs to the `postgres` user that Debian's package creates.
set -euo pipefail

command=${1:-}
dir=${CATALOG_DIR:-${TMPDIR:-/tmp}/cachetop-catalog}
case "$command" in start|stop|env) dir=${2:-$dir} ;; esac
port=${CATALOG_PGPORT:-15432}
data="$dir/data"
socket="$dir/socket"
bin=/usr/lib/postgresql/15/bin

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgres() {
    [ -x "$bin/postgres" ] && return
    echo "catalog-db: installing PostgreSQL 15 from Debian's packages" >&2
    if [ "$(id -u)" != 0 ]; then
        echo "catalog-db: PostgreSQL 15 is missing and installing it needs root (apt-get install postgresql-15)" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
}

create_cluster() {
    [ -f "$data/PG_VERSION" ] && return
    mkdir -p "$dir" "$socket"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir" "$socket"; chmod 0755 "$dir"; fi
    as_owner "$bin/initdb" --pgdata="$data" --username=catalog --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket'
shared_preload_libraries = 'pg_stat_statements'
max_connections = 200
# A disposable cluster for development, tests and figures: durability is traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    write_hba
}

# Only the local socket and loopback: nothing beyond this machine may connect.
write_hba() {
    cat >"$data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
    if [ "$(id -u)" = 0 ]; then chown postgres: "$data/pg_hba.conf"; fi
}

restart() {
    as_owner "$bin/pg_ctl" restart --pgdata="$data" --mode=fast --log="$dir/postgres.log" --wait --timeout=60 >/dev/null
}

print_env() {
    echo "export PGHOST=$socket PGPORT=$port PGUSER=catalog PGDATABASE=catalog CATALOG_DIR=$dir"
}

case "$command" in
start)
    install_postgres
    create_cluster
    if as_owner "$bin/pg_ctl" status --pgdata="$data" >/dev/null 2>&1; then
        echo "catalog-db: already running in $data" >&2
    else
        as_owner "$bin/pg_ctl" start --pgdata="$data" --log="$dir/postgres.log" --wait --timeout=60 >/dev/null
    fi
    "$bin/psql" -h "$socket" -p "$port" -U catalog -d postgres -qtA \
        -c "SELECT 1 FROM pg_database WHERE datname = 'catalog'" | grep -q 1 ||
        "$bin/createdb" -h "$socket" -p "$port" -U catalog catalog
    "$bin/psql" -h "$socket" -p "$port" -U catalog -d catalog -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    echo "catalog-db: PostgreSQL in $data, socket $socket, loopback port $port" >&2
    ;;
stop)
    if [ -f "$data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" stop --pgdata="$data" --mode=fast --wait --timeout=60 >/dev/null
        echo "catalog-db: stopped" >&2
    fi
    ;;
env)
    print_env
    ;;
listen)
    address=${2:?an address to listen on}
    client=${3:?the client address to trust}
    "$bin/psql" -h "$socket" -p "$port" -U catalog -d postgres -q \
        -c "ALTER SYSTEM SET listen_addresses = '127.0.0.1,$address'"
    write_hba
    echo "host  all all $client/32 trust" >>"$data/pg_hba.conf"
    restart
    echo "catalog-db: also listening on $address for $client" >&2
    ;;
loopback)
    "$bin/psql" -h "$socket" -p "$port" -U catalog -d postgres -q -c "ALTER SYSTEM RESET listen_addresses"
    write_hba
    restart
    echo "catalog-db: loopback and the socket only" >&2
    ;;
*)
    echo "usage: scripts/catalog-db.sh start|stop|env [DIR] | listen ADDRESS CLIENT | loopback" >&2
    exit 2
    ;;
esac
