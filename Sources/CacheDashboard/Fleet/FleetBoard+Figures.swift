import CacheVocabulary

/// What an instance's row shows, derived from its reports over the window.
public struct FleetRow: Sendable, Equatable {
    public var member: FleetMember
    public var presence: FleetBoard.Presence
    /// Seconds since the instance's newest report.
    public var reportAge: Double
    /// Hits ÷ gets over the window; over the instance's lifetime until two reports exist.
    public var hitRatio: Double?
    public var hits: Int
    public var gets: Int
    public var getsPerSecond: Double?
    public var bytesPerEntry: Double?
    /// Live tasks at each report in the window, oldest first.
    public var taskSeries: [Int]
    public var flags: [FleetOutlier]
}

/// Why a row is flagged: it stands out against the fleet's median.
public enum FleetOutlier: String, Sendable, CaseIterable {
    /// A hit ratio more than ten points below the median.
    case hitRatio = "hit"
    /// Resident bytes per cached entry more than twice the median.
    case bytesPerEntry = "mem"
    /// A task count that only rose over the window (``LeakWatch``).
    case tasksRising = "tasks"
    /// The invalidation bus unverified, or its lag above a second and twice the median.
    case busLag = "bus"

    public var help: String {
        switch self {
        case .hitRatio: return "hit ratio more than 10 points below the fleet's median"
        case .bytesPerEntry: return "resident bytes per entry more than twice the fleet's median"
        case .tasksRising: return "task count only rising over the window (a leak)"
        case .busLag: return "invalidation bus unverified, or lagging over 1 s and twice the median"
        }
    }
}

/// The header's figures: sums over the instances that are up, never a mean of their ratios.
public struct FleetTotals: Sendable, Equatable {
    /// Distinct processes listed (a process may serve several caches, a row each).
    public var processes = 0
    public var up = 0
    public var stale = 0
    public var lost = 0
    /// Σ hits ÷ Σ gets over the window, across the instances that are up.
    public var hitRatio: Double?
    public var getsPerSecond = 0.0
    public var entries = 0
    public var capacity = 0
    public var residentBytes = 0
    public var tasks = 0
    public var loadsInFlight = 0
}

extension FleetBoard {
    /// A median of `values`, nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    func presence(age: Double) -> Presence {
        age <= staleAfter ? .up : age <= lostAfter ? .stale : .lost
    }

    /// Every instance's row at `now`, ordered by service, host, pid and cache. An unverified
    /// bus is flagged whatever the fleet's size; the outliers against the medians of the
    /// instances that are up need at least three of them. O(members × observations).
    public func rows(now: Double) -> [FleetRow] {
        var rows = tracks.values.map { row(of: $0, now: now) }
        rows.sort { ($0.member.service, $0.member.host, $0.member.pid, $0.member.cache) < ($1.member.service, $1.member.host, $1.member.pid, $1.member.cache) }
        let live = rows.filter { $0.presence == .up }
        let compared = live.count >= 3
        let hitMedian = compared ? Self.median(live.compactMap(\.hitRatio)) : nil
        let bytesMedian = compared ? Self.median(live.compactMap(\.bytesPerEntry)) : nil
        let lagMedian = compared ? Self.median(live.compactMap { $0.member.summary.coherence.map { Double($0.lagMilliseconds) } }) : nil
        for index in rows.indices where rows[index].presence == .up {
            var flags: [FleetOutlier] = []
            if let median = hitMedian, let ratio = rows[index].hitRatio, ratio < median - 0.10 { flags.append(.hitRatio) }
            if let median = bytesMedian, let bytes = rows[index].bytesPerEntry, bytes > 2 * median { flags.append(.bytesPerEntry) }
            if compared, LeakWatch.isRisingOnly(rows[index].taskSeries) { flags.append(.tasksRising) }
            if let bus = rows[index].member.summary.coherence {
                let lag = Double(bus.lagMilliseconds)
                let unverified = !bus.verified && bus.state != .stopped
                if unverified || (lagMedian.map { lag > 1_000 && lag > 2 * $0 } ?? false) { flags.append(.busLag) }
            }
            rows[index].flags = flags
        }
        return rows
    }

    private func row(of track: Track, now: Double) -> FleetRow {
        let latest = track.observations.last?.summary ?? track.member.summary
        let inWindow = track.observations.filter { $0.time >= now - window }
        let first = inWindow.count >= 2 ? inWindow.first! : nil
        let hits = latest.hits - (first?.summary.hits ?? 0)
        let gets = hits + latest.misses - (first?.summary.misses ?? 0)
        let elapsed = first.map { (inWindow.last!.time - $0.time) } ?? 0
        let age = max(0, now - track.reportedAt)
        return FleetRow(
            member: track.member, presence: presence(age: age), reportAge: age,
            hitRatio: gets > 0 ? Double(hits) / Double(gets) : nil, hits: hits, gets: gets,
            getsPerSecond: elapsed > 0 ? Double(gets) / elapsed : nil,
            bytesPerEntry: latest.count > 0 ? Double(latest.residentBytes) / Double(latest.count) : nil,
            taskSeries: inWindow.map { $0.summary.totalTasks }, flags: [])
    }

    /// The header's sums over `rows`.
    public static func totals(_ rows: [FleetRow]) -> FleetTotals {
        var totals = FleetTotals()
        var hits = 0, gets = 0
        for row in rows {
            switch row.presence {
            case .up: totals.up += 1
            case .stale: totals.stale += 1
            case .lost: totals.lost += 1
            }
            guard row.presence == .up else { continue }
            hits += row.hits
            gets += row.gets
            totals.getsPerSecond += row.getsPerSecond ?? 0
            let summary = row.member.summary
            totals.entries += summary.count
            totals.capacity += summary.capacity
            totals.tasks += summary.totalTasks
            totals.loadsInFlight += summary.loadsInFlight
        }
        // One process's memory once, however many caches it serves.
        var seen = Set<String>()
        for row in rows where row.presence == .up && seen.insert(row.member.instance).inserted {
            totals.residentBytes += row.member.summary.residentBytes
        }
        totals.processes = Set(rows.map(\.member.instance)).count
        totals.hitRatio = gets > 0 ? Double(hits) / Double(gets) : nil
        return totals
    }
}
