/// Advancing the wheel: the cascade, as Caffeine's `TimerWheel.advance` and `expire` run it.
extension TimerWheel {
    /// Advances the wheel to `now`: every due entry is taken off the wheel and appended to
    /// `expired` (for the shard to remove); a not-yet-due one in a visited bucket cascades to
    /// a finer level. Work is proportional to the due entries plus those cascading, never to
    /// the number of entries. Returns how many nodes it examined.
    @usableFromInline
    mutating func advance(to now: Int64, expired: inout [Int32]) -> Int {
        let previous = nanos
        guard now > previous else { return 0 }
        nanos = now
        guard let timers, scheduled > 0 else { return 0 }
        var examined = 0
        for level in 0..<Self.levels {
            let shift = Int64(Self.shifts[level])
            let previousTicks = previous >> shift
            let delta = (now >> shift) - previousTicks
            if delta <= 0 { break }
            let buckets = Self.buckets[level]
            let mask = Int64(buckets - 1)
            let steps = Int(min(delta + 1, Int64(buckets)))
            let start = Int(previousTicks & mask)
            for step in start..<(start + steps) {
                let bucket = Self.offsets[level] + (step & Int(mask))
                var slot = detach(bucket)
                while slot >= 0 {
                    let next = timers[Int(slot)].next
                    timers[Int(slot)].bucket = -1
                    examined &+= 1
                    if timers[Int(slot)].deadline <= now {
                        expired.append(slot)
                    } else {
                        link(slot, into: self.bucket(for: timers[Int(slot)].deadline), timers: timers)
                    }
                    slot = next
                }
            }
        }
        return examined
    }
}
