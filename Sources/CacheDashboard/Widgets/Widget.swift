/// The one contract every widget keeps, as ratatui's `Widget::render(area, buf)`: a value that
/// holds what it shows and draws itself into an area of a cell buffer, clipped to that area.
/// No clock, no I/O, no knowledge of a terminal, so each is tested against the buffer alone.
public protocol Widget {
    /// Draws into `area` of `buffer`; nothing outside `area` changes.
    func render(in area: Rect, into buffer: inout CellBuffer)
}
