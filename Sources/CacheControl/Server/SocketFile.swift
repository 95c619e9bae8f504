#if canImport(Glibc)
import Glibc
#endif

/// The socket file's life: clearing a stale one before binding, setting the mode, and removing
/// it at shutdown only if it is still the one this server created.
enum SocketFile {
    /// Longest path the kernel accepts in `sockaddr_un`, without the terminating NUL.
    static let maximumPathBytes = 107

    /// Makes `path` free to bind: nothing there, or a socket nobody listens on (removed).
    /// - Throws: when something listens there, or the path holds anything but a socket.
    static func prepare(_ path: String) throws(ControlServerError) {
        guard path.utf8.count <= maximumPathBytes else { throw .pathTooLong(path) }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path) }
        do {
            _ = try UnixSocket(path: path, timeout: .seconds(1))
            throw ControlServerError.inUse(path)
        } catch let failure as UnixSocket.Failure where failure.code == ECONNREFUSED {
            guard unlink(path) == 0 || errno == ENOENT else { throw .cannotRemoveStaleSocket(path, errno: errno) }
        } catch let error as ControlServerError {
            throw error
        } catch {
            // Another failure (a permission problem, say) means it is not ours to remove.
            throw .cannotBind(path, reason: "\(error)")
        }
    }

    /// The inode of the socket at `path`, to recognise it at shutdown.
    static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Removes `path` if it is still the socket identified by `identity`.
    static func remove(_ path: String, ifStill identity: (device: UInt64, inode: UInt64)?) {
        guard let identity, let current = self.identity(path), current == identity else { return }
        unlink(path)
    }
}
