/// A frame: a grid of cells the dashboard draws into and a backend (or a test) reads out.
///
/// Writes outside the grid are clipped, so widgets can draw without bounds checks. Every
/// character written takes one cell: the dashboard uses single-width scalars only (ASCII, box
/// drawing, blocks, Braille). Not thread-safe; a value type, copied on write.
public struct CellBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (x, y) rightwards, at most `limit` cells; returns the column after it.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x + text.unicodeScalars.count }
        var column = x
        let end = limit.map { x + $0 } ?? width
        for scalar in text.unicodeScalars {
            if column >= end { break }
            if column >= 0, column < width { cells[y * width + column] = Cell(scalar, style: style) }
            column += 1
        }
        return column
    }

    /// Fills `rect` with `scalar` in `style`.
    public mutating func fill(_ rect: Rect, _ scalar: Unicode.Scalar = " ", style: Style = .plain) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                cells[row * width + column] = Cell(scalar, style: style)
            }
        }
    }

    /// The frame as plain text: one line per row, trailing spaces removed.
    public func text() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for row in 0..<height {
            var line = String.UnicodeScalarView()
            for column in 0..<width { line.append(cells[row * width + column].scalar) }
            var text = String(line)
            while text.last == " " { text.removeLast() }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    /// Row `row` as plain text, trailing spaces kept.
    public func line(_ row: Int) -> String {
        var line = String.UnicodeScalarView()
        for column in 0..<width { line.append(cells[row * width + column].scalar) }
        return String(line)
    }
}
