import CatalogService
import Foundation
import PostgresNIO
import Testing

extension CatalogTests {
    /// The two floods a cache in front of a database exists to absorb, counted by the database
    /// itself (pg_stat_statements).
    @Suite struct Floods {
        /// A hot product expires while 1,000 requests for it are in flight: the database sees
        /// one query. The table is locked while the requests arrive, so that all of them are
        /// waiting on the load at once (the cache's waiter count proves it) before it can finish.
        @Test func anExpiredHotProductUnderAThousandRequestsIsLoadedOnce() async throws {
            try await TestDatabase.reset()
            try await withCatalog({ $0.cache.refreshAfter = nil; $0.database.queryTimeout = .seconds(60) }) { service in
                let cache = try #require(service.catalog.cache)
                _ = try await service.product(7)
                service.clock.advance(by: .seconds(61))
                let answers = try await TestDatabase.withClient { admin in
                    try await TestDatabase.resetStatistics(admin)
                    return try await admin.withConnection { locked in
                        try await locked.query("BEGIN", logger: TestDatabase.logger)
                        try await locked.query("LOCK TABLE products IN ACCESS EXCLUSIVE MODE", logger: TestDatabase.logger)
                        return try await withThrowingTaskGroup(of: RunningCatalog.Answer.self) { group in
                            for _ in 0..<1_000 { group.addTask { try await service.request("/products/7") } }
                            try await poll("1,000 requests waiting on one load") {
                                let loads = cache.snapshot().loads
                                return loads.inFlight == 1 && loads.waiters == 1_000
                            }
                            try await locked.query("COMMIT", logger: TestDatabase.logger)
                            var answers: [RunningCatalog.Answer] = []
                            for try await answer in group { answers.append(answer) }
                            return answers
                        }
                    }
                }
                #expect(answers.count == 1_000 && answers.allSatisfy { $0.status == 200 })
                #expect(Set(answers.compactMap { try? $0.decode(Product.self).id }) == [7])
                let queries = try await TestDatabase.withClient(TestDatabase.singleProductQueries)
                #expect(queries == 1, "the database saw \(queries) queries for the expired product")
            }
        }

        /// 100,000 requests for 100 ids that have no product: one query per id, then none until
        /// the absence expires, then one per id again.
        @Test func requestsForMissingProductsReachTheDatabaseOncePerIdAndAbsenceTTL() async throws {
            try await TestDatabase.reset()
            try await withCatalog(connections: 64, { $0.cache.absentTTL = .seconds(5) }) { service in
                let missing = Array(Int64(TestDatabase.rows + 1)...Int64(TestDatabase.rows + 100))
                let notFound = try await withThrowingTaskGroup(of: Int.self) { group in
                    for worker in 0..<64 {
                        group.addTask {
                            var notFound = 0
                            for request in stride(from: worker, to: 100_000, by: 64) {
                                let answer = try await service.request("/products/\(missing[request % missing.count])")
                                if answer.status == 404, answer.errorCode == "not_found" { notFound += 1 }
                            }
                            return notFound
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(notFound == 100_000)
                var queries = try await TestDatabase.withClient(TestDatabase.singleProductQueries)
                #expect(queries == Int64(missing.count), "100,000 requests for \(missing.count) missing ids made \(queries) queries")

                service.clock.advance(by: .seconds(5))
                for id in missing { _ = try await service.request("/products/\(id)") }
                queries = try await TestDatabase.withClient(TestDatabase.singleProductQueries)
                #expect(queries == 2 * Int64(missing.count), "after the absence TTL each id is asked once more")
            }
        }
    }
}

/// Polls `condition` every 20 ms until it holds; fails after `timeout`.
func poll(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out after \(timeout) waiting for \(what)")
    throw CancellationError()
}
