/*
 * test_sync_many.c: sync at team scale.  Twenty reviewers, each with a
 * real ssh key in their own clone, approve different items and run
 * `revq sync` at the same moment against one bare server that runs the
 * pre-receive gate (notes append-only, protected branches verified).
 * Afterwards every decision is on the server exactly once, nothing was
 * forced or lost, and `revq verify` passes for each approved commit and
 * fails for the ones nobody approved.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define REVIEWERS 20
#define UNAPPROVED 2

static const char *top, *keys, *dev;
static char *ids[REVIEWERS + UNAPPROVED];

/* A policy naming every reviewer as a mid: one approval by any of them suffices. */
static void write_policy(void)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addstr(&p, "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
			  "[tier \"ai\"]\n\tminRisk = 0\n\trequire = 1 mid\n");
	for (int i = 0; i < REVIEWERS; i++)
		strbuf_addf(&p, "[person \"r%02d\"]\n\temail = r%02d@example.com\n\tlevel = mid\n", i, i);
	tl_write(dev, ".revq/policy", p.buf);
	tl_sh(dev, "cp %s/allowed .revq/allowed_signers", keys);
	strbuf_release(&p);
}

static int setup(void **state)
{
	(void)state;
	top = tl_tmpdir();
	keys = tl_tmpdir();
	dev = tl_repo_new();
	tl_write(keys, "allowed", "");
	for (int i = 0; i < REVIEWERS; i++) {
		char name[16], email[32];

		snprintf(name, sizeof(name), "r%02d", i);
		snprintf(email, sizeof(email), "r%02d@example.com", i);
		tl_ssh_key(keys, name, email);
	}
	write_policy();
	free(tl_commit(dev, 5, "Review policy"));
	/* one item per reviewer, and two that nobody approves, each on its own branch */
	for (int i = 0; i < REVIEWERS + UNAPPROVED; i++) {
		char path[32], body[32];

		snprintf(path, sizeof(path), "src/f%02d.c", i);
		snprintf(body, sizeof(body), "int f%02d;\n", i);
		tl_git(dev, "checkout -q -b ai/%02d main", i);
		ids[i] = tl_commit_file(dev, path, body, 1, "Change" TL_AI_TRAILER);
	}
	tl_git(dev, "checkout -q main");
	tl_sh(top, "git clone -q --bare %s server.git && cp \"$REVQ_SRCDIR\"/share/revq/pre-receive "
		   "server.git/hooks/ && mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq", dev);
	for (int i = 0; i < REVIEWERS; i++)
		tl_sh(top, "git clone -q server.git r%02d && cd r%02d && git fetch -q origin 'refs/heads/ai/*:refs/heads/ai/*' && "
			   "git config gpg.format ssh && git config user.signingkey %s/r%02d && "
			   "git config user.name R%02d && git config user.email r%02d@example.com",
		      i, i, keys, i, i, i);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < REVIEWERS + UNAPPROVED; i++)
		free(ids[i]);
	tl_cleanup();
	return 0;
}

static void test_twenty_reviewers_sync_at_once_and_every_decision_lands_once(void **state)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	/* All at once: each approves its own item, then syncs; every exit status is kept. */
	strbuf_addf(&script, "PATH=%s/bin:$PATH; export PATH; ", top);
	for (int i = 0; i < REVIEWERS; i++)
		strbuf_addf(&script, "(cd r%02d && export GIT_COMMITTER_NAME=R%02d GIT_COMMITTER_EMAIL=r%02d@example.com && "
				     "\"$REVQ_BIN\" approve -m ok %s >/dev/null 2>approve.err && "
				     "\"$REVQ_BIN\" sync 2>sync.err; echo $? > status) & ", i, i, i, ids[i]);
	strbuf_addstr(&script, "wait");
	assert_int_equal(tl_sh(top, "%s", script.buf), 0);
	for (int i = 0; i < REVIEWERS; i++) {
		strbuf_reset(&out);
		strbuf_reset(&err);
		tl_sh_output(top, &out, NULL, "cat r%02d/status", i);
		tl_sh_output(top, &err, NULL, "cat r%02d/approve.err r%02d/sync.err", i, i);
		if (atoi(out.buf) != 0)
			fail_msg("reviewer r%02d: exit %s%s", i, out.buf, err.buf);
		assert_not_contains(err.buf, "kept changing");
	}
	/* On the server: each reviewer's record, exactly once, on its item; nothing else. */
	for (int i = 0; i < REVIEWERS; i++) {
		strbuf_reset(&out);
		tl_sh_output(top, &out, NULL, "cd server.git && git notes --ref=revq show %s | "
			     "grep -c '^revq1 approve reviewer=\"R%02d <r%02d@example.com>\"'", ids[i], i, i);
		assert_string_equal(out.buf, "1\n");
		strbuf_reset(&out);
		tl_sh_output(top, &out, NULL, "cd server.git && git notes --ref=revq show %s | grep -c '^revq1 '",
			     ids[i]);
		assert_string_equal(out.buf, "1\n");
	}
	for (int i = REVIEWERS; i < REVIEWERS + UNAPPROVED; i++)
		assert_int_not_equal(tl_sh(top, "cd server.git && git notes --ref=revq show %s >/dev/null 2>&1",
					   ids[i]), 0);
	/* Nothing forced: every reviewer's last notes commit is in the server's history. */
	for (int i = 0; i < REVIEWERS; i++)
		assert_int_equal(tl_sh(top, "cd server.git && git merge-base --is-ancestor "
					  "$(git -C ../r%02d rev-parse refs/notes/revq) refs/notes/revq", i), 0);
	/* A fresh clone judges as the gate does: the approved items pass, the others fail. */
	tl_sh(top, "git clone -q server.git judge && cd judge && "
		   "git fetch -q origin 'refs/heads/ai/*:refs/heads/ai/*' 'refs/notes/revq:refs/notes/revq'");
	strbuf_reset(&script);
	for (int i = 0; i < REVIEWERS; i++)
		strbuf_addf(&script, " main..ai/%02d", i);
	strbuf_reset(&err);
	assert_int_equal(tl_sh_output(top, NULL, &err, "cd judge && \"$REVQ_BIN\" verify%s", script.buf), 0);
	assert_contains(err.buf, "all 20 commits to judge pass");
	strbuf_reset(&script);
	for (int i = REVIEWERS; i < REVIEWERS + UNAPPROVED; i++)
		strbuf_addf(&script, " main..ai/%02d", i);
	strbuf_reset(&err);
	assert_int_equal(tl_sh_output(top, NULL, &err, "cd judge && \"$REVQ_BIN\" verify%s", script.buf), 1);
	assert_contains(err.buf, "2 of 2 commits to judge fail");
	/* and the gate agrees: the approved item lands on main, an unapproved one does not */
	assert_int_equal(tl_sh(top, "cd r00 && PATH=%s/bin:$PATH git push -q origin ai/00:main 2>/dev/null", top), 0);
	assert_int_not_equal(tl_sh(top, "cd judge && PATH=%s/bin:$PATH git push -q origin ai/%02d:main 2>/dev/null",
				   top, REVIEWERS), 0);
	strbuf_release(&script);
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twenty_reviewers_sync_at_once_and_every_decision_lands_once),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
