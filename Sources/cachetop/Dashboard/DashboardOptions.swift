import ArgumentParser
import CacheDashboard
#if canImport(Glibc)
import Glibc
#endif

/// The options every dashboard mode (demo, attach, replay) shares.
struct DashboardOptions: ParsableArguments {
    @Option(name: [.customShort("d"), .long], help: "Seconds between samples (0.25 to 10), as top's -d (default: the config file's, else 1).")
    var interval: Double?
    @Option(help: "Colour theme: a name from themes/ or a path to a btop-format theme file (default: the config file's, else default).")
    var theme: String?
    @Option(help: "The configuration file (default: $XDG_CONFIG_HOME/cachetop/cachetop.conf, else ~/.config/cachetop/cachetop.conf).")
    var config: String?
    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "ASCII characters only.") var ascii = false
    @Flag(help: "Refuse every key that changes the target.") var readonly = false
    @Flag(name: [.customShort("b"), .long], help: "No curses: print plain-text frames to standard output (chosen when it is not a terminal), as top's -b.")
    var batch = false
    @Option(name: .short, help: "Frames to print in batch mode.") var n = 1
    @Option(help: "Append every sample to this file as a JSON line (for cachetop replay).") var record: String?
    @Option(help: "Batch frame size as WIDTHxHEIGHT (default: $COLUMNS x $LINES, else 120x40).") var size: String?
    @Option(help: "Service-level objectives, drawn beside their figures and flagged when breached: hit=92.5%,load-p95=8ms,memory=75% (any subset; memory as a share of this machine's or a size such as 512MiB).")
    var slo: String?
    @Option(help: "Append log messages to this file (on screen they would overwrite the dashboard, so without it they are dropped while the screen is up).")
    var log: String?

    func validate() throws {
        if let interval {
            guard interval.isFinite, interval >= 0.25, interval <= 10 else {
                throw ValidationError("--interval must be between 0.25 and 10 seconds, got \(interval)")
            }
        }
        guard n >= 1 else { throw ValidationError("-n must be at least 1, got \(n)") }
        if let size { _ = try Self.parseSize(size) }
        _ = try objectives()
    }

    /// The parsed `--slo`, else the config file's; none without either.
    func objectives(config: DashboardConfig = DashboardConfig()) throws -> ServiceLevelObjectives {
        guard let slo else { return config.slo ?? ServiceLevelObjectives() }
        do {
            return try ServiceLevelObjectives.parse(slo)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Batch mode: asked for, or standard output is not a terminal (as `top -b`).
    var isBatch: Bool { batch || isatty(1) == 0 }

    /// Colour unless `--no-color` or a non-empty `NO_COLOR`.
    var wantsColor: Bool {
        if noColor { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return true
    }

    /// Braille in a UTF-8 locale, blocks on the Linux console, ASCII without UTF-8 or with --ascii;
    /// the config file's choice where the terminal allows it.
    func glyphs(localeIsUTF8: Bool, config: DashboardConfig = DashboardConfig()) -> Glyphs {
        if ascii || !localeIsUTF8 || config.glyphs == .ascii { return .ascii }
        if config.glyphs == .blocks { return Glyphs(graph: .blocks) }
        if config.glyphs == .braille { return Glyphs(graph: .braille) }
        if let term = getenv("TERM"), String(cString: term) == "linux" { return Glyphs(graph: .blocks) }
        return Glyphs(graph: .braille)
    }

    /// The batch frame size.
    func batchSize() -> (width: Int, height: Int) {
        if let size, let parsed = try? Self.parseSize(size) { return parsed }
        let columns = getenv("COLUMNS").flatMap { Int(String(cString: $0)) }
        let lines = getenv("LINES").flatMap { Int(String(cString: $0)) }
        return (columns ?? 120, lines ?? 40)
    }

    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width >= 1, height >= 1,
              width <= 1000, height <= 1000 else {
            throw ValidationError("--size must look like 120x40, got '\(text)'")
        }
        return (width, height)
    }
}
