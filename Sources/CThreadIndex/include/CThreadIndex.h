#ifndef CTHREADINDEX_H
#define CTHREADINDEX_H

/// A small number for the calling thread, fixed for the thread's life: threads are numbered in
/// the order they first ask, from 0. The engine spreads lock-free readers over per-shard stripes
/// by it, so that two threads touch different cache lines: consecutive numbers mean the first
/// threads of a process never share a stripe. Swift has no thread-local storage of its own;
/// the number lives in a C11 `_Thread_local`, and the common case inlines to one load.
extern _Thread_local unsigned cthreadindex_number_plus_one;

/// Numbers the calling thread (called once per thread, by `cthreadindex_current`).
unsigned cthreadindex_assign(void);

static inline __attribute__((always_inline)) unsigned cthreadindex_current(void) {
    unsigned number = cthreadindex_number_plus_one;
    return number != 0 ? number - 1 : cthreadindex_assign();
}

#endif
