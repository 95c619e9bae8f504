/// The shards of a cache: one fixed allocation of locked stores, each starting on a cache-line
/// boundary and padded to whole lines, so that two cores working on neighbouring shards never
/// write to the same line (false sharing).
///
/// The stride is rounded to 128 bytes, not 64: x86 cores prefetch lines in adjacent pairs, so
/// a shard sharing a 128-byte pair with its neighbour still drags that line between cores.
///
/// Not thread-safe by itself: it only places the shards. Every access to a shard's contents
/// goes through that shard's lock; the table is created in `Cache.init` and freed in its deinit.
@usableFromInline
struct ShardTable<Key: Hashable & Sendable, Value: Sendable> {
    @usableFromInline typealias Shard = EngineMutex<ShardStore<Key, Value>>

    /// The bytes each shard starts on and is padded to.
    static var lineSize: Int { 128 }

    @usableFromInline let base: UnsafeMutableRawPointer
    /// The distance between consecutive shards: a shard's size rounded up to whole lines.
    @usableFromInline let stride: Int
    /// The number of shards.
    @usableFromInline let count: Int

    /// Allocates `count` shards, shard `index` holding `makeStore(index)`. O(count).
    init(count: Int, makeStore: (Int) -> ShardStore<Key, Value>) {
        let line = Self.lineSize
        stride = (MemoryLayout<Shard>.size + line - 1) / line * line
        base = .allocate(byteCount: stride * count, alignment: max(line, MemoryLayout<Shard>.alignment))
        self.count = count
        for index in 0..<count {
            (base + index * stride).bindMemory(to: Shard.self, capacity: 1).initialize(to: EngineMutex(makeStore(index)))
        }
    }

    /// Shard `index`, borrowed in place. O(1).
    @inlinable
    subscript(index: Int) -> Shard {
        unsafeAddress { UnsafePointer((base + index &* stride).assumingMemoryBound(to: Shard.self)) }
    }

    /// Deinitializes every shard and frees the table. Called once, by `Cache.deinit`.
    func deallocate() {
        for index in 0..<count {
            (base + index * stride).assumingMemoryBound(to: Shard.self).deinitialize(count: 1)
        }
        base.deallocate()
    }
}
