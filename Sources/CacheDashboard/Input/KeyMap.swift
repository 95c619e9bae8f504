/// What a key does.
public enum Action: String, Sendable, CaseIterable {
    case quit, help, sweep, capacityUp, capacityDown, typeCapacity, toggleLoad, cycleProfile
    case pause, slower, faster, cycleWindow, cycleTheme, step, findKey, nextCache, suspend, back

    /// Whether the action changes the target (refused under --readonly and by read-only hosts).
    public var isMutating: Bool {
        switch self {
        case .sweep, .capacityUp, .capacityDown, .typeCapacity, .toggleLoad, .cycleProfile: return true
        default: return false
        }
    }
}

/// One row of the key map: keys, the action, and its help text.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    /// One or two words for the footer's hint line.
    public var short: String
    /// Only in `cachetop replay`.
    public var replayOnly: Bool

    public init(_ keys: [Key], _ action: Action, _ short: String, _ help: String, replayOnly: Bool = false) {
        self.keys = keys
        self.action = action
        self.short = short
        self.help = help
        self.replayOnly = replayOnly
    }
}

/// The key map: the one table the dispatcher, the help overlay and README's key table come
/// from.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding([.character("q"), .control("c")], .quit, "quit", "quit"),
        KeyBinding([.character("?"), .character("h"), .function(1)], .help, "help", "show or hide this help"),
        KeyBinding([.control("z")], .suspend, "suspend", "suspend to the shell; fg brings the screen back"),
        KeyBinding([.character("s")], .sweep, "sweep", "sweep expired entries now (asks first when attached)"),
        KeyBinding([.character("]")], .capacityUp, "cap+", "capacity up by 10% (asks first when attached)"),
        KeyBinding([.character("[")], .capacityDown, "cap-", "capacity down by 10% (asks first when attached)"),
        KeyBinding([.character("c")], .typeCapacity, "set cap", "type an exact capacity (Enter, then y when attached; Esc cancels)"),
        KeyBinding([.character("l")], .toggleLoad, "load", "start or stop load injection (asks first when attached)"),
        KeyBinding([.character("L")], .cycleProfile, "profile", "next load profile: steady, flash crowd, scan, write storm"),
        KeyBinding([.character("p"), .character(" ")], .pause, "pause", "pause the screen (sampling goes on)"),
        KeyBinding([.character("+"), .character("<")], .slower, "slower", "refresh less often, as btop's + (replay: slower)"),
        KeyBinding([.character("-"), .character(">")], .faster, "faster", "refresh more often, as btop's - (replay: faster)"),
        KeyBinding([.character("w")], .cycleWindow, "window", "hit-ratio window: 10 s, 1 min, 5 min"),
        KeyBinding([.character("t")], .cycleTheme, "theme", "next colour theme"),
        KeyBinding([.tab], .nextCache, "cache", "show the host's next cache, when it serves several"),
        KeyBinding([.character("/")], .findKey, "find", "look a key up: cached?, shard, age, time left, frequency, weight"),
        KeyBinding([.escape], .back, "back", "back to the fleet table, when opened from cachetop fleet"),
        KeyBinding([.character("n")], .step, "step", "step one sample while paused", replayOnly: true),
    ]

    /// The action for `key`, or nil when it is not bound.
    public static func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// "q, Ctrl-C" for a binding.
    public static func keyLabels(_ binding: KeyBinding) -> String {
        binding.keys.map(\.label).joined(separator: ", ")
    }

    /// The table README.md shows (a test checks README contains exactly this).
    public static func markdownTable() -> String {
        var lines = ["| keys | action |", "|---|---|"]
        for binding in bindings {
            let keys = binding.keys.map { "`\($0.label)`" }.joined(separator: " ")
            lines.append("| \(keys) | \(binding.help)\(binding.replayOnly ? " (replay)" : "") |")
        }
        return lines.joined(separator: "\n")
    }
}
