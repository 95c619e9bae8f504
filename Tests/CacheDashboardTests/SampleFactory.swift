@testable import CacheDashboard
import CacheVocabulary
import Foundation

/// Deterministic samples: a cache warming up over `count` one-second polls, with eight shards,
/// a live expiry queue, loaders and a load generator.
enum SampleFactory {
    static let start = 1_763_900_000.0

    static func sequence(count: Int, shards: Int = 8, capacity: Int = 100_000) -> [DashboardSample] {
        (0..<count).map { sample($0, shards: shards, capacity: capacity) }
    }

    static func sample(_ index: Int, shards: Int = 8, capacity: Int = 100_000, tasks: [String: Int]? = nil,
                       inFlight: Int? = nil) -> DashboardSample {
        let reads = 20_000 * index
        // The hit ratio climbs from 50 % towards 85 % as the cache warms.
        let ratio = 0.85 - 0.35 / Double(1 + index)
        let hits = Int(Double(reads) * ratio)
        var counters = CacheSnapshot.Counters()
        counters.hits = hits
        counters.misses = reads - hits
        counters.puts = reads - hits + 2_000 * index
        counters.evictions.size = max(0, 3_000 * (index - 4))
        counters.evictions.expired = 500 * index
        counters.evictions.explicit = 10 * index
        counters.replaced = 100 * index
        let count = min(capacity, 6_000 * index)
        let shardFigures = (0..<shards).map { shard -> CacheSnapshot.Shard in
            let extra: Int = shard == 3 ? count / 40 : 0
            let shardCount: Int = count / shards + extra
            let shardHits: Int = hits / shards * (shard == 3 ? 2 : 1)
            return CacheSnapshot.Shard(index: shard, count: shardCount, capacity: capacity / shards, weightedSize: shardCount,
                                       windowCapacity: capacity / shards / 100, hits: shardHits, misses: (reads - hits) / shards)
        }
        var due = ExpiryHorizons()
        due.nextSecond = 120 + index
        due.nextMinute = 9_000 + 10 * index
        due.nextHour = 4_000
        due.nextDay = 300
        due.later = 12
        due.stale = index % 3
        let inFlightNow: Int = inFlight ?? (120 + index % 7)
        let failures: Int = index / 4
        let successes: Int = (reads - hits) * 9 / 10
        let latency = CacheSnapshot.Loads.Latency(count: successes, p50Nanoseconds: 21_000_000, p99Nanoseconds: 25_500_000,
                                                  maxNanoseconds: 31_000_000, totalNanoseconds: Int64(reads) * 21_000)
        let loads = CacheSnapshot.Loads(inFlight: inFlightNow, waiters: inFlightNow + 40, successes: successes, failures: failures, latency: latency)
        let sweeps = CacheSnapshot.Expiry.Sweeps(runs: index, last: SweepReport(examined: 1_500, removed: 1_200, durationNanoseconds: 2_400_000),
                                                 totalExamined: 1_500 * index, totalRemoved: 1_200 * index)
        let taskCounts: [String: Int] = tasks ?? ["sweeper": 1, "loader": 120 + index % 7, "workload": 4, "connection": 1]
        let process = ProcessStatistics(residentBytes: 40_000_000 + 43 * count, threads: 6, openFileDescriptors: 12)
        let snapshot = CacheSnapshot(
            sequence: UInt64(index + 1), unixTimeMilliseconds: Int64((start + Double(index)) * 1000),
            clockNanoseconds: Int64(index) * 1_000_000_000, uptimeNanoseconds: Int64(index + 60) * 1_000_000_000,
            policy: .windowTinyLFU, capacityUnit: .entries, capacity: capacity, count: count, weightedSize: count,
            counters: counters, shards: shardFigures,
            expiry: CacheSnapshot.Expiry(due: due, sweeps: sweeps), loads: loads, tasks: taskCounts, process: process)
        let expiring = (0..<6).map { DashboardSample.ExpiringEntry(key: "user:\(1_000 + $0 * 37)", timeLeftMilliseconds: Int64(400 + 700 * $0)) }
        // The hottest keys ride on every fifth sample, as sources fetch them.
        let hottest: [DashboardSample.HotEntry]? = index % 5 == 0 ? (0..<12).map(hotEntry) : nil
        return DashboardSample(time: start + Double(index), target: TargetInfo(name: "demo (steady)", pid: 4242, uid: 1000, loadInjection: true),
                               snapshot: snapshot, expiring: expiring, load: .init(running: false, operations: 0), hottest: hottest)
    }

