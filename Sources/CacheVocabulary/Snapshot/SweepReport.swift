/// What `sweep()` did.
public struct SweepReport: Sendable, Equatable, Codable {
    /// Timer entries the sweep looked at (removed or moved to a finer wheel level).
    public var examined: Int
    /// Entries removed because they had expired.
    public var removed: Int
    /// How long the sweep took, by the cache's clock, in nanoseconds.
    public var durationNanoseconds: Int64

    public init(examined: Int = 0, removed: Int = 0, durationNanoseconds: Int64 = 0) {
        self.examined = examined
        self.removed = removed
        self.durationNanoseconds = durationNanoseconds
    }

    enum CodingKeys: String, CodingKey {
        case examined, removed
        case durationNanoseconds = "duration_ns"
    }
}
