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

/// Why the server could not start, naming the path and what to do. A `CodedError`: match on
/// its `code`.
public typealias ControlServerError = CodedError<ControlServerErrorDomain>

/// The domain of ``ControlServerError``: why a control server could not start.
public enum ControlServerErrorDomain {}

extension CodedError where Domain == ControlServerErrorDomain {
    public static func pathTooLong(_ path: String) -> Self {
        Self(code: .pathTooLong, message: "socket path is longer than 107 bytes: \(path)")
    }

    public static func notASocket(_ path: String) -> Self {
        Self(code: .notASocket, message: "\(path) exists and is not a socket; refusing to touch it")
    }

    public static func inUse(_ path: String) -> Self {
        Self(code: .inUse, message: "another process is already listening on \(path)")
    }

    public static func cannotRemoveStaleSocket(_ path: String, errno code: Int32) -> Self {
        Self(code: .cannotRemoveStaleSocket, message: "cannot remove the stale socket \(path): \(SystemError.describe(code))")
    }

    public static func cannotBind(_ path: String, reason: String) -> Self {
        Self(code: .cannotBind, message: "cannot listen on \(path): \(reason)")
    }

    public static func invalidTargets(_ reason: String) -> Self {
        Self(code: .invalidTargets, message: "invalid caches for the control server: \(reason)")
    }
}

extension ErrorCode where Domain == ControlServerErrorDomain {
    /// The path does not fit a unix socket address (107 bytes).
    public static var pathTooLong: Self { Self(rawValue: "path_too_long") }
    /// Something other than a socket is at the path; the server leaves it alone.
    public static var notASocket: Self { Self(rawValue: "not_a_socket") }
    /// Another process listens on the path.
    public static var inUse: Self { Self(rawValue: "in_use") }
    /// A stale socket file is at the path and could not be removed.
    public static var cannotRemoveStaleSocket: Self { Self(rawValue: "cannot_remove_stale_socket") }
    /// Binding or listening failed.
    public static var cannotBind: Self { Self(rawValue: "cannot_bind") }
    /// No targets, a target with an invalid name, or two with one name.
    public static var invalidTargets: Self { Self(rawValue: "invalid_targets") }
}
