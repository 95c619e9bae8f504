#!/usr/bin/env python3
"""Hit ratios of libCacheSim's policies (PyPI package libcachesim) on a raw trace of
../shared/bench's format (little-endian uint64 keys, one per request). Every object has size 1, so
capacity counts objects, as in cache-bench. Prints one JSON object per line per policy, like
cache-bench hitratio but with the trace named without .keys: {"mode": "hitratio",
"trace": "phases_8m.keys", "capacity": 100000, "cache": "lcs-ARC", "hit_ratio": 0.61,
"requests": 8000000, ...}.

usage: scripts/libcachesim-run.py --trace PATH --capacity N [--policies LRU,ARC,...] [--jobs J]
                                  [--mem-limit-gb G]
  --policies  default LRU,ARC,S3FIFO,LIRS,Cacheus,WTinyLFU,ThreeLCache,Sieve (WTinyLFU: 1% window,
              SLRU main; ThreeLCache is 3L-Cache); any other cache class of libcachesim may be named
              (TwoQ, Clock, LHD, Belady, ...). One the installed version lacks is skipped, with a
              note on stderr.
  --jobs      simulations at once (default 1: the machine has 2 cores and other work).
  --mem-limit-gb  address-space limit of each simulation (default 12; 0: none).
The trace is converted once to libCacheSim's oracleGeneral format, PATH.oracleGeneral.bin beside
it, and rebuilt when older than the trace. Each simulation runs in a fresh process of its own, so
one that crashes or runs out of memory costs only its own line. Installs libcachesim with pip when
it is missing.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import numpy as np
    import libcachesim as lcs
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "libcachesim", "numpy"],
                   check=True)
    import numpy as np
    import libcachesim as lcs

DEFAULT_POLICIES = "LRU,ARC,S3FIFO,LIRS,Cacheus,WTinyLFU,ThreeLCache,Sieve"
# Other spellings people use for libcachesim's class names.
ALIASES = {"3lcache": "ThreeLCache", "3l-cache": "ThreeLCache", "s3-fifo": "S3FIFO",
           "tinylfu": "WTinyLFU", "w-tinylfu": "WTinyLFU", "2q": "TwoQ"}
# Parameters other than libcachesim's defaults. WTinyLFU's window is 1% of the capacity (its
# default too, written out so that a change of default does not pass unseen); 3L-Cache is asked
# for the object miss ratio (the byte miss ratio is its default; with size-1 objects both agree).
PARAMS = {"WTinyLFU": {"window_size": 0.01, "main_cache": "SLRU"},
          "ThreeLCache": {"objective": "object-miss-ratio"}}
# Policies built only when libCacheSim was compiled with an option: the class is always there,
# its C entry point (NAME_init) only then.
OPTIONAL = ("ThreeLCache", "GLCache", "LRB")
UNAVAILABLE = 3  # a simulation's exit code when its policy cannot be built here

# libCacheSim's oracleGeneral record, little-endian and packed (24 bytes), as its reader
# (traceReader/customizedReader/oracle/oracleGeneralBin.h) reads it. next_access_vtime is the
# 1-based index of the object's next request, -1 when there is none, as its converter
# (Util.convert_to_oracleGeneral) writes it.
RECORD = np.dtype([("clock_time", "<u4"), ("obj_id", "<u8"), ("obj_size", "<u4"),
                   ("next_access_vtime", "<i8")])
assert RECORD.itemsize == 24


def oracle_general(trace):
    """The trace as oracleGeneral records in TRACE.oracleGeneral.bin, written when missing or older
    than the trace. Returns the path and the number of requests."""
    path = trace + ".oracleGeneral.bin"
    n = os.path.getsize(trace) // 8
    if (os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(trace)
            and os.path.getsize(path) == n * RECORD.itemsize):
        return path, n
    keys = np.fromfile(trace, dtype="<u8", count=n)
    # Sorted stably by key, the requests of one object are adjacent and in trace order, so each
    # one's next access is its neighbour in that order when the neighbour has the same key.
    order = np.argsort(keys, kind="stable")
    same = keys[order[1:]] == keys[order[:-1]]
    next_access = np.full(n, -1, dtype=np.int64)
    next_access[order[:-1][same]] = order[1:][same] + 1
    records = np.empty(n, dtype=RECORD)
    # One clock tick per request (TTLs never expire: libcachesim's default TTL is 300 days).
    records["clock_time"] = np.arange(1, n + 1, dtype=np.uint32)
    records["obj_id"] = keys
    records["obj_size"] = 1
    records["next_access_vtime"] = next_access
    # Written under another name and renamed, so that no reader sees half a file.
    records.tofile(path + ".tmp")
    os.replace(path + ".tmp", path)
    return path, n


def resolve(name):
    """libcachesim's class name for a policy name, or None when the installed version lacks it."""
    name = ALIASES.get(name.lower(), name)
    classes = {c.lower(): c for c in lcs.__all__
               if isinstance(getattr(lcs, c), type) and issubclass(getattr(lcs, c), lcs.CacheBase)
               and c not in ("CacheBase", "PluginCache")}
    found = classes.get(name.lower())
    if found in OPTIONAL and not hasattr(lcs.libcachesim_python, f"{found}_init"):
        return None
    return found


