import ArgumentParser
import Foundation

@main
struct CacheBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache-bench",
        abstract: "Measures CacheEngine against the baselines a Swift user would otherwise pick.",
        discussion: "Each mode prints one JSON object per measured cache on its own line. Run it with -c release.",
        subcommands: [HitRatio.self, Throughput.self, Memory.self, Storm.self, SnapshotCost.self, ControlCost.self, RenderCost.self]
    )
}

struct HitRatio: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hitratio", abstract: "Hit ratio of a trace replay (get; on a miss set).")
    @Option(help: "Trace file: raw little-endian UInt64 keys.") var trace: String
    @Option(help: "Capacity in entries.") var capacity: Int
    @Option(help: "Comma-separated caches.") var caches = "engine,mutex-lru,nscache"
    @Option(help: "Engine shard count (a power of two); default: the engine's own choice.") var shards: Int?

    func validate() throws {
        guard capacity >= 1 else { throw ValidationError("--capacity must be at least 1, got \(capacity)") }
    }

    func run() throws {
        try HitRatioMode.run(trace: Trace(path: trace), capacity: capacity,
                             caches: caches.split(separator: ",").map(String.init), shards: shards)
    }
}

struct Throughput: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "throughput", abstract: "Operations per second replaying a trace from several threads.")
    @Option(help: "Trace file: raw little-endian UInt64 keys.") var trace: String
    @Option(help: "read100, read75, write100, or a comma-separated list.") var mix = "read100,read75,write100"
    @Option(help: "Thread count, or a comma-separated list.") var threads = "1,2"
    @Option(help: "Measured seconds per run (after a 1 s warm-up).") var seconds = 3.0
    @Option(help: "Runs per configuration; the median is reported.") var runs = 3
    static let defaultCaches = "engine,nscache,mutex-lru,mutex-dict"
    @Option(help: "Comma-separated caches.") var caches = Self.defaultCaches
    @Option(help: "Capacity in entries (WORKLOAD.md: 2,000,000).") var capacity = 2_000_000
    @Flag(help: "Capacity = the trace's distinct keys, so that every shard is full and the whole policy runs on every read.")
    var full = false
    @Option(help: "int (UInt64 keys and values) or string (keys such as user:123456, small struct values; caches engine and mutex-dict).")
    var keys = "int"

    func validate() throws {
        guard capacity >= 1 else { throw ValidationError("--capacity must be at least 1, got \(capacity)") }
        guard keys == "int" || keys == "string" else { throw ValidationError("--keys takes int or string, got '\(keys)'") }
        if keys == "string", caches != Self.defaultCaches {
            for name in caches.split(separator: ",") where !StringThroughputMode.caches.contains(String(name)) {
                throw ValidationError("--keys string measures \(StringThroughputMode.caches.joined(separator: " and ")), not '\(name)'")
            }
        }
        for name in mix.split(separator: ",") where Mix(rawValue: String(name)) == nil {
            throw ValidationError("unknown mix '\(name)': use read100, read75 or write100")
        }
        for count in threads.split(separator: ",") where (Int(count) ?? 0) < 1 {
            throw ValidationError("--threads takes whole numbers of at least 1, got '\(count)'")
        }
        guard seconds > 0, runs >= 1 else { throw ValidationError("--seconds must be positive and --runs at least 1") }
    }

    func run() throws {
        if keys == "string" {
            try StringThroughputMode.run(
                trace: Trace(path: trace),
                mixes: mix.split(separator: ",").compactMap { Mix(rawValue: String($0)) },
                threadCounts: threads.split(separator: ",").compactMap { Int($0) },
                seconds: seconds, runs: runs,
                caches: caches == Self.defaultCaches ? StringThroughputMode.caches : caches.split(separator: ",").map(String.init),
                capacity: full ? nil : capacity)
            return
        }
        try ThroughputMode.run(
            trace: Trace(path: trace),
            mixes: mix.split(separator: ",").compactMap { Mix(rawValue: String($0)) },
            threadCounts: threads.split(separator: ",").compactMap { Int($0) },
            seconds: seconds, runs: runs, caches: caches.split(separator: ",").map(String.init), capacity: full ? nil : capacity)
    }
}

struct Memory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memory", abstract: "Resident bytes per entry for UInt64 keys and values, each cache in a fresh process.")
    @Option(help: "Distinct keys to insert.") var entries = 1_000_000
    @Option(help: "Comma-separated caches.") var caches = "engine,nscache,mutex-lru,mutex-dict"
    @Option(help: .hidden) var inProcess: String?

    func validate() throws {
        guard entries >= 1 else { throw ValidationError("--entries must be at least 1, got \(entries)") }
    }

    func run() throws {
        if let inProcess {
            try MemoryMode.runInProcess(entries: entries, cache: inProcess)
        } else {
            try MemoryMode.runAll(entries: entries, caches: caches.split(separator: ",").map(String.init))
        }
    }
}

struct Storm: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storm", abstract: "Write storm of distinct keys; highest count seen and resident memory.")
    @Option(help: "Capacity in entries.") var capacity = 100_000
    @Option(help: "Writer threads.") var threads = 2
    @Option(help: "Seconds.") var seconds = 5.0
    @Option(help: "Comma-separated caches.") var caches = "engine,nscache,mutex-lru"

    func validate() throws {
        guard capacity >= 1, threads >= 1, seconds > 0 else {
            throw ValidationError("--capacity and --threads must be at least 1 and --seconds positive")
        }
    }

    func run() throws {
        try StormMode.run(capacity: capacity, threads: threads, seconds: seconds, caches: caches.split(separator: ",").map(String.init))
    }
}

struct SnapshotCost: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Time to take Cache.snapshot() on a filled cache.")
    @Option(help: "Entries in the cache.") var entries = 1_000_000
    @Option(help: "Snapshots to time.") var samples = 1_000

    func validate() throws {
        guard entries >= 1, samples >= 1 else { throw ValidationError("--entries and --samples must be at least 1") }
    }

    func run() throws {
        try SnapshotMode.run(entries: entries, samples: samples)
    }
}

struct ControlCost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "control",
                                                    abstract: "GET /v1/snapshot over the control socket, against in-process snapshot().")
    @Option(help: "Entries in the cache.") var entries = 1_000_000
    @Option(help: "Requests to time.") var requests = 10_000

    func validate() throws {
        guard entries >= 1, requests >= 1 else { throw ValidationError("--entries and --requests must be at least 1") }
    }

    func run() async throws {
        try await ControlMode.run(entries: entries, requests: requests)
    }
}

struct RenderCost: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render",
                                                    abstract: "Time to draw one dashboard frame into the cell buffer.")
    @Option(help: "Frame width in columns.") var width = 200
    @Option(help: "Frame height in rows.") var height = 60
    @Option(help: "Frames to time.") var frames = 1_000

    func validate() throws {
        guard width >= 1, height >= 1, frames >= 1 else { throw ValidationError("--width, --height and --frames must be at least 1") }
    }

    func run() {
        RenderMode.run(width: width, height: height, frames: frames)
    }
}
