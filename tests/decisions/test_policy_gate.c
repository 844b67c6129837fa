/*
 * test_policy_gate.c: what the policy's path rules and the risk model
 * protect, attacked end to end: real repositories, real ssh keys made in
 * the test, `revq verify` as CI runs it.  Each attack (a move out of a
 * protected directory, a directory spelled the gitignore way, text hidden
 * in UTF-16) has beside it the legitimate case that must still pass.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
};

/* Two senior reviewers (Jane, Sam) and a mid one (Bob). */
static const char policy_head[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[reviewer \"jane@example.com\"]\n\tlevel = senior\n"
	"[reviewer \"sam@example.com\"]\n\tlevel = senior\n"
	"[reviewer \"bob@example.com\"]\n\tlevel = mid\n"
	"[tier \"normal\"]\n\tminRisk = 0\n\tlevel = mid\n\tapprovals = 1\n"
	"[tier \"high\"]\n\tminRisk = 40\n\tlevel = senior\n\tapprovals = 1\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "sam", "sam@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Commits .revq/policy (policy_head + rules), the allowed signers and files on main. */
static void set_policy(struct fixture *f, const char *rules)
{
	struct strbuf policy = STRBUF_INIT;

	strbuf_addstr(&policy, policy_head);
	strbuf_addstr(&policy, rules);
	tl_write(f->repo, ".revq/policy", policy.buf);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 5, "Review policy"));
	strbuf_release(&policy);
}

/* `revq approve` as reviewer NAME <EMAIL> signing with ssh key `key`. */
static void approve(struct fixture *f, const char *key, const char *name, const char *email,
		    const char *commit)
{
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh_output(f->repo, NULL, &err,
			 "GIT_COMMITTER_NAME='%s' GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" approve -m ok %s",
			 name, email, commit))
		fail_msg("revq approve: %s", err.buf);
	strbuf_release(&err);
}

/* `revq verify --json main..ai/x`: the exit status, the JSON in out. */
static int verify(struct fixture *f, struct strbuf *out)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "verify --json main..ai/x");
}

/* On branch ai/x from main, runs a shell command and commits it as AI-assisted. */
static char *ai_change(struct fixture *f, const char *command)
{
	char *id;

	tl_git(f->repo, "checkout -q -b ai/x main");
	if (tl_sh(f->repo, "%s", command))
		fail_msg("command failed: %s", command);
	tl_git(f->repo, "add -A");
	id = tl_commit(f->repo, 1, "Tidy up" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	return id;
}

/* verify must fail with the level and count the rule asks for, and name the rule. */
static void assert_needs(struct fixture *f, const char *level, unsigned approvals, const char *rule)
{
	struct strbuf out = STRBUF_INIT;
	char count[16];

	if (verify(f, &out) != 1)
		fail_msg("verify passed:\n%s", out.buf);
	assert_json_text(out.buf, "$.commits[0].level_needed", level);
	snprintf(count, sizeof(count), "%u", approvals);
	assert_json_text(out.buf, "$.commits[0].approvals_needed", count);
	if (rule)
		assert_contains(out.buf, rule);
	strbuf_release(&out);
}

static void assert_passes(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	if (verify(f, &out) != 0)
		fail_msg("verify failed:\n%s", out.buf);
	assert_json_text(out.buf, "$.ok", "1");
	strbuf_release(&out);
}

static const char protected_rules[] =
	"[path \"infra/**\"]\n\tlevel = senior\n\tapprovals = 2\n"
	"[path \".github/workflows/**\"]\n\tlevel = senior\n\tapprovals = 2\n";

/* main holds a protected file at `from` and a harmless one in docs/. */
static void protected_tree(struct fixture *f, const char *from)
{
	tl_write(f->repo, from, "name: scan\non: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n");
	tl_write(f->repo, "docs/guide.md", "# Guide\n\nRead me.\n");
	set_policy(f, protected_rules);
}

/*
 * Moving a file out of a protected directory is a deletion there.  With
 * path rules matching only the new path, an exact move (a rename git
 * pairs by blob id) needed one mid approval instead of two senior ones.
 */
static void exact_move_out_needs_the_protected_rule(struct fixture *f, const char *from,
						    const char *to, const char *rule)
{
	struct strbuf cmd = STRBUF_INIT;
	char *id;

	protected_tree(f, from);
	strbuf_addf(&cmd, "mkdir -p \"$(dirname %s)\" && git mv %s %s", to, from, to);
	id = ai_change(f, cmd.buf);
	approve(f, "bob", "Bob", "bob@example.com", id);
	assert_needs(f, "senior", 2, rule);
	approve(f, "jane", "Jane", "jane@example.com", id);
	assert_needs(f, "senior", 2, rule);
	approve(f, "sam", "Sam", "sam@example.com", id);
	assert_passes(f);
	strbuf_release(&cmd);
	free(id);
}

static void test_an_exact_move_out_of_infra_needs_two_senior_approvals(void **state)
{
	exact_move_out_needs_the_protected_rule(*state, "infra/scan.yml", "tools/scan.yml",
						"path infra/** (infra/scan.yml)");
}

static void test_an_exact_move_out_of_the_workflows_needs_two_senior_approvals(void **state)
{
	exact_move_out_needs_the_protected_rule(*state, ".github/workflows/scan.yml", "ci/scan.yml",
						"path .github/workflows/** (.github/workflows/scan.yml)");
}

/* An edited move is an addition and a deletion: the deletion is in the protected directory. */
static void edited_move_out_needs_the_protected_rule(struct fixture *f, const char *from,
						     const char *to, const char *rule)
{
	struct strbuf cmd = STRBUF_INIT;
	char *id;

	protected_tree(f, from);
	strbuf_addf(&cmd, "mkdir -p \"$(dirname %s)\" && git mv %s %s && sed -i 's/push/pull_request/' %s",
		    to, from, to, to);
	id = ai_change(f, cmd.buf);
	approve(f, "bob", "Bob", "bob@example.com", id);
	assert_needs(f, "senior", 2, rule);
	approve(f, "jane", "Jane", "jane@example.com", id);
	approve(f, "sam", "Sam", "sam@example.com", id);
	assert_passes(f);
	strbuf_release(&cmd);
	free(id);
}

static void test_an_edited_move_out_of_infra_needs_two_senior_approvals(void **state)
{
	edited_move_out_needs_the_protected_rule(*state, "infra/scan.yml", "tools/scan.yml",
						 "path infra/** (infra/scan.yml)");
}

static void test_an_edited_move_out_of_the_workflows_needs_two_senior_approvals(void **state)
{
	edited_move_out_needs_the_protected_rule(*state, ".github/workflows/scan.yml", "ci/scan.yml",
						 "path .github/workflows/** (.github/workflows/scan.yml)");
}

/* The control: a move inside an unprotected directory needs only the tier. */
static void test_a_move_inside_an_unprotected_directory_needs_only_the_tier(void **state)
{
	struct fixture *f = *state;
	char *id;

	protected_tree(f, "infra/scan.yml");
	id = ai_change(f, "mkdir -p docs/old && git mv docs/guide.md docs/old/guide.md");
	approve(f, "bob", "Bob", "bob@example.com", id);
	assert_passes(f);
	free(id);
}

/* The control beside it: an edited move inside docs/ needs only the tier too. */
static void test_an_edited_move_inside_an_unprotected_directory_needs_only_the_tier(void **state)
{
	struct fixture *f = *state;
	char *id;

	protected_tree(f, "infra/scan.yml");
	id = ai_change(f, "git mv docs/guide.md docs/manual.md && echo 'More.' >> docs/manual.md");
	approve(f, "bob", "Bob", "bob@example.com", id);
	assert_passes(f);
	free(id);
}

/*
 * A script in UTF-16 counted as binary: no line was scanned, and its
 * risk fell from the senior tier to mid.  It is decoded and scanned now.
 */
static void script_in(struct fixture *f, const char *encoding, const char *script,
		      const char *level, const char *reason)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	char *id;

	set_policy(f, "");
	strbuf_addf(&cmd, "printf '%s' | iconv -f UTF-8 -t %s > deploy.sh", script, encoding);
	id = ai_change(f, cmd.buf);
	approve(f, "bob", "Bob", "bob@example.com", id);
	if (!strcmp(level, "mid")) {
		assert_passes(f);
	} else {
		assert_needs(f, level, 1, "tier high");
		assert_int_equal(tl_revq(f->repo, &out, NULL, "show --json %s", id), 0);
		assert_contains(out.buf, reason);
		assert_contains(out.buf, "UTF-16 or UTF-32 text");
		approve(f, "jane", "Jane", "jane@example.com", id);
		assert_passes(f);
	}
	strbuf_release(&cmd);
	strbuf_release(&out);
	free(id);
}

