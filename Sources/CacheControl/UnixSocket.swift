#if canImport(Glibc)
import Glibc
#endif

/// A blocking stream connection to a unix domain socket:
/// what the server uses to probe a socket file it found, and what tests use to send raw bytes
/// (``ControlClient`` speaks through SwiftNIO).
///
/// Every call blocks the calling thread for at most the timeout given at connection. Not
/// thread-safe: one user at a time. Closed on deinit.
final class UnixSocket {
    /// Why a socket operation failed, with the errno behind it.
    struct Failure: Error, Equatable, CustomStringConvertible {
        enum Stage: String, Sendable { case connect, send, receive }
        var stage: Stage
        var code: Int32
        var description: String { "\(stage.rawValue): \(SystemError.describe(code))" }
    }

    private var descriptor: Int32

    /// Connects to the socket at `path`.
    /// - Parameter timeout: the longest any later send or receive waits.
    /// - Throws: ``Failure`` with stage `connect` and errno (`ENOENT`: no such file,
    ///   `EACCES`: permission denied, `ECONNREFUSED`: nothing listening, `ENOTSOCK`...).
    init(path: String, timeout: Duration = .seconds(5)) throws(Failure) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { throw Failure(stage: .connect, code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(stage: .connect, code: errno) }
        var interval = timeval(tv_sec: Int(timeout.components.seconds),
                               tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 {
            let code = errno
            Glibc.close(descriptor)
            descriptor = -1
            throw Failure(stage: .connect, code: code)
        }
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure(stage: .send, code: errno)
            }
            offset += sent
        }
    }

    /// Up to `maximum` bytes; an empty array means the peer closed its side.
    func receive(maximum: Int = 64 * 1024) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, maximum, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno == EINTR { continue }
            throw Failure(stage: .receive, code: errno)
        }
    }

    /// Everything the peer sends until it closes (or the timeout passes).
    func receiveUntilClosed() throws(Failure) -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try receive()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    /// Closes the sending direction: the peer reads end-of-stream, and can still answer.
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes the connection now.
    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
