import CacheVocabulary

/// The lease watchdog: runs beside the subscription (which may be stuck connecting), and applies
/// each namespace's failure policy when its lease runs out.
extension InvalidationBus {
    /// How often the watchdog looks: a quarter of the shortest lease, at most the check interval.
    var leaseTick: Duration {
        let shortest = namespaces.values.map(\.lease).min() ?? configuration.checkInterval
        return min(configuration.checkInterval, shortest / 4)
    }

    func watchLeases() async {
        while !Task.isCancelled {
            publishAll()
            do { try await sleep(leaseTick) } catch { return }
        }
    }

    /// Applies the policies once: fail-closed namespaces past their lease flush and stop storing,
    /// and resume once verified, their cache's serving deadline moved to the lease's end (so a
    /// read after it misses even before this runs again); fail-open ones count the hits served
    /// while unverified.
    func enforceLeases() {
        let now = now()
        for namespace in namespaces.values {
            let (verified, remaining) = state.withLock {
                ($0.trackers[namespace.name]!.isVerified(at: now), $0.trackers[namespace.name]!.remainingLease(at: now))
            }
            switch (namespace.policy, verified) {
            case (.failClosed, false):
                if namespace.isStoring() {
                    state.withLock { $0.ledgers[namespace.name]?.flushed(at: $0.trackers[namespace.name]!.applied) }
                    namespace.stopStoring()
                    state.withLock { $0.counters[namespace.name, default: .init()].flushes[CoherenceStatus.FlushReason.lease.rawValue, default: 0] += 1 }
                    logger.warning("invalidation bus lease expired: not storing until verified",
                                   metadata: ["namespace": "\(namespace.name)"])
                }
            case (.failClosed, true):
                namespace.serveVerified(.nanoseconds(remaining ?? 0))
                if !namespace.isStoring() { namespace.resumeStoring() }
            case (.failOpen, false):
                let hits = namespace.hits()
                state.withLock { state in
                    var counters = state.counters[namespace.name] ?? .init()
                    if let before = counters.hitsWhenUnverified { counters.unverifiedServes += max(0, hits - before) }
                    counters.hitsWhenUnverified = hits
                    state.counters[namespace.name] = counters
                }
            case (.failOpen, true):
                // Hits since the last unverified look count too (at most one tick's worth of
                // hits after verification is counted with them).
                guard state.withLock({ $0.counters[namespace.name]?.hitsWhenUnverified }) != nil else { continue }
                let hits = namespace.hits()
                state.withLock { state in
                    if let before = state.counters[namespace.name]?.hitsWhenUnverified {
                        state.counters[namespace.name]?.unverifiedServes += max(0, hits - before)
                    }
                    state.counters[namespace.name]?.hitsWhenUnverified = nil
                }
            }
        }
    }
}
