/// Self-checks of the policy's structure, for tests: O(entries).
extension ShardPolicy {
    /// Every violated invariant of the queues, their weights and the admission margin,
    /// described; empty when they are consistent. `entries` is the storage's count.
    func invariantViolations<Key>(slots: PolicySlots<Key>, entries: Int) -> [String] {
        var problems: [String] = []
        let links = slots.links
        var queued = 0
        var totalWeight = 0
        let queues: [(String, SlotQueue, UInt8)] = [
            ("window", window, SlotTag.window),
            ("probation", probation, SlotTag.probation),
            ("protected", protected, SlotTag.protected),
        ]
        for (name, queue, tag) in queues {
            var weightSum = 0
            var slot = queue.head
            var previous: Int32 = -1
            while slot >= 0 {
                if links[Int(slot)].previous != previous { problems.append("\(name): broken back link at \(slot)") }
                if links[Int(slot)].tag & SlotTag.queueMask != tag { problems.append("\(name): slot \(slot) tagged \(links[Int(slot)].tag)") }
                weightSum += slots.weight(of: slot)
                queued += 1
                previous = slot
                slot = links[Int(slot)].next
                if queued > entries + 1 { problems.append("\(name): cycle"); break }
            }
            if queue.tail != previous { problems.append("\(name): tail \(queue.tail) but last node \(previous)") }
            if tag == SlotTag.window, weightSum != windowWeightedSize {
                problems.append("window weight \(weightSum) recorded \(windowWeightedSize)")
            }
            if tag == SlotTag.protected, weightSum != protectedWeightedSize {
                problems.append("protected weight \(weightSum) recorded \(protectedWeightedSize)")
            }
            totalWeight += weightSum
        }
        if queued != entries { problems.append("policy queues hold \(queued) of \(entries) entries") }
        if totalWeight != weightedSize { problems.append("weights sum to \(totalWeight), recorded \(weightedSize)") }
        if weightedSize > maximum { problems.append("weighted size \(weightedSize) over maximum \(maximum)") }
        if judge.bar < 0 || judge.bar > AdmissionJudge.maximumBar || (!judge.learns && judge.bar != 0) {
            problems.append("admission margin \(judge.bar) out of range (learns: \(judge.learns))")
        }
        if readBufferCount != 0 { problems.append("\(readBufferCount) hits not applied") }
        return problems
    }
}
