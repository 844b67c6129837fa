/*
 * cache.c: SQLite storage for computed queue items and snapshots of the
 * pending set.  WAL mode and a busy timeout let several revq processes
 * share one cache; a versioned schema with migrations lets it evolve.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/cache.h"
#include "base/error.h"
#include "base/fs.h"
#include "store/itemblob.h"
#include "base/strbuf.h"

#define BUSY_TIMEOUT_MS 10000
#define OPEN_ATTEMPTS 10
#define SNAPSHOTS_KEPT 16
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

struct cache {
	sqlite3 *db;      /* NULL when the cache is off */
	char *path;       /* owned */
	char *fingerprint;
	sqlite3_stmt *get_item;
};

/* Each entry moves the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE commits("
	"  id BLOB PRIMARY KEY, tree BLOB NOT NULL,"
	"  author_name TEXT, author_email TEXT, author_time INTEGER, author_offset INTEGER,"
	"  committer_name TEXT, committer_email TEXT, commit_time INTEGER,"
	"  subject TEXT, markers BLOB, analyzed INTEGER NOT NULL,"
	"  files INTEGER, added INTEGER, deleted INTEGER, risk INTEGER,"
	"  reasons BLOB, paths BLOB) WITHOUT ROWID;"
	"CREATE TABLE snapshots(key BLOB PRIMARY KEY, used INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE snapshot_commits(key BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  id BLOB NOT NULL, refs BLOB, PRIMARY KEY(key, seq)) WITHOUT ROWID;",
	/* 1 -> 2: signed decisions */
	"CREATE TABLE patch_ids(id BLOB PRIMARY KEY, patch_id BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE verifications(record BLOB NOT NULL, context TEXT NOT NULL,"
	"  status INTEGER NOT NULL, signer TEXT, PRIMARY KEY(record, context)) WITHOUT ROWID;",
	/*
	 * 2 -> 3: an item is one blob (itemblob.h), and each snapshot row
	 * carries a copy of its item, so that a warm list reads one range of
	 * one table instead of joining ten thousand lookups; a snapshot knows
	 * its size, so that reading it needs no count and one pool.
	 */
	"DROP TABLE commits; DROP TABLE snapshot_commits; DROP TABLE snapshots;"
	"CREATE TABLE commits(id BLOB PRIMARY KEY, item BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE snapshots(key BLOB PRIMARY KEY, used INTEGER NOT NULL,"
	"  rows INTEGER NOT NULL, item_bytes INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE snapshot_commits(key BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  id BLOB NOT NULL, refs BLOB, item BLOB, PRIMARY KEY(key, seq)) WITHOUT ROWID;",
	/*
	 * 3 -> 4: carry-over trusts an exact patch identity (analyze.h); the
	 * whitespace-insensitive ids cached before must never be read again.
	 */
	"DROP TABLE patch_ids;"
	"CREATE TABLE exact_ids(id BLOB PRIMARY KEY, exact_id BLOB NOT NULL) WITHOUT ROWID;",
	/*
	 * 4 -> 5: a verification names the signing key and all its
	 * principals, and keeps the key's validity window, re-checked
	 * against the clock on every read (sign.h); results cached without
	 * them must never be read again.
	 */
	"DROP TABLE verifications;"
	"CREATE TABLE verifications(record BLOB NOT NULL, context TEXT NOT NULL,"
	"  status INTEGER NOT NULL, signer TEXT, key TEXT, principals BLOB,"
	"  valid_after INTEGER NOT NULL, valid_before INTEGER NOT NULL,"
	"  PRIMARY KEY(record, context)) WITHOUT ROWID;",
};

/* ---- small helpers ---- */

static void blob_from_strvec(struct strbuf *out, const struct strvec *sv)
{
	strbuf_reset(out);
	for (size_t i = 0; i < sv->nr; i++)
		strbuf_add(out, sv->v[i], strlen(sv->v[i]) + 1);
}

/* The entries of a list blob: NUL-separated strings, the last NUL optional. */
static size_t list_entries(const char *p, const char *end)
{
	size_t n = 0;

	for (const char *q = p; q < end; q++)
		n += *q == '\0';
	return n + (p < end && end[-1] != '\0');
}

/* What list_from_blob() takes from a pool for a list blob of size bytes with n entries. */
static size_t list_footprint(size_t size, size_t n)
{
	return (n + 1) * sizeof(char *) + size + 1;
}

/*
 * Fills out (empty) with the entries of a list blob: borrowed from pool
 * when one is given (strvec.h), which must outlive out, else owned.  A
 * warm list reads ten thousand of these; two allocations each were a
 * tenth of its time.
 */
