/// Where entries live in the slab: each key has four preferred slots, and most entries sit in one.
///
/// A read by the index alone waits on two dependent loads: the index position, then the record
/// it names. A key's preferred slot is a function of its hash and the slab size, so a read
/// looks there first: when the record there is live and holds the key, the read is answered
/// without loading the index at all. The index stays the authority (misses and misplaced
/// entries go through it, after the preferred records), so placement only ever costs a wasted
/// load, never a wrong answer.
///
/// A key counts as placed in its preferred slot or the three after it (wrapping): 96 bytes for
/// `UInt64` keys and values, two or three cache lines loaded side by side, and a read checks
/// them in order. An insertion takes the first free one of its four slots, and every growth or
/// compaction of the slab places all entries afresh for the new size, so a cache filled once
/// has most entries placed (PlacementTests: over 90% half full). Four rather than two: the
/// fuller the slab, the more entries two slots leave without a place, and each of those costs
/// its reads a second, dependent memory latency.
/// Under turnover, newcomers to a full shard mostly land elsewhere (the one free slot is the
/// last victim's), while the entries that stay (the popular ones a read is most likely to
/// want) keep their places. Moving an occupant aside to make room was measured and not kept:
/// it held placement at 59% under churn but made insertions 37% slower (the occupant's key
/// must be rehashed to find its index position).
///
/// Free slots form a queue through their links (a `SlotQueue`, as the policy queues do), so a
/// given free slot is taken in O(1). Entries move only in a slab rebuild, never while a caller
/// holds slot numbers; the rebuild hands back a `SlotRenumbering` that the shard applies
/// everywhere else a slot number is kept.
extension SlotStorage {
    // MARK: Preferred slots

    /// The slot `hash` prefers in the current slab (`KeyHash.preferredSlot(slots:)`).
    @inlinable
    func preferredSlot(_ hash: KeyHash) -> Int {
        hash.preferredSlot(slots: slabCapacity)
    }

    /// How many consecutive slots, from its preferred one, count as a key's place.
    @inlinable
    static var placementWidth: Int { 4 }

    /// The slot `offset` places after `preferred` in a slab of `slots`, wrapping (`offset` below
    /// ``placementWidth``): a key's preferred slots are offsets 0 to `placementWidth - 1`.
    @inlinable @inline(__always)
    static func slot(_ offset: Int, from preferred: Int, slots: Int) -> Int {
        var slot = preferred &+ offset
        while slot >= slots { slot &-= slots }
        return slot
    }

    /// The first free one of the slots from `preferred` on that count as a key's place, in a
    /// slab of `slots` whose links are `links`; nil when all are taken. O(placementWidth).
    @inlinable @inline(__always)
    static func firstFreePlace(from preferred: Int, slots: Int, links: SlotLinks) -> Int32? {
        for offset in 0..<placementWidth {
            let candidate = slot(offset, from: preferred, slots: slots)
            if links[candidate].tag == SlotTag.free { return Int32(truncatingIfNeeded: candidate) }
        }
        return nil
    }

    /// Whether `slot` is one of the slots where a key whose preferred slot is `preferred`
    /// counts as placed.
    @inlinable
    static func isPlacement(_ slot: Int, for preferred: Int, slots: Int) -> Bool {
        (0..<placementWidth).contains { self.slot($0, from: preferred, slots: slots) == slot }
    }

    /// The slot of `key`, or -1 when it is not cached. O(1) expected. The records at the
    /// preferred slots are looked at first, so an entry placed there costs one memory latency
    /// and no index line; a miss or a misplaced entry then waits on the index as well.
    @inlinable @inline(__always)
    func findSlot(_ key: Key, hash: KeyHash) -> Int32 {
        let preferred = preferredSlot(hash)
        for offset in 0..<Self.placementWidth {
            let guess = Self.slot(offset, from: preferred, slots: slabCapacity)
            if links[guess].tag != SlotTag.free, keyPointer(guess).pointee == key {
                return Int32(truncatingIfNeeded: guess)
            }
        }
        // A key in the cache never has an empty first position, so most misses end here.
        guard table[hash.indexPosition(mask: tableMask)] != Self.emptySlot else { return -1 }
        return probe(key, hash: hash).slot
    }

