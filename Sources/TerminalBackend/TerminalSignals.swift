import CNcurses
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The signal that asked the dashboard to stop (SIGTERM, SIGINT, SIGHUP), 0 for none. Set by a
/// handler, read by the input loop.
let pendingTermination = Atomic<Int32>(0)
/// Whether curses owns the terminal: crash handlers restore it only then.
let cursesActive = Atomic<Bool>(false)

/// Installs the handlers that keep the terminal usable: SIGTERM, SIGINT and SIGHUP end the
/// input loop (which then restores the terminal); a crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP) restores the terminal and then dies of the same signal.
enum TerminalSignals {
    static func install() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber) { number in pendingTermination.store(number, ordering: .relaxed) }
        }
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(signalNumber) { number in
                if cursesActive.exchange(false, ordering: .relaxed) { endwin() }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }
}
