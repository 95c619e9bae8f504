/// A box with a title (and an optional badge) in its top border. Its content goes in
/// ``inner(_:)`` of the same area.
public struct Panel: Widget {
    public var title: String
    public var glyphs: Glyphs
    public var badge: (text: String, style: Style)?

    public init(_ title: String, glyphs: Glyphs, badge: (text: String, style: Style)? = nil) {
        self.title = title
        self.glyphs = glyphs
        self.badge = badge
    }

    /// The area inside the border of a panel drawn in `rect`; empty when the panel has no room.
    public static func inner(_ rect: Rect) -> Rect {
        rect.width >= 4 && rect.height >= 2 ? rect.inset(1) : Rect(x: rect.x, y: rect.y, width: 0, height: 0)
    }

    /// Draws the panel in `rect` and returns its inner area: the form every panel of the
    /// dashboard uses.
    @discardableResult
    public static func draw(_ title: String, in rect: Rect, glyphs: Glyphs, into buffer: inout CellBuffer,
                            badge: (text: String, style: Style)? = nil) -> Rect {
        Panel(title, glyphs: glyphs, badge: badge).render(in: rect, into: &buffer)
        return inner(rect)
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard rect.width >= 4, rect.height >= 2 else { return }
        let box = Style.box
        for column in rect.x + 1..<rect.maxX - 1 {
            buffer[column, rect.y] = Cell(glyphs.horizontal, style: box)
            buffer[column, rect.maxY - 1] = Cell(glyphs.horizontal, style: box)
        }
        for row in rect.y + 1..<rect.maxY - 1 {
            buffer[rect.x, row] = Cell(glyphs.vertical, style: box)
            buffer[rect.maxX - 1, row] = Cell(glyphs.vertical, style: box)
        }
        buffer[rect.x, rect.y] = Cell(glyphs.topLeft, style: box)
        buffer[rect.maxX - 1, rect.y] = Cell(glyphs.topRight, style: box)
        buffer[rect.x, rect.maxY - 1] = Cell(glyphs.bottomLeft, style: box)
        buffer[rect.maxX - 1, rect.maxY - 1] = Cell(glyphs.bottomRight, style: box)
        let end = buffer.put(" \(title) ", x: rect.x + 2, y: rect.y, style: .title, limit: rect.width - 4)
        if let badge {
            buffer.put(" \(badge.text) ", x: end + 1, y: rect.y, style: badge.style, limit: rect.maxX - 2 - (end + 1))
        }
    }
}
