#!/usr/bin/env bash
# Runs every cache-bench mode of ../shared/bench/WORKLOAD.md and writes one JSON object per line
# to the output file (default: bench-results.jsonl). Traces are generated into TRACES
# (default: ../traces) when missing; generation needs python3 with numpy.
#
#   scripts/bench-all.sh [OUTPUT] [TRACES]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results.jsonl}
traces=${2:-../traces}
gen=../shared/bench/gen_traces.py

if [ ! -f "$traces/zipf099_1m_16m_tp.keys" ]; then
  python3 -c 'import numpy' 2>/dev/null || pip install --quiet numpy
  python3 "$gen" "$traces"
fi
if [ ! -f "$traces/bursts_8m.keys" ]; then
  python3 -c 'import numpy' 2>/dev/null || pip install --quiet numpy
  python3 scripts/gen-adaptivity-traces.py "$traces"
fi

swift build -c release --product cache-bench
bench=.build/release/cache-bench
: > "$out"

# Hit ratios depend on the per-process hash seed: the engine and its hill-climber variant run in
# 5 processes each (the tables give min, median and max), the other baselines once.
for spec in "zipf099_1m_10m 10000" "zipf099_1m_10m 100000" "zipf08_1m_10m 10000" "zipf08_1m_10m 100000" \
            "scanmix_10m 10000" "scanmix_10m 100000" "loop_120k_6m 100000"; do
  set -- $spec
  for run in 1 2 3 4 5; do "$bench" hitratio --trace "$traces/$1.keys" --capacity "$2" --caches engine,engine-climber >> "$out"; done
  "$bench" hitratio --trace "$traces/$1.keys" --capacity "$2" --caches mutex-lru,nscache >> "$out"
done
# The adaptivity traces, with libCacheSim's policies on the same traces when Python can load it.
for spec in "recency_4m 10000" "recency_4m 100000" "phases_8m 10000" "phases_8m 100000" "drift_4m 10000" "drift_4m 100000" \
            "reshuffle_8m 10000" "reshuffle_8m 100000" "onehit_8m 10000" "onehit_8m 100000" "bursts_8m 10000" "bursts_8m 100000"; do
  set -- $spec
  for run in 1 2 3 4 5; do "$bench" hitratio --trace "$traces/$1.keys" --capacity "$2" --caches engine,engine-climber >> "$out"; done
  "$bench" hitratio --trace "$traces/$1.keys" --capacity "$2" --caches mutex-lru >> "$out"
  # 3L-Cache is left out: a learned policy whose run time on these traces was not measured.
  python3 scripts/libcachesim-run.py --trace "$traces/$1.keys" --capacity "$2" \
    --policies LRU,ARC,S3FIFO,LIRS,Cacheus,WTinyLFU,Sieve >> "$out" || echo "libCacheSim run failed for $1 at $2" >&2
done
"$bench" throughput --trace "$traces/zipf099_1m_16m_tp.keys" --runs 3 --seconds 3 >> "$out"
# String keys (user:<rank>) with small struct values, engine against Mutex<[String: V]>.
"$bench" throughput --keys string --trace "$traces/zipf099_1m_16m_tp.keys" --runs 3 --seconds 3 >> "$out"
# The same with every shard full, so that the whole policy runs on every read.
"$bench" throughput --trace "$traces/zipf099_1m_16m_tp.keys" --runs 3 --seconds 3 --full --caches engine,mutex-lru,mutex-dict >> "$out"
"$bench" memory --entries 1000000 >> "$out"
"$bench" storm --capacity 100000 --threads 2 --seconds 5 >> "$out"
"$bench" snapshot --entries 1000000 --samples 1000 >> "$out"
"$bench" control --entries 1000000 --requests 10000 >> "$out"
"$bench" render --width 200 --height 60 --frames 1000 >> "$out"
scripts/dashboard-cpu.sh 60 >> "$out"
# Caffeine (Java) and ristretto (Go) interleaved with this cache-bench on the same trace, round
# by round, when both languages are installed (`../shared/bench/peers/run.sh setup` installs
# them from Debian's packages). The ratio table goes to bench-peers.md, the raw lines into $out.
if command -v java >/dev/null && command -v javac >/dev/null && command -v go >/dev/null; then
  export TRACES="$traces" CACHE_BENCH="$PWD/$bench"
  ../shared/bench/peers/run.sh build
  ../shared/bench/peers/run.sh throughput 3 | tee bench-peers.md
  sed 's/^{/{"source":"peers",/' .build-peers/throughput.jsonl >> "$out"
else
  echo "Java or Go missing: peers not measured (../shared/bench/peers/run.sh setup installs them)" >&2
fi
echo "wrote $out"
