import CPrefetch

/// Time to idle: with one, an entry is due at the earlier of the end of its time to live (its
/// *limit*) and `idle` after its last read or write. A write schedules both; a read moves the
/// deadline forward, never past the limit. Both O(1); a read relinks the node only when its
/// deadline moves to another bucket, which for an entry read often is rare (a level-0 bucket
/// spans about a second).
extension TimerWheel {
    /// Schedules `slot` for a write at `now`: due at `now + idle`, or at the end of `ttl` if that
    /// comes first. Call only on a wheel with a time to idle.
    @inlinable
    mutating func scheduleIdle(_ slot: Int32, ttl: Int64?, now: Int64, slabCapacity: Int) {
        guard let idle = idleNanoseconds else { preconditionFailure("the wheel has no time to idle") }
        let limit = ttl.map { Self.adding(now, $0) } ?? .max
        schedule(slot, deadline: min(limit, Self.adding(now, idle)), now: now, slabCapacity: slabCapacity)
        limits?[Int(slot)] = limit
    }

    /// A read of `slot` at `now`: its deadline becomes `now + idle`, capped by its limit. Does
    /// nothing without a time to idle or for an unscheduled slot.
    @inlinable
    mutating func touch(_ slot: Int32, now: Int64) {
        guard let idle = idleNanoseconds, let timers, let limits, timers[Int(slot)].bucket >= 0 else { return }
        let deadline = min(limits[Int(slot)], Self.adding(now, idle))
        guard deadline > timers[Int(slot)].deadline else { return }
        timers[Int(slot)].deadline = deadline
        let target = bucket(for: deadline)
        if target != Int(timers[Int(slot)].bucket) {
            unlink(slot, timers: timers)
            link(slot, into: target, timers: timers)
        }
    }

    /// `time + duration`, saturating at `Int64.max` (a deadline that never comes).
    @inlinable
    static func adding(_ time: Int64, _ duration: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(duration)
        return overflow ? .max : sum
    }

    /// Starts loading the expiry bookkeeping of `slot` (a read's preferred slot) before the
    /// read knows it needs it: a shard larger than the CPU cache would otherwise wait for the
    /// node (and, with a time to idle, the limit) after the record, one memory latency each,
    /// instead of beside it. Nothing for a shard without deadlines.
    @inlinable @inline(__always)
    func prefetch(_ slot: Int) {
        guard let timers else { return }
        cprefetch_for_write(timers + slot)
        if let limits { cprefetch_for_write(limits + slot) }
    }
}
