/// One shard's entries: a slab of flat slot records, the index that finds them, the free list,
/// and each key's preferred slots.
///
/// Layout: one flat array of slot records, each holding the key, the value and the slot's
/// links with its tag packed in (`SlotLink`), laid out by hand so that a negative entry can
/// leave its value uninitialised. A read touches one record for key, value, queue and tag.
/// Only when a weigher is configured does a parallel array hold `costs`. An open-addressing
/// `table` of `Int32` slot numbers maps a key's hash to its slot (linear probing, tombstones,
/// load at most 3/4). For `UInt64` keys and values that is a 24-byte record per slot plus 4
/// bytes per index position: no per-entry heap object, no reference counting on the hot path
/// for trivial types.
///
/// The slab grows by doubling but never beyond the shard's entry capacity plus one, so a
/// count-bounded cache never holds spare memory beyond its bound. Free slots are kept on a
/// queue threaded through their links. Each key has four preferred slots, and most entries sit
/// in one of theirs, so a read usually finds its record without waiting for the index
/// (`SlotStorage+Placement.swift`).
///
/// The links of a live slot belong to the policy (its queue) and those of a free slot to the
/// free list; the policy reaches them through ``policySlots``. Slot numbers change only in a
/// slab rebuild, which reports the renumbering for the other components to apply.
///
/// Not thread-safe: owned by one shard and used under its lock; `deallocate()` frees it.
@usableFromInline
struct SlotStorage<Key: Hashable, Value> {
    // Slab
    @usableFromInline var records: UnsafeMutableRawPointer
    @usableFromInline var costs: UnsafeMutablePointer<UInt32>?
    @usableFromInline var slabCapacity: Int
    /// The free slots: a queue threaded through their links, like the policy queues.
    @usableFromInline var freeSlots: SlotQueue

    // Index
    @usableFromInline var table: UnsafeMutablePointer<Int32>
    @usableFromInline var tableMask: Int
    @usableFromInline var tombstones: Int = 0
    @usableFromInline var count: Int = 0

    /// Whether entries have costs (a weigher is configured) rather than counting 1 each.
    @usableFromInline let weighted: Bool

    // Lock-free readers (`SlotStorage+Publication.swift`)
    /// Where the slab and index are published to readers that take no lock; nil when the
    /// cache's keys or values cannot be read that way (then every read takes the lock).
    @usableFromInline let readState: UnsafePointer<ShardReadState>?
    /// Slabs and indexes replaced while a lock-free reader may still be reading them.
    @usableFromInline var retired: [UnsafeMutableRawPointer] = []
    /// Incremented by each slab rebuild (which renumbers slots).
    @usableFromInline var generation = 0
    /// Each slot's deadline as lock-free readers see it (`Int64.max`: none), parallel to the
    /// slab; allocated when the shard first stores an entry with a deadline, and only for
    /// readers (the expiry wheel keeps its own).
    @usableFromInline var deadlines: UnsafeMutablePointer<Int64>?

    @usableFromInline static var emptySlot: Int32 { -1 }
    @usableFromInline static var tombstone: Int32 { -2 }

    /// An empty storage for a shard of `maximum` entries (or cost units, when `weighted`),
    /// published through `readState` when it is given.
    @usableFromInline
    init(maximum: Int, weighted: Bool, readState: UnsafePointer<ShardReadState>?) {
        self.weighted = weighted
        self.readState = readState
        let initialSlots = weighted ? 8 : max(1, min(8, maximum + 1))
        slabCapacity = initialSlots
        records = Self.allocateRecords(initialSlots)
        freeSlots = Self.freeList(ofFreshSlots: initialSlots)
        costs = weighted ? .allocate(capacity: initialSlots) : nil
        table = .allocate(capacity: 16)
        table.initialize(repeating: Self.emptySlot, count: 16)
        tableMask = 15
        publishLayout()
    }

    /// Deinitialises every live key and value and frees the slab and the index.
    @usableFromInline
    func deallocate() {
        for slot in 0..<slabCapacity where links[slot].tag != SlotTag.free {
            keyPointer(slot).deinitialize(count: 1)
            if links[slot].tag & SlotTag.absent == 0 { valuePointer(slot).deinitialize(count: 1) }
        }
        records.deallocate()
        costs?.deallocate()
        table.deallocate()
        deadlines?.deallocate()
        for memory in retired { memory.deallocate() }
    }

    // MARK: Records

