/*
 * test_decisions.c: approvals and rejections signed with real ssh and
 * gpg keys, judged by `revq verify` under a policy read from the target:
 * every way a record can fail to count, and the ways it can count.
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
	tl_ssh_key(f->keys, "mallory", "mallory@example.com");
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C stranger -f stranger");
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

/* `revq VERB` as reviewer NAME <EMAIL> signing with ssh key `key`; returns the exit status. */
static int decide(struct fixture *f, const char *verb, const char *key, const char *name,
		  const char *email, const char *commit)
{
	struct strbuf err = STRBUF_INIT;
	int rc;

	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	rc = tl_sh_output(f->repo, NULL, &err,
			  "GIT_COMMITTER_NAME='%s' GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" %s -m 'looked at it' %s",
			  name, email, verb, commit);
	if (rc)
		print_message("revq %s: %s", verb, err.buf);
	strbuf_release(&err);
	return rc;
}

static void approve(struct fixture *f, const char *key, const char *name, const char *email,
		    const char *commit)
{
	assert_int_equal(decide(f, "approve", key, name, email, commit), 0);
}

/* `revq verify --json RANGE`: returns the exit status, the JSON in out. */
static int verify(struct fixture *f, struct strbuf *out, const char *range)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "verify --json %s", range);
}

/* Commits .revq/policy (and any allowed signers file) on main. */
static void set_policy(struct fixture *f, const char *policy)
{
	tl_write(f->repo, ".revq/policy", policy);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 3, "Review policy"));
	tl_git(f->repo, "rebase -q main ai/x");
	tl_git(f->repo, "checkout -q main");
	free(f->ai);
	f->ai = tl_git_out(f->repo, "rev-parse ai/x");
}

static void assert_fails_with(struct fixture *f, const char *failure)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_json_text(out.buf, "$.ok", "0");
	assert_contains(out.buf, failure);
	strbuf_release(&out);
}

static void assert_passes(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	if (verify(f, &out, "main..ai/x") != 0)
		fail_msg("verify failed:\n%s", out.buf);
	assert_json_text(out.buf, "$.ok", "1");
	strbuf_release(&out);
}

static void test_ssh_approval_passes_the_gate(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, note = STRBUF_INIT;

	assert_fails_with(f, "not enough approvals: 0 of 1");
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.commits[0].commit", f->ai);
	assert_json_text(out.buf, "$.commits[0].status", "approved");
	assert_json_text(out.buf, "$.commits[0].decisions[0].verdict", "approve");
	assert_json_text(out.buf, "$.commits[0].decisions[0].reviewer", "jane@example.com");
	assert_json_text(out.buf, "$.commits[0].decisions[0].signer", "jane@example.com");
	assert_json_text(out.buf, "$.commits[0].decisions[0].signature", "good signature");
	assert_json_text(out.buf, "$.commits[0].decisions[0].comment", "looked at it");
	/* The record is a note on the commit, readable with plain git. */
	tl_sh_output(f->repo, &note, NULL, "git notes --ref=revq show %s", f->ai);
	assert_contains(note.buf, "revq1 approve reviewer=\"Jane <jane@example.com>\"");
	assert_contains(note.buf, " sig=ssh:");
	strbuf_release(&out);
	strbuf_release(&note);
}

static void test_gpg_approval_passes_the_gate(void **state)
{
	struct fixture *f = *state;
	const char *gnupg = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, fingerprint = STRBUF_INIT;

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
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				"\"$REVQ_BIN\" approve -m gpg %s", f->ai), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.commits[0].decisions[0].signer", fingerprint.buf);
	assert_json_text(out.buf, "$.commits[0].decisions[0].signature", "good signature");
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git notes --ref=revq show %s", f->ai);
	assert_contains(out.buf, " sig=openpgp:");
	/* Bob signing with Jane's key is not Bob. */
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
				"\"$REVQ_BIN\" reject -m no %s", f->ai), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);   /* Bob's rejection does not count */
	assert_contains(out.buf, "signer is not the reviewer");
	/* The same record without the key in the keyring does not verify. */
	tl_sh(gnupg, "gpg --batch --yes --delete-secret-and-public-key %s 2>/dev/null", fingerprint.buf);
	assert_fails_with(f, "not enough approvals: 0 of 1");
	unsetenv("GNUPGHOME");
	strbuf_release(&fingerprint);
	strbuf_release(&out);
}

