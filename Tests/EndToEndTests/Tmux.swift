import Foundation

/// The cachetop binary this test run was built with.
enum Binary {
    static var cachetop: String {
        let candidates: [String?] = [
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("cachetop").path,
            CommandLine.arguments.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("cachetop").path },
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/cachetop").path,
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "cachetop"
    }
}

/// Runs a command and returns its standard output (see ``Shell``).
@discardableResult
func run(_ executable: String, _ arguments: [String], capture: Bool = true) throws -> String {
    try Shell.run(executable, arguments, capture: capture)
}

/// Runs a command to its end; returns its exit status and standard error.
func statusAndErrors(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let result = try runCapturing(executable, arguments)
    return (result.status, result.stderr)
}

/// Runs a command to its end with `environment` changes (nil removes a variable); returns its
/// exit status, standard output and standard error.
func runCapturing(_ executable: String, _ arguments: [String], environment changes: [String: String?] = [:]) throws
    -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    for (name, value) in changes { environment[name] = value }
    process.environment = environment
    let errors = Pipe(), output = Pipe()
    process.standardError = errors
    process.standardOutput = output
    try process.run()
    // Read both to their ends before waiting, so a full pipe cannot stall the child.
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

/// Starts `cachetop demo --headless` serving the control socket at `socket`; output discarded.
func startHeadlessDemo(_ binary: String, socket: String) throws -> Process {
    let host = Process()
    host.executableURL = URL(fileURLWithPath: binary)
    host.arguments = ["demo", "--headless", "--socket", socket]
    host.standardOutput = FileHandle.nullDevice
    host.standardError = FileHandle.nullDevice
    try host.run()
    return host
}

/// A tmux server of its own (`-L`), one session in it, driven as a person would: keys in,
/// screen text out.
final class TmuxSession {
    let server = "cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
    let name = "main"
    let tmux = "/usr/bin/tmux"

    /// Starts `command` (or a shell when nil) in a detached session of `width` × `height`.
    init(width: Int = 120, height: Int = 40, command: String? = nil) throws {
        var arguments = ["-L", server, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        if let command { arguments.append(command) }
        try run(tmux, arguments, capture: false)
        try run(tmux, ["-L", server, "set-option", "-t", name, "remain-on-exit", "on"])
    }

    /// Ends the tmux server and everything running in it.
    func close() {
        _ = try? run(tmux, ["-L", server, "kill-server"], capture: false)
    }

    deinit { close() }

    func send(_ keys: String...) throws {
        try run(tmux, ["-L", server, "send-keys", "-t", name] + keys)
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try run(tmux, ["-L", server, "send-keys", "-t", name, "-l", text])
    }

    func screen() throws -> String {
        try run(tmux, ["-L", server, "capture-pane", "-p", "-t", name])
    }

    /// The screen with its colour and attribute escape sequences.
    func screenWithEscapes() throws -> String {
        try run(tmux, ["-L", server, "capture-pane", "-e", "-p", "-t", name])
    }

    func resize(width: Int, height: Int) throws {
        try run(tmux, ["-L", server, "resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The process id of the program in the pane.
    func panePID() throws -> pid_t {
        pid_t(try run(tmux, ["-L", server, "display-message", "-p", "-t", name, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Whether the program in the pane has exited.
    func paneDead() throws -> Bool {
        try run(tmux, ["-L", server, "display-message", "-p", "-t", name, "#{pane_dead}"]).hasPrefix("1")
    }

    /// Polls the screen until `condition` holds; returns the last screen. Fails after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TimedOut(what: what, screen: last)
    }

    @discardableResult
    func waitFor(text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitFor("'\(text)' on screen", timeout: timeout) { $0.contains(text) }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var screen: String
    var description: String { "timed out waiting for \(what); the screen was:\n\(screen)" }
}

/// The first number after `label` on the screen ("ops 25.9k/s" → 25900).
func figure(after label: String, in screen: String) -> Double? {
    guard let range = screen.range(of: label + " ") else { return nil }
    let rest = screen[range.upperBound...].prefix { !$0.isWhitespace && $0 != "/" && $0 != "%" }
    var text = String(rest)
    var scale = 1.0
    if text.hasSuffix("k") { scale = 1e3; text.removeLast() } else if text.hasSuffix("M") { scale = 1e6; text.removeLast() }
    return Double(text).map { $0 * scale }
}