def simulate(policy, path, n, capacity, trace_name, mem_limit_gb):
    """One simulation, in the worker process: prints its JSON line on the original stdout."""
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever libCacheSim prints goes to stderr, away from the JSON lines
    if mem_limit_gb > 0:
        limit = int(mem_limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        cache = getattr(lcs, policy)(capacity, **PARAMS.get(policy, {}))
    except (AttributeError, ImportError) as error:
        print(f"libcachesim-run: {policy}: {error}", file=sys.stderr)
        sys.exit(UNAVAILABLE)
    reader = lcs.TraceReader(path, lcs.TraceType.ORACLE_GENERAL_TRACE)
    started = time.monotonic()
    miss_ratio, _ = cache.process_trace(reader)
    hits = round((1.0 - miss_ratio) * n)  # libCacheSim gives the ratio; the count is exact again
    print(json.dumps({
        "mode": "hitratio", "trace": trace_name, "capacity": capacity, "cache": f"lcs-{policy}",
        "hit_ratio": hits / n, "hits": hits, "requests": n, "policy": cache.cache_name,
        "seconds": round(time.monotonic() - started, 3)}), file=result, flush=True)


def run(policy, path, n, args, trace_name):
    """Runs one simulation in a fresh process; reports on stderr what went wrong."""
    command = [sys.executable, os.path.abspath(__file__), "--worker", policy, "--bin", path,
               "--requests", str(n), "--capacity", str(args.capacity), "--name", trace_name,
               "--mem-limit-gb", str(args.mem_limit_gb)]
    code = subprocess.run(command).returncode
    if code == UNAVAILABLE:
        print(f"libcachesim-run: skipping {policy}: libcachesim {lcs.__version__} cannot build it",
              file=sys.stderr)
    elif code != 0:
        why = f"signal {-code}" if code < 0 else f"exit code {code}"
        print(f"libcachesim-run: {policy} on {trace_name} at {args.capacity} failed ({why})",
              file=sys.stderr)
    return code


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trace", help="raw little-endian uint64 keys, one per request")
    parser.add_argument("--capacity", type=int, required=True, help="objects")
    parser.add_argument("--policies", default=DEFAULT_POLICIES)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--mem-limit-gb", type=float, default=12)
    # The worker's side: one simulation on an already converted trace.
    for hidden in ("--worker", "--bin", "--name"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        simulate(args.worker, args.bin, args.requests, args.capacity, args.name, args.mem_limit_gb)
        return
    if not args.trace:
        parser.error("--trace is required")

    trace_name = os.path.basename(args.trace)  # as cache-bench names it, so the rows join
    path, n = oracle_general(args.trace)
    if n == 0:
        parser.error(f"{args.trace} holds no request")
    policies = []
    for name in filter(None, (p.strip() for p in args.policies.split(","))):
        found = resolve(name)
        if found is None:
            print(f"libcachesim-run: skipping {name}: not in libcachesim {lcs.__version__}",
                  file=sys.stderr)
        else:
            policies.append(found)
    # Threads here only wait for the processes; each simulation has a process of its own.
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        codes = list(pool.map(lambda policy: run(policy, path, n, args, trace_name), policies))
    sys.exit(1 if any(code not in (0, UNAVAILABLE) for code in codes) else 0)


if __name__ == "__main__":
    main()
