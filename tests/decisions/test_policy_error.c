/*
 * test_policy_error.c: a target whose .revq/policy does not parse judges
 * nothing.  Every status is "unknown: policy error" with the parser's
 * one-line error, in list (text and JSON), show and verify, never
 * "approved", even for a commit a trusted reviewer approved; the gate
 * fails closed.  Beside each attack, the same repository with the policy
 * fixed, where the approval counts again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *ai;          /* an AI-assisted commit on ai/x, approved by Jane */
};

static const char good_policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[tier \"all\"]\n\tminRisk = 0\n\tapprovals = 1\n";
/* The same, one bracket short: git-config syntax no longer. */
static const char broken_policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[tier \"all\"\n\tminRisk = 0\n\tapprovals = 1\n";

static void set_policy(struct fixture *f, const char *policy)
{
	tl_write(f->repo, ".revq/policy", policy);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers && git add .revq && git commit -qm policy", f->keys);
}

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
	set_policy(f, good_policy);
	tl_git(f->repo, "checkout -q -b ai/x");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			       "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				"\"$REVQ_BIN\" approve -m ok %s 2>/dev/null", f->ai), 0);
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

/* Legitimate: the policy parses, Jane's approval counts everywhere. */
static void test_an_approval_counts_under_a_policy_that_parses(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify main..ai/x"), 0);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json main..ai/x"), 0);
	assert_json_text(out.buf, "$[0].status", "approved");
	strbuf_release(&out);
}

/* Attack: the target's policy is broken (by mistake or on purpose): nothing may pass or look approved. */
static void test_a_broken_policy_makes_every_status_unknown_and_the_gate_fail(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	set_policy(f, broken_policy);
	/* verify fails closed, saying why in one line */
	assert_int_not_equal(tl_revq(f->repo, &out, &err, "verify main..ai/x"), 0);
	assert_contains(err.buf, "policy error: ");
	assert_contains(err.buf, ".revq/policy:3");
	assert_not_contains(out.buf, "approved");
	strbuf_reset(&err);
	assert_int_not_equal(tl_revq(f->repo, NULL, &err, "verify --json main..ai/x"), 0);
	assert_contains(err.buf, "policy error: ");
	/* list: unknown, never approved; the reason once on stderr */
	strbuf_reset(&out);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, &out, &err, "list main..ai/x"), 0);
	assert_contains(out.buf, " unknown ");
	assert_not_contains(out.buf, "approved");
	assert_contains(err.buf, "every status is unknown: policy error: ");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json main..ai/x"), 0);
	assert_json_text(out.buf, "$[0].status", "unknown");
	assert_contains(out.buf, "\"status_detail\": \"unknown: policy error: ");
	/* show: the status line says why */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", f->ai), 0);
	assert_contains(out.buf, "Status:    unknown: policy error: ");
	/* Fixed again, the same approval counts: the record was never the problem. */
	set_policy(f, good_policy);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x"), 0);
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_approval_counts_under_a_policy_that_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_broken_policy_makes_every_status_unknown_and_the_gate_fail,
						setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
