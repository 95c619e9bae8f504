@testable import CacheEngine
import CacheEngineTesting
import Testing

@Suite("Expiry")
struct ExpiryTests {
    @Test func entriesAreInvisibleFromTheirDeadlineOn() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, clock: clock)
        cache.setValue(1, forKey: 1, ttl: .seconds(10))
        clock.advance(by: .nanoseconds(9_999_999_999))
        #expect(cache.value(forKey: 1) == 1)
        clock.advance(by: .nanoseconds(1))
        #expect(cache.value(forKey: 1) == nil, "visible at its deadline")
        #expect(cache.count == 0, "a read of an expired entry removes it")
        #expect(cache.snapshot().counters.evictions.expired == 1)
    }

    @Test func defaultTTLAppliesAndAnExplicitTTLOverridesIt() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, defaultTTL: .seconds(5), clock: clock)
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 2, ttl: .seconds(60))
        clock.advance(by: .seconds(6))
        #expect(cache.value(forKey: 1) == nil)
        #expect(cache.value(forKey: 2) == 2)
    }

    @Test func sweepWorkFollowsDueEntriesNotCacheSize() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 2_000_000, shardCount: 16, clock: clock)
        for key in 0..<1_000_000 { cache.setValue(key, forKey: key, ttl: .seconds(3_600)) }
        for key in 1_000_000..<1_000_010 { cache.setValue(key, forKey: key, ttl: .seconds(1)) }
        clock.advance(by: .seconds(2))
        let report = cache.sweep()
        #expect(report.removed == 10)
        #expect(report.examined >= 10 && report.examined <= 20, "examined \(report.examined)")
        #expect(cache.count == 1_000_000)
        let due = cache.snapshot().expiry.due
        #expect(due.nextHour == 1_000_000 && due.stale == 0)
    }

    @Test func sweepRemovesEverythingDueAcrossWheelLevels() throws {
        let clock = ManualClock()
        let log = RemovalLog<Int, Int>()
        let cache = try Cache<Int, Int>(capacity: 10_000, shardCount: 4, clock: clock, removalListener: log.listener)
        let ttls: [Duration] = [.milliseconds(300), .seconds(5), .seconds(90), .seconds(4_000), .seconds(200_000), .seconds(900_000)]
        for key in 0..<600 { cache.setValue(key, forKey: key, ttl: ttls[key % ttls.count]) }
        var elapsed: Duration = .zero
        for step: Duration in [.seconds(1), .seconds(10), .seconds(100), .seconds(5_000), .seconds(300_000), .seconds(1_000_000)] {
            clock.advance(by: step)
            elapsed += step
            cache.sweep()
            let stillThere = (0..<600).filter { key in
                ttls[key % ttls.count] <= elapsed && cache.snapshot().count >= 0 && log.all.contains { $0.0 == key } == false
            }
            #expect(stillThere.isEmpty, "after \(elapsed) due entries remain: \(stillThere.prefix(5))")
            expectConsistent(cache)
        }
        #expect(cache.count == 0)
        #expect(log.count(.expired) == 600)
    }

    @Test func runSweepsPeriodicallyOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, sweepInterval: .seconds(1), clock: clock)
        cache.setValue(1, forKey: 1, ttl: .milliseconds(1_500))
        let service = Task { try await cache.run() }
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(1))
        #expect(await clock.waitForSleepers(1))
        #expect(cache.count == 1)
        clock.advance(by: .seconds(1))
        #expect(await eventually { cache.sweepRuns >= 2 })
        #expect(cache.count == 0, "the sweeper removed the entry without any read")
        service.cancel()
        try await service.value
    }
}
