@_spi(Benchmark) @testable import CacheEngine
import CacheEngineTesting
import Foundation
import Synchronization
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    /// The gcache failure: a write storm must never push the count past capacity.
    @Test func writeStormNeverOverrunsCapacity() throws {
        let capacity = 100_000
        let cache = try Cache<UInt64, UInt64>(capacity: capacity)
        let writesPerThread = 5_000_000
        let done = Counter()
        let maxSeen = Counter()
        let samples = Counter()
        let rssAtFill = Counter()
        let group = DispatchGroup()
        for thread in 0..<2 {
            DispatchQueue.global().async(group: group) {
                var key = UInt64(thread) << 40
                for _ in 0..<writesPerThread {
                    cache.setValue(key, forKey: key)
                    key &+= 1
                }
                done.increment()
            }
        }
        let sampler = DispatchGroup()
        DispatchQueue.global().async(group: sampler) {
            while done.value < 2 {
                let count = cache.count
                maxSeen.raise(to: count)
                samples.increment()
                if count == capacity, rssAtFill.value == 0 {
                    rssAtFill.store(ProcessStatistics.residentBytes())
                }
            }
        }
        group.wait()
        sampler.wait()
        let rssEnd = ProcessStatistics.residentBytes()
        #expect(samples.value > 0)
        #expect(maxSeen.value <= capacity, "sampled count \(maxSeen.value)")
        #expect(cache.count == capacity)
        expectConsistent(cache) // includes: no shard's slab grew past its capacity + 1
        print("write storm: 10,000,000 writes, \(samples.value) samples, max count \(maxSeen.value) of \(capacity), RSS at fill \(rssAtFill.value / 1_048_576) MiB, at end \(rssEnd / 1_048_576) MiB")
    }

    /// Several threads doing mixed operations on overlapping keys; the structure stays sound.
    @Test func mixedOperationsFromSeveralThreads() throws {
        let clock = ManualClock()
        let log = RemovalLog<Int, Int>()
        let cache = try Cache<Int, Int>(capacity: 5_000, shardCount: 4, clock: clock, removalListener: log.listener)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var random = SeededGenerator(seed: UInt64(thread + 1))
            for step in 0..<100_000 {
                let key = Int.random(in: 0..<20_000, using: &random)
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5: _ = cache.value(forKey: key)
                case 5..<8: cache.setValue(key, forKey: key, ttl: step % 3 == 0 ? .seconds(1) : nil)
                case 8: cache.removeValue(forKey: key)
                default:
                    if thread == 0, step % 1_000 == 0 {
                        clock.advance(by: .milliseconds(300))
                        cache.sweep()
                    } else if thread == 1, step % 5_000 == 0 {
                        _ = try? cache.resize(capacity: Int.random(in: 1_000...8_000, using: &random))
                    } else {
                        _ = cache.snapshot().count
                    }
                }
            }
        }
        #expect(cache.count <= cache.capacity)
        expectConsistent(cache)
        for (key, value, _) in log.all { #expect(value == nil || value == key) }
    }
}

