import CacheEngine
import Foundation

/// A workload trace: raw little-endian UInt64 keys, one per request, no header.
struct Trace {
    let path: String
    let keys: [UInt64]

    var name: String { (path as NSString).lastPathComponent }

    init(path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw BenchError.unreadableTrace(path, error.localizedDescription)
        }
        guard data.count >= 8 else { throw BenchError.emptyTrace(path) }
        if data.count % 8 != 0 {
            FileHandle.standardError.write(Data("cache-bench: \(path): \(data.count % 8) trailing bytes ignored\n".utf8))
        }
        let count = data.count / 8
        keys = data.withUnsafeBytes { raw in
            (0..<count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }
}

/// Writes one JSON object on its own line to standard output.
func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// Monotonic seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// A well-mixed sequence of distinct keys (the SplitMix64 finaliser of a counter).
@inline(__always)
func distinctKey(_ index: UInt64) -> UInt64 {
    SplitMix64.mix(index &+ 0x9E37_79B9_7F4A_7C15)
}
