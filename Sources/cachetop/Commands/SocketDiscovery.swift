import ArgumentParser
import CacheControl
#if canImport(Glibc)
import Glibc
#endif

/// Which socket `attach` shows when it is given none: `$CACHETOP_SOCKET`, else the only socket
/// in `$XDG_RUNTIME_DIR/cachetop/`; otherwise it says what it looked for.
enum SocketDiscovery {
    /// - Throws: the exit code, after one line naming what was looked for.
    static func resolve(_ given: String?) throws(ExitCode) -> String {
        if let given { return given }
        if let named = getenv("CACHETOP_SOCKET").map({ String(cString: $0) }), !named.isEmpty { return named }
        guard let directory = ControlSocketDirectory.path() else {
            throw fail("no socket given, $CACHETOP_SOCKET is not set and neither is XDG_RUNTIME_DIR: name the host's socket")
        }
        let found = ControlSocketDirectory.sockets(in: directory)
        switch found.count {
        case 1:
            return found[0]
        case 0:
            throw fail("no socket given, $CACHETOP_SOCKET is not set and \(directory) holds no socket: name the host's socket")
        default:
            throw fail("no socket given and \(directory) holds \(found.count) sockets (\(found.joined(separator: ", "))): name one")
        }
    }
}
