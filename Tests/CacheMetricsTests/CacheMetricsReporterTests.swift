import CacheEngine
import CacheEngineTesting
import CacheMetrics
import CoreMetrics
import Logging
import MetricsTestKit
import Testing

/// The swift-metrics bridge reports a cache's figures under the shared names, counters as
/// increases (so a backend's totals equal the cache's counts), on its interval, and stops when
/// cancelled. All on a manual clock.
@Suite("Metrics bridge")
struct CacheMetricsReporterTests {
    static let logger = Logger(label: "test")

    static func counter(_ metrics: TestMetrics, _ label: String, _ dimensions: [(String, String)]) throws -> Int64 {
        try metrics.expectCounter(label, dimensions).totalValue
    }

    @Test func countersAreIncreasesAndGaugesAreLevels() throws {
        let metrics = TestMetrics()
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        let reporter = CacheMetricsReporter(cache: cache, name: "users", factory: metrics, logger: Self.logger)
        for key in 0..<3 { cache.setValue(key, forKey: key) }
        _ = cache.value(forKey: 0)
        _ = cache.value(forKey: 1)
        _ = cache.value(forKey: 9)
        reporter.report()
        let users = ("cache", "users")
        #expect(try Self.counter(metrics, CacheMetricNames.gets, [users, ("result", "hit")]) == 2)
        #expect(try Self.counter(metrics, CacheMetricNames.gets, [users, ("result", "miss")]) == 1)
        #expect(try Self.counter(metrics, CacheMetricNames.puts, [users]) == 3)
        #expect(try metrics.expectGauge(CacheMetricNames.size, [users]).lastValue == 3)
        #expect(try metrics.expectGauge(CacheMetricNames.capacity, [users]).lastValue == 100)

        // A second report adds only what happened since the first.
        _ = cache.value(forKey: 2)
        cache.removeValue(forKey: 0)
        reporter.report()
        #expect(try Self.counter(metrics, CacheMetricNames.gets, [users, ("result", "hit")]) == 3)
        #expect(try Self.counter(metrics, CacheMetricNames.puts, [users]) == 3)
        #expect(try Self.counter(metrics, CacheMetricNames.evictions, [users, ("cause", "explicit")]) == 1)
        #expect(try metrics.expectGauge(CacheMetricNames.size, [users]).lastValue == 2)
    }

    @Test func loadDurationsReachTheTimer() async throws {
        let metrics = TestMetrics()
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: clock)
        let reporter = CacheMetricsReporter(cache: cache, name: "c", factory: metrics, logger: Self.logger)
        for key in 0..<4 {
            _ = try await cache.value(forKey: key) { key in
                clock.advance(by: .milliseconds(20))
                return key
            }
        }
        reporter.report()
        let timer = try metrics.expectTimer(CacheMetricNames.loadDuration, [("cache", "c")])
        #expect(timer.values.count == 4)
        for value in timer.values {
            // The engine's histogram buckets are about 19% wide; the timer gets the bucket's bound.
            #expect(value >= 20_000_000 && value <= 24_000_000, "recorded \(value) ns for a 20 ms load")
        }
        #expect(try Self.counter(metrics, CacheMetricNames.loads, [("cache", "c"), ("result", "success")]) == 4)
        reporter.report()
        #expect(try metrics.expectTimer(CacheMetricNames.loadDuration, [("cache", "c")]).values.count == 4)
    }

    @Test func runReportsEveryIntervalAndEndsWhenCancelled() async throws {
        let metrics = TestMetrics()
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: ManualClock())
        let reporter = CacheMetricsReporter(
            cache: cache, name: "c", interval: .seconds(10), clock: clock, factory: metrics, logger: Self.logger)
        cache.setValue(1, forKey: 1)
        let running = Task { try await reporter.run() }
        #expect(await clock.waitForSleepers(1))
        #expect(try Self.counter(metrics, CacheMetricNames.puts, [("cache", "c")]) == 1)

        cache.setValue(2, forKey: 2)
        clock.advance(by: .seconds(10))
        // The reporter wakes, reports, and sleeps again.
        var reported = false
        for _ in 0..<10_000 where !reported {
            reported = (try? Self.counter(metrics, CacheMetricNames.puts, [("cache", "c")])) == 2 && clock.sleeperCount == 1
            if !reported { await Task.yield() }
        }
        #expect(reported)

        running.cancel()
        try await running.value
        #expect(clock.sleeperCount == 0)
    }
}