    @inlinable
    static func roundUp(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) & ~(alignment - 1)
    }

    /// Byte offset of the value in a record (the key is at 0).
    @inlinable
    static var valueOffset: Int { roundUp(MemoryLayout<Key>.size, MemoryLayout<Value>.alignment) }

    /// Byte offset of the links in a record.
    @inlinable
    static var linkOffset: Int { roundUp(valueOffset + MemoryLayout<Value>.size, MemoryLayout<SlotLink>.alignment) }

    @inlinable
    static var recordAlignment: Int {
        max(MemoryLayout<Key>.alignment, MemoryLayout<Value>.alignment, MemoryLayout<SlotLink>.alignment)
    }

    /// Bytes per record: 24 for `UInt64` keys and values.
    @inlinable
    static var recordStride: Int { roundUp(linkOffset + MemoryLayout<SlotLink>.size, recordAlignment) }

    @inlinable
    func keyPointer(_ slot: Int) -> UnsafeMutablePointer<Key> {
        (records + slot &* Self.recordStride).assumingMemoryBound(to: Key.self)
    }

    @inlinable
    func valuePointer(_ slot: Int) -> UnsafeMutablePointer<Value> {
        (records + slot &* Self.recordStride + Self.valueOffset).assumingMemoryBound(to: Value.self)
    }

    /// Stores the key of a fresh slot (binding that part of the record to `Key`), in relaxed
    /// atomic words when lock-free readers may be looking.
    @inlinable
    func initializeKey(_ slot: Int, to key: Key) {
        let address = records + slot &* Self.recordStride
        if readState != nil {
            address.bindMemory(to: Key.self, capacity: 1)
            RelaxedWords.store(key, to: address)
        } else {
            address.initializeMemory(as: Key.self, repeating: key, count: 1)
        }
    }

    /// Stores a value into a slot whose value part is uninitialised, in relaxed atomic words
    /// when lock-free readers may be looking.
    @inlinable
    func initializeValue(_ slot: Int, to value: Value) {
        let address = records + slot &* Self.recordStride + Self.valueOffset
        if readState != nil {
            address.bindMemory(to: Value.self, capacity: 1)
            RelaxedWords.store(value, to: address)
        } else {
            address.initializeMemory(as: Value.self, repeating: value, count: 1)
        }
    }

    /// The key in `slot` (which must be live).
    @inlinable
    func key(at slot: Int32) -> Key {
        keyPointer(Int(slot)).pointee
    }

    /// Whether `slot` caches an absence (a negative entry, with no value).
    @inlinable
    func isAbsent(_ slot: Int32) -> Bool {
        links[Int(slot)].tag & SlotTag.absent != 0
    }

    /// The links (and tags) of every slot.
    @inlinable
    var links: SlotLinks {
        SlotLinks(base: records + Self.linkOffset, stride: Self.recordStride)
    }

    /// What the policy reads and relinks of the slots: links, costs and keys.
    @inlinable
    var policySlots: PolicySlots<Key> {
        PolicySlots(records: records, stride: Self.recordStride, linkOffset: Self.linkOffset, costs: costs)
    }

    /// Allocates `count` records, all free and chained in order into one free list
    /// (``freeList(ofFreshSlots:)``).
    @inlinable
    static func allocateRecords(_ count: Int) -> UnsafeMutableRawPointer {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * recordStride, alignment: recordAlignment)
        for slot in 0..<count {
            let link = SlotLink(previous: Int32(slot) - 1, next: slot + 1 < count ? Int32(slot + 1) : -1, tag: SlotTag.free)
            (raw + slot * recordStride + linkOffset).initializeMemory(as: SlotLink.self, repeating: link, count: 1)
        }
        return raw
    }

    /// Moves the key and value (unless the slot caches an absence) of `slot` into record
    /// `target` of `destination`, leaving `slot` uninitialised, and writes `link` there.
    @inlinable
    func moveRecord(_ slot: Int, to target: Int, in destination: UnsafeMutableRawPointer, link: SlotLink) {
        let record = destination + target * Self.recordStride
        _ = record.moveInitializeMemory(as: Key.self, from: keyPointer(slot), count: 1)
        if link.tag & SlotTag.absent == 0 {
            _ = (record + Self.valueOffset).moveInitializeMemory(as: Value.self, from: valuePointer(slot), count: 1)
        }
        (record + Self.linkOffset).assumingMemoryBound(to: SlotLink.self).pointee = link
    }

    // MARK: Entries

    /// Stores a new entry for `key` at index position `position` (from ``probe(_:hash:)``):
    /// takes a slot (one of its preferred ones when free), writes key, value (nil: a cached
    /// absence), cost and the deadline lock-free readers check, and indexes it. The caller has
    /// made room in the index. O(1) amortised.
    @inlinable
    mutating func insert(_ key: Key, hash: KeyHash, value: Value?, cost: Int, deadline: Int64?, at position: Int) -> Int32 {
        let slot = allocateSlot(hash: hash)
        if deadline != nil { ensureReaderDeadlines() }
        beginReaderVisibleChange()
        defer { endReaderVisibleChange() }
        storeReaderDeadline(deadline, of: slot)
        initializeKey(Int(slot), to: key)
        if let value {
            initializeValue(Int(slot), to: value)
            links[Int(slot)].tag = 0
        } else {
            links[Int(slot)].tag = SlotTag.absent
        }
        if let costs { costs[Int(slot)] = UInt32(cost) }
        if table[position] == Self.tombstone { tombstones &-= 1 }
        storeIndexEntry(slot, at: position)
        count &+= 1
        return slot
    }

    /// Replaces the value in `slot` (nil: the slot now caches an absence) and its deadline as
    /// lock-free readers see it, and returns the old value (nil if it cached an absence).
    @inlinable
    mutating func replaceValue(in slot: Int32, with value: Value?, deadline: Int64?) -> Value? {
        if deadline != nil { ensureReaderDeadlines() }
        if let value, replacesInPlaceForReaders(slot) {
            let old = valuePointer(Int(slot)).pointee
            RelaxedWords.storeReleasing(value, to: UnsafeMutableRawPointer(valuePointer(Int(slot))))
            return old
        }
        beginReaderVisibleChange()
        defer { endReaderVisibleChange() }
        storeReaderDeadline(deadline, of: slot)
        let old: Value? = isAbsent(slot) ? nil : valuePointer(Int(slot)).move()
        if let value {
            initializeValue(Int(slot), to: value)
            links[Int(slot)].tag &= ~SlotTag.absent
        } else {
            links[Int(slot)].tag |= SlotTag.absent
        }
        return old
    }

    /// Whether a new value for the entry in `slot` can be stored without a reader-visible
    /// change: lock-free readers are looking, the value is one word (a reader loads it whole,
    /// old or new), the slot holds a value (its tag stays as it is) and the shard keeps no
    /// deadlines for readers (none to change beside it). Readers of the shard then go on
    /// undisturbed, and the write leaves the sequence's line, which they all load, unwritten.
    @inlinable @inline(__always)
    func replacesInPlaceForReaders(_ slot: Int32) -> Bool {
        readState != nil && RelaxedWords.isOneWord(Value.self) && deadlines == nil && !isAbsent(slot)
    }

    /// Removes the entry in `slot` (index position `position`): unindexes it, frees the slot and
    /// returns its key and value (nil for a cached absence). The policy and the expiry wheel
    /// must have let go of the slot first. O(1).
    @inlinable
    mutating func remove(_ slot: Int32, position: Int) -> (key: Key, value: Value?) {
        beginReaderVisibleChange()
        defer { endReaderVisibleChange() }
        clearPosition(position)
        let key = keyPointer(Int(slot)).move()
        let value: Value? = isAbsent(slot) ? nil : valuePointer(Int(slot)).move()
        releaseSlot(slot)
        count &-= 1
        return (key, value)
    }
}

/// The view of a shard's slots that the policy works through: the links its queues are
/// threaded through, the entries' costs, and their keys (to hash a victim). Plain pointers,
/// valid until the next slab rebuild.
@usableFromInline
struct PolicySlots<Key: Hashable> {
    @usableFromInline let records: UnsafeMutableRawPointer
    @usableFromInline let stride: Int
    @usableFromInline let links: SlotLinks
    @usableFromInline let costs: UnsafeMutablePointer<UInt32>?

    @inlinable
    init(records: UnsafeMutableRawPointer, stride: Int, linkOffset: Int, costs: UnsafeMutablePointer<UInt32>?) {
        self.records = records
        self.stride = stride
        self.links = SlotLinks(base: records + linkOffset, stride: stride)
        self.costs = costs
    }

    /// The policy weight of the entry in `slot`: its cost, or 1 when the cache counts entries.
    @inlinable
    func weight(of slot: Int32) -> Int {
        guard let costs else { return 1 }
        return Int(costs[Int(slot)])
    }

    /// The hash of the key in `slot` (which must be live).
    @inlinable
    func hash(of slot: Int32) -> KeyHash {
        KeyHash((records + Int(slot) &* stride).assumingMemoryBound(to: Key.self).pointee)
    }
}
