/*
 * test_batch_sign.c: `revq approve` of several commits signs them in one
 * signer process (ssh-keygen -Y sign takes several files), with real ssh
 * and gpg keys: the records verify exactly as single ones do, and a
 * refusal or a signer failure anywhere in the batch writes nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *log;         /* owned: every gpg.ssh.program / gpg.program call, one line each */
};

#define BATCH 4

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct strbuf sb = STRBUF_INIT;

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	strbuf_addf(&sb, "%s/calls", f->keys);
	f->log = strbuf_detach(&sb, NULL);
	/* The real ssh-keygen, each call logged. */
	strbuf_addf(&sb, "#!/bin/sh\necho \"$*\" >> %s\nexec ssh-keygen \"$@\"\n", f->log);
	tl_write(f->keys, "ssh-logged", sb.buf);
	strbuf_release(&sb);
	tl_sh(f->keys, "chmod +x ssh-logged");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "config gpg.ssh.program %s/ssh-logged", f->keys);
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	tl_git(f->repo, "checkout -q -b ai/x");
	for (int i = 0; i < BATCH; i++) {
		char path[32], content[64];

		snprintf(path, sizeof(path), "src/f%d.c", i);
		snprintf(content, sizeof(content), "int f%d(void) { return %d; }\n", i, i);
		free(tl_commit_file(f->repo, path, content, 2, "A change" TL_AI_TRAILER));
	}
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->log);
	free(f);
	return 0;
}

/* `revq approve main..ai/x` as Jane, with `before` run first in the same shell; the exit status. */
static int approve_all(struct fixture *f, const char *before, struct strbuf *err)
{
	return tl_sh_output(f->repo, NULL, err, "%s GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
			    "\"$REVQ_BIN\" approve -m batch main..ai/x", before ? before : "");
}

/* How many logged calls contain what. */
static int calls(struct fixture *f, const char *what)
{
	struct strbuf out = STRBUF_INIT;
	int n;

	tl_sh_output(f->keys, &out, NULL, "grep -c -e '%s' calls 2>/dev/null || true", what);
	n = atoi(out.buf);
	strbuf_release(&out);
	return n;
}

/*
 * Every record verifies from scratch: the cache that approve filled is
 * removed first, so each signature is checked again by ssh-keygen/gpg.
 */
static void assert_all_verify_cold(struct fixture *f, const char *signature)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh(f->repo, "rm -f \"$(\"$REVQ_BIN\" cache path)\"");
	if (tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"))
		fail_msg("verify failed:\n%s", out.buf);
	assert_json_text(out.buf, "$.ok", "1");
	assert_int_equal(tl_json_length(out.buf, "$.commits"), BATCH);
	for (int i = 0; i < BATCH; i++) {
		char path[64];

		snprintf(path, sizeof(path), "$.commits[%d].status", i);
		assert_json_text(out.buf, path, "approved");
		snprintf(path, sizeof(path), "$.commits[%d].decisions[0].signature", i);
		assert_json_text(out.buf, path, signature);
	}
	strbuf_release(&out);
}

static void assert_nothing_written(struct fixture *f)
{
	assert_int_not_equal(tl_sh(f->repo, "git rev-parse -q --verify refs/notes/revq >/dev/null"), 0);
}

static void test_a_batch_signed_with_a_key_file_is_one_signer_call_and_verifies(void **state)
{
	struct fixture *f = *state;
	struct strbuf note = STRBUF_INIT, single = STRBUF_INIT;
	char *one;

	assert_int_equal(approve_all(f, NULL, NULL), 0);
	assert_int_equal(calls(f, "-Y sign"), 1);
	assert_all_verify_cold(f, "good signature");
	/* A batch record is what a single approval writes, but for its time and signature. */
	one = tl_git_out(f->repo, "rev-parse ai/x~1");
	tl_sh_output(f->repo, &note, NULL, "git notes --ref=revq show %s | sed 's/ time=[0-9]*//; s/ sig=.*//'",
		     one);
	tl_git(f->repo, "update-ref -d refs/notes/revq");
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
			       "\"$REVQ_BIN\" approve -m batch %s >/dev/null", one), 0);
	tl_sh_output(f->repo, &single, NULL, "git notes --ref=revq show %s | sed 's/ time=[0-9]*//; s/ sig=.*//'",
		     one);
	assert_contains(note.buf, "revq1 approve ");
	assert_string_equal(note.buf, single.buf);
	free(one);
	strbuf_release(&note);
	strbuf_release(&single);
}

