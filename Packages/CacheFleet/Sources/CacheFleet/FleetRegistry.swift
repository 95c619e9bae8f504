import CacheVocabulary
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps this process's row in the fleet registry (`cachetop_instance`): a heartbeat upsert of
/// each cache's summary every few seconds, the row deleted on a clean shutdown. `cachetop fleet
/// --db` draws the whole fleet from the view over it in one query, with no inbound network to
/// the hosts; an instance that stops beating shows as stale, then lost.
///
/// It writes through the host's pooled client (a heartbeat needs no session of its own).
/// Rows that have not beaten for an hour, left by processes that died, are deleted by whichever
/// instance beats next.
public final class FleetRegistry: Service, Sendable {
    /// One cache the registry reports: its name and how to read its snapshot.
    public struct Entry: Sendable {
        public let cache: String
        public let snapshot: @Sendable () -> CacheSnapshot

        public init(cache: String, snapshot: @escaping @Sendable () -> CacheSnapshot) {
            self.cache = cache
            self.snapshot = snapshot
        }
    }

    public let instance: UUID
    public let service: String
    public let host: String
    public let endpoint: String?
    public let interval: Duration
    let entries: [Entry]
    let client: PostgresClient
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - client: the host's pooled client; it must be running.
    ///   - instance: this process's identity (share it with the bus's configuration).
    ///   - service: the service's name, for grouping.
    ///   - host: the host's name (by default the kernel's).
    ///   - endpoint: the control socket path, for drill-down.
    ///   - entries: the caches to report.
    ///   - interval: between heartbeats.
    public init(client: PostgresClient, instance: UUID, service: String, host: String = ProcessInfo.processInfo.hostName,
                endpoint: String?, entries: [Entry], interval: Duration = .seconds(5),
                clock: some Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.client = client
        self.instance = instance
        self.service = service
        self.host = host
        self.endpoint = endpoint
        self.entries = entries
        self.interval = interval
        self.logger = logger
        self.sleep = { try await clock.sleep(for: $0) }
    }

    /// Beats until cancelled or shut down gracefully, then deletes this process's rows.
    public func run() async throws {
        do {
            try await FleetSchema.install(on: client, logger: logger)
        } catch {
            logger.warning("fleet registry could not install its schema", metadata: ["error": "\(String(reflecting: error))"])
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.beat()
                do { try await self.sleep(self.interval) } catch { break }
            }
        }
        do {
            try await client.query("DELETE FROM cachetop_instance WHERE instance = \(instance)", logger: logger)
        } catch {
            logger.warning("fleet registry could not remove its rows", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Upserts every cache's row once; a failure is logged and the next beat tries again.
    public func beat() async {
        let encoder = JSONEncoder()
        let pid = Int(getpid())
        for entry in entries {
            do {
                let summary = String(decoding: try encoder.encode(FleetSummary(snapshot: entry.snapshot())), as: UTF8.self)
                try await client.query("""
                    INSERT INTO cachetop_instance (instance, cache, service, host, pid, endpoint, summary)
                    VALUES (\(instance), \(entry.cache), \(service), \(host), \(pid), \(endpoint), \(summary)::jsonb)
                    ON CONFLICT (instance, cache) DO UPDATE
                    SET beat_at = now(), summary = EXCLUDED.summary, endpoint = EXCLUDED.endpoint
                    """, logger: logger)
            } catch {
                logger.info("fleet registry heartbeat failed", metadata: ["cache": "\(entry.cache)", "error": "\(String(reflecting: error))"])
            }
        }
        _ = try? await client.query("DELETE FROM cachetop_instance WHERE beat_at < now() - interval '1 hour'", logger: logger)
    }
}
