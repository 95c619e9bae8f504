import CacheVocabulary

/// One objective against its figure, for the panels, the header and the event log.
public struct ObjectiveStatus: Sendable, Equatable {
    /// "hit", "load p95", "memory".
    public var name: String
    /// The figure now: "83.8%".
    public var figure: String
    /// The objective: "≥92.5%".
    public var target: String
    /// Whether it is met; nil while there is no figure to judge (no reads, no loads).
    public var met: Bool?
}

extension DashboardState {
    /// Each objective set, judged on the shown samples (frozen while paused).
    public var objectiveStatuses: [ObjectiveStatus] { objectiveStatuses(of: shownHistory) }

    /// Each objective set, judged on `history`: the hit ratio and load percentile over the
    /// window, the newest resident memory. O(buckets).
    func objectiveStatuses(of history: [DashboardSample]) -> [ObjectiveStatus] {
        var statuses: [ObjectiveStatus] = []
        let shown = history.suffix(samplesInWindow(of: history))
        if let target = objectives.hitRatio {
            let ratio = windowHitRatio(of: history)
            statuses.append(ObjectiveStatus(name: "hit", figure: ratio.map(Format.percent) ?? "-",
                                            target: "≥" + Self.objectivePercent(target), met: ratio.map { $0 >= target }))
        }
        if let latency = objectives.loadLatency {
            let figure = shown.first.flatMap { first in
                shown.last.flatMap { last in
                    Rates.percentile(latency.percentile, from: first.snapshot.loads.latency.bucketCounts,
                                     to: last.snapshot.loads.latency.bucketCounts)
                }
            }
            let ascii = !glyphs.unicode
            statuses.append(ObjectiveStatus(
                name: "load " + latency.label,
                figure: figure.map { Format.duration(nanoseconds: Int64($0), ascii: ascii) } ?? "-",
                target: "≤" + Format.duration(nanoseconds: latency.nanoseconds, ascii: ascii),
                met: figure.map { $0 <= Double(latency.nanoseconds) }))
        }
        if let memory = objectives.memory, let resident = shown.last?.snapshot.process.residentBytes {
            switch memory {
            case .bytes(let limit):
                statuses.append(ObjectiveStatus(name: "memory", figure: Format.bytes(resident), target: "≤" + Format.bytes(limit),
                                                met: resident <= limit))
            case .fractionOfMachine(let fraction):
                let share = machineMemoryBytes.map { Double(resident) / Double(max(1, $0)) }
                statuses.append(ObjectiveStatus(name: "memory", figure: share.map(Format.percent) ?? Format.bytes(resident),
                                                target: "≤" + Self.objectivePercent(fraction), met: share.map { $0 <= fraction }))
            }
        }
        return statuses
    }

    /// An objective's percentage as written: one decimal, or two when it has them (99.99%).
    static func objectivePercent(_ fraction: Double) -> String {
        let tenths = fraction * 1_000
        return Format.fixed(fraction * 100, abs(tenths - tenths.rounded()) < 1e-6 ? 1 : 2) + "%"
    }

    /// The objectives breached now.
    public var breachedObjectives: [ObjectiveStatus] { objectiveStatuses.filter { $0.met == false } }

    /// Logs each objective that starts or stops being breached at the newest sample, judged on
    /// the live history even while the screen is paused.
    mutating func noteObjectives(at time: Double) {
        guard !objectives.isEmpty else { return }
        for status in objectiveStatuses(of: history) {
            let wasBreached = breached.contains(status.name)
            if status.met == false, !wasBreached {
                breached.insert(status.name)
                events.append("SLO breached: \(status.name) \(status.figure), objective \(status.target)", at: time, isError: true)
            } else if status.met == true, wasBreached {
                breached.remove(status.name)
                events.append("SLO met again: \(status.name) \(status.figure), objective \(status.target)", at: time)
            }
        }
    }
}
