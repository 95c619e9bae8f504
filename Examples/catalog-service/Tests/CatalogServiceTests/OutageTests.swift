import CatalogService
import Foundation
import PostgresNIO
import Testing

extension CatalogTests {
    /// The database goes away and comes back while the service runs.
    @Suite struct Outage {
        @Test func whileTheDatabaseIsDownCachedProductsAreServedTheRestGet503AndItRecoversAlone() async throws {
            try await TestDatabase.reset()
            let connections = 8
            try await withCatalog({ $0.database.queryTimeout = .seconds(1); $0.database.maximumConnections = connections }) { service in
                let cached = try await service.product(1)
                _ = try await service.request("/products?ids=2,3")
                let baseline = service.liveTasks

                try TestDatabase.control("stop")
                var databaseStopped = true
                defer { if databaseStopped { try? TestDatabase.control("start") } }

                #expect(try await service.product(1) == cached, "a cached product is served with the database down")
                #expect(try await service.request("/products?ids=2,3").decode(ProductList.self).products.count == 2)
                let down = try await service.request("/products/5000")
                #expect(down.status == 503 && down.errorCode == "database_unavailable")
                #expect(try await service.request(.PUT, "/products/1", body: #"{"name":"x","price_cents":1,"stock":1}"#).status == 503)
                #expect(try await service.request("/health").status == 503)

                // A burst of misses while down: each ends in a 503 within the query timeout, and
                // neither loads nor waiting requests pile up.
                let started = ContinuousClock.now
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for id in 6_000..<6_200 { group.addTask { try await service.request("/products/\(id)").status } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == 503 }, "\(Set(statuses))")
                #expect(ContinuousClock.now - started < .seconds(30), "the burst ended within the query timeout's reach")
                try await poll("the cache's tasks back to their baseline (\(baseline))", timeout: .seconds(10)) {
                    service.liveTasks == baseline
                }
                #expect(service.catalog.cache?.snapshot().loads.inFlight == 0)

                try TestDatabase.control("start")
                databaseStopped = false
                try await poll("the service to read from the database again", timeout: .seconds(30)) {
                    try await service.request("/products/5000").status == 200
                }
                #expect(try await service.request("/health").status == 200)
                let backends = try await TestDatabase.withClient { admin in
                    try await admin.query("""
                        SELECT count(*)::bigint FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                        """).decode(Int64.self).reduce(0, +)
                }
                #expect(backends <= Int64(connections), "the service holds \(backends) connections; its pool allows \(connections)")
            }
        }
    }
}
