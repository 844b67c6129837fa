/*
 * test_hook.c: the server's gate (`revq hook pre-receive`, installed as
 * hooks/pre-receive in a real bare repository) tried as an attacker
 * would: an unborn HEAD, a fast-forward of the notes that drops a
 * rejection, a second copy of a note, shell globs in revq.protect, a
 * symbolic ref aliasing the protected branch, a push big enough for
 * worker threads in the quarantine, replace refs and grafts, new
 * protected branches.  Beside each attack, the genuine approved push that
 * must still be accepted, so that a hook refusing everything fails too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;     /* the developer's clone, remote origin = the server */
	const char *keys;
	const char *top;      /* server.git and bin/revq live here */
};

/* A bare server made from repo (or empty), with the hook installed and revq on the hook's PATH. */
static void make_server(struct fixture *f, int empty)
{
	if (empty)
		tl_sh(f->top, "git init -q --bare server.git");
	else
		tl_sh(f->top, "git clone -q --bare %s server.git", f->repo);
	tl_sh(f->top, "cp \"$REVQ_SRCDIR\"/share/revq/pre-receive server.git/hooks/ && "
		      "mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq");
	tl_git(f->repo, "remote add origin %s/server.git", f->top);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	f->top = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n");
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 3, "Review policy"));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* `git push origin REFSPECS` from the developer's clone; the exit status, stderr in err as git shows it. */
static int push_raw(struct fixture *f, struct strbuf *err, const char *refspecs)
{
	strbuf_reset(err);
	return tl_sh_output(f->repo, NULL, err, "PATH=%s/bin:$PATH git push -q origin %s", f->top,
			    refspecs) ? 1 : 0;
}

/* push_raw() with the hook's wrapped messages joined again (tl_join_remote_lines()). */
static int push(struct fixture *f, struct strbuf *err, const char *refspecs)
{
	int rc = push_raw(f, err, refspecs);

	tl_join_remote_lines(err);
	return rc;
}

static void assert_push_refused(struct fixture *f, const char *refspecs, const char *why)
{
	struct strbuf err = STRBUF_INIT;

	if (!push(f, &err, refspecs))
		fail_msg("push %s was accepted:\n%s", refspecs, err.buf);
	if (why)
		assert_contains(err.buf, why);
	assert_not_contains(err.buf, "\033");
	strbuf_release(&err);
}

static void assert_push_accepted(struct fixture *f, const char *refspecs)
{
	struct strbuf err = STRBUF_INIT;

	if (push(f, &err, refspecs))
		fail_msg("push %s was refused:\n%s", refspecs, err.buf);
	strbuf_release(&err);
}

static void server_git(struct fixture *f, const char *cmd)
{
	tl_sh(f->top, "cd server.git && git %s", cmd);
}

/* `revq VERB -m MSG COMMITS` as EMAIL signing with key. */
static void decide(struct fixture *f, const char *verb, const char *key, const char *email,
		   const char *commits)
{
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' "
			 "\"$REVQ_BIN\" %s -m 'looked at it' %s", email, verb, commits))
		fail_msg("revq %s: %s", verb, err.buf);
	strbuf_release(&err);
}

/* decide(), one second after the tests' "now": a change of mind (ties go to a rejection). */
static void later(struct fixture *f, const char *verb, const char *key, const char *email,
		  const char *commits)
{
	setenv("REVQ_NOW", "1767225601", 1);
	decide(f, verb, key, email, commits);
	setenv("REVQ_NOW", "1767225600", 1);
}

