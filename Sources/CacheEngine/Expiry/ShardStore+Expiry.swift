/// Expiring a shard's entries actively: a sweep advances the wheel and removes what it reports
/// due. (Lazy expiry, a read finding an entry past its deadline, is in the shard's `lookup`.)
extension ShardStore {
    /// Advances the wheel to `now` and removes every due entry. Work is proportional to the due
    /// entries plus those cascading to a finer level, never to the number of entries.
    @usableFromInline
    mutating func sweep(to now: Int64) -> (examined: Int, removed: Int) {
        drainReads()
        var expired: [Int32] = []
        let examined = wheel.advance(to: now, expired: &expired)
        for slot in expired {
            removeSlot(slot, position: storage.position(ofSlot: slot, hash: KeyHash(storage.key(at: slot))), cause: .expired)
        }
        return (examined, expired.count)
    }

    /// When the entry for `key` was last written, for entries that carry a deadline (the wheel
    /// keeps the write time with it); nil otherwise. O(1) expected.
    @inlinable
    func writeTime(of key: Key, hash: KeyHash) -> Int64? {
        let slot = storage.findSlot(key, hash: hash)
        guard slot >= 0 else { return nil }
        return wheel.deadline(of: slot)?.writtenAt
    }
}
