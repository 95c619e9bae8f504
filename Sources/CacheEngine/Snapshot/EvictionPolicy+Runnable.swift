extension EvictionPolicy {
    /// Window TinyLFU as Caffeine runs it: its hill climber sizes the window, and the margin
    /// stays 0. A baseline the benchmarks measure the product against, not a choice for users.
    @_spi(Benchmark)
    public static let windowTinyLFUHillClimber = EvictionPolicy(rawValue: "w-tinylfu-climber")

    /// The policies a cache can run.
    static let runnable: Set<EvictionPolicy> = [.windowTinyLFU, .windowTinyLFUHillClimber]
}
