import Foundation

/// One row of the `products` table, as the API returns it.
///
/// Prices are integer cents (`price_cents`), never floating point. `version` starts at 1 and
/// grows by one with every update, so a reader can tell which write it saw.
public struct Product: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var priceCents: Int64
    public var stock: Int32
    public var version: Int64
    public var updatedAt: Date

    public init(id: Int64, name: String, priceCents: Int64, stock: Int32, version: Int64, updatedAt: Date) {
        self.id = id
        self.name = name
        self.priceCents = priceCents
        self.stock = stock
        self.version = version
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, stock, version
        case priceCents = "price_cents"
        case updatedAt = "updated_at"
    }

    /// `updated_at` travels as an ISO 8601 string with milliseconds, whatever the encoder's
    /// date strategy.
    static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        priceCents = try container.decode(Int64.self, forKey: .priceCents)
        stock = try container.decode(Int32.self, forKey: .stock)
        version = try container.decode(Int64.self, forKey: .version)
        let text = try container.decode(String.self, forKey: .updatedAt)
        guard let date = try? Self.timestampFormat.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .updatedAt, in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        updatedAt = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(priceCents, forKey: .priceCents)
        try container.encode(stock, forKey: .stock)
        try container.encode(version, forKey: .version)
        try container.encode(updatedAt.formatted(Self.timestampFormat), forKey: .updatedAt)
    }
}
