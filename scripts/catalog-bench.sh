#!/usr/bin/env bash
# The catalog service's figures for README: GET /products/{id} under Zipf-distributed load from
# wrk (a second process, over loopback), with the cache and with it disabled: requests/s at
# full speed, latency p50/p99 at one offered load for both, database queries per request, the
# hit ratio; then resident memory per cached product. Starts and stops its own PostgreSQL and
# service with catalog-up.sh / catalog-down.sh.
#
#   scripts/catalog-bench.sh [SECONDS per run, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=32
port=18090
if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "catalog-bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
export CATALOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cachetop-catalog-bench.XXXXXX")
trap 'scripts/catalog-down.sh --dir "$CATALOG_DIR" >/dev/null 2>&1; rm -rf "$CATALOG_DIR"' EXIT

counter() { # counter NAME LABEL-FRAGMENT: the sum of a metric's samples that contain the fragment
    curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" -v part="$2" \
        'index($0, name) == 1 && index($0, part) > 0 { sum += $NF } END { printf "%d", sum }'
}
rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$(cat "$CATALOG_DIR/service.pid")/status"; }
load() { # load RATE: wrk's summary lines
    CATALOG_RATE=$1 CATALOG_CONNECTIONS=$connections wrk -t2 -c$connections -d"${seconds}s" --latency \
        -s scripts/catalog-zipf.lua "http://127.0.0.1:$port" 2>&1
}
# The metrics reporter publishes the cache's counters every 5 s: wait one period around a run.
settle() { sleep 6; }

run_mode() { # run_mode NAME RATE [SERVICE OPTIONS]
    local name=$1 rate=$2; shift 2
    scripts/catalog-up.sh --dir "$CATALOG_DIR" --rows "$rows" --port $port -- "$@" >/dev/null
    rows=0
    CATALOG_RATE=0 CATALOG_CONNECTIONS=$connections wrk -t2 -c$connections -d5s -s scripts/catalog-zipf.lua \
        "http://127.0.0.1:$port" >/dev/null 2>&1   # warm-up
    settle
    local q0 h0 m0 out requests q1 h1 m1
    q0=$(counter catalog_db_queries_total 'statement="product"')
    h0=$(counter cache_gets_total 'result="hit"'); m0=$(counter cache_gets_total 'result="miss"')
    out=$(load "$rate")
    settle
    q1=$(counter catalog_db_queries_total 'statement="product"')
    h1=$(counter cache_gets_total 'result="hit"'); m1=$(counter cache_gets_total 'result="miss"')
    requests=$(echo "$out" | awk '/requests in/ { print $1 }')
    echo "$name rate=$rate: $(echo "$out" | awk '/Requests\/sec/ { printf "%s req/s", $2 }')," \
        "p50 $(echo "$out" | awk '$1 == "50%" { print $2 }') p99 $(echo "$out" | awk '$1 == "99%" { print $2 }')," \
        "errors $(echo "$out" | awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }')" \
        "queries/request $(awk -v q=$((q1 - q0)) -v r="$requests" 'BEGIN { printf "%.3f", q / r }')," \
        "hit ratio $(awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) 'BEGIN { if (h + m) printf "%.3f", h / (h + m); else printf "-" }')"
    scripts/catalog-down.sh --dir "$CATALOG_DIR" >/dev/null 2>&1
}

rows=1000000
echo "catalog-bench: ${seconds}s per run, $connections connections, Zipf 0.99 over 1,000,000 products, cache of 100,000"
run_mode cached 0
run_mode uncached 0 --no-cache
offered=${CATALOG_OFFERED_RATE:-2000}
run_mode cached "$offered"
run_mode uncached "$offered" --no-cache

# Memory: the service's resident size with an empty cache and with 1,000,000 products cached.
scripts/catalog-up.sh --dir "$CATALOG_DIR" --rows 0 --port $port -- --capacity 1000000 >/dev/null
curl -s "http://127.0.0.1:$port/products/1" >/dev/null
before=$(rss_kib)
seq 0 999 | xargs -P 2 -I{} sh -c \
    'curl -s -o /dev/null "http://127.0.0.1:'$port'/products?ids=$(seq -s, $(({} * 1000 + 1)) $(({} * 1000 + 1000)))"'
settle
after=$(rss_kib)
cached=$(curl -s "http://127.0.0.1:$port/health" | sed 's/.*"cached_products":\([0-9]*\).*/\1/')
echo "memory: RSS $((before / 1024)) MiB empty, $((after / 1024)) MiB with $cached products cached:" \
    "$(awk -v b="$before" -v a="$after" -v n="$cached" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }') bytes per product"
