@testable import CacheControl
import NIOCore
import NIOEmbedded
import Testing

/// The client's pipeline on an embedded channel, where the order of events is the test's to
/// choose: a refusal that arrives before the request is written, as it does when a host turns
/// a peer away at once, must still be the answer that request gets.
@Suite struct ExchangeHandlerTests {
    private let refusal = ControlRouter.error(.forbidden, "uid 65534 may not use this control socket")

    /// Writes an exchange and returns what its promise was completed with (nil: not completed).
    private func exchange(on channel: EmbeddedChannel) throws -> Result<HTTPResponse, any Error>? {
        let promise = channel.eventLoop.makePromise(of: HTTPResponse.self)
        nonisolated(unsafe) var outcome: Result<HTTPResponse, any Error>?
        promise.futureResult.whenComplete { outcome = $0 }
        channel.writeAndFlush(ControlExchange(request: ByteBuffer(string: "GET /v1/snapshot HTTP/1.1\r\n\r\n"), response: promise),
                              promise: nil)
        channel.embeddedEventLoop.run()
        return outcome
    }

    @Test func aRefusalThatArrivesBeforeTheRequestAnswersIt() throws {
        let channel = EmbeddedChannel(handler: ExchangeHandler())
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/refusing.sock")).wait()
        // The host answers on accept and closes its side before the client has written.
        try channel.writeInbound(ByteBuffer(bytes: refusal.serialized(closing: true)))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(channel.isActive, "the connection waits for the request the answer belongs to")

        let outcome = try #require(try exchange(on: channel))
        let answer = try outcome.get()
        #expect(answer.status == .forbidden)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("uid 65534 may not use this control socket"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "nothing is sent to a host that has closed")
        #expect(!channel.isActive, "the connection closes once the answer is handed over")
    }

    @Test func anEndOfInputWithNothingPendingClosesTheConnection() throws {
        let channel = EmbeddedChannel(handler: ExchangeHandler())
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/idle.sock")).wait()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
    }

    @Test func anEndOfInputBeforeTheAnswerFailsTheWaitingExchange() throws {
        let channel = EmbeddedChannel(handler: ExchangeHandler())
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/closing.sock")).wait()
        let promise = channel.eventLoop.makePromise(of: HTTPResponse.self)
        nonisolated(unsafe) var failure: (any Error)?
        promise.futureResult.whenFailure { failure = $0 }
        channel.writeAndFlush(ControlExchange(request: ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"), response: promise), promise: nil)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        #expect(failure.map { "\($0)" } == "\(ExchangeHandler.Failure.closedBeforeAnswer)")
    }

    @Test func anUnaskedResponseThatKeepsTheConnectionOpenIsRefused() throws {
        let channel = EmbeddedChannel(handler: ExchangeHandler())
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/odd.sock")).wait()
        try channel.writeInbound(ByteBuffer(bytes: refusal.serialized(closing: false)))
        #expect(!channel.isActive, "a response nobody asked for that is not a closing refusal ends the connection")
    }
}
