#!/usr/bin/env bash
# CPU used by the dashboard itself in steady state: `cachetop attach` in a 120x40 tmux pane,
# polling a headless demo once a second, measured from /proc over SECONDS (default 60) after a
# 10 s warm-up. Prints the attach process's share of one core, and the demo's for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
swift build -c release --product cachetop >/dev/null
bin=.build/release/cachetop
dir=$(mktemp -d /tmp/cachetop-cpu.XXXXXX)
sock="$dir/demo.sock"
"$bin" demo --headless --socket "$sock" >/dev/null 2>&1 &
host=$!
server="cachetop-cpu-$$"
cleanup() { tmux -L "$server" kill-server 2>/dev/null || true; kill "$host" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
tmux -L "$server" -f /dev/null new-session -d -x 120 -y 40 "$bin attach $sock --interval 1" >/dev/null
sleep 10
viewer=$(pgrep -f "cachetop attach $sock" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
v0=$(ticks "$viewer"); h0=$(ticks "$host"); t0=$(date +%s.%N)
sleep "$seconds"
v1=$(ticks "$viewer"); h1=$(ticks "$host"); t1=$(date +%s.%N)
python3 - "$v0" "$v1" "$h0" "$h1" "$t0" "$t1" "$hz" <<'PY'
import json, sys
v0, v1, h0, h1 = map(int, sys.argv[1:5]); t0, t1 = map(float, sys.argv[5:7]); hz = int(sys.argv[7])
elapsed = t1 - t0
print(json.dumps({"mode": "dashboard-cpu", "seconds": round(elapsed, 1),
                  "attach_percent_of_one_core": round(100 * (v1 - v0) / hz / elapsed, 2),
                  "demo_host_percent_of_one_core": round(100 * (h1 - h0) / hz / elapsed, 2)}))
PY
