import Synchronization

/// What the storage does for readers that take no lock (`ShardReadState`): it marks every
/// change they could see with the shard's sequence lock, publishes the slab and index it
/// replaces, and keeps the replaced memory until no reader can still be reading it.
///
/// Without a read state (keys or values that cannot be read lock-free) each of these is a
/// no-op and replaced memory is freed at once.
extension SlotStorage {
    /// Opens a change lock-free readers could see (a key, a value, a tag, an index entry, the
    /// layout). Not reentrant: callers open one at a time.
    @inlinable @inline(__always)
    func beginReaderVisibleChange() {
        readState?.pointee.beginWrite()
    }

    /// Closes the change opened by ``beginReaderVisibleChange()``.
    @inlinable @inline(__always)
    func endReaderVisibleChange() {
        readState?.pointee.endWrite()
    }

    /// Publishes the current slab, index and deadlines to lock-free readers.
    @inlinable
    func publishLayout() {
        readState?.pointee.publish(records: records, slabCapacity: slabCapacity, table: table, tableMask: tableMask,
                                   deadlines: deadlines, generation: generation)
    }

    // MARK: Deadlines

    /// Allocates the readers' deadline array (all `Int64.max`) if the shard has none yet, and
    /// publishes it. O(slab) once per shard; nothing without lock-free readers.
    @inlinable
    mutating func ensureReaderDeadlines() {
        guard readState != nil, deadlines == nil else { return }
        let fresh = UnsafeMutablePointer<Int64>.allocate(capacity: slabCapacity)
        fresh.initialize(repeating: .max, count: slabCapacity)
        beginReaderVisibleChange()
        deadlines = fresh
        publishLayout()
        endReaderVisibleChange()
    }

    /// Sets the deadline readers check for `slot` (nil: none), inside a reader-visible change.
    @inlinable @inline(__always)
    func storeReaderDeadline(_ deadline: Int64?, of slot: Int32) {
        guard let deadlines else { return }
        RelaxedWords.word64(UnsafeRawPointer(deadlines + Int(slot))).pointee
            .store(UInt64(bitPattern: deadline ?? .max), ordering: .relaxed)
    }

    /// The readers' deadlines moved to a rebuilt slab of `capacity` slots (nil if none).
    @usableFromInline
    func movedReaderDeadlines(_ renumbering: SlotRenumbering) -> UnsafeMutablePointer<Int64>? {
        guard let deadlines else { return nil }
        let moved = UnsafeMutablePointer<Int64>.allocate(capacity: renumbering.capacity)
        moved.initialize(repeating: .max, count: renumbering.capacity)
        for slot in 0..<renumbering.newSlots.count where renumbering.newSlots[slot] >= 0 {
            moved[Int(renumbering.newSlots[slot])] = deadlines[slot]
        }
        return moved
    }

    /// Frees `memory` (a slab or an index just replaced) once no lock-free reader can hold its
    /// address: at once without readers, else at a later ``reclaimRetired()``.
    @inlinable
    mutating func retire(_ memory: UnsafeMutableRawPointer) {
        if readState == nil {
            memory.deallocate()
        } else {
            retired.append(memory)
        }
    }

    /// Frees the retired memory if every read stripe has been seen with no reader in flight
    /// since it was replaced; otherwise leaves it for a later call (the next write, drain or
    /// sweep of the shard). O(stripes) when something is retired, O(1) otherwise.
    @inlinable
    mutating func reclaimRetired() {
        guard !retired.isEmpty, let readState, readState.pointee.allStripesQuiescent() else { return }
        for memory in retired { memory.deallocate() }
        retired.removeAll(keepingCapacity: true)
    }
}
