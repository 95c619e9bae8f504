import CacheEngine

/// WORKLOAD.md hit-ratio mode: for each key, get; on a miss, set(k, k). One thread.
enum HitRatioMode {
    static func run(trace: Trace, capacity: Int, caches: [String], shards: Int?) throws {
        for name in caches {
            let subject = try SubjectFactory.make(name, capacity: capacity, shards: shards)
            let started = now()
            let hits = replay(subject, trace.keys)
            var policyFigures: [String: Any] = [:]
            if let engine = subject as? EngineSubject {
                let snapshot = engine.cache.snapshot()
                policyFigures["admissions_rejected"] = snapshot.counters.admissionsRejected
                policyFigures["evictions"] = snapshot.counters.evictions.size
                policyFigures["window_capacity"] = snapshot.shards.map(\.windowCapacity).reduce(0, +)
                policyFigures["admission_margins"] = snapshot.shards.map(\.admissionMargin)
            }
            emit(policyFigures.merging([
                "cache": subject.name, "mode": "hitratio", "trace": trace.name, "capacity": capacity,
                "hits": hits, "requests": trace.keys.count,
                "hit_ratio": Double(hits) / Double(trace.keys.count),
                "seconds": now() - started,
                "shards": (subject as? EngineSubject)?.cache.shardCount ?? 1,
            ]) { $1 })
        }
    }

    static func replay(_ subject: any BenchSubject, _ keys: [UInt64]) -> Int {
        withSpecializedOps(subject, Replay(keys: keys))
    }

    /// get; on a miss set(k, k). Returns the hits.
    struct Replay: OpsBody {
        let keys: [UInt64]

        func run<C: KeyValueOps>(_ cache: C) -> Int {
            var hits = 0
            for key in keys {
                if cache.value(forKey: key) != nil { hits += 1 } else { cache.setValue(key, forKey: key) }
            }
            return hits
        }
    }
}
