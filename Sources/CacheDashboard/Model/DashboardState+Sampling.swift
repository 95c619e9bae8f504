/// What the next sample should carry, and what the screen shows of the lists samples carry:
/// the hottest keys, sampled less often than the rest (each costs the host a scan of its shards'
/// most recent entries) and read from the newest sample that carries them; as many entries
/// nearest their deadline as the expiry panel has room for.
extension DashboardState {
    /// Seconds between two samples of the hottest keys.
    public static let hotKeysInterval = 5.0
    /// How many hottest keys a sample asks for.
    public static let hotKeysCount = 12

    /// Whether the next sample should carry the hottest keys: none yet, or the newest are
    /// `hotKeysInterval` old at `now`.
    public func hotKeysDue(at now: Double) -> Bool {
        guard let newest = history.last(where: { $0.hottest != nil }) else { return true }
        return now - newest.time >= Self.hotKeysInterval
    }

    /// How many entries nearest their deadline a sample should carry: what the expiry panel
    /// has room for on a screen of ``screenRows`` rows (8, or 16 from 50 rows up).
    public var expiringWanted: Int { screenRows >= 50 ? 16 : 8 }

    /// The newest hottest-key list on screen (frozen while paused), with when it was sampled.
    public var hotKeys: (time: Double, entries: [DashboardSample.HotEntry])? {
        guard let sample = shownHistory.last(where: { $0.hottest != nil }), let entries = sample.hottest else { return nil }
        return (sample.time, entries)
    }
}