static void list_from_blob(struct strvec *out, const void *data, int size, struct pool *pool)
{
	const char *p = data, *end = p + (size > 0 ? size : 0);
	size_t n = list_entries(p, end), len = (size_t)(end - p);
	char *copy = NULL;

	if (!n)
		return;
	if (pool) {
		out->v = pool_alloc(pool, list_footprint(len, n));
		copy = (char *)(out->v + n + 1);
		memcpy(copy, p, len);   /* the pool's memory is zeroed: the last entry ends in a NUL */
		out->alloc = 0;
	} else {
		/* Sized exactly: growing from empty reserves 16 slots. */
		out->v = xmalloc((n + 1) * sizeof(*out->v));
		out->alloc = n + 1;
	}
	for (const char *q = p; q < end;) {
		const char *nul = memchr(q, '\0', (size_t)(end - q));
		size_t l = nul ? (size_t)(nul - q) : (size_t)(end - q);

		out->v[out->nr++] = copy ? copy + (q - p) : xstrndup(q, l);
		q += l + 1;
	}
	out->v[n] = NULL;
}

static char *column_text(sqlite3_stmt *st, int col)
{
	const void *p = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	return xstrndup(p ? p : "", (size_t)n);
}

static void column_oid(git_oid *out, sqlite3_stmt *st, int col)
{
	const void *p = sqlite3_column_blob(st, col);

	if (p && sqlite3_column_bytes(st, col) == GIT_OID_RAWSZ)
		git_oid_fromraw(out, p);
	else
		memset(out, 0, sizeof(*out));
}

static int is_corruption(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* ---- opening ---- */

static int user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	*version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int migrate(sqlite3 *db, int from)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;

	if ((rc = exec(db, "BEGIN IMMEDIATE")))
		return rc;
	/* Someone else may have migrated while we waited for the lock. */
	if ((rc = user_version(db, &from)) || from >= CACHE_SCHEMA_VERSION)
		return exec(db, rc ? "ROLLBACK" : "COMMIT"), rc;
	for (int v = from; v < CACHE_SCHEMA_VERSION && !rc; v++)
		rc = exec(db, migrations[v]);
	strbuf_addf(&sql, "PRAGMA user_version = %d", CACHE_SCHEMA_VERSION);
	if (!rc)
		rc = exec(db, sql.buf);
	strbuf_release(&sql);
	exec(db, rc ? "ROLLBACK" : "COMMIT");
	return rc;
}

static int check_fingerprint(struct cache *c)
{
	sqlite3_stmt *st;
	int same = 0, rc;

	rc = sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = 'fingerprint'",
				-1, &st, NULL);
	if (rc)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(st, 0), c->fingerprint);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (same)
		return SQLITE_OK;
	if ((rc = cache_clear(c)))
		return SQLITE_ERROR;
	if ((rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO meta VALUES('fingerprint', ?)",
				     -1, &st, NULL)))
		return rc;
	sqlite3_bind_text(st, 1, c->fingerprint, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Opens and prepares the database at path; returns an SQLite code. */
static int open_db(struct cache *c, const char *path, int *from_future)
{
	int rc, version = 0;

	*from_future = 0;
	rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc)
		return rc;
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* The warm path reads a whole snapshot: map the file rather than copy it in. */
	exec(c->db, "PRAGMA mmap_size = 268435456");
	if ((rc = user_version(c->db, &version)))
		return rc;
	if (version > CACHE_SCHEMA_VERSION) {
		*from_future = 1;
		return SQLITE_ERROR;
	}
	if (strcmp(path, ":memory:") &&
	    (rc = exec(c->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")))
		return rc;
	if (version < CACHE_SCHEMA_VERSION && (rc = migrate(c->db, version)))
		return rc;
	if ((rc = check_fingerprint(c)))
		return rc;
	return sqlite3_prepare_v2(c->db, "SELECT item FROM commits WHERE id = ?", -1,
				  &c->get_item, NULL);
}

static void close_db(struct cache *c)
{
	sqlite3_finalize(c->get_item);
	c->get_item = NULL;
	sqlite3_close(c->db);
	c->db = NULL;
}

static void remove_db_files(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < 4; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%s", path, suffixes[i]);
		unlink(sb.buf);
	}
	strbuf_release(&sb);
}

/* $XDG_CACHE_HOME/revq/<hash of the git dir>.db */
static char *fallback_path(const char *commondir)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct strbuf dir = STRBUF_INIT;
	char hex[17];
	git_oid hash;

	if (xdg && *xdg == '/')
		strbuf_addf(&dir, "%s/revq", xdg);
	else if (home && *home)
		strbuf_addf(&dir, "%s/.cache/revq", home);
	else
		return NULL;
	if (fs_mkdir_p(dir.buf, 0700)) {
		strbuf_release(&dir);
		return NULL;
	}
	git_odb_hash(&hash, commondir, strlen(commondir), GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &hash);
	strbuf_addf(&dir, "/%s.db", hex);
	return strbuf_detach(&dir, NULL);
}

/*
 * Opens path, waiting out another process that is creating, migrating or
 * checkpointing the same file: SQLite reports some of those moments as
 * SQLITE_BUSY without calling the busy handler.
 */
static int open_db_patiently(struct cache *c, const char *path, int *from_future)
{
	int rc = SQLITE_BUSY;

	for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
		if (attempt) {
			close_db(c);
			usleep(20000u * (unsigned)attempt);
		}
		rc = open_db(c, path, from_future);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
	}
	return rc;
}

