import CacheDashboard
import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls ncurses: draws a ``CellBuffer`` with a ``Theme``, reads keys,
/// follows resizes, and restores the terminal on every exit path (``stop()``, SIGTERM, SIGINT,
/// a crash).
///
/// Threading: create, use and stop it on one thread; curses is not thread-safe.
public final class CursesTerminal {
    private var screen: UnsafeMutablePointer<WINDOW>?
    public private(set) var colorMode: ColorMode = .none
    private var theme = Theme.builtIn
    /// Colour pairs allocated so far, by (foreground, background) terminal colour.
    private var pairs: [PairKey: Int16] = [:]
    private var previous: CellBuffer?
    /// When the process was last continued after a suspend (seconds since the epoch), while the
    /// key loop still watches the terminal's modes.
    private var resumedAt: time_t?

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    public init() {}

    /// Whether the current locale encodes UTF-8 (call after ``start(wantColor:)`` or
    /// `setlocale`).
    public static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Takes over the terminal.
    /// - Parameter wantColor: false for `--no-color` / `NO_COLOR`.
    /// - Throws: when standard input or output is not a terminal curses can drive.
    public func start(wantColor: Bool) throws(TerminalError) {
        setlocale(LC_ALL, "")
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        // Ctrl-Z is a key here (`suspend()`), never curses' own SIGTSTP handler, which it would
        // install for a default disposition and which a Ctrl-Z typed before raw mode would reach.
        signal(SIGTSTP, SIG_IGN)
        guard let window = initscr() else { throw .cannotInitialise(String(cString: getenv("TERM") ?? strdup("unset"))) }
        screen = window
        cursesActive.store(true, ordering: .relaxed)
        TerminalSignals.install()
        raw()
        noecho()
        keypad(window, true)
        cachetop_set_escdelay(25)
        curs_set(0)
        if wantColor, has_colors() {
            start_color()
            use_default_colors()
            colorMode = cachetop_colors() >= 256 ? .palette256 : .basic
        }
        wbkgdset(window, chtype(0x20))
    }

    /// Restores the terminal. Safe to call more than once.
    public func stop() {
        guard cursesActive.exchange(false, ordering: .relaxed) else { return }
        curs_set(1)
        endwin()
        signal(SIGTSTP, SIG_DFL)
    }

    deinit { stop() }

    /// Hands the terminal back to the shell and stops the process, as `Ctrl-Z` does in every
    /// full-screen tool (curses reads keys raw, so the terminal sends no SIGTSTP itself); when
    /// the shell's `fg` continues it, takes the terminal again and redraws everything. Blocks
    /// the calling (screen) thread while stopped, as the whole process is.
    public func suspend() {
        guard cursesActive.load(ordering: .relaxed) else { return }
        curs_set(1)
        endwin()
        // Everything curses wrote (leaving the alternate screen) reaches the terminal before
        // the process stops.
        fflush(nil)
        tcdrain(1)
        cursesActive.store(false, ordering: .relaxed)
        // SIGSTOP stops every thread at once and the shell reports the job stopped, as for
        // SIGTSTP (which this process ignores while curses owns the terminal).
        kill(getpid(), SIGSTOP)
        // Continued (`fg`): set our modes again and repaint everything. The shell restores the
        // job's terminal modes around the time it continues it, possibly after this runs, so
        // the key loop checks them again for a while (`restoreRawModeIfLost`).
        cursesActive.store(true, ordering: .relaxed)
        reset_prog_mode()
        restoreRawModeIfLost()
        resumedAt = time(nil)
        curs_set(0)
        previous = nil
        clearok(screen, true)
        refresh()
    }

    /// Sets raw, unechoed input again if something (a shell's `fg`) put the terminal back into
    /// line mode.
    private func restoreRawModeIfLost() {
        var modes = termios()
        guard tcgetattr(0, &modes) == 0, modes.c_lflag & tcflag_t(ICANON | ECHO) != 0 else { return }
        raw()
        noecho()
        if let screen { keypad(screen, true) }
    }

    /// The terminal's size now.
    public var size: (width: Int, height: Int) {
        (Int(cachetop_cols()), Int(cachetop_lines()))
    }

