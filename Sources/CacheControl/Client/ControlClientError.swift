/// Why a control request failed, in words an operator can act on.
public enum ControlClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case noSuchSocket(String)
    /// The socket (or a directory on its path) may not be used by this user.
    case permissionDenied(String)
    /// A socket file exists but no process listens on it (a stale socket).
    case nothingListening(String)
    /// Something answered, but it is not a cachetop control server.
    case notCachetop(String, detail: String)
    /// The host answered with an error status.
    case refused(status: Int, message: String)
    /// The host speaks a schema this client does not know.
    case unsupportedSchema(found: Int, supported: Int)
    /// The connection failed mid-exchange.
    case connectionLost(String, detail: String)
    /// A response body could not be understood.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .noSuchSocket(let path): return "no such socket: \(path)"
        case .permissionDenied(let path): return "permission denied: \(path)"
        case .nothingListening(let path): return "nothing is listening on \(path) (a stale socket file?)"
        case .notCachetop(let path, let detail): return "not a cachetop socket: \(path) (\(detail))"
        case .refused(let status, let message): return "refused by the host (\(status)): \(message)"
        case .unsupportedSchema(let found, let supported):
            return "unsupported schema version \(found) (this cachetop reads version \(supported))"
        case .connectionLost(let path, let detail): return "connection to \(path) lost: \(detail)"
        case .invalidResponse(let detail): return "invalid response from the host: \(detail)"
        }
    }
}
