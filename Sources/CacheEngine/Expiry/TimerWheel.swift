/// The expiry bookkeeping of one slot, parallel to the slab and allocated only once some entry
/// of the shard has a TTL.
@usableFromInline
struct TimerNode: Sendable {
    /// When the entry expires (the cache clock's nanoseconds); invisible from then on.
    @usableFromInline var deadline: Int64
    /// When the entry was written, for inspection (age).
    @usableFromInline var writtenAt: Int64
    @usableFromInline var previous: Int32
    @usableFromInline var next: Int32
    /// The wheel bucket holding this node, or -1 when the entry has no TTL.
    @usableFromInline var bucket: Int32

    @usableFromInline static let unscheduled = TimerNode(deadline: 0, writtenAt: 0, previous: -1, next: -1, bucket: -1)

    @inlinable
    init(deadline: Int64, writtenAt: Int64, previous: Int32, next: Int32, bucket: Int32) {
        self.deadline = deadline
        self.writtenAt = writtenAt
        self.previous = previous
        self.next = next
        self.bucket = bucket
    }
}

/// A hierarchical timer wheel (Caffeine's `TimerWheel`, after Varghese and Lauck): five levels
/// of buckets spanning about 1.07 s, 1.14 min, 1.22 h, 1.63 d and 6.5 d (powers of two of
/// nanoseconds). Scheduling and cancelling are O(1). Advancing the clock visits only the buckets
/// whose time has come: a due entry is expired, a not-yet-due one cascades to a finer level.
/// So a sweep's work grows with the number of due entries, not with the cache size.
///
/// The wheel owns the timer nodes, one per slab slot and parallel to the slab, allocated the
/// first time an entry of the shard gets a deadline, and its buckets' list ends and counts.
/// It schedules, cancels and advances (`TimerWheel+Advance.swift`); the shard removes what an
/// advance reports due. Not thread-safe: used under the shard lock; freed with `deallocate()`.
@usableFromInline
struct TimerWheel {
    /// Buckets per level.
    @usableFromInline static let buckets: [Int] = [64, 64, 32, 4, 1]
    /// log2 of each level's bucket span in nanoseconds.
    @usableFromInline static let shifts: [Int] = [30, 36, 42, 47, 49]
    /// Index of each level's first bucket in the flat bucket arrays.
    @usableFromInline static let offsets: [Int] = [0, 64, 128, 160, 164]
    @usableFromInline static let bucketCount = 165
    @usableFromInline static let levels = 5

    @usableFromInline var heads: UnsafeMutablePointer<Int32>
    @usableFromInline var tails: UnsafeMutablePointer<Int32>
    @usableFromInline var counts: UnsafeMutablePointer<Int32>
    /// The time of the last advance: the wheel's notion of now.
    @usableFromInline var nanos: Int64
    /// Entries currently scheduled.
    @usableFromInline var scheduled = 0
    /// One node per slab slot, or nil while no entry of the shard has had a deadline.
    @usableFromInline var timers: UnsafeMutablePointer<TimerNode>?
    /// The cache's time to idle in nanoseconds, or nil: with one, a read moves an entry's
    /// deadline to `now + idle` (`TimerWheel+Idle.swift`).
    @usableFromInline let idleNanoseconds: Int64?
    /// With a time to idle, each slot's *limit*, parallel to `timers`: the end of its time to
    /// live (`Int64.max` without one), past which no read moves its deadline. Nil otherwise, so
    /// caches without a time to idle pay no memory for it.
    @usableFromInline var limits: UnsafeMutablePointer<Int64>?

