/*
 * test_gate_attacks.c: the gate tried as an attacker would, with real
 * ssh keys and real repositories: approvals carried over to changes
 * that differ by one space, a pushed tag that stands in for the target,
 * records dated in the future, approvals that can never count reported
 * as done, and changes to the trust root without AI markers.  Beside
 * each attack, the legitimate case that must still pass, so that a gate
 * refusing everything fails these tests too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
};

/* Commits .revq/policy and the allowed signers on main. */
static void set_policy(struct fixture *f, const char *policy)
{
	tl_write(f->repo, ".revq/policy", policy);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 3, "Review policy"));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C stranger -f stranger");
	tl_git(f->repo, "config gpg.format ssh");
	set_policy(f, "[revq]\n\tallowedSigners = .revq/allowed_signers\n");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* `revq VERB` as NAME <EMAIL> signing with key, with extra environment; the exit status. */
static int decide_env(struct fixture *f, struct strbuf *err, const char *env, const char *verb,
		      const char *key, const char *email, const char *commit)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	return tl_sh_output(f->repo, NULL, err,
			    "%s GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" %s "
			    "-m 'looked at it' %s", env, email, verb, commit);
}

static void approve(struct fixture *f, const char *key, const char *email, const char *commit)
{
	struct strbuf err = STRBUF_INIT;

	if (decide_env(f, &err, "", "approve", key, email, commit))
		fail_msg("revq approve: %s", err.buf);
	strbuf_release(&err);
}

/* `revq verify --json ARGS`: the exit status, the JSON in out. */
static int verify(struct fixture *f, struct strbuf *out, const char *args)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "verify --json %s", args);
}

static void assert_verify(struct fixture *f, const char *args, int status)
{
	struct strbuf out = STRBUF_INIT;
	int got = verify(f, &out, args);

	if (got != status)
		fail_msg("verify %s exited %d, expected %d:\n%s", args, got, status, out.buf);
	strbuf_release(&out);
}

/* An AI commit on a new branch ai/x writing path=content; returns its id. */
static char *ai_commit(struct fixture *f, const char *path, const char *content)
{
	char *id;

	tl_git(f->repo, "checkout -q -B ai/x main");
	id = tl_commit_file(f->repo, path, content, 2, "Change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	return id;
}

/* Replaces ai/x's commit by one whose change differs as `edit` (a shell command) says. */
static void amend(struct fixture *f, const char *edit)
{
	tl_git(f->repo, "checkout -q ai/x");
	tl_sh(f->repo, "%s", edit);
	tl_git(f->repo, "add -A");
	tl_git(f->repo, "commit -q --amend --no-edit");
	tl_git(f->repo, "checkout -q main");
}

/* An approval of the first version must not carry over to the amended one. */
static void assert_no_carry_over(struct fixture *f, const char *path, const char *content,
				 const char *edit)
{
	struct strbuf out = STRBUF_INIT;
	char *x = ai_commit(f, path, content);

	approve(f, "jane", "jane@example.com", x);
	assert_verify(f, "main..ai/x", 0);
	amend(f, edit);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_contains(out.buf, "not enough approvals: 0 of 1");
	strbuf_release(&out);
	free(x);
}

/* ---- carry-over is exact ---- */

static void test_a_dedented_line_does_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "app.py", "if debug:\n    log()\n    enable_backdoor()\n",
			     "printf 'if debug:\\n    log()\\nenable_backdoor()\\n' > app.py");
}

static void test_a_space_inside_a_command_does_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "clean.sh", "rm -rf /tmp/x\n",
			     "printf 'rm -rf / tmp/x\\n' > clean.sh");
}

static void test_a_missing_final_newline_does_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "conf.txt", "a\nb\n", "printf 'a\\nb' > conf.txt");
}

static void test_a_tab_for_spaces_does_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "Makefile.inc", "all:\n        true\n",
			     "printf 'all:\\n\\ttrue\\n' > Makefile.inc");
}

