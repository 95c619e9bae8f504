/// Named workloads: the demo's scenarios and the dashboard's load profiles.
///
/// Each is a realistic shape over a key space, not a rate: callers set `rate`, `duration` and
/// `workers` for their context.
extension Workload {
    /// The named shapes, in the order the dashboard cycles them.
    public enum Profile: String, Sendable, Codable, CaseIterable {
        /// Zipf-skewed reads with a few writes and mixed TTLs: a service on a normal day.
        case steady
        /// Most traffic on a small, new hot set: a link that went viral.
        case flashCrowd = "flash-crowd"
        /// A sequential sweep through a key space larger than the cache: a batch job or a crawler.
        case scan
        /// Unique-key writes as fast as allowed: the capacity bound under pressure.
        case writeStorm = "write-storm"

        /// A one-line description for help texts and the event log.
        public var summary: String {
            switch self {
            case .steady: return "Zipf 0.9 reads, 10% writes, TTLs of 5 s to 10 min"
            case .flashCrowd: return "90% of requests on 0.5% of the keys"
            case .scan: return "a sequential scan over ten times the key space"
            case .writeStorm: return "unique-key writes only"
            }
        }
    }

    /// The workload of `profile` over `keySpace` keys, at `rate` operations per second.
    public static func profile(_ profile: Profile, keySpace: UInt64, rate: Int?, workers: Int = 2) -> Workload {
        let ttls: [TTLShare] = [
            TTLShare(weight: 3, ttl: .seconds(5)),
            TTLShare(weight: 4, ttl: .seconds(60)),
            TTLShare(weight: 2, ttl: .seconds(600)),
            TTLShare(weight: 1, ttl: nil),
        ]
        switch profile {
        case .steady:
            return Workload(distribution: .zipf(skew: 0.9), keySpace: keySpace, readFraction: 0.9,
                            ttlMix: ttls, rate: rate, workers: workers)
        case .flashCrowd:
            return Workload(distribution: .hotSet(fraction: 0.005, probability: 0.9), keySpace: keySpace,
                            readFraction: 0.95, ttlMix: ttls, rate: rate, workers: workers)
        case .scan:
            return Workload(distribution: .sequential, keySpace: keySpace &* 10, readFraction: 1,
                            ttlMix: ttls, rate: rate, workers: workers)
        case .writeStorm:
            return Workload(distribution: .uniform, keySpace: UInt64(1) << 40, readFraction: 0,
                            ttlMix: ttls, rate: rate, workers: workers)
        }
    }
}
