/// Probes of a cache's internals for tests (placement, slab size, loads, close calls), kept
/// apart from the invariant checks (`ShardStore+Invariants.swift`), as swift-collections keeps
/// `+Testing` apart from `+Invariants`. Each takes every shard lock in turn.
extension Cache {
    /// Entries sitting in one of their preferred slots, and all entries, over all shards.
    var placement: (placed: Int, entries: Int) {
        let placed = sumOverShards { store in
            (0..<store.storage.slabCapacity).filter { slot in
                store.storage.links[slot].tag != SlotTag.free
                    && store.storage.isPlaced(slot, hash: KeyHash(store.storage.key(at: Int32(slot))))
            }.count
        }
        return (placed, count)
    }

    /// Whether `key` is cached in one of its two preferred slots.
    func isPlaced(_ key: Key) -> Bool {
        let hash = KeyHash(key)
        return withShard(hash: hash) { store in
            let slot = store.storage.findSlot(key, hash: hash)
            return slot >= 0 && store.storage.isPlaced(Int(slot), hash: hash)
        }
    }

    /// Slabs and indexes replaced but not yet freed, over all shards.
    var retiredAllocations: Int { sumOverShards { $0.storage.retired.count } }

    /// Changes lock-free readers were told of (each makes overlapping reads retry), summed over
    /// the shards' sequence numbers; 0 for a cache read only under the lock.
    var readerVisibleChanges: Int {
        sumOverShards { store in Int(store.readState.map { $0.pointee.sequence.load(ordering: .relaxed) / 2 } ?? 0) }
    }

    /// Slab slots allocated over all shards.
    var slabSlots: Int { sumOverShards { $0.storage.slabCapacity } }

    /// Callers waiting on loads, without the rest of a snapshot (for tests that poll).
    var loadWaiters: Int { sumOverShards { $0.flights.values.reduce(0) { $0 + $1.waiterCount } } }

    /// Keys currently in flight.
    var inFlightCount: Int { sumOverShards { $0.flights.count } }

    /// Sweeps run so far (for tests that poll).
    var sweepRuns: Int { sweepStatistics.withLock { $0.runs } }

    /// Popularity shifts and drifts the shards' detectors answered, summed over the shards.
    var popularityChanges: (shifts: Int, drifts: Int) {
        var drifts = 0
        let shifts = sumOverShards { store in
            drifts += store.policy.shiftDetector.drifts
            return store.policy.shiftDetector.shifts
        }
        return (shifts, drifts)
    }

    /// The judges' close calls, summed over the shards, with how many are still pending.
    var closeCalls: (counts: CloseCallCounts, pending: Int) {
        var counts = CloseCallCounts()
        let pending = sumOverShards { store in
            store.drainReads()
            let judge = store.policy.judge
            counts.remembered += judge.closeCalls.remembered
            counts.settledRight += judge.closeCalls.settledRight
            counts.settledWrong += judge.closeCalls.settledWrong
            guard let pairs = judge.pairs else { return 0 }
            return (0..<judge.slots).filter { pairs[$0] != 0 }.count
        }
        return (counts, pending)
    }
}

extension SlotStorage {
    /// Whether the entry in `slot`, whose key hashes to `hash`, sits in one of its preferred slots.
    func isPlaced(_ slot: Int, hash: KeyHash) -> Bool {
        Self.isPlacement(slot, for: preferredSlot(hash), slots: slabCapacity)
    }
}

/// Probes of the deferred hits (`ShardPolicy+DeferredHits.swift`), each after draining the
/// shard's buffered hits.
extension Cache {
    /// The policy queue holding `key` (`SlotTag.window`, `.probation` or `.protected`), and
    /// whether a deferred hit marks it; nil when the key is not cached.
    func policyPlace(of key: Key) -> (queue: UInt8, marked: Bool)? {
        let hash = KeyHash(key)
        return withShard(hash: hash) { store in
            store.drainReads()
            let slot = store.storage.findSlot(key, hash: hash)
            guard slot >= 0 else { return nil }
            let queue = store.storage.links[Int(slot)].tag & SlotTag.queueMask
            return (queue, store.policy.referenced.isMarked(slot))
        }
    }

    /// Whether any shard holds marks not yet settled.
    var hasDeferredHits: Bool { sumOverShards { $0.policy.referenced.pending ? 1 : 0 } > 0 }
}
