/*
 * test_comments.c: review comments as signed records in the notes, with
 * real ssh keys: a comment follows its line across a rebase that leaves
 * the line alone and goes outdated when the line changes; two
 * reviewers' comments merge with cat_sort_uniq; forged comments never
 * show as the reviewer's; hostile bytes are escaped in text and JSON;
 * the pre-receive hook refuses to lose a comment; rejecting for the
 * unresolved comments; revq.recordViewed.  Beside each attack, the
 * genuine case that must still pass.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *change;       /* the AI-assisted commit on ai/x */
};

#define AS_JANE "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
#define AS_BOB "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "

static const char base_text[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C mallory -f mallory");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	free(tl_commit_file(f->repo, "f.txt", base_text, 10, "Numbers"));
	tl_git(f->repo, "checkout -q -b ai/x");
	f->change = tl_commit_file(f->repo, "f.txt", "1\n2\n3\n4\n5\n6\n7\neight\n9\n10\n", 5,
				   "Spell eight" TL_AI_TRAILER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->change);
	free(f);
	return 0;
}

/* `revq comments --json` of the pending commits; caller frees. */
static char *comments_json(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments --json"), 0);
	assert_true(tl_json_valid(out.buf));
	return strbuf_detach(&out, NULL);
}

static void comment_on_eight(struct fixture *f)
{
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment --path f.txt --line 8 -m 'Why words?' %s "
			       ">/dev/null", f->change), 0);
}

static void test_a_comment_follows_an_unchanged_line_across_a_rebase_and_goes_outdated_when_it_changes(void **state)
{
	struct fixture *f = *state;
	char *json;

	comment_on_eight(f);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_json_text(json, "$[0].text", "Why words?");
	assert_int_equal(tl_json_int(json, "$[0].current_line"), 8);
	assert_int_equal(tl_json_int(json, "$[0].verified"), 1);
	free(json);
	/* A comment is no decision, and no malformed one either: verify judges the commit as before. */
	{
		struct strbuf out = STRBUF_INIT;

		assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"), 1);
		assert_null(strstr(out.buf, "malformed"));
		assert_contains(out.buf, "not enough approvals: 0 of 1");
		strbuf_release(&out);
	}
	/* main gains a line on top: the rebased line is line 9 now, unchanged. */
	tl_git(f->repo, "checkout -q main");
	free(tl_commit_file(f->repo, "f.txt", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", 2, "Zero"));
	tl_git(f->repo, "checkout -q ai/x");
	tl_git(f->repo, "rebase -q main");
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_int_equal(tl_json_int(json, "$[0].earlier_version"), 1);
	assert_int_equal(tl_json_int(json, "$[0].outdated"), 0);
	assert_int_equal(tl_json_int(json, "$[0].current_line"), 9);
	free(json);
	/* The author changes the very line: the comment is outdated, and still listed. */
	tl_write(f->repo, "f.txt", "0\n1\n2\n3\n4\n5\n6\n7\nEIGHT\n9\n10\n");
	tl_git(f->repo, "commit -q -a --amend --no-edit");
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_int_equal(tl_json_int(json, "$[0].outdated"), 1);
	assert_json_text(json, "$[0].current_line", "");
	free(json);
}

static void test_a_line_comment_needs_a_line_of_the_diff_and_one_line_of_bounded_text(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *json;

	assert_int_equal(tl_revq(f->repo, NULL, &err, "comment --path f.txt --line 99 -m x %s", f->change), 2);
	assert_contains(err.buf, "not in the diff");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment -m \"$(printf 'two\\nlines')\" %s", f->change), 2);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment -m \"$(printf 'red \\033[31m')\" %s", f->change), 2);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment -m \"$(head -c 2001 /dev/zero | tr '\\0' x)\" %s",
				 f->change), 2);
	/* The legitimate ones: a general comment, and one on the old side of the diff. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment -m \"$(head -c 2000 /dev/zero | tr '\\0' x)\" %s",
				 f->change), 0);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment --side old --path f.txt --line 8 -m was %s",
				 f->change), 0);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 2);
	assert_contains(json, "\"side\": \"old\"");
	assert_contains(json, "\"current_line\": 8");
	free(json);
	strbuf_release(&err);
}

static void test_two_reviewers_comments_merge_with_cat_sort_uniq(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	char *json;

	tl_sh(top, "git clone -q %s other && cd other && git config user.signingkey %s/bob && "
		   "git config gpg.format ssh && git config gpg.ssh.allowedSignersFile %s/allowed", f->repo, f->keys, f->keys);
	comment_on_eight(f);
	assert_int_equal(tl_sh(top, "cd other && " AS_BOB "\"$REVQ_BIN\" comment -m 'Bob was here' %s >/dev/null",
			       f->change), 0);
	tl_sh(f->repo, "git fetch -q %s/other refs/notes/revq:refs/notes/bob && "
		       "git notes --ref revq merge -q -s cat_sort_uniq refs/notes/bob", top);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 2);
	assert_int_equal(tl_json_int(json, "$[0].verified"), 1);
	assert_int_equal(tl_json_int(json, "$[1].verified"), 1);
	assert_contains(json, "\"reviewer_email\": \"bob@example.com\"");
	assert_contains(json, "\"reviewer_email\": \"jane@example.com\"");
	free(json);
}

/* Appends line to the note on commit, as any writer of the notes could. */
static void append_note_line(struct fixture *f, const char *line)
{
	tl_write(f->repo, ".git/forged", line);
	tl_sh(f->repo, "git notes --ref revq append -F .git/forged %s", f->change);
}

