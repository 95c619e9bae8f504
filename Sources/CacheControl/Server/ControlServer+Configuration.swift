import CacheEngine

extension ControlServer {
    /// How the server listens and what it accepts. The defaults are the safe ones.
    public struct Configuration: Sendable {
        /// Where the socket file is created. At most 107 bytes (the kernel's limit).
        public var socketPath: String
        /// The socket file's permission bits; 0600 by default (only the owner may connect).
        public var socketMode: UInt32 = 0o600
        /// Refuses every mutating endpoint (sweep, capacity, load) with 403.
        public var readOnly = false
        /// The user ids allowed to connect. nil (the default): the server's own uid and root.
        /// When set, exactly these uids; everyone else gets 403 and a log line.
        public var allowedUserIDs: Set<UInt32>?
        /// Bounds on one request.
        public var limits = HTTPLimits()
        /// Connections served at once; one more gets 503 and is closed.
        public var maximumConnections = 64
        /// A connection that sends nothing for this long is closed (with 408 when a request was
        /// half sent).
        public var idleTimeout: Duration = .seconds(30)

        public init(socketPath: String) {
            self.socketPath = socketPath
        }
    }
}

/// Why the server could not start. Each names the path and what to do.
public enum ControlServerError: Error, Equatable, Sendable, CustomStringConvertible {
    case pathTooLong(String)
    case notASocket(String)
    case inUse(String)
    case cannotRemoveStaleSocket(String, errno: Int32)
    case cannotBind(String, reason: String)
    case invalidTargets(String)

    public var description: String {
        switch self {
        case .pathTooLong(let path):
            return "socket path is longer than 107 bytes: \(path)"
        case .notASocket(let path):
            return "\(path) exists and is not a socket; refusing to touch it"
        case .inUse(let path):
            return "another process is already listening on \(path)"
        case .cannotRemoveStaleSocket(let path, let code):
            return "cannot remove the stale socket \(path): \(SystemError.describe(code))"
        case .cannotBind(let path, let reason):
            return "cannot listen on \(path): \(reason)"
        case .invalidTargets(let reason):
            return "invalid caches for the control server: \(reason)"
        }
    }
}
