import CacheVocabulary

/// The expectations an operator writes down (`--slo hit=92.5%,load-p95=8ms,memory=75%`), so that
/// a breach is flagged when it starts rather than noticed late. Each is optional; none is set by
/// default.
///
/// - `hit=P%`: the hit ratio over the window (`w`) is at least P%.
/// - `load-pNN=D` (p50, p90, p95, p99, p999; D in `us`, `ms` or `s`): that percentile of the
///   loads that ended within the window is at most D.
/// - `memory=P%` or `memory=SIZE` (`KiB`, `MiB`, `GiB`): the target's resident memory is at most
///   P% of this machine's memory (a control socket is local, so the host shares it) or SIZE.
public struct ServiceLevelObjectives: Sendable, Equatable {
    public var hitRatio: Double?
    public var loadLatency: LatencyObjective?
    public var memory: MemoryObjective?

    public struct LatencyObjective: Sendable, Equatable {
        /// 0.95 for p95.
        public var percentile: Double
        public var nanoseconds: Int64
        /// "p95".
        public var label: String
    }

    public enum MemoryObjective: Sendable, Equatable {
        case fractionOfMachine(Double)
        case bytes(Int)
    }

    public init(hitRatio: Double? = nil, loadLatency: LatencyObjective? = nil, memory: MemoryObjective? = nil) {
        self.hitRatio = hitRatio
        self.loadLatency = loadLatency
        self.memory = memory
    }

    public var isEmpty: Bool { hitRatio == nil && loadLatency == nil && memory == nil }

    /// Why a `--slo` text was refused: the item and what was expected.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `hit=92.5%,load-p95=8ms,memory=75%` (any subset, in any order; empty: none).
    /// - Throws: ``ParseError`` naming the item and what it must look like.
    public static func parse(_ text: String) throws(ParseError) -> ServiceLevelObjectives {
        var objectives = ServiceLevelObjectives()
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ParseError(description: "SLO '\(item)' must look like name=value, such as hit=92.5%")
            }
            let (name, value) = (parts[0], parts[1])
            switch name {
            case "hit":
                guard let percent = percentage(value), percent > 0, percent <= 100 else {
                    throw ParseError(description: "SLO hit must be a percentage above 0 and at most 100, such as hit=92.5%, got '\(value)'")
                }
                objectives.hitRatio = percent / 100
            case _ where name.hasPrefix("load-p"):
                let digits = String(name.dropFirst("load-p".count))
                guard let percentile = percentileFraction(digits) else {
                    throw ParseError(description: "SLO '\(name)' must name a percentile: load-p50, load-p90, load-p95, load-p99 or load-p999")
                }
                guard let nanoseconds = duration(value), nanoseconds > 0 else {
                    throw ParseError(description: "SLO \(name) must be a duration such as 8ms, 500us or 1.5s, got '\(value)'")
                }
                objectives.loadLatency = LatencyObjective(percentile: percentile, nanoseconds: nanoseconds, label: "p" + digits)
            case "memory":
                if let percent = percentage(value) {
                    guard percent > 0, percent <= 100 else {
                        throw ParseError(description: "SLO memory must be above 0% and at most 100%, got '\(value)'")
                    }
                    objectives.memory = .fractionOfMachine(percent / 100)
                } else if let bytes = size(value), bytes > 0 {
                    objectives.memory = .bytes(bytes)
                } else {
                    throw ParseError(description: "SLO memory must be a percentage of this machine's memory (75%) or a size (512MiB, 2GiB), got '\(value)'")
                }
            default:
                throw ParseError(description: "unknown SLO '\(name)': use hit, load-p50, load-p90, load-p95, load-p99, load-p999 or memory")
            }
        }
        return objectives
    }

    private static func percentage(_ text: String) -> Double? {
        guard text.hasSuffix("%"), let value = Double(text.dropLast()), value.isFinite else { return nil }
        return value
    }

    private static func percentileFraction(_ digits: String) -> Double? {
        switch digits {
        case "50": return 0.5
        case "90": return 0.9
        case "95": return 0.95
        case "99": return 0.99
        case "999": return 0.999
        default: return nil
        }
    }

    private static func duration(_ text: String) -> Int64? {
        for (unit, scale) in [("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)] where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value.isFinite, value >= 0, value < 1e6 else { return nil }
            return Int64((value * scale).rounded())
        }
        return nil
    }

    private static func size(_ text: String) -> Int? {
        for (unit, scale) in [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40)] where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value.isFinite, value > 0, value < 1e6 else { return nil }
            return Int(value * Double(scale))
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
