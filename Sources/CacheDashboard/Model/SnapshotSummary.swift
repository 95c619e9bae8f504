import CacheVocabulary

/// A snapshot as a few lines of plain text: what `cachetop stats` prints.
public enum SnapshotSummary {
    public static func render(_ snapshot: CacheSnapshot, target: String) -> String {
        let counters = snapshot.counters
        let due = snapshot.expiry.due
        let sweeps = snapshot.expiry.sweeps
        let latency = snapshot.loads.latency
        let tasks = snapshot.tasks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let perEntry = snapshot.count > 0 ? Format.bytes(snapshot.process.residentBytes / snapshot.count) : "-"
        let fill = snapshot.capacity > 0 ? Double(snapshot.weightedSize) / Double(snapshot.capacity) : 0
        return """
        cache        \(target)  (policy \(snapshot.policy.rawValue), \(snapshot.shards.count) shards)
        size         \(snapshot.count) entries, \(snapshot.weightedSize) of \(snapshot.capacity) \(snapshot.capacityUnit.rawValue) (\(Format.percent(fill)))
        hits         \(counters.hits) hits, \(counters.misses) misses, hit ratio \(Format.percent(counters.hitRatio))
        writes       \(counters.puts) puts, \(counters.replaced) replaced, \(counters.admissionsRejected) rejected by admission
        evictions    size \(counters.evictions.size), expired \(counters.evictions.expired), explicit \(counters.evictions.explicit)
        expiry       due: 1s \(due.nextSecond), 1m \(due.nextMinute), 1h \(due.nextHour), 1d \(due.nextDay), later \(due.later); overdue \(due.stale)
        sweeps       \(sweeps.runs) runs; last examined \(sweeps.last.examined), removed \(sweeps.last.removed) in \(Format.duration(nanoseconds: sweeps.last.durationNanoseconds))
        loads        \(snapshot.loads.inFlight) in flight, \(snapshot.loads.waiters) waiting; \(snapshot.loads.successes) ok, \(snapshot.loads.failures) failed; p50 \(Format.duration(nanoseconds: latency.p50Nanoseconds)), p99 \(Format.duration(nanoseconds: latency.p99Nanoseconds)), max \(Format.duration(nanoseconds: latency.maxNanoseconds))
        tasks        \(tasks.isEmpty ? "none" : tasks)
        process      RSS \(Format.bytes(snapshot.process.residentBytes)) (\(perEntry)/entry), \(snapshot.process.threads) threads, \(snapshot.process.openFileDescriptors) fds
        """
    }
}
