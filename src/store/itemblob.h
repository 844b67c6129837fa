/*
 * itemblob.h: the byte form of a computed item, as the cache stores it.
 *
 * One blob per item instead of a column per field: a warm `revq list`
 * reads ten thousand of them, and decoding one is a bounds check, one
 * allocation and one copy, where eighteen SQLite columns and a dozen
 * small allocations cost ten times as much.
 *
 * The layout (integers little-endian, whatever the machine):
 *
 *   u8  format (ITEMBLOB_FORMAT)     u8  analyzed
 *   20  tree id
 *   i64 author_time                  i64 commit_time
 *   i32 author_offset                i32 risk
 *   u32 files   u32 added   u32 deleted
 *   u32 markers   u32 reasons   u32 paths      (entry counts)
 *   then NUL-terminated strings: author_name, author_email,
 *   committer_name, committer_email, subject, and the entries of
 *   markers, reasons and paths in order, then one reason key per
 *   reason (format 2).
 *
 * The commit id is not in the blob: it is the key the blob is stored under.
 */
#ifndef REVQ_ITEMBLOB_H
#define REVQ_ITEMBLOB_H

#include <stddef.h>

#include "judge/item.h"
#include "base/pool.h"
#include "base/strbuf.h"

#define ITEMBLOB_FORMAT 2   /* 2: reason keys after the paths */

/* Appends the byte form of item to out. */
void itemblob_encode(struct strbuf *out, const struct item *item);

/*
 * Decodes size bytes at data into a new item with the given id.  The item,
 * its markers, reasons and paths arrays and all their strings are one
 * block (item->strings is set, see item.h), allocated from pool, or with
 * malloc() when pool is NULL; item_free() frees it either way (a pool's
 * block with the pool).  Returns REVQ_EUSAGE, with *out NULL and no error
 * recorded, when the bytes are not a well-formed blob of this format: a
 * damaged cache row is recomputed, not reported.
 */
int itemblob_decode(struct item **out, const git_oid *id, const void *data, size_t size,
		    struct pool *pool);

/* The bytes itemblob_decode() takes for this blob (0 if malformed), to size a pool. */
size_t itemblob_decoded_size(const void *data, size_t size);

#endif
