/// Product ids as they arrive in paths and query strings.
public enum ProductID {
    /// The most ids one `GET /products?ids=` may ask for.
    public static let maximumBatch = 1_000

    /// The id that `text` spells: decimal digits only, from 1 to `Int64.max`. Nil for anything
    /// else (signs, spaces, hex, zero, overflow), so that the caller answers 400.
    public static func parse(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 19, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let id = Int64(text), id > 0 else { return nil }
        return id
    }

    /// The ids of a comma-separated list, in order, without repeats.
    /// - Throws: ``CatalogError`` (400) naming the first malformed element, an empty list or
    ///   one longer than ``maximumBatch``.
    public static func parseList(_ text: String) throws(CatalogError) -> [Int64] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !text.isEmpty else { throw .badRequest("ids must list at least one product id") }
        guard parts.count <= maximumBatch else {
            throw .badRequest("ids lists \(parts.count) products; at most \(maximumBatch) per request")
        }
        var seen = Set<Int64>()
        var ids: [Int64] = []
        for part in parts {
            guard let id = parse(part) else { throw .malformedID(String(part)) }
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }
}
