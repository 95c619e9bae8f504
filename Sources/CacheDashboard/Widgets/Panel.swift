/// A box with a title in its top border; returns the inner rectangle to draw the content in.
public enum Panel {
    @discardableResult
    public static func draw(_ title: String, in rect: Rect, glyphs: Glyphs, into buffer: inout CellBuffer,
                            badge: (text: String, style: Style)? = nil) -> Rect {
        guard rect.width >= 4, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
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
        return rect.inset(1)
    }
}