/* An AI-assisted commit on branch (made from main) writing path; returns its id. */
static char *ai_commit(struct fixture *f, const char *branch, const char *path)
{
	char *id;

	tl_git(f->repo, "checkout -q -B %s main", branch);
	id = tl_commit_file(f->repo, path, "int x;\n", 2, "Change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	return id;
}

static void test_an_unborn_head_does_not_open_the_gate(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	/* The server's HEAD names master, which does not exist; the project uses main. */
	server_git(f, "symbolic-ref HEAD refs/heads/master");
	server_git(f, "config revq.protect refs/heads/main");
	x = ai_commit(f, "ai/x", "a.c");
	assert_push_refused(f, "ai/x:main", "refusing to update refs/heads/main");
	/* Control: approved, with the decision in the same push. */
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
}

/* Pushes the clone's notes after rewriting x's note with `edit` (a sed script) as a child commit. */
static void rewrite_note(struct fixture *f, const char *x, const char *edit)
{
	tl_sh(f->repo, "git notes --ref=revq show %s | sed '%s' > ../edited && "
		       "git notes --ref=revq add -f -F ../edited %s", x, edit, x);
}

static void test_a_notes_fast_forward_that_drops_a_rejection_is_refused(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	x = ai_commit(f, "ai/x", "a.c");
	decide(f, "approve", "jane", "jane@example.com", x);
	decide(f, "reject", "bob", "bob@example.com", x);
	assert_push_accepted(f, "refs/notes/revq");   /* decisions alone: nothing to judge */
	assert_push_refused(f, "ai/x:main", "lack approval");
	/* The attacker drops Bob's line in a fast-forward and pushes it with the branch. */
	tl_git(f->repo, "update-ref refs/notes/saved refs/notes/revq");
	rewrite_note(f, x, "/revq1 reject/d");
	assert_push_refused(f, "ai/x:main refs/notes/revq", "decisions are append-only");
	assert_push_refused(f, "refs/notes/revq", "loses the line 'revq1 reject");
	/* Deleting the notes ref, or replacing it by unrelated history, is refused too. */
	assert_push_refused(f, ":refs/notes/revq", "cannot be deleted");
	tl_sh(f->repo, "git update-ref refs/notes/revq $(git commit-tree -m x "
		       "$(git mktree </dev/null))");
	assert_push_refused(f, "+refs/notes/revq", "not a fast-forward");
	/* Control: a fast-forward adding Bob's new approval, a second later, with the branch. */
	tl_git(f->repo, "update-ref refs/notes/revq refs/notes/saved");
	later(f, "approve", "bob", "bob@example.com", x);
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
}

static void test_an_escaped_line_names_the_lost_record(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *x;

	make_server(f, 0);
	x = ai_commit(f, "ai/x", "a.c");
	tl_sh(f->repo, "git notes --ref=revq add -m \"$(printf 'remark \\033]52;c;AAAA\\007 end')\" %s", x);
	assert_push_accepted(f, "refs/notes/revq");
	rewrite_note(f, x, "s/remark.*/remark/");
	assert_int_equal(push(f, &err, "refs/notes/revq"), 1);
	assert_contains(err.buf, "loses the line 'remark ");
	assert_not_contains(err.buf, "\033");
	assert_not_contains(err.buf, "\007");
	free(x);
	strbuf_release(&err);
}

/*
 * x's note in two copies: Jane's approval at the flat path, a remark at
 * the 2/38 path, in a notes commit on top of the current one.
 */
static void split_note(struct fixture *f, const char *x)
{
	tl_sh(f->repo,
	      "x=%s; appr=$(git notes --ref=revq show $x | git hash-object -w --stdin) && "
	      "rem=$(echo remark | git hash-object -w --stdin) && "
	      "sub=$(printf '100644 blob %%s\\t%%s\\n' $rem ${x#??} | git mktree) && "
	      "t=$(printf '100644 blob %%s\\t%%s\\n040000 tree %%s\\t%%s\\n' $appr $x $sub "
	      "$(echo $x | cut -c1-2) | git mktree) && "
	      "git update-ref refs/notes/revq $(git commit-tree -p refs/notes/revq -m split $t)", x);
}

static void test_a_rejection_beside_a_second_copy_of_the_note_counts(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x;

	make_server(f, 0);
	x = ai_commit(f, "ai/x", "a.c");
	decide(f, "approve", "jane", "jane@example.com", x);
	split_note(f, x);
	/* git shows both copies, concatenated; so does revq: the approval counts. */
	tl_sh_output(f->repo, &out, NULL, "git notes --ref=revq show %s", x);
	assert_contains(out.buf, "revq1 approve");
	assert_contains(out.buf, "remark");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x"), 0);
	/* Bob rejects: the record lands, in one consolidated copy, and counts. */
	decide(f, "reject", "bob", "bob@example.com", x);
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git ls-tree -r --name-only refs/notes/revq | grep -c %.6s", x + 2);
	assert_string_equal(out.buf, "1\n");
	strbuf_reset(&out);
	tl_sh_output(f->repo, &out, NULL, "git notes --ref=revq show %s", x);
	assert_contains(out.buf, "revq1 approve");
	assert_contains(out.buf, "revq1 reject");
	assert_contains(out.buf, "remark");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x"), 1);
	assert_push_refused(f, "ai/x:main refs/notes/revq", "lack approval");
	/* Control: Bob changes his mind, a second later; the same push is accepted. */
	later(f, "approve", "bob", "bob@example.com", x);
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
	strbuf_release(&out);
}

static void test_upper_case_note_names_and_crlf_lines(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	char *x;

	x = ai_commit(f, "ai/x", "a.c");
	decide(f, "approve", "jane", "jane@example.com", x);
	tl_git(f->repo, "update-ref refs/notes/saved refs/notes/revq");
	/* The approval with CRLF line ends still counts. */
	tl_sh(f->repo, "git notes --ref=revq show %s | sed 's/$/\\r/' > ../crlf && "
		       "git notes --ref=revq add -f -C $(git hash-object -w ../crlf) %s", x, x);
	assert_int_equal(tl_sh(f->repo, "git notes --ref=revq show %s | grep -q \"$(printf '\\r')\"", x), 0);
	if (tl_revq(f->repo, &out, NULL, "verify main..ai/x"))
		fail_msg("verify with CRLF lines: %s", out.buf);
	/* A note named in upper-case hex, which git reads and revq would not: refused as malformed. */
	tl_sh(f->repo, "x=%s; b=$(echo remark | git hash-object -w --stdin) && "
		       "t=$(printf '100644 blob %%s\\t%%s\\n' $b $(echo $x | tr a-f A-F) | git mktree) && "
		       "git update-ref refs/notes/revq $(git commit-tree -p refs/notes/revq -m upper $t)", x);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify main..ai/x"), 3);
	assert_contains(err.buf, "malformed notes tree");
	tl_git(f->repo, "update-ref refs/notes/revq refs/notes/saved");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x"), 0);
	free(x);
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_protect_patterns_match_ref_names_not_files(void **state)
{
	struct fixture *f = *state;
	char *x, *y;

	make_server(f, 0);
	server_git(f, "config revq.protect 'refs/heads/*'");
	server_git(f, "gc -q");   /* no loose ref file left for a shell glob to find */
	x = ai_commit(f, "ai/x", "a.c");
	assert_push_refused(f, "ai/x:main", "refusing to update refs/heads/main");
	assert_push_refused(f, "ai/x:refs/heads/release/1", "refusing to update refs/heads/release/1");
	/* Only what the patterns name is protected. */
	server_git(f, "config --unset-all revq.protect");
	server_git(f, "config --add revq.protect 'refs/heads/release/*'");
	assert_push_accepted(f, "ai/x:refs/heads/topic");
	assert_push_refused(f, "ai/x:refs/heads/release/2", "refusing to update refs/heads/release/2");
	/* Control: once approved, the protected branch takes it. */
	y = tl_git_out(f->repo, "rev-parse ai/x");
	decide(f, "approve", "jane", "jane@example.com", y);
	assert_push_accepted(f, "ai/x:refs/heads/release/2 refs/notes/revq");
	free(x);
	free(y);
}

static void test_a_symbolic_ref_alias_of_the_protected_branch_is_followed(void **state)
{
	struct fixture *f = *state;
	char *x, *main_before, *main_after;

	make_server(f, 0);
	server_git(f, "config revq.protect refs/heads/main");
	server_git(f, "symbolic-ref refs/heads/master refs/heads/main");
	x = ai_commit(f, "ai/x", "a.c");
	main_before = tl_git_out(f->repo, "rev-parse main");
	assert_push_refused(f, "ai/x:refs/heads/master", "refusing to update refs/heads/master");
	main_after = tl_git_out(f->top, "--git-dir=server.git rev-parse refs/heads/main");
	assert_string_equal(main_after, main_before);
	free(main_after);
	/* Control: approved, the push through the alias moves main. */
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/x:refs/heads/master refs/notes/revq");
	main_after = tl_git_out(f->top, "--git-dir=server.git rev-parse refs/heads/main");
	assert_string_equal(main_after, x);
	free(main_after);
	free(main_before);
	free(x);
}

static void test_forty_approved_ai_commits_pass_in_the_quarantine(void **state)
{
	struct fixture *f = *state;
	struct strbuf ids = STRBUF_INIT;
	char *last;

	make_server(f, 0);
	server_git(f, "config revq.jobs 4");   /* worker threads, whatever the machine */
	tl_git(f->repo, "checkout -q -b ai/many");
	for (int i = 0; i < 40; i++) {
		char path[32], *id;

		snprintf(path, sizeof(path), "f%02d.c", i);
		id = tl_commit_file(f->repo, path, "int x;\n", 2, "Change" TL_AI_TRAILER);
		strbuf_addf(&ids, " %s", id);
		free(id);
	}
	tl_git(f->repo, "checkout -q main");
	/* One unapproved: refused (the hook judged every commit, not "cannot read commit"). */
	decide(f, "approve", "jane", "jane@example.com", ids.buf + 42);
	assert_push_refused(f, "ai/many:main refs/notes/revq", "lack approval");
	/* Control: all 40 approved: accepted. */
	decide(f, "approve", "jane", "jane@example.com", ids.buf);
	assert_push_accepted(f, "ai/many:main refs/notes/revq");
	last = tl_git_out(f->top, "--git-dir=server.git rev-parse refs/heads/main");
	assert_string_equal(last, ids.buf + ids.len - 40);
	free(last);
	strbuf_release(&ids);
}

static void test_replace_refs_and_grafts_are_refused(void **state)
{
	struct fixture *f = *state;
	char *x, *other;

	make_server(f, 0);
	x = ai_commit(f, "ai/x", "a.c");
	other = ai_commit(f, "ai/y", "evil.c");
	decide(f, "approve", "jane", "jane@example.com", x);
	tl_git(f->repo, "replace %s %s", x, other);
	assert_push_refused(f, "refs/replace/*:refs/replace/*", "replace refs");
	assert_push_refused(f, "ai/x:main refs/notes/revq refs/replace/*:refs/replace/*", "replace refs");
	/* Grafts on the server: every push is refused until they are gone. */
	tl_write(f->top, "server.git/info/grafts", "");
	assert_push_refused(f, "ai/x:main refs/notes/revq", "info/grafts exists");
	tl_sh(f->top, "rm server.git/info/grafts");
	/* Control: the approved commit, without replace refs. */
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
	free(other);
}

static void test_a_new_protected_branch_is_checked_against_the_target(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	server_git(f, "config revq.protect 'refs/heads/*'");
	x = ai_commit(f, "ai/x", "a.c");
	assert_push_refused(f, "ai/x:refs/heads/feature", "refusing to update refs/heads/feature");
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/x:refs/heads/feature refs/notes/revq");
	free(x);
}

static void test_an_empty_server_takes_no_ai_commit_without_a_policy(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 1);
	x = ai_commit(f, "ai/x", "a.c");
	/* No target ref exists: no approval can count, so the AI commit is refused. */
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_refused(f, "ai/x:main refs/notes/revq", "no target ref holds a policy");
	/* Control: the history without AI commits creates main; then the approved push passes. */
	assert_push_accepted(f, "main");
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
}

/* Carry-over at the server is exact: one space's difference needs its own approval. */
static void test_a_whitespace_copy_of_an_approved_commit_is_refused(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	server_git(f, "config revq.protect refs/heads/main");
	tl_git(f->repo, "checkout -q -B ai/x main");
	x = tl_commit_file(f->repo, "clean.sh", "rm -rf /tmp/x\n", 2, "Clean up" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	decide(f, "approve", "jane", "jane@example.com", x);
	/* The same commit with "/ tmp": the approval of X must not carry over. */
	tl_git(f->repo, "checkout -q -B ai/evil ai/x");
	tl_write(f->repo, "clean.sh", "rm -rf / tmp/x\n");
	tl_git(f->repo, "commit -q -a --amend --no-edit");
	tl_git(f->repo, "checkout -q main");
	assert_push_refused(f, "ai/evil:main refs/notes/revq", "refusing to update refs/heads/main");
	/* Control: main moves on, and a byte-identical rebase of X is let in. */
	free(tl_commit_file(f->repo, "README", "more\n", 1, "Unrelated"));
	assert_push_accepted(f, "main");
	tl_git(f->repo, "rebase -q main ai/x");
	tl_git(f->repo, "checkout -q main");
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
}

/* A change to the trust root needs an approval under the old policy, AI markers or not. */
static void test_an_unmarked_change_to_the_policy_is_refused_until_approved(void **state)
{
	struct fixture *f = *state;
	char *change;

	make_server(f, 0);
	server_git(f, "config revq.protect refs/heads/main");
	tl_git(f->repo, "checkout -q -B tidy main");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		 "[tier \"all\"]\n\tminRisk = 0\n\tapprovals = 0\n");
	change = tl_commit(f->repo, 1, "Tidy the policy");
	tl_git(f->repo, "checkout -q main");
	assert_push_refused(f, "tidy:main", "refusing to update refs/heads/main");
	decide(f, "approve", "jane", "jane@example.com", change);
	assert_push_accepted(f, "tidy:main refs/notes/revq");
	free(change);
}

/* A tag named like the protected branch changes nothing at the server: the hook uses full names. */
static void test_a_tag_named_like_the_protected_branch_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	server_git(f, "config revq.protect refs/heads/main");
	x = ai_commit(f, "ai/x", "a.c");
	tl_git(f->repo, "tag -f main ai/x");
	assert_push_accepted(f, "refs/tags/main");   /* "main" now names a tag and a branch */
	assert_push_refused(f, "ai/x:refs/heads/main", "refusing to update refs/heads/main");
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/x:refs/heads/main refs/notes/revq");
	free(x);
}

