/// Reading and writing entries. Every method takes one shard lock, is O(1) expected plus the
/// entries it evicts, and may be called concurrently from any thread.
///
/// One verb per meaning, after `Dictionary` and `NSCache`: `value(forKey:)` reads a value
/// (with a loader, it also fills a miss), `lookup(forKey:)` reads the cache's verdict (a value,
/// a cached absence, or nothing), `setValue` / `setAbsent` write, `removeValue` removes, and
/// `computeValue` (in `Cache+AtomicOperations.swift`) reads and writes as one step.
extension Cache {
    /// The value cached for `key`, or nil when it is missing, expired or cached as absent.
    /// Counts as a hit or a miss; never loads (``value(forKey:ttl:absentTTL:refreshAfter:loader:)``
    /// does).
    @inlinable
    public func value(forKey key: Key) -> Value? {
        if case .hit(let value) = lookup(forKey: key) { return value }
        return nil
    }

    /// Reads `key`, telling a cached absence (negative entry) apart from a miss.
    ///
    /// For keys and values that are trivially copyable in whole words (integers, floats and
    /// structs of them), a hit takes no lock (`Cache+LockFreeReads.swift`); other reads take
    /// the shard's lock.
    @inlinable
    public func lookup(forKey key: Key) -> CacheLookup<Value> {
        let hash = KeyHash(key)
        if Self.readsWithoutLock, readsLockFree, let verdict = lookupWithoutLock(key, hash: hash) { return verdict }
        return withShard(hash: hash) { $0.lookup(key, hash: hash, clock: clock) }
    }

    /// Stores `value` for `key`, replacing any previous value.
    ///
    /// The capacity bound holds when this returns: a write that overflows its shard evicts first.
    ///
    /// - Parameters:
    ///   - value: what to store.
    ///   - key: the entry's key.
    ///   - ttl: the entry's time to live; nil uses the cache's default TTL (if any). A TTL of
    ///     zero or less stores an entry that is already expired.
    @inlinable
    public func setValue(_ value: Value, forKey key: Key, ttl: Duration? = nil) {
        let hash = KeyHash(key)
        let cost = cost(of: key, value)
        let ttlNanoseconds = ttl?.nanosecondsClamped ?? defaultTTL
        withShard(hash: hash) { $0.set(key, hash: hash, value: value, cost: cost, ttl: ttlNanoseconds, clock: clock) }
    }

    /// Caches the fact that `key` has no value, for `ttl` (negative caching): reads return
    /// ``CacheLookup/absent`` and loads are not repeated until it expires or is replaced.
    @inlinable
    public func setAbsent(forKey key: Key, ttl: Duration) {
        let hash = KeyHash(key)
        let ttlNanoseconds = ttl.nanosecondsClamped
        withShard(hash: hash) { $0.set(key, hash: hash, value: nil, cost: 1, ttl: ttlNanoseconds, clock: clock) }
    }

    /// Removes `key` and returns its value, if it was cached with one.
    @inlinable
    @discardableResult
    public func removeValue(forKey key: Key) -> Value? {
        let hash = KeyHash(key)
        if case .hit(let value) = withShard(hash: hash, { $0.remove(key, hash: hash) }) { return value }
        return nil
    }

    /// Removes every entry. O(entries); takes each shard lock in turn.
    public func removeAll() {
        forEachShard { _, store in store.removeAll() }
    }

    /// The number of entries (including cached absences). Sums the shards, each read under its
    /// lock: O(shards). Never exceeds the capacity when entries are counted.
    @inlinable
    public var count: Int {
        sumOverShards { $0.count }
    }

    /// The total cost of the entries (equal to ``count`` without a weigher). O(shards).
    @inlinable
    public var weightedSize: Int {
        sumOverShards { $0.policy.weightedSize }
    }

    /// The configured capacity: entries, or total cost with a weigher.
    public var capacity: Int {
        configuredCapacity.withLock { $0 }
    }
}
