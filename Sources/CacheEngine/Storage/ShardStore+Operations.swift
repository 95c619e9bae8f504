/// The shard's entry operations. Each runs under the shard lock, enforces the capacity bound
/// before returning, and costs O(1) expected plus O(entries evicted).
extension ShardStore {
    /// Reads `key`: a hit reorders the entry in the policy (and, with a time to idle, moves its
    /// deadline); an entry past its deadline is removed and reported as a miss (lazy expiry).
    @inlinable
    mutating func lookup(_ key: Key, hash: KeyHash, clock: EngineClock) -> CacheLookup<Value> {
        wheel.prefetch(storage.preferredSlot(hash))
        let slot = storage.findSlot(key, hash: hash)
        guard slot >= 0 else {
            counters.misses &+= 1
            return .miss
        }
        guard isLive(slot, hash: hash, clock: clock), !coherence.isPastDeadline(clock) else {
            counters.misses &+= 1
            return .miss
        }
        recordRead(slot, hash: hash)
        counters.hits &+= 1
        if storage.isAbsent(slot) {
            counters.absentHits &+= 1
            return .absent
        }
        return .hit(storage.valuePointer(Int(slot)).pointee)
    }

    /// Writes `key`. `value == nil` stores a negative entry (a cached absence). `ttl` is in
    /// nanoseconds; nil means no deadline. An entry costing more than the shard's whole
    /// capacity is not stored (reported as a size eviction).
    @inlinable
    mutating func set(_ key: Key, hash: KeyHash, value: Value?, cost: Int, ttl requestedTTL: Int64?, clock: EngineClock) {
        guard coherence.admitsWrites, !coherence.isPastDeadline(clock) else {
            // The coherence provider stopped storing: the write still wins over loads in flight.
            _ = remove(key, hash: hash)
            return
        }
        noteWrite(to: key)
        let ttl = coherence.clamp(requestedTTL)
        counters.puts &+= 1
        let now = ttl == nil && wheel.idleNanoseconds == nil ? 0 : clock.nanoseconds()
        // The deadline lock-free readers check (a cache with a time to idle has none).
        let readerDeadline = readState == nil ? nil : ttl.map { now &+ $0 }
        let slot = storage.findSlot(key, hash: hash)
        if slot >= 0 {
            let old = storage.replaceValue(in: slot, with: value, deadline: readerDeadline)
            counters.replaced &+= 1
            if recordsRemovals { removals.append(RemovedEntry(key: key, value: old, cause: .replaced)) }
            // The old entry may hold a deadline to clear, unless no entry of the shard ever had one.
            if ttl != nil || wheel.keepsDeadlines { scheduleDeadline(slot, ttl: ttl, now: now) }
            if let costs = storage.costs, cost != Int(costs[Int(slot)]) {
                drainReads()
                policy.onWeightChange(slot, by: cost - Int(costs[Int(slot)]), links: storage.links)
                costs[Int(slot)] = UInt32(cost)
                policy.onAccess(slot, hash: hash, slots: storage.policySlots)
                maintain()
            } else {
                // The weight is unchanged, so to the policy this update is a read (as in
                // Caffeine): buffered with the hits, no maintenance needed.
                recordRead(slot, hash: hash)
            }
            return
        }
        drainReads()
        if cost > policy.maximum {
            counters.evictedBySize &+= 1
            evictionListener?(key, value, .size)
            if recordsRemovals { removals.append(RemovedEntry(key: key, value: value, cause: .size)) }
            return
        }
        if storage.indexNeedsRoom { storage.rebuildIndex() }
        if storage.needsRoom(maximum: policy.maximum) { rebuildSlab(capacity: storage.grownSlabCapacity(maximum: policy.maximum)) }
        let position = storage.probe(key, hash: hash).position
        let inserted = storage.insert(key, hash: hash, value: value, cost: cost, deadline: readerDeadline, at: position)
        // A new entry holds no deadline (a slot's is cancelled when it is freed): none to clear.
        if ttl != nil || wheel.idleNanoseconds != nil { scheduleDeadline(inserted, ttl: ttl, now: now) }
        policy.onAdd(inserted, hash: hash, weight: cost, entries: storage.count, links: storage.links)
        maintain()
    }

