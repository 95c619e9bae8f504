/// Self-checks of the storage's structure, for tests: O(slots + index size).
extension SlotStorage {
    /// Every violated invariant of the slab, the free list and the index, described; empty
    /// when they are consistent. `maximum` is the shard's capacity.
    func invariantViolations(maximum: Int) -> [String] {
        var problems: [String] = []
        var live = 0
        for slot in 0..<slabCapacity where links[slot].tag != SlotTag.free {
            live += 1
            let key = key(at: Int32(slot))
            let found = probe(key, hash: KeyHash(key)).slot
            if found != Int32(slot) { problems.append("slot \(slot) not reachable through the index (found \(found))") }
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
        if slabCapacity > maximum + 1, !weighted, slabCapacity > 8 {
            problems.append("slab capacity \(slabCapacity) exceeds the entry capacity \(maximum) + 1")
        }
        var indexed = 0
        var tombstonesSeen = 0
        for position in 0...tableMask {
            if table[position] >= 0 { indexed += 1 }
            if table[position] == Self.tombstone { tombstonesSeen += 1 }
        }
        if indexed != count { problems.append("index holds \(indexed) slots for \(count) entries") }
        if tombstonesSeen != tombstones { problems.append("tombstones \(tombstones) recorded, \(tombstonesSeen) present") }
        return problems
    }
}
