/// What the screen loop needs of a terminal: its size, drawing a frame, the next key, a theme,
/// suspending to the shell, and whether a signal asked to stop. `CursesTerminal` is the real
/// one; tests drive ``ScreenLoop`` with a scripted one, so the loop runs without a terminal.
public protocol DashboardBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Draws `frame` (writing only the rows ``ScreenDiff`` reports changed).
    func draw(_ frame: CellBuffer)
    /// The next key, waiting at most `timeoutMilliseconds`; nil on timeout.
    func nextKey(timeoutMilliseconds: Int) -> Key?
    func setTheme(_ theme: Theme)
    /// Gives the terminal back to the shell until it is continued.
    func suspend()
    /// The signal that asked the program to stop, if one did.
    var terminationRequested: Int32? { get }
}
