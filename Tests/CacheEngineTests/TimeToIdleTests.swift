@testable import CacheEngine
import CacheEngineTesting
import Testing

/// Time to idle beside time to live: reads and writes push an entry's deadline forward, never past
/// the end of its time to live; an entry nobody touches is found expired by a read and removed by
/// a sweep; inspection does not count as a touch.
@Suite("Time to idle")
struct TimeToIdleTests {
    @Test func aReadWithinTheIdleTimeKeepsTheEntryAndSilenceExpiresIt() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, timeToIdle: .seconds(10), clock: clock)
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 2)
        for _ in 0..<10 {
            clock.advance(by: .seconds(9))
            #expect(cache.value(forKey: 1) == 1, "read every 9 s, so never idle for 10 s")
        }
        #expect(cache.value(forKey: 2) == nil, "untouched for 90 s")
        clock.advance(by: .seconds(10))
        #expect(cache.value(forKey: 1) == nil, "expires exactly 10 s after its last read")
        #expect(cache.snapshot().counters.evictions.expired == 2)
        expectConsistent(cache)
    }

    @Test func theTimeToLiveStillEndsAnEntryThatIsReadOften() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, defaultTTL: .seconds(30), timeToIdle: .seconds(10), clock: clock)
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 2, ttl: .seconds(5))
        #expect(cache.nextToExpire(2).first?.key == 2, "due at the end of its TTL, before its idle time")
        for _ in 0..<5 {
            clock.advance(by: .seconds(5))
            _ = cache.value(forKey: 1)
        }
        #expect(cache.value(forKey: 2) == nil, "its 5 s TTL ended despite the idle time")
        #expect(cache.value(forKey: 1) == 1, "25 s in, read every 5 s")
        clock.advance(by: .seconds(5))
        #expect(cache.value(forKey: 1) == nil, "30 s after its write its TTL ends, however often it is read")
        expectConsistent(cache)
    }

    @Test func aWriteRestartsTheIdleTime() throws {
        let clock = ManualClock()
        let cache = try Cache<String, Int>(capacity: 100, timeToIdle: .seconds(10), clock: clock)
        cache.setValue(1, forKey: "k")
        clock.advance(by: .seconds(8))
        cache.setValue(2, forKey: "k")
        clock.advance(by: .seconds(8))
        #expect(cache.value(forKey: "k") == 2)
        #expect(cache.setValueIfMissing(3, forKey: "k") == 2, "a set-if-missing that finds the value reads it")
        clock.advance(by: .seconds(9))
        #expect(cache.value(forKey: "k") == 2)
    }

    @Test func idleEntriesLeaveWithTheSweepAndInspectionDoesNotKeepThemAlive() throws {
        let clock = ManualClock()
        let log = RemovalLog<Int, Int>()
        let cache = try Cache<Int, Int>(capacity: 10_000, shardCount: 4, timeToIdle: .seconds(60), clock: clock,
                                        removalListener: log.listener)
        for key in 0..<1_000 { cache.setValue(key, forKey: key) }
        clock.advance(by: .seconds(50))
        for key in 0..<100 { _ = cache.value(forKey: key) }
        // Looking is not using: neither iteration nor inspection moves a deadline.
        cache.forEachEntry { _, _ in }
        _ = cache.hottest(50)
        _ = cache.nextToExpire(50)
        clock.advance(by: .seconds(20))
        let report = cache.sweep()
        #expect(report.removed == 900)
        #expect(cache.count == 100)
        #expect(log.count(.expired) == 900)
        #expect(cache.snapshot().expiry.due.total == 100, "the read entries wait on the wheel")
        clock.advance(by: .seconds(41))
        #expect(cache.sweep().removed == 100)
        expectConsistent(cache)
    }

    @Test func deadlinesSurviveASlabRebuild() throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 4_096, shardCount: 1, timeToIdle: .seconds(10), clock: clock)
        cache.setValue(0, forKey: 0, ttl: .seconds(15))
        // Growing the slab renumbers slots: the limit must move with its entry.
        for key in 1..<4_000 { cache.setValue(key, forKey: key) }
        for _ in 0..<3 {
            clock.advance(by: .seconds(6))
            for key in 0..<4_000 { _ = cache.value(forKey: key) }
        }
        #expect(cache.value(forKey: 0) == nil, "its 15 s TTL ended")
        #expect(cache.count == 3_999)
        expectConsistent(cache)
    }

    @Test func aTimeToIdleOfZeroOrLessIsRefused() {
        for idle: Duration in [.zero, .seconds(-1)] {
            #expect(throws: CacheError.invalidTimeToIdle(idle)) { _ = try Cache<Int, Int>(capacity: 10, timeToIdle: idle) }
        }
    }
}