    /// Whether the entry in `slot` is still live: one past its deadline is removed (counted as
    /// expired) and is not; a live one read under a time to idle has its deadline moved.
    @inlinable @inline(__always)
    mutating func isLive(_ slot: Int32, hash: KeyHash, clock: EngineClock) -> Bool {
        guard wheel.idleNanoseconds != nil else {
            if wheel.isExpired(slot, now: { clock.nanoseconds() }) {
                evict(slot, hash: hash, cause: .expired)
                return false
            }
            return true
        }
        let now = clock.nanoseconds()
        if wheel.isExpired(slot, now: { now }) {
            evict(slot, hash: hash, cause: .expired)
            return false
        }
        wheel.touch(slot, now: now)
        return true
    }

    /// Gives the entry just written in `slot` its deadline: the end of `ttl` (nil: none) or,
    /// with a time to idle, the earlier of that and `now + idle`.
    @inlinable
    mutating func scheduleDeadline(_ slot: Int32, ttl: Int64?, now: Int64) {
        if wheel.idleNanoseconds != nil {
            wheel.scheduleIdle(slot, ttl: ttl, now: now, slabCapacity: storage.slabCapacity)
        } else {
            wheel.schedule(slot, deadline: ttl.map { now &+ $0 }, now: now, slabCapacity: storage.slabCapacity)
        }
    }

    /// Removes `key` if present and returns what it held (`.miss` when it was not cached).
    @inlinable
    mutating func remove(_ key: Key, hash: KeyHash) -> CacheLookup<Value> {
        drainReads()
        noteWrite(to: key)
        let (position, slot) = storage.probe(key, hash: hash)
        guard slot >= 0 else { return .miss }
        guard let value = removeSlot(slot, position: position, cause: .explicit) else { return .absent }
        return .hit(value)
    }

    /// Removes the entry in `slot`, whose key hashes to `hash`, counting `cause`.
    @inlinable
    mutating func evict(_ slot: Int32, hash: KeyHash, cause: RemovalCause) {
        removeSlot(slot, position: storage.position(ofSlot: slot, hash: hash), cause: cause)
    }

    /// Takes the entry in `slot` (index position `position`) out of the policy, the wheel and
    /// the storage, and returns its value (nil for a negative entry).
    @inlinable
    @discardableResult
    mutating func removeSlot(_ slot: Int32, position: Int, cause: RemovalCause) -> Value? {
        let slots = storage.policySlots
        policy.onRemove(slot, weight: slots.weight(of: slot), links: slots.links)
        return release(slot, position: position, cause: cause)
    }

    /// Frees a slot the policy has already let go of (an eviction victim, or `removeSlot`):
    /// off the wheel, out of the storage, counted and reported.
    @inlinable
    @discardableResult
    mutating func release(_ slot: Int32, position: Int, cause: RemovalCause) -> Value? {
        wheel.cancel(slot)
        let (key, value) = storage.remove(slot, position: position)
        counters.count(cause)
        if let evictionListener, cause == .size || cause == .expired { evictionListener(key, value, cause) }
        if recordsRemovals { removals.append(RemovedEntry(key: key, value: value, cause: cause)) }
        return value
    }

    // MARK: Policy

    /// Records a hit on `slot`: a shard below half full marks it at once (`deferHit`), as a
    /// drain of the buffer would; above, the hit is buffered, and a full read buffer is applied
    /// to the policy at once. Always inlined: either case is a test and a store or two, not worth
    /// a call.
    @inlinable @inline(__always)
    mutating func recordRead(_ slot: Int32, hash: KeyHash) {
        if policy.defersHits {
            policy.deferHit(slot)
        } else if policy.bufferRead(slot, hash: hash) {
            applyFullReadBuffer()
        }
    }

