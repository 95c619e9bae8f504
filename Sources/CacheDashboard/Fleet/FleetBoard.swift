import CacheVocabulary

/// The state of `cachetop fleet`: what each instance reported over the window, the row the
/// operator selected, a pending confirmation and the outcome lines of fleet actions. Pure and
/// clock-free (every method takes `now`), so the figures, the outlier flags and the keys are
/// tested without a database or a terminal. A value type behind the runner's lock, as
/// ``DashboardState`` is.
public struct FleetBoard: Sendable {
    /// How an instance stands, from the age of its newest report.
    public enum Presence: String, Sendable, CaseIterable {
        /// Reported within ``FleetBoard/staleAfter``.
        case up
        /// Silent for longer, but not yet ``FleetBoard/lostAfter``: paused, partitioned or slow.
        case stale
        /// Silent for longer than ``FleetBoard/lostAfter``: likely gone.
        case lost
    }

    /// One report of one instance: when its summary was taken (seconds since the epoch) and
    /// the summary.
    struct Observation: Sendable {
        var time: Double
        var summary: FleetSummary
    }

    /// One instance's latest identity and its reports inside the longest window.
    struct Track: Sendable {
        var member: FleetMember
        var reportedAt: Double
        var observations: [Observation]
    }

    /// The hit-ratio and rate windows `w` cycles through, in seconds.
    public static let windows: [Double] = [30, 60, 300]

    /// Where the members come from, for the header ("registry postgres://…", "dir /run/…").
    public var sourceLabel: String
    /// A report older than this makes an instance stale (three missed heartbeats by default).
    public var staleAfter: Double
    /// A report older than this makes an instance lost.
    public var lostAfter: Double
    public var window: Double = FleetBoard.windows[0]
    public var readOnly: Bool
    /// Whether actions ask for `y` first.
    public var confirmsActions: Bool
    /// Whether `F` can flush through the invalidation log (the members come from the registry).
    public var canFlush: Bool
    public var glyphs: Glyphs
    public var showHelp = false
    public internal(set) var confirmation: FleetConfirmation?
    /// The selected row's instance key (instance and cache), kept across reorderings.
    public internal(set) var selectedKey: String?
    /// Outcome lines of actions and polls, newest last.
    public internal(set) var events = EventLog()
    /// The last poll's failure, shown in the header until a poll succeeds.
    public internal(set) var pollProblem: String?
    /// When the newest poll succeeded.
    public internal(set) var lastPoll: Double?
    var tracks: [String: Track] = [:]

    public init(sourceLabel: String, staleAfter: Double = 15, lostAfter: Double = 60, readOnly: Bool = false,
                confirmsActions: Bool = true, canFlush: Bool, glyphs: Glyphs = Glyphs(graph: .braille)) {
        self.sourceLabel = sourceLabel
        self.staleAfter = staleAfter
        self.lostAfter = max(lostAfter, staleAfter)
        self.readOnly = readOnly
        self.confirmsActions = confirmsActions
        self.canFlush = canFlush
        self.glyphs = glyphs
    }

    /// The key a member's row is known by: one process can serve several caches.
    public static func key(of member: FleetMember) -> String { member.instance + "/" + member.cache }

    /// Takes one poll's members, seen at `now`. A member's report time is `now` less its
    /// heartbeat age, so a row repeated by the registry between heartbeats adds no observation.
    /// Instances missing from the poll keep their last report and age into stale, then lost;
    /// lost ones are forgotten after ten minutes. O(members × observations in the window).
    public mutating func ingest(_ members: [FleetMember], now: Double) {
        lastPoll = now
        pollProblem = nil
        let horizon = now - Self.windows.last! - 1
        for member in members {
            let key = Self.key(of: member)
            let reportedAt = now - Double(member.beatAgeMilliseconds ?? 0) / 1_000
            var track = tracks[key] ?? Track(member: member, reportedAt: reportedAt, observations: [])
            track.member = member
            if let last = track.observations.last, reportedAt <= last.time + 0.001 {
                // The same heartbeat again; keep its first time.
            } else {
                track.observations.append(Observation(time: reportedAt, summary: member.summary))
            }
            // A restarted process (counters went back) starts a new history.
            if let first = track.observations.first, member.summary.hits + member.summary.misses < first.summary.hits + first.summary.misses {
                track.observations = [Observation(time: reportedAt, summary: member.summary)]
            }
            track.reportedAt = max(track.reportedAt, reportedAt)
            track.observations.removeAll { $0.time < horizon && $0.time < track.reportedAt }
            tracks[key] = track
        }
        tracks = tracks.filter { now - $0.value.reportedAt < max(600, lostAfter) }
        if selectedKey == nil || tracks[selectedKey!] == nil { selectedKey = rows(now: now).first.map { Self.key(of: $0.member) } }
    }

    /// Records a poll that failed: the rows stay and age; the header names the problem.
    public mutating func pollFailed(_ problem: String, now: Double) {
        if pollProblem != problem { events.append("poll failed: \(problem)", at: now, isError: true) }
        pollProblem = problem
    }

    /// Records the outcome of an action, one line per instance.
    public mutating func record(_ line: String, isError: Bool, now: Double) {
        events.append(line, at: now, isError: isError)
    }
}

/// A fleet action waiting for the operator's `y`.
public struct FleetConfirmation: Sendable, Equatable {
    public var question: String
    public var effect: FleetEffect
}
