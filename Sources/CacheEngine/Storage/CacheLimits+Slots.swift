extension CacheLimits {
    /// The most entries one shard can hold (slot numbers are 29-bit).
    public static var maximumEntriesPerShard: Int { SlotLink.slotLimit - 1 }
}
