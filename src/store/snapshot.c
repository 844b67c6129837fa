/*
 * snapshot.c: the items, packs and snapshots tables of the cache: each
 * commit's item as one blob (itemblob.h); packs of item copies, so that a
 * warm list reads its items in one range scan; and each pending walk's
 * result with the graph it met (walkblob.h), so that the next walk reads
 * only what changed.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "store/cache_int.h"
#include "store/itemblob.h"
#include "store/walkblob.h"

#define SNAPSHOTS_KEPT 16
#define PACKS_KEPT 4
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static struct item *column_item(sqlite3_stmt *st, int col, const git_oid *id, struct pool *pool)
{
	const void *p = sqlite3_column_blob(st, col);
	struct item *it;

	if (!p || itemblob_decode(&it, id, p, (size_t)sqlite3_column_bytes(st, col), pool))
		return NULL;
	return it;
}

int cache_get_item(struct item **out, struct cache *c, const git_oid *id)
{
	int rc;

	*out = NULL;
	if (!c->db)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(c->get_item, 1, id->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(c->get_item);
	if (rc == SQLITE_ROW)
		*out = column_item(c->get_item, 0, id, NULL);
	sqlite3_reset(c->get_item);
	if (rc == SQLITE_ROW)
		return *out ? 0 : REVQ_ENOTFOUND;
	if (rc == SQLITE_DONE)
		return REVQ_ENOTFOUND;
	cache_recover(c, "reading an item");
	return REVQ_ENOTFOUND;
}

void cache_read_begin(struct cache *c)
{
	if (c->db)
		cache_exec(c->db, "BEGIN");
}

void cache_read_end(struct cache *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		cache_exec(c->db, "COMMIT");
}

static int put_item(sqlite3_stmt *st, const struct item *it, struct strbuf *scratch)
{
	strbuf_reset(scratch);
	itemblob_encode(scratch, it);
	sqlite3_bind_blob(st, 1, it->id.id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, scratch->buf, (int)scratch->len, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? (sqlite3_reset(st), 0) : (sqlite3_reset(st), -1);
}

int cache_put_items(struct cache *c, struct item *const *items, size_t nr)
{
	struct strbuf scratch = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (!c->db || !nr)
		return 0;
	if (cache_exec(c->db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO commits VALUES(?,?)", -1, &st, NULL)) {
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing items");
	}
	for (size_t i = 0; i < nr && !rc; i++)
		rc = put_item(st, items[i], &scratch);
	sqlite3_finalize(st);
	strbuf_release(&scratch);
	if (rc || cache_exec(c->db, "COMMIT")) {
		rc = sqlite3_errcode(c->db);
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing items");
	}
	return 0;
}

/* ---- packs: copies of items, read in one range scan ---- */

/*
 * A pack is written again when more of a snapshot's items than this are
 * not in it, or when it holds more than twice the items the snapshot
 * wants: a few new commits cost a few lookups, never a copy of the queue.
 */
static int pack_too_stale(size_t wanted, size_t misses, size_t rows)
{
	return misses > wanted / 16 || rows > 2 * wanted + 64;
}

/* The rows and item bytes of pack: SQLITE_ROW, or SQLITE_DONE when there is none. */
static int pack_size(struct cache *c, int64_t pack, size_t *rows, size_t *item_bytes)
{
	sqlite3_stmt *st;
	int rc;

	*rows = *item_bytes = 0;
	if ((rc = sqlite3_prepare_v2(c->db, "SELECT rows, item_bytes FROM packs WHERE id = ?",
				     -1, &st, NULL)))
		return rc;
	sqlite3_bind_int64(st, 1, pack);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = (size_t)sqlite3_column_int64(st, 0);
		*item_bytes = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

#define SHIFT_WINDOW 16

/* 1 when pending's commit at seq + shift is id (and *at that index). */
static int pending_at(size_t *at, const struct pending *pending, size_t seq, ptrdiff_t shift,
		      const git_oid *id)
{
	ptrdiff_t i = (ptrdiff_t)seq + shift;

	if (i < 0 || (size_t)i >= pending->nr || !git_oid_equal(&pending->commits[i].id, id))
		return 0;
	*at = (size_t)i;
	return 1;
}

/*
 * Where id is in pending.  A pack written for an earlier set has its
 * commits in the same order, shifted where commits came or went: try
 * the last shift and the shifts near it before a map of every commit.
 */
static int pending_index(size_t *at, const struct pending *pending, struct oidmap *map,
			 ptrdiff_t *shift, size_t seq, const git_oid *id)
{
	if (pending_at(at, pending, seq, *shift, id))
		return 1;
	for (ptrdiff_t d = 1; d <= SHIFT_WINDOW; d++)
		if (pending_at(at, pending, seq, *shift + d, id) ||
		    pending_at(at, pending, seq, *shift - d, id)) {
			*shift = (ptrdiff_t)*at - (ptrdiff_t)seq;
			return 1;
		}
	if (!map->nr) {
		oidmap_reserve(map, pending->nr);
		for (size_t i = 0; i < pending->nr; i++)
			oidmap_put(map, &pending->commits[i].id, i);
	}
	if (!oidmap_get(map, id, at))
		return 0;
	*shift = (ptrdiff_t)*at - (ptrdiff_t)seq;
	return 1;
}

/* Fills items[] (pending->nr entries) with the pack's copies of pending's commits. */
static int read_pack_rows(struct cache *c, int64_t pack, const struct pending *pending,
			  struct item **items, struct pool *pool)
{
	struct oidmap map = OIDMAP_INIT;
	ptrdiff_t shift = 0;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, "SELECT seq, id, item FROM pack_items"
				     " WHERE pack = ? ORDER BY seq", -1, &st, NULL)))
		return rc;
	sqlite3_bind_int64(st, 1, pack);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t at;
		git_oid id;

		cache_column_oid(&id, st, 1);
		if (pending_index(&at, pending, &map, &shift, (size_t)sqlite3_column_int64(st, 0), &id) &&
		    !items[at])
			items[at] = column_item(st, 2, &id, pool);
	}
	sqlite3_finalize(st);
	oidmap_clear(&map);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void cache_load_pack(struct cache *c, int64_t pack, const struct pending *pending,
		     struct item **items, struct pool **pool)
{
	size_t rows, item_bytes;

