/// A fixed-size, approximate memory of keys the policy recently dropped, by hash: the "ghost"
/// lists of ARC, without the lists. A direct-mapped table of 16-bit fingerprints; inserting
/// overwrites whatever shared the slot, so a key is remembered for about as many later
/// insertions as the table has slots. Asking forgets the key, so each return counts once.
/// Slot and fingerprint come from disjoint bits of the hash (`KeyHash`); 0 marks an empty
/// slot. False positives: about one lookup in 65,535 on an occupied slot. Two bytes per slot, no per-key allocation.
///
/// Not thread-safe: owned by one shard and used under its lock. Allocated lazily together with
/// the frequency sketch; the owner frees it with `deallocate()`.
@usableFromInline
struct GhostFilter {
    @usableFromInline var table: UnsafeMutablePointer<UInt16>?
    @usableFromInline var mask = 0

    @usableFromInline
    init() {}

    @usableFromInline
    func deallocate() { table?.deallocate() }

    /// Sizes the table for `slots` entries (rounded up to a power of two, at least 16), if it is
    /// not at least that large already. Growing forgets what the table held. O(slots).
    @usableFromInline
    mutating func ensureCapacity(_ slots: Int) {
        if table != nil, mask + 1 >= slots { return }
        let length = max(slots, 16).nextPowerOfTwo
        table?.deallocate()
        let words = UnsafeMutablePointer<UInt16>.allocate(capacity: length)
        words.initialize(repeating: 0, count: length)
        table = words
        mask = length - 1
    }

    /// Remembers the key with this hash. O(1).
    @inlinable
    mutating func insert(_ hash: KeyHash) {
        guard let table else { return }
        table[hash.ghostSlot(mask: mask)] = hash.ghostFingerprint
    }

    /// Whether the key with this hash was remembered; forgets it if so. O(1).
    @inlinable
    mutating func remove(_ hash: KeyHash) -> Bool {
        guard let table else { return false }
        let index = hash.ghostSlot(mask: mask)
        guard table[index] == hash.ghostFingerprint else { return false }
        table[index] = 0
        return true
    }
}
