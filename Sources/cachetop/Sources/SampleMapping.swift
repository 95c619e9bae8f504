import CacheControl
import CacheDashboard
import CacheEngine

/// The dashboard's sample from the control API's vocabulary: the one mapping the embedded and
/// the socket sources share.
enum SampleMapping {
    static func sample(time: Double, target: TargetInfo, snapshot: CacheSnapshot, expiring: [ControlProtocol.KeyEntry],
                       hottest: [ControlProtocol.KeyEntry]?, load: DashboardSample.LoadState) -> DashboardSample {
        DashboardSample(
            time: time, target: target, snapshot: snapshot,
            expiring: expiring.map { DashboardSample.ExpiringEntry(key: $0.key, timeLeftMilliseconds: $0.timeLeftMilliseconds ?? 0) },
            load: load,
            hottest: hottest?.map {
                DashboardSample.HotEntry(key: $0.key, frequency: $0.frequency, ageMilliseconds: $0.ageMilliseconds,
                                         timeLeftMilliseconds: $0.timeLeftMilliseconds)
            })
    }
}
