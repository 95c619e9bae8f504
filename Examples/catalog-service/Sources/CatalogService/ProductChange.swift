/// The body of `PUT /products/{id}`: the new name, price and stock of a product. The version and
/// the update time are the database's to set.
public struct ProductChange: Decodable, Sendable, Equatable {
    /// The longest name accepted, in characters.
    public static let maximumNameLength = 200

    public var name: String
    public var priceCents: Int64
    public var stock: Int32

    public init(name: String, priceCents: Int64, stock: Int32) {
        self.name = name
        self.priceCents = priceCents
        self.stock = stock
    }

    enum CodingKeys: String, CodingKey {
        case name, stock
        case priceCents = "price_cents"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        priceCents = try container.decode(Int64.self, forKey: .priceCents)
        // Read wide and checked here, so that an out-of-range stock is named as such rather
        // than reported as malformed JSON.
        let stock = try container.decode(Int64.self, forKey: .stock)
        guard let narrow = Int32(exactly: stock) else {
            throw DecodingError.dataCorruptedError(forKey: .stock, in: container,
                                                   debugDescription: "\(stock) is out of range (at most \(Int32.max))")
        }
        self.stock = narrow
    }

    /// The first rule the change breaks, as a sentence for the client; nil when it breaks none.
    public var violation: String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "name must not be empty" }
        if name.count > Self.maximumNameLength { return "name is longer than \(Self.maximumNameLength) characters" }
        if priceCents < 0 { return "price_cents must not be negative" }
        if stock < 0 { return "stock must not be negative" }
        return nil
    }
}