static void test_tampered_record_is_refused(void **state)
{
	struct fixture *f = *state;

	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	tl_sh(f->repo, "git notes --ref=revq show %s | sed 's/risk=0/risk=1/; s/looked at it/rubber stamp/' >note "
		       "&& git notes --ref=revq add -f -F note %s", f->ai, f->ai);
	assert_fails_with(f, "bad signature");
}

static void test_record_copied_to_another_commit_is_refused(void **state)
{
	struct fixture *f = *state;
	char *other;

	tl_git(f->repo, "checkout -q ai/x");
	other = tl_commit_file(f->repo, "src/other.c", "int other;\n", 1, "Another change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	tl_git(f->repo, "notes --ref=revq copy %s %s", f->ai, other);
	assert_fails_with(f, "another commit");
	free(other);
}

static void test_unknown_signer_is_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(decide(f, "approve", "stranger", "Jane", "jane@example.com", f->ai), 0);
	assert_fails_with(f, "not enough approvals");
	assert_fails_with(f, "\"problem\": \"");
}

static void test_signer_must_be_the_reviewer(void **state)
{
	struct fixture *f = *state;

	/* Mallory signs with her own (allowed) key but names Jane. */
	assert_int_equal(decide(f, "approve", "mallory", "Jane", "jane@example.com", f->ai), 0);
	assert_fails_with(f, "mallory@example.com");
	assert_fails_with(f, "not enough approvals: 0 of 1");
}

static void test_self_approval_is_refused(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, refs = STRBUF_INIT;

	/* The commit's committer and author hold allowed keys, yet may not approve it. */
	tl_sh(f->keys, "printf 'committer@example.com,author@example.com namespaces=\"revq\" %%s\\n' "
		       "\"$(cut -d' ' -f1,2 jane.pub)\" >> allowed");
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=committer@example.com "
				      "\"$REVQ_BIN\" approve %s", f->ai), 3);
	assert_contains(err.buf, "self-approval never counts");
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=author@example.com "
				"\"$REVQ_BIN\" approve %s 2>/dev/null", f->ai), 3);
	/* The co-author named in a trailer is no reviewer of the commit either. */
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=noreply@anthropic.com "
				"\"$REVQ_BIN\" approve %s 2>/dev/null", f->ai), 3);
	tl_sh_output(f->repo, &refs, NULL, "git for-each-ref refs/notes");
	assert_string_equal(refs.buf, "");
	assert_fails_with(f, "not enough approvals: 0 of 1");
	strbuf_release(&err);
	strbuf_release(&refs);
}

