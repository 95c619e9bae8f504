import Foundation
import Hummingbird

/// An error the API answers with: an HTTP status and a JSON body
/// `{"error": {"code": "...", "message": "..."}}`, where `code` is stable for scripts and
/// `message` is for people.
public struct CatalogError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(Body(error: .init(code: code, message: message)))
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The JSON form, also what clients decode.
    public struct Body: Codable, Sendable {
        public struct Detail: Codable, Sendable {
            public var code: String
            public var message: String
        }
        public var error: Detail
    }
}

extension CatalogError {
    public static func badRequest(_ message: String) -> Self {
        Self(status: .badRequest, code: "bad_request", message: message)
    }

    public static func malformedID(_ text: String) -> Self {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return Self(status: .badRequest, code: "malformed_id",
                    message: "'\(shown)' is not a product id: ids are whole numbers from 1 to \(Int64.max)")
    }

    public static func malformedBody(_ reason: String) -> Self {
        Self(status: .badRequest, code: "malformed_body", message: reason)
    }

    public static func notFound(_ id: Int64) -> Self {
        Self(status: .notFound, code: "not_found", message: "product \(id) does not exist")
    }

    public static func databaseUnavailable(_ reason: String) -> Self {
        Self(status: .serviceUnavailable, code: "database_unavailable",
             message: "the database cannot be reached (\(reason)); cached products are still served")
    }
}
