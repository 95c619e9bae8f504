/// Visiting and conditionally removing entries without disturbing the policy and without
/// holding a shard lock for long: entries are copied out of a shard in batches, each batch
/// under the lock, and the caller's closure runs on the copies with no lock held.
extension Cache {
    /// How many entries one batch copies out of a shard under its lock.
    @usableFromInline static var iterationBatch: Int { 256 }

    /// Calls `body` with every entry that holds a value (cached absences and expired entries are
    /// skipped), shard by shard.
    ///
    /// Weakly consistent, as a concurrent map's iterator: an entry present throughout the
    /// iteration is visited exactly once; one added, replaced or removed meanwhile may or may not
    /// be, and a replaced entry may show either value. Reading entries this way is not a use:
    /// no counter, queue or frequency changes. Each shard lock is held for one batch at a time
    /// (256 entries); `body` runs with no lock held.
    ///
    /// - Complexity: O(slab slots + entries) over the whole cache.
    public func forEachEntry(_ body: (Key, Value) throws -> Void) rethrows {
        for index in 0..<shardCount {
            try forEachEntry(inShard: index) { batch in
                for (key, value, _) in batch { try body(key, value) }
            }
        }
    }

    /// Removes every entry for which `shouldRemove` returns true, and returns how many were
    /// removed (cause: explicit).
    ///
    /// `shouldRemove` runs with no lock held, on copies taken in batches as ``forEachEntry(_:)``
    /// takes them. An entry written or removed by another thread between the test and the removal
    /// is left as that write left it: each tested key is watched (`ShardStore+WriteWatch`) and
    /// removed only if nothing wrote it meanwhile.
    ///
    /// - Complexity: O(slab slots + entries) over the whole cache, plus the removals.
    @discardableResult
    public func removeAll(where shouldRemove: (Key, Value) throws -> Bool) rethrows -> Int {
        var removed = 0
        for index in 0..<shardCount {
            try forEachEntry(inShard: index, watching: true) { batch in
                var chosen: [(Key, UInt64)] = []
                for (key, value, writes) in batch where try shouldRemove(key, value) {
                    chosen.append((key, writes))
                }
                removed += removeUnwritten(chosen, inShard: index)
            }
        }
        return removed
    }

    /// Copies shard `index`'s entries out in batches and hands each batch to `body`. A slab
    /// rebuild between batches renumbers the slots: the walk then restarts from the first slot
    /// and skips the keys it already handed out (it remembers the shard's keys until the shard is
    /// done). With `watching`, every key in a batch is watched (and its write count passed along)
    /// until `body` returns.
    func forEachEntry(inShard index: Int, watching: Bool = false, _ body: ([(Key, Value, UInt64)]) throws -> Void) rethrows {
        var cursor = 0
        var generation: Int?
        var handedOut = Set<Key>()
        while true {
            let (batch, next, seenGeneration) = shards[index].withLock { store -> ([(Key, Value, UInt64)], Int, Int) in
                var batch: [(Key, Value, UInt64)] = []
                var slot = generation == nil || store.slabGeneration == generation ? cursor : 0
                let now = clock.nanoseconds()
                while slot < store.storage.slabCapacity, batch.count < Self.iterationBatch {
                    let current = Int32(truncatingIfNeeded: slot)
                    slot += 1
                    guard store.storage.links[Int(current)].tag != SlotTag.free, !store.storage.isAbsent(current),
                          !store.wheel.isExpired(current, now: { now }) else { continue }
                    let key = store.storage.key(at: current)
                    let writes = watching ? store.watch(key) : 0
                    batch.append((key, store.storage.valuePointer(Int(current)).pointee, writes))
                }
                return (batch, slot, store.slabGeneration)
            }
            generation = seenGeneration
            cursor = next
            if batch.isEmpty { return }
            defer {
                if watching { shards[index].withLock { store in for entry in batch { store.unwatch(entry.0) } } }
            }
            try body(batch.filter { handedOut.insert($0.0).inserted })
        }
    }

    /// Removes each key of `keys` from shard `index` unless it was written since its count was
    /// read. Returns how many were removed.
    func removeUnwritten(_ keys: [(Key, UInt64)], inShard index: Int) -> Int {
        guard !keys.isEmpty else { return 0 }
        let (count, removed) = shards[index].withLock { store -> (Int, [RemovedEntry<Key, Value>]) in
            var count = 0
            for (key, writes) in keys where store.writes(to: key) == writes {
                if case .hit = store.remove(key, hash: KeyHash(key)) { count += 1 }
            }
            return (count, store.takeRemovals())
        }
        deliver(removed)
        return count
    }
}