static void test_a_new_mode_does_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "tool.sh", "echo hi\n", "chmod +x tool.sh");
}

static void test_other_binary_contents_do_not_keep_the_approval(void **state)
{
	assert_no_carry_over(*state, "blob.bin", "a\001\000b\n", "printf 'a\\001\\000c\\n' > blob.bin");
}

/* The legitimate cases: a byte-identical rebase and a cherry-pick keep the approval. */
static void test_a_byte_identical_rebase_and_cherry_pick_keep_the_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x = ai_commit(f, "app.py", "if debug:\n    log()\n    enable_backdoor()\n");

	approve(f, "jane", "jane@example.com", x);
	free(tl_commit_file(f->repo, "README", "more\n", 1, "Unrelated"));
	tl_git(f->repo, "rebase -q main ai/x");
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.commits[0].decisions[0].carried_from", x);
	tl_git(f->repo, "checkout -q -b ai/y main");
	tl_git(f->repo, "cherry-pick ai/x >/dev/null");
	tl_git(f->repo, "checkout -q main");
	assert_verify(f, "main..ai/y", 0);
	strbuf_release(&out);
	free(x);
}

/* A change the target took back does not come back on the strength of its old approval. */
static void test_a_reverted_change_applied_again_needs_a_new_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x = ai_commit(f, "app.py", "enable_backdoor()\n");

	approve(f, "jane", "jane@example.com", x);
	tl_git(f->repo, "merge -q --ff-only ai/x");
	/* Before the revert, a copy of the change would carry the approval ... */
	tl_git(f->repo, "revert --no-edit %s >/dev/null", x);
	tl_git(f->repo, "checkout -q -b ai/again main");
	tl_git(f->repo, "cherry-pick %s >/dev/null", x);
	tl_git(f->repo, "checkout -q main");
	/* ... after it, the same bytes need a reviewer again. */
	assert_int_equal(verify(f, &out, "main..ai/again"), 1);
	assert_contains(out.buf, "the approved commit was reverted");
	strbuf_release(&out);
	free(x);
}

/* ---- the target is one fully qualified ref ---- */

static void test_a_tag_named_like_the_target_is_refused(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *x = ai_commit(f, "src/a.c", "int a;\n");

	/* What CI sees after an attacker pushed a tag origin/main at their branch. */
	tl_git(f->repo, "update-ref refs/remotes/origin/main main");
	tl_git(f->repo, "tag origin/main ai/x");
	assert_int_not_equal(tl_revq(f->repo, &out, &err, "verify --target origin/main origin/main..ai/x"), 0);
	assert_int_not_equal(tl_revq(f->repo, &out, &err, "verify --target origin/main origin/main..ai/x"), 1);
	assert_contains(err.buf, "ambiguous");
	assert_contains(err.buf, "refs/tags/origin/main");
	assert_contains(err.buf, "refs/remotes/origin/main");
	/* The range alone is refused too: its base could be the tag. */
	strbuf_reset(&err);
	assert_int_not_equal(tl_revq(f->repo, NULL, &err, "verify --target refs/remotes/origin/main "
				     "origin/main..ai/x"), 0);
	assert_contains(err.buf, "ambiguous");
	/* revq.target is held to the same rule. */
	tl_git(f->repo, "config revq.target origin/main");
	assert_int_not_equal(tl_revq(f->repo, NULL, NULL, "verify refs/remotes/origin/main..ai/x"), 0);
	tl_git(f->repo, "config --unset revq.target");
	/* Full names are the legitimate way: unapproved fails, approved passes. */
	assert_int_equal(verify(f, &out, "--target refs/remotes/origin/main refs/remotes/origin/main..ai/x"), 1);
	assert_json_text(out.buf, "$.target", "refs/remotes/origin/main");
	approve(f, "jane", "jane@example.com", x);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify --target refs/remotes/origin/main "
				 "refs/remotes/origin/main..ai/x"), 0);
	/* Every result names the resolved ref and its commit. */
	assert_contains(err.buf, "target refs/remotes/origin/main at ");
	strbuf_release(&out);
	strbuf_release(&err);
	free(x);
}

