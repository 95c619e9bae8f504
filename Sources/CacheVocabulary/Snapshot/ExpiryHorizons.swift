/// Entries queued for expiry, by how soon they are due.
public struct ExpiryHorizons: Sendable, Equatable, Codable {
    /// Due within the next second.
    public var nextSecond = 0
    /// Due within the next minute (after the next second).
    public var nextMinute = 0
    /// Due within the next hour (after the next minute).
    public var nextHour = 0
    /// Due within the next day (after the next hour).
    public var nextDay = 0
    /// Due later than a day from now.
    public var later = 0
    /// Past their deadline but not yet removed by a sweep or a read.
    public var stale = 0

    public init() {}

    package mutating func add(_ count: Int, dueIn nanoseconds: Int64) {
        switch nanoseconds {
        case ..<1_000_000_000: nextSecond &+= count
        case ..<60_000_000_000: nextMinute &+= count
        case ..<3_600_000_000_000: nextHour &+= count
        case ..<86_400_000_000_000: nextDay &+= count
        default: later &+= count
        }
    }

    package mutating func merge(_ other: ExpiryHorizons) {
        nextSecond &+= other.nextSecond
        nextMinute &+= other.nextMinute
        nextHour &+= other.nextHour
        nextDay &+= other.nextDay
        later &+= other.later
        stale &+= other.stale
    }

    /// All queued entries.
    public var total: Int { nextSecond + nextMinute + nextHour + nextDay + later + stale }

    enum CodingKeys: String, CodingKey {
        case nextSecond = "next_second"
        case nextMinute = "next_minute"
        case nextHour = "next_hour"
        case nextDay = "next_day"
        case later, stale
    }
}
