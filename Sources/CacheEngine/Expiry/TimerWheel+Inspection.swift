/// What the snapshot and the dashboard read of the wheel, without changing it.
extension TimerWheel {
    /// Queued entries grouped by how soon they are due, at bucket granularity: buckets whose
    /// whole span is past are counted as stale (expired, not yet swept). O(buckets).
    @usableFromInline
    func horizons(now: Int64) -> ExpiryHorizons {
        var horizons = ExpiryHorizons()
        guard scheduled > 0 else { return horizons }
        for bucket in 0..<Self.bucketCount {
            let count = Int(counts[bucket])
            if count == 0 { continue }
            let (start, span) = bucketStart(bucket)
            if start &+ span <= now {
                horizons.stale &+= count
            } else {
                horizons.add(count, dueIn: max(0, start &- now))
            }
        }
        return horizons
    }

    /// Up to `limit` entries closest to their deadline, examining at most `budget` timer nodes
    /// in wheel order (exact within the first level, bucket-ordered beyond). O(budget + buckets).
    @usableFromInline
    func entriesNearestExpiry(limit: Int, budget: Int) -> [(slot: Int32, deadline: Int64, writtenAt: Int64)] {
        guard let timers, scheduled > 0, limit > 0 else { return [] }
        var found: [(slot: Int32, deadline: Int64, writtenAt: Int64)] = []
        var examined = 0
        for level in 0..<Self.levels {
            let shift = Int64(Self.shifts[level])
            let buckets = Self.buckets[level]
            let first = Int((nanos >> shift) & Int64(buckets - 1))
            for step in 0..<buckets {
                let bucket = Self.offsets[level] + ((first + step) & (buckets - 1))
                var slot = heads[bucket]
                while slot >= 0, examined < budget {
                    let node = timers[Int(slot)]
                    found.append((slot, node.deadline, node.writtenAt))
                    examined &+= 1
                    slot = node.next
                }
                if found.count >= limit || examined >= budget {
                    return Array(found.sorted { $0.deadline < $1.deadline }.prefix(limit))
                }
            }
        }
        return Array(found.sorted { $0.deadline < $1.deadline }.prefix(limit))
    }
}
