import ArgumentParser
import CacheControl
import CacheEngine
import CacheDashboard
import Foundation

/// Options every one-shot control command shares.
struct SocketOptions: ParsableArguments {
    @Argument(help: "The control socket of the host process.") var socket: String
    @Option(help: "The cache to address, when the host serves several.") var cache: String?
}

/// Runs `body` against a client of `socket`, turning a control error into the one-line failure.
func withClient<Result>(_ options: SocketOptions, _ body: (ControlClient) async throws(ControlClientError) -> Result) async throws -> Result {
    let client = ControlClient(path: options.socket)
    do {
        return try await body(client)
    } catch {
        throw fail(error.description)
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a one-shot summary of a host's cache.")
    @OptionGroup var socket: SocketOptions
    @Flag(help: "Print the raw snapshot JSON instead.") var json = false

    func run() async throws {
        let snapshot = try await withClient(socket) { client throws(ControlClientError) in
            try await client.snapshot(cache: socket.cache)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(snapshot), as: UTF8.self))
        } else {
            print(SnapshotSummary.render(snapshot, target: socket.socket))
        }
    }
}

struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sweep expired entries now.")
    @OptionGroup var socket: SocketOptions

    func run() async throws {
        let result = try await withClient(socket) { client throws(ControlClientError) in
            try await client.sweep(cache: socket.cache)
        }
        print("swept: examined \(result.examined), removed \(result.removed), took \(Format.duration(nanoseconds: result.durationNanoseconds))")
    }
}

struct Resize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set the capacity; the host evicts down to it before answering.")
    @OptionGroup var socket: SocketOptions
    @Argument(help: "The new capacity (entries, or cost for a weighed cache).") var capacity: Int

    func validate() throws {
        guard capacity >= 1 else { throw ValidationError("capacity must be at least 1, got \(capacity)") }
    }

    func run() async throws {
        let change = try await withClient(socket) { client throws(ControlClientError) in
            try await client.resize(capacity: capacity, cache: socket.cache)
        }
        print("capacity: \(change.oldCapacity) -> \(change.newCapacity), evicted \(change.evicted)")
    }
}

struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start or stop load injection in the host (the host must allow it).",
        discussion: "ACTION is start or stop. Without --rate or --duration the host's maximum applies.")

    enum Action: String, ExpressibleByArgument { case start, stop, status }

    @OptionGroup var socket: SocketOptions
    @Argument(help: "start, stop or status.") var action: Action
    @Option(help: "Workload shape: steady, flash-crowd, scan or write-storm.") var profile: Workload.Profile = .steady
    @Option(help: "Keys in the key space.") var keys: UInt64 = 100_000
    @Option(help: "Operations per second.") var rate: Int?
    @Option(help: "Seconds to run.") var duration: Double?
    @Option(help: "Concurrent workers.") var workers = 2
    @Option(help: "Zipf skew, replacing the profile's distribution.") var skew: Double?
    @Option(help: "Fraction of reads, 0...1, replacing the profile's.") var readFraction: Double?

    func validate() throws {
        if let duration { guard duration > 0, duration.isFinite, duration <= 1e9 else { throw ValidationError("--duration must be a positive number of seconds") } }
        if let rate { guard rate >= 1 else { throw ValidationError("--rate must be at least 1") } }
    }

    func run() async throws {
        var workload = Workload.profile(profile, keySpace: keys, rate: rate, workers: workers)
        workload.duration = duration.map { .nanoseconds(Int64($0 * 1e9)) }
        if let skew { workload.distribution = .zipf(skew: skew) }
        if let readFraction { workload.readFraction = readFraction }
        let status = try await withClient(socket) { client throws(ControlClientError) in
            switch action {
            case .start: return try await client.startLoad(workload, cache: socket.cache)
            case .stop: return try await client.stopLoad(cache: socket.cache)
            case .status: return try await client.loadStatus(cache: socket.cache)
            }
        }
        if let running = status.workload, status.running {
            print("load: running \(Format.rate(Double(running.rate ?? 0))) for up to \(Format.seconds(running.duration?.secondsValue ?? 0)), \(status.operationsPerformed) operations so far")
        } else {
            print("load: stopped, \(status.operationsPerformed) operations performed")
        }
    }
}

extension Workload.Profile: ExpressibleByArgument {}
