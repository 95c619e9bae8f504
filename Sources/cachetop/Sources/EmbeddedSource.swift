import CacheDashboard
import CacheEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The demo's engine as a snapshot source: samples and commands go straight to the cache.
final class EmbeddedSource: SnapshotSource {
    let host: DemoHost
    private let profile = Mutex<Workload.Profile?>(nil)

    init(host: DemoHost) {
        self.host = host
    }

    func sample() async throws -> DashboardSample {
        let cache = host.cache
        let expiring = cache.nextToExpire(8).map {
            DashboardSample.ExpiringEntry(key: "user:\($0.key)", timeLeftMilliseconds: ($0.timeLeft?.nanosecondsClamped ?? 0) / 1_000_000)
        }
        let generator = host.injection.generator
        let running = generator.isRunning
        return DashboardSample(
            time: wallClockSeconds(),
            target: TargetInfo(name: "demo (\(host.scenario.rawValue))", pid: getpid(), uid: getuid(), readOnly: false, loadInjection: true),
            snapshot: cache.snapshot(), expiring: expiring,
            load: .init(running: running, profile: running ? profile.withLock { $0?.rawValue } : nil,
                        operations: generator.operationsPerformed))
    }

    func perform(_ command: SourceCommand) async throws -> String {
        let cache = host.cache
        switch command {
        case .sweep:
            let report = cache.sweep()
            return CommandOutcome.sweep(examined: report.examined, removed: report.removed, nanoseconds: report.durationNanoseconds)
        case .resize(let capacity):
            let report = try cache.resize(capacity: capacity)
            return CommandOutcome.resize(from: report.oldCapacity, to: report.newCapacity, evicted: report.evicted)
        case .startLoad(let next):
            let workload = DemoHost.injectedWorkload(next)
            try host.injection.generator.start(workload)
            profile.withLock { $0 = next }
            return CommandOutcome.loadStarted(next, rate: workload.rate)
        case .stopLoad:
            await host.injection.generator.stop()
            return "load injection stopped"
        }
    }
}

/// The event-log lines for command outcomes, shared by every source.
enum CommandOutcome {
    static func sweep(examined: Int, removed: Int, nanoseconds: Int64) -> String {
        "sweep: examined \(examined), removed \(removed) in \(Format.duration(nanoseconds: nanoseconds))"
    }

    static func resize(from old: Int, to new: Int, evicted: Int) -> String {
        "capacity \(old) -> \(new), evicted \(evicted)"
    }

    static func loadStarted(_ profile: Workload.Profile, rate: Int?) -> String {
        "load injection on: \(profile.rawValue)" + (rate.map { " at \(Format.rate(Double($0)))" } ?? "")
    }
}

/// Seconds since the Unix epoch, from the system's real-time clock.
func wallClockSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
