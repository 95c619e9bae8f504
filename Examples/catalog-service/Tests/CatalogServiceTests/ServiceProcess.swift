import Foundation
import Testing

/// The `catalog-service` binary of this build, started as an operator would: its own process,
/// the database from libpq's variables, a control socket, a free port.
/// `@unchecked Sendable`: set up before it is shared, then only read (`Process` reads its own
/// state under a lock).
final class ServiceProcess: @unchecked Sendable {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("catalog-service").path

    let process = Process()
    let directory: String
    let socket: String
    private let output: String
    private(set) var baseURL = ""

    /// - Parameters:
    ///   - arguments: the service's options after `serve --port 0 --control-socket PATH`.
    ///   - networkNamespace: a network namespace to run it in (`ip netns exec`).
    ///   - environment: variables to set for it (the database's address, from inside a namespace).
    init(arguments: [String] = [], networkNamespace: String? = nil, environment: [String: String] = [:]) throws {
        directory = "/tmp/catalog-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socket = directory + "/catalog.sock"
        output = directory + "/stdout"
        FileManager.default.createFile(atPath: output, contents: nil)
        let serve = ["serve", "--port", "0", "--control-socket", socket] + arguments
        if let networkNamespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", networkNamespace, Self.binary] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = serve
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
    }

    /// Starts the service and waits for the line that gives its address.
    func start() async throws {
        try process.run()
        try await poll("the service to print its address", timeout: .seconds(30)) {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.contains("http://") }),
                  let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) else { return false }
            baseURL = String(address)
            return true
        }
    }

    /// Waits up to `timeout` for the process to end; its exit status, or nil if it is still running.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
