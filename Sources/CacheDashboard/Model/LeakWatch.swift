/// Flags a count that has only risen, as leaks look: tasks, in-flight loads or waiters that
/// accumulate. Two shapes count:
/// - a surge: over the last ``span`` samples the count never fell and at least doubled (plus
///   10): a stuck backend's loaders and waiters, flagged within seconds;
/// - a creep: over the whole window (at least ``minimumWindow`` samples) the count never fell
///   and rose at least ``minimumRises`` times: a slow leak such as connections never closed.
/// Ordinary fluctuation around a level matches neither (a random series is monotone over ten
/// samples about once in three million), nor does a single step such as a service starting.
/// O(window).
public enum LeakWatch {
    public static let span = 4
    public static let minimumWindow = 10
    public static let minimumRises = 3

    public static func isRisingOnly(_ series: [Int]) -> Bool {
        if series.count >= span {
            let recent = Array(series.suffix(span))
            if rises(recent) != nil, recent[span - 1] >= 2 * recent[0] + 10 { return true }
        }
        return series.count >= minimumWindow && (rises(series) ?? 0) >= minimumRises
    }

    /// The number of rises, or nil when the values ever fall.
    private static func rises(_ values: [Int]) -> Int? {
        var count = 0
        for (before, after) in zip(values, values.dropFirst()) {
            if after < before { return nil }
            if after > before { count += 1 }
        }
        return count
    }
}
