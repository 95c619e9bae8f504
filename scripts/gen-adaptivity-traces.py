#!/usr/bin/env python3
"""Traces that reward a cache for adapting its admission window (same format as
../shared/bench: raw little-endian uint64 keys, one per request; deterministic; needs numpy).

usage: scripts/gen-adaptivity-traces.py OUTDIR
       scripts/gen-adaptivity-traces.py --held-out OUTDIR
The second form writes only reshuffle, onehit and bursts, with other seeds (files named
*_heldout.keys): fresh traces of the three target classes, to check that what was tuned on the
first set holds on traces it was not tuned on.
Writes:
  recency_4m.keys    4M requests: 70% reuse a key from the last 20,000 requests, 30% are new keys.
                     Recency is all there is: plain LRU does well, a frequency filter alone fails.
  phases_8m.keys     8M requests: 1M of Zipf(0.99) over 1M keys, then 1M of the recency pattern
                     above, four times over; the right window changes every million requests.
  drift_4m.keys      4M requests: Zipf(0.9) over 50,000 keys whose key range moves by 20,000 keys
                     every 250,000 requests; yesterday's popular keys fade.
  reshuffle_8m.keys  8M requests: Zipf(0.99) over 1M keys; every 2M requests a fresh random
                     permutation decides which key has which rank, so the whole ranking turns over.
  onehit_8m.keys     8M requests: 40% one-hit wonders (a key seen once, never again), 60% Zipf(0.9)
                     over 1M keys.
  bursts_8m.keys     8M requests: Zipf(0.9) over 1M keys, plus one burst in every 500,000 requests:
                     1,500-2,500 keys never seen before (Zipf(0.9) among themselves) take 25-35% of
                     the traffic for 150,000-250,000 requests, then vanish.
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


def zipf(n_items, n, s, offset, r=rng):
    """n draws of Zipf(s) over keys offset .. offset + n_items - 1 (rank 1 is key offset)."""
    w = 1.0 / np.power(np.arange(1, n_items + 1, dtype=np.float64), s)
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, r.random(n)).astype(np.uint64) + np.uint64(offset)


# The workloads below draw from generators of their own (one seed each), so that the outputs above
# stay byte-identical and adding a workload later changes none of the others. Background keys are
# 0 .. 999,999; keys meant to be new (one-hit wonders, burst keys) start at 10**12, so they never
# collide with the background, and splitmix, a bijection, keeps them apart.
NEW_KEYS = 10**12


def reshuffle(n, n_items, s, period, seed):
    """Zipf(s) over n_items keys; every period requests a fresh permutation maps rank to key."""
    r = np.random.default_rng(seed)
    ranks = zipf(n_items, n, s, 0, r)
    out = np.empty(n, dtype=np.uint64)
    for start in range(0, n, period):
        perm = r.permutation(n_items).astype(np.uint64)
        out[start:start + period] = perm[ranks[start:start + period]]
    return out


def onehit(n, p_once, n_items, s, seed):
    """A share p_once of one-hit wonders (keys used once each), the rest Zipf(s) over n_items."""
    r = np.random.default_rng(seed)
    once = r.random(n) < p_once
    out = zipf(n_items, n, s, 0, r)
    out[once] = np.uint64(NEW_KEYS) + np.arange(once.sum(), dtype=np.uint64)
    return out


def bursts(n, n_items, s, slot, seed):
    """Zipf(s) over n_items keys, plus one burst somewhere in every slot requests: a set of
    1,500-2,500 new keys (Zipf(s) among themselves) takes 25-35% of 150,000-250,000 requests."""
    r = np.random.default_rng(seed)
    out = zipf(n_items, n, s, 0, r)
    for b, base in enumerate(range(0, n, slot)):
        length = int(r.integers(150_000, 250_001))
        start = base + int(r.integers(0, slot - length + 1))  # the burst ends inside its slot
        hot, share = int(r.integers(1_500, 2_501)), r.uniform(0.25, 0.35)
        window = out[start:start + length]                    # a view: writes go to out
        taken = r.random(len(window)) < share
        window[taken] = zipf(hot, int(taken.sum()), s, NEW_KEYS + b * 10**6, r)
    return out


def write(path, keys):
    splitmix(keys).astype('<u8').tofile(path)
    print(path, len(keys))


def held_out(out):
    with np.errstate(over='ignore'):
        write(f"{out}/reshuffle_8m_heldout.keys",
              reshuffle(8_000_000, 1_000_000, 0.99, 2_000_000, seed=201))
        write(f"{out}/onehit_8m_heldout.keys", onehit(8_000_000, 0.4, 1_000_000, 0.9, seed=202))
        write(f"{out}/bursts_8m_heldout.keys", bursts(8_000_000, 1_000_000, 0.9, 500_000, seed=203))


def main():
    if sys.argv[1] == "--held-out":
        os.makedirs(sys.argv[2], exist_ok=True)
        held_out(sys.argv[2])
        return
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
        write(f"{out}/reshuffle_8m.keys",
              reshuffle(8_000_000, 1_000_000, 0.99, 2_000_000, seed=101))
        write(f"{out}/onehit_8m.keys", onehit(8_000_000, 0.4, 1_000_000, 0.9, seed=102))
        write(f"{out}/bursts_8m.keys", bursts(8_000_000, 1_000_000, 0.9, 500_000, seed=103))


if __name__ == "__main__":
    main()
