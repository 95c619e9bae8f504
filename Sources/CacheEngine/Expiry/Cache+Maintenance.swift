import ServiceLifecycle
import Synchronization

/// Sweeping, resizing and the background service.
extension Cache {
    /// Removes every entry whose deadline has passed, shard by shard, and reports what it did.
    /// Work grows with the number of due entries and wheel buckets crossed, not with the size.
    @discardableResult
    public func sweep() -> SweepReport {
        let start = clock.nanoseconds()
        var report = SweepReport()
        forEachShard { _, store in
            let (examined, removed) = store.sweep(to: clock.nanoseconds())
            report.examined += examined
            report.removed += removed
            store.storage.reclaimRetired()
        }
        report.durationNanoseconds = clock.nanoseconds() - start
        sweepStatistics.withLock { $0.record(report) }
        return report
    }

    /// Changes the capacity at run time. Shrinking evicts down to the new bound, shard by shard,
    /// before returning (removal listener calls follow, outside every lock).
    /// - Throws: ``CacheError``: code `invalidCapacity` for a capacity out of range, or
    ///   `tooFewShards` when one shard could not hold its share (nothing changes).
    @discardableResult
    public func resize(capacity newCapacity: Int) throws(CacheError) -> ResizeReport {
        guard newCapacity >= 1, newCapacity <= CacheLimits.maximumCapacity else {
            throw .invalidCapacity(newCapacity)
        }
        if weigher == nil, !Self.sharesFit(capacity: newCapacity, shards: shardCount) {
            throw .tooFewShards(capacity: newCapacity, shards: shardCount)
        }
        let (report, removed) = configuredCapacity.withLock { current in
            let old = current
            current = newCapacity
            var evicted = 0
            var removed: [RemovedEntry<Key, Value>] = []
            for index in 0..<shardCount {
                let share = Self.share(of: newCapacity, shard: index, shards: shardCount)
                shards[index].withLock { store in
                    evicted += store.resize(maximum: share)
                    removed += store.takeRemovals()
                }
            }
            return (ResizeReport(oldCapacity: old, newCapacity: newCapacity, evicted: evicted), removed)
        }
        deliver(removed)
        return report
    }
}

extension Cache: Service {
    /// Runs the cache's background work until the calling task is cancelled or a graceful
    /// shutdown of the enclosing `ServiceGroup` begins: every ``sweepInterval`` it sweeps expired
    /// entries. On the way out it cancels and awaits every task in ``tasks`` (loaders, workload
    /// generators, connections), so when `run()` returns the live task count is zero.
    ///
    /// The cache works without `run()` (reads still hide expired entries); only active expiry
    /// needs it. Call it once.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.tasks.track(.sweeper) {
                while !Task.isCancelled {
                    do {
                        try await self.clock.sleep(for: self.sweepInterval)
                    } catch {
                        break
                    }
                    self.sweep()
                }
            }
        }
        await tasks.cancelAll()
    }
}

/// Totals over every sweep.
struct SweepStatistics {
    var runs = 0
    var last = SweepReport()
    var totalExamined = 0
    var totalRemoved = 0

    mutating func record(_ report: SweepReport) {
        runs += 1
        last = report
        totalExamined += report.examined
        totalRemoved += report.removed
    }
}
