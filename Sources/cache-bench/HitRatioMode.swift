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
        switch subject {
        case let engine as EngineSubject: return replay(engine.cache, keys)
        case let lru as MutexLRUSubject: return replayGeneric(SubjectOps(lru), keys)
        case let nscache as NSCacheSubject: return replayGeneric(SubjectOps(nscache), keys)
        default: return replayGeneric(AnySubjectOps(subject: subject), keys)
        }
    }

    static func replay(_ cache: Cache<UInt64, UInt64>, _ keys: [UInt64]) -> Int {
        var hits = 0
        for key in keys {
            if cache.get(key) != nil { hits += 1 } else { cache.set(key, key) }
        }
        return hits
    }

    static func replayGeneric<S: KeyValueOps>(_ subject: S, _ keys: [UInt64]) -> Int {
        var hits = 0
        for key in keys {
            if subject.get(key) != nil { hits += 1 } else { subject.set(key, key) }
        }
        return hits
    }
}
