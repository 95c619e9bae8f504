import CacheEngine
import Foundation

/// WORKLOAD.md memory mode: in a fresh process per cache, insert N distinct keys into a cache
/// that evicts none and report resident-memory growth per entry.
enum MemoryMode {
    /// Runs each cache in a child process (a fresh heap) and relays its line.
    static func runAll(entries: Int, caches: [String]) throws {
        for name in caches {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["memory", "--entries", String(entries), "--in-process", name]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw BenchError.child("memory \(name) exited with status \(process.terminationStatus)")
            }
            FileHandle.standardOutput.write(data)
        }
    }

    static func runInProcess(entries: Int, cache name: String) throws {
        // Headroom so that no shard of the engine evicts (keys do not hash perfectly evenly);
        // the line reports the evictions, which must be 0.
        let capacity = name.hasPrefix("engine") ? entries + entries / 50 : (name == "nscache" ? 0 : entries)
        let before = ProcessStatistics.residentBytes()
        let subject = try SubjectFactory.make(name, capacity: capacity)
        for index in 0..<UInt64(entries) {
            let key = distinctKey(index)
            subject.set(key, key)
        }
        let after = ProcessStatistics.residentBytes()
        var fields: [String: Any] = [
            "cache": subject.name, "mode": "memory", "entries": entries,
            "bytes_per_entry": Double(after - before) / Double(entries),
            "rss_before_bytes": before, "rss_after_bytes": after,
        ]
        if let count = subject.count { fields["evicted"] = entries - count }
        emit(fields)
        withExtendedLifetime(subject) {}
    }
}
