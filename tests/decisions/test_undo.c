/*
 * test_undo.c: `revq undo` (and the console's u, which calls the same
 * decision_write()) takes a decision back with a withdrawal record that
 * supersedes it: the note keeps every line (append-only), the gate stops
 * counting the approval, a rejection stops blocking, and only the
 * reviewer's own word can be taken back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *ai;          /* an AI-assisted commit on ai/x, pending against main */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "checkout -q -b ai/x");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			       "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->ai);
	free(f);
	return 0;
}

/* `revq VERB ARGS` as NAME <NAME@example.com> with NAME's ssh key; the exit status, stdout and stderr. */
static int as(struct fixture *f, const char *name, struct strbuf *out, struct strbuf *err, const char *verb,
	      const char *args)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, name);
	return tl_sh_output(f->repo, out, err,
			    "GIT_COMMITTER_NAME=%s GIT_COMMITTER_EMAIL=%s@example.com \"$REVQ_BIN\" %s %s",
			    name, name, verb, args);
}

static char *status(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;
	char *s;

	tl_revq(f->repo, &out, NULL, "verify --json main..ai/x");
	s = tl_json_text(out.buf, "$.commits[0].status");
	strbuf_release(&out);
	return s;
}

static void assert_status(struct fixture *f, const char *expected)
{
	char *s = status(f);

	assert_string_equal(s, expected);
	free(s);
}

static void test_undo_withdraws_an_approval_and_keeps_every_line(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, note = STRBUF_INIT, args = STRBUF_INIT;

	strbuf_addf(&args, "-m ok %s", f->ai);
	assert_int_equal(as(f, "jane", NULL, NULL, "approve", args.buf), 0);
	assert_status(f, "approved");
	assert_int_equal(as(f, "jane", &out, NULL, "undo", f->ai), 0);
	assert_contains(out.buf, "withdrew approval of ");
	assert_status(f, "pending");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x"), 1);   /* the gate fails again */
	tl_sh_output(f->repo, &note, NULL, "git notes --ref=revq show %s", f->ai);
	assert_contains(note.buf, "revq1 approve reviewer=\"jane <jane@example.com>\"");
	assert_contains(note.buf, "revq1 withdraw reviewer=\"jane <jane@example.com>\"");
	/* Approving again after the undo counts, though the clock (REVQ_NOW) has not moved. */
	assert_int_equal(as(f, "jane", NULL, NULL, "approve", args.buf), 0);
	assert_status(f, "approved");
	strbuf_release(&out);
	strbuf_release(&note);
	strbuf_release(&args);
}

static void test_undo_of_a_rejection_lifts_the_block(void **state)
{
	struct fixture *f = *state;
	struct strbuf args = STRBUF_INIT;

	strbuf_addf(&args, "-m 'not like this' %s", f->ai);
	assert_int_equal(as(f, "jane", NULL, NULL, "reject", args.buf), 0);
	assert_status(f, "rejected");
	assert_int_equal(as(f, "jane", NULL, NULL, "undo", f->ai), 0);
	assert_status(f, "pending");
	strbuf_release(&args);
}

/* Attack: Bob withdrawing Jane's approval takes back nothing; beside it, Jane's own undo works. */
static void test_undo_takes_back_only_the_reviewers_own_word(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, args = STRBUF_INIT;

	strbuf_addf(&args, "-m ok %s", f->ai);
	assert_int_equal(as(f, "jane", NULL, NULL, "approve", args.buf), 0);
	assert_int_not_equal(as(f, "bob", NULL, &err, "undo", f->ai), 0);
	assert_contains(err.buf, "nothing to undo");
	assert_status(f, "approved");
	/* A withdrawal Bob signs but writes in Jane's name is not Jane's word. */
	tl_git(f->repo, "config user.signingkey %s/bob", f->keys);
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=jane GIT_COMMITTER_EMAIL=jane@example.com "
				"\"$REVQ_BIN\" undo %s", f->ai), 0);
	assert_status(f, "approved");
	assert_int_equal(as(f, "jane", NULL, NULL, "undo", f->ai), 0);
	assert_status(f, "pending");
	/* Twice is nothing more to take back. */
	strbuf_reset(&err);
	assert_int_not_equal(as(f, "jane", NULL, &err, "undo", f->ai), 0);
	assert_contains(err.buf, "withdrawn already");
	strbuf_release(&err);
	strbuf_release(&args);
}

/* A withdrawal supersedes by its time (line order in a merged note is no one's to trust). */
static void test_a_withdrawal_is_dated_after_what_it_takes_back(void **state)
{
	struct fixture *f = *state;
	struct strbuf note = STRBUF_INIT, args = STRBUF_INIT;

	strbuf_addf(&args, "-m ok %s", f->ai);
	assert_int_equal(as(f, "jane", NULL, NULL, "approve", args.buf), 0);
	assert_int_equal(as(f, "jane", NULL, NULL, "undo", f->ai), 0);
	/* The withdrawal is dated one second after the approval it takes back. */
	tl_sh_output(f->repo, &note, NULL, "git notes --ref=revq show %s | grep withdraw", f->ai);
	assert_contains(note.buf, "time=2026-01-01T00:00:01Z");
	strbuf_release(&note);
	strbuf_release(&args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_undo_withdraws_an_approval_and_keeps_every_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_of_a_rejection_lifts_the_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_takes_back_only_the_reviewers_own_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_withdrawal_is_dated_after_what_it_takes_back, setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
