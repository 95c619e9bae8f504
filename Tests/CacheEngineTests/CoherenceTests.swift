import CacheEngine
import CacheEngineTesting
import CacheVocabulary
import Foundation
import Testing

/// The hooks a coherence provider drives: the storing gate and the maximum time to live.
@Suite struct CoherenceTests {
    @Test func stoppingEmptiesTheCacheAndDropsWritesUntilResumed() throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        for key in 0..<100 { cache.setValue("v\(key)", forKey: key) }
        cache.stopStoring()
        #expect(cache.count == 0)
        #expect(!cache.coherence.isStoring)
        cache.setValue("late", forKey: 1)
        cache.setAbsent(forKey: 2, ttl: .seconds(5))
        #expect(cache.value(forKey: 1) == nil)
        #expect(cache.count == 0)
        cache.resumeStoring()
        cache.setValue("fresh", forKey: 1)
        #expect(cache.value(forKey: 1) == "fresh")
    }

    @Test func aLoadWhileNotStoringAnswersItsCallerAndStoresNothing() async throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        cache.stopStoring()
        let loaded = try await cache.value(forKey: 7) { key in "loaded \(key)" }
        #expect(loaded == "loaded 7")
        #expect(cache.count == 0)
    }

    @Test func aLoadInFlightWhenStoringStopsDoesNotStoreItsValue() async throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        async let value = cache.value(forKey: 1) { _ in
            startedContinuation.yield()
            for await _ in release { break }
            return "from before the flush"
        }
        for await _ in started { break }
        cache.stopStoring()
        cache.resumeStoring()
        releaseContinuation.yield()
        #expect(try await value == "from before the flush")
        if case .miss = cache.lookup(forKey: 1) {} else { Issue.record("the load stored its value after the flush") }
    }

    /// Past the serving deadline every read misses and writes are not stored, on the cache's
    /// own clock, with nothing else running: a process resumed after a stop longer than its
    /// lease serves nothing it held. A new verification serves again; no deadline, no effect.
    @Test func pastTheServingDeadlineReadsMissAndWritesAreDropped() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, String>(capacity: 1_000, clock: clock)
        cache.setValue("before", forKey: 1)
        cache.serveVerified(for: .seconds(10))
        #expect(cache.value(forKey: 1) == "before")
        clock.advance(by: .seconds(10))
        #expect(cache.value(forKey: 1) == "before", "the deadline itself still serves")
        clock.advance(by: .milliseconds(1))
        #expect(cache.value(forKey: 1) == nil, "past the deadline the held value is not served")
        cache.setValue("unverified", forKey: 2)
        #expect(cache.value(forKey: 2) == nil)
        cache.serveVerified(for: .seconds(10))
        #expect(cache.value(forKey: 2) == nil, "the write made past the deadline was not stored")
        cache.setValue("verified", forKey: 2)
        #expect(cache.value(forKey: 2) == "verified")
        cache.serveWithoutDeadline()
        clock.advance(by: .seconds(3_600))
        #expect(cache.value(forKey: 2) == "verified")
    }

    /// `Loaded.uncached`: the callers waiting on the load get its value; nothing is stored.
    @Test func anUncachedLoadAnswersItsCallersAndStoresNothing() async throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        let answered = try await cache.value(forKey: 3) { _ in .uncached("from a lagging replica") }
        #expect(answered == "from a lagging replica")
        if case .miss = cache.lookup(forKey: 3) {} else { Issue.record("an uncached answer was stored") }
        #expect(cache.count == 0)
    }

    @Test func theMaximumTimeToLiveBoundsEveryWrite() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, String>(capacity: 1_000, clock: clock)
        cache.coherence.maximumTimeToLive = .seconds(10)
        cache.setValue("no ttl", forKey: 1)
        cache.setValue("long ttl", forKey: 2, ttl: .seconds(3_600))
        cache.setValue("short ttl", forKey: 3, ttl: .seconds(2))
        clock.advance(by: .seconds(3))
        #expect(cache.value(forKey: 1) == "no ttl")
        #expect(cache.value(forKey: 3) == nil)
        clock.advance(by: .seconds(7))
        #expect(cache.value(forKey: 1) == nil)
        #expect(cache.value(forKey: 2) == nil)
    }

    @Test func thePublishedStatusTravelsInTheSnapshotAndItsJSON() throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        #expect(cache.snapshot().coherence == nil)
        let status = CoherenceStatus(namespace: "products", state: .listening, verified: true, appliedSequence: 41,
                                     latestSequence: 43, flushes: ["pruned": 1])
        cache.coherence.publish(status)
        let snapshot = cache.snapshot()
        #expect(snapshot.coherence == status)
        #expect(snapshot.coherence?.lagSequences == 2)
        let decoded = try JSONDecoder().decode(CacheSnapshot.self, from: JSONEncoder().encode(snapshot))
        #expect(decoded.coherence == status)
    }
}
