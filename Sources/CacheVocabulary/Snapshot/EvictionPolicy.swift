/// The eviction policy a cache runs, by name (its JSON form is the name as a string).
///
/// Caches run ``windowTinyLFU``. A snapshot from another process may name a policy this
/// version does not know; it decodes all the same.
public struct EvictionPolicy: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Window TinyLFU (the policy of Caffeine): a small LRU admission window in front of a
    /// segmented LRU main space, with a 4-bit count-min frequency sketch deciding admission;
    /// the window's size follows the workload by regret, and the admission margin is learned
    /// (see the engine's `Cache`).
    public static let windowTinyLFU = EvictionPolicy(rawValue: "w-tinylfu")
}