static void test_a_tag_named_main_cannot_empty_the_range(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	char *x = ai_commit(f, "src/a.c", "int a;\n");
	char *main_id = tl_git_out(f->repo, "rev-parse main");

	tl_git(f->repo, "tag main ai/x");
	assert_int_not_equal(tl_revq(f->repo, NULL, &err, "verify main..ai/x"), 0);
	assert_contains(err.buf, "ambiguous");
	/* The default target is refs/heads/main, whatever tags say. */
	assert_int_equal(verify(f, &out, "refs/heads/main..ai/x"), 1);
	assert_json_text(out.buf, "$.target", "refs/heads/main");
	assert_json_text(out.buf, "$.target_commit", main_id);
	strbuf_release(&err);
	strbuf_release(&out);
	free(main_id);
	free(x);
}

/* ---- record times ---- */

static void test_a_record_dated_in_the_future_does_not_outrank_a_rejection(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *x = ai_commit(f, "src/a.c", "int a;\n");

	/* Ten years ahead: it would be Jane's latest word for a decade. */
	assert_int_equal(decide_env(f, &err, "REVQ_NOW=2082758400", "approve", "jane", "jane@example.com", x), 0);
	assert_int_equal(decide_env(f, &err, "", "reject", "jane", "jane@example.com", x), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_json_text(out.buf, "$.commits[0].status", "rejected");
	assert_contains(out.buf, "dated in the future");
	/* A record of a second later counts as usual. */
	assert_int_equal(decide_env(f, &err, "REVQ_NOW=1767225601", "approve", "jane", "jane@example.com", x), 0);
	assert_verify(f, "main..ai/x", 0);
	strbuf_release(&out);
	strbuf_release(&err);
	free(x);
}

/* ---- an approval that cannot count says so ---- */

static void test_an_approval_that_cannot_count_is_not_reported_as_done(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *x = ai_commit(f, "src/a.c", "int a;\n");

	/* A key that is in no allowed signers file. */
	assert_int_equal(decide_env(f, &err, "", "approve", "stranger", "stranger@example.com", x), 0);
	assert_contains(err.buf, "will not count");
	assert_contains(err.buf, "unknown signer");
	/* The configured identity is not the key's principal. */
	strbuf_reset(&err);
	assert_int_equal(decide_env(f, &err, "", "approve", "bob", "jane@example.com", x), 0);
	assert_contains(err.buf, "will not count");
	assert_contains(err.buf, "signer is not the reviewer");
	/* Jane with her own key: no warning, and the gate agrees. */
	strbuf_reset(&err);
	assert_int_equal(decide_env(f, &err, "", "approve", "jane", "jane@example.com", x), 0);
	assert_not_contains(err.buf, "will not count");
	assert_verify(f, "main..ai/x", 0);
	strbuf_release(&err);
	free(x);
}

/* ---- the trust root is gated, marked or not ---- */

static void test_an_unmarked_change_to_the_policy_needs_an_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *change;

	tl_git(f->repo, "checkout -q -b evil main");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		 "[tier \"x\"]\n\tminRisk = 0\n\tapprovals = 0\n");
	change = tl_commit(f->repo, 1, "Tidy the policy");   /* no AI marker */
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(verify(f, &out, "main..evil"), 1);
	assert_json_text(out.buf, "$.commits[0].commit", change);
	assert_json_text(out.buf, "$.commits[0].trust_root", "1");
	/* The allowed signers too. */
	tl_git(f->repo, "checkout -q -b evil2 main");
	tl_sh(f->repo, "cat %s/stranger.pub | sed 's/^/stranger@example.com /' >> .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 1, "Add a reviewer"));
	tl_git(f->repo, "checkout -q main");
	assert_verify(f, "main..evil2", 1);
	/* Approved under the current policy, it passes; unmarked changes elsewhere pass as before. */
	approve(f, "jane", "jane@example.com", change);
	assert_verify(f, "main..evil", 0);
	tl_git(f->repo, "checkout -q -b plain main");
	free(tl_commit_file(f->repo, "doc.txt", "words\n", 1, "Docs"));
	tl_git(f->repo, "checkout -q main");
	assert_verify(f, "main..plain", 0);
	strbuf_release(&out);
	free(change);
}

