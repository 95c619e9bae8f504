import CacheVocabulary
import Foundation

/// The fleet as the registry in the service's database lists it: one query of the view
/// `cachetop_fleet` per poll (the heartbeat rows the `CacheFleet` library's `FleetRegistry`
/// writes), so no host needs inbound network. A flush is a call of `cachetop_invalidate`,
/// logged with its sequence number, so instances briefly away replay it when they return.
struct RegistryFleetSource: FleetSource {
    let database: PostgresCommandLine

    var label: String { "registry " + database.redacted }
    var canFlush: Bool { true }

    func members() async throws -> [FleetMember] {
        let output: String
        do {
            output = try await database.run("SELECT coalesce(json_agg(f), '[]') FROM cachetop_fleet f;")
        } catch let error as FleetSourceError where error.description.contains("cachetop_fleet\" does not exist") {
            throw FleetSourceError(description: "no registry in this database: no instance with the fleet registry has started against it")
        }
        do {
            return try JSONDecoder().decode([FleetMember].self, from: Data(output.utf8))
        } catch {
            throw FleetSourceError(description: "the registry's rows do not decode: \(error)")
        }
    }

    func flush(namespace: String) async throws -> Int64 {
        let output = try await database.run("SELECT cachetop_invalidate(:'ns', NULL, 'cachetop fleet');", variables: ["ns": namespace])
        guard let sequence = Int64(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FleetSourceError(description: "cachetop_invalidate answered '\(output.prefix(80))', not a sequence number")
        }
        return sequence
    }
}
