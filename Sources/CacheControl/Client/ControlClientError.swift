import CacheEngine

/// Why a control request failed, in words an operator can act on.
///
/// A struct with a ``code`` rather than an enum, so that later versions can add codes without
/// breaking a client's exhaustive `switch`: match on ``code``
/// (`if error.code == .nothingListening`).
public struct ControlClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. Open: new codes may appear in later versions.
    public typealias Code = ErrorCode<ControlClientError>

    /// What went wrong.
    public let code: Code
    /// The HTTP status of a `.refused` request; nil for the other codes.
    public let status: Int?
    /// A sentence for people: what failed, and where.
    public let message: String

    public init(code: Code, status: Int? = nil, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public static func invalidPath(_ path: String) -> Self {
        Self(code: .invalidPath, message: "socket path is longer than 107 bytes: \(path)")
    }

    public static func noSuchSocket(_ path: String) -> Self {
        Self(code: .noSuchSocket, message: "no such socket: \(path)")
    }

    public static func permissionDenied(_ path: String) -> Self {
        Self(code: .permissionDenied, message: "permission denied: \(path)")
    }

    public static func nothingListening(_ path: String) -> Self {
        Self(code: .nothingListening, message: "nothing is listening on \(path) (a stale socket file?)")
    }

    public static func notCachetop(_ path: String, detail: String) -> Self {
        Self(code: .notCachetop, message: "not a cachetop socket: \(path) (\(detail))")
    }

    /// The host's answer: `status` and the message of its JSON error body.
    public static func refused(status: Int, message: String) -> Self {
        Self(code: .refused, status: status, message: "refused by the host (\(status)): \(message)")
    }

    public static func unsupportedSchema(found: Int, supported: Int) -> Self {
        Self(code: .unsupportedSchema,
             message: "unsupported schema version \(found) (this cachetop reads version \(supported))")
    }

    public static func connectionLost(_ path: String, detail: String) -> Self {
        Self(code: .connectionLost, message: "connection to \(path) lost: \(detail)")
    }

    public static func invalidResponse(_ detail: String) -> Self {
        Self(code: .invalidResponse, message: "invalid response from the host: \(detail)")
    }
}

extension ErrorCode where Domain == ControlClientError {
    /// The path cannot name a unix socket (longer than 107 bytes).
    public static var invalidPath: Self { Self(rawValue: "invalid_path") }
    /// Nothing exists at the path.
    public static var noSuchSocket: Self { Self(rawValue: "no_such_socket") }
    /// The socket (or a directory on its path) may not be used by this user.
    public static var permissionDenied: Self { Self(rawValue: "permission_denied") }
    /// A socket file exists but no process listens on it (a stale socket).
    public static var nothingListening: Self { Self(rawValue: "nothing_listening") }
    /// Something answered, but it is not a cachetop control server.
    public static var notCachetop: Self { Self(rawValue: "not_cachetop") }
    /// The host answered with an error status (in ``ControlClientError/status``).
    public static var refused: Self { Self(rawValue: "refused") }
    /// The host speaks a schema this client does not know.
    public static var unsupportedSchema: Self { Self(rawValue: "unsupported_schema") }
    /// The connection failed mid-exchange, or no answer came in time.
    public static var connectionLost: Self { Self(rawValue: "connection_lost") }
    /// A response body could not be understood, or a request could not be encoded.
    public static var invalidResponse: Self { Self(rawValue: "invalid_response") }
}