    // MARK: Free list

    /// Whether every slot is taken.
    @inlinable
    var isFull: Bool { freeSlots.head < 0 }

    /// Whether the slab must grow before the next insertion: it is full, or three-quarters
    /// taken while it can still grow (up to the entry capacity plus one when counting entries;
    /// `maximum` is the shard's capacity). The second bounds the slab's load as an
    /// open-addressing table bounds its own: the fuller the slab, the likelier all of a new
    /// key's preferred slots are taken, and an entry placed elsewhere is found through the
    /// index, a second memory latency on every access to it. A counting shard that stays
    /// partly full thus holds up to twice its entries in slots, never more than its capacity's
    /// worth; a full shard's slab is the same size either way. O(1).
    @inlinable
    func needsRoom(maximum: Int) -> Bool {
        guard !isFull else { return true }
        guard count &* 4 >= slabCapacity &* 3 else { return false }
        return weighted ? slabCapacity < SlotLink.slotLimit : slabCapacity <= maximum
    }

    /// Takes a slot for a new entry whose key hashes to `hash`: the first free one of its
    /// preferred slots, or else any free slot. The slab must not be full. O(1).
    @inlinable
    mutating func allocateSlot(hash: KeyHash) -> Int32 {
        let slot = Self.firstFreePlace(from: preferredSlot(hash), slots: slabCapacity, links: links)
            ?? freeSlots.tail // the most recently freed
        freeSlots.remove(slot, links: links)
        return slot
    }

    /// Returns a slot whose key and value are already deinitialised to the free list.
    @inlinable
    mutating func releaseSlot(_ slot: Int32) {
        links[Int(slot)].tag = SlotTag.free
        freeSlots.append(slot, links: links)
    }

    /// The free list of a slab fresh from ``allocateRecords(_:)``: slots 0 to `count - 1`.
    @inlinable
    static func freeList(ofFreshSlots count: Int) -> SlotQueue {
        var list = SlotQueue()
        if count > 0 { (list.head, list.tail) = (0, Int32(truncatingIfNeeded: count - 1)) }
        return list
    }

    // MARK: Slab size

    /// The slab size a full slab grows to: double, but never past the entry capacity plus one
    /// when counting entries (`maximum` is the shard's capacity).
    @inlinable
    func grownSlabCapacity(maximum: Int) -> Int {
        var newCapacity = max(8, slabCapacity * 2)
        if !weighted { newCapacity = max(slabCapacity + 1, min(newCapacity, maximum + 1)) }
        newCapacity = min(newCapacity, SlotLink.slotLimit)
        precondition(newCapacity > slabCapacity, "a shard cannot hold more than \(SlotLink.slotLimit) entries")
        return newCapacity
    }

    /// Whether the slab holds much more room than a shard of capacity `maximum` can use: after
    /// a shrink (counting entries), or when a weighted shard is three-quarters empty.
    @usableFromInline
    func slabIsOversized(maximum: Int) -> Bool {
        guard slabCapacity > 8 else { return false }
        return weighted ? count * 4 < slabCapacity : slabCapacity > maximum + 1
    }

    /// The slab size a compaction moves the entries into, so a shrink gives its memory back;
    /// a weighted shard's is a power of two at most three-quarters taken, so that the next
    /// insertion does not grow it straight back (``needsRoom(maximum:)``).
    @usableFromInline
    func compactedSlabCapacity(maximum: Int) -> Int {
        weighted ? max(8, (count + count / 3 + 1).nextPowerOfTwo) : max(count, min(slabCapacity, maximum + 1), 1)
    }

