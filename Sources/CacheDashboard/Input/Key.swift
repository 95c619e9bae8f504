/// A key press as the backend reports it.
public enum Key: Sendable, Hashable {
    case character(Character)
    /// Ctrl plus a letter, lowercase ("c" for Ctrl-C).
    case control(Character)
    case function(Int)
    case enter, escape, backspace, tab, up, down, left, right
    /// The terminal changed size.
    case resize

    /// How the key is written in help texts.
    public var label: String {
        switch self {
        case .character(" "): return "space"
        case .character(let character): return String(character)
        case .control(let letter): return "Ctrl-" + letter.uppercased()
        case .function(let number): return "F\(number)"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .tab: return "Tab"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .resize: return "resize"
        }
    }
}
