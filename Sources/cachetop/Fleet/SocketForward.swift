import Foundation

/// One SSH-forwarded unix socket: `ssh -N -L LOCAL:REMOTE HOST`, with LOCAL in a private
/// temporary directory. Opened when the local socket appears (within 10 s), closed by ending
/// ssh and removing the directory.
final class SocketForward {
    let localPath: String
    private let directory: String
    private let process: Process

    private init(localPath: String, directory: String, process: Process) {
        self.localPath = localPath
        self.directory = directory
        self.process = process
    }

    /// - Throws: ``FleetSourceError`` when ssh exits first or the socket does not appear.
    static func open(ssh: [String], host: String, remotePath: String) async throws -> SocketForward {
        var template = Array((NSTemporaryDirectory() + "/cachetop-ssh.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw FleetSourceError(description: "cannot make a directory for the forwarded socket") }
        let directory = String(cString: made)
        let local = directory + "/control.sock"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ssh + ["-N", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes",
                                   "-L", "\(local):\(remotePath)", host]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw FleetSourceError(description: "cannot run \(ssh.joined(separator: " ")): \(error)")
        }
        let forward = SocketForward(localPath: local, directory: directory, process: process)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: local) { return forward }
            if !process.isRunning {
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .split(separator: "\n").last.map(String.init) ?? "ssh exited with status \(process.terminationStatus)"
                forward.close()
                throw FleetSourceError(description: "ssh to \(host): \(message)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        forward.close()
        throw FleetSourceError(description: "ssh to \(host): the forwarded socket did not appear within 10 s")
    }

    func close() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
