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

/// The dashboard's sample from the control API's vocabulary: the one mapping the embedded and
/// the socket sources share.
enum SampleMapping {
    static func sample(time: Double, target: TargetInfo, snapshot: CacheSnapshot, expiring: [ControlProtocol.KeyEntry],
                       hottest: [ControlProtocol.KeyEntry]?, load: DashboardSample.LoadState) -> DashboardSample {
        DashboardSample(
            time: time, target: target, snapshot: snapshot,
            expiring: expiring.map { DashboardSample.ExpiringEntry(key: $0.key, timeLeftMilliseconds: $0.timeLeftMilliseconds ?? 0) },
            load: load,
            hottest: hottest?.map {
                DashboardSample.HotEntry(key: $0.key, frequency: $0.frequency, ageMilliseconds: $0.ageMilliseconds,
                                         timeLeftMilliseconds: $0.timeLeftMilliseconds)
            })
    }
}

/// A command the source refused before reaching the target, with the line to show.
struct CommandRefusal: Error, CustomStringConvertible {
    let description: String
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

    /// "user:42: cached in shard #3 · frequency ~7 (estimate) · age 12.0s · 48.0s left · weight 1",
    /// or "user:42: not cached".
    static func lookUp(_ text: String, _ entry: ControlProtocol.KeyEntry?) -> String {
        guard let entry else { return "\(text): not cached" }
        var parts = [entry.absent ? "cached as absent" : "cached"]
        if let shard = entry.shard { parts[0] += " in shard #\(shard)" }
        if let frequency = entry.frequency { parts.append("frequency ~\(frequency) (estimate)") }
        if let age = entry.ageMilliseconds { parts.append("age \(Format.seconds(Double(age) / 1000))") }
        parts.append(entry.timeLeftMilliseconds.map { "\(Format.seconds(Double($0) / 1000)) left" } ?? "no deadline")
        if let weight = entry.weight { parts.append("weight \(weight)") }
        return "\(text): " + parts.joined(separator: " · ")
    }
}

/// Seconds since the Unix epoch, from the system's real-time clock.
func wallClockSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
