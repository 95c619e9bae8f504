import Foundation
import Hummingbird

/// The HTTP API over a ``ProductCatalog``:
///
/// | route | answer |
/// |---|---|
/// | `GET /products/{id}` | the product; 404 when it does not exist |
/// | `GET /products?ids=1,2,3` | `{"products": [...], "missing": [...]}`, at most 1,000 ids |
/// | `PUT /products/{id}` | body `{"name", "price_cents", "stock"}`; the updated product |
/// | `DELETE /products/{id}` | 204; 404 when it did not exist |
/// | `GET /health` | 200 when the database answers, 503 when it does not |
/// | `GET /metrics` | the Prometheus exposition of every metric the process records |
///
/// Errors are JSON (``CatalogError``): 400 for a malformed id, list or body, 503 when the
/// database is needed and away.
public enum CatalogRoutes {
    /// The largest `PUT` body read, in bytes.
    public static let maximumBodySize = 16 * 1024

    public static func add(to router: Router<BasicRequestContext>, catalog: ProductCatalog, metrics: MetricsEndpoint) {
        router.get("/products/:id") { _, context in
            try await catalog.product(id: productID(context))
        }
        router.get("/products") { request, _ in
            guard let list = request.uri.queryParameters.get("ids") else {
                throw CatalogError.badRequest("give the products to read as ?ids=1,2,3")
            }
            let ids = try ProductID.parseList(list)
            let found = try await catalog.products(ids: ids)
            let present = Set(found.map(\.id))
            return ProductList(products: found, missing: ids.filter { !present.contains($0) })
        }
        router.put("/products/:id") { request, context in
            let id = try productID(context)
            let change = try await decodeChange(request)
            return try await catalog.update(id: id, with: change)
        }
        router.delete("/products/:id") { _, context in
            try await catalog.delete(id: productID(context))
            return Response(status: .noContent)
        }
        router.get("/health") { _, _ in
            let reachable = await catalog.store.isReachable()
            var response = try JSONResponse.encode(Health(status: reachable ? "ok" : "degraded",
                                                          database: reachable ? "reachable" : "unreachable",
                                                          cachedProducts: catalog.cache?.count ?? 0))
            response.status = reachable ? .ok : .serviceUnavailable
            return response
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }

    static func productID(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = ProductID.parse(Substring(text)) else { throw CatalogError.malformedID(text) }
        return id
    }

    static func decodeChange(_ request: Request) async throws -> ProductChange {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch {
            throw CatalogError.malformedBody("the body is larger than \(maximumBodySize) bytes")
        }
        let change: ProductChange
        do {
            change = try JSONDecoder().decode(ProductChange.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw CatalogError.malformedBody(describe(error))
        }
        if let violation = change.violation { throw CatalogError.malformedBody(violation) }
        return change
    }

    /// A decoding error as one sentence naming the field, for a client to act on.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "the body has no '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "'\(path(context))' has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not JSON: \(context.debugDescription)"
                : "'\(path(context))' is invalid: \(context.debugDescription)"
        @unknown default: return "the body cannot be read: \(error)"
        }
    }
}

/// The answer to `GET /products?ids=`.
public struct ProductList: ResponseEncodable, Decodable, Sendable {
    public var products: [Product]
    /// The ids asked for that have no product.
    public var missing: [Int64]
}

/// The answer to `GET /health`.
public struct Health: Codable, Sendable {
    public var status: String
    public var database: String
    public var cachedProducts: Int

    enum CodingKeys: String, CodingKey {
        case status, database
        case cachedProducts = "cached_products"
    }
}

extension Product: ResponseEncodable {}

enum JSONResponse {
    static func encode(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}
