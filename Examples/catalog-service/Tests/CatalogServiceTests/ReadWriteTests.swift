import CacheEngine
import CatalogService
import Foundation
import Synchronization
import Testing

extension CatalogTests {
    /// Reads, writes and bad input over real HTTP against the real database.
    @Suite struct ReadWrite {
        @Test func readsReturnTheDatabasesRows() async throws {
            try await TestDatabase.reset()
            try await withCatalog { service in
                let product = try await service.product(42)
                #expect(product.name == "Product 42" && product.version == 1)
                let stored = try await TestDatabase.withClient { client in
                    try await client.query("SELECT name, price_cents, stock FROM products WHERE id = 42")
                        .decode((String, Int64, Int32).self).reduce(into: [(String, Int64, Int32)]()) { $0.append($1) }
                }
                #expect(stored.first?.0 == product.name && stored.first?.1 == product.priceCents && stored.first?.2 == product.stock)
                #expect(try await service.product(42) == product, "the second read is the cached row")

                let list = try await service.request("/products?ids=3,1,999999,3").decode(ProductList.self)
                #expect(list.products.map(\.id) == [3, 1], "in the order asked, repeats answered once")
                #expect(list.missing == [999_999])

                let missing = try await service.request("/products/999999")
                #expect(missing.status == 404 && missing.errorCode == "not_found")

                let updated = try await service.request(.PUT, "/products/42", body: #"{"name":"Lamp","price_cents":1999,"stock":3}"#)
                #expect(updated.status == 200)
                #expect(try await service.product(42).version == 2, "the write invalidated the cached row")
                #expect(try await service.request(.DELETE, "/products/42").status == 204)
                #expect(try await service.request("/products/42").status == 404)
                #expect(try await service.request(.DELETE, "/products/42").status == 404)
            }
        }

        @Test func malformedRequestsGetA400ThatSaysWhatIsWrong() async throws {
            try await TestDatabase.reset()
            try await withCatalog { service in
                let badPaths: [(String, String)] = [
                    ("/products/abc", "malformed_id"), ("/products/0", "malformed_id"), ("/products/-1", "malformed_id"),
                    ("/products/+7", "malformed_id"), ("/products/99999999999999999999", "malformed_id"),
                    ("/products?ids=1,x", "malformed_id"), ("/products?ids=", "bad_request"), ("/products?ids=1,,2", "malformed_id"),
                    ("/products", "bad_request"), ("/products?ids=" + (1...1_001).map(String.init).joined(separator: ","), "bad_request"),
                ]
                for (path, code) in badPaths {
                    let answer = try await service.request(path)
                    #expect(answer.status == 400 && answer.errorCode == code, "\(path.prefix(60)): \(answer.status) \(answer.errorCode ?? "no JSON error")")
                }
                let badBodies: [(String, String)] = [
                    (#"{"name":"Lamp""#, "is not JSON"), (#"{"name":"Lamp","stock":1}"#, "no 'price_cents'"),
                    (#"{"name":"Lamp","price_cents":"12","stock":1}"#, "'price_cents' has the wrong type"),
                    (#"{"name":"","price_cents":12,"stock":1}"#, "name must not be empty"),
                    (#"{"name":"Lamp","price_cents":-5,"stock":1}"#, "price_cents must not be negative"),
                    (#"{"name":"Lamp","price_cents":5,"stock":99999999999}"#, "'stock'"),
                    ("[]", "wrong type"),
                    (#"{"name":""# + String(repeating: "x", count: 20_000) + #"","price_cents":5,"stock":1}"#, "larger than"),
                ]
                for (body, message) in badBodies {
                    let answer = try await service.request(.PUT, "/products/5", body: body)
                    let error = try? answer.decode(CatalogError.Body.self)
                    #expect(answer.status == 400 && error?.error.code == "malformed_body" && error?.error.message.contains(message) == true,
                            "\(body.prefix(60)): \(answer.status) \(error?.error.message ?? "no JSON error")")
                }
                #expect(try await service.product(5).version == 1, "no bad request changed the row")
                #expect(try await service.request("/health").status == 200, "the service still serves")
            }
        }

        /// Writers update a few hot products while many readers read them, on the cache's
        /// expiry and refresh paths too: once a `PUT` has returned version v, no read that
        /// starts afterwards returns a version below v.
        @Test func noReadThatStartsAfterAWriteReturnsSeesTheOldVersion() async throws {
            try await TestDatabase.reset()
            try await withCatalog({ $0.cache.ttl = .seconds(60); $0.cache.refreshAfter = .seconds(1) }) { service in
                let hot: [Int64] = [1, 2, 3, 4]
                let committed = Shared<[Int64: Int64]>(Dictionary(uniqueKeysWithValues: hot.map { ($0, 1) }))
                let violations = Shared<[String]>([])
                let reads = Shared(0)
                let writing = Shared(true)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for id in hot {
                        group.addTask {
                            for round in 1...40 {
                                let answer = try await service.request(.PUT, "/products/\(id)",
                                                                       body: #"{"name":"round \#(round)","price_cents":\#(round),"stock":1}"#)
                                let version = try answer.decode(Product.self).version
                                committed.withLock { $0[id] = max($0[id]!, version) }
                            }
                        }
                    }
                    for reader in 0..<24 {
                        group.addTask {
                            var turn = reader
                            while writing.withLock({ $0 }) {
                                turn += 1
                                let id = hot[turn % hot.count]
                                let floor = committed.withLock { $0[id]! }
                                let product = try await service.product(id)
                                reads.withLock { $0 += 1 }
                                if product.version < floor {
                                    violations.withLock { $0.append("product \(id): read version \(product.version) after version \(floor) was committed") }
                                }
                                // Entries age past their refresh point now and then, so that
                                // background reloads race the writes as well.
                                if turn % 50 == 0 { service.clock.advance(by: .seconds(2)) }
                            }
                        }
                    }
                    for _ in hot { try await group.next() }
                    writing.withLock { $0 = false }
                    try await group.waitForAll()
                }
                #expect(violations.withLock { $0 }.isEmpty, "\(violations.withLock { $0.prefix(5) })")
                #expect(reads.withLock { $0 } > 500, "the readers raced the writers")
                for id in hot { #expect(try await service.product(id).version == 41) }
            }
        }

        @Test func metricsCarryTheCacheTheHTTPServerAndTheQueries() async throws {
            try await TestDatabase.reset()
            try await withCatalog { service in
                _ = try await service.product(9)
                _ = try await service.product(9)
                let text = String(decoding: try await service.request("/metrics").body, as: UTF8.self)
                for family in ["\(CacheMetricNames.gets){cache=\"products\"", "\(CacheMetricNames.size){cache=\"products\"}",
                               "http_server_request_duration", "hb_requests", "catalog_db_queries_total{statement=\"product\"}"] {
                    #expect(text.contains(family), "\(family) on /metrics")
                }
            }
        }
    }
}
