/// The shard's entry operations. Each runs under the shard lock, enforces the capacity bound
/// before returning, and costs O(1) expected plus O(entries evicted).
extension ShardStore {
    /// Reads `key`: a hit reorders the entry in the policy; an entry past its deadline is
    /// removed and reported as a miss (lazy expiry).
    @inlinable
    mutating func lookup(_ key: Key, hash: KeyHash, clock: any CacheClock) -> CacheLookup<Value> {
        let slot = findSlot(key, hash: hash)
        guard slot >= 0 else {
            counters.misses &+= 1
            return .miss
        }
        if let timers, timers[Int(slot)].bucket >= 0, timers[Int(slot)].deadline <= clock.nanoseconds() {
            evict(slot, hash: hash, cause: .expired)
            counters.misses &+= 1
            return .miss
        }
        recordRead(slot, hash: hash)
        counters.hits &+= 1
        if links[Int(slot)].tag & SlotTag.absent != 0 {
            counters.absentHits &+= 1
            return .absent
        }
        return .hit(valuePointer(Int(slot)).pointee)
    }

    /// Writes `key`. `value == nil` stores a negative entry (a cached absence). `ttl` is in
    /// nanoseconds; nil means no deadline. An entry costing more than the shard's whole
    /// capacity is not stored (reported as a size eviction).
    @inlinable
    mutating func set(_ key: Key, hash: KeyHash, value: Value?, cost: Int, ttl: Int64?, clock: any CacheClock) {
        supersedeLoad(of: key)
        counters.puts &+= 1
        let now = ttl == nil ? 0 : clock.nanoseconds()
        var slot = findSlot(key, hash: hash)
        if slot >= 0 {
            replaceValue(in: slot, key: key, with: value)
            setDeadline(slot, ttl.map { now &+ $0 }, now: now)
            if let costs, cost != Int(costs[Int(slot)]) {
                drainReads()
                onWeightChange(slot, by: cost - Int(costs[Int(slot)]))
                costs[Int(slot)] = UInt32(cost)
                onAccess(slot, hash: hash)
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
            if recordsRemovals { removals.append(RemovedEntry(key: key, value: value, cause: .size)) }
            return
        }
        if indexNeedsRoom { rebuildIndex() }
        let position = probe(key, hash: hash).position
        slot = allocateSlot(hash: hash)
        initializeKey(Int(slot), to: key)
        if let value {
            initializeValue(Int(slot), to: value)
            links[Int(slot)].tag = 0
        } else {
            links[Int(slot)].tag = SlotTag.absent
        }
        if let costs { costs[Int(slot)] = UInt32(cost) }
        if table[position] == Self.tombstone { tombstones &-= 1 }
        table[position] = slot
        count &+= 1
        if let ttl { setDeadline(slot, now &+ ttl, now: now) }
        onAdd(slot, hash: hash, weight: cost)
        maintain()
    }

    @inlinable
    mutating func replaceValue(in slot: Int32, key: Key, with value: Value?) {
        let wasAbsent = links[Int(slot)].tag & SlotTag.absent != 0
        let old: Value? = wasAbsent ? nil : valuePointer(Int(slot)).move()
        if let value {
            initializeValue(Int(slot), to: value)
            links[Int(slot)].tag &= ~SlotTag.absent
        } else {
            links[Int(slot)].tag |= SlotTag.absent
        }
        counters.replaced &+= 1
        if recordsRemovals { removals.append(RemovedEntry(key: key, value: old, cause: .replaced)) }
    }

    /// Removes `key` if present and returns what it held (`.miss` when it was not cached).
    @inlinable
    mutating func remove(_ key: Key, hash: KeyHash) -> CacheLookup<Value> {
        drainReads()
        supersedeLoad(of: key)
        let (position, slot) = probe(key, hash: hash)
        guard slot >= 0 else { return .miss }
        guard let value = removeSlot(slot, position: position, cause: .explicit) else { return .absent }
        return .hit(value)
    }

    /// Removes the entry in `slot`, whose key hashes to `hash`, counting `cause`.
    @inlinable
    mutating func evict(_ slot: Int32, hash: KeyHash, cause: RemovalCause) {
        removeSlot(slot, position: position(ofSlot: slot, hash: hash), cause: cause)
    }

    /// Unlinks the entry in `slot` (index position `position`) from the policy, the wheel and
    /// the index, frees its slot and returns its value (nil for a negative entry).
    @inlinable
    @discardableResult
    mutating func removeSlot(_ slot: Int32, position: Int, cause: RemovalCause) -> Value? {
        onRemove(slot, weight: weight(of: slot))
        if let timers { wheel.unlink(slot, timers: timers) }
        clearPosition(position)
        let key = keyPointer(Int(slot)).move()
        let value: Value? = links[Int(slot)].tag & SlotTag.absent == 0 ? valuePointer(Int(slot)).move() : nil
        releaseSlot(slot)
        count &-= 1
        counters.count(cause)
        if recordsRemovals { removals.append(RemovedEntry(key: key, value: value, cause: cause)) }
        return value
    }

    /// Tells a load of `key` in flight that a newer write or removal overtook it. O(1); free
    /// when nothing is loading.
    @inlinable
    mutating func supersedeLoad(of key: Key) {
        if !flights.isEmpty, let flight = flights[key] { flight.supersede() }
    }

    /// Removes every entry (cause: explicit). O(entries).
    @usableFromInline
    mutating func removeAll() {
        drainReads()
        for flight in flights.values { flight.supersede() }
        for slot in 0..<Int32(truncatingIfNeeded: slabCapacity) where links[Int(slot)].tag != SlotTag.free {
            evict(slot, hash: KeyHash(key(at: slot)), cause: .explicit)
        }
    }

    /// Changes the shard's capacity, evicting down to it before returning. Returns how many
    /// entries were evicted.
    @usableFromInline
    mutating func resize(maximum: Int) -> Int {
        drainReads()
        let before = counters.evictedBySize
        policy.setMaximum(maximum)
        if !weighted, sketch.isInitialized || policy.weightedSize >= maximum >> 1 {
            ensurePolicyMemory(sketchEntries: maximum)
        }
        evictEntries()
        if slabIsOversized { compactSlab() }
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