	memset(items, 0, pending->nr * sizeof(*items));
	if (pool)
		*pool = NULL;
	if (!c->db || !pack || !pending->nr)
		return;
	cache_read_begin(c);
	if (pack_size(c, pack, &rows, &item_bytes) == SQLITE_ROW) {
		if (pool)
			*pool = pool_new(item_bytes, rows);
		if (read_pack_rows(c, pack, pending, items, pool ? *pool : NULL))
			cache_recover(c, "reading a pack of items");
	}
	cache_read_end(c);
}

static int write_pack(int64_t *pack, struct cache *c, const struct pending *pending,
		      struct item *const *items)
{
	struct strbuf blob = STRBUF_INIT;
	sqlite3_stmt *st = NULL, *size = NULL;
	size_t rows = 0, item_bytes = 0;
	int rc;

	rc = cache_exec(c->db, "INSERT INTO packs(rows, item_bytes) VALUES(0, 0)") ||
	     sqlite3_prepare_v2(c->db, "INSERT INTO pack_items VALUES(?,?,?,?)", -1, &st, NULL) ||
	     sqlite3_prepare_v2(c->db, "UPDATE packs SET rows = ?, item_bytes = ? WHERE id = ?",
				-1, &size, NULL);
	*pack = sqlite3_last_insert_rowid(c->db);
	for (size_t i = 0; i < pending->nr && !rc; i++) {
		if (!items[i])
			continue;
		strbuf_reset(&blob);
		itemblob_encode(&blob, items[i]);
		item_bytes += itemblob_decoded_size(blob.buf, blob.len);
		sqlite3_bind_int64(st, 1, *pack);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_blob(st, 3, items[i]->id.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, blob.buf, (int)blob.len, SQLITE_STATIC);
		rc = sqlite3_step(st) != SQLITE_DONE;
		sqlite3_reset(st);
		rows++;
	}
	if (!rc) {
		sqlite3_bind_int64(size, 1, (sqlite3_int64)rows);
		sqlite3_bind_int64(size, 2, (sqlite3_int64)item_bytes);
		sqlite3_bind_int64(size, 3, *pack);
		rc = sqlite3_step(size) != SQLITE_DONE;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(size);
	strbuf_release(&blob);
	return rc;
}

/* ---- snapshots ---- */

int cache_load_snapshot(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			struct pending *pending, struct item ***items, struct pool **pool,
			int64_t *pack)
{
	struct pool *none = NULL;
	sqlite3_stmt *st = NULL;
	size_t rows = 0, item_bytes = 0;
	int rc, found = 0;

	memset(pending, 0, sizeof(*pending));
	if (items)
		*items = NULL;
	if (!pool)
		pool = &none;   /* everything from malloc() */
	*pool = NULL;
	*pack = 0;
	if (!c->db)
		return REVQ_ENOTFOUND;
	/* One transaction: the walk and the pack come from one state of the file. */
	cache_read_begin(c);
	rc = sqlite3_prepare_v2(c->db, "SELECT walk, pack FROM snapshots WHERE key = ?", -1, &st, NULL);
	if (!rc) {
		sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		const void *walk = sqlite3_column_blob(st, 0);
		size_t size = (size_t)sqlite3_column_bytes(st, 0);

		*pack = sqlite3_column_int64(st, 1);
		if (items && *pack && pack_size(c, *pack, &rows, &item_bytes) != SQLITE_ROW)
			*pack = 0;
		if (pool != &none)
			*pool = pool_new(walkblob_pending_footprint(walk, size) + item_bytes, 3 * rows + 8);
		found = !walkblob_decode_pending(pending, key, walk, size, *pool);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (found && items) {
		*items = xcalloc(pending->nr ? pending->nr : 1, sizeof(**items));
		if (*pack && (rc = read_pack_rows(c, *pack, pending, *items, *pool)) == SQLITE_OK)
			rc = SQLITE_DONE;
	}
	cache_read_end(c);
	if (found && rc == SQLITE_DONE)
		return 0;
	if (items) {
		for (size_t i = 0; *items && i < pending->nr; i++)
			item_free((*items)[i]);
		free(*items);
		*items = NULL;
	}
	pending_release(pending);
	pool_free(*pool);
	*pool = NULL;
	*pack = 0;
	if (rc != SQLITE_DONE)   /* SQLITE_DONE here: no such snapshot, or a damaged walk */
		cache_recover(c, "reading a snapshot");
	return REVQ_ENOTFOUND;
}

int cache_load_walk(struct cache *c, struct pending_graph *graph, int64_t *pack)
{
	sqlite3_stmt *st = NULL;
	int rc, found = 0;

	memset(graph, 0, sizeof(*graph));
	*pack = 0;
	if (!c->db)
		return REVQ_ENOTFOUND;
	cache_read_begin(c);
	rc = sqlite3_prepare_v2(c->db, "SELECT walk, pack FROM snapshots ORDER BY used DESC LIMIT 1",
				-1, &st, NULL);
	if (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		found = !walkblob_decode_graph(graph, sqlite3_column_blob(st, 0),
					       (size_t)sqlite3_column_bytes(st, 0));
		*pack = found ? sqlite3_column_int64(st, 1) : 0;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	cache_read_end(c);
	if (rc != SQLITE_DONE)
		cache_recover(c, "reading the last walk");
	return found ? 0 : REVQ_ENOTFOUND;
}

/* Writes the snapshot's row: a new walk, or (walk NULL) the row read under key, re-dated. */
static int put_snapshot(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			const struct strbuf *walk, int64_t pack)
{
	static const char *const used = "(SELECT coalesce(max(used), 0) + 1 FROM snapshots)";
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (walk)
		strbuf_addf(&sql, "INSERT OR REPLACE INTO snapshots(key, used, pack, walk)"
			    " VALUES(?1, %s, ?2, ?3)", used);
	else
		strbuf_addf(&sql, "UPDATE snapshots SET used = %s, pack = ?2 WHERE key = ?1", used);
	rc = sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	if (pack)
		sqlite3_bind_int64(st, 2, pack);
	else
		sqlite3_bind_null(st, 2);
	if (walk)
		sqlite3_bind_blob(st, 3, walk->buf, (int)walk->len, SQLITE_STATIC);
	rc = sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	return rc;
}

/*
 * Keeps the newest snapshots, and the newest packs any of them names:
 * an index on `used` and the packs' keys, so that no query reads every
 * row.
 */
static int prune(struct cache *c)
{
	return cache_exec(c->db,
		"DELETE FROM snapshots WHERE used <= (SELECT used FROM snapshots"
		"  ORDER BY used DESC LIMIT 1 OFFSET " STRINGIFY(SNAPSHOTS_KEPT) ");"
		"UPDATE snapshots SET pack = NULL WHERE pack NOT IN"
		"  (SELECT id FROM packs ORDER BY id DESC LIMIT " STRINGIFY(PACKS_KEPT) ");"
		"DELETE FROM pack_items WHERE pack IN (SELECT id FROM packs WHERE id NOT IN"
		"  (SELECT pack FROM snapshots WHERE pack IS NOT NULL));"
		"DELETE FROM packs WHERE id NOT IN (SELECT pack FROM snapshots WHERE pack IS NOT NULL)");
}

int cache_store_snapshot(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			 const struct pending *pending, const struct pending_graph *graph,
			 struct item *const *items, int64_t pack, size_t misses)
{
	struct strbuf walk = STRBUF_INIT;
	size_t rows = 0, item_bytes = 0;
	int rc = 0;

	if (!c->db)
		return 0;
	/* A snapshot read again: only a pack too stale to keep is worth a write. */
	if (!graph && (!items || (pack && pack_size(c, pack, &rows, &item_bytes) == SQLITE_ROW &&
				  !pack_too_stale(pending->nr, misses, rows))))
		return 0;
	if (graph && walkblob_encode(&walk, key, pending, graph))
		return 0;   /* not a walk's own graph: nothing worth keeping */
	if (cache_exec(c->db, "BEGIN IMMEDIATE")) {
		strbuf_release(&walk);
		return cache_recover(c, "storing a snapshot");
	}
	if (pack && pack_size(c, pack, &rows, &item_bytes) != SQLITE_ROW)
		pack = 0;
	if (items && (!pack || pack_too_stale(pending->nr, misses, rows)))
		rc = write_pack(&pack, c, pending, items);
	if (!rc)
		rc = put_snapshot(c, key, graph ? &walk : NULL, pack);
	if (!rc)
		rc = prune(c);
	strbuf_release(&walk);
	if (rc || cache_exec(c->db, "COMMIT")) {
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing a snapshot");
	}
	return 0;
}

/* ---- patch-ids and signature verifications ---- */
