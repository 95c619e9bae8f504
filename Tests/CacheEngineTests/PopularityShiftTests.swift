@testable import CacheEngine
import CacheEngineTesting
import Testing

/// The shift detector tells a wholesale change of the favourites from a stationary workload, a
/// scan and a partial drift, and the policy's answer lets the new favourites in.
@Suite("Popularity shifts")
struct PopularityShiftTests {
    /// Feeds one period of `requests` requests, `hits` of them hits and `protectedHits` of those
    /// in the protected segment; returns the detector's answer at the period's end.
    static func period(_ detector: inout ShiftDetector, requests: Int, hits: Int, protectedHits: Int) -> ShiftDetector.Response {
        for index in 0..<hits { detector.recordHit(protected: index < protectedHits) }
        var response = ShiftDetector.Response.none
        for _ in 0..<(requests - hits) {
            let answer = detector.recordMiss()
            if answer != .none { response = answer }
        }
        return response
    }

    static func steadyDetector() -> ShiftDetector {
        var detector = ShiftDetector()
        detector.setMaximum(4_000)  // periods of 1,000 requests
        for index in 0..<40 {
            // A protected share of 0.58 to 0.62: a stationary workload's noise.
            let response = period(&detector, requests: 1_000, hits: 700, protectedHits: 580 + (index % 5) * 10)
            #expect(response == .none)
        }
        return detector
    }

    @Test func aStationaryWorkloadIsNeverAShift() {
        var detector = Self.steadyDetector()
        #expect(Self.period(&detector, requests: 1_000, hits: 700, protectedHits: 600) == .none)
        #expect(detector.shifts == 0 && detector.drifts == 0)
    }

    @Test func aCollapseConfirmedByTheNextPeriodIsAShift() {
        var detector = Self.steadyDetector()
        #expect(Self.period(&detector, requests: 1_000, hits: 400, protectedHits: 200) == .none)
        #expect(Self.period(&detector, requests: 1_000, hits: 450, protectedHits: 300) == .shift)
        // Answered once: the new level is the new normal.
        for _ in 0..<10 {
            #expect(Self.period(&detector, requests: 1_000, hits: 450, protectedHits: 300) == .none)
        }
        #expect(detector.shifts == 1)
    }

    @Test func aOnePeriodDipIsNotAShift() {
        var detector = Self.steadyDetector()
        #expect(Self.period(&detector, requests: 1_000, hits: 400, protectedHits: 200) == .none)
        #expect(Self.period(&detector, requests: 1_000, hits: 700, protectedHits: 600) == .none)
        #expect(detector.shifts == 0 && detector.drifts == 0)
    }

    @Test func aScanBreaksAPendingShift() {
        var detector = Self.steadyDetector()
        // The scan's first period: hits diluted; then periods with no hits at all; then its last.
        #expect(Self.period(&detector, requests: 1_000, hits: 300, protectedHits: 250) == .none)
        for _ in 0..<5 {
            #expect(Self.period(&detector, requests: 1_000, hits: 0, protectedHits: 0) == .none)
        }
        #expect(Self.period(&detector, requests: 1_000, hits: 300, protectedHits: 250) == .none)
        #expect(Self.period(&detector, requests: 1_000, hits: 700, protectedHits: 600) == .none)
        #expect(detector.shifts == 0 && detector.drifts == 0)
    }

    @Test func aSustainedPartialDropIsADrift() {
        var detector = Self.steadyDetector()
        // A burst of new hot keys takes 30% of the requests.
        #expect(Self.period(&detector, requests: 1_000, hits: 650, protectedHits: 420) == .none)
        #expect(Self.period(&detector, requests: 1_000, hits: 650, protectedHits: 420) == .drift)
        #expect(detector.drifts == 1 && detector.shifts == 0)
    }

    static let capacity = 2_000

    /// Zipf(0.99) over 50,000 ranks, each rank mapped to a key by `offset`.
    static func zipf(_ count: Int, random: inout WindowAdaptationTests.Requests, offset: Int) -> [Int] {
        WindowAdaptationTests.frequencyPhase(count, random: &random).map { $0 + offset }
    }

    static func hitRatio(_ keys: ArraySlice<Int>, on cache: Cache<Int, Int>) -> Double {
        var hits = 0
        for key in keys {
            if cache.value(forKey: key) != nil { hits += 1 } else { cache.setValue(key, forKey: key) }
        }
        return Double(hits) / Double(keys.count)
    }

    @Test func newFavouritesAreCachedSoonAfterAWholesaleChange() throws {
        let cache = try Cache<Int, Int>(capacity: Self.capacity, shardCount: 1, clock: ManualClock())
        var random = WindowAdaptationTests.Requests(state: 7)
        let before = Self.zipf(300_000, random: &random, offset: 0)
        let settled = Self.hitRatio(before[...], on: cache)
        // The same popularity over keys never seen before.
        let after = Self.zipf(60_000, random: &random, offset: 1_000_000)
        _ = Self.hitRatio(after[..<10_000], on: cache)
        let recovered = Self.hitRatio(after[10_000...], on: cache)
        #expect(cache.popularityChanges.shifts >= 1)
        // Without the detector the sketch and the protected segment keep the old favourites:
        // about 0.055 below the settled ratio over these 50,000 requests; with it, about 0.018.
        #expect(recovered >= settled - 0.035, "hit ratio \(recovered) after the change, \(settled) before")
        expectConsistent(cache)
    }

    @Test func zipfWithScansIsNeverAShift() throws {
        let cache = try Cache<Int, Int>(capacity: Self.capacity, shardCount: 1, clock: ManualClock())
        var random = WindowAdaptationTests.Requests(state: 11)
        var scanKey = 10_000_000
        for _ in 0..<6 {
            _ = Self.hitRatio(Self.zipf(100_000, random: &random, offset: 0)[...], on: cache)
            _ = Self.hitRatio((scanKey..<(scanKey + 20_000))[...].map { $0 }[...], on: cache)
            scanKey += 20_000
        }
        #expect(cache.popularityChanges.shifts == 0)
        #expect(cache.popularityChanges.drifts == 0)
        expectConsistent(cache)
    }
}
