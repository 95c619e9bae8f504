/// Self-checks of one shard, for tests: each component's own, prefixed with its name.
/// O(entries + index size).
extension ShardStore {
    /// Every violated invariant, described; empty when the shard is consistent. The read
    /// buffer must have been drained.
    func invariantViolations() -> [String] {
        storage.invariantViolations(maximum: policy.maximum).map { "storage: \($0)" }
            + policy.invariantViolations(slots: storage.policySlots, entries: storage.count).map { "policy: \($0)" }
            + wheel.invariantViolations(slabCapacity: storage.slabCapacity) { storage.links[Int($0)].tag != SlotTag.free }
                .map { "expiry: \($0)" }
    }
}

extension Cache {
    /// Every violated internal invariant across the shards (for tests). O(entries).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        var total = 0
        for index in 0..<shardCount {
            shards[index].withLock { store in
                store.drainReads()
                total += store.policy.maximum
                problems += store.invariantViolations().map { "shard \(index): \($0)" }
            }
        }
        if total != capacity { problems.append("shard maxima sum to \(total), capacity is \(capacity)") }
        return problems
    }
}
