import CacheEngine

/// The cost of `Cache.snapshot()` on a filled cache with a live expiry queue.
enum SnapshotMode {
    /// A cache of `entries` entries, half of them with TTLs spread over the wheel's levels.
    static func filledCache(entries: Int) throws -> Cache<UInt64, UInt64> {
        // Capacity is split evenly over the shards but keys hash unevenly: 10% of headroom keeps
        // every shard under its share (a million keys in 64 shards spread by about ±1% per shard).
        let cache = try Cache<UInt64, UInt64>(capacity: entries + entries / 10)
        let ttls: [Duration] = [.seconds(30), .seconds(600), .seconds(7_200), .seconds(200_000)]
        for index in 0..<UInt64(entries) {
            let key = distinctKey(index)
            if index % 2 == 0 { cache.setValue(key, forKey: key, ttl: ttls[Int(index / 2) % ttls.count]) } else { cache.setValue(key, forKey: key) }
        }
        return cache
    }

    static func run(entries: Int, samples: Int) throws {
        let cache = try filledCache(entries: entries)
        var durations: [Double] = []
        for _ in 0..<samples {
            let started = now()
            let snapshot = cache.snapshot()
            durations.append((now() - started) * 1e6)
            precondition(snapshot.count > 0)
        }
        durations.sort()
        emit([
            "cache": "engine", "mode": "snapshot", "entries": cache.count, "shards": cache.shardCount,
            "samples": samples,
            "p50_us": durations[durations.count / 2],
            "p99_us": durations[min(durations.count - 1, durations.count * 99 / 100)],
            "max_us": durations.last ?? 0,
        ])
    }
}
