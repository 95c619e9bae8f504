@testable import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// The eviction listener runs under the shard lock, as part of the eviction: no other thread can
/// see an entry gone before the listener has been told of it. It hears the cache's own
/// decisions (size, expiry), not the host's removals.
@Suite("Eviction listener")
struct EvictionListenerTests {
    @Test func hearsSizeAndExpiryEvictionsOnly() throws {
        let log = RemovalLog<Int, Int>()
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 10, shardCount: 1, clock: clock, evictionListener: log.listener)
        for key in 0..<20 { cache.setValue(key, forKey: key) }
        #expect(log.count(.size) == 10)
        cache.removeValue(forKey: cache.hottest(1).first!.key)
        #expect(log.count(.explicit) == 0)
        cache.setValue(100, forKey: 100, ttl: .seconds(1))
        clock.advance(by: .seconds(2))
        cache.sweep()
        #expect(log.count(.expired) == 1)
        #expect(log.all.allSatisfy { $0.1 == $0.0 }, "each with its value")
    }

    /// What the listener heard and how far the writer got, shared by the test's tasks.
    final class Progress: Sendable {
        let heard = EngineMutex<Set<Int>>([])
        let written = Atomic<Int>(0)
        /// Set by the reader once it runs, so that the writer does not finish before it starts
        /// (on a slow run, a sanitizer's, the scheduler may otherwise run them one after the other).
        let readerStarted = Atomic<Bool>(false)
    }

    @Test func noReaderSeesAnEntryGoneBeforeTheListenerHeardOfIt() async throws {
        let progress = Progress()
        let cache = try Cache<Int, Int>(capacity: 1_000, shardCount: 4, clock: ManualClock(),
                                        evictionListener: { key, _, _ in progress.heard.withLock { _ = $0.insert(key) } })
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !progress.readerStarted.load(ordering: .acquiring) { await Task.yield() }
                for key in 0..<50_000 {
                    cache.setValue(key, forKey: key)
                    progress.written.store(key + 1, ordering: .releasing)
                }
            }
            group.addTask {
                var checked = 0
                progress.readerStarted.store(true, ordering: .releasing)
                while progress.written.load(ordering: .acquiring) < 50_000 {
                    let upTo = progress.written.load(ordering: .acquiring)
                    guard upTo > 0 else { continue }
                    let key = Int.random(in: 0..<upTo)
                    // The key was written; if it is gone, its eviction was already heard.
                    if cache.value(forKey: key) == nil {
                        #expect(progress.heard.withLock { $0.contains(key) }, "key \(key) gone but not heard")
                    }
                    checked += 1
                }
                #expect(checked > 0)
            }
        }
    }
}
