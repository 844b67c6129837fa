/*
 * test_kill9.c: revq killed with SIGKILL in the middle of approving a
 * batch of commits, again and again.  Afterwards every record is whole
 * or absent, git fsck is clean, the cache is intact, and verify gives the
 * same answer as a clean run given the surviving records.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testlib.h"

#define COMMITS 30
#define ROUNDS 25

static const char *make_repo(char ids[COMMITS][64])
{
	const char *repo = tl_repo_new();

	tl_git(repo, "checkout -q -b ai/batch");
	for (int i = 0; i < COMMITS; i++) {
		char path[32], *id;

		snprintf(path, sizeof(path), "f%d.txt", i);
		id = tl_commit_file(repo, path, "x\n", 1, "Change" TL_AI_TRAILER);
		snprintf(ids[i], 64, "%s", id);
		free(id);
	}
	tl_git(repo, "checkout -q main");
	return repo;
}

static int cache_is_intact(const char *repo)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	strbuf_addf(&path, "%s/.git/revq/cache.db", repo);
	if (!sqlite3_open_v2(path.buf, &db, SQLITE_OPEN_READONLY, NULL) &&
	    !sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&path);
	return ok;
}

/* Starts `revq approve` on every commit, one process after the other, and kills the lot. */
static void approve_and_kill(const char *repo, char ids[COMMITS][64], int round, unsigned delay_us)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		struct strbuf cmd = STRBUF_INIT;

		setpgid(0, 0);
		strbuf_addf(&cmd, "cd '%s' && for c in", repo);
		for (int i = 0; i < COMMITS; i++)
			strbuf_addf(&cmd, " %s", ids[i]);
		strbuf_addf(&cmd, "; do \"$REVQ_BIN\" approve --no-sign -m round%d $c >/dev/null 2>&1; done",
			    round);
		execl("/bin/sh", "sh", "-c", cmd.buf, (char *)NULL);
		_exit(127);
	}
	usleep(delay_us);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_sigkill_during_approvals_leaves_everything_consistent(void **state)
{
	char ids[COMMITS][64];
	const char *repo = make_repo(ids);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, clean = STRBUF_INIT;
	unsigned seed = 12345;

	(void)state;
	setenv("GIT_COMMITTER_EMAIL", "reviewer@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Reviewer", 1);
	for (int round = 0; round < ROUNDS; round++)
		approve_and_kill(repo, ids, round, 20000 + (unsigned)(rand_r(&seed) % 200000));
	/* git agrees the repository is sound, with nothing half-written. */
	assert_int_equal(tl_sh_output(repo, &out, &err, "git fsck --strict 2>&1"), 0);
	assert_not_contains(out.buf, "error");
	assert_not_contains(out.buf, "broken");
	/* Every line of every note is a whole record. */
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(repo, &out, NULL,
				      "git notes --ref=revq list | while read n c; do git cat-file -p $n; done"), 0);
	for (char *line = out.buf; *line; ) {
		char *eol = strchrnul(line, '\n');

		if (eol > line && strncmp(line, "revq1 approve reviewer=\"Reviewer <reviewer@example.com>\"", 56))
			fail_msg("a broken record line: %.*s", (int)(eol - line), line);
		if (eol > line && !strstr(line, " sig=none:"))
			fail_msg("a record line cut short: %.*s", (int)(eol - line), line);
		line = *eol ? eol + 1 : eol;
	}
	/* The cache is intact. */
	assert_true(cache_is_intact(repo));
	/* verify over what survived equals verify over a fresh clone of it. */
	strbuf_reset(&out);
	tl_revq(repo, &out, NULL, "verify --json --target main main..ai/batch");
	tl_sh(repo, "rm -rf ../clean && git clone -q . ../clean && cd ../clean && "
		    "git fetch -q origin refs/notes/revq:refs/notes/revq && git branch -q ai/batch origin/ai/batch");
	{
		struct strbuf dir = STRBUF_INIT;

		strbuf_addf(&dir, "%s/../clean", repo);
		tl_revq(dir.buf, &clean, NULL, "verify --json --target main main..ai/batch");
		strbuf_release(&dir);
	}
	assert_true(tl_json_valid(out.buf));
	assert_string_equal(out.buf, clean.buf);
	/*
	 * A kill between locking the notes ref and renaming the lock leaves
	 * refs/notes/revq.lock, which (as git does) revq never removes: the
	 * next approval then names the lock.  Once it is gone, approvals land.
	 */
	if (!tl_sh(repo, "test -e .git/refs/notes/revq.lock")) {
		assert_int_equal(tl_revq(repo, NULL, &err, "approve --no-sign -m after %s", ids[0]), 3);
		assert_contains(err.buf, "refs/notes/revq is locked by");
		assert_contains(err.buf, "remove it");
		tl_sh(repo, "rm .git/refs/notes/revq.lock");
		strbuf_reset(&err);
	}
	if (tl_revq(repo, NULL, &err, "approve --no-sign -m after %s", ids[0]))
		fail_msg("the approval after the kills failed: %s", err.buf);
	tl_sh(repo, "rm -rf ../clean");
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&clean);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_during_approvals_leaves_everything_consistent),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
