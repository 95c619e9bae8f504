import ArgumentParser
import CacheEngine

/// `cachetop`: top for an in-process cache.
@main
struct Cachetop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cachetop",
        abstract: "A live terminal dashboard for CacheEngine caches, embedded or attached over a control socket.",
        version: CacheEngineVersion.current,
        subcommands: [Demo.self, Attach.self, Fleet.self, Replay.self, Stats.self, Sweep.self, Resize.self, Load.self, Keys.self]
    )
}
