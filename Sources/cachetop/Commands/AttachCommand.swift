import ArgumentParser
import CacheControl

struct Attach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the cache of a running process through its control socket.",
        discussion: """
        When the process goes away the screen stays up, shows DISCONNECTED and retries with backoff. \
        Without a socket: $CACHETOP_SOCKET, else the only socket in $XDG_RUNTIME_DIR/cachetop/ \
        (where a host's ControlServer.Configuration.inRuntimeDirectory(name:) puts it).
        """)

    @Argument(help: "The control socket of the host process (default: see below).") var socket: String?
    @Option(help: "The cache to show, when the host serves several.") var cache: String?
    @OptionGroup var display: DashboardOptions

    func run() async throws {
        let source = SocketSource(path: try SocketDiscovery.resolve(socket), cacheName: cache)
        let runner: DashboardRunner
        do {
            runner = try DashboardRunner(source: source, options: display, confirmsActions: true)
        } catch {
            throw fail("\(error)")
        }
        do {
            if display.isBatch { try await runner.runBatch() } else { try await runner.runInteractive() }
        } catch {
            throw fail("\(error)")
        }
    }
}

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play back a recording made with --record (p pauses, n steps, < and > change speed).")

    @Argument(help: "A file written by --record.") var file: String
    @OptionGroup var display: DashboardOptions

    func run() async throws {
        do {
            let runner = try DashboardRunner(source: try ReplaySource(path: file), options: display, replay: true)
            if display.isBatch { try await runner.runBatch() } else { try await runner.runInteractive() }
        } catch {
            throw fail("\(error)")
        }
    }
}
