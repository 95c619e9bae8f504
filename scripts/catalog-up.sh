#!/usr/bin/env bash
# Starts the catalog service on a fresh machine: a private PostgreSQL 15 (installed from
# Debian's packages if missing, see catalog-db.sh), the products table seeded, the service
# built in release mode and started in the background. Prints how to attach and where
# /metrics is. scripts/catalog-down.sh stops everything this started.
#
#   scripts/catalog-up.sh [--dir DIR] [--rows N] [--port PORT] [-- SERVICE OPTIONS...]
#
# DIR (default ${TMPDIR:-/tmp}/cachetop-catalog) holds the cluster, the service's pid file,
# log and control socket. --rows defaults to 1,000,000; 0 keeps the rows already there.
# Options after -- go to `catalog-service serve` (--no-cache, --capacity, --ttl, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dir=${CATALOG_DIR:-${TMPDIR:-/tmp}/cachetop-catalog}
rows=1000000
port=8080
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "catalog-up: unknown option '$1' (see the comment at the top of this script)" >&2; exit 2 ;;
    esac
done
case "$rows" in ''|*[!0-9]*) echo "catalog-up: --rows takes a whole number, not '$rows'" >&2; exit 2 ;; esac
export CATALOG_DIR=$dir

if [ -f "$dir/service.pid" ] && kill -0 "$(cat "$dir/service.pid")" 2>/dev/null; then
    echo "catalog-up: a service is already running (pid $(cat "$dir/service.pid")); scripts/catalog-down.sh stops it" >&2
    exit 1
fi

scripts/catalog-db.sh start "$dir"
eval "$(scripts/catalog-db.sh env "$dir")"

swift build -c release --package-path Examples/catalog-service --product catalog-service >&2
binary="$(swift build -c release --package-path Examples/catalog-service --show-bin-path)/catalog-service"
if [ "$rows" -gt 0 ]; then
    "$binary" seed --rows "$rows" 2>/dev/null
fi

socket="$dir/catalog.sock"
"$binary" serve --port "$port" --control-socket "$socket" "$@" >"$dir/service.log" 2>&1 &
echo $! >"$dir/service.pid"
for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
        cat <<INFO
catalog-service is running (pid $(cat "$dir/service.pid")), its log in $dir/service.log
  API:       http://127.0.0.1:$port/products/42
  metrics:   http://127.0.0.1:$port/metrics
  dashboard: swift run -c release cachetop attach $socket
             (or $root/.build/release/cachetop attach $socket once built)
  database:  eval "\$(scripts/catalog-db.sh env $dir)"; psql
  stop:      scripts/catalog-down.sh --dir $dir
INFO
        exit 0
    fi
    if ! kill -0 "$(cat "$dir/service.pid")" 2>/dev/null; then
        echo "catalog-up: the service exited; its log:" >&2
        cat "$dir/service.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "catalog-up: the service did not answer /health within 10 s; its log is $dir/service.log" >&2
exit 1
