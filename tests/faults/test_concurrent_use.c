/*
 * test_concurrent_use.c: two consoles and a batch approver on one
 * repository at the same time.  No record is lost and nobody sees
 * "database is locked" or a ref conflict.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tmux.h"

#define CONSOLE_COMMITS 20
#define BATCH_COMMITS 20
#define PRESSES 8

static void setup_signing(const char *repo, const char *keys)
{
	struct strbuf line = STRBUF_INIT, pub = STRBUF_INIT;

	tl_sh(keys, "ssh-keygen -q -t ed25519 -N '' -C test -f key");
	tl_sh_output(keys, &pub, NULL, "cut -d' ' -f1,2 key.pub");
	strbuf_trim_trailing_newline(&pub);
	strbuf_addf(&line, "alice@example.com,bob@example.com,carol@example.com namespaces=\"revq\" %s\n",
		    pub.buf);
	tl_write(keys, "allowed", line.buf);
	tl_git(repo, "config gpg.format ssh");
	tl_git(repo, "config user.signingkey %s/key", keys);
	tl_git(repo, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	/* Each a approves one commit: the branches are not series here. */
	tl_git(repo, "config revq.reviewUnit commit");
	strbuf_release(&pub);
	strbuf_release(&line);
}

static int records_by(const char *repo, const char *email)
{
	struct strbuf out = STRBUF_INIT;
	int n;

	tl_sh_output(repo, &out, NULL, "git notes --ref=revq list | while read n c; do git cat-file -p $n; done "
		     "| grep -c 'reviewer=\"[^\"]* <%s>\"' || true", email);
	n = atoi(out.buf);
	strbuf_release(&out);
	return n;
}

static void test_two_consoles_and_a_batch_approver(void **state)
{
	const char *repo = tl_repo_new(), *keys = tl_tmpdir();
	struct tmux alice, bob;
	struct strbuf batch = STRBUF_INIT, err = STRBUF_INIT;
	char *screen;

	(void)state;
	setup_signing(repo, keys);
	tl_git(repo, "checkout -q -b ai/console");
	for (int i = 0; i < CONSOLE_COMMITS; i++) {
		char path[32];

		snprintf(path, sizeof(path), "c%d.txt", i);
		free(tl_commit_file(repo, path, "c\n", 10, "Console item" TL_AI_TRAILER));
	}
	tl_git(repo, "checkout -q -b ai/batch main");
	strbuf_addstr(&batch, "for c in");
	for (int i = 0; i < BATCH_COMMITS; i++) {
		char path[32], *id;

		snprintf(path, sizeof(path), "b%d.txt", i);
		id = tl_commit_file(repo, path, "b\n", 0, "Batch item" TL_AI_TRAILER);
		strbuf_addf(&batch, " %s", id);
		free(id);
	}
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, NULL, NULL, "list"), 0);   /* warm the cache */
	tmux_start(&alice, repo, 120, 40, "env GIT_COMMITTER_EMAIL=alice@example.com GIT_COMMITTER_NAME=Alice "
		   "\\\"$REVQ_BIN\\\"");
	tmux_start(&bob, repo, 120, 40, "env GIT_COMMITTER_EMAIL=bob@example.com GIT_COMMITTER_NAME=Bob "
		   "\\\"$REVQ_BIN\\\"");
	assert_true(tmux_wait_for(&alice, "to review", 10000));
	assert_true(tmux_wait_for(&bob, "to review", 10000));
	strbuf_addstr(&batch, "; do GIT_COMMITTER_EMAIL=carol@example.com GIT_COMMITTER_NAME=Carol "
		      "\"$REVQ_BIN\" approve -m batch $c || echo FAILED $c >&2; done");
	/* The batch runs in the background while both consoles press a. */
	tl_sh(repo, "(%s) 2> batch.err &", batch.buf);
	for (int i = 0; i < PRESSES; i++) {
		tmux_keys(&alice, "a");
		tmux_keys(&bob, "a");
		usleep(100000);
	}
	for (int waited = 0; waited < 600; waited++) {
		if (records_by(repo, "alice@example.com") >= PRESSES &&
		    records_by(repo, "bob@example.com") >= PRESSES &&
		    records_by(repo, "carol@example.com") >= BATCH_COMMITS)
			break;
		usleep(100000);
	}
	assert_int_equal(records_by(repo, "alice@example.com"), PRESSES);
	assert_int_equal(records_by(repo, "bob@example.com"), PRESSES);
	assert_int_equal(records_by(repo, "carol@example.com"), BATCH_COMMITS);
	tl_sh_output(repo, &err, NULL, "sleep 1; cat batch.err");
	assert_string_equal(err.buf, "");
	screen = tmux_screen(&alice);
	assert_not_contains(screen, "locked");
	assert_not_contains(screen, "kept changing");
	assert_not_contains(screen, " not approved");
	free(screen);
	screen = tmux_screen(&bob);
	assert_not_contains(screen, "locked");
	assert_not_contains(screen, " not approved");
	free(screen);
	tmux_stop(&alice);
	tmux_stop(&bob);
	assert_int_equal(tl_sh(repo, "git fsck --strict >/dev/null 2>&1"), 0);
	strbuf_release(&batch);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_consoles_and_a_batch_approver),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
