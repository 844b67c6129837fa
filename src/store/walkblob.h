/*
 * walkblob.h: the byte form of one pending walk, as a snapshot stores
 * it: the pending commits in the walk's order with their refs, and the
 * graph the walk met (git/pending.h: each commit's date and parents), so
 * that the walk after a ref moved reads from here what it knows and from
 * the repository only what changed.
 *
 * The layout (integers little-endian, whatever the machine):
 *
 *   8   magic "revqwalk"            u32 format (WALKBLOB_FORMAT)
 *   20  the snapshot key the blob was written under
 *   u32 nodes   u32 parents   u32 results   u32 refs   u32 labels   u32 label_bytes
 *   label_bytes bytes: labels NUL-terminated strings (the refs' names)
 *   nodes   x { 20 id, i64 time, u32 first parent, u32 parents (or unparsed) }
 *   parents x u32 node
 *   results x { u32 node, u32 first ref, u32 refs }   (results may share refs)
 *   refs    x u32 label
 *   u64 checksum of everything before it
 *
 * A blob is used only when every count and index is in range, its
 * checksum holds, and (for the pending set) it names the key it is read
 * under: anything else (a damaged row, another format, a row copied from
 * elsewhere) reads as absent, and the queue walks again.
 */
#ifndef REVQ_WALKBLOB_H
#define REVQ_WALKBLOB_H

#include <stddef.h>

#include "base/pool.h"
#include "base/strbuf.h"
#include "git/pending.h"

#define WALKBLOB_FORMAT 1
#define WALKBLOB_KEY_SIZE 20

/*
 * Appends the byte form of pending under key, with graph, the graph its
 * walk learnt (git/pending.h: graph->pending names each commit's node).
 * Returns -1, with nothing appended, when they do not match.
 */
int walkblob_encode(struct strbuf *out, const unsigned char key[WALKBLOB_KEY_SIZE],
		    const struct pending *pending, const struct pending_graph *graph);

/*
 * The pending set of a blob read under key: into pending (empty), the
 * refs borrowed from pool (strvec.h) when one is given, else owned.
 * REVQ_EUSAGE, with nothing filled and no error recorded, when the blob
 * is malformed or names another key.
 */
int walkblob_decode_pending(struct pending *pending, const unsigned char key[WALKBLOB_KEY_SIZE],
			    const void *data, size_t size, struct pool *pool);
/* The pool bytes walkblob_decode_pending() takes (0 when malformed). */
size_t walkblob_pending_footprint(const void *data, size_t size);

/* The graph of a blob, whatever its key, into graph (empty); REVQ_EUSAGE when malformed. */
int walkblob_decode_graph(struct pending_graph *graph, const void *data, size_t size);

#endif
