import CacheVocabulary

/// Everything a frame is drawn from, and how it changes: samples in, keys in, effects out.
/// A value type with no I/O and no clock of its own (times are passed in), so it is driven
/// the same way live, in replay and in tests. Not thread-safe: the runner guards it.
public struct DashboardState: Sendable {
    public enum Mode: Sendable, Equatable { case live, replay }

    /// The target's reachability, as the last poll found it.
    public enum Connection: Sendable, Equatable {
        case waiting
        case connected
        case disconnected(since: Double, reason: String, nextRetry: Double)
    }

    public let mode: Mode
    /// `--readonly`: mutating keys are refused before they reach the target.
    public let readOnlyOption: Bool
    /// Whether a key that changes the target asks first (attached to a live process; the demo
    /// acts at once).
    public let confirmsActions: Bool
    /// Whether `Esc` leaves the screen: opened from `cachetop fleet`, it returns to the table.
    public var escapeReturns = false
    /// The change a key asked for, waiting for `y`.
    public var confirmation: Confirmation?
    /// The objectives to judge each sample against (`--slo`); none by default.
    public let objectives: ServiceLevelObjectives
    /// This machine's memory, for a memory objective given as a share of it.
    public let machineMemoryBytes: Int?
    /// The objectives breached at the newest sample, by name (to log each start and end once).
    var breached: Set<String> = []
    /// The rows of the screen last drawn (the screen loop sets it), so that samples carry what
    /// the panels have room for.
    public var screenRows = 40
    public var glyphs: Glyphs
    public private(set) var history: [DashboardSample] = []
    public private(set) var rates: [Rates] = []
    /// The history the screen shows while paused.
    public private(set) var frozen: (history: [DashboardSample], rates: [Rates])?
    public var window: RateWindow = .oneMinute
    public var showHelp = false
    /// What is typed after `c` (a capacity) or `/` (a key), while that prompt is open.
    public var prompt: String?
    /// Which prompt is open.
    public var promptKind: PromptKind = .capacity

    /// The two things the footer can ask an operator to type.
    public enum PromptKind: Sendable, Equatable {
        case capacity, key

        /// The footer's label.
        public var label: String { self == .capacity ? "new capacity: " : "find key: " }
    }
    public var connection: Connection = .waiting
    public var events = EventLog()
    /// The refresh interval (live) in seconds.
    public private(set) var interval: Double
    /// Playback speed (replay).
    public private(set) var replaySpeed = 1.0
    public private(set) var profile: Workload.Profile = .steady
    public private(set) var themeNames: [String]
    public private(set) var themeName: String
    /// Counts by name ("loader", "in-flight loads", ...) currently flagged as rising only.
    public private(set) var suspectedLeaks: Set<String> = []
    /// The capacity the dashboard's own last resize set, so the change it causes is not
    /// reported twice.
    public var commandedCapacity: Int?

