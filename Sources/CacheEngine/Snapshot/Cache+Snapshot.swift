#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension Cache {
    /// A consistent picture of the cache for dashboards and exporters.
    ///
    /// Cost: O(shards × wheel buckets + loads in flight) plus a few small /proc reads, never
    /// O(entries): cheap enough for ten snapshots a second on a cache of ten million entries.
    /// Each shard is read under one acquisition of its lock; shards are read one after another.
    public func snapshot() -> CacheSnapshot {
        let now = clock.nanoseconds()
        var counters = CacheSnapshot.Counters()
        var shardFigures: [CacheSnapshot.Shard] = []
        shardFigures.reserveCapacity(shardCount)
        var horizons = ExpiryHorizons()
        var inFlight = 0
        var waiters = 0
        var count = 0
        var weighted = 0
        for index in 0..<shardCount {
            shards[index].withLock { store in
                store.drainReads()
                let c = store.counters
                let lookups = store.lookupCounts
                counters.hits += lookups.hits
                counters.misses += lookups.misses
                counters.absentHits += c.absentHits
                counters.puts += c.puts
                counters.evictions.size += c.evictedBySize
                counters.evictions.expired += c.expired
                counters.evictions.explicit += c.removedExplicitly
                counters.replaced += c.replaced
                counters.admissionsRejected += store.policy.admissionsRejected
                horizons.merge(store.wheel.horizons(now: now))
                inFlight += store.flights.count
                for flight in store.flights.values { waiters += flight.waiterCount }
                count += store.count
                weighted += store.policy.weightedSize
                shardFigures.append(CacheSnapshot.Shard(
                    index: index, count: store.count, capacity: store.policy.maximum,
                    weightedSize: store.policy.weightedSize,
                    windowCapacity: store.policy.windowMaximum,
                    admissionMargin: store.policy.judge.bar,
                    hits: lookups.hits, misses: lookups.misses))
            }
        }
        let sweeps = sweepStatistics.withLock { stats in
            CacheSnapshot.Expiry.Sweeps(runs: stats.runs, last: stats.last,
                                        totalExamined: stats.totalExamined, totalRemoved: stats.totalRemoved)
        }
        let loads = loadStatistics.withLock { stats in
            CacheSnapshot.Loads(
                inFlight: inFlight, waiters: waiters, successes: stats.successes, failures: stats.failures,
                latency: .init(count: stats.latency.count, p50Nanoseconds: stats.latency.percentile(0.5),
                               p99Nanoseconds: stats.latency.percentile(0.99),
                               maxNanoseconds: stats.latency.maxNanoseconds,
                               totalNanoseconds: stats.latency.totalNanoseconds,
                               bucketCounts: stats.latency.counts),
                refreshes: stats.refreshes, refreshFailures: stats.refreshFailures)
        }
        var liveTasks: [String: Int] = [:]
        for (kind, live) in tasks.liveCounts { liveTasks[kind.name] = live }
        return CacheSnapshot(
            schemaVersion: CacheSnapshot.currentSchemaVersion,
            sequence: snapshotSequence.add(1, ordering: .relaxed).newValue,
            unixTimeMilliseconds: Self.unixTimeMilliseconds(),
            clockNanoseconds: now,
            uptimeNanoseconds: now &- createdAt,
            policy: policy,
            capacityUnit: weigher == nil ? .entries : .cost,
            capacity: capacity,
            count: count,
            weightedSize: weighted,
            counters: counters,
            shards: shardFigures,
            expiry: CacheSnapshot.Expiry(due: horizons, sweeps: sweeps),
            loads: loads,
            tasks: liveTasks,
            process: ProcessStatistics.current(),
            coherence: coherence.status
        )
    }

    static func unixTimeMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
