import CacheEngine
import Foundation
import Synchronization

/// WORKLOAD.md storm mode: T threads write distinct keys as fast as they can into a cache of
/// capacity N for S seconds while another thread samples the entry count.
enum StormMode {
    static func run(capacity: Int, threads: Int, seconds: Double, caches: [String]) throws {
        for name in caches {
            let subject = try SubjectFactory.make(name, capacity: capacity)
            let stop = StopFlag()
            let writes = (0..<threads).map { _ in PaddedCounter() }
            let finished = DispatchGroup()
            for index in 0..<threads {
                let counter = writes[index]
                finished.enter()
                Thread {
                    var key = UInt64(index) << 48
                    var done = 0
                    while !stop.stopped.load(ordering: .relaxed) {
                        for _ in 0..<256 {
                            let k = distinctKey(key)
                            subject.set(k, k)
                            key &+= 1
                        }
                        done += 256
                        counter.ops.store(done, ordering: .relaxed)
                    }
                    finished.leave()
                }.start()
            }
            var maxCount = 0
            var rssStart = 0
            var samples = 0
            let deadline = now() + seconds
            while now() < deadline {
                let written = writes.reduce(0) { $0 + $1.ops.load(ordering: .relaxed) }
                let count = subject.count
                if let count { maxCount = max(maxCount, count) }
                samples += 1
                if rssStart == 0, (count ?? written) >= capacity { rssStart = ProcessStatistics.residentBytes() }
            }
            stop.stopped.store(true, ordering: .relaxed)
            finished.wait()
            let totalWrites = writes.reduce(0) { $0 + $1.ops.load(ordering: .relaxed) }
            emit([
                "cache": subject.name, "mode": "storm", "capacity": capacity, "threads": threads, "seconds": seconds,
                "max_count": subject.count == nil ? NSNull() : maxCount as Any,
                "rss_start_bytes": rssStart, "rss_end_bytes": ProcessStatistics.residentBytes(),
                "writes": totalWrites, "samples": samples,
            ])
        }
    }
}
