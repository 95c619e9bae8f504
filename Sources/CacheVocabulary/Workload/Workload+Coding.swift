/// The JSON form of a workload, as `POST /v1/load` takes it and `cachetop --record` writes it:
///
/// ```json
/// {"distribution": "zipf", "skew": 0.99, "key_space": 100000, "read_fraction": 0.9,
///  "ttl_mix": [{"weight": 3, "ttl_seconds": 30}, {"weight": 1, "ttl_seconds": null}],
///  "rate": 5000, "duration_seconds": 60, "workers": 2, "backend_latency_ms": 20}
/// ```
///
/// `distribution` is `zipf` (with `skew`), `uniform`, `hot_set` (with `hot_fraction` and
/// `hot_probability`) or `sequential`. Every field is optional; a missing one takes the default
/// of ``Workload/init(distribution:keySpace:readFraction:ttlMix:rate:duration:workers:backendLatency:)``.
/// Decoding checks shapes only; ``Workload/validate()`` checks ranges.
extension Workload {
    enum CodingKeys: String, CodingKey {
        case distribution, skew, rate, workers
        case hotFraction = "hot_fraction"
        case hotProbability = "hot_probability"
        case keySpace = "key_space"
        case readFraction = "read_fraction"
        case ttlMix = "ttl_mix"
        case durationSeconds = "duration_seconds"
        case backendLatencyMilliseconds = "backend_latency_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Workload()
        let name = try container.decodeIfPresent(String.self, forKey: .distribution) ?? "zipf"
        switch name {
        case "zipf":
            distribution = .zipf(skew: try container.decodeIfPresent(Double.self, forKey: .skew) ?? 0.99)
        case "uniform":
            distribution = .uniform
        case "hot_set":
            distribution = .hotSet(
                fraction: try container.decodeIfPresent(Double.self, forKey: .hotFraction) ?? 0.01,
                probability: try container.decodeIfPresent(Double.self, forKey: .hotProbability) ?? 0.9)
        case "sequential":
            distribution = .sequential
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .distribution, in: container,
                debugDescription: "unknown distribution '\(name)': use zipf, uniform, hot_set or sequential")
        }
        keySpace = try container.decodeIfPresent(UInt64.self, forKey: .keySpace) ?? defaults.keySpace
        readFraction = try container.decodeIfPresent(Double.self, forKey: .readFraction) ?? defaults.readFraction
        ttlMix = try container.decodeIfPresent([TTLShare].self, forKey: .ttlMix) ?? []
        rate = try container.decodeIfPresent(Int.self, forKey: .rate)
        duration = try container.decodeDuration(forKey: .durationSeconds, unit: 1)
        workers = try container.decodeIfPresent(Int.self, forKey: .workers) ?? defaults.workers
        backendLatency = try container.decodeDuration(forKey: .backendLatencyMilliseconds, unit: 1e-3)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch distribution {
        case .zipf(let skew):
            try container.encode("zipf", forKey: .distribution)
            try container.encode(skew, forKey: .skew)
        case .uniform:
            try container.encode("uniform", forKey: .distribution)
        case .hotSet(let fraction, let probability):
            try container.encode("hot_set", forKey: .distribution)
            try container.encode(fraction, forKey: .hotFraction)
            try container.encode(probability, forKey: .hotProbability)
        case .sequential:
            try container.encode("sequential", forKey: .distribution)
        }
        try container.encode(keySpace, forKey: .keySpace)
        try container.encode(readFraction, forKey: .readFraction)
        try container.encode(ttlMix, forKey: .ttlMix)
        try container.encodeIfPresent(rate, forKey: .rate)
        try container.encodeIfPresent(duration?.secondsValue, forKey: .durationSeconds)
        try container.encode(workers, forKey: .workers)
        try container.encodeIfPresent(backendLatency.map { $0.secondsValue * 1e3 }, forKey: .backendLatencyMilliseconds)
    }
}

extension Workload.TTLShare {
    enum CodingKeys: String, CodingKey {
        case weight
        case ttlSeconds = "ttl_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        weight = try container.decode(Double.self, forKey: .weight)
        ttl = try container.decodeDuration(forKey: .ttlSeconds, unit: 1)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(weight, forKey: .weight)
        try container.encode(ttl?.secondsValue, forKey: .ttlSeconds)
    }
}

extension KeyedDecodingContainer {
    /// A number of `unit` seconds as a duration; refuses values that are not finite or are
    /// beyond a hundred years (either sign), which `Duration` could not hold.
    func decodeDuration(forKey key: Key, unit: Double) throws -> Duration? {
        guard let value = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        let seconds = value * unit
        guard seconds.isFinite, abs(seconds) <= 3.2e9 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "\(key.stringValue) is out of range: \(value)")
        }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
