/*
 * pool.h: memory for many small objects that are freed together, like
 * git's mem-pool: the items of a warm queue and their refs, ten thousand
 * of each.
 *
 * Its big blocks are whole transparent huge pages, filled in when mapped
 * (madvise MADV_HUGEPAGE, MADV_POPULATE_WRITE); small ones come from malloc().  On the virtual machines
 * revq runs on, faulting fresh 4 KiB pages in one at a time cost more than
 * everything else a warm `revq list` does with them (bench/README): a
 * page fault, or the first touch of a page, traps to the hypervisor.
 * Memory from a pool is zeroed.
 *
 * pool_new() returns a pool the caller frees with pool_free(), which frees
 * everything allocated from it.  A pool is not shared between threads.
 */
#ifndef REVQ_POOL_H
#define REVQ_POOL_H

#include <stddef.h>

struct pool;

/* A pool whose first block holds `objects` allocations of `bytes` in all. */
struct pool *pool_new(size_t bytes, size_t objects);
/* size zeroed bytes, aligned for any object; aborts when out of memory. */
void *pool_alloc(struct pool *pool, size_t size);
void pool_free(struct pool *pool);

#endif