/*
 * The cache holds verification results that `revq verify` trusts, so
 * nobody else may be able to write it: a directory or file (when it
 * exists) owned by another user, or writable by group or world, is not
 * used.  Returns 0 when path is private to us.
 */
static int check_private(const char *path, struct strbuf *why)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : (strbuf_addf(why, "cannot use a cache in %s (%s)", path,
							  strerror(errno)), -1);
	if (st.st_uid != geteuid() || (st.st_mode & 022) || S_ISLNK(st.st_mode)) {
		strbuf_addf(why, "not using the cache %s: it is %s", path,
			    st.st_uid != geteuid() ? "owned by another user"
			    : S_ISLNK(st.st_mode) ? "a symbolic link" : "writable by group or others");
		return -1;
	}
	return 0;
}

/* check_private() for the directory of path and for path itself. */
static int check_location(const char *path, struct strbuf *why)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc;

	if (slash)
		*slash = '\0';
	rc = (slash && check_private(dir, why)) || check_private(path, why) ? -1 : 0;
	free(dir);
	return rc;
}

/*
 * Tries path; a corrupt file is removed and created afresh.  On failure
 * *why says why, for the one warning line the caller prints.
 */
static int try_open(struct cache *c, const char *path, struct strbuf *why)
{
	int from_future, rc;

	if (check_location(path, why))
		return -1;
	rc = open_db_patiently(c, path, &from_future);

	if (!rc) {
		c->path = xstrdup(path);
		return 0;
	}
	close_db(c);
	if (from_future) {
		strbuf_addf(why, "cache %s was written by a newer revq", path);
		return -1;
	}
	if (!is_corruption(rc)) {
		strbuf_addf(why, "cannot use a cache in %s (%s)", path, sqlite3_errstr(rc));
		return -1;
	}
	remove_db_files(path);
	if (open_db_patiently(c, path, &from_future)) {
		close_db(c);
		strbuf_addf(why, "cache %s is corrupt and cannot be rebuilt", path);
		return -1;
	}
	error_warn("cache %s was corrupt (%s); rebuilt it", path, sqlite3_errstr(rc));
	c->path = xstrdup(path);
	return 0;
}

int cache_open(struct cache **out, const char *commondir, const char *fingerprint)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	struct strbuf dir = STRBUF_INIT, why = STRBUF_INIT;
	char *fallback = NULL;
	int from_future;

	c->fingerprint = xstrdup(fingerprint);
	strbuf_addf(&dir, "%s%srevq", commondir,
		    commondir[strlen(commondir) - 1] == '/' ? "" : "/");
	if (!fs_mkdir_p(dir.buf, 0700) && !access(dir.buf, W_OK)) {
		strbuf_addstr(&dir, "/cache.db");
		if (!try_open(c, dir.buf, &why))
			goto done;
	} else {
		strbuf_addf(&why, "cannot use a cache in %s", dir.buf);
	}
	fallback = fallback_path(commondir);
	if (fallback && !try_open(c, fallback, &why)) {
		error_warn("%s; using %s", why.buf, fallback);
		goto done;
	}
	if (open_db(c, ":memory:", &from_future)) {
		close_db(c);
		cache_free(c);
		strbuf_release(&dir);
		strbuf_release(&why);
		free(fallback);
		return error_set(REVQ_ERROR, "cannot open even an in-memory cache");
	}
	error_warn("%s; no writable cache location, so results will not be kept", why.buf);
	c->path = xstrdup(":memory:");
done:
	strbuf_release(&dir);
	strbuf_release(&why);
	free(fallback);
	*out = c;
	return 0;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	close_db(c);
	free(c->path);
	free(c->fingerprint);
	free(c);
}

const char *cache_path(const struct cache *c)
{
	return c->path ? c->path : ":memory:";
}

sqlite3 *cache_db(struct cache *c)
{
	return c->db;
}

