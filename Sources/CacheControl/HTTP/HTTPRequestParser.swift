/// One parsed request.
struct HTTPRequest: Sendable {
    var method: String
    /// The path without its query.
    var path: String
    /// Query parameters, percent-decoded; the last of repeated names wins.
    var query: [String: String]
    var head: HTTPHead
    var body: [UInt8]
    /// False when the client asked to close (`Connection: close`, or HTTP/1.0 without keep-alive).
    var keepAlive: Bool
}

/// Reads requests out of the bytes of one connection, incrementally and within ``HTTPLimits``.
///
/// Feed bytes with ``append(_:)`` and take requests with ``nextRequest()`` until it returns nil.
/// Pipelined requests come out one by one. Only `Content-Length` bodies are accepted. Bounds are
/// checked as bytes arrive, so an endless request line or header section is refused as soon as
/// it passes its limit, not when it ends. Not thread-safe: one per connection.
struct HTTPRequestParser: Sendable {
    let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var scannedTo = 0
    private var pendingHead: (head: HTTPHead, bodyLength: Int)?

    init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Adds bytes received from the peer.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Whether a request has started but not completed: what a closed connection leaves behind.
    var hasPartialRequest: Bool { pendingHead != nil || !buffer.isEmpty }

    /// Describes the incomplete request, for the error sent when the peer stops sending.
    var partialRequestDescription: String {
        if let pendingHead {
            return "body ended after \(buffer.count) of \(pendingHead.bodyLength) declared bytes"
        }
        return "request ended before its header section was complete"
    }

    /// The next complete request, nil when more bytes are needed.
    /// - Throws: ``HTTPParseError`` for a request that breaks the protocol or a bound; the
    ///   connection cannot continue after that.
    mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        if pendingHead == nil {
            guard let (head, bodyLength) = try readHead() else { return nil }
            pendingHead = (head, bodyLength)
        }
        guard let (head, bodyLength) = pendingHead, buffer.count >= bodyLength else { return nil }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        pendingHead = nil
        return try makeRequest(head, body: body)
    }

    private mutating func readHead() throws(HTTPParseError) -> (HTTPHead, Int)? {
        // Tolerate blank lines before a request (RFC 9112, section 2.2).
        while buffer.count >= 2, buffer[0] == 13, buffer[1] == 10 { buffer.removeFirst(2) }
        guard !buffer.isEmpty else { return nil }
        guard let lineEnd = HTTPHeadScanner.lineEnd(in: buffer, upTo: limits.maximumRequestLineBytes) else {
            if buffer.count > limits.maximumRequestLineBytes { throw .requestLineTooLong(limit: limits.maximumRequestLineBytes) }
            try checkRequestLinePrefix()
            return nil
        }
        guard let end = HTTPHeadScanner.headEnd(in: buffer, from: max(scannedTo, lineEnd)) else {
            scannedTo = buffer.count
            if buffer.count - lineEnd > limits.maximumHeaderBytes { throw .headersTooLarge(limit: limits.maximumHeaderBytes) }
            return nil
        }
        guard end - lineEnd - 2 <= limits.maximumHeaderBytes else { throw .headersTooLarge(limit: limits.maximumHeaderBytes) }
        let head = try HTTPHeadScanner.parse(buffer[0..<end], maximumFields: limits.maximumHeaderCount)
        buffer.removeFirst(end)
        scannedTo = 0
        if let coding = head.header("transfer-encoding") { throw .unsupportedTransferEncoding(coding) }
        let length = try head.contentLength()
        guard length <= limits.maximumBodyBytes else { throw .bodyTooLarge(declared: length, limit: limits.maximumBodyBytes) }
        return (head, length)
    }

    /// Refuses bytes that cannot begin a request line (binary noise) without waiting for a CRLF.
    private func checkRequestLinePrefix() throws(HTTPParseError) {
        for byte in buffer.prefix(limits.maximumRequestLineBytes) where byte < 0x20 || byte >= 0x7F {
            if byte == 13 { continue }
            throw .malformed("request line contains a byte 0x\(String(byte, radix: 16)) that is not printable ASCII")
        }
    }

    private func makeRequest(_ head: HTTPHead, body: [UInt8]) throws(HTTPParseError) -> HTTPRequest {
        let parts = head.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .malformed("request line must be 'METHOD TARGET HTTP/1.1'")
        }
        let method = String(parts[0])
        guard method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw .malformed("invalid method '\(method)'")
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { throw .unsupportedVersion(version) }
            throw .malformed("request line must end with HTTP/1.1")
        }
        var target = Substring(parts[1])
        // Absolute form (http://localhost/v1/...) is allowed; only the path and query matter here.
        if target.hasPrefix("http://") {
            let afterScheme = target.dropFirst(7)
            target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        guard target.hasPrefix("/") else { throw .malformed("request target must start with '/'") }
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = percentDecoded(pathPart[0]) else { throw .malformed("invalid percent-encoding in the path") }
        var query: [String: String] = [:]
        if pathPart.count == 2 {
            for pair in pathPart[1].split(separator: "&") {
                let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = percentDecoded(nameAndValue[0]),
                      let value = percentDecoded(nameAndValue.count == 2 ? nameAndValue[1] : "") else {
                    throw .malformed("invalid percent-encoding in the query")
                }
                query[name] = value
            }
        }
        let connection = head.header("connection")?.lowercased()
        let keepAlive = version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        return HTTPRequest(method: method, path: path, query: query, head: head, body: body, keepAlive: keepAlive)
    }

    private func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
