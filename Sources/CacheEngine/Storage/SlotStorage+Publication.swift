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

    /// Publishes the current slab and index to lock-free readers.
    @inlinable
    func publishLayout() {
        readState?.pointee.publish(records: records, slabCapacity: slabCapacity, table: table, tableMask: tableMask,
                                   generation: generation)
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
