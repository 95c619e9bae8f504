/// Resource figures of the current process, read from /proc (Linux). Each read costs a few
/// small file reads: O(open descriptors) for the descriptor count.
public struct ProcessStatistics: Sendable, Equatable, Codable {
    /// Resident set size in bytes.
    public var residentBytes: Int
    /// Threads in the process.
    public var threads: Int
    /// Open file descriptors.
    public var openFileDescriptors: Int

    public init(residentBytes: Int, threads: Int, openFileDescriptors: Int) {
        self.residentBytes = residentBytes
        self.threads = threads
        self.openFileDescriptors = openFileDescriptors
    }

    enum CodingKeys: String, CodingKey {
        case residentBytes = "resident_bytes"
        case threads
        case openFileDescriptors = "open_fds"
    }
}