static void test_a_forged_comment_never_shows_as_the_reviewers(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, line = STRBUF_INIT;
	char *genuine, *json, *p;

	comment_on_eight(f);
	genuine = tl_git_out(f->repo, "notes --ref revq show %s", f->change);
	/* The text of a genuine record changed: its signature no longer covers it. */
	strbuf_addstr(&line, genuine);
	p = strstr(line.buf, "Why words?");
	assert_non_null(p);
	memcpy(p, "LGTM, ship", 10);
	append_note_line(f, line.buf);
	/* A record signed by a key that is not in the allowed signers, claiming to be Jane. */
	assert_int_equal(tl_sh(f->repo, "git config user.signingkey %s/mallory && " AS_JANE
			       "\"$REVQ_BIN\" comment -m 'Approved by Jane, honest' %s >/dev/null && "
			       "git config user.signingkey %s/jane", f->keys, f->change, f->keys), 0);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 3);
	for (int i = 0; i < 3; i++) {
		char path[32], *text;

		snprintf(path, sizeof(path), "$[%d].text", i);
		text = tl_json_text(json, path);
		snprintf(path, sizeof(path), "$[%d].verified", i);
		/* Only the genuine one verifies; the others are marked, never silently Jane's. */
		assert_int_equal(tl_json_int(json, path), !strcmp(text, "Why words?"));
		free(text);
	}
	assert_contains(json, "\"signature\": \"bad signature\"");
	assert_contains(json, "\"signature\": \"unknown signer\"");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments"), 0);
	assert_contains(out.buf, "unverified (bad signature), claims Jane");
	assert_contains(out.buf, "unverified (unknown signer), claims Jane");
	free(json);
	free(genuine);
	strbuf_release(&out);
	strbuf_release(&line);
}

static void test_hostile_bytes_in_a_comment_are_escaped_in_text_and_json(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, line = STRBUF_INIT;
	char hex[64];
	char *json;

	/* A record no revq writes: a bidi override in the reviewer's name and the path, an ESC in the text. */
	snprintf(hex, sizeof(hex), "%s", f->change);
	strbuf_addf(&line, "revq1-comment reviewer=\"Ev\xe2\x80\xae" "il <e@x>\" time=2026-01-01T00:00:00Z commit=%s "
		    "path=\"\" side=none line=0 line-id=0000000000000000000000000000000000000000 "
		    "re=0000000000000000000000000000000000000000 text=\"hi\" sig=none:\n"
		    "revq1-comment reviewer=\"E <e@x>\" time=2026-01-01T00:00:01Z commit=%s "
		    "path=\"\" side=none line=0 line-id=0000000000000000000000000000000000000000 "
		    "re=0000000000000000000000000000000000000000 text=\"\x1b]52;c;ZXZpbA==\x07\" sig=none:", hex, hex);
	append_note_line(f, line.buf);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments"), 0);
	assert_null(strstr(out.buf, "\xe2\x80\xae"));
	assert_null(strstr(out.buf, "\x1b"));
	assert_contains(out.buf, "unverified (unsigned), claims Ev");
	/* The record with an escape in its text is malformed: dropped, not shown. */
	assert_null(strstr(out.buf, "ZXZpbA"));
	strbuf_reset(&out);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	/* JSON is for scripts: no control byte, the rest as UTF-8 (show/json.h). */
	assert_null(strstr(json, "\x1b"));
	assert_contains(json, "\"verified\": false");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", f->change), 0);
	assert_null(strstr(out.buf, "\xe2\x80\xae"));
	assert_contains(out.buf, "Comments:  1, 1 unresolved");
	free(json);
	strbuf_release(&out);
	strbuf_release(&line);
}

