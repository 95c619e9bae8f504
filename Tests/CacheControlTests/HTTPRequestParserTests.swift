@testable import CacheControl
import Testing

@Suite struct HTTPRequestParserTests {
    @Test func parsesPipelinedRequestsFedByteByByte() throws {
        let text = "GET /v1/snapshot?cache=a%20b&limit=5 HTTP/1.1\r\nHost: x\r\n\r\nPUT /v1/capacity HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []
        for byte in text.utf8 {
            parser.append([byte])
            while let request = try parser.nextRequest() { requests.append(request) }
        }
        #expect(requests.count == 2)
        #expect(requests[0].path == "/v1/snapshot")
        #expect(requests[0].query == ["cache": "a b", "limit": "5"])
        #expect(requests[0].keepAlive)
        #expect(requests[1].method == "PUT")
        #expect(requests[1].body == Array("{}".utf8))
        #expect(!requests[1].keepAlive)
        #expect(!parser.hasPartialRequest)
    }

    @Test func refusesOversizedPartsBeforeTheyEnd() {
        var limits = HTTPLimits()
        limits.maximumRequestLineBytes = 64
        limits.maximumHeaderBytes = 128
        limits.maximumHeaderCount = 3
        limits.maximumBodyBytes = 10

        var line = HTTPRequestParser(limits: limits)
        line.append(Array(repeating: UInt8(ascii: "a"), count: 100))
        #expect(throws: HTTPParseError.requestLineTooLong(limit: 64)) { try line.nextRequest() }

        var headers = HTTPRequestParser(limits: limits)
        headers.append(Array("GET / HTTP/1.1\r\n".utf8) + Array(repeating: UInt8(ascii: "b"), count: 200))
        #expect(throws: HTTPParseError.headersTooLarge(limit: 128)) { try headers.nextRequest() }

        var count = HTTPRequestParser(limits: limits)
        count.append(Array("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.tooManyHeaders(limit: 3)) { try count.nextRequest() }

        var body = HTTPRequestParser(limits: limits)
        body.append(Array("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.bodyTooLarge(declared: 11, limit: 10)) { try body.nextRequest() }
    }

    @Test func refusesMalformedRequests() {
        let cases: [(String, HTTPStatus)] = [
            ("\u{01}\u{02}garbage", .badRequest),
            ("GET /\r\n\r\n", .badRequest),
            ("get / HTTP/1.1\r\n\r\n", .badRequest),
            ("GET / HTTP/2.0\r\n\r\n", .httpVersionNotSupported),
            ("GET nopath HTTP/1.1\r\n\r\n", .badRequest),
            ("GET / HTTP/1.1\r\nno colon\r\n\r\n", .badRequest),
            ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .badRequest),
            ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .badRequest),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", .notImplemented),
            ("GET /%zz HTTP/1.1\r\n\r\n", .badRequest),
        ]
        for (text, status) in cases {
            var parser = HTTPRequestParser()
            parser.append(Array(text.utf8))
            do {
                _ = try parser.nextRequest()
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.status == status, "\(text.debugDescription): \(error.message)")
            }
        }
    }

    @Test func reportsAnIncompleteBody() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /v1/capacity HTTP/1.1\r\nContent-Length: 20\r\n\r\n{\"cap".utf8))
        #expect(try parser.nextRequest() == nil)
        #expect(parser.hasPartialRequest)
        #expect(parser.partialRequestDescription == "body ended after 5 of 20 declared bytes")
    }

    @Test func responseParserReadsWhatTheServerWrites() throws {
        let response = HTTPResponse(status: .ok, headers: [("Content-Type", "application/json")], body: Array("{\"a\":1}".utf8))
        var parser = HTTPResponseParser()
        let bytes = response.serialized(closing: false)
        parser.append(bytes.dropLast())
        #expect(try parser.response() == nil)
        parser.append(bytes.suffix(1))
        let parsed = try #require(try parser.response())
        #expect(parsed.status == .ok)
        #expect(parsed.body == response.body)
        #expect(parsed.header("server") == ControlProtocol.serverToken)
    }
}
