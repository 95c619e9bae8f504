/// A synthetic load to run against a cache: which keys, how many reads versus writes, which
/// TTLs, how fast and for how long. Used by the demo and by load injection.
public struct Workload: Sendable, Codable, Equatable {
    /// How keys are drawn from `0..<keySpace`.
    public enum Distribution: Sendable, Codable, Equatable {
        /// Zipf with exponent `skew` (> 0): rank r is drawn with probability ∝ 1/r^skew.
        case zipf(skew: Double)
        /// Every key equally likely.
        case uniform
        /// `probability` of the draws go to the first `fraction` of the key space.
        case hotSet(fraction: Double, probability: Double)
        /// 0, 1, 2, … wrapping: a scan.
        case sequential
    }

    /// One entry of the TTL mix: this share of the writes gets this TTL (nil: none).
    public struct TTLShare: Sendable, Codable, Equatable {
        public var weight: Double
        public var ttl: Duration?
        public init(weight: Double, ttl: Duration?) {
            self.weight = weight
            self.ttl = ttl
        }
    }

    public var distribution: Distribution
    /// The number of distinct keys.
    public var keySpace: UInt64
    /// The fraction of operations that are reads (the rest are writes), 0...1.
    public var readFraction: Double
    /// TTLs given to writes, by weight; empty: no TTL.
    public var ttlMix: [TTLShare]
    /// Target operations per second over all workers; nil: as fast as possible.
    public var rate: Int?
    /// How long to run; nil: until stopped.
    public var duration: Duration?
    /// Concurrent worker tasks.
    public var workers: Int
    /// When set, a read miss loads through the single-flight loader from a simulated backend
    /// answering after this latency (on the cache's clock); otherwise a miss writes the key.
    public var backendLatency: Duration?

    public init(
        distribution: Distribution = .zipf(skew: 0.99),
        keySpace: UInt64 = 100_000,
        readFraction: Double = 0.9,
        ttlMix: [TTLShare] = [],
        rate: Int? = nil,
        duration: Duration? = nil,
        workers: Int = 1,
        backendLatency: Duration? = nil
    ) {
        self.distribution = distribution
        self.keySpace = keySpace
        self.readFraction = readFraction
        self.ttlMix = ttlMix
        self.rate = rate
        self.duration = duration
        self.workers = workers
        self.backendLatency = backendLatency
    }

    /// The most workers a workload may ask for.
    public static let maximumWorkers = 64

    /// Checks every field; the error names the first one that is out of range.
    public func validate() throws(WorkloadError) {
        switch distribution {
        case .zipf(let skew):
            guard skew > 0, skew <= 10, skew.isFinite else { throw .invalid("zipf skew must be in (0, 10], got \(skew)") }
        case .hotSet(let fraction, let probability):
            guard fraction > 0, fraction < 1 else { throw .invalid("hot-set fraction must be in (0, 1), got \(fraction)") }
            guard probability >= 0, probability <= 1 else { throw .invalid("hot-set probability must be in [0, 1], got \(probability)") }
        case .uniform, .sequential:
            break
        }
        guard keySpace >= 1 else { throw .invalid("key space must be at least 1") }
        guard readFraction >= 0, readFraction <= 1 else { throw .invalid("read fraction must be in [0, 1], got \(readFraction)") }
        guard ttlMix.allSatisfy({ $0.weight >= 0 && $0.weight.isFinite }) else { throw .invalid("TTL weights must be finite and not negative") }
        guard ttlMix.isEmpty || ttlMix.contains(where: { $0.weight > 0 }) else { throw .invalid("TTL weights must not all be zero") }
        guard ttlMix.allSatisfy({ ($0.ttl ?? .seconds(1)) > .zero }) else { throw .invalid("TTLs must be positive") }
        if let rate { guard rate >= 1 else { throw .invalid("rate must be at least 1 operation per second, got \(rate)") } }
        if let duration { guard duration > .zero else { throw .invalid("duration must be positive") } }
        guard workers >= 1, workers <= Self.maximumWorkers else {
            throw .invalid("workers must be between 1 and \(Self.maximumWorkers), got \(workers)")
        }
        if let backendLatency { guard backendLatency >= .zero else { throw .invalid("backend latency must not be negative") } }
    }
}

/// A workload that cannot run: which parameter, and the range it must be in. A ``CodedError``:
/// match on its `code`.
public typealias WorkloadError = CodedError<WorkloadErrorDomain>

/// The domain of ``WorkloadError``: workloads that cannot run.
public enum WorkloadErrorDomain {}

extension CodedError where Domain == WorkloadErrorDomain {
    /// A parameter outside its range: `reason` names it and the range.
    public static func invalid(_ reason: String) -> Self {
        Self(code: .invalid, message: "invalid workload: \(reason)")
    }
}

extension ErrorCode where Domain == WorkloadErrorDomain {
    /// A parameter outside its range, or over a host's bound.
    public static var invalid: Self { Self(rawValue: "invalid_workload") }
}
