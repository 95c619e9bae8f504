import CacheEngine

/// The wire vocabulary shared by ``ControlServer`` and ``ControlClient``: paths, the bodies of
/// requests and responses, and the error body. docs/CONTROL.md documents the same in prose.
public enum ControlProtocol {
    /// The `Server` header every response carries; the client uses it to tell a cachetop socket
    /// from anything else listening on a unix socket.
    public static let serverToken = "cachetop-control/1"
    /// The version of the bodies below; bumped when a field changes meaning or disappears.
    public static let schemaVersion = 1

    public enum Path {
        public static let caches = "/v1/caches"
        public static let snapshot = "/v1/snapshot"
        public static let sweep = "/v1/sweep"
        public static let capacity = "/v1/capacity"
        public static let load = "/v1/load"
        public static let keys = "/v1/keys"
        public static let key = "/v1/key"
        public static let sample = "/v1/sample"
        public static let metrics = "/metrics"
    }

    /// Every error response's body: `{"error": {"status": 422, "message": "..."}}`.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public struct Detail: Codable, Sendable, Equatable {
            public var status: Int
            public var message: String
        }

        public var error: Detail

        public init(status: Int, message: String) {
            error = Detail(status: status, message: message)
        }
    }

    /// `GET /v1/caches`: who is serving and what.
    public struct ServerInfo: Codable, Sendable, Equatable {
        public var schemaVersion: Int
        public var pid: Int32
        public var uid: UInt32
        public var readOnly: Bool
        public var caches: [CacheInfo]

        enum CodingKeys: String, CodingKey {
            case pid, uid, caches
            case schemaVersion = "schema_version"
            case readOnly = "read_only"
        }
    }

    /// One cache in ``ServerInfo``.
    public struct CacheInfo: Codable, Sendable, Equatable {
        public var name: String
        public var capacity: Int
        public var count: Int
        public var load: LoadStatus
    }

    /// `GET|POST|DELETE /v1/load`: whether load injection is allowed, its bounds, and what runs.
    public struct LoadStatus: Codable, Sendable, Equatable {
        /// False when the host did not enable load injection for this cache or is read-only.
        public var enabled: Bool
        public var running: Bool
        /// The workload running, with the bounds applied.
        public var workload: Workload?
        public var maximumRate: Int?
        public var maximumDurationSeconds: Double?
        public var operationsPerformed: Int

        enum CodingKeys: String, CodingKey {
            case enabled, running, workload
            case maximumRate = "max_rate"
            case maximumDurationSeconds = "max_duration_seconds"
            case operationsPerformed = "operations_performed"
        }
    }

    /// `PUT /v1/capacity` request body.
    public struct CapacityRequest: Codable, Sendable, Equatable {
        public var capacity: Int
        public init(capacity: Int) { self.capacity = capacity }

        /// A number that is valid JSON but no `Int` (10^30, 2.5) is reported as out of range.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let whole = try? container.decode(Int.self, forKey: .capacity) {
                capacity = whole
            } else if let number = try? container.decode(Double.self, forKey: .capacity) {
                throw ValueOutOfRange(message: "capacity must be a whole number from 1 to \(CacheLimits.maximumCapacity), got \(number)")
            } else {
                capacity = try container.decode(Int.self, forKey: .capacity)
            }
        }
    }

    /// A request value that parsed but can never be accepted; answered with 422.
    public struct ValueOutOfRange: Error, Sendable, Equatable {
        public var message: String
    }

    // `PUT /v1/capacity` answers with the engine's `ResizeReport` and `POST /v1/sweep` with its
    // `SweepReport`: their JSON forms are the wire forms.

    /// Which entries `GET /v1/keys` lists.
    public enum KeyOrder: String, Codable, Sendable, CaseIterable {
        /// Highest estimated frequency first.
        case hottest
        /// Nearest deadline first.
        case expiring
    }

    /// `GET /v1/keys` response body.
    public struct KeyList: Codable, Sendable, Equatable {
        public var order: KeyOrder
        public var entries: [KeyEntry]
    }

    /// One entry of a ``KeyList``. Times are milliseconds; absent fields are unknown.
    public struct KeyEntry: Codable, Sendable, Equatable {
        /// The key as the host's describer renders it, at most ``maximumKeyLength`` characters.
        public var key: String
        /// The policy's estimate of recent accesses (0...15), an estimate from a sketch.
        public var frequency: Int?
        public var ageMilliseconds: Int64?
        public var timeLeftMilliseconds: Int64?
        /// A cached absence (the loader found nothing).
        public var absent: Bool
        /// The shard holding the entry, and its cost (1 without a weigher).
        public var shard: Int?
        public var weight: Int?

        public init(key: String, frequency: Int? = nil, ageMilliseconds: Int64? = nil, timeLeftMilliseconds: Int64? = nil,
                    absent: Bool = false, shard: Int? = nil, weight: Int? = nil) {
            self.key = key
            self.frequency = frequency
            self.ageMilliseconds = ageMilliseconds
            self.timeLeftMilliseconds = timeLeftMilliseconds
            self.absent = absent
            self.shard = shard
            self.weight = weight
        }

        enum CodingKeys: String, CodingKey {
            case key, frequency, absent, shard, weight
            case ageMilliseconds = "age_ms"
            case timeLeftMilliseconds = "time_left_ms"
        }
    }

    /// `GET /v1/key?key=TEXT` response body: whether the key is cached, and its entry when it is.
    public struct KeyLookup: Codable, Sendable, Equatable {
        /// The key as asked.
        public var key: String
        public var cached: Bool
        public var entry: KeyEntry?
    }

    /// `GET /v1/sample`: everything a dashboard draws in one response, so that one sample costs
    /// one request: the host, the cache's snapshot, its next entries to expire, the load
    /// status and, when asked for (`hottest=N`), its hottest keys.
    public struct Sample: Codable, Sendable, Equatable {
        public var schemaVersion: Int
        public var pid: Int32
        public var uid: UInt32
        public var readOnly: Bool
        /// The cache sampled, and every cache the host serves (for switching).
        public var cache: String
        public var caches: [String]
        public var snapshot: CacheSnapshot
        public var expiring: [KeyEntry]
        /// Present only when asked for: the hottest keys are sampled less often than the rest.
        public var hottest: [KeyEntry]?
        public var load: LoadStatus

        enum CodingKeys: String, CodingKey {
            case pid, uid, cache, caches, snapshot, expiring, hottest, load
            case schemaVersion = "schema_version"
            case readOnly = "read_only"
        }
    }

    /// Longest key description sent; longer ones are cut and end in "…".
    public static let maximumKeyLength = 200
}
