import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Per-connection state the event loop and the connection's task share, so that an idle close
/// knows whether a request was half sent (and answers 408) even when the task has not yet
/// looked at the last bytes that arrived.
final class ConnectionState: Sendable {
    /// Bytes the event loop has received.
    let received = Atomic<Int>(0)
    /// Bytes the connection's task has parsed.
    let parsed = Atomic<Int>(0)
    /// Whether the parsed bytes end inside a request.
    let partial = Atomic<Bool>(false)

    /// Records that the task parsed `count` more bytes and whether a request is incomplete.
    func didParse(_ count: Int, partial: Bool) {
        self.partial.store(partial, ordering: .relaxed)
        parsed.add(count, ordering: .releasing)
    }

    var requestInProgress: Bool {
        parsed.load(ordering: .acquiring) != received.load(ordering: .relaxed) || partial.load(ordering: .relaxed)
    }
}

/// Closes a connection that stays silent for the idle timeout. If a request was half sent,
/// it first answers 408 with the JSON error body, so the client learns why.
final class IdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let state: ConnectionState
    private let timeout: Duration

    init(state: ConnectionState, timeout: Duration) {
        self.state = state
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        state.received.add(unwrapInboundIn(data).readableBytes, ordering: .relaxed)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if state.requestInProgress {
            let response = ControlRouter.error(.requestTimeout, "request not completed within \(timeout.secondsValue) s of silence")
            let bytes = response.serialized(closing: true)
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        }
        context.close(promise: nil)
    }
}

/// The peer's process credentials, from `SO_PEERCRED`; the same layout as the C `struct ucred`.
struct PeerCredentials: Sendable, Equatable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32

    static let unknown = PeerCredentials(pid: 0, uid: .max, gid: .max)
}

extension Channel {
    /// The credentials of the process at the other end of this unix socket connection; a future
    /// failure means they could not be read (and the connection should be refused).
    func peerCredentials() -> EventLoopFuture<PeerCredentials> {
        guard let provider = self as? SocketOptionProvider else {
            return eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        return provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
    }
}