/* ---- raw bytes ---- */

static void test_json_output_escapes_c1_controls_and_line_separators(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	tl_git(f->repo, "checkout -q -B ai/x main");
	free(tl_commit_file(f->repo, "a.c", "int a;\n", 2,
			    "Sneaky \xc2\x9b" "31m subject \xe2\x80\xa8 here" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json"), 0);
	assert_not_contains(out.buf, "\xc2\x9b");
	assert_not_contains(out.buf, "\xe2\x80\xa8");
	assert_contains(out.buf, "\\u009b31m");
	assert_true(tl_json_valid(out.buf));
	strbuf_reset(&out);
	verify(f, &out, "main..ai/x");
	assert_not_contains(out.buf, "\xc2\x9b");
	assert_contains(out.buf, "\\u2028");
	strbuf_release(&out);
}

static void test_warnings_quoting_the_policy_are_escaped(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		 "[reviewer \"x\x1b]0;pwned\x07@example.com\"]\n\tlevel = wizard\n");
	free(tl_commit(f->repo, 1, "Bad policy"));
	tl_git(f->repo, "checkout -q -B ai/x main");
	free(tl_commit_file(f->repo, "a.c", "int a;\n", 1, "Change" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	tl_revq(f->repo, NULL, &err, "list");
	tl_revq(f->repo, NULL, &err, "verify main..ai/x");
	tl_revq(f->repo, NULL, &err, "show ai/x");
	assert_not_contains(err.buf, "\x1b");
	assert_not_contains(err.buf, "\x07");
	strbuf_release(&err);
}

/* ---- the cache is ours alone ---- */

static void test_a_cache_others_can_write_is_not_used(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *x = ai_commit(f, "src/a.c", "int a;\n");

	approve(f, "jane", "jane@example.com", x);
	assert_verify(f, "main..ai/x", 0);
	tl_sh(f->repo, "chmod 0777 .git/revq");
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify main..ai/x"), 0);
	assert_contains(err.buf, "writable by group or others");
	tl_sh(f->repo, "chmod 0700 .git/revq && chmod 0666 .git/revq/cache.db");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify main..ai/x"), 0);
	assert_contains(err.buf, "writable by group or others");
	/* A private cache says nothing. */
	tl_sh(f->repo, "chmod 0600 .git/revq/cache.db");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify main..ai/x"), 0);
	assert_not_contains(err.buf, "warning");
	strbuf_release(&err);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_a_dedented_line_does_not_keep_the_approval),
		T(test_a_space_inside_a_command_does_not_keep_the_approval),
		T(test_a_missing_final_newline_does_not_keep_the_approval),
		T(test_a_tab_for_spaces_does_not_keep_the_approval),
		T(test_a_new_mode_does_not_keep_the_approval),
		T(test_other_binary_contents_do_not_keep_the_approval),
		T(test_a_byte_identical_rebase_and_cherry_pick_keep_the_approval),
		T(test_a_reverted_change_applied_again_needs_a_new_approval),
		T(test_a_tag_named_like_the_target_is_refused),
		T(test_a_tag_named_main_cannot_empty_the_range),
		T(test_a_record_dated_in_the_future_does_not_outrank_a_rejection),
		T(test_an_approval_that_cannot_count_is_not_reported_as_done),
		T(test_an_unmarked_change_to_the_policy_needs_an_approval),
		T(test_json_output_escapes_c1_controls_and_line_separators),
		T(test_warnings_quoting_the_policy_are_escaped),
		T(test_a_cache_others_can_write_is_not_used),
#undef T
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