    /// Applies a full read buffer and the maintenance it may call for. Kept out of line, so
    /// the hit path that inlines `recordRead` stays small.
    @inlinable @inline(never)
    mutating func applyFullReadBuffer() {
        drainReads()
        maintain()
    }

    /// Applies the buffered hits to the policy: the lock holders' buffer, then the lock-free
    /// readers' stripes (`ShardStore+ReadStripes.swift`).
    @inlinable
    mutating func drainReads() {
        let slots = storage.policySlots
        policy.drainReads(slots: slots)
        if readState != nil { drainReadStripes() }
    }

    /// Lets the policy evict down to the capacity and adapt its window, then frees its victims
    /// and any memory retired from lock-free readers.
    @inlinable
    mutating func maintain() {
        let slots = storage.policySlots
        let reads = policy.sizer.climber == nil ? (hits: counters.hits, misses: counters.misses) : lookupCounts
        policy.maintain(slots: slots, hits: reads.hits, misses: reads.misses, evicted: &evicted)
        releaseEvicted()
        storage.reclaimRetired()
    }

    /// Frees the slots the policy evicted (cause: size), the last evicted first. Popping keeps
    /// the array's capacity without the generic range removal that clearing it costs.
    @inlinable
    mutating func releaseEvicted() {
        while let victim = evicted.popLast() {
            release(victim.slot, position: storage.position(ofSlot: victim.slot, hash: victim.hash), cause: .size)
        }
    }

    /// Moves the entries into a slab of `capacity` slots and renumbers them in the policy and
    /// the wheel. Drains the read buffer first. O(slots + index size).
    @usableFromInline
    mutating func rebuildSlab(capacity: Int) {
        drainReads()
        let renumbering = storage.rebuildSlab(capacity: capacity)
        slabGeneration &+= 1
        policy.renumber(renumbering)
        wheel.renumber(renumbering)
    }

    // MARK: Loads, bulk removal, resize

    /// Tells a load of `key` in flight that a newer write or removal overtook it, and takes it
    /// out of the in-flight table: a read that starts after the write must not join a load that
    /// may have read the source before it (it opens a load of its own). O(1); free when nothing
    /// is loading.
    @inlinable
    mutating func supersedeLoad(of key: Key) {
        if !flights.isEmpty, let flight = flights.removeValue(forKey: key) { flight.supersede() }
    }

    /// Removes every entry (cause: explicit). O(entries).
    @usableFromInline
    mutating func removeAll() {
        drainReads()
        for flight in flights.values { flight.supersede() }
        flights.removeAll()
        noteWriteToEveryWatchedKey()
        for slot in 0..<Int32(truncatingIfNeeded: storage.slabCapacity) where storage.links[Int(slot)].tag != SlotTag.free {
            evict(slot, hash: KeyHash(storage.key(at: slot)), cause: .explicit)
        }
    }

    /// Changes the shard's capacity, evicting down to it before returning. Returns how many
    /// entries were evicted.
    @usableFromInline
    mutating func resize(maximum: Int) -> Int {
        drainReads()
        let before = counters.evictedBySize
        policy.setMaximum(maximum)
        if !storage.weighted, policy.sketch.isInitialized || policy.weightedSize >= maximum >> 1 {
            policy.ensureMemory(forEntries: maximum)
        }
        let slots = storage.policySlots
        // A smaller maximum may put the shard past half full: its deferred hits count first.
        policy.settleDeferredHitsIfDue(slots: slots)
        policy.evictEntries(slots: slots, evicted: &evicted)
        releaseEvicted()
        if storage.slabIsOversized(maximum: maximum) {
            rebuildSlab(capacity: storage.compactedSlabCapacity(maximum: maximum))
            storage.shrinkIndexIfSparse()
        }
        return counters.evictedBySize - before
    }

    /// Hands over the removals recorded since the last call.
    @inlinable
    mutating func takeRemovals() -> [RemovedEntry<Key, Value>] {
        guard !removals.isEmpty else { return [] }
        defer { removals = [] }
        return removals
    }
}
