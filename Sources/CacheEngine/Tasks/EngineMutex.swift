#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// Every lock in the engine is an `EngineMutex`. In production it is the standard library's
// `Synchronization.Mutex`. ThreadSanitizer cannot see that mutex's synchronization on Linux (the
// standard library is not instrumented: a trivially correct counter under `withLock` is reported
// as a race), so building with `-Xswiftc -DCACHEENGINE_TSAN_LOCKS` swaps in a pthread mutex, which
// the sanitizer intercepts. Both expose the same `init`, `withLock` and `withLockIfAvailable`.
#if CACHEENGINE_TSAN_LOCKS
@usableFromInline
package typealias EngineMutex<Value: ~Copyable> = SanitizerVisibleMutex<Value>
#else
@usableFromInline
package typealias EngineMutex<Value: ~Copyable> = Mutex<Value>
#endif

/// A mutual-exclusion lock built on `pthread_mutex_t`, for sanitizer builds only. The lock and
/// the value live on the heap, so moving this struct never moves the pthread mutex.
@usableFromInline
package struct SanitizerVisibleMutex<Value: ~Copyable>: ~Copyable, @unchecked Sendable {
    @usableFromInline let lock: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    @usableFromInline
    package init(_ initialValue: consuming sending Value) {
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    @inlinable
    package borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return try body(&value.pointee)
    }

    @inlinable
    package borrowing func withLockIfAvailable<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result? {
        guard pthread_mutex_trylock(lock) == 0 else { return nil }
        defer { pthread_mutex_unlock(lock) }
        return try body(&value.pointee)
    }
}
