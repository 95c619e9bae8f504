/// Everything the dashboard draws about one cache at one moment, as one value.
///
/// Encoded as JSON with the snake_case keys of `docs/SNAPSHOT.md`; ``schemaVersion`` changes
/// whenever a field changes meaning or disappears (added fields do not change it). Counters are
/// totals since the cache was created: rates come from the difference of two snapshots.
/// Each shard's figures are read under one acquisition of that shard's lock.
public struct CacheSnapshot: Sendable, Codable, Equatable {
    /// The schema this engine writes.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The version of the engine that made the snapshot (`CacheEngineVersion.current`); nil in
    /// snapshots of engines before it was added.
    public var engineVersion: String?
    /// Increases by one with every snapshot of this cache.
    public var sequence: UInt64
    /// Wall-clock time of the snapshot, milliseconds since the Unix epoch.
    public var unixTimeMilliseconds: Int64
    /// The cache clock's reading (monotonic nanoseconds) at the snapshot.
    public var clockNanoseconds: Int64
    /// Time since the cache was created, on its clock; nil in snapshots of engines before it
    /// was added.
    public var uptimeNanoseconds: Int64?
    public var policy: EvictionPolicy
    /// `entries`, or `cost` when a weigher bounds the cache.
    public var capacityUnit: CapacityUnit
    public var capacity: Int
    public var count: Int
    public var weightedSize: Int
    public var counters: Counters
    public var shards: [Shard]
    public var expiry: Expiry
    public var loads: Loads
    /// Live background tasks by kind.
    public var tasks: [String: Int]
    public var process: ProcessStatistics
    /// The cache's agreement with its source of truth, when a coherence provider (the
    /// invalidation bus) manages it; nil otherwise.
    public var coherence: CoherenceStatus?

    /// Builds a snapshot from its parts (for sources and tests; caches make theirs with
    /// the engine's `Cache.snapshot()`).
    public init(schemaVersion: Int = CacheSnapshot.currentSchemaVersion, sequence: UInt64, unixTimeMilliseconds: Int64,
                clockNanoseconds: Int64, uptimeNanoseconds: Int64?, policy: EvictionPolicy, capacityUnit: CapacityUnit,
                capacity: Int, count: Int, weightedSize: Int, counters: Counters, shards: [Shard], expiry: Expiry,
                loads: Loads, tasks: [String: Int], process: ProcessStatistics,
                engineVersion: String? = CacheEngineVersion.current, coherence: CoherenceStatus? = nil) {
        self.schemaVersion = schemaVersion
        self.engineVersion = engineVersion
        self.sequence = sequence
        self.unixTimeMilliseconds = unixTimeMilliseconds
        self.clockNanoseconds = clockNanoseconds
        self.uptimeNanoseconds = uptimeNanoseconds
        self.policy = policy
        self.capacityUnit = capacityUnit
        self.capacity = capacity
        self.count = count
        self.weightedSize = weightedSize
        self.counters = counters
        self.shards = shards
        self.expiry = expiry
        self.loads = loads
        self.tasks = tasks
        self.process = process
        self.coherence = coherence
    }

    public enum CapacityUnit: String, Sendable, Codable, Equatable {
        case entries, cost
    }

    public struct Counters: Sendable, Codable, Equatable {
        public var hits = 0
        public var misses = 0
        /// Hits on cached absences; included in `hits`.
        public var absentHits = 0
        public var puts = 0
        public var evictions = Evictions()
        /// Values overwritten by a write.
        public var replaced = 0
        /// New entries that the admission filter turned away.
        public var admissionsRejected = 0

        public init() {}

        /// Hits over reads since creation; 0 without reads.
        public var hitRatio: Double {
            let reads = hits + misses
            return reads == 0 ? 0 : Double(hits) / Double(reads)
        }

        enum CodingKeys: String, CodingKey {
            case hits, misses, puts, evictions, replaced
            case absentHits = "absent_hits"
            case admissionsRejected = "admissions_rejected"
        }
    }

    public struct Evictions: Sendable, Codable, Equatable {
        public var size = 0
        public var expired = 0
        public var explicit = 0
        public init() {}
    }

    public struct Shard: Sendable, Codable, Equatable {
        public var index: Int
        public var count: Int
        /// This shard's share of the capacity.
        public var capacity: Int
        public var weightedSize: Int
        /// The admission window's current share of `capacity` (adapted to the workload).
        public var windowCapacity: Int
        /// How much more often than the victim a candidate must have been seen to be admitted
        /// (learned from the admission filter's close calls; 0 is plain TinyLFU).
        public var admissionMargin: Int
        public var hits: Int
        public var misses: Int

        public init(index: Int, count: Int, capacity: Int, weightedSize: Int, windowCapacity: Int,
                    admissionMargin: Int = 0, hits: Int, misses: Int) {
            self.index = index
            self.count = count
            self.capacity = capacity
            self.weightedSize = weightedSize
            self.windowCapacity = windowCapacity
            self.admissionMargin = admissionMargin
            self.hits = hits
            self.misses = misses
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(Int.self, forKey: .index)
            count = try container.decode(Int.self, forKey: .count)
            capacity = try container.decode(Int.self, forKey: .capacity)
            weightedSize = try container.decode(Int.self, forKey: .weightedSize)
            windowCapacity = try container.decode(Int.self, forKey: .windowCapacity)
            // Added after schema 1 first shipped: recordings made before it lack the field.
            admissionMargin = try container.decodeIfPresent(Int.self, forKey: .admissionMargin) ?? 0
            hits = try container.decode(Int.self, forKey: .hits)
            misses = try container.decode(Int.self, forKey: .misses)
        }