static const char senior_policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[reviewer \"jane@example.com\"]\n\tlevel = senior\n"
	"[reviewer \"bob@example.com\"]\n\tlevel = mid\n"
	"[tier \"all\"]\n\tminRisk = 0\n\tlevel = senior\n";

static void test_level_too_low_then_senior(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	set_policy(f, senior_policy);
	/* The gate now reads the allowed signers from the target, not git config. */
	tl_git(f->repo, "config --unset gpg.ssh.allowedSignersFile");
	approve(f, "bob", "Bob", "bob@example.com", f->ai);
	assert_fails_with(f, "senior");
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.commits[0].level_needed", "senior");
	strbuf_release(&out);
}

static void test_two_approvals_needed_by_path_rule(void **state)
{
	struct fixture *f = *state;

	set_policy(f, "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		      "[path \"src/**\"]\n\tapprovals = 2\n");
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_fails_with(f, "not enough approvals: 1 of 2");
	/* The same reviewer twice is still one approval. */
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_fails_with(f, "not enough approvals: 1 of 2");
	approve(f, "bob", "Bob", "bob@example.com", f->ai);
	assert_passes(f);
}

static void test_policy_changed_by_the_pending_commit_is_ignored(void **state)
{
	struct fixture *f = *state;

	set_policy(f, senior_policy);
	/* A pending AI commit makes Bob senior; the target's policy still rules. */
	tl_git(f->repo, "checkout -q ai/x");
	tl_sh(f->repo, "sed -i 's/level = mid/level = senior/' .revq/policy");
	free(tl_commit(f->repo, 1, "Promote Bob" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	tl_sh(f->repo, "for c in $(git rev-list main..ai/x); do "
		       "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
		       "\"$REVQ_BIN\" approve -m ok $c || exit 1; done");
	tl_git(f->repo, "config user.signingkey %s/bob", f->keys);
	assert_fails_with(f, "senior");
	/* The working tree's policy does not count either. */
	tl_sh(f->repo, "sed -i 's/level = mid/level = senior/' .revq/policy");
	assert_fails_with(f, "senior");
}

static void test_rejection_is_the_latest_word_until_approved(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	approve(f, "bob", "Bob", "bob@example.com", f->ai);
	assert_passes(f);
	assert_int_equal(decide(f, "reject", "jane", "Jane", "jane@example.com", f->ai), 0);
	assert_fails_with(f, "rejected");
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_json_text(out.buf, "$.commits[0].status", "rejected");
	/* Jane changes her mind in the same second: a rejection wins a tie. */
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_fails_with(f, "rejected");
	/* A second later, her latest record is what counts. */
	setenv("REVQ_NOW", "1767225601", 1);
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_passes(f);
	setenv("REVQ_NOW", "1767225600", 1);
	strbuf_release(&out);
}

/* `revq approve A..B` decides every commit of the range, as git rev-list lists it. */
static void test_approve_takes_a_range(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *second;

	tl_git(f->repo, "checkout -q ai/x");
	second = tl_commit_file(f->repo, "src/more.c", "int more;\n", 1, "More" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	assert_fails_with(f, "not enough approvals: 0 of 1");
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	assert_int_equal(tl_sh_output(f->repo, &out, &err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				      "\"$REVQ_BIN\" approve main..ai/x"), 0);
	assert_contains(out.buf, "approved");
	assert_contains(out.buf, "More");
	assert_contains(out.buf, "Add a feature");
	assert_passes(f);
	/* An empty range is an error, not a silent success. */
	strbuf_reset(&err);
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				      "\"$REVQ_BIN\" approve main..main"), 3);
	assert_contains(err.buf, "holds no commit");
	free(second);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_approval_carries_over_to_a_rebased_copy(void **state)
{
	struct fixture *f = *state;
	char *copy;

	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	/* main moves on; ai/x is rebased: new commit id, same patch-id. */
	free(tl_commit_file(f->repo, "README", "more\n", 1, "Unrelated"));
	tl_git(f->repo, "rebase -q main ai/x");
	tl_git(f->repo, "checkout -q main");
	copy = tl_git_out(f->repo, "rev-parse ai/x");
	assert_string_not_equal(copy, f->ai);
	assert_passes(f);
	/* A policy can turn carrying over off. */
	set_policy(f, "[revq]\n\tallowedSigners = .revq/allowed_signers\n\tcarryOverRebase = false\n");
	assert_fails_with(f, "not enough approvals: 0 of 1");
	free(copy);
}

static void test_changed_copy_does_not_carry_over(void **state)
{
	struct fixture *f = *state;

	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	tl_git(f->repo, "checkout -q ai/x");
	tl_write(f->repo, "src/feature.c", "int feature(void) { return 2; }\n");
	tl_git(f->repo, "commit -q -a --amend --no-edit");
	tl_git(f->repo, "checkout -q main");
	assert_fails_with(f, "not enough approvals: 0 of 1");
}

static void test_concurrent_batch_approvals_lose_nothing(void **state)
{
	struct fixture *f = *state;
	struct strbuf count = STRBUF_INIT;

	tl_git(f->repo, "checkout -q ai/x");
	tl_sh(f->repo, "for i in $(seq 1 100); do echo $i > f$i.txt; git add f$i.txt; "
		       "git commit -q -m \"Change $i\n\nCo-Authored-By: Claude <noreply@anthropic.com>\"; done");
	tl_git(f->repo, "checkout -q main");
	tl_sh(f->repo, "git rev-list main..ai/x | head -50 > first; git rev-list main..ai/x | sed -n '51,101p' > second");
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	assert_int_equal(tl_sh(f->repo,
		"(for c in $(cat first); do GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
		"\"$REVQ_BIN\" approve -m a $c >/dev/null || echo FAIL; done) > log1 2>&1 & "
		"(for c in $(cat second); do GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
		"\"$REVQ_BIN\" approve -m b $c >/dev/null || echo FAIL; done) > log2 2>&1 & wait"), 0);
	/* Nobody saw an error or a warning ("database is locked", a ref conflict). */
	tl_sh_output(f->repo, &count, NULL, "cat log1 log2");
	if (count.len)
		fail_msg("the approvers said:\n%s", count.buf);
	tl_sh_output(f->repo, &count, NULL, "git notes --ref=revq list | wc -l");
	assert_int_equal(atoi(count.buf), 101);
	assert_passes(f);
	/* Notes live in a 2/38 fan-out, as git itself would lay them out. */
	strbuf_reset(&count);
	tl_sh_output(f->repo, &count, NULL, "git ls-tree refs/notes/revq | awk '{ print length($4) }' | sort -u");
	assert_string_equal(count.buf, "2\n");
	assert_int_equal(tl_sh(f->repo, "git fsck --no-progress 2>&1 | grep -v '^dangling' | grep ."), 1);
	strbuf_release(&count);
}

static void test_sync_merges_decisions_through_a_bare_remote(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	struct strbuf out = STRBUF_INIT;
	char *other;

	tl_git(f->repo, "checkout -q ai/x");
	other = tl_commit_file(f->repo, "src/two.c", "int two;\n", 1, "Second" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	tl_sh(top, "git clone -q --bare %s server.git && git clone -q server.git clone", f->repo);
	tl_git(f->repo, "remote add origin %s/server.git", top);
	/* Two reviewers decide in two repositories. */
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "sync"), 0);
	tl_sh(top, "cd clone && git config gpg.format ssh && git config user.signingkey %s/bob && "
		   "git config gpg.ssh.allowedSignersFile %s/allowed && git fetch -q origin ai/x:ai/x",
	      f->keys, f->keys);
	assert_int_equal(tl_sh(top, "cd clone && GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
				  "\"$REVQ_BIN\" approve -m two %s && \"$REVQ_BIN\" sync", other), 0);
	/* Both records reached the clone, and Jane's repository after a sync. */
	assert_int_equal(tl_sh(top, "cd clone && git notes --ref=revq show %s | grep -q Jane", f->ai), 0);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "sync"), 0);
	assert_passes(f);
	/* Both decide on the same commit at once: sync unions the records. */
	assert_int_equal(decide(f, "reject", "jane", "Jane", "jane@example.com", other), 0);
	assert_int_equal(tl_sh(top, "cd clone && GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
				  "\"$REVQ_BIN\" approve -m again %s && \"$REVQ_BIN\" sync", other), 0);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "sync"), 0);
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git notes --ref=revq show %s", other);
	assert_contains(out.buf, "revq1 reject reviewer=\"Jane");
	assert_contains(out.buf, "comment=\"again\"");
	assert_contains(out.buf, "comment=\"two\"");
	/* Nothing was forced: the server's notes contain the clone's history. */
	assert_int_equal(tl_sh(top, "cd server.git && git merge-base --is-ancestor "
				  "$(cd ../clone && git rev-parse refs/notes/revq) refs/notes/revq"), 0);
	free(other);
	strbuf_release(&out);
}

