#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for a coming write, without
/// waiting for it. A hint only: the address need not be valid and nothing is read, so it is
/// safe on any pointer. Swift has no prefetch of its own; this header compiles to a single
/// instruction where it is inlined.
static inline __attribute__((always_inline)) void cprefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Asks the CPU to start loading the cache line at `address` for a coming read, without
/// waiting for it. A hint only, safe on any pointer, like `cprefetch_for_write`.
static inline __attribute__((always_inline)) void cprefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
