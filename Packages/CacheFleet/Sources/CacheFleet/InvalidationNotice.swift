import Foundation

/// One invalidation as announced on the channel or read from the log: the namespace, its
/// sequence number and the keys (nil for the whole namespace). The payload is written by
/// `cachetop_invalidate` (``FleetSchema``), the one owner of its encoding.
struct InvalidationNotice: Sendable, Equatable {
    var namespace: String
    var sequence: Int64
    /// The keys, as text; nil for the whole namespace.
    var keys: [String]?
    /// The keys were too many for the payload: read them from the log.
    var keysInLog: Bool
    /// When the invalidating statement ran, on the database's wall clock (ms since the epoch).
    var statementTimeMilliseconds: Double?

    private struct Payload: Decodable {
        var ns: String
        var seq: Int64
        var keys: [String]?
        var more: Bool?
        var at: Double?
    }

    /// Parses a notification payload; nil (with the reason in `error`) for anything that is not
    /// one: the channel is shared, and a bad payload must not stop the bus.
    static func parse(_ payload: String) -> Result<InvalidationNotice, InvalidationPayloadError> {
        guard payload.utf8.count <= 8_000 else { return .failure(InvalidationPayloadError("longer than 8000 bytes")) }
        let decoded: Payload
        do {
            decoded = try JSONDecoder().decode(Payload.self, from: Data(payload.utf8))
        } catch {
            return .failure(InvalidationPayloadError("not the JSON of cachetop_invalidate: \(payload.prefix(80))"))
        }
        guard !decoded.ns.isEmpty else { return .failure(InvalidationPayloadError("empty namespace")) }
        guard decoded.seq > 0 else { return .failure(InvalidationPayloadError("sequence \(decoded.seq) is not positive")) }
        return .success(InvalidationNotice(namespace: decoded.ns, sequence: decoded.seq, keys: decoded.keys,
                                           keysInLog: decoded.more == true, statementTimeMilliseconds: decoded.at))
    }
}

/// Why a notification payload was ignored.
struct InvalidationPayloadError: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}