    @usableFromInline
    init(now: Int64, idleNanoseconds: Int64? = nil) {
        self.idleNanoseconds = idleNanoseconds
        nanos = now
        heads = .allocate(capacity: Self.bucketCount)
        heads.initialize(repeating: -1, count: Self.bucketCount)
        tails = .allocate(capacity: Self.bucketCount)
        tails.initialize(repeating: -1, count: Self.bucketCount)
        counts = .allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0, count: Self.bucketCount)
    }

    @usableFromInline
    func deallocate() {
        heads.deallocate()
        tails.deallocate()
        counts.deallocate()
        timers?.deallocate()
        limits?.deallocate()
    }

    // MARK: Deadlines of slots

    /// Whether a write without a time to live still has a deadline to set or clear: some entry
    /// of the shard has had a deadline, or the cache has a time to idle. O(1).
    @inlinable
    var keepsDeadlines: Bool { timers != nil || idleNanoseconds != nil }

    /// Gives `slot` a deadline (written at `now`, for its age), or takes its deadline away when
    /// `deadline` is nil. `slabCapacity` sizes the nodes the first time. O(1); relinks the node
    /// only when its bucket changes.
    @inlinable
    mutating func schedule(_ slot: Int32, deadline: Int64?, now: Int64, slabCapacity: Int) {
        guard let deadline else {
            cancel(slot)
            return
        }
        let timers = ensureTimers(slabCapacity: slabCapacity)
        let target = bucket(for: deadline)
        timers[Int(slot)].deadline = deadline
        timers[Int(slot)].writtenAt = now
        // A rewrite whose deadline falls in the bucket it is already in keeps its place: no
        // neighbour's node is touched (each would be a cache miss in a large shard).
        if Int(timers[Int(slot)].bucket) == target { return }
        if timers[Int(slot)].bucket >= 0 { unlink(slot, timers: timers) }
        link(slot, into: target, timers: timers)
    }

    /// Takes `slot` off the wheel, if it is scheduled. O(1).
    @inlinable
    mutating func cancel(_ slot: Int32) {
        if let timers { unlink(slot, timers: timers) }
    }

    /// The deadline of `slot` and when it was written, or nil when it has no deadline.
    @inlinable
    func deadline(of slot: Int32) -> (deadline: Int64, writtenAt: Int64)? {
        guard let timers, timers[Int(slot)].bucket >= 0 else { return nil }
        return (timers[Int(slot)].deadline, timers[Int(slot)].writtenAt)
    }

    /// Whether `slot` has a deadline at or before the time `now()` reads; the clock is read only
    /// for a slot with a deadline. O(1).
    @inlinable
    func isExpired(_ slot: Int32, now: () -> Int64) -> Bool {
        guard let timers, timers[Int(slot)].bucket >= 0 else { return false }
        return timers[Int(slot)].deadline <= now()
    }

    /// The node array, allocated for `slabCapacity` slots the first time an entry has a TTL.
    @inlinable
    mutating func ensureTimers(slabCapacity: Int) -> UnsafeMutablePointer<TimerNode> {
        if let timers { return timers }
        let allocated = UnsafeMutablePointer<TimerNode>.allocate(capacity: slabCapacity)
        allocated.initialize(repeating: .unscheduled, count: slabCapacity)
        timers = allocated
        if idleNanoseconds != nil {
            limits = .allocate(capacity: slabCapacity)
            limits?.initialize(repeating: .max, count: slabCapacity)
        }
        return allocated
    }

    /// Applies a slab rebuild's renumbering: the nodes move with their entries into an array of
    /// the new size, and the links and bucket ends are renumbered. O(old slots + buckets).
    @usableFromInline
    mutating func renumber(_ renumbering: SlotRenumbering) {
        guard let timers else { return }
        let moved = UnsafeMutablePointer<TimerNode>.allocate(capacity: renumbering.capacity)
        moved.initialize(repeating: .unscheduled, count: renumbering.capacity)
        for slot in 0..<renumbering.newSlots.count where renumbering.newSlots[slot] >= 0 {
            var node = timers[slot]
            node.previous = renumbering(node.previous)
            node.next = renumbering(node.next)
            moved[Int(renumbering.newSlots[slot])] = node
        }
        for bucket in 0..<Self.bucketCount {
            heads[bucket] = renumbering(heads[bucket])
            tails[bucket] = renumbering(tails[bucket])
        }
        timers.deallocate()
        self.timers = moved
        if let limits {
            let movedLimits = UnsafeMutablePointer<Int64>.allocate(capacity: renumbering.capacity)
            movedLimits.initialize(repeating: .max, count: renumbering.capacity)
            for slot in 0..<renumbering.newSlots.count where renumbering.newSlots[slot] >= 0 {
                movedLimits[Int(renumbering.newSlots[slot])] = limits[slot]
            }
            limits.deallocate()
            self.limits = movedLimits
        }
    }

    // MARK: Buckets

    /// The bucket for a deadline, relative to the wheel's current time. Past deadlines go to
    /// the current level-0 bucket, which the next advance visits.
    @inlinable
    func bucket(for deadline: Int64) -> Int {
        let time = max(deadline, nanos)
        let delay = time &- nanos
        for level in 0..<(Self.levels - 1) where delay < (Int64(1) << Int64(Self.shifts[level + 1])) {
            let ticks = time >> Int64(Self.shifts[level])
            return Self.offsets[level] + Int(ticks & Int64(Self.buckets[level] - 1))
        }
        return Self.offsets[Self.levels - 1]
    }

    /// Links `slot` at the tail of `bucket`. O(1).
    @inlinable
    mutating func link(_ slot: Int32, into bucket: Int, timers: UnsafeMutablePointer<TimerNode>) {
        let tail = tails[bucket]
        timers[Int(slot)].previous = tail
        timers[Int(slot)].next = -1
        timers[Int(slot)].bucket = Int32(bucket)
        if tail >= 0 { timers[Int(tail)].next = slot } else { heads[bucket] = slot }
        tails[bucket] = slot
        counts[bucket] &+= 1
        scheduled &+= 1
    }

    /// Unlinks `slot` from its bucket, if it is scheduled. O(1).
    @inlinable
    mutating func unlink(_ slot: Int32, timers: UnsafeMutablePointer<TimerNode>) {
        let node = timers[Int(slot)]
        guard node.bucket >= 0 else { return }
        let bucket = Int(node.bucket)
        if node.previous >= 0 { timers[Int(node.previous)].next = node.next } else { heads[bucket] = node.next }
        if node.next >= 0 { timers[Int(node.next)].previous = node.previous } else { tails[bucket] = node.previous }
        timers[Int(slot)].bucket = -1
        counts[bucket] &-= 1
        scheduled &-= 1
    }

    /// Detaches and returns the whole list of `bucket`.
    @inlinable
    mutating func detach(_ bucket: Int) -> Int32 {
        let head = heads[bucket]
        scheduled &-= Int(counts[bucket])
        heads[bucket] = -1
        tails[bucket] = -1
        counts[bucket] = 0
        return head
    }

    /// The earliest time a bucket's entries can be due, relative to the wheel's current tick at
    /// that level. Used to group queued entries by horizon for the snapshot.
    @inlinable
    func bucketStart(_ bucket: Int) -> (start: Int64, span: Int64) {
        var level = Self.levels - 1
        while level > 0, bucket < Self.offsets[level] { level -= 1 }
        let shift = Int64(Self.shifts[level])
        let mask = Int64(Self.buckets[level] - 1)
        let currentTicks = nanos >> shift
        let index = Int64(bucket - Self.offsets[level])
        let delta = (index - (currentTicks & mask)) & mask
        return ((currentTicks + delta) << shift, Int64(1) << shift)
    }
}
