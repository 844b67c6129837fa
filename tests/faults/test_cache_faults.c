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
 */
static void assert_same_answer(struct fixture *f, const char *expect_warning, int persistent)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	for (int run = 0; run < 2; run++) {
		strbuf_reset(&out);
		strbuf_reset(&err);
		assert_int_equal(tl_revq(f->repo, &out, &err, "list --json --all"), 0);
		assert_string_equal(out.buf, f->baseline.buf);
		if (run == 0 && expect_warning) {
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
		cmocka_unit_test(test_cache_rebuild_command),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
