/*
 * test_signer_faults.c: a signing tool that is missing, hangs, or prints
 * garbage gives one clear error (after a bounded wait) and nothing is
 * written; so does a configuration revq cannot sign with.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *tools;
	char *commit;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->tools = tl_tmpdir();
	tl_git(f->repo, "checkout -q -b ai/x");
	f->commit = tl_commit_file(f->repo, "a.txt", "a\n", 1, "Change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	tl_write(f->tools, "hang", "#!/bin/sh\nsleep 60\n");
	/* Each fake gpg answers revq's look for a key (--list-keys) with one, then misbehaves signing. */
#define HAS_A_KEY "case \"$*\" in *--list-keys*) echo 'pub:u:255:22:ABCD:1:::u:::scESC:'; exit 0;; esac\n"
	tl_write(f->tools, "garbage", "#!/bin/sh\n" HAS_A_KEY "cat >/dev/null\necho '-----BEGIN NONSENSE-----'\n"
		 "head -c 300 /dev/urandom\necho 'something went wrong' >&2\nexit 0\n");
	tl_write(f->tools, "silent", "#!/bin/sh\n" HAS_A_KEY "cat >/dev/null\nexit 0\n");
	tl_write(f->tools, "fails", "#!/bin/sh\n" HAS_A_KEY "echo 'gpg: signing failed: No secret key' >&2\nexit 2\n");
	tl_sh(f->tools, "chmod +x hang garbage silent fails");
	tl_git(f->repo, "config revq.signTimeout 2");
	setenv("GIT_COMMITTER_EMAIL", "reviewer@example.com", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->commit);
	free(f);
	return 0;
}

/* approve fails with exit 3, one line naming `cause`, and no notes ref appears. */
static void assert_refused(struct fixture *f, const char *cause)
{
	struct strbuf err = STRBUF_INIT, refs = STRBUF_INIT;
	time_t start = time(NULL);

	assert_int_equal(tl_revq(f->repo, NULL, &err, "approve -m ok %s", f->commit), 3);
	assert_true(time(NULL) - start < 20);
	assert_contains(err.buf, cause);
	assert_one_line(&err);
	tl_sh_output(f->repo, &refs, NULL, "git for-each-ref refs/notes");
	assert_string_equal(refs.buf, "");
	strbuf_release(&err);
	strbuf_release(&refs);
}

static void test_missing_program(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.program /nonexistent/gpg");
	assert_refused(f, "cannot run /nonexistent/gpg");
}

static void test_hanging_program_times_out(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.program %s/hang", f->tools);
	assert_refused(f, "did not finish within 2 seconds");
}

static void test_garbage_output(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.program %s/garbage", f->tools);
	assert_refused(f, "signing with gpg failed");
}

static void test_no_signature_at_all(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.program %s/silent", f->tools);
	assert_refused(f, "signing with gpg failed");
}

static void test_failing_program_is_quoted(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.program %s/fails", f->tools);
	assert_refused(f, "gpg has no secret key for its default key");
}

static void test_ssh_without_a_key_names_the_setting(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config --unset gpg.program");
	tl_git(f->repo, "config gpg.format ssh");
	assert_refused(f, "user.signingkey");
	tl_git(f->repo, "config user.signingkey /nonexistent/key");
	assert_refused(f, "signing with ssh key /nonexistent/key failed");
	tl_git(f->repo, "config --unset user.signingkey");
}

static void test_hanging_ssh_keygen_times_out(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config user.signingkey %s/key", f->tools);
	tl_git(f->repo, "config gpg.ssh.program %s/hang", f->tools);
	assert_refused(f, "did not finish within 2 seconds");
	tl_git(f->repo, "config --unset gpg.ssh.program");
	tl_git(f->repo, "config --unset user.signingkey");
}

static void test_x509_is_refused_clearly(void **state)
{
	struct fixture *f = *state;

	tl_git(f->repo, "config gpg.format x509");
	assert_refused(f, "gpg.format=x509 is not supported");
	tl_git(f->repo, "config --unset gpg.format");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_hanging_program_times_out),
		cmocka_unit_test(test_garbage_output),
		cmocka_unit_test(test_no_signature_at_all),
		cmocka_unit_test(test_failing_program_is_quoted),
		cmocka_unit_test(test_ssh_without_a_key_names_the_setting),
		cmocka_unit_test(test_hanging_ssh_keygen_times_out),
		cmocka_unit_test(test_x509_is_refused_clearly),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