static void test_a_batch_signed_by_an_ssh_agent_key_is_one_signer_call_and_verifies(void **state)
{
	struct fixture *f = *state;
	struct strbuf pub = STRBUF_INIT, err = STRBUF_INIT, agent = STRBUF_INIT;

	tl_sh_output(f->keys, &pub, NULL, "cut -d' ' -f1,2 jane.pub");
	strbuf_trim_trailing_newline(&pub);
	tl_git(f->repo, "config user.signingkey 'key::%s'", pub.buf);
	strbuf_addf(&agent, "eval \"$(ssh-agent -s)\" >/dev/null && ssh-add -q %s/jane 2>/dev/null; "
		    "trap 'ssh-agent -k >/dev/null' EXIT; ", f->keys);
	if (approve_all(f, agent.buf, &err))
		fail_msg("approve failed: %s", err.buf);
	assert_int_equal(calls(f, "-Y sign"), 1);
	assert_all_verify_cold(f, "good signature");
	strbuf_release(&pub);
	strbuf_release(&agent);
	strbuf_release(&err);
}

static void test_a_gpg_batch_verifies_like_single_records(void **state)
{
	struct fixture *f = *state;
	const char *gnupg = tl_tmpdir();
	struct strbuf fingerprint = STRBUF_INIT, err = STRBUF_INIT;

	if (tl_sh(gnupg, "command -v gpg >/dev/null"))
		skip();
	setenv("GNUPGHOME", gnupg, 1);
	tl_sh(gnupg, "chmod 700 . && gpg --batch --quiet --passphrase '' "
		     "--quick-gen-key 'Jane <jane@example.com>' ed25519 sign never 2>/dev/null");
	tl_sh_output(gnupg, &fingerprint, NULL,
		     "gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == \"fpr\" { print $10; exit }'");
	strbuf_trim_trailing_newline(&fingerprint);
	tl_git(f->repo, "config --unset gpg.format");
	tl_git(f->repo, "config user.signingkey %s", fingerprint.buf);
	if (approve_all(f, NULL, &err))
		fail_msg("approve failed: %s", err.buf);
	assert_all_verify_cold(f, "good signature");
	unsetenv("GNUPGHOME");
	strbuf_release(&fingerprint);
	strbuf_release(&err);
}

/* One commit of the batch is Jane's own: the whole call is refused before any signing. */
static void test_a_batch_with_one_refused_commit_writes_and_signs_nothing(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "checkout -q ai/x");
	tl_sh(f->repo, "echo mine > src/mine.c && git add src/mine.c && GIT_AUTHOR_NAME=Jane "
		       "GIT_AUTHOR_EMAIL=jane@example.com git commit -q -m 'Mine' -m 'Co-Authored-By: Claude "
		       "<noreply@anthropic.com>' && git checkout -q main");
	assert_int_equal(approve_all(f, NULL, &err), 3);
	assert_contains(err.buf, "self-approval never counts");
	assert_nothing_written(f);
	assert_int_equal(calls(f, "-Y sign"), 0);
	/* The control: the same batch without Jane's commit is written. */
	tl_git(f->repo, "branch -f ai/x ai/x~1");
	assert_int_equal(approve_all(f, NULL, NULL), 0);
	strbuf_release(&err);
}

