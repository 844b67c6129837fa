/*
 * cache_int.h: what the files of the cache share and nothing else sees
 * (as curl's vtls_int.h does for its TLS backends): the cache itself,
 * its prepared statements, and the NUL-separated list blobs that hold
 * refs and principals.  Only src/store/ includes this header; everyone
 * else uses cache.h.
 */
#ifndef REVQ_CACHE_INT_H
#define REVQ_CACHE_INT_H

#include <sqlite3.h>

#include "base/pool.h"
#include "base/strbuf.h"
#include "base/strvec.h"
#include "store/cache.h"

struct cache {
	sqlite3 *db;      /* owned; NULL when the cache is off */
	char *path;       /* owned */
	char *fingerprint; /* owned: the rules items were computed with */
	sqlite3_stmt *get_item;   /* owned: prepared once, for the many item lookups */
	sqlite3_stmt *get_patch_id, *get_verification; /* owned: prepared on first use (one per
							 * item of a list with decisions), or NULL */
	sqlite3_stmt *get_fix_files;   /* owned: prepared on first use, or NULL */
};

/*
 * The table of outcomes.c, made when missing rather than by a migration:
 * it only ever holds what can be recomputed, so a file that lacks it
 * (any schema version) just gains it.  The table of an older layout
 * ("outcomes", keyed by the notes commit) is dropped; a binary that
 * still uses it makes it again, apart from this one.
 */
#define CACHE_OUTCOMES_TABLE \
	"CREATE TABLE IF NOT EXISTS outcome_sets(key BLOB PRIMARY KEY, used INTEGER NOT NULL," \
	"  valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL, context TEXT NOT NULL," \
	"  gpg INTEGER NOT NULL, entries INTEGER NOT NULL, body BLOB NOT NULL, notes BLOB NOT NULL)"

/* sqlite3_exec() of sql without callbacks: an SQLite result code. */
int cache_exec(sqlite3 *db, const char *sql);
/* A statement on the cache's connection (the caller finalizes it), or NULL when the cache is off. */
sqlite3_stmt *cache_prepare(struct cache *cache, const char *sql);
/* A statement kept in *slot, prepared on first use (reset it after each use); NULL when the cache is off. */
sqlite3_stmt *cache_kept_statement(struct cache *cache, sqlite3_stmt **slot, const char *sql);
/* A column as an owned string ("" when NULL) or an id (zero unless 20 bytes). */
char *cache_column_text(sqlite3_stmt *st, int col);
void cache_column_oid(git_oid *out, sqlite3_stmt *st, int col);
/* A list blob: each string followed by its NUL (the format of itemblob.h's lists). */
void cache_list_encode(struct strbuf *out, const struct strvec *sv);
/* Bytes cache_list_decode() takes from a pool for a blob of size bytes with n entries. */
size_t cache_list_footprint(size_t size, size_t n);
/*
 * Fills out (empty) from a list blob: borrowed from pool when one is
 * given (strvec.h), which must outlive out, else owned.
 */
void cache_list_decode(struct strvec *out, const void *data, int size, struct pool *pool);

#endif
