import NIOCore

/// One request on its way to the host, and the promise its response completes.
struct ControlExchange: Sendable {
    var request: ByteBuffer
    var response: EventLoopPromise<HTTPResponse>
}

/// The client connection's pipeline: writes each exchange's request and completes its promise
/// with the response parsed from the bytes that come back, in order (one connection, HTTP/1.1
/// keep-alive; the client sends one exchange at a time). A connection that closes, fails or
/// sends something that is not an HTTP response fails every exchange still waiting. Runs on
/// the channel's event loop only.
///
/// A host that turns a peer away (403, 503) answers as soon as it accepts, with
/// `Connection: close`, and closes its side: the answer can arrive before the request is
/// written. The channel allows remote half-closure, so it stays open after the host's end of
/// input, and that early answer is kept for the exchange written next, whose answer it is.
final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ControlExchange
    typealias OutboundOut = ByteBuffer

    /// Why an exchange failed below HTTP.
    enum Failure: Error {
        /// The host closed the connection before it answered.
        case closedBeforeAnswer
        /// The bytes are not an HTTP response.
        case notHTTP(String)
    }

    private var waiting = CircularBuffer<EventLoopPromise<HTTPResponse>>()
    private var parser = HTTPResponseParser()
    /// A closing response that came before any request: the answer to the next exchange.
    private var earlyAnswer: HTTPResponse?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        if let answer = earlyAnswer {
            // The host has answered and closed: nothing to send.
            earlyAnswer = nil
            promise?.succeed(())
            exchange.response.succeed(answer)
            context.close(promise: nil)
            return
        }
        waiting.append(exchange.response)
        context.write(wrapOutboundOut(exchange.request), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        parser.append(bytes.readableBytesView)
        do {
            guard let response = try parser.response() else { return }
            parser = HTTPResponseParser()
            guard let promise = waiting.popFirst() else {
                guard earlyAnswer == nil, response.header("connection")?.lowercased() == "close" else {
                    fail(context: context, .notHTTP("a response nobody asked for"))
                    return
                }
                earlyAnswer = response
                return
            }
            promise.succeed(response)
            if response.header("connection")?.lowercased() == "close" { context.close(promise: nil) }
        } catch {
            fail(context: context, .notHTTP(error.message))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            // The host closed its side: what is still waiting gets no answer, and the
            // connection is done unless an early answer waits for its request.
            failWaiting(Failure.closedBeforeAnswer)
            if earlyAnswer == nil { context.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failWaiting(Failure.closedBeforeAnswer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failWaiting(error)
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ failure: Failure) {
        failWaiting(failure)
        context.close(promise: nil)
    }

    private func failWaiting(_ error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
