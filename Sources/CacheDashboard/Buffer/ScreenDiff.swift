/// Which rows of a frame differ from the frame before it: what a backend must write. Every row
/// when there is no previous frame or the size changed. O(width × height).
public enum ScreenDiff {
    public static func changedRows(from previous: CellBuffer?, to frame: CellBuffer) -> [Int] {
        guard let previous, previous.width == frame.width, previous.height == frame.height else {
            return Array(0..<frame.height)
        }
        return (0..<frame.height).filter { row in
            (0..<frame.width).contains { previous[$0, row] != frame[$0, row] }
        }
    }
}
