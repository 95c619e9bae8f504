import CacheControl
import CacheEngine
import CacheEngineTesting
import Testing

/// The exposition's load latency is a histogram with fixed bounds (so instances aggregate), and
/// its families use the shared metric names.
@Suite("Prometheus exposition")
struct PrometheusExpositionTests {
    @Test func loadLatencyIsAHistogramWithFixedBounds() async throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, shardCount: 1, clock: clock)
        for key in 0..<3 {
            _ = try await cache.value(forKey: key) { key in
                clock.advance(by: .milliseconds(20))
                return key
            }
        }
        let text = PrometheusExposition.render([(name: "c", snapshot: cache.snapshot())])
        #expect(text.contains("# TYPE cache_load_duration_seconds histogram\n"))
        #expect(text.contains("cache_load_duration_seconds_bucket{cache=\"c\",le=\"0.01\"} 0\n"))
        #expect(text.contains("cache_load_duration_seconds_bucket{cache=\"c\",le=\"0.025\"} 3\n"))
        #expect(text.contains("cache_load_duration_seconds_bucket{cache=\"c\",le=\"+Inf\"} 3\n"))
        #expect(text.contains("cache_load_duration_seconds_count{cache=\"c\"} 3\n"))
        #expect(text.contains("cache_load_duration_seconds_sum{cache=\"c\"} 0.06\n"))
        // Every bound of the export appears once, in order.
        let bounds = text.split(separator: "\n").filter { $0.hasPrefix("cache_load_duration_seconds_bucket") }
        #expect(bounds.count == CacheSnapshot.Loads.Latency.exportBoundsSeconds.count + 1)
    }

    @Test func familiesUseTheSharedNames() {
        let names = Set(PrometheusExposition.families.map(\.name))
        for shared in [CacheMetricNames.gets, CacheMetricNames.puts, CacheMetricNames.evictions, CacheMetricNames.size,
                       CacheMetricNames.loads, CacheMetricNames.loadDuration, CacheMetricNames.tasks] {
            #expect(names.contains(shared))
        }
    }
}
