#include "CThreadIndex.h"
#include <stdatomic.h>

_Thread_local unsigned cthreadindex_number_plus_one = 0;
static atomic_uint next_number = 0;

unsigned cthreadindex_assign(void) {
    unsigned number = atomic_fetch_add_explicit(&next_number, 1, memory_order_relaxed);
    cthreadindex_number_plus_one = number + 1;
    return number;
}
