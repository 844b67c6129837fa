/*
 * cache.c: the cache's file and its life: where it lives and whether it
 * is private to us, the versioned schema and its migrations, WAL mode
 * and a busy timeout so that several revq processes share it, recovery
 * from corruption, and the helpers its tables share (cache_int.h).  The
 * tables themselves are read and written in snapshot.c (items and
 * snapshots), signatures.c (exact patch ids, verification results) and
 * fixfiles.c (the files of fix commits, for the risk's history).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "store/cache_int.h"

#define BUSY_TIMEOUT_MS 10000
#define OPEN_ATTEMPTS 10

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
	/*
	 * 5 -> 6: the risk's history (queue/history.c): the files each fix
	 * commit touched, one row per file ('' for a fix that touched none),
	 * so that a list diffs each fix once.
	 */
	"CREATE TABLE fix_files(id BLOB NOT NULL, path TEXT NOT NULL, PRIMARY KEY(id, path)) WITHOUT ROWID;",
	/*
	 * 6 -> 7: a snapshot is its walk (walkblob.h: the pending commits and
	 * the graph the walk met) and names a pack of item copies shared with
	 * the snapshots before it, instead of a copy of every item each: one
	 * new commit wrote ten thousand rows, and sixteen snapshots of a
	 * 10,000-item queue made the file 139 MB.  `used` counts up, indexed,
	 * so that keeping the newest sixteen reads sixteen rows.
	 */
	"DROP TABLE snapshot_commits; DROP TABLE snapshots;"
	"CREATE TABLE snapshots(key BLOB PRIMARY KEY, used INTEGER NOT NULL, pack INTEGER,"
	"  walk BLOB NOT NULL);"
	"CREATE INDEX snapshots_used ON snapshots(used);"
	"CREATE TABLE packs(id INTEGER PRIMARY KEY, rows INTEGER NOT NULL,"
	"  item_bytes INTEGER NOT NULL);"
	"CREATE TABLE pack_items(pack INTEGER NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL,"
	"  item BLOB NOT NULL, PRIMARY KEY(pack, seq)) WITHOUT ROWID;",
};

/* ---- small helpers ---- */

void cache_list_encode(struct strbuf *out, const struct strvec *sv)
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

/* What cache_list_decode() takes from a pool for a list blob of size bytes with n entries. */
size_t cache_list_footprint(size_t size, size_t n)
{
	return (n + 1) * sizeof(char *) + size + 1;
}

/*
 * Fills out (empty) with the entries of a list blob: borrowed from pool
 * when one is given (strvec.h), which must outlive out, else owned.  A
 * warm list reads ten thousand of these; two allocations each were a
 * tenth of its time.
 */
void cache_list_decode(struct strvec *out, const void *data, int size, struct pool *pool)
{
	const char *p = data, *end = p + (size > 0 ? size : 0);
	size_t n = list_entries(p, end), len = (size_t)(end - p);
	char *copy = NULL;

	if (!n)
		return;
	if (pool) {
		out->v = pool_alloc(pool, cache_list_footprint(len, n));
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

sqlite3_stmt *cache_kept_statement(struct cache *c, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot)
		*slot = cache_prepare(c, sql);
	return *slot;
}

char *cache_column_text(sqlite3_stmt *st, int col)
{
	const void *p = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	return xstrndup(p ? p : "", (size_t)n);
}

void cache_column_oid(git_oid *out, sqlite3_stmt *st, int col)
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

int cache_exec(sqlite3 *db, const char *sql)
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

	if ((rc = cache_exec(db, "BEGIN IMMEDIATE")))
		return rc;
	/* Someone else may have migrated while we waited for the lock. */
	if ((rc = user_version(db, &from)) || from >= CACHE_SCHEMA_VERSION)
		return cache_exec(db, rc ? "ROLLBACK" : "COMMIT"), rc;
	for (int v = from; v < CACHE_SCHEMA_VERSION && !rc; v++)
		rc = cache_exec(db, migrations[v]);
	strbuf_addf(&sql, "PRAGMA user_version = %d", CACHE_SCHEMA_VERSION);
	if (!rc)
		rc = cache_exec(db, sql.buf);
	strbuf_release(&sql);
	cache_exec(db, rc ? "ROLLBACK" : "COMMIT");
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
	cache_exec(c->db, "PRAGMA mmap_size = 268435456");
	/*
	 * Debian's SQLite zeroes what is deleted: every evicted snapshot
	 * would be written once more, a page at a time.  The file is private
	 * (check_private()) and holds nothing a repository does not.
	 */
	cache_exec(c->db, "PRAGMA secure_delete = OFF");
	if ((rc = user_version(c->db, &version)))
		return rc;
	if (version > CACHE_SCHEMA_VERSION) {
		*from_future = 1;
		return SQLITE_ERROR;
	}
	if (strcmp(path, ":memory:") &&
	    (rc = cache_exec(c->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")))
		return rc;
	if (version < CACHE_SCHEMA_VERSION && (rc = migrate(c->db, version)))
		return rc;
	if ((rc = cache_exec(c->db, "DROP TABLE IF EXISTS outcomes")))
		return rc;
	if ((rc = cache_exec(c->db, CACHE_OUTCOMES_TABLE)))
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
	sqlite3_finalize(c->get_patch_id);
	sqlite3_finalize(c->get_verification);
	sqlite3_finalize(c->get_fix_files);
	c->get_patch_id = c->get_verification = c->get_fix_files = NULL;
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

int cache_clear(struct cache *c)
{
	if (!c->db)
		return 0;
	if (cache_exec(c->db, "BEGIN IMMEDIATE; DELETE FROM commits; DELETE FROM pack_items;"
		 " DELETE FROM packs; DELETE FROM snapshots; DELETE FROM exact_ids;"
		 " DELETE FROM verifications; DELETE FROM fix_files; DELETE FROM outcome_sets; COMMIT")) {
		cache_exec(c->db, "ROLLBACK");
		return error_set(REVQ_ERROR, "cannot clear cache %s: %s", cache_path(c),
				 sqlite3_errmsg(c->db));
	}
	return 0;
}

sqlite3_stmt *cache_prepare(struct cache *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (c->db && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) {
		cache_recover(c, "preparing a query");
		return NULL;
	}
	return st;
}
