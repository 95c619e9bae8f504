@testable import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// setIfAbsent and compute act as one step per key, never run caller code under a shard lock,
/// and lose no concurrent write.
@Suite("Atomic per-key operations")
struct AtomicOperationsTests {
    @Test func setIfAbsentStoresOnceAndReturnsWhatIsThere() throws {
        let clock = ManualClock()
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: clock)
        #expect(cache.setIfAbsent("a", 1) == nil)
        #expect(cache.setIfAbsent("a", 2) == 1)
        #expect(cache.get("a") == 1)
        // A cached absence and an expired entry hold no value.
        cache.setAbsent("b", ttl: .seconds(30))
        #expect(cache.setIfAbsent("b", 3) == nil)
        #expect(cache.get("b") == 3)
        cache.set("c", 4, ttl: .seconds(1))
        clock.advance(by: .seconds(2))
        #expect(cache.setIfAbsent("c", 5) == nil)
        #expect(cache.get("c") == 5)
        expectConsistent(cache)
    }

    @Test func setIfAbsentHasOneWinnerAmongConcurrentCallers() async throws {
        let cache = try Cache<Int, Int>(capacity: 10_000, clock: ManualClock())
        for key in 0..<200 {
            let winners = await withTaskGroup(of: Bool.self) { group in
                for caller in 0..<8 { group.addTask { cache.setIfAbsent(key, caller) == nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1, "key \(key): \(winners) callers stored")
        }
    }

    @Test func computeReplacesRemovesAndLeavesTheEntryWhenTheTransformThrows() throws {
        struct Refused: Error {}
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        #expect(cache.compute("n") { ($0 ?? 0) + 1 } == 1)
        #expect(cache.compute("n") { ($0 ?? 0) + 1 } == 2)
        #expect(throws: Refused.self) { try cache.compute("n") { _ in throw Refused() } }
        #expect(cache.get("n") == 2)
        #expect(cache.compute("n") { _ in nil } == nil)
        #expect(cache.lookup("n") == .miss)
        #expect(cache.shards[0].withLock { $0.watchedKeys.isEmpty }, "every watch ended")
        expectConsistent(cache)
    }

    @Test func computeRunsWithoutTheShardLock() throws {
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        cache.set(1, 10)
        // Inside the transform, the same shard is free: a read of another key does not deadlock.
        let result = cache.compute(1) { value in (value ?? 0) + (cache.get(2) ?? 5) }
        #expect(result == 15)
    }

    @Test func aWriteDuringTheTransformIsNotLost() throws {
        let cache = try Cache<String, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        cache.set("k", 1)
        var runs: [Int?] = []
        let result = cache.compute("k") { value in
            runs.append(value)
            // Another writer overtakes the first attempt; the compute must see its value.
            if runs.count == 1 { cache.set("k", 100) }
            return (value ?? 0) + 1
        }
        #expect(runs == [1, 100])
        #expect(result == 101)
        #expect(cache.get("k") == 101)
    }

    @Test func concurrentIncrementsLoseNothing() async throws {
        let cache = try Cache<Int, Int>(capacity: 1_000, clock: ManualClock())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for round in 0..<500 { cache.compute(round % 4) { ($0 ?? 0) + 1 } }
                }
            }
        }
        for key in 0..<4 { #expect(cache.get(key) == 1_000) }
        #expect(cache.sumOverShards { $0.watchedKeys.count } == 0)
        expectConsistent(cache)
    }

    @Test func computeUsesTheWeigherAndTheTTL() throws {
        let clock = ManualClock()
        let cache = try Cache<String, [UInt8]>(capacity: 1_000, weigher: { _, bytes in bytes.count },
                                               shardCount: 1, clock: clock)
        cache.compute("blob", ttl: .seconds(5)) { _ in [UInt8](repeating: 1, count: 300) }
        #expect(cache.weightedSize == 300)
        clock.advance(by: .seconds(6))
        #expect(cache.get("blob") == nil)
    }
}
