import CacheEngine
import CacheWorkload

/// One cache as the control server sees it: its name and the operations the endpoints call,
/// with the key and value types erased so one server can serve caches of different types.
///
/// Every operation is the cache's own (thread-safe, O(shards) for the snapshot, O(due entries)
/// for the sweep); this type adds no locking.
public struct ControlTarget: Sendable {
    /// The name `?cache=NAME` selects.
    public let name: String
    /// The registry of the cache's background tasks.
    public let tasks: TaskRegistry
    // The operations, for the router and, within this package, for cachetop's embedded demo,
    // which samples its caches through the same views the socket serves.
    package let snapshot: @Sendable () -> CacheSnapshot
    package let sweep: @Sendable () -> SweepReport
    package let resize: @Sendable (Int) throws(CacheError) -> ResizeReport
    package let entries: @Sendable (ControlProtocol.KeyOrder, Int) -> [ControlProtocol.KeyEntry]
    /// Looks one key up from its text: nil when the text is not a key of this cache (the
    /// parser refused it); nil as a whole when the host gave no parser.
    package let lookup: (@Sendable (String) -> ControlProtocol.KeyLookup?)?
    package let load: LoadInjector?

    /// - Parameters:
    ///   - name: a short name, unique within one server: letters, digits, `-`, `_` and `.`.
    ///   - cache: the cache to expose.
    ///   - describeKey: renders a key for `GET /v1/keys`; the default is `String(describing:)`.
    ///     Keep it free of secrets: whoever may read the socket sees its output.
    ///   - parseKey: turns typed text into a key for `GET /v1/key` (the dashboard's `/`); nil when
    ///     the text is not a key. By default, keys that are `LosslessStringConvertible` (`String`,
    ///     the integers) parse with their own initializer; other hosts must pass one, or the
    ///     endpoint answers 501.
    ///   - loadInjection: allows `POST /v1/load` against this cache within these bounds; nil (the
    ///     default) refuses load injection with 403.
    public init<Key, Value>(
        name: String = "default",
        cache: Cache<Key, Value>,
        describeKey: @escaping @Sendable (Key) -> String = { String(describing: $0) },
        parseKey: (@Sendable (String) -> Key?)? = nil,
        loadInjection: LoadInjection<Key, Value>? = nil
    ) {
        self.name = name
        self.tasks = cache.tasks
        self.snapshot = { cache.snapshot() }
        self.sweep = { cache.sweep() }
        self.resize = { capacity throws(CacheError) in try cache.resize(capacity: capacity) }
        self.entries = { order, limit in
            let infos = order == .hottest ? cache.hottest(limit) : cache.nextToExpire(limit)
            return infos.map { ControlTarget.entry($0, describeKey) }
        }
        if let parse = parseKey ?? Self.standardParser(for: Key.self) {
            self.lookup = { text in
                guard let key = parse(text) else { return nil }
                let entry = cache.entryInfo(forKey: key).map { ControlTarget.entry($0, describeKey) }
                return ControlProtocol.KeyLookup(key: text, cached: entry != nil, entry: entry)
            }
        } else {
            self.lookup = nil
        }
        self.load = loadInjection.map(LoadInjector.init)
    }

    static func entry<Key>(_ info: EntryInfo<Key>, _ describeKey: (Key) -> String) -> ControlProtocol.KeyEntry {
        ControlProtocol.KeyEntry(
            key: bounded(describeKey(info.key)),
            frequency: info.frequency,
            ageMilliseconds: info.age.map { $0.nanosecondsClamped / 1_000_000 },
            timeLeftMilliseconds: info.timeLeft.map { $0.nanosecondsClamped / 1_000_000 },
            absent: info.isAbsent, shard: info.shard, weight: info.weight)
    }

    /// `Key(text)` for keys that can be written as text and read back; nil for other keys.
    static func standardParser<Key>(for type: Key.Type) -> (@Sendable (String) -> Key?)? {
        guard let convertible = Key.self as? any LosslessStringConvertible.Type else { return nil }
        return { text in convertible.init(text) as? Key }
    }

    static func bounded(_ text: String) -> String {
        guard text.count > ControlProtocol.maximumKeyLength else { return text }
        return String(text.prefix(ControlProtocol.maximumKeyLength - 1)) + "…"
    }

    /// Whether `name` is acceptable as a target name.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }
}

/// Permission, and its bounds, to inject load into a host's cache through the control socket.
///
/// A request without a rate or duration gets the maximum; one above a maximum is refused with
/// 422 rather than silently reduced, so the caller knows what runs.
public struct LoadInjection<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let generator: WorkloadGenerator<Key, Value>
    public var maximumRate: Int
    public var maximumDuration: Duration
    public var maximumWorkers: Int

    /// - Parameters:
    ///   - generator: runs the workloads; its keys and values are what the load writes.
    ///   - maximumRate: operations per second, at most.
    ///   - maximumDuration: how long one injected workload may run, at most.
    ///   - maximumWorkers: concurrent worker tasks, at most.
    public init(generator: WorkloadGenerator<Key, Value>, maximumRate: Int = 200_000,
                maximumDuration: Duration = .seconds(600), maximumWorkers: Int = 4) {
        self.generator = generator
        self.maximumRate = max(1, maximumRate)
        self.maximumDuration = max(.seconds(1), maximumDuration)
        self.maximumWorkers = min(max(1, maximumWorkers), Workload.maximumWorkers)
    }
}

/// ``LoadInjection`` with its types erased.
package struct LoadInjector: Sendable {
    package let maximumRate: Int
    package let maximumDuration: Duration
    package let maximumWorkers: Int
    package let start: @Sendable (Workload) throws(WorkloadError) -> Void
    package let stop: @Sendable () async -> Void
    package let current: @Sendable () -> Workload?
    package let operationsPerformed: @Sendable () -> Int

    init<Key, Value>(_ injection: LoadInjection<Key, Value>) {
        let generator = injection.generator
        maximumRate = injection.maximumRate
        maximumDuration = injection.maximumDuration
        maximumWorkers = injection.maximumWorkers
        start = { workload throws(WorkloadError) in try generator.start(workload) }
        stop = { await generator.stop() }
        current = { generator.current }
        operationsPerformed = { generator.operationsPerformed }
    }

    /// `workload` with the bounds applied: a missing rate or duration becomes the maximum.
    /// - Throws: when the workload asks for more than a maximum.
    package func bounded(_ workload: Workload) throws(WorkloadError) -> Workload {
        var bounded = workload
        if let rate = workload.rate, rate > maximumRate {
            throw .invalid("rate \(rate)/s is over this host's limit of \(maximumRate)/s")
        }
        if let duration = workload.duration, duration > maximumDuration {
            throw .invalid("duration \(duration.secondsValue) s is over this host's limit of \(maximumDuration.secondsValue) s")
        }
        if workload.workers > maximumWorkers {
            throw .invalid("\(workload.workers) workers is over this host's limit of \(maximumWorkers)")
        }
        bounded.rate = workload.rate ?? maximumRate
        bounded.duration = workload.duration ?? maximumDuration
        return bounded
    }
}
