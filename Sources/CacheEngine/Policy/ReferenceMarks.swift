/// One bit per slot: whether the entry in it was read since its queue position was last
/// settled (`ShardPolicy+DeferredHits.swift`). A CLOCK's reference bits, kept apart from the
/// slot records so that marking a hit writes nothing a lock-free reader loads.
///
/// The words grow on demand to cover the highest slot marked (a shard's slots are bounded by
/// its slab, so at most one bit per slot: 2 KiB for 16,384 slots). `pending` says whether any
/// bit may be set, so that code paths that only need to clear a mark skip the words entirely.
///
/// Not thread-safe: owned by one shard's policy and used under its lock; `deallocate()` frees it.
@usableFromInline
struct ReferenceMarks {
    @usableFromInline var words: UnsafeMutablePointer<UInt64>?
    @usableFromInline var wordCount = 0
    /// Whether a mark may be set (false once every mark was settled or cleared).
    @usableFromInline var pending = false

    @inlinable
    init() {}

    @usableFromInline
    func deallocate() { words?.deallocate() }

    /// Marks `slot` as read. O(1) amortised: the words double when `slot` is beyond them.
    @inlinable @inline(__always)
    mutating func mark(_ slot: Int32) {
        let word = Int(slot) &>> 6
        if word >= wordCount { grow(toCover: word) }
        words.unsafelyUnwrapped[word] |= 1 &<< UInt64(slot & 63)
        pending = true
    }

    /// Whether `slot` is marked. O(1).
    @inlinable @inline(__always)
    func isMarked(_ slot: Int32) -> Bool {
        let word = Int(slot) &>> 6
        guard pending, word < wordCount else { return false }
        return words.unsafelyUnwrapped[word] & (1 &<< UInt64(slot & 63)) != 0
    }

    /// Clears the mark of `slot`, if any. O(1).
    @inlinable @inline(__always)
    mutating func clear(_ slot: Int32) {
        let word = Int(slot) &>> 6
        guard pending, word < wordCount else { return }
        words.unsafelyUnwrapped[word] &= ~(1 &<< UInt64(slot & 63))
    }

    /// Up to `limit` marked slots below `slots`, in slot order. O(words + limit).
    @usableFromInline
    func marked(limit: Int, below slots: Int) -> [Int32] {
        guard limit > 0 else { return [] }
        var found: [Int32] = []
        forEachMarked(below: slots) { slot in
            found.append(slot)
            return found.count < limit
        }
        return found
    }

    /// Calls `body` on each marked slot below `slots`, in slot order, while it returns true.
    /// O(words + marks visited).
    @usableFromInline
    func forEachMarked(below slots: Int, _ body: (Int32) -> Bool) {
        guard pending, let words else { return }
        for word in 0..<min(wordCount, (slots &+ 63) &>> 6) where words[word] != 0 {
            var bits = words[word]
            while bits != 0 {
                let slot = word &<< 6 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                guard slot < slots else { return }
                guard body(Int32(slot)) else { return }
            }
        }
    }

    /// Clears every mark. O(words).
    @inlinable
    mutating func clearAll() {
        if let words { words.update(repeating: 0, count: wordCount) }
        pending = false
    }

    /// Moves the marks to the slots a slab rebuild gave their entries. O(words + marks).
    @usableFromInline
    mutating func renumber(_ renumbering: SlotRenumbering) {
        let old = self
        self = ReferenceMarks()
        old.forEachMarked(below: old.wordCount &<< 6) { slot in
            let target = renumbering(slot)
            if target >= 0 { mark(target) }
            return true
        }
        old.deallocate()
    }

    @usableFromInline
    mutating func grow(toCover word: Int) {
        let newCount = max(16, (word &+ 1).nextPowerOfTwo)
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: newCount)
        grown.initialize(repeating: 0, count: newCount)
        if let words {
            grown.update(from: words, count: wordCount)
            words.deallocate()
        }
        words = grown
        wordCount = newCount
    }
}
