import ArgumentParser
import CacheControl
import Foundation

struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every instance of a service on one screen: from the fleet registry in PostgreSQL, a socket directory, or a list.",
        discussion: """
        --db reads the registry table that instances running the CacheFleet library's FleetRegistry keep \
        (through psql: a conninfo string or postgresql:// URI; empty for libpq's PG* environment). \
        --dir polls every control socket in a directory; --hosts polls the sockets a file lists, one path \
        per line (# starts a comment). Without any: --dir $XDG_RUNTIME_DIR/cachetop. Enter opens an \
        instance in the single-instance screen (Esc returns); an instance on another host is reached \
        through an SSH-forwarded socket when --ssh is given.
        """)

    @Option(help: "The service's PostgreSQL, holding the fleet registry and the invalidation log (psql's -d).") var db: String?
    @Option(help: "Poll every control socket in this directory.") var dir: String?
    @Option(help: "Poll the control sockets this file lists, one path per line.") var hosts: String?
    @Option(help: "The SSH command that reaches other hosts' sockets, e.g. \"ssh -p 2222\" (its options split on spaces).") var ssh: String?
    @Option(help: "Seconds without a report before an instance shows as stale.") var staleAfter = 15.0
    @Option(help: "Seconds without a report before an instance shows as lost.") var lostAfter = 60.0
    @Flag(help: "Print one JSON document per frame instead of text (implies batch mode).") var json = false
    @OptionGroup var display: DashboardOptions

    func validate() throws {
        let given = [db != nil, dir != nil, hosts != nil].filter { $0 }.count
        guard given <= 1 else { throw ValidationError("give one of --db, --dir and --hosts") }
        guard staleAfter > 0, lostAfter >= staleAfter else {
            throw ValidationError("--stale-after must be more than 0 and --lost-after at least --stale-after")
        }
        if let ssh, ssh.split(separator: " ").isEmpty { throw ValidationError("--ssh must name a command") }
    }

    func run() async throws {
        let source: any FleetSource
        if let db {
            source = RegistryFleetSource(database: PostgresCommandLine(database: db))
        } else if let hosts {
            source = SocketFleetSource(.list(try Self.readList(hosts)))
        } else if let dir {
            guard FileManager.default.fileExists(atPath: dir) else { throw fail("--dir \(dir) does not exist") }
            source = SocketFleetSource(.directory(dir))
        } else if let directory = ControlSocketDirectory.path() {
            source = SocketFleetSource(.directory(directory))
        } else {
            throw fail("no --db, --dir or --hosts, and XDG_RUNTIME_DIR is not set: say where the fleet is")
        }
        let reach = InstanceReach(localHost: ProcessInfo.processInfo.hostName, ssh: ssh.map { $0.split(separator: " ").map(String.init) })
        let runner = FleetRunner(source: source, options: display, reach: reach, staleAfter: staleAfter, lostAfter: lostAfter)
        do {
            if json || display.isBatch { try await runner.runBatch(json: json) } else { try await runner.runInteractive() }
        } catch {
            throw fail("\(error)")
        }
    }

    /// The socket paths of a `--hosts` file.
    static func readList(_ path: String) throws(ExitCode) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw fail("cannot read --hosts \(path)") }
        var paths: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            guard line.hasPrefix("/") else { throw fail("\(path):\(number + 1): '\(line)' is not an absolute socket path") }
            paths.append(line)
        }
        guard !paths.isEmpty else { throw fail("--hosts \(path) lists no socket") }
        return paths
    }
}
