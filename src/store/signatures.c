/*
 * signatures.c: what the cache keeps for the gate: each commit's exact
 * patch identity (analyze.h) and each record's verification result with
 * its key, principals and validity window (sign.h), re-checked against
 * the clock by the caller on every read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "store/cache_int.h"

int cache_get_patch_id(git_oid *out, struct cache *c, const git_oid *commit)
{
	sqlite3_stmt *st = cache_kept_statement(c, &c->get_patch_id, "SELECT exact_id FROM exact_ids WHERE id = ?");
	int rc;

	if (!st)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(st, 1, commit->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cache_column_oid(out, st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		cache_recover(c, "reading a patch-id");
	return rc == SQLITE_ROW && !git_oid_is_zero(out) ? 0 : REVQ_ENOTFOUND;
}

void cache_put_patch_id(struct cache *c, const git_oid *commit, const git_oid *patch_id)
{
	sqlite3_stmt *st = cache_prepare(c, "INSERT OR REPLACE INTO exact_ids VALUES(?, ?)");

	if (!st)
		return;
	sqlite3_bind_blob(st, 1, commit->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, patch_id->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		cache_recover(c, "storing a patch-id");
		return;
	}
	sqlite3_finalize(st);
}

int cache_get_verification(int *status, struct sig_identity *id, struct cache *c, const git_oid *record,
			   const char *context)
{
	sqlite3_stmt *st = cache_kept_statement(c, &c->get_verification,
					  "SELECT status, signer, key, principals, valid_after, valid_before"
					  " FROM verifications WHERE record = ? AND context = ?");
	int rc;

	memset(id, 0, sizeof(*id));
	if (!st)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(st, 1, record->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, context, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*status = sqlite3_column_int(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			id->signer = cache_column_text(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			id->key = cache_column_text(st, 2);
		cache_list_decode(&id->principals, sqlite3_column_blob(st, 3), sqlite3_column_bytes(st, 3), NULL);
		id->valid_after = sqlite3_column_int64(st, 4);
		id->valid_before = sqlite3_column_int64(st, 5);
		id->cacheable = 1;
		id->timeless = *status;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		cache_recover(c, "reading a verification");
	return rc == SQLITE_ROW ? 0 : REVQ_ENOTFOUND;
}

void cache_put_verification(struct cache *c, const git_oid *record, const char *context,
			    int status, const struct sig_identity *id)
{
	sqlite3_stmt *st;
	struct strbuf principals = STRBUF_INIT;

	if (!id->cacheable)
		return;   /* time bounds revq cannot keep: verify again next time */
	if (!(st = cache_prepare(c, "INSERT OR REPLACE INTO verifications VALUES(?, ?, ?, ?, ?, ?, ?, ?)")))
		return;
	cache_list_encode(&principals, &id->principals);
	sqlite3_bind_blob(st, 1, record->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, context, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, status);
	if (id->signer)
		sqlite3_bind_text(st, 4, id->signer, -1, SQLITE_STATIC);
	if (id->key)
		sqlite3_bind_text(st, 5, id->key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, principals.buf, (int)principals.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, id->valid_after);
	sqlite3_bind_int64(st, 8, id->valid_before);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		strbuf_release(&principals);
		cache_recover(c, "storing a verification");
		return;
	}
	sqlite3_finalize(st);
	strbuf_release(&principals);
}
