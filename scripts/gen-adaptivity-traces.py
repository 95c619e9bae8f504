#!/usr/bin/env python3
"""Traces that reward a cache for adapting its admission window (same format as
../shared/bench: raw little-endian uint64 keys, one per request; deterministic; needs numpy).

usage: scripts/gen-adaptivity-traces.py OUTDIR
Writes:
  recency_4m.keys  4M requests: 70% reuse a key from the last 20,000 requests, 30% are new keys.
                   Recency is all there is: plain LRU does well, a frequency filter alone fails.
  phases_8m.keys   8M requests: 1M of Zipf(0.99) over 1M keys, then 1M of the recency pattern
                   above, four times over; the right window changes every million requests.
  drift_4m.keys    4M requests: Zipf(0.9) over 50,000 keys whose key range moves by 20,000 keys
                   every 250,000 requests; yesterday's popular keys fade.
Keys are scrambled (splitmix64), as in ../shared/bench/gen_traces.py.
"""
import os
import sys

import numpy as np

rng = np.random.default_rng(7)


def splitmix(x):
    x = x + np.uint64(0x9E3779B97F4A7C15)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def recency(n, p_reuse, depth, first_key):
    out = np.empty(n, dtype=np.uint64)
    next_key = first_key
    reuse = rng.random(n) < p_reuse
    back = rng.integers(1, depth, n)
    for i in range(n):
        if reuse[i] and i >= depth:
            out[i] = out[i - back[i]]
        else:
            out[i] = next_key
            next_key += 1
    return out


def zipf(n_items, n, s, offset):
    w = 1.0 / np.power(np.arange(1, n_items + 1, dtype=np.float64), s)
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n)).astype(np.uint64) + np.uint64(offset)


def write(path, keys):
    splitmix(keys).astype('<u8').tofile(path)
    print(path, len(keys))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with np.errstate(over='ignore'):
        write(f"{out}/recency_4m.keys", recency(4_000_000, 0.7, 20_000, 10**9))
        parts = []
        for i in range(4):
            parts.append(zipf(1_000_000, 1_000_000, 0.99, 0))
            parts.append(recency(1_000_000, 0.7, 20_000, 2 * 10**9 + i * 10**7))
        write(f"{out}/phases_8m.keys", np.concatenate(parts))
        write(f"{out}/drift_4m.keys",
              np.concatenate([zipf(50_000, 250_000, 0.9, i * 20_000) for i in range(16)]))


if __name__ == "__main__":
    main()
