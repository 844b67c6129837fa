/*
 * viewed.c: the reviewer's "viewed" marks on files (cache.h): one row per
 * reviewer and file version, keyed by the exact blobs on both sides
 * (viewed_file_key() in show/viewed.h), so that a mark is gone as soon as
 * the file changes in a new version.  These marks are the reviewer's own
 * state, not something computed: cache_clear() keeps them, and the table
 * is created on first use rather than by a schema migration, so that it
 * never forces a rebuild of the computed rows.
 */
#include "config.h"

#include <string.h>

#include "base/error.h"
#include "store/cache_int.h"

static int ensure_table(struct cache *c)
{
	if (!c->db)
		return -1;
	if (cache_exec(c->db, "CREATE TABLE IF NOT EXISTS viewed(reviewer TEXT NOT NULL, file BLOB NOT NULL,"
		       " at INTEGER NOT NULL, PRIMARY KEY(reviewer, file)) WITHOUT ROWID")) {
		cache_recover(c, "creating the viewed marks");
		return -1;
	}
	return 0;
}

int cache_get_viewed(struct cache *c, const char *reviewer, const git_oid *file)
{
	sqlite3_stmt *st;
	int rc;

	if (ensure_table(c) || !(st = cache_prepare(c, "SELECT 1 FROM viewed WHERE reviewer = ? AND file = ?")))
		return 0;
	sqlite3_bind_text(st, 1, reviewer, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, file->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		cache_recover(c, "reading a viewed mark");
	return rc == SQLITE_ROW;
}

void cache_get_viewed_many(struct cache *c, const char *reviewer, const git_oid *files, size_t n,
			   unsigned char *marks)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	memset(marks, 0, n);
	if (!n || ensure_table(c) || !(st = cache_prepare(c, "SELECT 1 FROM viewed WHERE reviewer = ? AND file = ?")))
		return;
	sqlite3_bind_text(st, 1, reviewer, -1, SQLITE_STATIC);
	for (size_t i = 0; i < n && (rc == SQLITE_ROW || rc == SQLITE_DONE); i++) {
		sqlite3_bind_blob(st, 2, files[i].id, GIT_OID_RAWSZ, SQLITE_STATIC);
		rc = sqlite3_step(st);
		marks[i] = rc == SQLITE_ROW;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		cache_recover(c, "reading the viewed marks");
}

void cache_set_viewed(struct cache *c, const char *reviewer, const git_oid *file, int viewed, int64_t at)
{
	sqlite3_stmt *st;

	if (ensure_table(c) ||
	    !(st = cache_prepare(c, viewed ? "INSERT OR REPLACE INTO viewed VALUES(?, ?, ?)"
					   : "DELETE FROM viewed WHERE reviewer = ? AND file = ?")))
		return;
	sqlite3_bind_text(st, 1, reviewer, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, file->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	if (viewed)
		sqlite3_bind_int64(st, 3, at);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		cache_recover(c, "storing a viewed mark");
		return;
	}
	sqlite3_finalize(st);
}
