import CacheDashboard
import CacheVocabulary
import Foundation

/// `cachetop fleet --json`: one JSON document per line with the fleet's totals and every
/// instance's registry row plus what the table derives from it (presence, windowed hit ratio
/// and rate, outlier flags). The keys are snake_case, as the snapshot's are.
struct FleetReport: Encodable {
    struct Totals: Encodable {
        var up: Int
        var stale: Int
        var lost: Int
        var hitRatio: Double?
        var getsPerSecond: Double
        var entries: Int
        var capacity: Int
        var residentBytes: Int
        var tasks: Int
        var loadsInFlight: Int

        enum CodingKeys: String, CodingKey {
            case up, stale, lost, entries, capacity, tasks
            case hitRatio = "hit_ratio"
            case getsPerSecond = "gets_per_second"
            case residentBytes = "resident_bytes"
            case loadsInFlight = "loads_in_flight"
        }
    }

    struct Instance: Encodable {
        var member: FleetMember
        var presence: String
        var reportAgeSeconds: Double
        var hitRatio: Double?
        var getsPerSecond: Double?
        var flags: [String]

        enum CodingKeys: String, CodingKey {
            case member, presence, flags
            case reportAgeSeconds = "report_age_s"
            case hitRatio = "hit_ratio"
            case getsPerSecond = "gets_per_second"
        }
    }

    var time: Double
    var source: String
    var windowSeconds: Double
    var totals: Totals
    var instances: [Instance]

    enum CodingKeys: String, CodingKey {
        case time, source, totals, instances
        case windowSeconds = "window_s"
    }

    init(board: FleetBoard, now: Double) {
        let rows = board.rows(now: now)
        let sums = FleetBoard.totals(rows)
        time = now
        source = board.sourceLabel
        windowSeconds = board.window
        totals = Totals(up: sums.up, stale: sums.stale, lost: sums.lost, hitRatio: sums.hitRatio, getsPerSecond: sums.getsPerSecond,
                        entries: sums.entries, capacity: sums.capacity, residentBytes: sums.residentBytes, tasks: sums.tasks,
                        loadsInFlight: sums.loadsInFlight)
        instances = rows.map {
            Instance(member: $0.member, presence: $0.presence.rawValue, reportAgeSeconds: $0.reportAge, hitRatio: $0.hitRatio,
                     getsPerSecond: $0.getsPerSecond, flags: $0.flags.map(\.rawValue))
        }
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
