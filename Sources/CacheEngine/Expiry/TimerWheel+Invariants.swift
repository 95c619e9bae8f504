/// Self-checks of the wheel's structure, for tests: O(scheduled entries + buckets).
extension TimerWheel {
    /// Every violated invariant of the buckets and their counts, described; empty when they are
    /// consistent. `isLive` tells whether a slot holds an entry.
    func invariantViolations(slabCapacity: Int, isLive: (Int32) -> Bool) -> [String] {
        var problems: [String] = []
        var inBuckets = 0
        var withDeadline = 0
        if let timers {
            for slot in 0..<slabCapacity where timers[slot].bucket >= 0 {
                withDeadline += 1
                if !isLive(Int32(slot)) { problems.append("free slot \(slot) on the wheel") }
                if let limits, timers[slot].deadline > limits[slot] {
                    problems.append("timer \(slot) is due after the end of its time to live")
                }
            }
            for bucket in 0..<Self.bucketCount {
                var slot = heads[bucket]
                var length = 0
                while slot >= 0 {
                    if timers[Int(slot)].bucket != Int32(bucket) { problems.append("timer \(slot) in bucket \(bucket) says \(timers[Int(slot)].bucket)") }
                    length += 1
                    slot = timers[Int(slot)].next
                    if length > slabCapacity + 1 { problems.append("bucket \(bucket): cycle"); break }
                }
                if length != Int(counts[bucket]) { problems.append("bucket \(bucket) holds \(length), counted \(counts[bucket])") }
                inBuckets += length
            }
        }
        if inBuckets != withDeadline || withDeadline != scheduled {
            problems.append("wheel: \(inBuckets) in buckets, \(withDeadline) nodes with a deadline, \(scheduled) recorded")
        }
        return problems
    }
}
