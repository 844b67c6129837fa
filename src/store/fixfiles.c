/*
 * fixfiles.c: what the cache keeps for the risk's history
 * (queue/history.c): the files each fix commit touched, one row per
 * file, so that a list diffs each fix commit once, and a later list only
 * the fixes that arrived since.  A commit's files never change, so the
 * rows never go stale.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "store/cache_int.h"

int cache_get_fix_files(struct strvec *paths, struct cache *c, const git_oid *commit)
{
	sqlite3_stmt *st = cache_kept_statement(c, &c->get_fix_files,
						"SELECT path FROM fix_files WHERE id = ?");
	int rc, found = 0;

	if (!st)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(st, 1, commit->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);

		found = 1;
		if (path && *path)
			strvec_push(paths, path);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cache_recover(c, "reading the files of a fix");
		found = 0;
	}
	return found ? 0 : REVQ_ENOTFOUND;
}

/* One row; '' stands for a fix that touched no file. */
static int put_row(sqlite3_stmt *st, const git_oid *commit, const char *path)
{
	int rc;

	sqlite3_bind_blob(st, 1, commit->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

int cache_put_fix_files(struct cache *c, const git_oid *commits, const struct strvec *paths, size_t nr)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (!c->db || !nr)
		return 0;
	if (cache_exec(c->db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO fix_files VALUES(?,?)", -1, &st, NULL)) {
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing the files of fixes");
	}
	for (size_t i = 0; i < nr && !rc; i++) {
		rc = paths[i].nr ? 0 : put_row(st, &commits[i], "");
		for (size_t j = 0; j < paths[i].nr && !rc; j++)
			rc = put_row(st, &commits[i], paths[i].v[j]);
	}
	sqlite3_finalize(st);
	if (rc || cache_exec(c->db, "COMMIT")) {
		cache_exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing the files of fixes");
	}
	return 0;
}
