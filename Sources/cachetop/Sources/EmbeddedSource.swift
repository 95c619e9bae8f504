import CacheControl
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

    func sample(hottest: Int?) async throws -> DashboardSample {
        let cache = host.cache
        let expiring = cache.nextToExpire(8).map {
            DashboardSample.ExpiringEntry(key: DemoHost.describe($0.key), timeLeftMilliseconds: ($0.timeLeft?.nanosecondsClamped ?? 0) / 1_000_000)
        }
        let hot = hottest.map { limit in
            cache.hottest(limit).map { info in
                DashboardSample.HotEntry(key: DemoHost.describe(info.key), frequency: info.frequency ?? 0,
                                         ageMilliseconds: info.age.map { $0.nanosecondsClamped / 1_000_000 },
                                         timeLeftMilliseconds: info.timeLeft.map { $0.nanosecondsClamped / 1_000_000 })
            }
        }
        let generator = host.injection.generator
        let running = generator.isRunning
        return DashboardSample(
            time: wallClockSeconds(),
            target: TargetInfo(name: "demo (\(host.scenario.rawValue))", pid: getpid(), uid: getuid(), readOnly: false, loadInjection: true),
            snapshot: cache.snapshot(), expiring: expiring,
            load: .init(running: running, profile: running ? profile.withLock { $0?.rawValue } : nil,
                        operations: generator.operationsPerformed),
            hottest: hot)
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
        case .lookUp(let text):
            guard let key = DemoHost.parse(text) else {
                throw CommandRefusal(description: "'\(text)' is not a key of the demo (its keys look like user:42)")
            }
            return CommandOutcome.lookUp(text, host.cache.entryInfo(forKey: key).map { info in
                ControlProtocol.KeyEntry(key: text, frequency: info.frequency,
                                         ageMilliseconds: info.age.map { $0.nanosecondsClamped / 1_000_000 },
                                         timeLeftMilliseconds: info.timeLeft.map { $0.nanosecondsClamped / 1_000_000 },
                                         absent: info.isAbsent, shard: info.shard, weight: info.weight)
            })
        }
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
