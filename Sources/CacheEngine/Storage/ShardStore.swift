/// One shard's entries, policy, expiry wheel and counters, in flat storage.
///
/// Layout: one flat array of slot records, each holding the key, the value and the policy
/// links with the slot's tag packed in (`SlotLink`), laid out by hand so that a negative entry
/// can leave its value uninitialised. A read touches one record for key, value, queue and tag.
/// Only when needed, parallel arrays hold `costs` (a weigher is configured) and `timers` (some
/// entry has a TTL). An open-addressing `table` of `Int32` slot numbers maps a key's hash to
/// its slot (linear probing, tombstones, load at most 3/4). For `UInt64` keys and values
/// without TTL that is a 24-byte record per slot plus 4 bytes per index position: no per-entry
/// heap object, no reference counting on the hot path for trivial types.
///
/// The slab grows by doubling but never beyond the shard's entry capacity plus one, so a
/// count-bounded cache never holds spare memory beyond its bound. Free slots are kept on a
/// doubly linked free list threaded through `links`. Each key has two preferred slots, and most
/// entries sit in one of theirs, so a read usually finds its record without waiting for the
/// index (`ShardStore+Placement.swift`).
///
/// Not thread-safe: each shard lives inside a `Mutex` and every method runs under it.
@usableFromInline
struct ShardStore<Key: Hashable, Value: Sendable>: ~Copyable {
    // Slab
    @usableFromInline var records: UnsafeMutableRawPointer
    @usableFromInline var costs: UnsafeMutablePointer<UInt32>?
    @usableFromInline var timers: UnsafeMutablePointer<TimerNode>?
    @usableFromInline var slabCapacity: Int
    /// The free slots: a queue threaded through their links, like the policy queues.
    @usableFromInline var freeSlots: SlotQueue

    // Index
    @usableFromInline var table: UnsafeMutablePointer<Int32>
    @usableFromInline var tableMask: Int
    @usableFromInline var tombstones: Int = 0
    @usableFromInline var count: Int = 0

    // Policy, expiry, statistics
    @usableFromInline let weighted: Bool
    @usableFromInline var policy: PolicyState
    @usableFromInline var sketch = FrequencySketch()
    /// The learned admission margin and the close calls it is judged on.
    @usableFromInline var judge: AdmissionJudge
    @usableFromInline var wheel: TimerWheel
    @usableFromInline var counters = ShardCounters()
    @usableFromInline var flights: [Key: LoadFlight<Value>] = [:]
    @usableFromInline var recordsRemovals: Bool
    @usableFromInline var removals: [RemovedEntry<Key, Value>] = []
    @usableFromInline var randomState: UInt64
    /// Hits not yet applied to the policy.
    @usableFromInline var readBuffer: UnsafeMutablePointer<BufferedRead>
    @usableFromInline var readBufferCount = 0

    @usableFromInline static var emptySlot: Int32 { -1 }
    @usableFromInline static var tombstone: Int32 { -2 }

    @usableFromInline
    init(maximum: Int, policy kind: EvictionPolicy, weighted: Bool, recordsRemovals: Bool, now: Int64, seed: UInt64) {
        self.weighted = weighted
        self.recordsRemovals = recordsRemovals
        self.policy = PolicyState(policy: kind, maximum: maximum)
        self.judge = AdmissionJudge(learns: kind == .windowTinyLFU)
        self.wheel = TimerWheel(now: now)
        self.randomState = seed | 1
        let initialSlots = weighted ? 8 : max(1, min(8, maximum + 1))
        slabCapacity = initialSlots
        records = Self.allocateRecords(initialSlots)
        freeSlots = Self.freeList(ofFreshSlots: initialSlots)
        costs = weighted ? .allocate(capacity: initialSlots) : nil
        readBuffer = .allocate(capacity: Self.readBufferCapacity)
        table = .allocate(capacity: 16)
        table.initialize(repeating: Self.emptySlot, count: 16)
        tableMask = 15
    }

