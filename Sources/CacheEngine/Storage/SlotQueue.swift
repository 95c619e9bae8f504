import CPrefetch
import Synchronization

/// The policy links and tag of one slot, stored inside the slot's record.
///
/// `previous` and the 3-bit tag share one word: bits 0...28 hold `previous + 1` (0 is "none"),
/// bits 29...31 the tag. So a slot's queue membership, absence flag and links arrive with the
/// same cache line as its key and value. Slot numbers are below 2^29 - 1.
@usableFromInline
struct SlotLink {
    @usableFromInline var packed: UInt32
    @usableFromInline var next: Int32

    @usableFromInline static let previousMask: UInt32 = 0x1FFF_FFFF
    /// The byte offset of `next`: `packed` comes first.
    @usableFromInline static var nextOffset: Int { 4 }
    /// Slots per shard must stay below this.
    @usableFromInline static let slotLimit = Int(previousMask) - 1

    @inlinable
    init(previous: Int32, next: Int32, tag: UInt8) {
        packed = (UInt32(tag) << 29) | UInt32(bitPattern: previous &+ 1)
        self.next = next
    }

    @inlinable
    var previous: Int32 {
        get { Int32(bitPattern: packed & Self.previousMask) &- 1 }
        set { packed = (packed & ~Self.previousMask) | UInt32(bitPattern: newValue &+ 1) }
    }

    @inlinable
    var tag: UInt8 {
        get { UInt8(truncatingIfNeeded: packed >> 29) }
        set { packed = (packed & Self.previousMask) | (UInt32(newValue) << 29) }
    }
}

/// A view of the links of every slot record of a shard: `base` is the first record's link,
/// records are `stride` bytes apart. Reading and writing go straight to the records.
@usableFromInline
struct SlotLinks {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let stride: Int

    @inlinable
    init(base: UnsafeMutableRawPointer, stride: Int) {
        self.base = base
        self.stride = stride
    }

    @inlinable
    subscript(_ slot: Int) -> SlotLink {
        get { (base + slot &* stride).assumingMemoryBound(to: SlotLink.self).pointee }
        nonmutating set {
            // Two relaxed atomic stores, not one plain one: lock-free readers load the first
            // word (the tag) while the lock holder relinks (`RelaxedWords`).
            let address = base + slot &* stride
            RelaxedWords.word32(address).pointee.store(newValue.packed, ordering: .relaxed)
            RelaxedWords.signedWord32(address + SlotLink.nextOffset).pointee.store(newValue.next, ordering: .relaxed)
        }
    }

    /// Hints the CPU to fetch the record of `slot` (a hint only: nothing is read).
    @inlinable
    func prefetch(_ slot: Int) {
        cprefetch_for_write(base + slot &* stride)
    }
}

/// The head and tail of an intrusive doubly linked list of slab slots. The links themselves
/// live in the slot records, so a queue costs no allocation per entry.
/// All operations are O(1). Not thread-safe: used under the owning shard's lock.
@usableFromInline
struct SlotQueue {
    @usableFromInline var head: Int32 = -1
    @usableFromInline var tail: Int32 = -1

    @inlinable
    init() {}

    @inlinable @inline(__always)
    mutating func append(_ slot: Int32, links: SlotLinks) {
        links[Int(slot)].previous = tail
        links[Int(slot)].next = -1
        if tail >= 0 { links[Int(tail)].next = slot } else { head = slot }
        tail = slot
    }

    @inlinable @inline(__always)
    mutating func remove(_ slot: Int32, links: SlotLinks) {
        let link = links[Int(slot)]
        let previous = link.previous
        if previous >= 0 { links[Int(previous)].next = link.next } else { head = link.next }
        if link.next >= 0 { links[Int(link.next)].previous = previous } else { tail = previous }
    }

    @inlinable @inline(__always)
    mutating func moveToTail(_ slot: Int32, links: SlotLinks) {
        if tail == slot { return }
        remove(slot, links: links)
        append(slot, links: links)
    }
}

/// The 3-bit tag of every slot: which policy queue holds it, and whether it caches an
/// absence (a negative entry, whose value is left uninitialised).
@usableFromInline
enum SlotTag {
    @usableFromInline static let free: UInt8 = 0
    @usableFromInline static let window: UInt8 = 1
    @usableFromInline static let probation: UInt8 = 2
    @usableFromInline static let protected: UInt8 = 3
    @usableFromInline static let queueMask: UInt8 = 3
    @usableFromInline static let absent: UInt8 = 4
}
