/// The shards of a cache: one fixed allocation holding, for each shard, its locked store, the
/// state it publishes to lock-free readers (`ShardReadState`) and its read stripes
/// (`ReadStripe`). Each part starts on a cache-line boundary and is padded to whole lines, so
/// that two cores working on neighbouring shards, or on the lock and the read side of one
/// shard, never write to the same line (false sharing).
///
/// Lines are counted in 128-byte pairs, not 64: x86 cores prefetch lines in adjacent pairs, so
/// a part sharing a 128-byte pair with its neighbour still drags that line between cores.
///
/// Not thread-safe by itself: it only places the shards. Every access to a store goes through
/// that shard's lock; the read side is atomics. The table is created in `Cache.init` and freed
/// in its deinit.
@usableFromInline
struct ShardTable<Key: Hashable & Sendable, Value: Sendable> {
    @usableFromInline typealias Shard = EngineMutex<ShardStore<Key, Value>>

    /// The bytes each part starts on and is padded to.
    static var lineSize: Int { 128 }

    @usableFromInline let base: UnsafeMutableRawPointer
    /// The distance between consecutive shards.
    @usableFromInline let stride: Int
    /// Where a shard's read state starts, from the shard's start.
    @usableFromInline let readStateOffset: Int
    /// The number of shards.
    @usableFromInline let count: Int

    /// Allocates `count` shards with `stripes` read stripes each (a power of two), shard
    /// `index` holding `makeStore(index, its read state)`. O(count × stripes).
    init(count: Int, stripes: Int, makeStore: (Int, UnsafePointer<ShardReadState>) -> ShardStore<Key, Value>) {
        let line = Self.lineSize
        func padded(_ size: Int) -> Int { (size + line - 1) / line * line }
        readStateOffset = padded(MemoryLayout<Shard>.size)
        let stripesOffset = readStateOffset + padded(MemoryLayout<ShardReadState>.size)
        stride = stripesOffset + stripes * ReadStripe.stride
        base = .allocate(byteCount: stride * count, alignment: max(line, MemoryLayout<Shard>.alignment))
        self.count = count
        for index in 0..<count {
            let shard = base + index * stride
            for stripe in 0..<stripes {
                (shard + stripesOffset + stripe * ReadStripe.stride).bindMemory(to: ReadStripe.self, capacity: 1)
                    .initialize(to: ReadStripe())
            }
            let readState = (shard + readStateOffset).bindMemory(to: ShardReadState.self, capacity: 1)
            readState.initialize(to: ShardReadState(stripes: shard + stripesOffset, stripeCount: stripes))
            // Rebuilt from its address so that the store handed to the mutex is in a region of
            // its own (the table's memory is not Sendable; the read state is atomics only).
            let published = UnsafePointer<ShardReadState>(bitPattern: UInt(bitPattern: readState))!
            shard.bindMemory(to: Shard.self, capacity: 1).initialize(to: EngineMutex(makeStore(index, published)))
        }
    }

    /// Shard `index`, borrowed in place. O(1).
    @inlinable
    subscript(index: Int) -> Shard {
        unsafeAddress { UnsafePointer((base + index &* stride).assumingMemoryBound(to: Shard.self)) }
    }

    /// What shard `index` publishes to lock-free readers. O(1).
    @inlinable
    func readState(_ index: Int) -> UnsafePointer<ShardReadState> {
        UnsafePointer((base + index &* stride + readStateOffset).assumingMemoryBound(to: ShardReadState.self))
    }

    /// Deinitializes every shard and frees the table. Called once, by `Cache.deinit`.
    func deallocate() {
        for index in 0..<count {
            (base + index * stride).assumingMemoryBound(to: Shard.self).deinitialize(count: 1)
        }
        base.deallocate()
    }
}
