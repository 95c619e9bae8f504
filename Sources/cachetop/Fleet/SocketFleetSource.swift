import CacheControl
import CacheVocabulary
import Foundation
import Synchronization

/// The fleet as control sockets: every socket in a directory (`--dir`), or a fixed list read
/// from a file (`--hosts`). Each poll asks every socket for its caches' snapshots, at most 2 s
/// each, all at once. An instance that stops answering keeps its last report, which ages into
/// stale and lost as a silent registry row does.
final class SocketFleetSource: FleetSource {
    enum Endpoints: Sendable {
        case directory(String)
        case list([String])
    }

    let endpoints: Endpoints
    private let lastSeen = Mutex<[String: (members: [FleetMember], at: Double)]>([:])
    private let hostName = ProcessInfo.processInfo.hostName

    init(_ endpoints: Endpoints) {
        self.endpoints = endpoints
    }

    var label: String {
        switch endpoints {
        case .directory(let path): return "sockets in " + path
        case .list(let paths): return "\(paths.count) listed socket\(paths.count == 1 ? "" : "s")"
        }
    }

    var canFlush: Bool { false }

    /// The sockets to poll now (a directory is listed again on every poll).
    func paths() -> [String] {
        switch endpoints {
        case .directory(let path): return ControlSocketDirectory.sockets(in: path)
        case .list(let paths): return paths
        }
    }

    func members() async throws -> [FleetMember] {
        let paths = paths()
        let polled = await withTaskGroup(of: (String, [FleetMember]?).self) { group in
            for path in paths { group.addTask { (path, await self.poll(path)) } }
            var found: [String: [FleetMember]?] = [:]
            for await (path, members) in group { found[path] = members }
            return found
        }
        let now = Date().timeIntervalSince1970
        return lastSeen.withLock { lastSeen in
            var members: [FleetMember] = []
            for path in paths {
                if let fresh = polled[path] ?? nil {
                    lastSeen[path] = (fresh, now)
                    members += fresh
                } else if let last = lastSeen[path] {
                    let age = Int64((now - last.at) * 1_000)
                    members += last.members.map { var member = $0; member.beatAgeMilliseconds = age; return member }
                }
            }
            // A socket gone from the directory is forgotten with its process.
            lastSeen = lastSeen.filter { paths.contains($0.key) }
            return members
        }
    }

    /// One socket's caches, or nil when it does not answer.
    private func poll(_ path: String) async -> [FleetMember]? {
        let client = ControlClient(path: path, timeout: .seconds(2))
        let members = try? await members(of: client, path: path)
        await client.disconnect()
        return members
    }

    private func members(of client: ControlClient, path: String) async throws -> [FleetMember] {
        let info = try await client.serverInfo()
        let service = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var members: [FleetMember] = []
        for cache in info.caches {
            let snapshot = try await client.snapshot(cache: cache.name)
            members.append(FleetMember(instance: path, cache: cache.name, service: service, host: hostName,
                                       pid: Int(info.pid), endpoint: path,
                                       uptimeMilliseconds: snapshot.uptimeNanoseconds.map { $0 / 1_000_000 },
                                       beatAgeMilliseconds: 0, summary: FleetSummary(snapshot: snapshot)))
        }
        return members
    }

    func flush(namespace: String) async throws -> Int64 {
        throw FleetSourceError(description: "flush goes through the invalidation log: start cachetop fleet with --db")
    }
}
