/// A response as the server writes it and the client reads it.
struct HTTPResponse: Sendable {
    var status: HTTPStatus
    /// Fields besides `Content-Length`, `Server` and `Connection`, which serialisation adds.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first field named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The wire form, with `Content-Length` and `Server` set and `Connection: close` when
    /// `closing`.
    func serialized(closing: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        head += "Server: \(ControlProtocol.serverToken)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        if closing { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }
}

/// Reads one response (status line, fields, `Content-Length` body) out of received bytes.
struct HTTPResponseParser {
    private var buffer: [UInt8] = []
    private var scannedTo = 0
    let maximumHeadBytes = 64 * 1024
    let maximumBodyBytes: Int

    init(maximumBodyBytes: Int = 256 * 1024 * 1024) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The response once it is complete; nil while more bytes are needed.
    /// - Throws: a description of why the bytes are not an HTTP response.
    mutating func response() throws(HTTPParseError) -> HTTPResponse? {
        guard buffer.count >= 5 else { return nil }
        guard buffer.starts(with: "HTTP/".utf8) else { throw .malformed("not an HTTP response") }
        guard let end = HTTPHeadScanner.headEnd(in: buffer, from: scannedTo) else {
            scannedTo = buffer.count
            if buffer.count > maximumHeadBytes { throw .headersTooLarge(limit: maximumHeadBytes) }
            return nil
        }
        let head = try HTTPHeadScanner.parse(buffer[0..<end], maximumFields: 1000)
        let length = try head.contentLength()
        guard length <= maximumBodyBytes else { throw .bodyTooLarge(declared: length, limit: maximumBodyBytes) }
        guard buffer.count - end >= length else { return nil }
        let parts = head.startLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let code = Int(parts[1]) else { throw .malformed("invalid status line '\(head.startLine)'") }
        let reason = parts.count == 3 ? String(parts[2]) : ""
        return HTTPResponse(status: HTTPStatus(code: code, reason: reason), headers: head.headers,
                            body: Array(buffer[end..<(end + length)]))
    }
}
