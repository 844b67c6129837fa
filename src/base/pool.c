/*
 * pool.c: a bump allocator over blocks that are mapped populated (see
 * pool.h for why).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "base/pool.h"
#include "base/strbuf.h"

/*
 * LeakSanitizer looks for pointers in the heap, not in memory mapped by
 * hand: without being told, it would call whatever only a pool block
 * points to (an item's refs, say) leaked.
 */
#if defined(__SANITIZE_ADDRESS__)
# define TELL_LEAK_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TELL_LEAK_SANITIZER 1
# endif
#endif
#ifdef TELL_LEAK_SANITIZER
# include <sanitizer/lsan_interface.h>
# define leak_check_watch(p, size) __lsan_register_root_region(p, size)
# define leak_check_unwatch(p, size) __lsan_unregister_root_region(p, size)
#else
# define leak_check_watch(p, size) ((void)(p), (void)(size))
# define leak_check_unwatch(p, size) ((void)(p), (void)(size))
#endif

#define ALIGNMENT 16
/*
 * Blocks are whole huge pages: one page-table entry (and, on a VM that
 * shadows page tables, one trap) per 2 MiB instead of per 4 KiB.
 */
#define HUGE_PAGE (2 * 1024 * 1024)
/* Smaller blocks come from malloc(): a huge page would be mostly waste. */
#define SMALL_BLOCK (HUGE_PAGE / 4)

struct block {
	struct block *next;
	size_t size;              /* of the whole block, this header included */
	int mapped;               /* by map_block(), else by malloc() */
};

struct pool {
	struct block *blocks;     /* newest first */
	char *next, *end;         /* the free part of the newest block */
	size_t grow;              /* the size of the next block */
};

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

/*
 * Maps size bytes (a multiple of HUGE_PAGE) at a HUGE_PAGE boundary,
 * asking for transparent huge pages, then has the kernel fill the pages
 * in now.  Either step may be unsupported (old kernels, THP off); the
 * memory is then faulted in page by page, which is only slower.
 */
static void *map_block(size_t size)
{
	size_t slack = HUGE_PAGE;
	char *raw = mmap(NULL, size + slack, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *start;

	if (raw == MAP_FAILED)
		die_out_of_memory(size);
	start = (char *)round_up((uintptr_t)raw, HUGE_PAGE);
	/* Give back the unaligned ends. */
	if (start > raw)
		munmap(raw, (size_t)(start - raw));
	if (start + size < raw + size + slack)
		munmap(start + size, (size_t)(raw + size + slack - (start + size)));
#ifdef MADV_HUGEPAGE
	madvise(start, size, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	madvise(start, size, MADV_POPULATE_WRITE);
#endif
	leak_check_watch(start, size);
	return start;
}

static void add_block(struct pool *pool, size_t need)
{
	size_t header = round_up(sizeof(struct block), ALIGNMENT);
	size_t size = header + need > pool->grow ? header + need : pool->grow;
	int mapped = size >= SMALL_BLOCK;
	struct block *b;

	if (mapped)
		size = round_up(size, HUGE_PAGE);
	b = mapped ? map_block(size) : xcalloc(1, size);
	b->next = pool->blocks;
	b->size = size;
	b->mapped = mapped;
	pool->blocks = b;
	pool->next = (char *)b + header;
	pool->end = (char *)b + size;
	/* The first block is sized to what is expected; more means more is coming. */
	pool->grow = size < HUGE_PAGE ? size * 2 : HUGE_PAGE;
}

struct pool *pool_new(size_t bytes, size_t objects)
{
	struct pool *pool = xcalloc(1, sizeof(*pool));

	/* Each allocation is rounded up to the alignment: at most that much more each. */
	pool->grow = bytes + objects * (ALIGNMENT - 1) + round_up(sizeof(struct block), ALIGNMENT);
	return pool;
}

void *pool_alloc(struct pool *pool, size_t size)
{
	void *p;

	size = round_up(size ? size : 1, ALIGNMENT);
	if (!pool->next || size > (size_t)(pool->end - pool->next))
		add_block(pool, size);
	p = pool->next;
	pool->next += size;
	return p;
}

void pool_free(struct pool *pool)
{
	if (!pool)
		return;
	while (pool->blocks) {
		struct block *b = pool->blocks;

		pool->blocks = b->next;
		if (b->mapped) {
			leak_check_unwatch(b, b->size);
			munmap(b, b->size);
		} else {
			free(b);
		}
	}
	free(pool);
}
