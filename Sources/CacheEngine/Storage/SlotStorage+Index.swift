import Synchronization

/// The index: an open-addressing table of slot numbers, probed linearly from the position a
/// key's hash gives (`KeyHash.indexPosition`), with tombstones only where a probe chain goes on.
extension SlotStorage {
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
        beginReaderVisibleChange()
        retire(UnsafeMutableRawPointer(table))
        table = newTable
        tableMask = mask
        tombstones = 0
        publishLayout()
        endReaderVisibleChange()
        reclaimRetired()
    }

    /// Writes index position `position` (a relaxed atomic store: lock-free readers probe the
    /// index while the lock holder writes it).
    @inlinable @inline(__always)
    func storeIndexEntry(_ slot: Int32, at position: Int) {
        RelaxedWords.signedWord32(UnsafeRawPointer(table + position)).pointee.store(slot, ordering: .relaxed)
    }

    /// Empties an index position, leaving a tombstone only where a probe chain continues past it.
    @inlinable
    mutating func clearPosition(_ position: Int) {
        if table[(position &+ 1) & tableMask] == Self.emptySlot {
            storeIndexEntry(Self.emptySlot, at: position)
            var previous = (position &- 1) & tableMask
            while table[previous] == Self.tombstone {
                storeIndexEntry(Self.emptySlot, at: previous)
                tombstones &-= 1
                previous = (previous &- 1) & tableMask
            }
        } else {
            storeIndexEntry(Self.tombstone, at: position)
            tombstones &+= 1
        }
    }
}
