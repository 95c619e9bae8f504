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
            + readerDeadlineViolations().map { "readers: \($0)" }
    }

    /// The deadlines lock-free readers check must be the wheel's, slot for slot: a reader that
    /// saw a later one would serve an expired entry.
    func readerDeadlineViolations() -> [String] {
        guard let deadlines = storage.deadlines else { return [] }
        var problems: [String] = []
        for slot in 0..<storage.slabCapacity where storage.links[slot].tag != SlotTag.free {
            let expected = wheel.deadline(of: Int32(slot))?.deadline ?? .max
            if deadlines[slot] != expected {
                problems.append("slot \(slot): readers see deadline \(deadlines[slot]), the wheel has \(expected)")
            }
        }
        return problems
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
