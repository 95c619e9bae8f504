/// Flags a count that has only risen, as leaks look: tasks, in-flight loads or waiters that
/// accumulate. Two shapes count, both needing at least three separate rises (so a single step,
/// such as a service starting, never counts):
/// - a steep climb: over the last ``span`` samples every step was flat or up, and the count
///   grew by at least a quarter (and by 3): the stuck-backend demo raises this within five
///   one-second samples;
/// - a slow creep: over the whole window (at least ``minimumWindow`` samples) every step was
///   flat or up.
/// Ordinary fluctuation (a loader count moving around a level) matches neither. O(window).
public enum LeakWatch {
    public static let span = 5
    public static let minimumWindow = 10
    public static let minimumRises = 3

    public static func isRisingOnly(_ series: [Int]) -> Bool {
        if series.count >= span {
            let recent = Array(series.suffix(span))
            if risesOnly(recent), recent[span - 1] - recent[0] >= max(3, recent[0] / 4) { return true }
        }
        return series.count >= minimumWindow && risesOnly(series)
    }

    /// Never falls, and rises at least ``minimumRises`` times.
    private static func risesOnly(_ values: [Int]) -> Bool {
        var rises = 0
        for (before, after) in zip(values, values.dropFirst()) {
            if after < before { return false }
            if after > before { rises += 1 }
        }
        return rises >= minimumRises
    }
}
