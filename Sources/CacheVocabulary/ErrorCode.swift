/// The code of an error the package reports, for one error type (`Domain`): a string, so that
/// later versions can add codes without breaking a client's exhaustive `switch` (as swift-nio
/// and swift-http-types do). Match on it: `if error.code == .invalidCapacity`.
public struct ErrorCode<Domain>: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}
