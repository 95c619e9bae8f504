/// Reads and writes that depend on what the shard holds: a read that is not a use, and a write
/// that happens only if no value is there. Each runs under the shard lock.
extension ShardStore {
    /// The value cached for `key`, without counting a lookup or telling the policy: nil when
    /// missing, expired or cached as absent. O(1) expected.
    @inlinable
    func peekValue(_ key: Key, hash: KeyHash, clock: EngineClock) -> Value? {
        let slot = storage.findSlot(key, hash: hash)
        guard slot >= 0, !storage.isAbsent(slot), !wheel.isExpired(slot, now: { clock.nanoseconds() }) else { return nil }
        return storage.valuePointer(Int(slot)).pointee
    }

    /// Stores `value` unless `key` holds an unexpired value; returns that value if it does (a
    /// read, to the policy). A cached absence or an expired entry is replaced. O(1) expected
    /// plus evictions.
    @inlinable
    mutating func setIfAbsent(_ key: Key, hash: KeyHash, value: Value, cost: Int, ttl: Int64?, clock: EngineClock) -> Value? {
        let slot = storage.findSlot(key, hash: hash)
        if slot >= 0, !storage.isAbsent(slot), isLive(slot, hash: hash, clock: clock), !coherence.isPastDeadline(clock) {
            recordRead(slot, hash: hash)
            return storage.valuePointer(Int(slot)).pointee
        }
        set(key, hash: hash, value: value, cost: cost, ttl: ttl, clock: clock)
        return nil
    }
}