static void test_pre_receive_refuses_unapproved_pushes(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	struct strbuf err = STRBUF_INIT;

	tl_sh(top, "git clone -q --bare %s server.git && cp \"$REVQ_SRCDIR\"/share/revq/pre-receive server.git/hooks/ "
		   "&& mkdir bin && ln -s \"$REVQ_BIN\" bin/revq", f->repo);
	tl_sh(top, "cd server.git && git config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "remote add origin %s/server.git", top);
	assert_int_not_equal(tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin ai/x:main",
					  top), 0);
	assert_contains(err.buf, "refusing to update refs/heads/main");
	/* Approve, push the decision with the branch: accepted. */
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	strbuf_reset(&err);
	if (tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin ai/x:main refs/notes/revq",
			 top))
		fail_msg("push refused:\n%s", err.buf);
	strbuf_release(&err);
}

/*
 * 10,000 commits with notes (not revq records) in a 2/38 fan-out, as
 * fast-import writes them: approving one more keeps every note, and the
 * gate judges the approved commit.
 */
static void test_ten_thousand_notes(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *last;

	tl_sh(f->repo, "awk 'BEGIN { n = 10000; t = 1767000000;"
		       " for (i = 1; i <= n; i++) {"
		       "  printf \"commit refs/heads/ai/many\\nmark :%%d\\ncommitter A <a@example.com> %%d +0000\\n\", i, t + i;"
		       "  msg = sprintf(\"Change %%d\\n\\nCo-Authored-By: Claude <noreply@anthropic.com>\\n\", i);"
		       "  printf \"data %%d\\n%%s\", length(msg), msg;"
		       "  if (i == 1) printf \"from refs/heads/main\\n\";"
		       "  printf \"M 644 inline many.txt\\ndata %%d\\n%%d\\n\\n\", length(i \"\") + 1, i }"
		       " printf \"commit refs/notes/revq\\ncommitter A <a@example.com> %%d +0000\\ndata 6\\nnotes\\n\", t;"
		       " for (i = 1; i < n; i++) printf \"N inline :%%d\\ndata 12\\nsome remark\\n\", i }' "
		       "| git fast-import --quiet");
	last = tl_git_out(f->repo, "rev-parse ai/many");
	approve(f, "jane", "Jane", "jane@example.com", last);
	tl_sh_output(f->repo, &out, NULL, "git notes --ref=revq list | wc -l");
	assert_int_equal(atoi(out.buf), 10000);
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git ls-tree refs/notes/revq | awk '{ print length($4) }' | sort -u");
	assert_string_equal(out.buf, "2\n");
	assert_int_equal(verify(f, &out, "ai/many~1..ai/many"), 0);
	assert_int_equal(verify(f, &out, "ai/many~2..ai/many~1"), 1);   /* a remark is no approval */
	assert_contains(out.buf, "not enough approvals: 0 of 1");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json --limit 3 main..ai/many"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 3);
	free(last);
	strbuf_release(&out);
}