    /// Shrinks the index when it is mostly empty (after a compaction). O(index size).
    @usableFromInline
    mutating func shrinkIndexIfSparse() {
        if count * 8 < tableMask + 1, tableMask + 1 > 16 { rebuildIndex() }
    }

    /// Moves every live entry into a new slab of `newCapacity` slots (at least `count`), each
    /// in its preferred slot for that size where it is free, remapping the links, costs and
    /// index, and returns the renumbering for the components that keep slot numbers of their
    /// own (the policy's queue ends, the expiry wheel). O(slots + index size), rehashing every key.
    @usableFromInline
    mutating func rebuildSlab(capacity newCapacity: Int) -> SlotRenumbering {
        precondition(newCapacity >= count, "a slab of \(newCapacity) cannot hold \(count) entries")
        let newRecords = Self.allocateRecords(newCapacity)
        let newLinks = SlotLinks(base: newRecords + Self.linkOffset, stride: Self.recordStride)
        var newFreeSlots = Self.freeList(ofFreshSlots: newCapacity)
        var renumbered = [Int32](repeating: -1, count: slabCapacity)
        var misplaced: [Int32] = []
        for slot in 0..<slabCapacity where links[slot].tag != SlotTag.free {
            let preferred = KeyHash(key(at: Int32(slot))).preferredSlot(slots: newCapacity)
            if let target = Self.firstFreePlace(from: preferred, slots: newCapacity, links: newLinks) {
                newFreeSlots.remove(target, links: newLinks)
                newLinks[Int(target)].tag = links[slot].tag // claimed until the move below
                renumbered[slot] = target
            } else {
                misplaced.append(Int32(slot))
            }
        }
        for slot in misplaced {
            let target = newFreeSlots.head
            newFreeSlots.remove(target, links: newLinks)
            newLinks[Int(target)].tag = links[Int(slot)].tag
            renumbered[Int(slot)] = target
        }
        let renumbering = SlotRenumbering(newSlots: renumbered, capacity: newCapacity)

        let newCosts: UnsafeMutablePointer<UInt32>? = weighted ? .allocate(capacity: newCapacity) : nil
        for slot in 0..<slabCapacity where renumbered[slot] >= 0 {
            let target = Int(renumbered[slot])
            let link = links[slot]
            moveRecord(slot, to: target, in: newRecords,
                       link: SlotLink(previous: renumbering(link.previous), next: renumbering(link.next), tag: link.tag))
            if let costs { newCosts![target] = costs[slot] }
        }
        let newDeadlines = movedReaderDeadlines(renumbering)
        beginReaderVisibleChange()
        for position in 0...tableMask where table[position] >= 0 {
            storeIndexEntry(renumbering(table[position]), at: position)
        }
        retire(records)
        records = newRecords
        if let deadlines { retire(UnsafeMutableRawPointer(deadlines)) }
        deadlines = newDeadlines
        costs?.deallocate()
        costs = newCosts
        slabCapacity = newCapacity
        freeSlots = newFreeSlots
        generation &+= 1
        publishLayout()
        endReaderVisibleChange()
        reclaimRetired()
        return renumbering
    }
}

/// Where a slab rebuild moved each entry: old slot number to new, for every component that
/// keeps slot numbers.
@usableFromInline
struct SlotRenumbering {
    /// The new slot of each old one; -1 for slots that were free.
    @usableFromInline let newSlots: [Int32]
    /// The new slab's size.
    @usableFromInline let capacity: Int

    @usableFromInline
    init(newSlots: [Int32], capacity: Int) {
        self.newSlots = newSlots
        self.capacity = capacity
    }

    /// The new number of `slot`; -1 stays -1 (no slot).
    @inlinable
    func callAsFunction(_ slot: Int32) -> Int32 {
        slot < 0 ? -1 : newSlots[Int(slot)]
    }
}
