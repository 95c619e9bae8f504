import CacheVocabulary
import Foundation
import Synchronization

/// How `cachetop fleet` reaches an instance's control socket: directly when the instance runs
/// on this host, else through an SSH-forwarded socket (`ssh -L local.sock:remote.sock host`),
/// opened for the one exchange or screen and closed after it. The SSH command is the
/// operator's (`--ssh`, default `ssh`), so `~/.ssh/config` decides users, ports and keys.
struct InstanceReach: Sendable {
    /// This machine's name, as instances report theirs.
    let localHost: String
    /// The SSH command and its options, split on spaces; nil when forwarding is off.
    let ssh: [String]?

    /// Runs `body` with a socket path reaching `member`'s control socket.
    /// - Throws: why the instance cannot be reached, or what `body` threw.
    func withSocket<Result: Sendable>(of member: FleetMember, _ body: (String) async throws -> Result) async throws -> Result {
        guard let endpoint = member.endpoint else {
            throw FleetSourceError(description: "it serves no control socket")
        }
        if member.host == localHost { return try await body(endpoint) }
        guard let ssh else {
            throw FleetSourceError(description: "it runs on \(member.host), not here: pass --ssh to forward its socket over SSH")
        }
        let forward = try await SocketForward.open(ssh: ssh, host: member.host, remotePath: endpoint)
        do {
            let result = try await body(forward.localPath)
            forward.close()
            return result
        } catch {
            forward.close()
            throw error
        }
    }
}