static void test_commands_statuses_and_warnings(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *copy;

	/* A rejection needs a reason. */
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_EMAIL=jane@example.com "
				      "\"$REVQ_BIN\" reject %s", f->ai), 2);
	assert_contains(err.buf, "reason");
	/* --no-sign writes a record that verify never accepts. */
	assert_int_equal(tl_sh(f->repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				"\"$REVQ_BIN\" approve --no-sign %s 2>/dev/null", f->ai), 0);
	assert_fails_with(f, "unsigned");
	/* list's status follows the decisions. */
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json"), 0);
	assert_json_text(out.buf, "$[0].status", "pending");
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json"), 0);
	assert_json_text(out.buf, "$[0].status", "approved");
	/* show lists each decision with its signature status. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", f->ai), 0);
	assert_contains(out.buf, "Jane <jane@example.com>");
	assert_contains(out.buf, "good signature");
	assert_contains(out.buf, "unsigned");
	/* git log --notes=revq shows the records to a person. */
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git log -1 --notes=revq %s", f->ai);
	assert_contains(out.buf, "revq1 approve reviewer=\"Jane <jane@example.com>\"");
	/* A rebased copy says where its approval came from. */
	free(tl_commit_file(f->repo, "README", "more\n", 1, "Unrelated"));
	tl_git(f->repo, "rebase -q main ai/x");
	tl_git(f->repo, "checkout -q main");
	copy = tl_git_out(f->repo, "rev-parse ai/x");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", copy), 0);
	assert_contains(out.buf, "carried over from");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json"), 0);
	assert_json_text(out.buf, "$[0].status", "approved");
	free(copy);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_approve_warns_when_the_level_is_too_low(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, note = STRBUF_INIT;

	set_policy(f, senior_policy);
	tl_git(f->repo, "config user.signingkey %s/bob", f->keys);
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
				      "\"$REVQ_BIN\" approve %s", f->ai), 0);
	assert_contains(err.buf, "senior");
	/* Written all the same: it may count under a later policy. */
	tl_sh_output(f->repo, &note, NULL, "git notes --ref=revq show %s", f->ai);
	assert_contains(note.buf, "reviewer=\"Bob <bob@example.com>\"");
	strbuf_release(&err);
	strbuf_release(&note);
}

