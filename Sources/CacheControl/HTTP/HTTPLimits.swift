/// Bounds on what one HTTP request may occupy in the server. A request over a bound is answered
/// with its own status (414 for the request line, 431 for the header section, 413 for the body)
/// and its connection is closed.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line (method, target, version), in bytes. Over it: 414.
    public var maximumRequestLineBytes = 8 * 1024
    /// Largest header section after the request line, in bytes. Over it: 431.
    public var maximumHeaderBytes = 32 * 1024
    /// Most header fields. Over it: 431.
    public var maximumHeaderCount = 100
    /// Largest body a request may declare, in bytes. Over it: 413.
    public var maximumBodyBytes = 64 * 1024

    public init() {}
}

/// Why a request could not be read; each case maps to one response status.
enum HTTPParseError: Error, Equatable, Sendable {
    case malformed(String)
    case requestLineTooLong(limit: Int)
    case headersTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case bodyTooLarge(declared: Int, limit: Int)
    case unsupportedTransferEncoding(String)
    case unsupportedVersion(String)

    /// The response status for this error.
    var status: HTTPStatus {
        switch self {
        case .malformed: return .badRequest
        case .requestLineTooLong: return .uriTooLong
        case .headersTooLarge, .tooManyHeaders: return .headerFieldsTooLarge
        case .bodyTooLarge: return .payloadTooLarge
        case .unsupportedTransferEncoding: return .notImplemented
        case .unsupportedVersion: return .httpVersionNotSupported
        }
    }

    /// A one-line explanation for the error body.
    var message: String {
        switch self {
        case .malformed(let reason): return reason
        case .requestLineTooLong(let limit): return "request line longer than \(limit) bytes"
        case .headersTooLarge(let limit): return "header section larger than \(limit) bytes"
        case .tooManyHeaders(let limit): return "more than \(limit) header fields"
        case .bodyTooLarge(let declared, let limit): return "body of \(declared) bytes is over the limit of \(limit) bytes"
        case .unsupportedTransferEncoding(let coding):
            return "transfer-encoding '\(coding)' is not supported; send the body with content-length"
        case .unsupportedVersion(let version): return "HTTP version '\(version)' is not supported; use HTTP/1.1"
        }
    }
}

/// The response statuses this protocol uses.
struct HTTPStatus: Sendable, Equatable, Hashable, CustomStringConvertible {
    var code: Int
    var reason: String

    init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    var description: String { "\(code) \(reason)" }

    static let ok = HTTPStatus(code: 200, reason: "OK")
    static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    static let forbidden = HTTPStatus(code: 403, reason: "Forbidden")
    static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    static let requestTimeout = HTTPStatus(code: 408, reason: "Request Timeout")
    static let conflict = HTTPStatus(code: 409, reason: "Conflict")
    static let payloadTooLarge = HTTPStatus(code: 413, reason: "Payload Too Large")
    static let uriTooLong = HTTPStatus(code: 414, reason: "URI Too Long")
    static let unsupportedMediaType = HTTPStatus(code: 415, reason: "Unsupported Media Type")
    static let unprocessableContent = HTTPStatus(code: 422, reason: "Unprocessable Content")
    static let headerFieldsTooLarge = HTTPStatus(code: 431, reason: "Request Header Fields Too Large")
    static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    static let notImplemented = HTTPStatus(code: 501, reason: "Not Implemented")
    static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")
    static let httpVersionNotSupported = HTTPStatus(code: 505, reason: "HTTP Version Not Supported")
}
