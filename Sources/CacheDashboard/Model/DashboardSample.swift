import CacheVocabulary

/// Who the dashboard is watching.
public struct TargetInfo: Sendable, Codable, Equatable {
    /// "demo (steady)" or the socket path.
    public var name: String
    /// The cache shown, when the target names it (a host may serve several).
    public var cache: String?
    /// Every cache the target serves, in its order (`Tab` steps through them); nil or one name
    /// when there is only the one.
    public var caches: [String]?
    public var pid: Int32?
    public var uid: UInt32?
    /// The host refuses mutating requests.
    public var readOnly: Bool
    /// The host allows load injection.
    public var loadInjection: Bool

    public init(name: String, cache: String? = nil, caches: [String]? = nil, pid: Int32? = nil, uid: UInt32? = nil,
                readOnly: Bool = false, loadInjection: Bool = false) {
        self.name = name
        self.cache = cache
        self.caches = caches
        self.pid = pid
        self.uid = uid
        self.readOnly = readOnly
        self.loadInjection = loadInjection
    }

    enum CodingKeys: String, CodingKey {
        case name, cache, caches, pid, uid
        case readOnly = "read_only"
        case loadInjection = "load_injection"
    }
}

/// One poll of the target: everything a frame is drawn from. `--record` writes these as JSON
/// lines and `replay` reads them back, so a replay draws exactly what was seen.
public struct DashboardSample: Sendable, Codable, Equatable {
    /// Wall-clock time of the poll, seconds since the Unix epoch.
    public var time: Double
    public var target: TargetInfo
    public var snapshot: CacheSnapshot
    /// The next entries to expire, nearest first.
    public var expiring: [ExpiringEntry]
    public var load: LoadState
    /// The hottest keys, in samples that carry them (sources fetch them less often than the
    /// rest); nil in the others and in older recordings.
    public var hottest: [HotEntry]?

    public init(time: Double, target: TargetInfo, snapshot: CacheSnapshot, expiring: [ExpiringEntry] = [],
                load: LoadState = LoadState(), hottest: [HotEntry]? = nil) {
        self.time = time
        self.target = target
        self.snapshot = snapshot
        self.expiring = expiring
        self.load = load
        self.hottest = hottest
    }

    /// One of the hottest keys: the policy's frequency estimate (a count-min sketch, 0...15),
    /// its age and time left when it has a deadline.
    public struct HotEntry: Sendable, Codable, Equatable {
        public var key: String
        /// Nil while the host's sketch counts nothing yet (a shard under half full).
        public var frequency: Int?
        public var ageMilliseconds: Int64?
        public var timeLeftMilliseconds: Int64?

        public init(key: String, frequency: Int?, ageMilliseconds: Int64? = nil, timeLeftMilliseconds: Int64? = nil) {
            self.key = key
            self.frequency = frequency
            self.ageMilliseconds = ageMilliseconds
            self.timeLeftMilliseconds = timeLeftMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case key, frequency
            case ageMilliseconds = "age_ms"
            case timeLeftMilliseconds = "time_left_ms"
        }
    }

    public struct ExpiringEntry: Sendable, Codable, Equatable {
        public var key: String
        /// Milliseconds left at `time`.
        public var timeLeftMilliseconds: Int64

        public init(key: String, timeLeftMilliseconds: Int64) {
            self.key = key
            self.timeLeftMilliseconds = timeLeftMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case key
            case timeLeftMilliseconds = "time_left_ms"
        }
    }

    /// Injected load, as far as the source knows it.
    public struct LoadState: Sendable, Codable, Equatable {
        public var running: Bool
        /// The running workload's profile name, when it was started as one.
        public var profile: String?
        public var operations: Int

        public init(running: Bool = false, profile: String? = nil, operations: Int = 0) {
            self.running = running
            self.profile = profile
            self.operations = operations
        }
    }
}

/// What the dashboard asks of its target.
public enum SourceCommand: Sendable, Equatable {
    case sweep
    case resize(Int)
    case startLoad(Workload.Profile)
    case stopLoad
    /// Look one key up, from its text (the host's key parser reads it).
    case lookUp(String)
    /// Show the named cache of the target from the next sample on.
    case showCache(String)
}

/// The one seam between the dashboard and where its data comes from: an embedded engine, a
/// control socket, or a recording. Demo, attach and replay share every line of drawing code.
public protocol SnapshotSource: Sendable {
    /// A fresh sample with the `expiring` entries nearest their deadline and, with `hottest`,
    /// that many of the hottest keys (asked for less often than the rest). Throws when the
    /// target cannot be reached (the dashboard then shows DISCONNECTED and retries).
    func sample(hottest: Int?, expiring: Int) async throws -> DashboardSample
    /// Carries out `command`; returns the outcome as one line for the event log.
    /// - Throws: an error whose description is the line to show.
    func perform(_ command: SourceCommand) async throws -> String
    /// The samples as a paced sequence: a live target every interval (``polledSamples(_:)``, the
    /// default), a recording at its recorded gaps. The runner consumes it the same way for both.
    func samples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent>
}

extension SnapshotSource {
    public func samples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent> { polledSamples(pacing) }
}