/* Jane approves every commit of main..ai/x; then ssh-keygen is a wrapper counting its runs in tools/calls. */
static void approve_all_counting_ssh_keygen(struct fixture *f, const char *tools)
{
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	assert_int_equal(tl_sh(f->repo, "for c in $(git rev-list main..ai/x); do GIT_COMMITTER_NAME=Jane "
				"GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" approve $c >/dev/null || exit 1; done"), 0);
	tl_write(tools, "ssh-keygen", "#!/bin/sh\necho run >> \"$(dirname \"$0\")/calls\"\nexec ssh-keygen \"$@\"\n");
	tl_sh(tools, "chmod +x ssh-keygen && : > calls");
	tl_git(f->repo, "config gpg.ssh.program %s/ssh-keygen", tools);
}

/*
 * Verified signatures are cached: a second verify runs no ssh-keygen.
 * The ssh-keygen path is forced here, so that its runs can be counted;
 * the in-process path is the next test.
 */
static void test_verification_results_are_cached(void **state)
{
	struct fixture *f = *state;
	const char *tools = tl_tmpdir();
	struct strbuf count = STRBUF_INIT;

	setenv("REVQ_SSH_VERIFIER", "ssh-keygen", 1);

	tl_git(f->repo, "checkout -q ai/x");
	for (int i = 0; i < 5; i++) {
		char path[32];

		snprintf(path, sizeof(path), "more%d.c", i);
		free(tl_commit_file(f->repo, path, "x\n", 1, "More" TL_AI_TRAILER));
	}
	tl_git(f->repo, "checkout -q main");
	approve_all_counting_ssh_keygen(f, tools);
	/* approve checked each record as verify will, which cached it: start cold. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	assert_passes(f);
	tl_sh_output(tools, &count, NULL, "wc -l < calls");
	assert_true(atoi(count.buf) >= 6);   /* find-principals and verify per record */
	tl_sh(tools, ": > calls");
	assert_passes(f);
	strbuf_reset(&count);
	tl_sh_output(tools, &count, NULL, "wc -l < calls");
	assert_int_equal(atoi(count.buf), 0);
	/* A different allowed signers file is a different question. */
	tl_sh(f->keys, "cp allowed allowed2 && echo '# changed' >> allowed2");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed2", f->keys);
	assert_passes(f);
	strbuf_reset(&count);
	tl_sh_output(tools, &count, NULL, "wc -l < calls");
	assert_true(atoi(count.buf) >= 6);
	unsetenv("REVQ_SSH_VERIFIER");
	strbuf_release(&count);
}

/* ssh signatures are checked in-process, with no ssh-keygen run, and --json says so; then cached. */
static void test_ssh_signatures_are_verified_in_process_without_ssh_keygen(void **state)
{
	struct fixture *f = *state;
	const char *tools = tl_tmpdir();
	struct strbuf count = STRBUF_INIT, out = STRBUF_INIT;

	approve_all_counting_ssh_keygen(f, tools);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.ok", "1");
	assert_json_text(out.buf, "$.commits[0].decisions[0].verifier", "in-process");
	tl_sh_output(tools, &count, NULL, "wc -l < calls");
	assert_int_equal(atoi(count.buf), 0);
	strbuf_reset(&out);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_json_text(out.buf, "$.commits[0].decisions[0].verifier", "cache");
	/* Forced to ssh-keygen, the same records give the same answer. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	setenv("REVQ_SSH_VERIFIER", "ssh-keygen", 1);
	strbuf_reset(&out);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	unsetenv("REVQ_SSH_VERIFIER");
	assert_json_text(out.buf, "$.commits[0].decisions[0].verifier", "ssh-keygen");
	strbuf_reset(&count);
	tl_sh_output(tools, &count, NULL, "wc -l < calls");
	assert_true(atoi(count.buf) >= 1);
	strbuf_release(&count);
	strbuf_release(&out);
}

/* Two clones approve different commits; plain git merges the notes without losing either. */
static void test_cat_sort_uniq_merge_keeps_every_record(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, clone = STRBUF_INIT;

	tl_sh(top, "git clone -q %s clone", f->repo);
	strbuf_addf(&clone, "%s/clone", top);
	tl_sh(clone.buf, "git config gpg.format ssh && git config user.signingkey %s/bob && "
			 "git config gpg.ssh.allowedSignersFile %s/allowed && git branch -q ai/x origin/ai/x",
	      f->keys, f->keys);
	approve(f, "jane", "Jane", "jane@example.com", f->ai);
	assert_int_equal(tl_sh(clone.buf, "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
				   "\"$REVQ_BIN\" reject -m 'not yet' %s", f->ai), 0);
	/* The same commit's note changed on both sides: a real conflict for git. */
	tl_git(clone.buf, "fetch -q origin refs/notes/revq:refs/notes/theirs");
	tl_git(clone.buf, "notes --ref=revq merge -q -s cat_sort_uniq refs/notes/theirs");
	tl_sh_output(clone.buf, &out, NULL, "git notes --ref=revq show %s", f->ai);
	assert_contains(out.buf, "revq1 approve reviewer=\"Jane");
	assert_contains(out.buf, "revq1 reject reviewer=\"Bob");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(clone.buf, &out, NULL, "verify --json main..ai/x"), 1);
	assert_json_text(out.buf, "$.commits[0].status", "rejected");
	assert_int_equal(tl_json_length(out.buf, "$.commits[0].decisions"), 2);
	strbuf_release(&out);
	strbuf_release(&clone);
}

/* user.signingkey as git allows it: a public key literal whose private half is in ssh-agent. */
static void test_ssh_agent_key(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(f->keys, &out, NULL, "cut -d' ' -f1,2 jane.pub");
	strbuf_trim_trailing_newline(&out);
	tl_git(f->repo, "config user.signingkey 'key::%s'", out.buf);
	assert_int_equal(tl_sh(f->repo, "eval \"$(ssh-agent -s)\" >/dev/null && ssh-add -q %s/jane 2>/dev/null && "
				"GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" approve %s; "
				"rc=$?; ssh-agent -k >/dev/null; exit $rc", f->keys, f->ai), 0);
	assert_passes(f);
	/* Without the agent the same setting cannot sign, and says so. */
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(f->repo, NULL, &out, "SSH_AUTH_SOCK= GIT_COMMITTER_NAME=Jane "
				      "GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" approve %s", f->ai), 3);
	assert_contains(out.buf, "ssh");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ssh_approval_passes_the_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpg_approval_passes_the_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_agent_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_record_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_copied_to_another_commit_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_signer_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signer_must_be_the_reviewer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_approval_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_too_low_then_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_approvals_needed_by_path_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_changed_by_the_pending_commit_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejection_is_the_latest_word_until_approved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_takes_a_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approval_carries_over_to_a_rebased_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_copy_does_not_carry_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_batch_approvals_lose_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_merges_decisions_through_a_bare_remote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pre_receive_refuses_unapproved_pushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ten_thousand_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands_statuses_and_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_warns_when_the_level_is_too_low, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verification_results_are_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_signatures_are_verified_in_process_without_ssh_keygen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cat_sort_uniq_merge_keeps_every_record, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
