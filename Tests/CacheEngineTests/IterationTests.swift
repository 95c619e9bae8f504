@testable import CacheEngine
import CacheEngineTesting
import Testing

/// Iteration and removal by predicate: every live entry once, nothing counted as a use, caller
/// code outside the locks, and a concurrent write wins over a removal decided before it.
@Suite("Iteration and removal by predicate")
struct IterationTests {
    @Test func everyEntryWithAValueIsVisitedOnceWithoutTouchingThePolicy() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 10_000, shardCount: 4, clock: clock)
        for key in 0..<3_000 { cache.setValue(key * 2, forKey: key) }
        cache.setAbsent(forKey: -1, ttl: .seconds(60))
        cache.setValue(0, forKey: -2, ttl: .seconds(1))
        clock.advance(by: .seconds(2))
        let before = cache.snapshot().counters
        var seen: [Int: Int] = [:]
        cache.forEachEntry { key, value in
            #expect(seen[key] == nil, "key \(key) visited twice")
            seen[key] = value
        }
        #expect(seen.count == 3_000)
        #expect(seen.allSatisfy { $0.value == $0.key * 2 })
        let after = cache.snapshot().counters
        #expect(after.hits == before.hits && after.misses == before.misses)
    }

    @Test func aSlabRebuildDuringIterationNeitherRepeatsNorSkips() throws {
        let cache = try Cache<Int, Int>(capacity: 100_000, shardCount: 1, clock: ManualClock())
        for key in 0..<600 { cache.setValue(key, forKey: key) }
        var seen = Set<Int>()
        var added = false
        cache.forEachEntry { key, _ in
            #expect(seen.insert(key).inserted, "key \(key) visited twice")
            if !added {
                added = true
                // Enough new keys to grow the slab, which renumbers every slot.
                for extra in 10_000..<30_000 { cache.setValue(extra, forKey: extra) }
            }
        }
        #expect(cache.shards[0].withLock { $0.slabGeneration } > 0, "the slab was rebuilt")
        #expect(seen.isSuperset(of: 0..<600))
    }

    @Test func removeAllWhereRemovesMatchesAndReportsThem() throws {
        let log = RemovalLog<Int, Int>()
        let cache = try Cache<Int, Int>(capacity: 10_000, shardCount: 4, clock: ManualClock(),
                                        removalListener: log.listener)
        for key in 0..<1_000 { cache.setValue(key, forKey: key) }
        let removed = cache.removeAll { key, _ in key % 3 == 0 }
        #expect(removed == 334)
        #expect(cache.count == 666)
        #expect(log.count(.explicit) == 334)
        #expect(cache.value(forKey: 3) == nil && cache.value(forKey: 4) == 4)
        #expect(cache.sumOverShards { $0.watchedKeys.count } == 0)
        expectConsistent(cache)
    }

    @Test func aWriteBetweenTheTestAndTheRemovalWins() throws {
        let cache = try Cache<Int, Int>(capacity: 1_000, shardCount: 1, clock: ManualClock())
        for key in 0..<10 { cache.setValue(0, forKey: key) }
        let removed = cache.removeAll { key, value in
            // Decided on the old value; the write that follows must survive.
            if key == 5 { cache.setValue(99, forKey: 5) }
            return value == 0
        }
        #expect(removed == 9)
        #expect(cache.value(forKey: 5) == 99)
    }
}
