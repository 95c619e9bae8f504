/// What one cache tells the fleet: the few figures of its snapshot a fleet table shows, small
/// enough for a heartbeat row every few seconds. Built from a snapshot by the registry writer
/// (`CacheFleet`'s `FleetRegistry`) and by `cachetop fleet` for instances it polls itself, so
/// both read the same fields. Counters are totals since the cache started.
public struct FleetSummary: Sendable, Codable, Equatable {
    public var hits: Int
    public var misses: Int
    public var count: Int
    public var capacity: Int
    public var weightedSize: Int
    public var residentBytes: Int
    /// Live background tasks by kind.
    public var tasks: [String: Int]
    public var loadsInFlight: Int
    public var loadWaiters: Int
    public var uptimeMilliseconds: Int64?
    public var coherence: CoherenceStatus?

    public init(hits: Int, misses: Int, count: Int, capacity: Int, weightedSize: Int, residentBytes: Int,
                tasks: [String: Int], loadsInFlight: Int, loadWaiters: Int, uptimeMilliseconds: Int64?,
                coherence: CoherenceStatus?) {
        self.hits = hits
        self.misses = misses
        self.count = count
        self.capacity = capacity
        self.weightedSize = weightedSize
        self.residentBytes = residentBytes
        self.tasks = tasks
        self.loadsInFlight = loadsInFlight
        self.loadWaiters = loadWaiters
        self.uptimeMilliseconds = uptimeMilliseconds
        self.coherence = coherence
    }

    /// The summary of `snapshot`. O(task kinds).
    public init(snapshot: CacheSnapshot) {
        self.init(hits: snapshot.counters.hits, misses: snapshot.counters.misses, count: snapshot.count,
                  capacity: snapshot.capacity, weightedSize: snapshot.weightedSize,
                  residentBytes: snapshot.process.residentBytes, tasks: snapshot.tasks,
                  loadsInFlight: snapshot.loads.inFlight, loadWaiters: snapshot.loads.waiters,
                  uptimeMilliseconds: snapshot.uptimeNanoseconds.map { $0 / 1_000_000 },
                  coherence: snapshot.coherence)
    }

    /// Every live task, whatever its kind.
    public var totalTasks: Int { tasks.values.reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case hits, misses, count, capacity, tasks, coherence
        case weightedSize = "weighted_size"
        case residentBytes = "resident_bytes"
        case loadsInFlight = "loads_in_flight"
        case loadWaiters = "load_waiters"
        case uptimeMilliseconds = "uptime_ms"
    }
}

/// One cache of one process in the fleet: a row of the registry view `cachetop_fleet`, or an
/// instance `cachetop fleet` polled over its control socket. The JSON keys are the view's
/// column names.
public struct FleetMember: Sendable, Codable, Equatable {
    /// The process's identity: its registry UUID, or the socket it was reached on.
    public var instance: String
    public var cache: String
    public var service: String
    public var host: String
    public var pid: Int
    /// The control socket, when the process serves one (path on `host`).
    public var endpoint: String?
    public var uptimeMilliseconds: Int64?
    /// Time since the instance's last heartbeat, on the database's clock; nil for an instance
    /// polled directly.
    public var beatAgeMilliseconds: Int64?
    public var summary: FleetSummary

    public init(instance: String, cache: String, service: String, host: String, pid: Int, endpoint: String?,
                uptimeMilliseconds: Int64?, beatAgeMilliseconds: Int64?, summary: FleetSummary) {
        self.instance = instance
        self.cache = cache
        self.service = service
        self.host = host
        self.pid = pid
        self.endpoint = endpoint
        self.uptimeMilliseconds = uptimeMilliseconds
        self.beatAgeMilliseconds = beatAgeMilliseconds
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case instance, cache, service, host, pid, endpoint, summary
        case uptimeMilliseconds = "uptime_ms"
        case beatAgeMilliseconds = "beat_age_ms"
    }
}
