/// Per-key operations that read and write as one step. None runs caller code while a shard lock
/// is held (the rule every callback of the engine follows: weighers, listeners, loaders,
/// transforms); `computeValue` gets its atomicity from a watch on the key instead
/// (`ShardStore+WriteWatch`).
extension Cache {
    /// Stores `value` for `key` unless the key already holds a value, and returns that value
    /// (nil when this call stored `value`). An expired entry or a cached absence does not
    /// count as holding a value.
    ///
    /// Atomic: of concurrent calls for one key, exactly one stores its value and the others
    /// get it. Counts as a write when it stores, as a read to the policy when it does not; it
    /// counts no lookup. O(1) expected plus evictions; takes one shard lock.
    @inlinable
    @discardableResult
    public func setValueIfMissing(_ value: Value, forKey key: Key, ttl: Duration? = nil) -> Value? {
        let hash = KeyHash(key)
        let cost = cost(of: key, value)
        let ttlNanoseconds = ttl?.nanosecondsClamped ?? defaultTTL
        return withShard(hash: hash) {
            $0.setIfAbsent(key, hash: hash, value: value, cost: cost, ttl: ttlNanoseconds, clock: clock)
        }
    }

    /// Replaces the value of `key` with what `transform` makes of it, as one step: returns the
    /// new value. `transform` receives the current value (nil when missing, expired or cached
    /// as absent) and returns the new one, or nil to remove the entry.
    ///
    /// `transform` runs without any lock held. If another thread writes or removes `key` while
    /// it runs, its result is discarded and it runs again on the newer value, so no write is
    /// lost and the result always derives from the value it replaces; eviction or expiry
    /// meanwhile does not cause a rerun. A `transform` that throws leaves the entry as it was.
    /// Concurrent computes on one key are serialized this way too: each rerun follows another
    /// caller's successful write, so one of them always makes progress.
    ///
    /// - Parameters:
    ///   - key: the entry to replace.
    ///   - ttl: the new entry's time to live; nil uses the cache's default TTL.
    ///   - transform: makes the new value from the current one (nil: missing); nil removes.
    /// - Complexity: O(1) expected per attempt plus evictions; takes the shard lock twice per
    ///   attempt.
    @discardableResult
    public func computeValue(forKey key: Key, ttl: Duration? = nil, _ transform: (Value?) throws -> Value?) rethrows -> Value? {
        let hash = KeyHash(key)
        let ttlNanoseconds = ttl?.nanosecondsClamped ?? defaultTTL
        var (current, writes) = withShard(hash: hash) { store in
            (store.peekValue(key, hash: hash, clock: clock), store.watch(key))
        }
        defer { withShard(hash: hash) { $0.unwatch(key) } }
        while true {
            let new = try transform(current)
            let newCost = new.map { cost(of: key, $0) } ?? 0
            let committed: (done: Bool, current: Value?, writes: UInt64) = withShard(hash: hash) { store in
                let seen = store.writes(to: key)
                guard seen == writes else { return (false, store.peekValue(key, hash: hash, clock: clock), seen) }
                if let new {
                    store.set(key, hash: hash, value: new, cost: newCost, ttl: ttlNanoseconds, clock: clock)
                } else {
                    _ = store.remove(key, hash: hash)
                }
                return (true, nil, 0)
            }
            if committed.done { return new }
            current = committed.current
            writes = committed.writes
        }
    }
}
