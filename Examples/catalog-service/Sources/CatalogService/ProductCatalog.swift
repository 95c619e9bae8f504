import CacheEngine
import CacheFleet
import Logging

/// The catalog's reads and writes: products read through the cache, writes to the database that
/// invalidate the cached copy in the same request.
///
/// - **Reads** go through the cache's single-flight loader: however many requests miss one id
///   at once, one query loads it. Products live for ``CacheSettings/ttl``; after
///   ``CacheSettings/refreshAfter`` a read returns the cached row and reloads it in the
///   background. An id with no row is cached as an absence for ``CacheSettings/absentTTL``, so a
///   flood of requests for missing ids reaches the database once per id and period.
/// - **Writes** commit first, then remove the key. A load that began before the write may have
///   read the old row; the engine's rule that a removal wins over a load in flight keeps that
///   row out of the cache, and a read that starts after the removal opens a load of its own
///   rather than joining the old one. So once `PUT` returns, no read returns the old version.
/// - With the cache disabled (``CacheSettings/enabled`` false), every read is a query: the
///   baseline the README's figures compare against.
///
/// Thread-safe: the cache and the store are.
public final class ProductCatalog: Sendable {
    /// The cache of products by id; nil when caching is disabled.
    public let cache: Cache<Int64, Product>?
    public let store: ProductStore
    public let settings: CacheSettings
    /// Re-reads a fraction of the products served from the cache to count stale ones; nil
    /// without a cache or with a rate of 0.
    public let sampler: StaleReadSampler<Int64, Product>?

    /// - Parameter staleSampleRate: the fraction of single-product reads the sampler re-reads.
    public init(store: ProductStore, settings: CacheSettings, staleSampleRate: Double = 0,
                logger: Logger = Logger(label: "catalog")) throws(CacheError) {
        self.store = store
        self.settings = settings
        self.cache = settings.enabled
            ? try Cache<Int64, Product>(capacity: settings.capacity, defaultTTL: settings.ttl, clock: settings.clock)
            : nil
        self.sampler = settings.enabled && staleSampleRate > 0
            ? StaleReadSampler(rate: staleSampleRate, logger: logger, reread: store.product(id:),
                               isStale: { served, current in (current?.version ?? .max) > served.version })
            : nil
    }

    /// The product with `id`.
    /// - Throws: ``CatalogError`` 404 when it does not exist, 503 when it is not cached and the
    ///   database cannot be reached.
    public func product(id: Int64) async throws -> Product {
        let found = try await answeringOutages {
            if let cache {
                try await cache.value(forKey: id, ttl: settings.ttl, absentTTL: settings.absentTTL,
                                      refreshAfter: settings.refreshAfter, loader: store.product(id:))
            } else {
                try await store.product(id: id)
            }
        }
        guard let found else { throw CatalogError.notFound(id) }
        sampler?.observe(id, served: found)
        return found
    }

    /// The products among `ids` that exist, in the order asked, through one bulk load of the ids
    /// not cached.
    /// - Throws: ``CatalogError`` 503 when some are not cached and the database cannot be reached.
    public func products(ids: [Int64]) async throws -> [Product] {
        let found = try await answeringOutages {
            if let cache {
                try await cache.values(forKeys: ids, ttl: settings.ttl, absentTTL: settings.absentTTL,
                                       loader: store.products(ids:))
            } else {
                try await store.products(ids: ids)
            }
        }
        return ids.compactMap { found[$0] }
    }

    /// Updates the product with `id` and invalidates its cached copy (after the statement ends,
    /// whatever its outcome); the updated product.
    /// - Throws: ``CatalogError`` 404 when it does not exist, 503 when the database cannot be reached.
    public func update(id: Int64, with change: ProductChange) async throws -> Product {
        // Invalidated however the statement ends: a timed-out update may still have committed.
        defer { cache?.removeValue(forKey: id) }
        let updated = try await answeringOutages { try await store.update(id: id, with: change) }
        guard let updated else { throw CatalogError.notFound(id) }
        return updated
    }

    /// Deletes the product with `id` and invalidates its cached copy.
    /// - Throws: ``CatalogError`` 404 when it did not exist, 503 when the database cannot be reached.
    public func delete(id: Int64) async throws {
        defer { cache?.removeValue(forKey: id) }
        let deleted = try await answeringOutages { try await store.delete(id: id) }
        guard deleted else { throw CatalogError.notFound(id) }
    }

    /// `operation`'s result, with the database's absence turned into the API's 503.
    private func answeringOutages<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseUnavailable {
            throw CatalogError.databaseUnavailable(error.reason)
        }
    }
}