int cache_recover(struct cache *c, const char *what)
{
	int rc = c->db ? sqlite3_errcode(c->db) : SQLITE_OK;
	int from_future;
	char *path;

	if (!c->db)
		return 0;
	if (is_corruption(rc) && strcmp(cache_path(c), ":memory:")) {
		path = xstrdup(c->path);
		close_db(c);
		remove_db_files(path);
		if (!open_db(c, path, &from_future)) {
			error_warn("cache %s was corrupt while %s; rebuilt it", path, what);
			free(path);
			return 0;
		}
		close_db(c);
		free(path);
	}
	error_warn("cache failed while %s (%s); carrying on without it", what,
		   c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	close_db(c);
	return 0;
}

/* ---- items ---- */

/*
 * The item whose blob is in column col (allocated from pool, or with
 * malloc() when pool is NULL), or NULL when there is none or it is damaged.
 */
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
		exec(c->db, "BEGIN");
}

void cache_read_end(struct cache *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		exec(c->db, "COMMIT");
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
	if (exec(c->db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO commits VALUES(?,?)", -1, &st, NULL)) {
		exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing items");
	}
	for (size_t i = 0; i < nr && !rc; i++)
		rc = put_item(st, items[i], &scratch);
	sqlite3_finalize(st);
	strbuf_release(&scratch);
	if (rc || exec(c->db, "COMMIT")) {
		rc = sqlite3_errcode(c->db);
		exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing items");
	}
	return 0;
}

int cache_clear(struct cache *c)
{
	if (!c->db)
		return 0;
	if (exec(c->db, "BEGIN IMMEDIATE; DELETE FROM commits; DELETE FROM snapshot_commits;"
		 " DELETE FROM snapshots; DELETE FROM exact_ids; DELETE FROM verifications; COMMIT")) {
		exec(c->db, "ROLLBACK");
		return error_set(REVQ_ERROR, "cannot clear cache %s: %s", cache_path(c),
				 sqlite3_errmsg(c->db));
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

		column_oid(&pc->id, st, 0);
		list_from_blob(&pc->refs, sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1), pool);
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
	if (exec(c->db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO snapshots"
			       " VALUES(?, strftime('%s','now'), ?, ?)", -1, &head, NULL) ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO snapshot_commits VALUES(?,?,?,?,?)",
			       -1, &st, NULL)) {
		sqlite3_finalize(head);
		exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing a snapshot");
	}
	rc = drop_snapshot_rows(c, key);
	for (size_t i = 0; i < pending->nr && !rc; i++) {
		blob_from_strvec(&refs, &pending->commits[i].refs);
		sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_blob(st, 3, pending->commits[i].id.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, refs.buf, (int)refs.len, SQLITE_STATIC);
		strbuf_reset(&item);
		if (refs.len)
			item_bytes += list_footprint(refs.len, pending->commits[i].refs.nr);
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
		rc = exec(c->db,
			  "DELETE FROM snapshots WHERE key NOT IN"
			  " (SELECT key FROM snapshots ORDER BY used DESC LIMIT "
			  STRINGIFY(SNAPSHOTS_KEPT) ");"
			  "DELETE FROM snapshot_commits WHERE key NOT IN (SELECT key FROM snapshots)");
	if (rc || exec(c->db, "COMMIT")) {
		exec(c->db, "ROLLBACK");
		return cache_recover(c, "storing a snapshot");
	}
	return 0;
}

/* ---- patch-ids and signature verifications ---- */

static sqlite3_stmt *prepare(struct cache *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (c->db && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) {
		cache_recover(c, "preparing a query");
		return NULL;
	}
	return st;
}

int cache_get_patch_id(git_oid *out, struct cache *c, const git_oid *commit)
{
	sqlite3_stmt *st = prepare(c, "SELECT exact_id FROM exact_ids WHERE id = ?");
	int rc;

	if (!st)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(st, 1, commit->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		column_oid(out, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		cache_recover(c, "reading a patch-id");
	return rc == SQLITE_ROW && !git_oid_is_zero(out) ? 0 : REVQ_ENOTFOUND;
}

void cache_put_patch_id(struct cache *c, const git_oid *commit, const git_oid *patch_id)
{
	sqlite3_stmt *st = prepare(c, "INSERT OR REPLACE INTO exact_ids VALUES(?, ?)");

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
	sqlite3_stmt *st = prepare(c, "SELECT status, signer, key, principals, valid_after, valid_before"
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
			id->signer = column_text(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			id->key = column_text(st, 2);
		list_from_blob(&id->principals, sqlite3_column_blob(st, 3), sqlite3_column_bytes(st, 3), NULL);
		id->valid_after = sqlite3_column_int64(st, 4);
		id->valid_before = sqlite3_column_int64(st, 5);
		id->cacheable = 1;
		id->timeless = *status;
	}
	sqlite3_finalize(st);
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
	if (!(st = prepare(c, "INSERT OR REPLACE INTO verifications VALUES(?, ?, ?, ?, ?, ?, ?, ?)")))
		return;
	blob_from_strvec(&principals, &id->principals);
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
