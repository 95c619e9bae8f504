import CacheEngine
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serves a host's caches to `cachetop`, curl and scripts: HTTP/1.1 and JSON over a unix domain
/// socket, in the manner of the Docker engine API.
///
/// Create it with the caches to expose and run it in the host's `ServiceGroup` (or await
/// ``run()`` directly). The socket file exists exactly while ``run()`` runs: created with mode
/// 0600 (configurable), removed when the server stops.
///
/// Concurrency: connections are read on SwiftNIO's event loops and served in child tasks of
/// ``run()``, each also counted in the engine's task registry under the kind `connection` for as
/// long as the connection is open. Cancelling ``run()`` (or a graceful shutdown) closes the
/// listening socket and every connection, and ``run()`` returns only when all of them have
/// ended. Requests on one connection are answered in order; connections are independent.
///
/// Safety: each connection's peer credentials are checked before anything is read; requests are
/// bounded (``HTTPLimits``), connections are bounded and time out when idle; a bad request gets a
/// 4xx status with a JSON error body and never disturbs the host or its caches.
public final class ControlServer: Service, Sendable {
    public let configuration: Configuration
    let router: ControlRouter
    private let tasks: TaskRegistry
    private let logger: Logger
    private let group: any EventLoopGroup
    private let liveConnections = Atomic<Int>(0)
    private let serverUserID = getuid()
    private let listening = ListeningSignal()
    /// Open connections, so a graceful shutdown can close them (an attached dashboard keeps its
    /// connection open indefinitely).
    private let openChannels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// - Parameters:
    ///   - configuration: where to listen and what to accept.
    ///   - targets: the caches to serve, with distinct names; the first is the default.
    ///   - tasks: the registry connections are counted in; the first cache's by default.
    ///   - logger: where refused peers and failures are reported: the host's own logger (the
    ///     server never builds one).
    ///   - eventLoopGroup: SwiftNIO's shared group by default.
    /// - Throws: ``ControlServerError`` (code `invalidTargets`) for no targets, a bad or a repeated name.
    public init(configuration: Configuration, targets: [ControlTarget], tasks: TaskRegistry? = nil,
                logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(ControlServerError) {
        guard let first = targets.first else { throw .invalidTargets("no caches given") }
        for target in targets where !ControlTarget.isValidName(target.name) {
            throw .invalidTargets("name '\(target.name)' must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        guard Set(targets.map(\.name)).count == targets.count else { throw .invalidTargets("two caches share a name") }
        self.configuration = configuration
        self.router = ControlRouter(targets: targets, readOnly: configuration.readOnly,
                                    processID: getpid(), userID: getuid())
        self.tasks = tasks ?? first.tasks
        self.logger = logger
        self.group = eventLoopGroup
    }

    /// Returns once the socket accepts connections at ``Configuration/socketPath``.
    /// - Throws: the error that stopped ``run()`` before it listened.
    public func waitUntilListening() async throws {
        try await listening.wait()
    }

    /// Connections being served now.
    public var connectionCount: Int { liveConnections.load(ordering: .relaxed) }

    /// Listens until cancelled or until a graceful shutdown, then closes every connection and
    /// removes the socket file.
    /// - Throws: ``ControlServerError`` when the socket cannot be created; nothing is left behind.
    public func run() async throws {
        do {
            try await serve()
        } catch is CancellationError {
            // Cancellation is how a host stops the server: not an error.
        } catch {
            listening.resolve(.failure(error))
            throw error
        }
        listening.resolve(.failure(CancellationError()))
    }

    private func serve() async throws {
        let path = configuration.socketPath
        let staging = path + "~"
        guard staging.utf8.count <= SocketFile.maximumPathBytes else {
            throw ControlServerError.pathTooLong(path)
        }
        try SocketFile.prepare(path)
        try SocketFile.prepare(staging)
        let server = try await bind(staging)
        // Bound under a staging name, restricted, then moved into place: the socket never
        // appears at `path` with the process umask's permissions.
        guard chmod(staging, mode_t(configuration.socketMode)) == 0, rename(staging, path) == 0 else {
            let reason = SystemError.describe(errno)
            unlink(staging)
            try? await server.channel.close()
            throw ControlServerError.cannotBind(path, reason: reason)
        }
        let identity = SocketFile.identity(path)
        defer { SocketFile.remove(path, ifStill: identity) }
        logger.info("control socket listening", metadata: ["path": "\(path)"])
        listening.resolve(.success(()))
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            for channel in self.openChannels.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }

    private func bind(_ path: String) async throws -> NIOAsyncChannel<Connection, Never> {
        let timeout = configuration.idleTimeout
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(unixDomainSocketPath: path) { channel in
                    channel.peerCredentials()
                        .recover { _ in PeerCredentials.unknown }
                        .flatMapThrowing { credentials in
                            let state = ConnectionState()
                            try channel.pipeline.syncOperations.addHandlers(
                                IdleStateHandler(readTimeout: .nanoseconds(timeout.nanosecondsClamped)),
                                IdleConnectionCloser(state: state, timeout: timeout))
                            let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                                wrappingChannelSynchronously: channel,
                                configuration: .init(isOutboundHalfClosureEnabled: true))
                            return Connection(channel: wrapped, peer: credentials, state: state)
                        }
                }
        } catch {
            throw ControlServerError.cannotBind(path, reason: "\(error)")
        }
    }

    /// One accepted connection, as the child channel initialiser hands it over.
    struct Connection: Sendable {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        let peer: PeerCredentials
        let state: ConnectionState
    }

    private func serve(_ connection: Connection) async {
        let live = liveConnections.add(1, ordering: .relaxed).newValue
        let channel = connection.channel.channel
        openChannels.withLock { $0[ObjectIdentifier(channel)] = channel }
        defer {
            openChannels.withLock { $0[ObjectIdentifier(channel)] = nil }
            liveConnections.subtract(1, ordering: .relaxed)
        }
        await tasks.track(.connection) {
            do {
                try await connection.channel.executeThenClose { inbound, outbound in
                    // One iterator for the connection's life: the exchange and the lingering close share it.
                    var input = inbound.makeAsyncIterator()
                    if let refusal = admissionRefusal(connection.peer, live: live) {
                        try await outbound.write(ByteBuffer(bytes: refusal.serialized(closing: true)))
                    } else {
                        try await exchange(input: &input, outbound: outbound, state: connection.state)
                    }
                    try await lingeringClose(input: &input, outbound: outbound)
                }
            } catch {
                logger.debug("control connection ended with an error", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The response that turns this connection away, or nil to serve it.
    private func admissionRefusal(_ peer: PeerCredentials, live: Int) -> HTTPResponse? {
        if !isAllowed(peer) {
            logger.warning("control connection refused: peer not allowed",
                           metadata: ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)"])
            return ControlRouter.error(.forbidden, peer == .unknown
                ? "the peer's credentials could not be read"
                : "uid \(peer.uid) may not use this control socket")
        }
        if live > configuration.maximumConnections {
            logger.warning("control connection refused: too many connections", metadata: ["limit": "\(configuration.maximumConnections)"])
            return ControlRouter.error(.serviceUnavailable, "more than \(configuration.maximumConnections) connections are open; try again")
        }
        return nil
    }

    func isAllowed(_ peer: PeerCredentials) -> Bool {
        guard peer != .unknown else { return false }
        if let allowed = configuration.allowedUserIDs { return allowed.contains(peer.uid) }
        return peer.uid == serverUserID || peer.uid == 0
    }

    /// Ends the connection without losing the last response: closes the sending side, then
    /// reads and discards what the peer still sends (at most 1 MiB, and no longer than the idle
    /// timeout) until it closes. Closing with unread input would reset the connection, and the
    /// peer could lose the response it has not read yet (a refusal, an error for a bad request).
    private func lingeringClose(input: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
                                outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        outbound.finish()
        var discarded = 0
        while let chunk = try await input.next() {
            discarded += chunk.readableBytes
            if discarded > 1 << 20 { return }
        }
    }

    /// Reads requests and writes responses until the peer closes, a request asks to close, or a
    /// request breaks the protocol (answered, then closed).
    private func exchange(input: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
                          outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, state: ConnectionState) async throws {
        var parser = HTTPRequestParser(limits: configuration.limits)
        while let chunk = try await input.next() {
            parser.append(chunk.readableBytesView)
            while true {
                let request: HTTPRequest
                do {
                    guard let next = try parser.nextRequest() else { break }
                    request = next
                } catch {
                    try await outbound.write(ByteBuffer(bytes: ControlRouter.error(error.status, error.message).serialized(closing: true)))
                    return
                }
                var response = await router.respond(to: request)
                if request.method == "HEAD" { response.body = [] }
                try await outbound.write(ByteBuffer(bytes: response.serialized(closing: !request.keepAlive)))
                if !request.keepAlive { return }
            }
            state.didParse(chunk.readableBytes, partial: parser.hasPartialRequest)
        }
        if parser.hasPartialRequest {
            let response = ControlRouter.error(.badRequest, "connection closed mid-request: \(parser.partialRequestDescription)")
            try await outbound.write(ByteBuffer(bytes: response.serialized(closing: true)))
        }
    }
}
