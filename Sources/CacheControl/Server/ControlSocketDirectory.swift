#if canImport(Glibc)
import Glibc
#endif

/// The per-user directory where hosts put their control sockets by default and where
/// `cachetop attach` looks when it is given none: `$XDG_RUNTIME_DIR/cachetop/`. The system
/// creates `$XDG_RUNTIME_DIR` for each logged-in user with mode 0700, so only that user (and
/// root) can reach what is in it.
public enum ControlSocketDirectory {
    /// The directory, or nil when `XDG_RUNTIME_DIR` is not set.
    public static func path() -> String? {
        guard let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), !runtime.isEmpty else { return nil }
        return runtime + "/cachetop"
    }

    /// The socket files in `directory`, sorted; none when it does not exist.
    public static func sockets(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var found: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let path = directory + "/" + name
            var status = stat()
            if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK { found.append(path) }
        }
        return found.sorted()
    }
}

extension ControlServer.Configuration {
    /// A socket named `name.sock` in ``ControlSocketDirectory`` (created with mode 0700 if
    /// missing), where `cachetop attach` finds it without being told.
    /// - Throws: ``ControlServerError`` when `XDG_RUNTIME_DIR` is not set, the name is not a
    ///   plain file name, or the directory cannot be created.
    public static func inRuntimeDirectory(name: String) throws(ControlServerError) -> Self {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw .invalidTargets("socket name '\(name)' must be a plain file name")
        }
        guard let directory = ControlSocketDirectory.path() else {
            throw .cannotBind("$XDG_RUNTIME_DIR/cachetop/\(name).sock", reason: "XDG_RUNTIME_DIR is not set; give a socket path instead")
        }
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .cannotBind(directory + "/\(name).sock", reason: "cannot create \(directory): \(SystemError.describe(errno))")
        }
        return Self(socketPath: directory + "/\(name).sock")
    }
}
