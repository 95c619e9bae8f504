/// Why a configuration file was refused: its path, the line, and what is wrong there.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based.
    public var line: Int
    public var reason: String

    public var description: String { "config \(path), line \(line): \(reason)" }
}

/// The settings a user keeps in `cachetop.conf`, in btop's style: `name = value` lines, `#`
/// comments, strings in double quotes.
///
/// ```
/// theme = "light"
/// interval = 2
/// slo = "hit=92.5%,load-p95=8ms"
/// glyphs = "blocks"          # braille, blocks or ascii
/// save_on_exit = true        # keep the theme (t) and interval (+, -, <, >) chosen on screen
/// ```
///
/// Every setting is optional; a command-line option wins over the file. Unknown names and bad
/// values are refused with the line, so a typo never silently does nothing.
public struct DashboardConfig: Sendable, Equatable {
    public enum GlyphChoice: String, Sendable, Equatable, CaseIterable {
        case braille, blocks, ascii
    }

    public var theme: String?
    public var interval: Double?
    public var slo: ServiceLevelObjectives?
    /// The `slo` text as written, for saving it back unchanged.
    public var sloText: String?
    public var glyphs: GlyphChoice?
    public var saveOnExit = false

    public init() {}

    /// The names a file may set.
    public static let names = ["theme", "interval", "slo", "glyphs", "save_on_exit"]

    /// Parses a configuration file's text.
    /// - Throws: ``ConfigError`` for the first line that is not a known `name = value`.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> DashboardConfig {
        var config = DashboardConfig()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func refuse(_ reason: String) -> ConfigError { ConfigError(path: path, line: lineNumber, reason: reason) }
            let line = withoutComment(String(rawLine)).trimmingSpaces()
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard parts.count == 2, !parts[0].isEmpty else { throw refuse("expected name = value, found '\(line.prefix(40))'") }
            let (name, raw) = (parts[0], parts[1])
            let value = unquoted(raw)
            switch name {
            case "theme":
                guard !value.isEmpty else { throw refuse("theme must name a theme or a theme file") }
                config.theme = value
            case "interval":
                guard let seconds = Double(value), seconds.isFinite, seconds >= 0.25, seconds <= 10 else {
                    throw refuse("interval must be between 0.25 and 10 seconds, got '\(value)'")
                }
                config.interval = seconds
            case "slo":
                do {
                    config.slo = try ServiceLevelObjectives.parse(value)
                    config.sloText = value
                } catch {
                    throw refuse(error.description)
                }
            case "glyphs":
                guard let choice = GlyphChoice(rawValue: value) else {
                    throw refuse("glyphs must be braille, blocks or ascii, got '\(value)'")
                }
                config.glyphs = choice
            case "save_on_exit":
                guard value == "true" || value == "false" else { throw refuse("save_on_exit must be true or false, got '\(value)'") }
                config.saveOnExit = value == "true"
            default:
                throw refuse("unknown setting '\(name)': use \(names.joined(separator: ", "))")
            }
        }
        return config
    }

    /// `original` with `theme` and `interval` set to the values chosen on screen: their lines
    /// are replaced in place (or added), everything else (comments, other settings) is kept.
    public static func updating(_ original: String, theme: String, interval: Double) -> String {
        var lines = original.isEmpty ? [] : original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let interval = Format.fixed(interval, interval.rounded() == interval ? 0 : 2)
        for (name, value) in [("theme", "\"\(theme)\""), ("interval", interval)] {
            let replacement = "\(name) = \(value)"
            if let index = lines.firstIndex(where: { withoutComment($0).trimmingSpaces().hasPrefix(name + " ") || withoutComment($0).trimmingSpaces().hasPrefix(name + "=") }) {
                lines[index] = replacement
            } else {
                lines.append(replacement)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The line without a `#` comment that is not inside double quotes.
    private static func withoutComment(_ line: String) -> String {
        var quoted = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { quoted.toggle() }
            if character == "#", !quoted { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else { return value }
        return String(value.dropFirst().dropLast())
    }
}