    /// Samples kept: enough for the widest graph and the 5-minute window at 4 samples a second.
    public static let historyLimit = 1_200
    /// Refresh intervals `<` and `>` step through, in seconds.
    public static let intervals: [Double] = [0.25, 0.5, 1, 2, 5, 10]
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16]

    public init(mode: Mode = .live, readOnly: Bool = false, confirmsActions: Bool = false, glyphs: Glyphs,
                interval: Double = 1, themeNames: [String] = ["default"], themeName: String = "default",
                objectives: ServiceLevelObjectives = ServiceLevelObjectives(), machineMemoryBytes: Int? = nil) {
        self.mode = mode
        self.objectives = objectives
        self.machineMemoryBytes = machineMemoryBytes
        self.readOnlyOption = readOnly
        self.confirmsActions = confirmsActions
        self.glyphs = glyphs
        self.interval = interval
        self.themeNames = themeNames.contains(themeName) ? themeNames : [themeName] + themeNames
        self.themeName = themeName
    }

    /// Whether the screen is frozen.
    public var isPaused: Bool { frozen != nil }

    /// The history to draw: frozen while paused, live otherwise.
    public var shownHistory: [DashboardSample] { frozen?.history ?? history }
    public var shownRates: [Rates] { frozen?.rates ?? rates }

    /// The newest sample shown.
    public var latest: DashboardSample? { shownHistory.last }

    /// Read-only by option or because the host says so.
    public var isReadOnly: Bool { readOnlyOption || (history.last?.target.readOnly ?? false) }

    /// Adds a poll's result; notes in the event log what changed in the target.
    public mutating func ingest(_ sample: DashboardSample) {
        if case .disconnected = connection {
            events.append("reconnected to \(sample.target.name)" + (sample.target.pid.map { " (pid \($0))" } ?? ""), at: sample.time)
        }
        connection = .connected
        if let previous = history.last {
            if previous.target.cache != sample.target.cache {
                events.append("showing cache \(sample.target.cache ?? "?")" + (sample.target.caches.map { " (\($0.count) caches)" } ?? ""),
                              at: sample.time)
                history.removeAll()
                rates.removeAll()
            } else if previous.target.pid != sample.target.pid || sample.snapshot.counters.hits < previous.snapshot.counters.hits {
                events.append("target restarted: counters start again", at: sample.time)
                history.removeAll()
                rates.removeAll()
            } else {
                rates.append(Rates(from: previous, to: sample))
                noteChanges(from: previous, to: sample)
            }
        }
        history.append(sample)
        if history.count > Self.historyLimit {
            history.removeFirst(history.count - Self.historyLimit)
            rates.removeFirst(max(0, rates.count - (Self.historyLimit - 1)))
        }
        updateLeaks(at: sample.time)
        noteObjectives(at: sample.time)
        // A replay's sample that arrives while paused is a step (`n`): it stays on screen.
        if mode == .replay, isPaused { freeze() }
    }

    /// Records that the last poll failed.
    public mutating func pollFailed(_ reason: String, at time: Double, retryAt: Double) {
        switch connection {
        case .disconnected(let since, _, _):
            connection = .disconnected(since: since, reason: reason, nextRetry: retryAt)
        default:
            events.append("disconnected: \(reason)", at: time, isError: true)
            connection = .disconnected(since: time, reason: reason, nextRetry: retryAt)
        }
    }

    private mutating func noteChanges(from previous: DashboardSample, to sample: DashboardSample) {
        let before = previous.snapshot, after = sample.snapshot
        if before.capacity != after.capacity, after.capacity != commandedCapacity {
            events.append("capacity changed: \(before.capacity) -> \(after.capacity)", at: sample.time)
        }
        if previous.load.running != sample.load.running {
            events.append(sample.load.running ? "load injection started" + (sample.load.profile.map { " (\($0))" } ?? "")
                                              : "load injection stopped", at: sample.time)
        }
        if after.weightedSize > after.capacity, before.weightedSize <= before.capacity {
            events.append("CAPACITY OVERRUN: \(after.weightedSize) of \(after.capacity)", at: sample.time, isError: true)
        }
    }

    /// The series LeakWatch examines, by name, over the hit-ratio window.
    public func watchedSeries() -> [(name: String, values: [Int])] {
        let recent = Array(shownHistory.suffix(samplesInWindow))
        var kinds = Set<String>()
        for sample in recent { kinds.formUnion(sample.snapshot.tasks.keys) }
        var series = kinds.sorted().map { kind in (kind, recent.map { $0.snapshot.tasks[kind] ?? 0 }) }
        series.append(("in-flight loads", recent.map(\.snapshot.loads.inFlight)))
        series.append(("load waiters", recent.map(\.snapshot.loads.waiters)))
        return series
    }

    /// A target younger than this is still starting up: its counts rise without leaking.
    public static let leakWatchWarmUp = 10.0

    private mutating func updateLeaks(at time: Double) {
        if let uptime = latest?.snapshot.uptimeNanoseconds, Double(uptime) / 1e9 < Self.leakWatchWarmUp {
            suspectedLeaks = []
            return
        }
        let flagged = Set(watchedSeries().filter { LeakWatch.isRisingOnly($0.values) }.map(\.name))
        for name in flagged.subtracting(suspectedLeaks).sorted() {
            events.append("suspected leak: \(name) has only risen", at: time, isError: true)
        }
        for name in suspectedLeaks.subtracting(flagged).sorted() {
            events.append("\(name) no longer rising only", at: time)
        }
        suspectedLeaks = flagged
    }

    /// Samples the hit-ratio window spans, judged from the recent spacing of samples.
    public var samplesInWindow: Int { samplesInWindow(of: shownHistory) }

    /// Hit ratio over the window: hits over reads between the window's first and last sample.
    public var windowHitRatio: Double? { windowHitRatio(of: shownHistory) }

    /// How many of `history`'s newest samples the window spans.
    func samplesInWindow(of history: [DashboardSample]) -> Int {
        guard history.count >= 2 else { return history.count }
        let recent = history.suffix(10)
        let spacing = max(0.05, (recent.last!.time - recent.first!.time) / Double(recent.count - 1))
        return max(2, Int((Double(window.rawValue) / spacing).rounded()) + 1)
    }

    /// The hit ratio over the window's samples of `history`.
    func windowHitRatio(of history: [DashboardSample]) -> Double? {
        let shown = history.suffix(samplesInWindow(of: history))
        guard let first = shown.first, let last = shown.last else { return nil }
        let hits = last.snapshot.counters.hits - first.snapshot.counters.hits
        let reads = hits + last.snapshot.counters.misses - first.snapshot.counters.misses
        return reads > 0 ? Double(hits) / Double(reads) : nil
    }

    mutating func setInterval(_ seconds: Double) { interval = seconds }
    mutating func setSpeed(_ speed: Double) { replaySpeed = speed }
    mutating func setProfile(_ next: Workload.Profile) { profile = next }
    mutating func setTheme(_ name: String) { themeName = name }
    mutating func freeze() { frozen = (history, rates) }
    mutating func unfreeze() { frozen = nil }
}
