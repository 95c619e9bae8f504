import CatalogService
import Foundation
import Testing

/// A network namespace of the test's own, joined to this one by a veth pair with two subnets:
/// the instance reaches the database at ``databaseAddress`` from ``instanceAddress``, and the
/// test reaches the instance's HTTP server at ``httpAddress``. ``partition()`` drops every
/// packet towards ``instanceAddress`` without a reset (a blackhole route on this side): the
/// database's answers vanish and the instance's connections stay open, half-open, while its
/// HTTP server stays reachable. Needs root (`ip netns`).
final class NetworkPartition: @unchecked Sendable {
    let name: String
    let databaseAddress: String
    let instanceAddress: String
    let httpAddress: String
    private let hostLink: String
    private var partitioned = false

    init() throws {
        let tag = String(UInt32.random(in: 0..<0xFFFF), radix: 16)
        name = "cachetop-\(tag)"
        hostLink = "ctp\(tag)h"
        let namespaceLink = "ctp\(tag)n"
        let subnet = Int.random(in: 1...250)
        databaseAddress = "10.213.\(subnet).1"
        instanceAddress = "10.213.\(subnet).2"
        let httpHost = "10.213.\(subnet).5"
        httpAddress = "10.213.\(subnet).6"
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["link", "add", hostLink, "type", "veth", "peer", "name", namespaceLink])
            try Self.ip(["link", "set", namespaceLink, "netns", name])
            try Self.ip(["addr", "add", databaseAddress + "/30", "dev", hostLink])
            try Self.ip(["addr", "add", httpHost + "/30", "dev", hostLink])
            try Self.ip(["link", "set", hostLink, "up"])
            try Self.ip(["netns", "exec", name, "ip", "addr", "add", instanceAddress + "/30", "dev", namespaceLink])
            try Self.ip(["netns", "exec", name, "ip", "addr", "add", httpAddress + "/30", "dev", namespaceLink])
            try Self.ip(["netns", "exec", name, "ip", "link", "set", namespaceLink, "up"])
            try Self.ip(["netns", "exec", name, "ip", "link", "set", "lo", "up"])
        } catch {
            close()
            throw error
        }
    }

    /// Drops every packet towards the instance's database address, silently.
    func partition() throws {
        try Self.ip(["route", "add", "blackhole", instanceAddress + "/32"])
        partitioned = true
    }

    func heal() throws {
        try Self.ip(["route", "del", "blackhole", instanceAddress + "/32"])
        partitioned = false
    }

    /// Removes the route, the namespace and with it the veth pair.
    func close() {
        if partitioned { try? heal() }
        try? Self.ip(["netns", "del", name])
        try? Self.ip(["link", "del", hostLink])
    }

    deinit { close() }

    private static func ip(_ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("ip-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let status = try TestDatabase.spawnAndWait(["/usr/sbin/ip"] + arguments, output: log)
        guard status == 0 else {
            throw CatalogSetupError("ip \(arguments.joined(separator: " ")) failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
