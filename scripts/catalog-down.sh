#!/usr/bin/env bash
# Stops what scripts/catalog-up.sh started, by process id: the service (SIGTERM: it finishes
# the requests in flight and removes its socket), then the PostgreSQL cluster.
#
#   scripts/catalog-down.sh [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CATALOG_DIR:-${TMPDIR:-/tmp}/cachetop-catalog}
if [ "${1:-}" = "--dir" ]; then dir=$2; fi

if [ -f "$dir/service.pid" ]; then
    pid=$(cat "$dir/service.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "catalog-down: the service (pid $pid) did not stop within 15 s; killing it" >&2
            kill -KILL "$pid"
        else
            echo "catalog-down: service (pid $pid) stopped" >&2
        fi
    fi
    rm -f "$dir/service.pid"
fi
scripts/catalog-db.sh stop "$dir"