/// Readers that take no lock, against a writer that keeps replacing the memory they read.
@Suite("Lock-free reads")
struct LockFreeReadTests {
    /// Two readers and a writer on a cache whose slabs and indexes keep growing, compacting
    /// and being rebuilt (resizes, bulk removals): a reader sees a key only with the value
    /// written for it, never a torn or a neighbour's one, and once the readers are gone every
    /// replaced slab and index is freed.
    @Test func readersSeeOnlyWrittenValuesWhileMemoryIsReplaced() throws {
        let cache = try Cache<Int, Int>(capacity: 40_000, shardCount: 4)
        let done = Atomic<Bool>(false)
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 3) { thread in
            var random = SeededGenerator(seed: UInt64(thread + 11))
            if thread == 0 {
                for round in 0..<30 {
                    for _ in 0..<20_000 {
                        let key = Int.random(in: 0..<60_000, using: &random)
                        if Int.random(in: 0..<10, using: &random) == 0 {
                            cache.removeValue(forKey: key)
                        } else {
                            cache.setValue(key &* 3 &+ 1, forKey: key)
                        }
                    }
                    _ = try? cache.resize(capacity: round % 2 == 0 ? 2_000 : 40_000)
                    if round % 7 == 6 { cache.removeAll() }
                }
                done.store(true, ordering: .releasing)
            } else {
                while !done.load(ordering: .acquiring) {
                    for _ in 0..<1_000 {
                        let key = Int.random(in: 0..<60_000, using: &random)
                        if let value = cache.value(forKey: key), value != key &* 3 &+ 1 {
                            wrong.wrappingAdd(1, ordering: .relaxed)
                        }
                    }
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(cache.lockFreeReads.hits > 0)
        _ = cache.sweep() // no reader in flight: everything retired is freed
        #expect(cache.retiredAllocations == 0)
        expectConsistent(cache)
    }

    /// A new one-word value for a key that holds a value is stored in place: readers of the
    /// shard are not told of a change (they would retry under the lock). Anything a reader
    /// could see half-done still is: a two-word value, a cached absence turning into a value,
    /// an entry with a deadline for readers, a new entry.
    @Test func oneWordValueReplacementsLeaveReadersUndisturbed() throws {
        let words = try Cache<Int, Int>(capacity: 1_000, shardCount: 1)
        words.setValue(1, forKey: 7)
        var changes = words.readerVisibleChanges
        words.setValue(2, forKey: 7)
        #expect(words.readerVisibleChanges == changes)
        #expect(words.value(forKey: 7) == 2)

        words.setAbsent(forKey: 8, ttl: .seconds(60))
        changes = words.readerVisibleChanges
        words.setValue(3, forKey: 8)
        #expect(words.readerVisibleChanges > changes, "an absence became a value")
        changes = words.readerVisibleChanges
        words.setValue(4, forKey: 8)
        #expect(words.readerVisibleChanges > changes, "the shard keeps deadlines for readers")
        #expect(words.value(forKey: 8) == 4)

        struct Pair: Hashable { var low: Int, high: Int }
        let pairs = try Cache<Int, Pair>(capacity: 1_000, shardCount: 1)
        pairs.setValue(Pair(low: 1, high: 1), forKey: 7)
        changes = pairs.readerVisibleChanges
        pairs.setValue(Pair(low: 2, high: 2), forKey: 7)
        #expect(pairs.readerVisibleChanges > changes, "a two-word value could be read torn")
        #expect(pairs.value(forKey: 7) == Pair(low: 2, high: 2))
    }

    /// A writer rewrites 64 keys round after round, key 0 to key 63, each value carrying its
    /// key and round, while readers read without the lock. A reader sees only a value written
    /// for its key, never an older round of a key after a newer one, and after reading key 63
    /// in round r, never key 0 in a round before r (the writer stored it first): in-place
    /// stores are published in the order they were made.
    @Test func inPlaceReplacementsAreSeenWholeAndInOrder() throws {
        let cache = try Cache<Int, Int>(capacity: 10_000, shardCount: 4)
        let keys = 64, rounds = 20_000
        for key in 0..<keys { cache.setValue(key << 32, forKey: key) }
        let done = Atomic<Bool>(false)
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 3) { thread in
            if thread == 0 {
                for round in 1...rounds {
                    for key in 0..<keys { cache.setValue(key << 32 | round, forKey: key) }
                }
                done.store(true, ordering: .releasing)
                return
            }
            // Each reader reads at least a few thousand values, even one started late.
            var latest = [Int](repeating: 0, count: keys)
            var passes = 0
            while passes < 100 || !done.load(ordering: .acquiring) {
                passes += 1
                for key in [keys - 1, 0] + (1..<keys - 1) {
                    guard let value = cache.value(forKey: key) else {
                        wrong.wrappingAdd(1, ordering: .relaxed)
                        continue
                    }
                    let round = value & 0xFFFF_FFFF
                    if value >> 32 != key || round < latest[key] { wrong.wrappingAdd(1, ordering: .relaxed) }
                    latest[key] = round
                    if key == 0, round < latest[keys - 1] { wrong.wrappingAdd(1, ordering: .relaxed) }
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(cache.lockFreeReads.hits > 0)
        for key in 0..<keys { #expect(cache.value(forKey: key) == key << 32 | rounds) }
        expectConsistent(cache)
    }

    /// Which types are read without the lock: trivially copyable keys and values in whole words.
    @Test func onlyWordCopyableTypesAreReadWithoutTheLock() {
        #expect(Cache<UInt64, UInt64>.readsWithoutLock)
        #expect(Cache<Int, Double>.readsWithoutLock)
        #expect(Cache<Int32, Int32>.readsWithoutLock)
        #expect(!Cache<String, Int>.readsWithoutLock)
        #expect(!Cache<Int, [Int]>.readsWithoutLock)
        #expect(!Cache<Int, Bool>.readsWithoutLock)
    }
}
