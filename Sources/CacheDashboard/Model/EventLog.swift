/// The dashboard's log of what happened: actions and their outcomes, changes seen in the
/// target, connection losses. Bounded; newest last.
public struct EventLog: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        /// Wall-clock seconds since the Unix epoch.
        public var time: Double
        public var text: String
        public var isError: Bool
    }

    public private(set) var events: [Event] = []
    public let limit: Int

    public init(limit: Int = 200) {
        self.limit = limit
    }

    public mutating func append(_ text: String, at time: Double, isError: Bool = false) {
        events.append(Event(time: time, text: text, isError: isError))
        if events.count > limit { events.removeFirst(events.count - limit) }
    }

    public var last: Event? { events.last }
}