    /// The `rank`-th hottest key of a sample.
    static func hotEntry(_ rank: Int) -> DashboardSample.HotEntry {
        let age = Int64(60_000 + 9_000 * rank)
        let left: Int64? = rank % 3 == 2 ? nil : Int64(30_000 * (rank + 1))
        return DashboardSample.HotEntry(key: "user:\(7 + rank * 131)", frequency: max(1, 15 - rank),
                                        ageMilliseconds: age, timeLeftMilliseconds: left)
    }

    /// A state that has seen `samples`, rendered as of one second after the last.
    static func state(_ samples: [DashboardSample], glyphs: Glyphs = Glyphs(graph: .braille)) -> DashboardState {
        var state = DashboardState(glyphs: glyphs)
        for sample in samples { state.ingest(sample) }
        return state
    }
}

/// Renders in UTC so golden frames do not depend on the machine's time zone.
func inUTC<Result>(_ body: () throws -> Result) rethrows -> Result {
    setenv("TZ", "UTC", 1)
    tzset()
    return try body()
}

/// Edge figures for the overflow checks: every field at the width its largest value takes.
enum EdgeSamples {
    /// A cache exactly full: 20,000 of 20,000 entries, every shard at 100%.
    static func full(count: Int = 3) -> [DashboardSample] {
        SampleFactory.sequence(count: count, capacity: 20_000).map { sample in
            var sample = sample
            sample.snapshot.count = 20_000
            sample.snapshot.weightedSize = 20_000
            for index in sample.snapshot.shards.indices {
                sample.snapshot.shards[index].count = 2_500
                sample.snapshot.shards[index].weightedSize = 2_500
            }
            return sample
        }
    }

    /// A cache that holds nothing and has seen nothing.
    static func empty(count: Int = 3) -> [DashboardSample] {
        SampleFactory.sequence(count: count).map { sample in
            var sample = sample
            sample.snapshot.count = 0
            sample.snapshot.weightedSize = 0
            sample.snapshot.counters = CacheSnapshot.Counters()
            for index in sample.snapshot.shards.indices {
                sample.snapshot.shards[index].count = 0
                sample.snapshot.shards[index].weightedSize = 0
                sample.snapshot.shards[index].hits = 0
                sample.snapshot.shards[index].misses = 0
            }
            sample.snapshot.expiry.due = ExpiryHorizons()
            return sample
        }
    }

    /// Figures far beyond a demo's: a 2^48-entry capacity, quadrillions of requests, terabytes.
    static func huge(count: Int = 3) -> [DashboardSample] {
        (0..<count).map { index in
            var sample = SampleFactory.sample(index + 5, capacity: 1 << 48)
            let scale = 1_000_000_000 * (index + 1)
            sample.snapshot.count = (1 << 48) - 1
            sample.snapshot.weightedSize = (1 << 48) - 1
            sample.snapshot.counters.hits *= scale
            sample.snapshot.counters.misses *= scale
            sample.snapshot.counters.puts *= scale
            sample.snapshot.counters.evictions.size *= scale
            sample.snapshot.counters.evictions.expired *= scale
            sample.snapshot.counters.replaced *= scale
            for shard in sample.snapshot.shards.indices {
                sample.snapshot.shards[shard].count = (1 << 45) - 1
                sample.snapshot.shards[shard].weightedSize = (1 << 45) - 1
                sample.snapshot.shards[shard].hits *= scale
                sample.snapshot.shards[shard].misses *= scale
            }
            sample.snapshot.expiry.due.nextHour = 1 << 47
            sample.snapshot.expiry.due.later = 1 << 47
            sample.snapshot.expiry.sweeps.totalExamined = 1 << 50
            sample.snapshot.expiry.sweeps.totalRemoved = 1 << 50
            sample.snapshot.process = ProcessStatistics(residentBytes: 1 << 52, threads: 100_000, openFileDescriptors: 1_000_000)
            sample.snapshot.loads.inFlight = 1 << 40
            sample.snapshot.loads.waiters = 1 << 41
            sample.snapshot.tasks["loader"] = 1 << 40
            return sample
        }
    }
}
