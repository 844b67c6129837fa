/*
 * test_cache_faults.c: the cache is disposable.  A truncated file, random
 * bytes, a schema from the future, a deleted file or an unwritable cache
 * location never give a wrong answer: revq rebuilds or falls back, and
 * says so in one line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	struct strbuf baseline;   /* `revq list --json --all` from a clean cache */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	tl_git(f->repo, "checkout -q -b ai/one");
	free(tl_commit_file(f->repo, "infra/main.tf", "force_destroy = true\n", 2, "Infra" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q -b ai/two main");
	free(tl_commit_file(f->repo, "docs/a.md", "typo\n", 1, "Docs" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q -b human main");
	free(tl_commit_file(f->repo, "src/a.c", "int a;\n", 1, "Human\n"));
	tl_git(f->repo, "checkout -q main");
	strbuf_init(&f->baseline, 0);
	if (tl_revq(f->repo, &f->baseline, NULL, "list --json --all"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	strbuf_release(&f->baseline);
	free(f);
	return 0;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * Runs list twice: both answers equal the baseline, and the warning is one
 * line; a rebuilt cache is quiet the second time, a fallback warns again.
 * An expected warning of "" means none at all, either time.
 */
static void assert_same_answer(struct fixture *f, const char *expect_warning, int persistent)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	for (int run = 0; run < 2; run++) {
		strbuf_reset(&out);
		strbuf_reset(&err);
		assert_int_equal(tl_revq(f->repo, &out, &err, "list --json --all"), 0);
		assert_string_equal(out.buf, f->baseline.buf);
		if (expect_warning && !*expect_warning) {
			assert_string_equal(err.buf, "");
		} else if (run == 0 && expect_warning) {
			assert_contains(err.buf, expect_warning);
			assert_int_equal(count_lines(err.buf), 1);
		}
		if (run == 1 && expect_warning && !persistent)
			assert_string_equal(err.buf, "");   /* rebuilt once, quiet after */
		if (run == 1 && persistent)
			assert_int_equal(count_lines(err.buf), 1);
	}
	strbuf_release(&out);
	strbuf_release(&err);
}

static sqlite3 *open_cache(struct fixture *f)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db;

	strbuf_addf(&path, "%s/.git/revq/cache.db", f->repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	strbuf_release(&path);
	return db;
}

static void exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db = open_cache(f);
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int64_t query_int(struct fixture *f, const char *sql)
{
	sqlite3 *db = open_cache(f);
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_truncated_cache_is_rebuilt(void **state)
{
	struct fixture *f = *state;

	tl_sh(f->repo, "head -c 100 .git/revq/cache.db > t && mv t .git/revq/cache.db && rm -f .git/revq/cache.db-wal .git/revq/cache.db-shm");
	assert_same_answer(f, "corrupt", 0);
}

static void test_random_bytes_are_rebuilt(void **state)
{
	struct fixture *f = *state;

	tl_sh(f->repo, "head -c 65536 /dev/urandom > .git/revq/cache.db && rm -f .git/revq/cache.db-wal .git/revq/cache.db-shm");
	assert_same_answer(f, "corrupt", 0);
}

static void test_random_bytes_inside_a_valid_file(void **state)
{
	struct fixture *f = *state;

	/* Keep the header, damage the pages: found when a query reads them. */
	tl_sh(f->repo, "rm -f .git/revq/cache.db-wal .git/revq/cache.db-shm; "
		       "dd if=/dev/urandom of=.git/revq/cache.db bs=1 seek=200 count=6000 conv=notrunc 2>/dev/null");
	assert_same_answer(f, NULL, 0);
}

static void test_schema_from_the_future_is_left_alone(void **state)
{
	struct fixture *f = *state;
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db;

	strbuf_addf(&path, "%s/.git/revq/cache.db", f->repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_same_answer(f, "newer revq", 1);
	/* Not destroyed: the newer revq finds its cache as it left it. */
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 999);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	tl_sh(f->repo, "rm -rf .git/revq");
	strbuf_release(&path);
}

static void test_unwritable_cache_location_falls_back(void **state)
{
	struct fixture *f = *state;
	const char *xdg = tl_tmpdir();
	char *home = strdup(getenv("HOME"));
	struct strbuf out = STRBUF_INIT;

	/* Tests run as root, so permissions would not stop us: put a file where the directory goes. */
	tl_sh(f->repo, "rm -rf .git/revq && echo not-a-directory > .git/revq");
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_same_answer(f, "cannot use a cache", 1);
	tl_sh_output(xdg, &out, NULL, "ls revq");
	assert_contains(out.buf, ".db");
	/* With nowhere writable at all it still answers, from memory. */
	setenv("XDG_CACHE_HOME", "/proc/revq-nowhere", 1);
	setenv("HOME", "/proc/revq-nowhere", 1);
	assert_same_answer(f, "no writable cache location", 1);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", home, 1);
	free(home);
	tl_sh(f->repo, "rm -f .git/revq");
	strbuf_release(&out);
}

static void test_deleted_cache_is_rebuilt_silently(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	tl_sh(f->repo, "rm -rf .git/revq");
	assert_int_equal(tl_revq(f->repo, &out, &err, "list --json --all"), 0);
	assert_string_equal(out.buf, f->baseline.buf);
	assert_string_equal(err.buf, "");
	strbuf_release(&out);
	strbuf_release(&err);
}

/*
 * Item blobs that do not decode (a bug, a bit flip) are computed again and
 * written back, quietly: the rows are only a copy of what git has.
 */
static void test_damaged_item_blobs_are_recomputed(void **state)
{
	struct fixture *f = *state;

	exec_sql(f, "UPDATE commits SET item = x'01'; UPDATE snapshot_commits SET item = x'0000'");
	assert_same_answer(f, "", 0);
	assert_int_equal(query_int(f, "SELECT count(*) FROM snapshot_commits"
				      " WHERE substr(item, 1, 1) = x'02' AND length(item) > 70"),
			 query_int(f, "SELECT count(*) FROM snapshot_commits"));
	assert_int_equal(query_int(f, "SELECT count(*) FROM commits WHERE length(item) < 70"), 0);
}

/* A snapshot stored by a command that needs no items is completed by the next list. */
static void test_snapshot_without_items_is_completed(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	tl_sh(f->repo, "rm -rf .git/revq");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show ai/one"), 0);
	assert_true(query_int(f, "SELECT count(*) FROM snapshot_commits WHERE item IS NULL") > 0);
	assert_same_answer(f, "", 0);
	assert_int_equal(query_int(f, "SELECT count(*) FROM snapshot_commits WHERE item IS NULL"), 0);
	assert_int_equal(query_int(f, "SELECT rows FROM snapshots"),
			 query_int(f, "SELECT count(*) FROM snapshot_commits"));
	strbuf_release(&out);
}

/* A cache written by the previous schema (version 2) is migrated in place, quietly. */
static void test_version_2_cache_is_migrated(void **state)
{
	struct fixture *f = *state;

	tl_sh(f->repo, "rm -rf .git/revq && mkdir .git/revq");
	/* The schema as revq 0.1.0 wrote it: a copy on purpose, fixed while the migrations move on. */
	exec_sql(f,
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
		"  id BLOB NOT NULL, refs BLOB, PRIMARY KEY(key, seq)) WITHOUT ROWID;"
		"CREATE TABLE patch_ids(id BLOB PRIMARY KEY, patch_id BLOB NOT NULL) WITHOUT ROWID;"
		"CREATE TABLE verifications(record BLOB NOT NULL, context TEXT NOT NULL,"
		"  status INTEGER NOT NULL, signer TEXT, PRIMARY KEY(record, context)) WITHOUT ROWID;"
		"INSERT INTO commits VALUES(zeroblob(20), zeroblob(20), 'x', 'x', 0, 0, 'x', 'x', 0,"
		"  'stale', NULL, 1, 1, 1, 1, 99, NULL, NULL);"
		"INSERT INTO snapshots VALUES(zeroblob(20), 0);"
		"INSERT INTO snapshot_commits VALUES(zeroblob(20), 0, zeroblob(20), NULL);"
		"PRAGMA user_version = 2;");
	assert_same_answer(f, "", 0);
	assert_int_equal(query_int(f, "PRAGMA user_version"), 6);
	/* The risk's history keeps the files of fixes (store/fixfiles.c). */
	assert_int_equal(query_int(f, "SELECT count(*) FROM sqlite_master WHERE name = 'fix_files'"), 1);
	assert_int_equal(query_int(f, "SELECT count(*) FROM snapshots WHERE key = zeroblob(20)"), 0);
	/* Whitespace-insensitive patch-ids from before are gone: carry-over trusts exact ids only. */
	assert_int_equal(query_int(f, "SELECT count(*) FROM sqlite_master WHERE name = 'patch_ids'"), 0);
}

static void test_cache_rebuild_command(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, NULL, &err, "cache rebuild --all"), 0);
	assert_contains(err.buf, "rebuilt");
	assert_same_answer(f, NULL, 0);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_cache_is_rebuilt),
		cmocka_unit_test(test_random_bytes_are_rebuilt),
		cmocka_unit_test(test_random_bytes_inside_a_valid_file),
		cmocka_unit_test(test_schema_from_the_future_is_left_alone),
		cmocka_unit_test(test_unwritable_cache_location_falls_back),
		cmocka_unit_test(test_deleted_cache_is_rebuilt_silently),
		cmocka_unit_test(test_damaged_item_blobs_are_recomputed),
		cmocka_unit_test(test_snapshot_without_items_is_completed),
		cmocka_unit_test(test_version_2_cache_is_migrated),
		cmocka_unit_test(test_cache_rebuild_command),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