/* A signer that signs only some files (then fails, or claims success): no record at all. */
static void test_a_signer_failure_mid_batch_writes_nothing(void **state)
{
	struct fixture *f = *state;
	static const char *const endings[] = { "exit 1", "exit 0" };
	struct strbuf script = STRBUF_INIT, err = STRBUF_INIT;

	for (size_t i = 0; i < 2; i++) {
		/* Signs the last payload for real, then stops (failing, or not): the rest get no .sig. */
		strbuf_reset(&script);
		strbuf_addf(&script, "#!/bin/sh\ncase \"$*\" in *'-Y sign'*) ;; *) exec ssh-keygen \"$@\" ;; esac\n"
			    "for a; do last=$a; done\n"
			    "ssh-keygen -Y sign -n revq -f %s/jane \"$last\" 2>/dev/null\n%s\n", f->keys, endings[i]);
		tl_write(f->keys, "ssh-partial", script.buf);
		tl_sh(f->keys, "chmod +x ssh-partial");
		tl_git(f->repo, "config gpg.ssh.program %s/ssh-partial", f->keys);
		strbuf_reset(&err);
		assert_int_equal(approve_all(f, NULL, &err), 3);
		assert_contains(err.buf, i ? "produced no signature" : "failed");
		assert_nothing_written(f);
	}
	/* The control: the real program, the same batch, every record written. */
	tl_git(f->repo, "config gpg.ssh.program ssh-keygen");
	assert_int_equal(approve_all(f, NULL, NULL), 0);
	assert_all_verify_cold(f, "good signature");
	strbuf_release(&script);
	strbuf_release(&err);
}

/* gpg signs one record per process: the third failing leaves the first two unwritten. */
static void test_a_gpg_failure_mid_batch_writes_nothing(void **state)
{
	struct fixture *f = *state;
	const char *gnupg = tl_tmpdir();
	struct strbuf fingerprint = STRBUF_INIT, err = STRBUF_INIT, script = STRBUF_INIT;

	if (tl_sh(gnupg, "command -v gpg >/dev/null"))
		skip();
	setenv("GNUPGHOME", gnupg, 1);
	tl_sh(gnupg, "chmod 700 . && gpg --batch --quiet --passphrase '' "
		     "--quick-gen-key 'Jane <jane@example.com>' ed25519 sign never 2>/dev/null");
	tl_sh_output(gnupg, &fingerprint, NULL,
		     "gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == \"fpr\" { print $10; exit }'");
	strbuf_trim_trailing_newline(&fingerprint);
	strbuf_addf(&script, "#!/bin/sh\necho \"$*\" >> %s\ncase \"$*\" in *--detach-sign*) "
		    "[ \"$(grep -c detach-sign %s)\" -ge 3 ] && exit 2 ;; esac\nexec gpg \"$@\"\n", f->log, f->log);
	tl_write(f->keys, "gpg-third-fails", script.buf);
	tl_sh(f->keys, "chmod +x gpg-third-fails");
	tl_git(f->repo, "config --unset gpg.format");
	tl_git(f->repo, "config user.signingkey %s", fingerprint.buf);
	tl_git(f->repo, "config gpg.program %s/gpg-third-fails", f->keys);
	assert_int_equal(approve_all(f, NULL, &err), 3);
	assert_contains(err.buf, "gpg");
	assert_int_equal(calls(f, "--detach-sign"), 3);
	assert_nothing_written(f);
	/* The control: the real gpg signs the whole batch. */
	tl_git(f->repo, "config gpg.program gpg");
	assert_int_equal(approve_all(f, NULL, NULL), 0);
	assert_all_verify_cold(f, "good signature");
	unsetenv("GNUPGHOME");
	strbuf_release(&fingerprint);
	strbuf_release(&err);
	strbuf_release(&script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_batch_signed_with_a_key_file_is_one_signer_call_and_verifies,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_batch_signed_by_an_ssh_agent_key_is_one_signer_call_and_verifies,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_gpg_batch_verifies_like_single_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_batch_with_one_refused_commit_writes_and_signs_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_signer_failure_mid_batch_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_gpg_failure_mid_batch_writes_nothing, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
