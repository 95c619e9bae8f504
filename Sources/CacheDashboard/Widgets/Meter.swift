/// A horizontal bar on the first row of its area: `fraction` of the width filled, in eighths
/// where the glyphs allow; the empty part in the meter background.
public struct Meter: Widget {
    public var fraction: Double
    public var glyphs: Glyphs
    /// The filled part's style (``levelStyle(_:)`` colours a fill level).
    public var style: Style

    public init(_ fraction: Double, glyphs: Glyphs, style: Style) {
        self.fraction = fraction
        self.glyphs = glyphs
        self.style = style
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        let (x, y, width) = (area.x, area.y, area.width)
        guard width > 0, area.height > 0 else { return }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((clamped * Double(width * 8)).rounded())
        for column in 0..<width {
            let filled = eighths - column * 8
            let scalar: Unicode.Scalar
            let cellStyle: Style
            if filled >= 8 {
                scalar = glyphs.meterFull
                cellStyle = style
            } else if filled > 0 {
                scalar = glyphs.meterPartial(filled)
                cellStyle = style
            } else {
                scalar = glyphs.meterEmpty
                cellStyle = Style(.meterBg)
            }
            buffer[x + column, y] = Cell(scalar, style: cellStyle)
        }
    }

    /// The style for a fill level: ok below 80 %, warn to 95 %, alarm above.
    public static func levelStyle(_ fraction: Double) -> Style {
        fraction > 1 ? .alarm : fraction >= 0.95 ? Style(.alarm, bold: true) : fraction >= 0.8 ? .warn : .ok
    }
}
