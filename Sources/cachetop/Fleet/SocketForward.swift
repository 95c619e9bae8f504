import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One SSH-forwarded unix socket: `ssh -N -L LOCAL:REMOTE HOST`, with LOCAL in a private
/// temporary directory. Opened when the local socket appears (within 10 s), closed by ending
/// ssh (SIGTERM, then reaping it) and removing the directory. ssh is spawned and reaped
/// directly, with its standard error in a file of that directory, quoted when it fails.
final class SocketForward {
    let localPath: String
    private let directory: String
    private var pid: pid_t

    private init(localPath: String, directory: String, pid: pid_t) {
        self.localPath = localPath
        self.directory = directory
        self.pid = pid
    }

    /// - Throws: ``FleetSourceError`` when ssh exits first or the socket does not appear.
    static func open(ssh: [String], host: String, remotePath: String) async throws -> SocketForward {
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((temporary + "cachetop-ssh.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw FleetSourceError(description: "cannot make a directory for the forwarded socket") }
        let directory = String(cString: made)
        let local = directory + "/control.sock"
        let errors = directory + "/ssh.err"
        let arguments = ssh + ["-N", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes", "-L", "\(local):\(remotePath)", host]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The spawning thread blocks most signals (the runtime's threads do) and a child keeps
        // that mask: without a clean one ssh would ignore the SIGTERM that closes it. Its own
        // process group keeps the terminal's Ctrl-C away from it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard spawned == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw FleetSourceError(description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        let forward = SocketForward(localPath: local, directory: directory, pid: pid)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: local) { return forward }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                forward.pid = 0
                let message = ((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
                    .split(separator: "\n").last.map(String.init) ?? "ssh exited with status \((status >> 8) & 0xff)"
                forward.close()
                throw FleetSourceError(description: "ssh to \(host): \(message)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        forward.close()
        throw FleetSourceError(description: "ssh to \(host): the forwarded socket did not appear within 10 s")
    }

    func close() {
        if pid > 0 {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            pid = 0
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
