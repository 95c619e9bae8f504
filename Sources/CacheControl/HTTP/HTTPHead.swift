/// The start line and header fields of an HTTP/1.x message, shared by the request parser (server)
/// and the response parser (client).
struct HTTPHead: Sendable, Equatable {
    /// The first line without its CRLF.
    var startLine: String
    /// Header fields in order; names as sent.
    var headers: [(name: String, value: String)]

    static func == (lhs: HTTPHead, rhs: HTTPHead) -> Bool {
        lhs.startLine == rhs.startLine && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
    }

    /// The value of the first field named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The declared body length: 0 without `Content-Length`.
    /// - Throws: a malformed-request error for a value that is not a decimal count, or for two
    ///   different values.
    func contentLength() throws(HTTPParseError) -> Int {
        let values = headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        guard let first = values.first else { return 0 }
        guard values.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
              first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(first) else {
            throw .malformed("invalid content-length '\(values.joined(separator: ", "))'")
        }
        return length
    }
}

/// Finds and splits a message head in a byte buffer. O(head size).
enum HTTPHeadScanner {
    /// The offset just past the blank line that ends the head, or nil when it has not arrived.
    /// `from` is where a previous unsuccessful scan stopped, so a slowly arriving head is scanned
    /// once in total.
    static func headEnd(in bytes: [UInt8], from: Int) -> Int? {
        var index = max(0, from - 3)
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    /// The offset of the first CRLF, or nil.
    static func lineEnd(in bytes: [UInt8], from: Int = 0, upTo limit: Int) -> Int? {
        var index = from
        while index + 1 < min(bytes.count, limit + 2) {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// Splits `bytes[0..<end]` (a complete head ending in CRLFCRLF) into its start line and fields.
    static func parse(_ bytes: ArraySlice<UInt8>, maximumFields: Int) throws(HTTPParseError) -> HTTPHead {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10 {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        // The head ends with an empty line.
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw .malformed("empty request") }
        guard lines.count - 1 <= maximumFields else { throw .tooManyHeaders(limit: maximumFields) }
        guard let startLine = printable(first) else { throw .malformed("start line is not printable ASCII") }
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw .malformed("header line without a name and colon")
            }
            let nameBytes = line[line.startIndex..<colon]
            guard nameBytes.allSatisfy(isTokenByte), let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .malformed("invalid header name")
            }
            guard let value = printable(line[(colon + 1)...]) else { throw .malformed("header '\(name)' has a control character") }
            fields.append((name, value.trimmingSpaces()))
        }
        return HTTPHead(startLine: startLine, headers: fields)
    }

    private static func printable(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