    deinit {
        for slot in 0..<slabCapacity where links[slot].tag != SlotTag.free {
            keyPointer(slot).deinitialize(count: 1)
            if links[slot].tag & SlotTag.absent == 0 { valuePointer(slot).deinitialize(count: 1) }
        }
        records.deallocate()
        readBuffer.deallocate()
        costs?.deallocate()
        timers?.deallocate()
        table.deallocate()
        sketch.deallocate()
        policy.sizer.deallocate()
        judge.deallocate()
        wheel.deallocate()
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

    /// Stores the key of a fresh slot (binding that part of the record to `Key`).
    @inlinable
    func initializeKey(_ slot: Int, to key: Key) {
        (records + slot &* Self.recordStride).initializeMemory(as: Key.self, repeating: key, count: 1)
    }

    /// Stores a value into a slot whose value part is uninitialised.
    @inlinable
    func initializeValue(_ slot: Int, to value: Value) {
        (records + slot &* Self.recordStride + Self.valueOffset).initializeMemory(as: Value.self, repeating: value, count: 1)
    }

    /// The key in `slot` (which must be live).
    @inlinable
    func key(at slot: Int32) -> Key {
        keyPointer(Int(slot)).pointee
    }

    /// The links (and tags) of every slot.
    @inlinable
    var links: SlotLinks {
        SlotLinks(base: records + Self.linkOffset, stride: Self.recordStride)
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

    // MARK: Index

    /// Finds `key`: its slot, or where it would be inserted. O(1) expected.
    @inlinable @inline(__always)
    func probe(_ key: Key, hash: KeyHash) -> (position: Int, slot: Int32) {
        var position = hash.indexPosition(mask: tableMask)
        var firstTombstone = -1
        while true {
            let slot = table[position]
            if slot == Self.emptySlot {
                return (firstTombstone >= 0 ? firstTombstone : position, -1)
            }
            if slot == Self.tombstone {
                if firstTombstone < 0 { firstTombstone = position }
            } else if keyPointer(Int(slot)).pointee == key {
                return (position, slot)
            }
            position = (position &+ 1) & tableMask
        }
    }

    /// The index position holding `slot`, whose key hashes to `hash`.
    @inlinable
    func position(ofSlot slot: Int32, hash: KeyHash) -> Int {
        var position = hash.indexPosition(mask: tableMask)
        while table[position] != slot {
            position = (position &+ 1) & tableMask
        }
        return position
    }

    /// Whether inserting one more key needs the index rebuilt first.
    @inlinable
    var indexNeedsRoom: Bool {
        (count &+ tombstones &+ 1) &* 4 > (tableMask &+ 1) &* 3
    }

    /// Rebuilds the index at a size that keeps the load below 3/4 after one more insertion,
    /// dropping tombstones. O(count); rehashes every key.
    @inlinable
    mutating func rebuildIndex() {
        var size = 16
        while (count + 1) * 2 > size { size <<= 1 }
        let newTable = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        newTable.initialize(repeating: Self.emptySlot, count: size)
        let mask = size - 1
        for position in 0...tableMask {
            let slot = table[position]
            guard slot >= 0 else { continue }
            var target = KeyHash(keyPointer(Int(slot)).pointee).indexPosition(mask: mask)
            while newTable[target] != Self.emptySlot { target = (target &+ 1) & mask }
            newTable[target] = slot
        }
        table.deallocate()
        table = newTable
        tableMask = mask
        tombstones = 0
    }

    /// Empties an index position, leaving a tombstone only where a probe chain continues past it.
    @inlinable
    mutating func clearPosition(_ position: Int) {
        if table[(position &+ 1) & tableMask] == Self.emptySlot {
            table[position] = Self.emptySlot
            var previous = (position &- 1) & tableMask
            while table[previous] == Self.tombstone {
                table[previous] = Self.emptySlot
                tombstones &-= 1
                previous = (previous &- 1) & tableMask
            }
        } else {
            table[position] = Self.tombstone
            tombstones &+= 1
        }
    }

    /// The policy weight of the entry in `slot`: its cost, or 1 when the cache counts entries.
    @inlinable
    func weight(of slot: Int32) -> Int {
        guard let costs else { return 1 }
        return Int(costs[Int(slot)])
    }

    /// A cheap per-shard pseudo-random number (xorshift64*), for the policy's random admission.
    @inlinable
    mutating func nextRandom() -> UInt64 {
        randomState ^= randomState >> 12
        randomState ^= randomState << 25
        randomState ^= randomState >> 27
        return randomState &* 0x2545_F491_4F6C_DD1D
    }
}

/// An entry taken out of a shard while its lock was held, handed to the removal listener after
/// the lock is released so that listener code never runs under a shard lock.
@usableFromInline
struct RemovedEntry<Key, Value> {
    @usableFromInline let key: Key
    @usableFromInline let value: Value?
    @usableFromInline let cause: RemovalCause

    @inlinable
    init(key: Key, value: Value?, cause: RemovalCause) {
        self.key = key
        self.value = value
        self.cause = cause
    }
}

extension RemovedEntry: Sendable where Key: Sendable, Value: Sendable {}
