@testable import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// setValueIfMissing and computeValue act as one step per key, never run caller code under a shard lock,
/// and lose no concurrent write.
@Suite("Atomic per-key operations")
struct AtomicOperationsTests {
    @Test func setValueIfMissingStoresOnceAndReturnsWhatIsThere() throws {
        let clock = ManualClock()
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: clock)
        #expect(cache.setValueIfMissing(1, forKey: "a") == nil)
        #expect(cache.setValueIfMissing(2, forKey: "a") == 1)
        #expect(cache.value(forKey: "a") == 1)
        // A cached absence and an expired entry hold no value.
        cache.setAbsent(forKey: "b", ttl: .seconds(30))
        #expect(cache.setValueIfMissing(3, forKey: "b") == nil)
        #expect(cache.value(forKey: "b") == 3)
        cache.setValue(4, forKey: "c", ttl: .seconds(1))
        clock.advance(by: .seconds(2))
        #expect(cache.setValueIfMissing(5, forKey: "c") == nil)
        #expect(cache.value(forKey: "c") == 5)
        expectConsistent(cache)
    }

    @Test func setValueIfMissingHasOneWinnerAmongConcurrentCallers() async throws {
        let cache = try Cache<Int, Int>(capacity: 10_000, clock: ManualClock())
        for key in 0..<200 {
            let winners = await withTaskGroup(of: Bool.self) { group in
                for caller in 0..<8 { group.addTask { cache.setValueIfMissing(caller, forKey: key) == nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1, "key \(key): \(winners) callers stored")
        }
    }

    @Test func computeReplacesRemovesAndLeavesTheEntryWhenTheTransformThrows() throws {
        struct Refused: Error {}
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        #expect(cache.computeValue(forKey: "n") { ($0 ?? 0) + 1 } == 1)
        #expect(cache.computeValue(forKey: "n") { ($0 ?? 0) + 1 } == 2)
        #expect(throws: Refused.self) { try cache.computeValue(forKey: "n") { _ in throw Refused() } }
        #expect(cache.value(forKey: "n") == 2)
        #expect(cache.computeValue(forKey: "n") { _ in nil } == nil)
        #expect(cache.lookup(forKey: "n") == .miss)
        #expect(cache.shards[0].withLock { $0.watchedKeys.isEmpty }, "every watch ended")
        expectConsistent(cache)
    }

    @Test func computeRunsWithoutTheShardLock() throws {
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        cache.setValue(10, forKey: 1)
        // Inside the transform, the same shard is free: a read of another key does not deadlock.
        let result = cache.computeValue(forKey: 1) { value in (value ?? 0) + (cache.value(forKey: 2) ?? 5) }
        #expect(result == 15)
    }

    @Test func aWriteDuringTheTransformIsNotLost() throws {
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        cache.setValue(1, forKey: "k")
        var runs: [Int?] = []
        let result = cache.computeValue(forKey: "k") { value in
            runs.append(value)
            // Another writer overtakes the first attempt; the compute must see its value.
            if runs.count == 1 { cache.setValue(100, forKey: "k") }
            return (value ?? 0) + 1
        }
        #expect(runs == [1, 100])
        #expect(result == 101)
        #expect(cache.value(forKey: "k") == 101)
    }

    @Test func concurrentIncrementsLoseNothing() async throws {
        let cache = try Cache<Int, Int>(capacity: 1_000, clock: ManualClock())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for round in 0..<500 { cache.computeValue(forKey: round % 4) { ($0 ?? 0) + 1 } }
                }
            }
        }
        for key in 0..<4 { #expect(cache.value(forKey: key) == 1_000) }
        #expect(cache.sumOverShards { $0.watchedKeys.count } == 0)
        expectConsistent(cache)
    }

    @Test func computeUsesTheWeigherAndTheTTL() throws {
        let clock = ManualClock()
        let cache = try Cache<String, [UInt8]>(capacity: 1_000, weigher: { _, bytes in bytes.count },
                                               shardCount: 1, clock: clock)
        cache.computeValue(forKey: "blob", ttl: .seconds(5)) { _ in [UInt8](repeating: 1, count: 300) }
        #expect(cache.weightedSize == 300)
        clock.advance(by: .seconds(6))
        #expect(cache.value(forKey: "blob") == nil)
    }
}
