import ArgumentParser
import CacheControl
import CacheEngine
import Logging
import ServiceLifecycle

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

    func validate() throws {
        if headless, socket == nil {
            throw ValidationError("--headless needs --socket PATH: without a screen or a socket nothing could be seen")
        }
    }

    func run() async throws {
        let host = try DemoHost(scenario: scenario)
        var services: [any Service] = [host.cache, host]
        if let socket {
            do {
                services.append(try ControlServer(configuration: .init(socketPath: socket), targets: [host.controlTarget]))
            } catch {
                throw fail(error.description)
            }
        }
        guard headless else {
            throw fail("the dashboard screen is not built yet; run with --headless --socket PATH")
        }
        var logger = Logger(label: "cachetop.demo")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as ControlServerError {
            throw fail(error.description)
        }
    }
}
