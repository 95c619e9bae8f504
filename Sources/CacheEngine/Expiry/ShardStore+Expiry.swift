/// Scheduling entries on the shard's timer wheel and expiring them: lazily, when a read finds
/// an entry past its deadline, and actively, when a sweep advances the wheel.
extension ShardStore {
    /// Gives `slot` a deadline, or removes its deadline when `deadline` is nil. O(1).
    @inlinable
    mutating func setDeadline(_ slot: Int32, _ deadline: Int64?, now: Int64) {
        guard let deadline else {
            if let timers { wheel.unlink(slot, timers: timers) }
            return
        }
        let timers = ensureTimers()
        wheel.unlink(slot, timers: timers)
        timers[Int(slot)].deadline = deadline
        timers[Int(slot)].writtenAt = now
        wheel.link(slot, into: wheel.bucket(for: deadline), timers: timers)
    }

    /// The deadline of `slot`, or nil when it has none.
    @inlinable
    func deadline(of slot: Int32) -> Int64? {
        guard let timers, timers[Int(slot)].bucket >= 0 else { return nil }
        return timers[Int(slot)].deadline
    }

    /// Allocates the timer array parallel to the slab the first time an entry has a TTL.
    @inlinable
    mutating func ensureTimers() -> UnsafeMutablePointer<TimerNode> {
        if let timers { return timers }
        let allocated = UnsafeMutablePointer<TimerNode>.allocate(capacity: slabCapacity)
        allocated.initialize(repeating: .unscheduled, count: slabCapacity)
        timers = allocated
        return allocated
    }

    /// Advances the wheel to `now`, expiring every due entry. Work is proportional to the due
    /// entries plus those cascading to a finer level, never to the number of entries.
    @usableFromInline
    mutating func advanceWheel(to now: Int64) -> (examined: Int, removed: Int) {
        drainReads()
        let previous = wheel.nanos
        guard now > previous else { return (0, 0) }
        wheel.nanos = now
        guard let timers, wheel.scheduled > 0 else { return (0, 0) }
        var examined = 0
        var removed = 0
        for level in 0..<TimerWheel.levels {
            let shift = Int64(TimerWheel.shifts[level])
            let previousTicks = previous >> shift
            let delta = (now >> shift) - previousTicks
            if delta <= 0 { break }
            let buckets = TimerWheel.buckets[level]
            let mask = Int64(buckets - 1)
            let steps = Int(min(delta + 1, Int64(buckets)))
            let start = Int(previousTicks & mask)
            for step in start..<(start + steps) {
                let bucket = TimerWheel.offsets[level] + (step & Int(mask))
                var slot = wheel.detach(bucket)
                while slot >= 0 {
                    let next = timers[Int(slot)].next
                    timers[Int(slot)].bucket = -1
                    examined &+= 1
                    if timers[Int(slot)].deadline <= now {
                        evict(slot, hash: KeyHash(key(at: slot)), cause: .expired)
                        removed &+= 1
                    } else {
                        wheel.link(slot, into: wheel.bucket(for: timers[Int(slot)].deadline), timers: timers)
                    }
                    slot = next
                }
            }
        }
        return (examined, removed)
    }

    /// Queued entries grouped by how soon they are due, at bucket granularity: buckets whose
    /// whole span is past are counted as stale (expired, not yet swept). O(buckets).
    @usableFromInline
    func expiryHorizons(now: Int64) -> ExpiryHorizons {
        var horizons = ExpiryHorizons()
        guard wheel.scheduled > 0 else { return horizons }
        for bucket in 0..<TimerWheel.bucketCount {
            let count = Int(wheel.counts[bucket])
            if count == 0 { continue }
            let (start, span) = wheel.bucketStart(bucket)
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
        guard let timers, wheel.scheduled > 0, limit > 0 else { return [] }
        var found: [(slot: Int32, deadline: Int64, writtenAt: Int64)] = []
        var examined = 0
        for level in 0..<TimerWheel.levels {
            let shift = Int64(TimerWheel.shifts[level])
            let buckets = TimerWheel.buckets[level]
            let first = Int((wheel.nanos >> shift) & Int64(buckets - 1))
            for step in 0..<buckets {
                let bucket = TimerWheel.offsets[level] + ((first + step) & (buckets - 1))
                var slot = wheel.heads[bucket]
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

/// Entries queued for expiry, by how soon they are due.
public struct ExpiryHorizons: Sendable, Equatable, Codable {
    /// Due within the next second.
    public var nextSecond = 0
    /// Due within the next minute (after the next second).
    public var nextMinute = 0
    /// Due within the next hour (after the next minute).
    public var nextHour = 0
    /// Due within the next day (after the next hour).
    public var nextDay = 0
    /// Due later than a day from now.
    public var later = 0
    /// Past their deadline but not yet removed by a sweep or a read.
    public var stale = 0

    public init() {}

    mutating func add(_ count: Int, dueIn nanoseconds: Int64) {
        switch nanoseconds {
        case ..<1_000_000_000: nextSecond &+= count
        case ..<60_000_000_000: nextMinute &+= count
        case ..<3_600_000_000_000: nextHour &+= count
        case ..<86_400_000_000_000: nextDay &+= count
        default: later &+= count
        }
    }

    mutating func merge(_ other: ExpiryHorizons) {
        nextSecond &+= other.nextSecond
        nextMinute &+= other.nextMinute
        nextHour &+= other.nextHour
        nextDay &+= other.nextDay
        later &+= other.later
        stale &+= other.stale
    }

    /// All queued entries.
    public var total: Int { nextSecond + nextMinute + nextHour + nextDay + later + stale }

    enum CodingKeys: String, CodingKey {
        case nextSecond = "next_second"
        case nextMinute = "next_minute"
        case nextHour = "next_hour"
        case nextDay = "next_day"
        case later, stale
    }
}
