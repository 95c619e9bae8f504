import CacheControl
import CacheDashboard
import CacheEngine
import Synchronization

/// A host's cache over its control socket. Learns the host (pid, uid, read-only, load
/// injection) on the first poll and after every reconnection, so a restarted host is noticed.
final class SocketSource: SnapshotSource {
    let client: ControlClient
    let cacheName: String?
    private struct Known {
        var target: TargetInfo?
        var profile: Workload.Profile?
    }
    private let known = Mutex(Known())

    init(path: String, cacheName: String?) {
        client = ControlClient(path: path, timeout: .seconds(3))
        self.cacheName = cacheName
    }

    func sample() async throws -> DashboardSample {
        do {
            let target = try await targetInfo()
            let snapshot = try await client.snapshot(cache: cacheName)
            let expiring = try await client.keys(order: .expiring, limit: 8, cache: cacheName).entries.map {
                DashboardSample.ExpiringEntry(key: $0.key, timeLeftMilliseconds: $0.timeLeftMilliseconds ?? 0)
            }
            let load = try await client.loadStatus(cache: cacheName)
            let profile = load.running ? known.withLock { $0.profile?.rawValue } : nil
            return DashboardSample(time: wallClockSeconds(), target: target, snapshot: snapshot, expiring: expiring,
                                   load: .init(running: load.running, profile: profile, operations: load.operationsPerformed))
        } catch {
            // Learn the host again after any failure: it may have restarted.
            known.withLock { $0.target = nil }
            await client.disconnect()
            throw error
        }
    }

    private func targetInfo() async throws -> TargetInfo {
        if let target = known.withLock({ $0.target }) { return target }
        let info = try await client.serverInfo()
        guard let cache = cacheName.map({ name in info.caches.first { $0.name == name } }) ?? info.caches.first else {
            throw ControlClientError.refused(status: 404, message: "no cache named '\(cacheName ?? "")'; the host serves \(info.caches.map(\.name).joined(separator: ", "))")
        }
        let name = client.path + (info.caches.count > 1 ? " [\(cache.name)]" : "")
        let target = TargetInfo(name: name, cache: cache.name, pid: info.pid, uid: info.uid, readOnly: info.readOnly,
                                loadInjection: cache.load.enabled)
        known.withLock { $0.target = target }
        return target
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
            known.withLock { $0.profile = profile }
            return CommandOutcome.loadStarted(profile, rate: status.workload?.rate)
        case .stopLoad:
            _ = try await client.stopLoad(cache: cacheName)
            return "load injection stopped"
        }
    }
}
