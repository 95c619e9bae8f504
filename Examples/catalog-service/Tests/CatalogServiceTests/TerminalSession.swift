import CatalogService
import Foundation

/// A tmux server of its own running one program in a detached session, read and typed into as
/// a person would. (The root package's end-to-end tests drive the dashboard the same way.)
final class TerminalSession {
    let server = "catalog-e2e-\(UInt32.random(in: 0...UInt32.max))"

    /// The tmux server's and the program's process ids.
    private var processes: [pid_t] = []

    init(command: String, width: Int = 120, height: Int = 40) throws {
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", command])
        processes = try tmux(["display-message", "-p", "-t", "main", "#{pid} #{pane_pid}"])
            .split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
    }

    /// Ends the program and the tmux server; by process id as well, should the server not
    /// act on `kill-server`.
    func close() {
        _ = try? tmux(["kill-server"])
        for pid in processes where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        processes = []
    }

    deinit { close() }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]) }

    /// Polls the screen until it contains `text`; the screen. Fails after `timeout`.
    @discardableResult
    func waitFor(text: String, timeout: Duration = .seconds(30)) async throws -> String {
        var last = ""
        do {
            try await poll("'\(text)' on the screen", timeout: timeout) {
                last = try screen()
                return last.contains(text)
            }
        } catch {
            print("the screen was:\n\(last)")
            throw error
        }
        return last
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(server)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        // Spawned without Foundation's Process: the tmux server it starts would inherit
        // Process's exit-detection descriptor (see TestDatabase.spawnAndWait).
        let status = try TestDatabase.spawnAndWait(["/usr/bin/tmux", "-L", server] + arguments, output: log)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw CatalogSetupError("tmux \(arguments.first ?? "") failed: \(output)") }
        return output
    }
}
