/*
 * test_carry_over.c: carry-over among many records, with real ssh keys:
 * the one record whose exact identity an item has carries over, and the
 * others do not, whether the records' own commits are still in the
 * repository (the cheap key, their paths, is read from them) or gone
 * (then every item's identity is computed, as before the index).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* The status verify gives commit in json. */
static char *status_of(const char *json, const char *commit)
{
	for (int64_t i = 0; i < tl_json_length(json, "$.commits"); i++) {
		char path[64], *id;

		snprintf(path, sizeof(path), "$.commits[%lld].commit", (long long)i);
		id = tl_json_text(json, path);
		if (!strcmp(id, commit)) {
			free(id);
			snprintf(path, sizeof(path), "$.commits[%lld].status", (long long)i);
			return tl_json_text(json, path);
		}
		free(id);
	}
	fail_msg("%s is not in:\n%s", commit, json);
	return NULL;
}

static void assert_status(const char *json, const char *commit, const char *expected)
{
	char *got = status_of(json, commit);

	if (strcmp(got, expected))
		fail_msg("%s is %s, expected %s:\n%s", commit, got, expected, json);
	free(got);
}

/* 1 when the cache holds the exact identity of commit: it was computed. */
static int identity_computed(struct fixture *f, const char *commit)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	int found;

	strbuf_addf(&path, "%s/.git/revq/cache.db", f->repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM exact_ids WHERE lower(hex(id)) = ?", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, commit, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&path);
	return found;
}

static void test_one_of_many_records_carries_over_and_the_others_do_not(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *old[4], *picked, *same_path, *new_path;

	tl_git(f->repo, "checkout -q -b ai/x");
	for (int i = 0; i < 4; i++) {
		char path[32], content[64];

		snprintf(path, sizeof(path), "src/f%d.c", i);
		snprintf(content, sizeof(content), "int f%d(void) { return %d; }\n", i, i);
		old[i] = tl_commit_file(f->repo, path, content, 3, "A change" TL_AI_TRAILER);
	}
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
			       "\"$REVQ_BIN\" approve main..ai/x >/dev/null"), 0);
	/* main moves on; ai/y takes one change as it was, and two that no record made. */
	free(tl_commit_file(f->repo, "README", "more\n", 2, "Unrelated"));
	tl_git(f->repo, "checkout -q -b ai/y");
	tl_git(f->repo, "cherry-pick %s >/dev/null", old[1]);
	picked = tl_git_out(f->repo, "rev-parse HEAD");
	/* The same path as an approved change, other content: the cheap key matches, the identity not. */
	same_path = tl_commit_file(f->repo, "src/f2.c", "int f2(void) { return 22; }\n", 1,
				   "Like f2" TL_AI_TRAILER);
	new_path = tl_commit_file(f->repo, "src/g.c", "int g;\n", 1, "Elsewhere" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	for (int round = 0; round < 2; round++) {
		tl_sh(f->repo, "rm -f \"$(\"$REVQ_BIN\" cache path)\"");
		strbuf_reset(&out);
		assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/y"), 1);
		assert_status(out.buf, picked, "approved");
		assert_status(out.buf, same_path, "pending");
		assert_status(out.buf, new_path, "pending");
		assert_contains(out.buf, "not enough approvals: 0 of 1");
		/* No record could be the copy of a change elsewhere: its identity was never computed. */
		assert_int_equal(identity_computed(f, new_path), round);
		assert_int_equal(identity_computed(f, same_path), 1);
		if (round)
			break;
		/* The control for the index: the batch itself still counts where it was made. */
		strbuf_reset(&out);
		assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"), 0);
		/* The approved commits gone: their paths unknown, every identity is computed. */
		tl_git(f->repo, "branch -q -D ai/x");
		tl_git(f->repo, "reflog expire --expire=now --all");
		tl_git(f->repo, "gc -q --prune=now");
		assert_int_not_equal(tl_sh(f->repo, "git cat-file -e %s 2>/dev/null", old[1]), 0);
	}
	/* The list agrees with verify. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json main..ai/y"), 0);
	assert_contains(out.buf, "approved");
	for (int i = 0; i < 4; i++)
		free(old[i]);
	free(picked);
	free(same_path);
	free(new_path);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_of_many_records_carries_over_and_the_others_do_not,
						setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
