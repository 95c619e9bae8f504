import ArgumentParser
import CacheEngine

/// What the embedded demo engine is put through.
enum DemoScenario: String, CaseIterable, ExpressibleByArgument, Sendable {
    case steady
    case flashCrowd = "flash-crowd"
    case scan
    case writeStorm = "write-storm"
    /// Steady traffic whose backend stops answering for a while, again and again.
    case stuckBackend = "stuck-backend"

    /// The workload profile the scenario runs.
    var profile: Workload.Profile {
        switch self {
        case .steady, .stuckBackend: return .steady
        case .flashCrowd: return .flashCrowd
        case .scan: return .scan
        case .writeStorm: return .writeStorm
        }
    }

    /// While the backend answers, then while it is stalled (stuck-backend only).
    static let stuckBackendCycle = (answering: Duration.seconds(15), stalled: Duration.seconds(20))
}