        enum CodingKeys: String, CodingKey {
            case index, count, capacity, hits, misses
            case weightedSize = "weighted_size"
            case windowCapacity = "window_capacity"
            case admissionMargin = "admission_margin"
        }
    }

    public struct Expiry: Sendable, Codable, Equatable {
        /// Entries with a deadline, by how soon it falls (wheel-bucket granularity).
        public var due: ExpiryHorizons
        public var sweeps: Sweeps

        public init(due: ExpiryHorizons, sweeps: Sweeps) {
            self.due = due
            self.sweeps = sweeps
        }

        public struct Sweeps: Sendable, Codable, Equatable {
            public var runs = 0
            public var last = SweepReport()
            public var totalExamined = 0
            public var totalRemoved = 0

            public init(runs: Int = 0, last: SweepReport = SweepReport(), totalExamined: Int = 0, totalRemoved: Int = 0) {
                self.runs = runs
                self.last = last
                self.totalExamined = totalExamined
                self.totalRemoved = totalRemoved
            }

            enum CodingKeys: String, CodingKey {
                case runs, last
                case totalExamined = "total_examined"
                case totalRemoved = "total_removed"
            }
        }
    }

    public struct Loads: Sendable, Codable, Equatable {
        /// Keys being loaded right now. A load that a write or removal of its key overtook no
        /// longer counts here (its task still runs, and counts in the snapshot's `tasks`).
        public var inFlight: Int
        /// Callers waiting on those loads.
        public var waiters: Int
        public var successes: Int
        public var failures: Int
        /// Background reloads of entries past their refresh age (counted in `successes` and
        /// `failures` too), and how many of them failed; nil in older recordings.
        public var refreshes: Int?
        public var refreshFailures: Int?
        public var latency: Latency

        public init(
            inFlight: Int, waiters: Int, successes: Int, failures: Int, latency: Latency,
            refreshes: Int? = nil, refreshFailures: Int? = nil
        ) {
            self.inFlight = inFlight
            self.waiters = waiters
            self.successes = successes
            self.failures = failures
            self.latency = latency
            self.refreshes = refreshes
            self.refreshFailures = refreshFailures
        }

        public struct Latency: Sendable, Codable, Equatable {
            public var count: Int
            public var p50Nanoseconds: Int64
            public var p99Nanoseconds: Int64
            public var maxNanoseconds: Int64
            public var totalNanoseconds: Int64
            /// Loads per bucket of the engine's log-linear histogram (four buckets per power of
            /// two from 1 µs; bucket `i` holds durations up to
            /// ``upperBoundNanoseconds(ofBucket:)``), since the cache was created; nil in
            /// recordings made before the field existed.
            public var bucketCounts: [Int]?

            public init(
                count: Int, p50Nanoseconds: Int64, p99Nanoseconds: Int64, maxNanoseconds: Int64, totalNanoseconds: Int64,
                bucketCounts: [Int]? = nil
            ) {
                self.count = count
                self.p50Nanoseconds = p50Nanoseconds
                self.p99Nanoseconds = p99Nanoseconds
                self.maxNanoseconds = maxNanoseconds
                self.totalNanoseconds = totalNanoseconds
                self.bucketCounts = bucketCounts
            }

            /// The longest duration, in nanoseconds, that bucket `index` of ``bucketCounts`` holds.
            public static func upperBoundNanoseconds(ofBucket index: Int) -> Int64 {
                LatencyHistogram.upperBound(ofBucket: index)
            }

            /// The load durations, in seconds, at which histogram exports (Prometheus
            /// `cache_load_duration_seconds`) count: the same for every instance, so that their
            /// buckets add up across a fleet.
            public static let exportBoundsSeconds: [Double] = [
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            ]

            /// Loads that took at most `seconds`, from ``bucketCounts``: a bucket counts when its
            /// upper bound is within `seconds`, so a bucket that straddles the bound (about 19% wide)
            /// counts at the next bound. Nil without bucket counts. O(buckets).
            public func count(atMostSeconds seconds: Double) -> Int? {
                guard let bucketCounts else { return nil }
                let limit = Int64(seconds * 1e9)
                var total = 0
                for (index, bucketCount) in bucketCounts.enumerated()
                where Self.upperBoundNanoseconds(ofBucket: index) <= limit {
                    total += bucketCount
                }
                return total
            }

            enum CodingKeys: String, CodingKey {
                case count
                case p50Nanoseconds = "p50_ns"
                case p99Nanoseconds = "p99_ns"
                case maxNanoseconds = "max_ns"
                case totalNanoseconds = "total_ns"
                case bucketCounts = "bucket_counts"
            }
        }

        enum CodingKeys: String, CodingKey {
            case waiters, successes, failures, latency, refreshes
            case refreshFailures = "refresh_failures"
            case inFlight = "in_flight"
        }
    }

    enum CodingKeys: String, CodingKey {
        case sequence, policy, capacity, count, counters, shards, expiry, loads, tasks, process, coherence
        case schemaVersion = "schema_version"
        case engineVersion = "engine_version"
        case unixTimeMilliseconds = "unix_time_ms"
        case clockNanoseconds = "clock_ns"
        case uptimeNanoseconds = "uptime_ns"
        case capacityUnit = "capacity_unit"
        case weightedSize = "weighted_size"
    }
}
