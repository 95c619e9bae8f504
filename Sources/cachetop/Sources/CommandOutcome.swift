import CacheControl
import CacheDashboard
import CacheEngine

/// A command the source refused before reaching the target, with the line to show.
struct CommandRefusal: Error, CustomStringConvertible {
    let description: String
}

/// The event-log lines for command outcomes, shared by every source.
enum CommandOutcome {
    static func sweep(examined: Int, removed: Int, nanoseconds: Int64) -> String {
        "sweep: examined \(examined), removed \(removed) in \(Format.duration(nanoseconds: nanoseconds))"
    }

    static func resize(from old: Int, to new: Int, evicted: Int) -> String {
        "capacity \(old) -> \(new), evicted \(evicted)"
    }

    static func loadStarted(_ profile: Workload.Profile, rate: Int?) -> String {
        "load injection on: \(profile.rawValue)" + (rate.map { " at \(Format.rate(Double($0)))" } ?? "")
    }

    /// "user:42: cached in shard #3 · frequency ~7 (estimate) · age 12.0s · 48.0s left · weight 1",
    /// or "user:42: not cached".
    static func lookUp(_ text: String, _ entry: ControlProtocol.KeyEntry?) -> String {
        guard let entry else { return "\(text): not cached" }
        var parts = [entry.absent ? "cached as absent" : "cached"]
        if let shard = entry.shard { parts[0] += " in shard #\(shard)" }
        if let frequency = entry.frequency { parts.append("frequency ~\(frequency) (estimate)") }
        if let age = entry.ageMilliseconds { parts.append("age \(Format.seconds(Double(age) / 1000))") }
        parts.append(entry.timeLeftMilliseconds.map { "\(Format.seconds(Double($0) / 1000)) left" } ?? "no deadline")
        if let weight = entry.weight { parts.append("weight \(weight)") }
        return "\(text): " + parts.joined(separator: " · ")
    }
}