/* Every line git shows the pusher as "remote: ..." fits 80 columns; returns how many there were. */
static size_t assert_remote_lines_fit(const char *err)
{
	size_t nr = 0;

	for (const char *line = err; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (!strncmp(line, "remote: ", 8)) {
			nr++;
			while (len && line[len - 1] == ' ')
				len--;   /* git pads sideband lines to clear progress */
			if (len > 80)
				fail_msg("a %zu-column line reaches the pusher: %.*s", len, (int)len, line);
		}
		line += len + (end != NULL);
	}
	return nr;
}

static void test_refusals_fit_the_pushers_terminal(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, subject = STRBUF_INIT;
	char *x;

	make_server(f, 0);
	/* A long subject of words, one word longer than a line, and a control byte. */
	for (int i = 0; i < 12; i++)
		strbuf_addstr(&subject, "wordy subject ");
	strbuf_addstr(&subject, "\033[2J");
	for (int i = 0; i < 100; i++)
		strbuf_addch(&subject, 'z');
	tl_git(f->repo, "checkout -q -B ai/long main");
	x = tl_commit_file(f->repo, "a.c", "int x;\n", 2, subject.buf);
	tl_sh(f->repo, "git commit -q --amend -m \"$(git log -1 --format=%%B)\" -m 'Co-Authored-By: Claude "
		       "<noreply@anthropic.com>'");
	free(x);
	x = tl_git_out(f->repo, "rev-parse HEAD");
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(push_raw(f, &err, "ai/long:main"), 1);
	assert_not_contains(err.buf, "\033");
	assert_true(assert_remote_lines_fit(err.buf) >= 4);   /* wrapped, not cut */
	assert_contains(err.buf, "remote:     wordy subject");
	assert_contains(err.buf, "^[[2J");
	assert_contains(err.buf, "AI-assisted commits lack");
	/* Control: the same push, approved, is accepted. */
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/long:main refs/notes/revq");
	free(x);
	strbuf_release(&err);
	strbuf_release(&subject);
}

