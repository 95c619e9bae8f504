/// The code of an error the package reports, for one kind of error (`Domain`): a string, so that
/// later versions can add codes without breaking a client's exhaustive `switch` (as swift-nio
/// and swift-http-types do). Match on it: `if error.code == .invalidCapacity`.
public struct ErrorCode<Domain>: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// An error the package reports: an open ``ErrorCode`` and a sentence for people. Each kind of
/// error is this type for its own domain (`CacheError`, `WorkloadError`, `ControlServerError`),
/// with its codes and the functions that make each error as extensions. Nothing changes in the
/// thrower's state when one is thrown.
public struct CodedError<Domain>: Error, Hashable, Sendable, CustomStringConvertible {
    public typealias Code = ErrorCode<Domain>

    /// What went wrong. Open: new codes may appear in later versions.
    public let code: Code
    /// A sentence for people, naming the value or path and what is wrong with it.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
