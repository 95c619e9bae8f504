@testable import CacheEngine
import CacheEngineTesting
import Testing

/// Hits on a shard below half full mark their entries and are applied when the shard reaches
/// half full (`ShardPolicy+DeferredHits.swift`). Each cache here has one shard of 1,000
/// entries: a window of 10, settling at 500.
@Suite("Deferred hits")
struct DeferredHitsTests {
    static func makeCache() throws -> Cache<Int, Int> {
        try Cache<Int, Int>(capacity: 1_000, shardCount: 1, clock: ManualClock())
    }

    /// Marked, not promoted, while the shard is small; promoted once it is half full. Between
    /// the reads and the settling the slab grows, which renumbers the slots, so the marks must
    /// move with their entries. An engine that dropped deferred hits, or left the marks on the
    /// old slot numbers, would leave the read keys in probation.
    @Test func hitsMarkBelowHalfFullAndPromoteAtHalfFull() throws {
        let cache = try Self.makeCache()
        for key in 0..<200 { cache.setValue(key, forKey: key) }
        let slabBefore = cache.slabSlots
        for key in 0..<50 { #expect(cache.value(forKey: key) == key) }
        for key in 0..<50 {
            let place = cache.policyPlace(of: key)
            #expect(place?.queue == SlotTag.probation && place?.marked == true, "key \(key): \(String(describing: place))")
        }
        expectConsistent(cache)

        for key in 200..<499 { cache.setValue(key, forKey: key) }
        #expect(cache.slabSlots > slabBefore, "the slab grew, renumbering the slots")
        #expect(cache.hasDeferredHits, "still below half full")
        cache.setValue(499, forKey: 499)
        cache.setValue(500, forKey: 500)
        #expect(!cache.hasDeferredHits, "settled at half full")
        for key in 0..<50 {
            let place = cache.policyPlace(of: key)
            #expect(place?.queue == SlotTag.protected && place?.marked == false, "key \(key): \(String(describing: place))")
        }
        #expect(cache.policyPlace(of: 60)?.queue == SlotTag.probation, "an unread key stays in probation")
        expectConsistent(cache)
    }

    /// A resize that puts the shard past half full settles its marks before it evicts, so the
    /// entries read survive a shrink that evicts most of the others.
    @Test func aShrinkSettlesTheMarksBeforeItEvicts() throws {
        let cache = try Self.makeCache()
        for key in 0..<400 { cache.setValue(key, forKey: key) }
        for _ in 0..<2 { for key in 0..<20 { #expect(cache.value(forKey: key) == key) } }
        #expect(try cache.resize(capacity: 100).newCapacity == 100)
        #expect(!cache.hasDeferredHits)
        let kept = (0..<20).filter { cache.entryInfo(forKey: $0) != nil }.count
        #expect(kept == 20, "\(20 - kept) of the 20 keys read before the shrink were evicted")
        expectConsistent(cache)
    }

    /// From half full on, a hit reorders at once: nothing is marked.
    @Test func hitsAtHalfFullApplyAtOnce() throws {
        let cache = try Self.makeCache()
        for key in 0..<600 { cache.setValue(key, forKey: key) }
        #expect(cache.value(forKey: 0) == 0)
        let place = cache.policyPlace(of: 0)
        #expect(place?.queue == SlotTag.protected && place?.marked == false, "\(String(describing: place))")
        #expect(!cache.hasDeferredHits)
    }

    /// Below half full the sketch does not count and hits do not move entries, so the hottest
    /// entries are those marked as read, even deep in probation; the newest entries, never
    /// read, rank after them.
    @Test func theHottestBelowHalfFullAreTheEntriesRead() throws {
        let cache = try Self.makeCache()
        for key in 0..<300 { cache.setValue(key, forKey: key) }
        for _ in 0..<3 { for key in 0..<5 { #expect(cache.value(forKey: key) == key) } }
        #expect(Set(cache.hottest(5).map(\.key)) == Set(0..<5))
        #expect(cache.hasDeferredHits, "inspection settles nothing")
    }

    /// The window's oldest entry, read while hits are deferred, is kept in the window when it
    /// overflows, as an exact reorder would have kept it; the next oldest moves to probation.
    @Test func aMarkedWindowEntryGetsASecondChance() throws {
        let cache = try Self.makeCache()
        for key in 0..<10 { cache.setValue(key, forKey: key) }
        #expect(cache.value(forKey: 0) == 0)
        #expect(cache.policyPlace(of: 0)?.marked == true)
        cache.setValue(10, forKey: 10)
        let place = cache.policyPlace(of: 0)
        #expect(place?.queue == SlotTag.window && place?.marked == false, "\(String(describing: place))")
        #expect(cache.policyPlace(of: 1)?.queue == SlotTag.probation)
        expectConsistent(cache)
    }
}

@Suite("Reference marks")
struct ReferenceMarksTests {
    @Test func marksGrowClearAndRenumber() {
        var marks = ReferenceMarks()
        defer { marks.deallocate() }
        #expect(!marks.pending && !marks.isMarked(3))
        marks.mark(3)
        marks.mark(5_000)
        #expect(marks.pending && marks.isMarked(3) && marks.isMarked(5_000))
        #expect(!marks.isMarked(4) && !marks.isMarked(4_999) && !marks.isMarked(1 << 20))
        marks.clear(3)
        #expect(!marks.isMarked(3) && marks.isMarked(5_000))

        marks.mark(7)
        var newSlots = [Int32](repeating: -1, count: 5_001)
        newSlots[7] = 1
        newSlots[5_000] = 2
        marks.renumber(SlotRenumbering(newSlots: newSlots, capacity: 8))
        #expect(marks.isMarked(1) && marks.isMarked(2))
        #expect(!marks.isMarked(7) && !marks.isMarked(5_000))

        #expect(marks.marked(limit: 1, below: 8) == [1])
        #expect(marks.marked(limit: 5, below: 8) == [1, 2])
        #expect(marks.marked(limit: 5, below: 2) == [1])

        marks.clearAll()
        #expect(!marks.pending && !marks.isMarked(1) && !marks.isMarked(2))
    }
}