static void test_replies_resolutions_and_a_rejection_for_the_unresolved_comments(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *json, *id, *note;

	/* Nothing to reject for yet: --unresolved needs a comment. */
	assert_int_equal(tl_revq(f->repo, NULL, &err, "reject --unresolved %s", f->change), 2);
	assert_contains(err.buf, "no unresolved comment");
	comment_on_eight(f);
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment -m 'And the test?' %s >/dev/null", f->change), 0);
	json = comments_json(f);
	id = tl_json_text(json, "$[0].id");
	free(json);
	assert_int_equal(tl_sh(f->repo, "git config user.signingkey %s/bob && " AS_BOB "\"$REVQ_BIN\" comment "
			       "--reply %.8s -m 'Readable' %s >/dev/null && git config user.signingkey %s/jane",
			       f->keys, id, f->change, f->keys), 0);
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment --resolve %.8s %s >/dev/null", id, f->change), 0);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 4);
	/* One clock for the whole test: the order is by id, so look the records up by content. */
	assert_contains(json, "\"resolved_by\": \"jane@example.com\"");
	assert_contains(json, "\"kind\": \"reply\"");
	assert_contains(json, "\"kind\": \"resolve\"");
	assert_contains(json, "\"text\": \"Readable\"");
	free(json);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "reject --unresolved %s", f->change), 0);
	note = tl_git_out(f->repo, "notes --ref revq show %s", f->change);
	assert_contains(note, "comment=\"unresolved comments: ");
	/* The resolved comment is not the reason; the other one is. */
	{
		char resolved[11];

		snprintf(resolved, sizeof(resolved), "%.10s", id);
		assert_null(strstr(strstr(note, "unresolved comments: "), resolved));
	}
	free(note);
	free(id);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_record_viewed_writes_the_files_viewed_into_the_decision(void **state)
{
	struct fixture *f = *state;
	char *note;

	/* Without the setting, the record is as before: no viewed field. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "reject -m first %s", f->change), 0);
	note = tl_git_out(f->repo, "notes --ref revq show %s", f->change);
	assert_null(strstr(note, "viewed="));
	free(note);
	tl_git(f->repo, "config revq.recordViewed true");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "reject -m second %s", f->change), 0);
	note = tl_git_out(f->repo, "notes --ref revq show %s", f->change);
	assert_contains(note, "viewed=\"0/1\"");
	free(note);
	/* Both records verify: the field is covered by the signature, the old payload unchanged. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify main..ai/x >/dev/null"), 1);
	tl_git(f->repo, "config --unset revq.recordViewed");
}

static void test_the_hook_refuses_to_lose_or_edit_a_comment(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	char *note;

	tl_sh(top, "git clone -q --bare %s server.git && cp \"$REVQ_SRCDIR\"/share/revq/pre-receive server.git/hooks/ && "
		   "mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq", f->repo);
	tl_git(f->repo, "remote add origin %s/server.git", top);
	comment_on_eight(f);
	/* The genuine pushes: a first comment, then one more on top. */
	assert_int_equal(tl_sh(f->repo, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", top), 0);
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment -m more %s >/dev/null && "
			       "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", f->change, top), 0);
	/* Editing a comment's text on top of the pushed notes: a fast-forward that loses a line. */
	note = tl_git_out(f->repo, "notes --ref revq show %s", f->change);
	tl_sh(f->repo, "git notes --ref revq show %s | sed 's/Why words?/Fine by me/' > .git/edited && "
		       "git notes --ref revq add -f -F .git/edited %s", f->change, f->change);
	assert_int_not_equal(tl_sh(f->repo, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", top), 0);
	/* Deleting the comment lines altogether. */
	tl_sh(f->repo, "git notes --ref revq show %s | grep -v '^revq1-comment' > .git/edited; "
		       "git notes --ref revq add -f -F .git/edited %s 2>/dev/null || git notes --ref revq remove %s",
	      f->change, f->change, f->change);
	assert_int_not_equal(tl_sh(f->repo, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", top), 0);
	free(note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_comment_follows_an_unchanged_line_across_a_rebase_and_goes_outdated_when_it_changes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_line_comment_needs_a_line_of_the_diff_and_one_line_of_bounded_text,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_reviewers_comments_merge_with_cat_sort_uniq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_forged_comment_never_shows_as_the_reviewers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_bytes_in_a_comment_are_escaped_in_text_and_json, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_replies_resolutions_and_a_rejection_for_the_unresolved_comments,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_viewed_writes_the_files_viewed_into_the_decision, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_the_hook_refuses_to_lose_or_edit_a_comment, setup, teardown),
	};

	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