static void test_a_utf16le_script_that_deletes_everything_stays_senior(void **state)
{
	script_in(*state, "UTF-16LE", "#!/bin/sh\\nrm -rf /\\n", "senior",
		  "destructive operation added: rm -rf (deploy.sh:2)");
}

static void test_a_utf16_script_with_a_byte_order_mark_stays_senior(void **state)
{
	script_in(*state, "UTF-16", "#!/bin/sh\\nrm -rf /\\n", "senior",
		  "destructive operation added: rm -rf (deploy.sh:2)");
}

static void test_a_utf16be_script_that_deletes_everything_stays_senior(void **state)
{
	script_in(*state, "UTF-16BE", "#!/bin/sh\\necho start\\nrm -rf /\\n", "senior",
		  "destructive operation added: rm -rf (deploy.sh:3)");
}

/* The same script in UTF-8 is senior as well: the encoding changes nothing. */
static void test_the_same_script_in_utf8_is_senior(void **state)
{
	struct fixture *f = *state;
	char *id;

	set_policy(f, "");
	id = ai_change(f, "printf '#!/bin/sh\\nrm -rf /\\n' > deploy.sh");
	approve(f, "bob", "Bob", "bob@example.com", id);
	assert_needs(f, "senior", 1, "tier high");
	free(id);
}

/* The control: a harmless UTF-16 script needs only the tier for its risk. */
static void test_a_harmless_utf16_script_needs_only_mid(void **state)
{
	script_in(*state, "UTF-16LE", "#!/bin/sh\\necho hello\\n", "mid", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_exact_move_out_of_infra_needs_two_senior_approvals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_exact_move_out_of_the_workflows_needs_two_senior_approvals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_edited_move_out_of_infra_needs_two_senior_approvals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_edited_move_out_of_the_workflows_needs_two_senior_approvals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_move_inside_an_unprotected_directory_needs_only_the_tier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_edited_move_inside_an_unprotected_directory_needs_only_the_tier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_utf16le_script_that_deletes_everything_stays_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_utf16_script_with_a_byte_order_mark_stays_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_utf16be_script_that_deletes_everything_stays_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_same_script_in_utf8_is_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_harmless_utf16_script_needs_only_mid, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
