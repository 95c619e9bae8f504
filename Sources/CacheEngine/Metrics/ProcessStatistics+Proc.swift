#if canImport(Glibc)
import Glibc
#endif

/// Readers of the figures from /proc (Linux), for snapshots and the benchmarks.
extension ProcessStatistics {
    /// Reads the figures now; a figure that cannot be read is 0.
    package static func current() -> ProcessStatistics {
        ProcessStatistics(residentBytes: residentBytes(), threads: threadCount(), openFileDescriptors: descriptorCount())
    }

    /// The machine's memory (`MemTotal` in /proc/meminfo), in bytes; nil when unreadable.
    package static func machineMemoryBytes() -> Int? {
        guard let text = readSmallFile("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            return Int(line.dropFirst("MemTotal:".count).trimmingCharacters()).map { $0 * 1024 }
        }
        return nil
    }

    /// Resident set size from /proc/self/statm, in bytes.
    package static func residentBytes() -> Int {
        guard let text = readSmallFile("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func threadCount() -> Int {
        guard let text = readSmallFile("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).trimmingCharacters()) ?? 0
        }
        return 0
    }

    static func descriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var entries = 0
        // Only the name's first byte is read, in place: a record is as long as its name, so
        // copying the declared 256-byte `d_name` out of the last record of the kernel's buffer
        // could read past its end (seen as a crash with a thousand descriptors open).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            let isDot = UnsafeRawPointer(entry).load(fromByteOffset: nameOffset, as: UInt8.self) == UInt8(ascii: ".")
            if !isDot { entries += 1 }
        }
        return max(0, entries - 1) // the descriptor opendir itself holds
    }

    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length], as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> Substring {
        drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" }
    }
}
