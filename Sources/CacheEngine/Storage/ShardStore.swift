/// One shard of a cache: its components, and the operations that coordinate them.
///
/// - `storage` (`SlotStorage`): the slab of entries, the index, the free list and placement;
/// - `policy` (`ShardPolicy`): Window TinyLFU's queues, sketch, window sizer, admission judge
///   and read buffer;
/// - `wheel` (`TimerWheel`): the deadlines and the expiry cascade;
/// - `counters` (`ShardCounters`): what happened, for the snapshot;
/// - the loads in flight, the keys watched by optimistic read-modify-writes
///   (`ShardStore+WriteWatch`) and the removals to report.
///
/// Each component keeps its own state consistent and checks it (`+Invariants`); the shard keeps
/// them consistent with each other: an entry is in the storage exactly when it is in one policy
/// queue, and on the wheel exactly when it has a deadline. A slab rebuild renumbers slots, and
/// the shard hands the renumbering to the policy and the wheel.
///
/// Not thread-safe: each shard lives inside a `Mutex` and every method runs under it.
@usableFromInline
struct ShardStore<Key: Hashable, Value: Sendable>: ~Copyable {
    @usableFromInline var storage: SlotStorage<Key, Value>
    @usableFromInline var policy: ShardPolicy
    @usableFromInline var wheel: TimerWheel
    @usableFromInline var counters = ShardCounters()
    @usableFromInline var flights: [Key: LoadFlight<Value>] = [:]
    /// Keys a compute or a conditional removal is watching, with the writes seen since.
    @usableFromInline var watchedKeys: [Key: KeyWatch] = [:]
    /// Incremented by every slab rebuild, which renumbers slots: iteration by slot restarts.
    @usableFromInline var slabGeneration = 0
    @usableFromInline var recordsRemovals: Bool
    @usableFromInline var removals: [RemovedEntry<Key, Value>] = []
    /// Told of each size or expiry eviction under the lock (`Cache.init`'s `evictionListener`).
    @usableFromInline let evictionListener: (@Sendable (Key, Value?, RemovalCause) -> Void)?
    /// The cache's storing gate and maximum time to live (`CacheCoherence`).
    @usableFromInline let coherence: CacheCoherence
    /// The victims of the policy's last maintenance, reused so eviction does not allocate.
    @usableFromInline var evicted: [HashedSlot] = []
    /// What the shard publishes to lock-free readers, whose hits it drains from the stripes;
    /// nil when the cache's reads all take the lock.
    @usableFromInline let readState: UnsafePointer<ShardReadState>?

    @usableFromInline
    init(
        maximum: Int, policy kind: EvictionPolicy, weighted: Bool, recordsRemovals: Bool,
        evictionListener: (@Sendable (Key, Value?, RemovalCause) -> Void)? = nil,
        coherence: CacheCoherence,
        idleNanoseconds: Int64? = nil, now: Int64, seed: UInt64,
        readState: UnsafePointer<ShardReadState>? = nil
    ) {
        self.recordsRemovals = recordsRemovals
        self.evictionListener = evictionListener
        self.coherence = coherence
        self.readState = readState
        storage = SlotStorage(maximum: maximum, weighted: weighted, readState: readState)
        policy = ShardPolicy(policy: kind, maximum: maximum, weighted: weighted, seed: seed)
        wheel = TimerWheel(now: now, idleNanoseconds: idleNanoseconds)
    }

    deinit {
        storage.deallocate()
        policy.deallocate()
        wheel.deallocate()
    }

    /// The number of entries (including cached absences).
    @inlinable
    var count: Int { storage.count }
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
