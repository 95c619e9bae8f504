import CacheControl
import CacheDashboard
import CacheEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The demo's caches as a snapshot source, sampled in process through the same views the
/// control socket serves (``ControlTarget``), so the demo and an attached host show the same
/// figures the same way.
final class EmbeddedSource: SnapshotSource {
    let host: DemoHost
    private let targets: [ControlTarget]
    private struct Shown {
        /// The cache on screen, an index into `targets`.
        var index = 0
        /// The profile of the load this dashboard started, to name it while it runs.
        var profile: Workload.Profile?
    }
    private let shown = Mutex(Shown())

    init(host: DemoHost) {
        self.host = host
        targets = host.controlTargets
    }

    private var current: (target: ControlTarget, profile: Workload.Profile?) {
        let (index, profile) = shown.withLock { ($0.index, $0.profile) }
        return (targets[index], profile)
    }

    func sample(hottest: Int?, expiring: Int) async throws -> DashboardSample {
        let (target, profile) = current
        let load = target.load
        let running = load?.current() != nil
        let info = TargetInfo(name: "demo (\(host.scenario.rawValue))", cache: target.name, caches: targets.map(\.name),
                              pid: getpid(), uid: getuid(), readOnly: false, loadInjection: load != nil)
        return SampleMapping.sample(
            time: wallClockSeconds(), target: info, snapshot: target.snapshot(), expiring: target.entries(.expiring, expiring),
            hottest: hottest.map { target.entries(.hottest, $0) },
            load: .init(running: running, profile: running ? profile?.rawValue : nil, operations: load?.operationsPerformed() ?? 0))
    }

    func perform(_ command: SourceCommand) async throws -> String {
        let target = current.target
        switch command {
        case .sweep:
            let report = target.sweep()
            return CommandOutcome.sweep(examined: report.examined, removed: report.removed, nanoseconds: report.durationNanoseconds)
        case .resize(let capacity):
            let report = try target.resize(capacity)
            return CommandOutcome.resize(from: report.oldCapacity, to: report.newCapacity, evicted: report.evicted)
        case .startLoad(let next):
            guard let load = target.load else { throw CommandRefusal(description: "cache \(target.name) does not take injected load") }
            let workload = try load.bounded(DemoHost.injectedWorkload(next))
            try load.start(workload)
            shown.withLock { $0.profile = next }
            return CommandOutcome.loadStarted(next, rate: workload.rate)
        case .stopLoad:
            await target.load?.stop()
            return "load injection stopped"
        case .lookUp(let text):
            guard let lookup = target.lookup else { throw CommandRefusal(description: "cache \(target.name) cannot look keys up") }
            guard let found = lookup(text) else { throw CommandRefusal(description: "'\(text)' is not a key of cache \(target.name)") }
            return CommandOutcome.lookUp(text, found.entry)
        case .showCache(let name):
            guard let index = targets.firstIndex(where: { $0.name == name }) else {
                throw CommandRefusal(description: "no cache named \(name)")
            }
            shown.withLock { $0.index = index }
            return "showing cache \(name)"
        }
    }
}
