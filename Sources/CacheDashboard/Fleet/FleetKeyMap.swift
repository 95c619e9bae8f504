/// What a key does on the fleet screen.
public enum FleetAction: String, Sendable, CaseIterable {
    case quit, help, up, down, drill, sweepAll, flushNamespace, cycleWindow

    /// Whether the action changes instances (refused under --readonly; asks first).
    public var isMutating: Bool { self == .sweepAll || self == .flushNamespace }
}

/// The fleet screen's key map: the one table its dispatcher, its help overlay and README's
/// fleet key table come from.
public enum FleetKeyMap {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var action: FleetAction
        public var short: String
        public var help: String
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.character("q"), .control("c")], action: .quit, short: "quit", help: "quit"),
        Binding(keys: [.character("?"), .character("h")], action: .help, short: "help", help: "show or hide this help"),
        Binding(keys: [.up, .character("k")], action: .up, short: "up", help: "select the row above"),
        Binding(keys: [.down, .character("j")], action: .down, short: "down", help: "select the row below"),
        Binding(keys: [.enter], action: .drill, short: "open",
                help: "open the selected instance in the single-instance screen (Esc comes back)"),
        Binding(keys: [.character("S")], action: .sweepAll, short: "sweep all",
                help: "sweep expired entries on every instance, one result line each (asks first)"),
        Binding(keys: [.character("F")], action: .flushNamespace, short: "flush",
                help: "flush the selected row's namespace through the invalidation log, on every instance (asks first)"),
        Binding(keys: [.character("w")], action: .cycleWindow, short: "window", help: "window of the ratios and rates: 30 s, 1 min, 5 min"),
    ]

    public static func action(for key: Key) -> FleetAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The table README.md shows (a test checks README contains exactly this).
    public static func markdownTable() -> String {
        var lines = ["| keys | action |", "|---|---|"]
        for binding in bindings {
            lines.append("| \(binding.keys.map { "`\($0.label)`" }.joined(separator: " ")) | \(binding.help) |")
        }
        return lines.joined(separator: "\n")
    }
}