/*
 * The hook behind a forge's dispatcher, as Gitea and Forgejo install it:
 * hooks/pre-receive runs every executable of hooks/pre-receive.d/ with
 * git's lines, and revq is one of them.
 */
static void test_the_hook_works_unchanged_in_a_pre_receive_d_directory(void **state)
{
	struct fixture *f = *state;
	char *x;

	make_server(f, 0);
	tl_sh(f->top, "cd server.git/hooks && mkdir pre-receive.d && mv pre-receive pre-receive.d/revq && "
		      "printf '%%s\\n' '#!/bin/sh' 'in=$(cat)' 'for h in hooks/pre-receive.d/*; do' "
		      "'  printf \"%%s\\n\" \"$in\" | \"$h\" || exit 1' 'done' > pre-receive && chmod +x pre-receive");
	x = ai_commit(f, "ai/x", "a.c");
	assert_push_refused(f, "ai/x:main", "AI-assisted commits lack approval");
	decide(f, "approve", "jane", "jane@example.com", x);
	assert_push_accepted(f, "ai/x:main refs/notes/revq");
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_unborn_head_does_not_open_the_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_notes_fast_forward_that_drops_a_rejection_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_escaped_line_names_the_lost_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_rejection_beside_a_second_copy_of_the_note_counts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upper_case_note_names_and_crlf_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protect_patterns_match_ref_names_not_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_symbolic_ref_alias_of_the_protected_branch_is_followed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_forty_approved_ai_commits_pass_in_the_quarantine,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_refs_and_grafts_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_protected_branch_is_checked_against_the_target,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_whitespace_copy_of_an_approved_commit_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_unmarked_change_to_the_policy_is_refused_until_approved,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_tag_named_like_the_protected_branch_changes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_empty_server_takes_no_ai_commit_without_a_policy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_fit_the_pushers_terminal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_hook_works_unchanged_in_a_pre_receive_d_directory,
						setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
