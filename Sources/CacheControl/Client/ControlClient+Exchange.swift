import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// One request and its response on the client's connection: queueing behind the exchange under
/// way, connecting, the timeout, one retry on a reused connection the host had closed, and the
/// errors an operator reads.
extension ControlClient {
    /// No answer within the client's timeout.
    struct TimedOut: Error {}

    /// Sends one request and returns a 2xx response; anything else becomes an error.
    func send(_ method: String, _ path: String, cache: String? = nil, query: String? = nil,
              body: [UInt8] = []) async throws(ControlClientError) -> HTTPResponse {
        var target = path
        var parameters: [String] = []
        if let cache { parameters.append("cache=\(Self.queryEncoded(cache))") }
        if let query { parameters.append(query) }
        if !parameters.isEmpty { target += "?" + parameters.joined(separator: "&") }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: cachetop\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body

        await waitForTurn()
        defer { endTurn() }
        let response = try await exchange(request)
        guard response.header("server") == ControlProtocol.serverToken else {
            throw .notCachetop(self.path, detail: "the server calls itself '\(response.header("server") ?? "nothing")'")
        }
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONDecoder().decode(ControlProtocol.ErrorBody.self, from: Data(response.body)))?.error.message
            throw .refused(status: response.status.code, message: message ?? response.status.reason)
        }
        return response
    }

    /// `text` as a query-string value: everything but letters and digits percent-encoded.
    static func queryEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Suspends until no other exchange is under way (first come, first served).
    private func waitForTurn() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { queued.append($0) }
    }

    /// Hands the connection to the next queued caller, if any.
    private func endTurn() {
        if queued.isEmpty { busy = false } else { queued.removeFirst().resume() }
    }

    /// The request's response, reconnecting once if a reused connection turns out to have been
    /// closed by the host before it answered.
    private func exchange(_ request: [UInt8]) async throws(ControlClientError) -> HTTPResponse {
        let reusing = channel?.isActive == true
        do {
            return try await attempt(request)
        } catch where error.code == .connectionLost && reusing {
            return try await attempt(request)
        }
    }

    private func attempt(_ request: [UInt8]) async throws(ControlClientError) -> HTTPResponse {
        let connection = try await connectedChannel()
        let response = connection.eventLoop.makePromise(of: HTTPResponse.self)
        let timer = connection.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) {
            response.fail(TimedOut())
        }
        let exchange = ControlExchange(request: connection.allocator.buffer(bytes: request), response: response)
        // A host that refuses a peer answers and closes at once, so the write can fail after
        // the answer arrived: fail the exchange only once the connection has closed, by when an
        // answer it read has already completed it (a later failure of a completed promise is
        // ignored). An answer read before the write is kept by the pipeline for it.
        connection.writeAndFlush(exchange).whenFailure { error in
            connection.close(promise: nil)
            connection.closeFuture.whenComplete { _ in response.fail(error) }
        }
        do {
            let answer = try await response.futureResult.get()
            timer.cancel()
            if answer.header("connection")?.lowercased() == "close" { drop(connection) }
            return answer
        } catch {
            timer.cancel()
            // A late answer must not be read as the next request's.
            drop(connection)
            throw describe(error)
        }
    }

    private func connectedChannel() async throws(ControlClientError) -> any Channel {
        if let channel, channel.isActive { return channel }
        channel = nil
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFSOCK {
            throw .notCachetop(path, detail: "the file is not a socket")
        }
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(timeout.nanosecondsClamped))
            // The host's end of input does not close the channel: a refusal that came before
            // the request waits in the pipeline for it (`ExchangeHandler`).
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler())
                }
            }
        do {
            let connected = try await bootstrap.connect(unixDomainSocketPath: path).get()
            channel = connected
            return connected
        } catch {
            throw describe(error)
        }
    }

    private func drop(_ connection: any Channel) {
        if channel === connection { channel = nil }
        connection.close(promise: nil)
    }

    /// The error an operator reads for a failure below HTTP.
    private func describe(_ error: any Error) -> ControlClientError {
        switch error {
        case let error as ControlClientError:
            return error
        case is TimedOut, ChannelError.connectTimeout:
            return .connectionLost(path, detail: "no answer within \(timeout)")
        case ExchangeHandler.Failure.closedBeforeAnswer:
            return .connectionLost(path, detail: "the host closed the connection before answering")
        case ExchangeHandler.Failure.notHTTP(let detail):
            return .notCachetop(path, detail: detail)
        case SocketAddressError.unixDomainSocketPathTooLong:
            return .invalidPath(path)
        case let error as IOError:
            switch error.errnoCode {
            case ENOENT, ENOTDIR: return .noSuchSocket(path)
            case EACCES, EPERM: return .permissionDenied(path)
            case ECONNREFUSED: return .nothingListening(path)
            case ENOTSOCK: return .notCachetop(path, detail: "the file is not a socket")
            default: return .connectionLost(path, detail: "\(error)")
            }
        default:
            return .connectionLost(path, detail: "\(error)")
        }
    }
}
