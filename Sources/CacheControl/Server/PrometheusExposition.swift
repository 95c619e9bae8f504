import CacheEngine

/// Renders snapshots in the Prometheus text exposition format (version 0.0.4).
///
/// Names follow the Prometheus and Micrometer cache conventions (`cache_gets_total{result}`,
/// `cache_puts_total`, `cache_evictions_total{cause}`, `cache_size`, ...) with a `cache` label
/// naming the cache; process figures use Prometheus's standard `process_*` names. The names are
/// `CacheMetricNames`' (shared with the swift-metrics bridge); the families are defined once, in
/// ``families``; a test checks that docs/CONTROL.md lists each of them.
/// O(caches × (families + shards)).
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// One metric family: its name, type, help, and how to read its samples from a snapshot.
    public struct Family: Sendable {
        public let name: String
        public let type: String
        public let help: String
        let samples: @Sendable (CacheSnapshot) -> [(labels: String, value: Double)]
    }

    private static func one(_ read: @escaping @Sendable (CacheSnapshot) -> Double) -> @Sendable (CacheSnapshot) -> [(labels: String, value: Double)] {
        { [("", read($0))] }
    }

    /// One sample read from the coherence status; none for caches no bus manages.
    private static func coherence(_ read: @escaping @Sendable (CoherenceStatus) -> Double) -> @Sendable (CacheSnapshot) -> [(labels: String, value: Double)] {
        { snapshot in snapshot.coherence.map { [("", read($0))] } ?? [] }
    }

    /// Every family the endpoint exposes, in exposition order.
    public static let families: [Family] = [
        Family(name: CacheMetricNames.gets, type: "counter", help: "Lookups, by result.") {
            [("result=\"hit\"", Double($0.counters.hits)), ("result=\"miss\"", Double($0.counters.misses))]
        },
        Family(name: CacheMetricNames.puts, type: "counter", help: "Writes.", samples: one { Double($0.counters.puts) }),
        Family(name: CacheMetricNames.evictions, type: "counter", help: "Entries removed, by cause.") {
            [("cause=\"size\"", Double($0.counters.evictions.size)),
             ("cause=\"expired\"", Double($0.counters.evictions.expired)),
             ("cause=\"explicit\"", Double($0.counters.evictions.explicit))]
        },
        Family(name: CacheMetricNames.replaced, type: "counter", help: "Values overwritten by a write.",
               samples: one { Double($0.counters.replaced) }),
        Family(name: CacheMetricNames.admissionsRejected, type: "counter", help: "New entries the admission filter turned away.",
               samples: one { Double($0.counters.admissionsRejected) }),
        Family(name: CacheMetricNames.size, type: "gauge", help: "Entries in the cache.", samples: one { Double($0.count) }),
        Family(name: CacheMetricNames.weightedSize, type: "gauge", help: "Total cost of the entries.", samples: one { Double($0.weightedSize) }),
        Family(name: CacheMetricNames.capacity, type: "gauge", help: "The bound on entries (or on cost with a weigher).",
               samples: one { Double($0.capacity) }),
        Family(name: CacheMetricNames.shardSize, type: "gauge", help: "Entries per shard.") { snapshot in
            snapshot.shards.map { ("shard=\"\($0.index)\"", Double($0.count)) }
        },
        Family(name: CacheMetricNames.loads, type: "counter", help: "Loader calls, by result.") {
            [("result=\"success\"", Double($0.loads.successes)), ("result=\"failure\"", Double($0.loads.failures))]
        },
        Family(name: CacheMetricNames.refreshes, type: "counter", help: "Background reloads of entries past their refresh age, by result.") {
            let refreshes = $0.loads.refreshes ?? 0
            let failures = $0.loads.refreshFailures ?? 0
            return [("result=\"success\"", Double(refreshes - failures)), ("result=\"failure\"", Double(failures))]
        },
        Family(name: CacheMetricNames.loadDuration, type: "histogram", help: "Loader latency.") { snapshot in
            let latency = snapshot.loads.latency
            let bounds = latency.bucketCounts == nil ? [] : CacheSnapshot.Loads.Latency.exportBoundsSeconds
            return bounds.map { ("_bucket|le=\"\(format($0))\"", Double(latency.count(atMostSeconds: $0) ?? 0)) }
                + [("_bucket|le=\"+Inf\"", Double(latency.count)),
                   ("_sum", Double(latency.totalNanoseconds) / 1e9),
                   ("_count", Double(latency.count))]
        },
        Family(name: CacheMetricNames.loadsInFlight, type: "gauge", help: "Keys being loaded now.",
               samples: one { Double($0.loads.inFlight) }),
        Family(name: CacheMetricNames.loadWaiters, type: "gauge", help: "Callers waiting on in-flight loads.",
               samples: one { Double($0.loads.waiters) }),
        Family(name: CacheMetricNames.expiryScheduled, type: "gauge", help: "Entries with a deadline, by horizon.") { snapshot in
            let due = snapshot.expiry.due
            return [("horizon=\"second\"", Double(due.nextSecond)), ("horizon=\"minute\"", Double(due.nextMinute)),
                    ("horizon=\"hour\"", Double(due.nextHour)), ("horizon=\"day\"", Double(due.nextDay)),
                    ("horizon=\"later\"", Double(due.later)), ("horizon=\"overdue\"", Double(due.stale))]
        },
        Family(name: CacheMetricNames.sweeps, type: "counter", help: "Expiry sweeps run.",
               samples: one { Double($0.expiry.sweeps.runs) }),
        Family(name: CacheMetricNames.tasks, type: "gauge", help: "Live background tasks, by kind.") { snapshot in
            snapshot.tasks.sorted { $0.key < $1.key }.map { ("kind=\"\(escape($0.key))\"", Double($0.value)) }
        },
        Family(name: CacheMetricNames.busState, type: "gauge", help: "The invalidation bus's state: 1 for the current one.") { snapshot in
            guard let bus = snapshot.coherence else { return [] }
            return CoherenceStatus.State.allCases.map { ("state=\"\($0.rawValue)\"", bus.state == $0 ? 1 : 0) }
        },
        Family(name: CacheMetricNames.busVerified, type: "gauge", help: "1 while the namespace is verified within its lease.",
               samples: coherence { $0.verified ? 1 : 0 }),
        Family(name: CacheMetricNames.busAppliedSequence, type: "gauge", help: "The last invalidation sequence number applied.",
               samples: coherence { Double($0.appliedSequence) }),
        Family(name: CacheMetricNames.busLagSequences, type: "gauge", help: "Invalidations committed and not yet applied.",
               samples: coherence { Double($0.lagSequences) }),
        Family(name: CacheMetricNames.busLagSeconds, type: "gauge", help: "How long the oldest unapplied invalidation has waited.",
               samples: coherence { Double($0.lagMilliseconds) / 1000 }),
        Family(name: CacheMetricNames.busInvalidations, type: "counter", help: "Invalidations applied, by source.") { snapshot in
            guard let bus = snapshot.coherence else { return [] }
            return ["notify", "replay"].map { ("source=\"\($0)\"", Double(bus.applied[$0] ?? 0)) }
        },
        Family(name: CacheMetricNames.busFlushes, type: "counter", help: "Whole-namespace flushes, by reason.") { snapshot in
            guard let bus = snapshot.coherence else { return [] }
            return CoherenceStatus.FlushReason.allCases.map { ("reason=\"\($0.rawValue)\"", Double(bus.flushes[$0.rawValue] ?? 0)) }
        },
        Family(name: CacheMetricNames.busReconnects, type: "counter", help: "Reconnections of the bus's subscription.",
               samples: coherence { Double($0.reconnects) }),
        Family(name: CacheMetricNames.busReplays, type: "counter", help: "Reads of the invalidation log.",
               samples: coherence { Double($0.replays) }),
        Family(name: CacheMetricNames.busBacklog, type: "gauge", help: "Notifications received and not yet applied.",
               samples: coherence { Double($0.backlog) }),
        Family(name: CacheMetricNames.unverifiedServes, type: "counter", help: "Hits served while unverified (fail-open).",
               samples: coherence { Double($0.unverifiedServes) }),
        Family(name: CacheMetricNames.verifiedReads, type: "counter", help: "Hits the stale-read sampler re-read from the source.",
               samples: coherence { Double($0.sampledReads) }),
        Family(name: CacheMetricNames.staleReads, type: "counter", help: "Sampled hits that were stale.",
               samples: coherence { Double($0.staleReads) }),
        Family(name: "process_resident_memory_bytes", type: "gauge", help: "Resident memory of the host process.",
               samples: one { Double($0.process.residentBytes) }),
        Family(name: "process_threads", type: "gauge", help: "Threads of the host process.",
               samples: one { Double($0.process.threads) }),
        Family(name: "process_open_fds", type: "gauge", help: "Open file descriptors of the host process.",
               samples: one { Double($0.process.openFileDescriptors) }),
    ]

    /// The exposition of `caches` (name, snapshot), one block per family.
    public static func render(_ caches: [(name: String, snapshot: CacheSnapshot)]) -> String {
        var text = ""
        text.reserveCapacity(4096)
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            let perProcess = family.name.hasPrefix("process_")
            for (name, snapshot) in perProcess ? Array(caches.prefix(1)) : caches {
                for (labels, value) in family.samples(snapshot) {
                    let cacheLabel = perProcess ? "" : "cache=\"\(escape(name))\""
                    // A sample whose labels start with "_" names a suffix of the family
                    // (`_sum`, `_count`, `_bucket`), with its own labels after a "|".
                    var suffix = ""
                    var own = labels
                    if labels.hasPrefix("_") {
                        let parts = labels.split(separator: "|", maxSplits: 1)
                        suffix = String(parts[0])
                        own = parts.count > 1 ? String(parts[1]) : ""
                    }
                    let all = [cacheLabel, own].filter { !$0.isEmpty }.joined(separator: ",")
                    let metric = family.name + suffix
                    text += all.isEmpty ? "\(metric) \(format(value))\n" : "\(metric){\(all)} \(format(value))\n"
                }
            }
        }
        return text
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
