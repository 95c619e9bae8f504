import CacheDashboard
import CacheEngine
import Foundation

/// The cost of drawing one dashboard frame (layout, every panel, the graphs) into the cell
/// buffer, against the floor any renderer pays: writing every cell of a buffer of that size.
enum RenderMode {
    static func run(width: Int, height: Int, frames: Int) {
        var state = DashboardState(glyphs: Glyphs(graph: .braille))
        let samples = syntheticSamples(count: DashboardState.historyLimit)
        for sample in samples { state.ingest(sample) }
        let frameTime = samples.last!.time

        var floor: [Double] = []
        var rendered: [Double] = []
        var checksum = 0
        for _ in 0..<frames {
            let started = now()
            var buffer = CellBuffer(width: width, height: height)
            buffer.fill(Rect(x: 0, y: 0, width: width, height: height), "x")
            floor.append((now() - started) * 1e6)
            checksum &+= Int(buffer[width - 1, height - 1].scalar.value)
        }
        for _ in 0..<frames {
            let started = now()
            let frame = DashboardView.render(state, width: width, height: height, now: frameTime)
            rendered.append((now() - started) * 1e6)
            checksum &+= Int(frame[width / 2, height / 2].scalar.value)
        }
        precondition(checksum != 0)
        let p50 = percentile(rendered, 0.5), p99 = percentile(rendered, 0.99)
        emit(["mode": "render", "path": "fill every cell (floor)", "width": width, "height": height, "frames": frames,
              "p50_us": percentile(floor, 0.5), "p99_us": percentile(floor, 0.99)])
        emit(["mode": "render", "path": "DashboardView.render", "width": width, "height": height, "frames": frames,
              "samples": samples.count, "p50_us": p50, "p99_us": p99, "max_us": rendered.max() ?? 0,
              "p50_vs_floor": p50 / max(percentile(floor, 0.5), 1e-9)])
    }

    /// A warm cache's samples, one a second: growing counters, 16 shards, a live expiry queue.
    static func syntheticSamples(count: Int) -> [DashboardSample] {
        let cache = try! Cache<UInt64, UInt64>(capacity: 200_000, shardCount: 16)
        var samples: [DashboardSample] = []
        var key: UInt64 = 0
        for index in 0..<count {
            for _ in 0..<200 {
                key &+= 1
                let probe = SplitMix64.mix(key) % 300_000
                if cache.value(forKey: probe) == nil { cache.setValue(probe, forKey: probe, ttl: .seconds(Int64(probe % 600 + 1))) }
            }
            var snapshot = cache.snapshot()
            snapshot.unixTimeMilliseconds = Int64(1_763_900_000 + index) * 1000
            samples.append(DashboardSample(
                time: Double(1_763_900_000 + index), target: TargetInfo(name: "bench", pid: 1, uid: 0),
                snapshot: snapshot,
                expiring: cache.nextToExpire(8).map { .init(key: "key:\($0.key)", timeLeftMilliseconds: 1_000) }))
        }
        return samples
    }

    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
