import CacheControl
import CacheDashboard
import CacheEngine
import Synchronization

/// A host's cache over its control socket: one request per sample (`GET /v1/sample`), which
/// also tells who the host is (pid, uid, read-only, load injection), so a restarted host is
/// noticed on the next poll.
final class SocketSource: SnapshotSource {
    let client: ControlClient
    private struct Shown {
        /// The cache on screen: `--cache`, then what `Tab` chose; nil for the host's first.
        var cache: String?
        /// The profile of the load this dashboard started, to name it while it runs.
        var profile: Workload.Profile?
    }
    private let shown: Mutex<Shown>

    init(path: String, cacheName: String?) {
        client = ControlClient(path: path, timeout: .seconds(3))
        shown = Mutex(Shown(cache: cacheName))
    }

    private var cacheName: String? { shown.withLock { $0.cache } }

    func sample(hottest: Int?, expiring: Int) async throws -> DashboardSample {
        do {
            let (cache, profile) = shown.withLock { ($0.cache, $0.profile) }
            let sample = try await client.sample(cache: cache, expiring: expiring, hottest: hottest)
            // From now on name the cache shown, so that a change lands on it and no other.
            if cache == nil { shown.withLock { $0.cache = $0.cache ?? sample.cache } }
            let target = TargetInfo(name: client.path, cache: sample.cache, caches: sample.caches, pid: sample.pid,
                                    uid: sample.uid, readOnly: sample.readOnly, loadInjection: sample.load.enabled)
            return SampleMapping.sample(
                time: wallClockSeconds(), target: target, snapshot: sample.snapshot, expiring: sample.expiring,
                hottest: sample.hottest,
                load: .init(running: sample.load.running, profile: sample.load.running ? profile?.rawValue : nil,
                            operations: sample.load.operationsPerformed))
        } catch {
            // A new connection after any failure: the host may have restarted.
            await client.disconnect()
            throw error
        }
    }

    func perform(_ command: SourceCommand) async throws -> String {
        switch command {
        case .sweep:
            let result = try await client.sweep(cache: cacheName)
            return CommandOutcome.sweep(examined: result.examined, removed: result.removed, nanoseconds: result.durationNanoseconds)
        case .resize(let capacity):
            let change = try await client.resize(capacity: capacity, cache: cacheName)
            return CommandOutcome.resize(from: change.oldCapacity, to: change.newCapacity, evicted: change.evicted)
        case .startLoad(let profile):
            let capacity = try await client.snapshot(cache: cacheName).capacity
            let workload = Workload.profile(profile, keySpace: UInt64(max(1_000, capacity * 4)), rate: nil)
            let status = try await client.startLoad(workload, cache: cacheName)
            shown.withLock { $0.profile = profile }
            return CommandOutcome.loadStarted(profile, rate: status.workload?.rate)
        case .stopLoad:
            _ = try await client.stopLoad(cache: cacheName)
            return "load injection stopped"
        case .lookUp(let text):
            let found = try await client.lookUp(key: text, cache: cacheName)
            return CommandOutcome.lookUp(text, found.entry)
        case .showCache(let name):
            shown.withLock { $0.cache = name }
            return "showing cache \(name)"
        }
    }
}
