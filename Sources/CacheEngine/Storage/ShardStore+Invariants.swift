/// Self-checks of one shard's internal structure, for tests: O(entries + index size).
extension ShardStore {
    /// Whether the entry in `slot`, whose key hashes to `hash`, sits in one of its preferred slots.
    func isPlaced(_ slot: Int, hash: KeyHash) -> Bool {
        Self.isPlacement(slot, for: preferredSlot(hash), slots: slabCapacity)
    }

    /// Every violated invariant, described; empty when the shard is consistent.
    func invariantViolations() -> [String] {
        var problems: [String] = []
        var live = 0
        var scheduled = 0
        for slot in 0..<slabCapacity where links[slot].tag != SlotTag.free {
            live += 1
            let key = key(at: Int32(slot))
            let found = probe(key, hash: KeyHash(key)).slot
            if found != Int32(slot) { problems.append("slot \(slot) not reachable through the index (found \(found))") }
            if let timers, timers[slot].bucket >= 0 { scheduled += 1 }
        }
        if live != count { problems.append("count \(count) but \(live) live slots") }
        var freeCount = 0
        var freeSlot = freeSlots.head
        var previousFree: Int32 = -1
        while freeSlot >= 0, freeCount <= slabCapacity {
            if links[Int(freeSlot)].tag != SlotTag.free { problems.append("free list holds live slot \(freeSlot)") }
            if links[Int(freeSlot)].previous != previousFree { problems.append("free list: broken back link at \(freeSlot)") }
            freeCount += 1
            previousFree = freeSlot
            freeSlot = links[Int(freeSlot)].next
        }
        if previousFree != freeSlots.tail { problems.append("free list ends at \(previousFree), its tail is \(freeSlots.tail)") }
        if freeCount != slabCapacity - count { problems.append("free list holds \(freeCount) slots, \(slabCapacity - count) are free") }
        if slabCapacity > policy.maximum + 1, !weighted, slabCapacity > 8 {
            problems.append("slab capacity \(slabCapacity) exceeds the entry capacity \(policy.maximum) + 1")
        }
        var indexed = 0
        var tombstonesSeen = 0
        for position in 0...tableMask {
            if table[position] >= 0 { indexed += 1 }
            if table[position] == Self.tombstone { tombstonesSeen += 1 }
        }
        if indexed != count { problems.append("index holds \(indexed) slots for \(count) entries") }
        if tombstonesSeen != tombstones { problems.append("tombstones \(tombstones) recorded, \(tombstonesSeen) present") }

        var queued = 0
        var totalWeight = 0
        let queues: [(String, SlotQueue, UInt8)] = [
            ("window", policy.window, SlotTag.window),
            ("probation", policy.probation, SlotTag.probation),
            ("protected", policy.protected, SlotTag.protected),
        ]
        for (name, queue, tag) in queues {
            var weightSum = 0
            var slot = queue.head
            var previous: Int32 = -1
            while slot >= 0 {
                if links[Int(slot)].previous != previous { problems.append("\(name): broken back link at \(slot)") }
                if links[Int(slot)].tag & SlotTag.queueMask != tag { problems.append("\(name): slot \(slot) tagged \(links[Int(slot)].tag)") }
                weightSum += weight(of: slot)
                queued += 1
                previous = slot
                slot = links[Int(slot)].next
                if queued > count + 1 { problems.append("\(name): cycle"); break }
            }
            if queue.tail != previous { problems.append("\(name): tail \(queue.tail) but last node \(previous)") }
            if tag == SlotTag.window, weightSum != policy.windowWeightedSize {
                problems.append("window weight \(weightSum) recorded \(policy.windowWeightedSize)")
            }
            if tag == SlotTag.protected, weightSum != policy.protectedWeightedSize {
                problems.append("protected weight \(weightSum) recorded \(policy.protectedWeightedSize)")
            }
            totalWeight += weightSum
        }
        if queued != count { problems.append("policy queues hold \(queued) of \(count) entries") }
        if totalWeight != policy.weightedSize { problems.append("weights sum to \(totalWeight), recorded \(policy.weightedSize)") }
        if policy.weightedSize > policy.maximum { problems.append("weighted size \(policy.weightedSize) over maximum \(policy.maximum)") }
        if judge.bar < 0 || judge.bar > AdmissionJudge.maximumBar || (!judge.learns && judge.bar != 0) {
            problems.append("admission margin \(judge.bar) out of range (learns: \(judge.learns))")
        }

        var inBuckets = 0
        if let timers {
            for bucket in 0..<TimerWheel.bucketCount {
                var slot = wheel.heads[bucket]
                var length = 0
                while slot >= 0 {
                    if timers[Int(slot)].bucket != Int32(bucket) { problems.append("timer \(slot) in bucket \(bucket) says \(timers[Int(slot)].bucket)") }
                    if links[Int(slot)].tag == SlotTag.free { problems.append("free slot \(slot) on the wheel") }
                    length += 1
                    slot = timers[Int(slot)].next
                    if length > count + 1 { problems.append("bucket \(bucket): cycle"); break }
                }
                if length != Int(wheel.counts[bucket]) { problems.append("bucket \(bucket) holds \(length), counted \(wheel.counts[bucket])") }
                inBuckets += length
            }
        }
        if inBuckets != scheduled || scheduled != wheel.scheduled {
            problems.append("wheel: \(inBuckets) in buckets, \(scheduled) entries with a deadline, \(wheel.scheduled) recorded")
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

    /// Entries sitting in one of their preferred slots, and all entries, over all shards (for tests).
    var placement: (placed: Int, entries: Int) {
        var placed = 0
        var entries = 0
        for index in 0..<shardCount {
            shards[index].withLock { store in
                for slot in 0..<store.slabCapacity where store.links[slot].tag != SlotTag.free {
                    entries += 1
                    if store.isPlaced(slot, hash: KeyHash(store.key(at: Int32(slot)))) { placed += 1 }
                }
            }
        }
        return (placed, entries)
    }

    /// Whether `key` is cached in one of its two preferred slots (for tests).
    func isPlaced(_ key: Key) -> Bool {
        let hash = KeyHash(key)
        return withShard(hash: hash) { store in
            let slot = store.findSlot(key, hash: hash)
            return slot >= 0 && store.isPlaced(Int(slot), hash: hash)
        }
    }

    /// Slab slots allocated over all shards (for tests).
    var slabSlots: Int {
        var total = 0
        for index in 0..<shardCount { total += shards[index].withLock { $0.slabCapacity } }
        return total
    }

    /// Callers waiting on loads, without the rest of a snapshot (for tests that poll).
    var loadWaiters: Int {
        var total = 0
        for index in 0..<shardCount {
            total += shards[index].withLock { $0.flights.values.reduce(0) { $0 + $1.waiterCount } }
        }
        return total
    }

    /// Sweeps run so far (for tests that poll).
    var sweepRuns: Int { sweepStatistics.withLock { $0.runs } }

    /// Keys currently in flight (for tests).
    var inFlightCount: Int {
        var total = 0
        for index in 0..<shardCount { total += shards[index].withLock { $0.flights.count } }
        return total
    }
}

extension Cache {
    /// The judges' close calls, summed over the shards, with how many are still pending (for tests).
    var closeCalls: (counts: CloseCallCounts, pending: Int) {
        var counts = CloseCallCounts()
        var pending = 0
        for index in 0..<shardCount {
            shards[index].withLock { store in
                store.drainReads()
                counts.remembered += store.judge.closeCalls.remembered
                counts.settledRight += store.judge.closeCalls.settledRight
                counts.settledWrong += store.judge.closeCalls.settledWrong
                if let pairs = store.judge.pairs {
                    for slot in 0..<store.judge.slots where pairs[slot] != 0 { pending += 1 }
                }
            }
        }
        return (counts, pending)
    }
}
