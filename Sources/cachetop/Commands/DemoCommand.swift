import ArgumentParser
import CacheControl
import CacheEngine
import Logging
import ServiceLifecycle
import UnixSignals

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an embedded cache with a realistic workload, and show it.",
        discussion: """
        With --socket the demo also serves the control socket, so that another terminal can \
        `cachetop attach PATH`. With --headless it shows nothing and runs until SIGINT or SIGTERM, \
        removing its socket on exit.
        """)

    @Option(help: "steady, flash-crowd, scan, write-storm or stuck-backend.") var scenario: DemoScenario = .steady
    @Option(help: "Also serve the control socket at this path.") var socket: String?
    @Flag(help: "No screen: run the engine (and the socket) until SIGINT or SIGTERM.") var headless = false
    @OptionGroup var display: DashboardOptions

    func validate() throws {
        if headless, socket == nil {
            throw ValidationError("--headless needs --socket PATH: without a screen or a socket nothing could be seen")
        }
    }

    func run() async throws {
        let logger = try LogDestination.logger(path: display.log, screenOwned: !headless && !display.isBatch)
        let host = try DemoHost(scenario: scenario)
        var services: [any Service] = [host.cache, host.sessions, host]
        if let socket {
            do {
                services.append(try ControlServer(configuration: .init(socketPath: socket), targets: host.controlTargets,
                                                  logger: logger))
            } catch {
                throw fail(error.description)
            }
        }
        if headless {
            try await runServices(services, signals: [.sigterm, .sigint], logger: logger)
            return
        }
        let runner: DashboardRunner
        do {
            runner = try DashboardRunner(source: EmbeddedSource(host: host), options: display)
        } catch {
            throw fail("\(error)")
        }
        // The dashboard owns SIGINT and SIGTERM (it restores the terminal); the services stop
        // when it ends.
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await runServicesReportingErrors(group) }
            defer { tasks.cancelAll() }
            do {
                if display.isBatch { try await runner.runBatch() } else { try await runner.runInteractive() }
            } catch {
                await group.triggerGracefulShutdown()
                throw fail("\(error)")
            }
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }
}

/// Runs `services` in a group that stops on `signals`; a server error becomes the one-line failure.
func runServices(_ services: [any Service], signals: [UnixSignal], logger: Logger) async throws {
    let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                  gracefulShutdownSignals: signals, logger: logger))
    try await runServicesReportingErrors(group)
}

func runServicesReportingErrors(_ group: ServiceGroup) async throws {
    do {
        try await group.run()
    } catch let error as ControlServerError {
        throw fail(error.description)
    } catch let error as ServiceGroupError {
        throw fail("\(error)")
    }
}
