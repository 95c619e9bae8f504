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
