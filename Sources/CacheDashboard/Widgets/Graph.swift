/// A time series drawn as a filled area graph, newest value at the right edge.
///
/// Values are fractions of the graph's full scale (0...1; others are clamped; nil is a gap).
/// Braille packs two samples per column and four levels per row; blocks eight levels per row,
/// one sample per column; ASCII uses `#` for full cells and `.`/`:` for partial ones. Rows get a
/// colour by height (low, mid, high roles) unless `style` fixes one. O(width × height).
public struct Graph: Widget {
    public var values: [Double?]
    public var style: GraphStyle
    /// One colour for every row; nil colours rows by height.
    public var color: Style?

    public init(_ values: [Double?], style: GraphStyle, color: Style? = nil) {
        self.values = values
        self.style = style
        self.color = color
    }

    /// How many samples fit in `width` columns in `style`.
    public static func capacity(width: Int, style: GraphStyle) -> Int {
        style == .braille ? width * 2 : width
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        let perColumn = style == .braille ? 2 : 1
        let shown = Array(values.suffix(rect.width * perColumn))
        // Right-align: pad on the left with gaps.
        let padded = Array(repeating: nil, count: rect.width * perColumn - shown.count) + shown
        let levelsPerRow = style == .braille ? 4 : 8
        let totalLevels = rect.height * levelsPerRow
        func level(_ value: Double?) -> Int? {
            guard let value, value.isFinite else { return nil }
            let clamped = min(1, max(0, value))
            // Any non-zero value shows at least one level, so "some" differs from "none".
            return clamped > 0 ? max(1, Int((clamped * Double(totalLevels)).rounded())) : 0
        }
        for column in 0..<rect.width {
            let samples = (0..<perColumn).map { level(padded[column * perColumn + $0]) }
            for row in 0..<rect.height {
                // Row 0 is the top; levels count from the bottom.
                let base = (rect.height - 1 - row) * levelsPerRow
                let rowStyle = color ?? Style(row == 0 && rect.height > 2 ? .graphHigh
                                              : row >= rect.height - max(1, rect.height / 3) ? .graphLow : .graphMid)
                let scalar: Unicode.Scalar
                switch style {
                case .braille:
                    scalar = Self.braille(left: samples[0].map { $0 - base }, right: samples[1].map { $0 - base })
                case .blocks:
                    scalar = Self.blocks(samples[0].map { $0 - base })
                case .ascii:
                    scalar = Self.ascii(samples[0].map { $0 - base })
                }
                buffer[rect.x + column, rect.y + row] = Cell(scalar, style: rowStyle)
            }
        }
    }

    /// Braille cell with `left` and `right` filled levels (0...4 from the bottom; beyond: full).
    static func braille(left: Int?, right: Int?) -> Unicode.Scalar {
        // Dot bits from the bottom up: left column 7, 3, 2, 1 (dots 7, 3, 2, 1), right 8, 6, 5, 4.
        let leftBits: [UInt32] = [0x40, 0x04, 0x02, 0x01]
        let rightBits: [UInt32] = [0x80, 0x20, 0x10, 0x08]
        var bits: UInt32 = 0
        for index in 0..<min(4, max(0, left ?? 0)) { bits |= leftBits[index] }
        for index in 0..<min(4, max(0, right ?? 0)) { bits |= rightBits[index] }
        // An empty cell is a space, not the blank Braille pattern, so text copies stay clean.
        return bits == 0 ? " " : Unicode.Scalar(0x2800 + bits)!
    }

    static func blocks(_ level: Int?) -> Unicode.Scalar {
        let steps: [Unicode.Scalar] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return steps[min(8, max(0, level ?? 0))]
    }

    static func ascii(_ level: Int?) -> Unicode.Scalar {
        let value = min(8, max(0, level ?? 0))
        return value == 0 ? " " : value >= 8 ? "#" : value >= 4 ? ":" : "."
    }
}

/// A one-row sparkline on the first row of its area: the newest values that fit (two per
/// column in Braille) scaled to their own maximum, or to `maximum`.
public struct Sparkline: Widget {
    public var values: [Double]
    public var style: GraphStyle
    public var maximum: Double?
    public var color: Style

    public init(_ values: [Double], style: GraphStyle, maximum: Double? = nil, color: Style) {
        self.values = values
        self.style = style
        self.maximum = maximum
        self.color = color
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let shown = Array(values.suffix(Graph.capacity(width: area.width, style: style)))
        let top = max(maximum ?? (shown.max() ?? 0), 1e-9)
        Graph(shown.map { $0 / top }, style: style, color: color)
            .render(in: Rect(x: area.x, y: area.y, width: area.width, height: 1), into: &buffer)
    }
}
