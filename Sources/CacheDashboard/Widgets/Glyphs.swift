/// How graphs are drawn, from the finest to the most portable.
public enum GraphStyle: String, Sendable, CaseIterable, Codable {
    /// Braille patterns: 2 columns × 4 levels per cell.
    case braille
    /// Block elements: 8 levels per cell.
    case blocks
    /// Plain ASCII.
    case ascii
}

/// The characters a frame is drawn with: Unicode box drawing and blocks, or ASCII only.
public struct Glyphs: Sendable, Equatable {
    public var graph: GraphStyle
    public var unicode: Bool

    public init(graph: GraphStyle) {
        self.graph = graph
        self.unicode = graph != .ascii
    }

    public static let ascii = Glyphs(graph: .ascii)

    var horizontal: Unicode.Scalar { unicode ? "─" : "-" }
    var vertical: Unicode.Scalar { unicode ? "│" : "|" }
    var topLeft: Unicode.Scalar { unicode ? "╭" : "+" }
    var topRight: Unicode.Scalar { unicode ? "╮" : "+" }
    var bottomLeft: Unicode.Scalar { unicode ? "╰" : "+" }
    var bottomRight: Unicode.Scalar { unicode ? "╯" : "+" }
    var meterFull: Unicode.Scalar { unicode ? "█" : "#" }
    var meterEmpty: Unicode.Scalar { unicode ? "░" : "." }
    var ellipsis: String { unicode ? "…" : "~" }
    var rising: String { unicode ? "↑" : "^" }
    var separator: String { unicode ? " · " : " | " }

    /// Eighth-steps of a horizontal meter cell (0...8).
    func meterPartial(_ eighths: Int) -> Unicode.Scalar {
        guard unicode else { return eighths >= 4 ? "#" : "." }
        let partials: [Unicode.Scalar] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
        return partials[max(0, min(8, eighths))]
    }

    /// A one-cell level 0...8 for compact grids.
    func level(_ eighths: Int) -> Unicode.Scalar {
        let clamped = max(0, min(8, eighths))
        guard unicode else { return ["_", ".", ".", ":", ":", "=", "=", "#", "#"][clamped] }
        return [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"][clamped]
    }
}
