#if canImport(Glibc)
import Glibc
#endif

/// Finds theme files: a name is looked up as NAME.theme in each directory of the search path;
/// anything containing a `/` or ending in `.theme` is taken as a path.
public struct ThemeCatalog: Sendable {
    /// Directories searched, first match wins.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// `$CACHETOP_THEMES`, `./themes`, the `themes` directory of the package the executable was
    /// built in (for `swift run`), `~/.config/cachetop/themes`, `/usr/share/cachetop/themes`.
    public static func standard(executablePath: String?) -> ThemeCatalog {
        var directories: [String] = []
        if let custom = getenv("CACHETOP_THEMES") { directories.append(String(cString: custom)) }
        directories.append("themes")
        if let executablePath, let root = packageRoot(of: executablePath) {
            directories.append(root + "/themes")
        }
        if let executablePath, let prefix = installPrefix(of: executablePath) {
            directories.append(prefix + "/share/cachetop/themes")
        }
        if let home = getenv("HOME") { directories.append(String(cString: home) + "/.config/cachetop/themes") }
        directories.append("/usr/share/cachetop/themes")
        return ThemeCatalog(directories: directories)
    }

    /// `PREFIX` for an executable installed as `PREFIX/bin/NAME` (`scripts/install.sh`), if so.
    static func installPrefix(of path: String) -> String? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "bin" else { return nil }
        parts.removeLast(2)
        return parts.joined(separator: "/")
    }

    /// The directory holding `.build` in `path`, if any.
    static func packageRoot(of path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let index = parts.firstIndex(where: { $0 == ".build" || $0.hasPrefix(".build-") }) else { return nil }
        return parts[..<index].joined(separator: "/")
    }

    /// Theme names available, sorted, `default` first; the built-in default when none is found.
    public func names() -> [String] {
        var found = Set<String>()
        for directory in directories {
            guard let handle = opendir(directory) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".theme") { found.insert(String(name.dropLast(6))) }
            }
        }
        found.insert("default")
        return found.sorted { ($0 == "default" ? "" : $0) < ($1 == "default" ? "" : $1) }
    }

    /// The theme `nameOrPath` names.
    /// - Throws: ``ThemeError`` when no such theme exists or its file is broken.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try Self.loadFile(nameOrPath)
        }
        for directory in directories {
            let path = directory + "/" + nameOrPath + ".theme"
            if access(path, F_OK) == 0 { return try Self.loadFile(path) }
        }
        if nameOrPath == "default" { return .builtIn }
        throw ThemeError(path: nameOrPath, line: 0, reason: "no such theme; available: \(names().joined(separator: ", "))")
    }

    static func loadFile(_ path: String) throws(ThemeError) -> Theme {
        guard let file = fopen(path, "r") else {
            throw ThemeError(path: path, line: 0, reason: String(cString: strerror(errno)).lowercased())
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 1 << 20 { throw ThemeError(path: path, line: 0, reason: "larger than 1 MiB: not a theme file") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ThemeError(path: path, line: 0, reason: "not UTF-8 text")
        }
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(".theme") { name.removeLast(6) }
        return try ThemeParser.parse(text, name: name, path: path)
    }
}
