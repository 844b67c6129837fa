/*
 * snapshot.c: the items and snapshots tables of the cache: each commit's
 * item as one blob (itemblob.h), and each pending walk's result with a
 * copy of its items, so that a warm list is one range scan of one table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "store/cache_int.h"
#include "store/itemblob.h"

#define SNAPSHOTS_KEPT 16
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

/* ---- snapshots ---- */

/* The size of the snapshot under key: SQLITE_ROW, or SQLITE_DONE when there is none. */
static int snapshot_size(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			 size_t *rows, size_t *item_bytes)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, "SELECT rows, item_bytes FROM snapshots WHERE key = ?",
				     -1, &st, NULL)))
		return rc;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = (size_t)sqlite3_column_int64(st, 0);
		*item_bytes = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Reads the rows into pending and items (NULL: no items), which have room for all of them. */
static int read_snapshot_rows(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			      struct pending *pending, struct item **items, size_t rows,
			      struct pool *pool)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, "SELECT id, refs, item FROM snapshot_commits"
				     " WHERE key = ? ORDER BY seq", -1, &st, NULL)))
		return rc;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && pending->nr < rows) {
		struct pending_commit *pc = &pending->commits[pending->nr];

		cache_column_oid(&pc->id, st, 0);
		cache_list_decode(&pc->refs, sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1), pool);
		if (items)
			items[pending->nr] = column_item(st, 2, &pc->id, pool);
		pending->nr++;
	}
	sqlite3_finalize(st);
	return rc;
}

static void release_snapshot(struct pending *pending, struct item ***items, struct pool **pool)
{
	for (size_t i = 0; *items && i < pending->nr; i++)
		item_free((*items)[i]);
	free(*items);
	*items = NULL;
	pending_release(pending);
	pool_free(*pool);
	*pool = NULL;
}

int cache_load_snapshot(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			struct pending *pending, struct item ***items, struct pool **pool)
{
	struct item **list = NULL;
	struct pool *none = NULL;
	size_t rows = 0, item_bytes = 0;
	int rc;

	memset(pending, 0, sizeof(*pending));
	if (items)
		*items = NULL;
	if (!pool)
		pool = &none;   /* everything from malloc() */
	*pool = NULL;
	if (!c->db)
		return REVQ_ENOTFOUND;
	/* One transaction: the size and the rows come from one state of the file. */
	cache_read_begin(c);
	rc = snapshot_size(c, key, &rows, &item_bytes);
	if (rc == SQLITE_ROW) {
		pending->commits = xcalloc(rows ? rows : 1, sizeof(*pending->commits));
		if (items)
			list = xcalloc(rows ? rows : 1, sizeof(*list));
		if (pool != &none)
			*pool = pool_new(item_bytes, 2 * rows);   /* an item and a refs list a row */
		rc = read_snapshot_rows(c, key, pending, list, rows, *pool);
		if (rc == SQLITE_DONE && pending->nr != rows)
			rc = SQLITE_CORRUPT;
		if (rc == SQLITE_DONE) {
			cache_read_end(c);
			if (items)
				*items = list;
			return 0;
		}
	}
	cache_read_end(c);
	release_snapshot(pending, &list, pool);
	if (rc != SQLITE_DONE)   /* SQLITE_DONE here: there is no such snapshot */
		cache_recover(c, "reading a snapshot");
	return REVQ_ENOTFOUND;
}

static int drop_snapshot_rows(struct cache *c, const unsigned char key[CACHE_KEY_SIZE])
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, "DELETE FROM snapshot_commits WHERE key = ?", -1, &st, NULL))
		return -1;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	rc = sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	return rc;
}

int cache_store_snapshot(struct cache *c, const unsigned char key[CACHE_KEY_SIZE],
			 const struct pending *pending, struct item *const *items)
{
	struct strbuf refs = STRBUF_INIT, item = STRBUF_INIT;
	sqlite3_stmt *st = NULL, *head = NULL;
	size_t item_bytes = 0;
	int rc = 0;

	if (!c->db)
		return 0;
	if (cache_exec(c->db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO snapshots"
			       " VALUES(?, strftime('%s','now'), ?, ?)", -1, &head, NULL) ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO snapshot_commits VALUES(?,?,?,?,?)",
			       -1, &st, NULL)) {
		sqlite3_finalize(head);
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing a snapshot");
	}
	rc = drop_snapshot_rows(c, key);
	for (size_t i = 0; i < pending->nr && !rc; i++) {
		cache_list_encode(&refs, &pending->commits[i].refs);
		sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_blob(st, 3, pending->commits[i].id.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, refs.buf, (int)refs.len, SQLITE_STATIC);
		strbuf_reset(&item);
		if (refs.len)
			item_bytes += cache_list_footprint(refs.len, pending->commits[i].refs.nr);
		if (items && items[i]) {
			itemblob_encode(&item, items[i]);
			sqlite3_bind_blob(st, 5, item.buf, (int)item.len, SQLITE_STATIC);
			item_bytes += itemblob_decoded_size(item.buf, item.len);
		} else {
			sqlite3_bind_null(st, 5);
		}
		rc = sqlite3_step(st) != SQLITE_DONE;
		sqlite3_reset(st);
	}
	/* The head last: it records the size of what was written. */
	sqlite3_bind_blob(head, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	sqlite3_bind_int64(head, 2, (sqlite3_int64)pending->nr);
	sqlite3_bind_int64(head, 3, (sqlite3_int64)item_bytes);
	if (!rc)
		rc = sqlite3_step(head) != SQLITE_DONE;
	sqlite3_finalize(st);
	sqlite3_finalize(head);
	strbuf_release(&refs);
	strbuf_release(&item);
	/* Keep only the most recently used snapshots. */
	if (!rc)
		rc = cache_exec(c->db,
			  "DELETE FROM snapshots WHERE key NOT IN"
			  " (SELECT key FROM snapshots ORDER BY used DESC LIMIT "
			  STRINGIFY(SNAPSHOTS_KEPT) ");"
			  "DELETE FROM snapshot_commits WHERE key NOT IN (SELECT key FROM snapshots)");
	if (rc || cache_exec(c->db, "COMMIT")) {
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing a snapshot");
	}
	return 0;
}

/* ---- patch-ids and signature verifications ---- */