    /// Uses `theme` from the next frame on.
    public func setTheme(_ theme: Theme) {
        self.theme = theme
        previous = nil
        pairs.removeAll()
        if colorMode != .none { clear() }
    }

    /// Draws `frame`, writing only the rows that changed since the last frame (``ScreenDiff``).
    public func draw(_ frame: CellBuffer) {
        guard let window = screen else { return }
        // For a few seconds after `fg` the shell may still write to the terminal (its job line,
        // its modes) after the repaint `suspend()` made; a frame drawn as a diff would leave
        // that writing on screen, so these frames clear the terminal and are drawn whole.
        if let resumedAt, time(nil) - resumedAt <= 3 {
            previous = nil
            clearok(window, true)
        }
        let rows = ScreenDiff.changedRows(from: previous, to: frame)
        if rows.count == frame.height { werase(window) }
        var wide: [wchar_t] = []
        wide.reserveCapacity(frame.width + 1)
        for row in rows {
            var column = 0
            while column < frame.width {
                let style = frame[column, row].style
                wide.removeAll(keepingCapacity: true)
                let start = column
                while column < frame.width, frame[column, row].style == style {
                    wide.append(wchar_t(bitPattern: frame[column, row].scalar.value))
                    column += 1
                }
                // The bottom-right cell would scroll the screen: leave it out.
                if row == frame.height - 1, column == frame.width { wide.removeLast() }
                guard !wide.isEmpty else { continue }
                let (attributes, pair) = look(style)
                wattr_set(window, attributes, pair, nil)
                wide.append(0)
                _ = wide.withUnsafeBufferPointer { mvwaddnwstr(window, Int32(row), Int32(start), $0.baseAddress, Int32($0.count - 1)) }
            }
        }
        wattr_set(window, 0, 0, nil)
        wnoutrefresh(window)
        doupdate()
        previous = frame
    }

    /// The next key, waiting at most `milliseconds`; nil on timeout or when a signal asked to
    /// stop (see ``terminationRequested``).
    public func nextKey(timeoutMilliseconds milliseconds: Int) -> Key? {
        guard let window = screen else { return nil }
        if let resumedAt, time(nil) - resumedAt <= 3 { restoreRawModeIfLost() } else { resumedAt = nil }
        wtimeout(window, Int32(max(0, milliseconds)))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR { return nil }
        if status == KEY_CODE_YES {
            switch Int32(code) {
            case KEY_RESIZE:
                previous = nil
                return .resize
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BACKSPACE: return .backspace
            case KEY_ENTER: return .enter
            default:
                for number in 1...12 where Int32(code) == cachetop_key_f(Int32(number)) { return .function(number) }
                return nil
            }
        }
        switch code {
        case 3: return .control("c")
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// The signal number that asked the dashboard to stop, or nil.
    public var terminationRequested: Int32? {
        let number = pendingTermination.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// The curses attributes and colour pair for `style` (pair 0: the terminal's colours).
    private func look(_ style: Style) -> (attr_t, Int16) {
        var attributes: attr_t = 0
        if style.bold { attributes |= cachetop_a_bold() }
        if style.reverse { attributes |= cachetop_a_reverse() }
        guard colorMode != .none else { return (attributes, 0) }
        let foreground = terminalColor(theme.colors[style.role])
        // Every cell is drawn, so the theme's main background covers the whole screen; a theme
        // without one keeps the terminal's own.
        let background = terminalColor(theme.colors[style.background ?? .mainBg])
        return (attributes, pair(foreground, background))
    }

    private func terminalColor(_ color: RGB?) -> Int16 {
        guard let color else { return -1 }
        return Int16(colorMode == .palette256 ? color.xterm256 : color.basic8)
    }

    private func pair(_ foreground: Int16, _ background: Int16) -> Int16 {
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairs[key] { return existing }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < cachetop_color_pairs() else { return 0 }
        init_pair(next, foreground, background)
        pairs[key] = next
        return next
    }
}

/// Why the terminal could not be used.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notATerminal
    case cannotInitialise(String)

    public var description: String {
        switch self {
        case .notATerminal: return "standard input and output must be a terminal (use --batch for plain text)"
        case .cannotInitialise(let term): return "cannot drive this terminal (TERM=\(term)); try TERM=xterm-256color or --batch"
        }
    }
}

extension CursesTerminal: DashboardBackend {}
