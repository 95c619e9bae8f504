#if canImport(Glibc)
import Glibc
#endif

/// Seconds since the Unix epoch, from the system's real-time clock.
func wallClockSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
