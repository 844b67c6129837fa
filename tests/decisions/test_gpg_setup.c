/*
 * test_gpg_setup.c: gpg's setup problems in plain words, and no gpg-agent
 * left running by a failed approval or by merely listing and verifying.
 * Each test has its own GNUPGHOME; whether an agent runs is asked with
 * `gpg-connect-agent --no-autostart 'GETINFO pid'`, which starts none.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "sign/gpgsetup.h"

struct fixture {
	const char *repo;
	const char *gnupg;
	char *ai;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (tl_sh(".", "command -v gpg >/dev/null && command -v gpg-connect-agent >/dev/null")) {
		free(f);
		return -1;
	}
	f->repo = tl_repo_new();
	f->gnupg = tl_tmpdir();
	tl_sh(f->gnupg, "chmod 700 .");
	setenv("GNUPGHOME", f->gnupg, 1);
	tl_git(f->repo, "checkout -q -b ai/x");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature;\n", 2, "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tl_sh(f->gnupg, "gpgconf --kill gpg-agent 2>/dev/null; true");
	unsetenv("GNUPGHOME");
	free(f->ai);
	free(f);
	return 0;
}

static int agent_running(struct fixture *f)
{
	/* An agent answers its pid ("D 1234"); none, and gpg-connect-agent says so and answers nothing. */
	return !tl_sh(f->gnupg, "gpg-connect-agent --no-autostart 'GETINFO pid' /bye 2>/dev/null | grep -q '^D '");
}

static int approve(struct fixture *f, struct strbuf *err)
{
	return tl_sh_output(f->repo, NULL, err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
			    "\"$REVQ_BIN\" approve -m ok %s", f->ai);
}

/* A key for Jane, with a passphrase or none; the agent stopped again. */
static void make_key(struct fixture *f, const char *passphrase)
{
	assert_int_equal(tl_sh(f->gnupg, "gpg --batch --quiet --pinentry-mode loopback --passphrase '%s' "
			       "--quick-gen-key 'Jane <jane@example.com>' ed25519 sign never 2>/dev/null && "
			       "gpgconf --kill gpg-agent", passphrase), 0);
	assert_false(agent_running(f));
}

static void test_no_key_at_all_names_the_settings_and_starts_no_agent(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(approve(f, &err), 3);
	assert_contains(err.buf, "no signing key: gpg.format is openpgp (the default), user.signingkey is not set");
	assert_contains(err.buf, "git config gpg.format ssh");
	assert_not_contains(err.buf, "created");   /* not gpg's "directory ... created" */
	assert_false(agent_running(f));
	/* A named key that gpg does not have: the same, naming it. */
	tl_git(f->repo, "config user.signingkey 0xDEADBEEF");
	strbuf_reset(&err);
	assert_int_equal(approve(f, &err), 3);
	assert_contains(err.buf, "gpg has no key '0xDEADBEEF' (user.signingkey)");
	assert_false(agent_running(f));
	strbuf_release(&err);
}

/* pinentry cannot ask (no terminal, as over ssh; here a pinentry that cannot run): said so, agent stopped. */
static void test_pinentry_impossible_is_said_plainly_and_the_agent_is_stopped(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, refs = STRBUF_INIT;

	make_key(f, "secret");
	tl_write(f->gnupg, "gpg-agent.conf", "pinentry-program /nonexistent/pinentry\n");
	assert_int_equal(approve(f, &err), 3);
	assert_contains(err.buf, "gpg cannot ask for the passphrase");
	assert_contains(err.buf, "GPG_TTY");
	assert_false(agent_running(f));
	tl_sh_output(f->repo, &refs, NULL, "git for-each-ref refs/notes");
	assert_string_equal(refs.buf, "");   /* nothing written */
	strbuf_release(&err);
	strbuf_release(&refs);
}

/* Legitimate: a usable key signs (the agent it needs may stay, as for git); verify then starts none. */
static void test_a_usable_key_signs_and_verifying_starts_no_agent(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	make_key(f, "");
	assert_int_equal(approve(f, &err), 0);
	tl_sh(f->gnupg, "gpgconf --kill gpg-agent");
	assert_false(agent_running(f));
	tl_revq(f->repo, &out, NULL, "verify --json main..ai/x");
	assert_json_text(out.buf, "$.commits[0].decisions[0].signature", "good signature");
	strbuf_reset(&out);
	tl_revq(f->repo, &out, NULL, "list main..ai/x");
	assert_false(agent_running(f));
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_gpg_failure_words_skip_created_files_and_name_the_problem(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	gpg_failure_words(&sb, "gpg: directory '/home/j/.gnupg' created\ngpg: keybox '/home/j/.gnupg/pubring.kbx' "
			  "created\ngpg: skipped \"x\": Unusable public key\n", "x");
	assert_string_equal(sb.buf, "skipped \"x\": Unusable public key");
	strbuf_reset(&sb);
	gpg_failure_words(&sb, "gpg: signing failed: Inappropriate ioctl for device\n", NULL);
	assert_contains(sb.buf, "pinentry has no terminal");
	strbuf_reset(&sb);
	gpg_failure_words(&sb, "gpg: can't connect to the agent: IPC connect call failed\n", NULL);
	assert_contains(sb.buf, "gpg-agent is not running");
	strbuf_reset(&sb);
	gpg_failure_words(&sb, "[GNUPG:] INV_SGNR 9\ngpg: signing failed: No secret key\n", "ABCD");
	assert_contains(sb.buf, "gpg has no secret key for ABCD; choose one: git config gpg.format ssh");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_key_at_all_names_the_settings_and_starts_no_agent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pinentry_impossible_is_said_plainly_and_the_agent_is_stopped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_usable_key_signs_and_verifying_starts_no_agent, setup,
						teardown),
		cmocka_unit_test(test_gpg_failure_words_skip_created_files_and_name_the_problem),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
