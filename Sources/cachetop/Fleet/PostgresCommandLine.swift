import Foundation
import Synchronization

/// Runs SQL through `psql`, PostgreSQL's own client: `cachetop` reads the fleet registry and
/// writes to the invalidation log without linking a database driver (the engine's users must
/// not inherit one). `database` is anything `psql -d` takes: a conninfo string or a
/// `postgresql://` URI; empty means libpq's environment (`PGHOST`, `PGPORT`, ...). Every call
/// connects anew, within a 3 s connect timeout and a 5 s statement timeout.
struct PostgresCommandLine: Sendable {
    let database: String

    /// The database as the header shows it: any password replaced by `***`.
    var redacted: String {
        if database.isEmpty { return "$PGHOST" }
        var shown = database
        if let scheme = shown.range(of: "://"), let at = shown[scheme.upperBound...].firstIndex(of: "@"),
           let colon = shown[scheme.upperBound..<at].firstIndex(of: ":") {
            shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
        }
        if let password = shown.range(of: "password=") {
            let end = shown[password.upperBound...].firstIndex(of: " ") ?? shown.endIndex
            shown.replaceSubrange(password.upperBound..<end, with: "***")
        }
        return shown
    }

    /// Runs `sql` (psql variables `:'name'` interpolated from `variables`) and returns the
    /// unaligned, tuples-only output.
    /// - Throws: ``FleetSourceError`` with psql's first error line, or why psql did not run.
    func run(_ sql: String, variables: [String: String] = [:]) async throws -> String {
        var arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-v", "\(name)=\(value)"] }
        if !database.isEmpty { arguments += ["-d", database] }
        arguments += ["-f", "-"]
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = environment["PGCONNECT_TIMEOUT"] ?? "3"
        environment["PGOPTIONS"] = ((environment["PGOPTIONS"] ?? "") + " -c statement_timeout=5000").trimmingCharacters(in: .whitespaces)
        environment["PGAPPNAME"] = "cachetop fleet"
        let finished = try await runBlocking(arguments: arguments, environment: environment, input: sql)
        guard finished.status == 0 else {
            let line = finished.error.split(separator: "\n").first.map(String.init) ?? "psql exited with status \(finished.status)"
            throw FleetSourceError(description: line.replacingOccurrences(of: "psql: ", with: ""))
        }
        return finished.output
    }

    private struct Finished: Sendable {
        var status: Int32
        var output: String
        var error: String
    }

    /// psql on its own thread (it blocks), killed if it outlives 15 s.
    private func runBlocking(arguments: [String], environment: [String: String], input: String) async throws -> Finished {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Finished, any Error>) in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["psql"] + arguments
                process.environment = environment
                let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stderr
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: FleetSourceError(description: "cannot run psql (PostgreSQL's client; apt-get install postgresql-client): \(error)"))
                    return
                }
                // SIGKILL: psql inherits the runtime thread's blocked signal mask, SIGTERM included.
                let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
                DispatchQueue.global().asyncAfter(deadline: .now() + 15, execute: killer)
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
                // Drain stderr beside stdout so neither pipe fills and blocks psql.
                let errorData = Mutex<Data>(Data())
                let drained = DispatchSemaphore(value: 0)
                let drain = Thread {
                    let data = stderr.fileHandleForReading.readDataToEndOfFile()
                    errorData.withLock { $0 = data }
                    drained.signal()
                }
                drain.start()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                killer.cancel()
                drained.wait()
                let error = errorData.withLock { String(decoding: $0, as: UTF8.self) }
                if process.terminationReason == .uncaughtSignal {
                    continuation.resume(throwing: FleetSourceError(description: "psql did not finish within 15 s"))
                    return
                }
                if process.terminationStatus == 127 {
                    continuation.resume(throwing: FleetSourceError(description: "psql, PostgreSQL's client, is not installed (apt-get install postgresql-client)"))
                    return
                }
                continuation.resume(returning: Finished(status: process.terminationStatus,
                                                        output: String(decoding: output, as: UTF8.self), error: error))
            }
            thread.start()
        }
    }
}
