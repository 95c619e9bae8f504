/// The links of one slot in an intrusive doubly linked list; `-1` is "none".
@usableFromInline
struct SlotLink {
    @usableFromInline var previous: Int32
    @usableFromInline var next: Int32

    @inlinable
    init(previous: Int32, next: Int32) {
        self.previous = previous
        self.next = next
    }
}

/// The head and tail of an intrusive doubly linked list of slab slots. The links themselves
/// live in the shard's flat `links` array, so a queue costs no allocation per entry.
/// All operations are O(1). Not thread-safe: used under the owning shard's lock.
@usableFromInline
struct SlotQueue {
    @usableFromInline var head: Int32 = -1
    @usableFromInline var tail: Int32 = -1

    @inlinable
    init() {}

    @inlinable
    var isEmpty: Bool { head < 0 }

    @inlinable
    mutating func append(_ slot: Int32, links: UnsafeMutablePointer<SlotLink>) {
        links[Int(slot)] = SlotLink(previous: tail, next: -1)
        if tail >= 0 { links[Int(tail)].next = slot } else { head = slot }
        tail = slot
    }

    @inlinable
    mutating func remove(_ slot: Int32, links: UnsafeMutablePointer<SlotLink>) {
        let link = links[Int(slot)]
        if link.previous >= 0 { links[Int(link.previous)].next = link.next } else { head = link.next }
        if link.next >= 0 { links[Int(link.next)].previous = link.previous } else { tail = link.previous }
    }

    @inlinable
    mutating func moveToTail(_ slot: Int32, links: UnsafeMutablePointer<SlotLink>) {
        if tail == slot { return }
        remove(slot, links: links)
        append(slot, links: links)
    }
}

/// The one-byte tag of every slab slot: which policy queue holds it, and whether it caches an
/// absence (a negative entry, whose value slot is left uninitialised).
@usableFromInline
enum SlotTag {
    @usableFromInline static let free: UInt8 = 0
    @usableFromInline static let window: UInt8 = 1
    @usableFromInline static let probation: UInt8 = 2
    @usableFromInline static let protected: UInt8 = 3
    @usableFromInline static let queueMask: UInt8 = 3
    @usableFromInline static let absent: UInt8 = 4
}
