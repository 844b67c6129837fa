/*
 * test_series_comments.c: comments on a series (a branch reviewed as one
 * change, `revq comment --series BASE..TIP`, revq-series1-comment
 * records), end to end with real ssh keys: a line comment on the
 * combined diff, a general one, a reply and a resolution; the comment
 * follows a byte-identical rebase and goes outdated when its line
 * changes.  Beside the legitimate cases, the attacks: a record signed by
 * the reviewer but naming another change as the series' (stale: never
 * current), forged unsigned records (never the reviewer's, and their
 * resolution resolves nothing), and a push that drops a series comment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *base;           /* main */
	char *tip;            /* ai/x: two AI-assisted commits on main */
};

#define AS_JANE "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
#define AS_BOB "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.com "
#define ZEROS "0000000000000000000000000000000000000000"

static const char base_text[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

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
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	f->base = tl_commit_file(f->repo, "f.txt", base_text, 10, "Numbers");
	tl_git(f->repo, "checkout -q -b ai/x");
	free(tl_commit_file(f->repo, "g.txt", "g\n", 4, "Add g" TL_AI_TRAILER));
	f->tip = tl_commit_file(f->repo, "f.txt", "1\n2\n3\n4\n5\n6\n7\neight\n9\n10\n", 3,
				"Spell eight" TL_AI_TRAILER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->base);
	free(f->tip);
	free(f);
	return 0;
}

static char *comments_json(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments --json"), 0);
	assert_true(tl_json_valid(out.buf));
	return strbuf_detach(&out, NULL);
}

/* Jane's line comment on line 8 of the series' combined diff. */
static void comment_on_eight(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_sh_output(f->repo, &out, NULL, AS_JANE "\"$REVQ_BIN\" comment --series main..ai/x "
				      "--path f.txt --line 8 -m 'Why words?'"), 0);
	assert_contains(out.buf, "on the series main..ai/x");
	strbuf_release(&out);
}

static void append_note_line(struct fixture *f, const char *line)
{
	tl_write(f->repo, ".git/forged", line);
	tl_sh(f->repo, "git notes --ref revq append -F .git/forged %s", f->tip);
}

static void test_a_series_comment_is_a_signed_record_bound_to_the_series_with_replies_and_resolution(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *note, *json, *id, *expect;

	comment_on_eight(f);
	/* One record on the tip's note, bound to base, tip and the combined change. */
	note = tl_git_out(f->repo, "notes --ref revq show %s", f->tip);
	assert_true(!strncmp(note, "revq-series1-comment reviewer=\"Jane <jane@example.com>\"", 55));
	expect = tl_git_out(f->repo, "rev-parse main");
	assert_contains(note, expect);
	free(expect);
	assert_contains(note, " series-id=");
	assert_contains(note, " sig=ssh:");
	free(note);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_json_text(json, "$[0].series_base", f->base);
	assert_json_text(json, "$[0].commit", f->tip);
	assert_int_equal(tl_json_int(json, "$[0].verified"), 1);
	assert_int_equal(tl_json_int(json, "$[0].stale"), 0);
	assert_int_equal(tl_json_int(json, "$[0].outdated"), 0);
	assert_int_equal(tl_json_int(json, "$[0].current_line"), 8);
	id = tl_json_text(json, "$[0].id");
	free(json);
	/* A general comment, Bob's reply and Jane's resolution, all on the series. */
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment --series main..ai/x -m 'And tests?' "
			       ">/dev/null"), 0);
	assert_int_equal(tl_sh(f->repo, "git config user.signingkey %s/bob && " AS_BOB "\"$REVQ_BIN\" comment "
			       "--series main..ai/x --reply %.8s -m Readable >/dev/null && "
			       "git config user.signingkey %s/jane", f->keys, id, f->keys), 0);
	assert_int_equal(tl_sh(f->repo, AS_JANE "\"$REVQ_BIN\" comment --series main..ai/x --resolve %.8s "
			       ">/dev/null", id), 0);
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 4);
	assert_contains(json, "\"resolved_by\": \"jane@example.com\"");
	assert_contains(json, "\"text\": \"Readable\"");
	/* Every one is the series' (none is listed again as a comment of the tip alone). */
	for (int i = 0; i < 4; i++) {
		char path[32];

		snprintf(path, sizeof(path), "$[%d].series_base", i);
		assert_json_text(json, path, f->base);
	}
	free(json);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments"), 0);
	assert_contains(out.buf, "series ai/x ");
	assert_contains(out.buf, "f.txt new line 8");
	assert_contains(out.buf, "(resolved by jane@example.com)");
	/* revq show of the tip lists the series' comments, apart from the tip's own (none). */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", f->tip), 0);
	assert_contains(out.buf, "Series:    4 comments on the series ");
	assert_null(strstr(out.buf, "Comments:"));
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show --json %s", f->tip), 0);
	assert_int_equal(tl_json_length(out.buf, "$.series_comments"), 4);
	assert_int_equal(tl_json_length(out.buf, "$.comments"), 0);
	/* A comment is no decision: verify judges the series as before, no malformed record. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"), 1);
	assert_null(strstr(out.buf, "malformed"));
	free(id);
	strbuf_release(&out);
}

static void test_a_series_comment_follows_a_byte_identical_rebase_and_goes_outdated_when_its_line_changes(void **state)
{
	struct fixture *f = *state;
	char *json;

	comment_on_eight(f);
	/* main moves on in another file: the series' combined change is the same bytes. */
	tl_git(f->repo, "checkout -q main");
	free(tl_commit_file(f->repo, "h.txt", "h\n", 2, "Add h"));
	tl_git(f->repo, "checkout -q ai/x");
	tl_git(f->repo, "rebase -q main");
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_int_equal(tl_json_int(json, "$[0].earlier_version"), 1);
	assert_int_equal(tl_json_int(json, "$[0].stale"), 0);
	assert_int_equal(tl_json_int(json, "$[0].outdated"), 0);
	assert_int_equal(tl_json_int(json, "$[0].current_line"), 8);
	free(json);
	/* The author changes the very line (a new version of the tip): outdated, still listed. */
	tl_write(f->repo, "f.txt", "1\n2\n3\n4\n5\n6\n7\nEIGHT\n9\n10\n");
	tl_git(f->repo, "commit -q -a --amend --no-edit");
	json = comments_json(f);
	assert_int_equal(tl_json_length(json, "$"), 1);
	assert_int_equal(tl_json_int(json, "$[0].outdated"), 1);
	assert_json_text(json, "$[0].current_line", "");
	free(json);
}

/* Signs payload (a file in the repo) as Jane by hand, as revq-notes(5) says; the sig= field's value. */
static char *sign_by_hand(struct fixture *f, const char *payload)
{
	struct strbuf sig = STRBUF_INIT;

	tl_write(f->repo, ".git/payload", payload);
	assert_int_equal(tl_sh_output(f->repo, &sig, NULL, "rm -f .git/payload.sig && ssh-keygen -q -Y sign -n revq "
				      "-f %s/jane .git/payload 2>/dev/null && grep -v -- ----- .git/payload.sig | "
				      "tr -d '\\n'", f->keys), 0);
	return strbuf_detach(&sig, NULL);
}

/* The series-id of the first series comment on the tip's note; caller frees. */
static char *series_id_of_note(struct fixture *f)
{
	struct strbuf id = STRBUF_INIT;

	tl_sh_output(f->repo, &id, NULL, "git notes --ref revq show %s | grep '^revq-series1-comment' | head -1 | "
		     "sed -n 's/.* series-id=\\([0-9a-f]*\\) .*/\\1/p' | tr -d '\\n'", f->tip);
	assert_int_equal(id.len, 40);
	return strbuf_detach(&id, NULL);
}

static void test_a_signed_series_comment_naming_another_change_is_stale_and_forgeries_are_not_the_reviewers(
	void **state)
{
	struct fixture *f = *state;
	struct strbuf payload = STRBUF_INIT, line = STRBUF_INIT, out = STRBUF_INIT;
	char *json, *sig, *genuine_id;

	/* The control: Jane's genuine comment, current at line 8. */
	comment_on_eight(f);
	json = comments_json(f);
	genuine_id = tl_json_text(json, "$[0].id");
	free(json);
	/* Jane's key really signed this one, but its series-id is not the change from main to ai/x. */
	strbuf_addf(&payload, "revq series comment v1\nkind comment\nbase %s\ntip %s\nseries-id %s\npath \n"
		    "side none\nline 0\nline-id %s\nre %s\nreviewer Jane <jane@example.com>\n"
		    "time 2026-01-01T00:00:00Z\ntext Approved in full\n", f->base, f->tip,
		    "1111111111111111111111111111111111111111", ZEROS, ZEROS);
	sig = sign_by_hand(f, payload.buf);
	strbuf_addf(&line, "revq-series1-comment reviewer=\"Jane <jane@example.com>\" time=2026-01-01T00:00:00Z "
		    "base=%s tip=%s series-id=1111111111111111111111111111111111111111 path=\"\" side=none line=0 "
		    "line-id=%s re=%s text=\"Approved in full\" sig=ssh:%s", f->base, f->tip, ZEROS, ZEROS, sig);
	append_note_line(f, line.buf);
	/* Unsigned forgeries claiming Jane: a comment, and a resolution of her genuine comment. */
	strbuf_reset(&line);
	strbuf_addf(&line, "revq-series1-resolve reviewer=\"Jane <jane@example.com>\" time=2026-01-01T00:00:01Z "
		    "base=%s tip=%s series-id=%s path=\"\" side=none line=0 line-id=%s re=%s text=\"\" sig=none:",
		    f->base, f->tip, ZEROS, ZEROS, ZEROS);
	append_note_line(f, line.buf);
	json = comments_json(f);
	/* The forged resolution names no comment of this series' change (its re is zero: malformed, dropped). */
	assert_int_equal(tl_json_length(json, "$"), 2);
	for (int i = 0; i < 2; i++) {
		char path[32], *text;

		snprintf(path, sizeof(path), "$[%d].text", i);
		text = tl_json_text(json, path);
		snprintf(path, sizeof(path), "$[%d].stale", i);
		/* The hand-signed record verifies (the payload in revq-notes(5) is exact), yet is stale. */
		assert_int_equal(tl_json_int(json, path), !strcmp(text, "Approved in full"));
		snprintf(path, sizeof(path), "$[%d].verified", i);
		assert_int_equal(tl_json_int(json, path), 1);
		snprintf(path, sizeof(path), "$[%d].outdated", i);
		assert_int_equal(tl_json_int(json, path), !strcmp(text, "Approved in full"));
		free(text);
	}
	free(json);
	/* An unsigned resolution that does name the genuine comment: listed as unverified, resolves nothing. */
	strbuf_reset(&line);
	json = series_id_of_note(f);
	strbuf_addf(&line, "revq-series1-resolve reviewer=\"Jane <jane@example.com>\" time=2026-01-01T00:00:02Z "
		    "base=%s tip=%s series-id=%s path=\"\" side=none line=0 line-id=%s re=%s text=\"\" sig=none:",
		    f->base, f->tip, json, ZEROS, genuine_id);
	free(json);
	append_note_line(f, line.buf);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments"), 0);
	assert_contains(out.buf, "unverified (unsigned), claims Jane");
	assert_contains(out.buf, "(outdated: not the series' change now)");
	assert_null(strstr(out.buf, "resolved by"));
	free(sig);
	free(genuine_id);
	strbuf_release(&payload);
	strbuf_release(&line);
	strbuf_release(&out);
}

static void test_series_comments_merge_with_cat_sort_uniq_and_the_hook_keeps_them(void **state)
{
	struct fixture *f = *state;
	const char *top = tl_tmpdir();
	char *note;

	/* Two reviewers' series comments on two notes refs, merged by plain git. */
	comment_on_eight(f);
	tl_git(f->repo, "update-ref refs/notes/mine refs/notes/revq");
	tl_git(f->repo, "update-ref -d refs/notes/revq");
	assert_int_equal(tl_sh(f->repo, "git config user.signingkey %s/bob && " AS_BOB "\"$REVQ_BIN\" comment "
			       "--series main..ai/x -m 'Bob here' >/dev/null && git config user.signingkey %s/jane",
			       f->keys, f->keys), 0);
	tl_sh(f->repo, "git notes --ref=revq merge -q -s cat_sort_uniq refs/notes/mine");
	note = comments_json(f);
	assert_int_equal(tl_json_length(note, "$"), 2);
	assert_contains(note, "Why words?");
	assert_contains(note, "Bob here");
	free(note);
	/* The hook: the genuine push passes; one that drops a series comment is refused. */
	tl_sh(top, "git clone -q --bare %s server.git && cp \"$REVQ_SRCDIR\"/share/revq/pre-receive server.git/hooks/ && "
		   "mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq", f->repo);
	tl_git(f->repo, "remote add origin %s/server.git", top);
	assert_int_equal(tl_sh(f->repo, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", top), 0);
	tl_sh(f->repo, "git notes --ref revq show %s | grep -v 'Bob here' > .git/edited && "
		       "git notes --ref revq add -f -F .git/edited %s", f->tip, f->tip);
	assert_int_not_equal(tl_sh(f->repo, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq 2>/dev/null", top), 0);
}

static void test_bad_series_comment_arguments_are_usage_errors(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, NULL, &err, "comment --series main..ai/x -m x %s", f->tip), 2);
	assert_contains(err.buf, "no COMMIT");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "comment --series main..ai/x --path f.txt --line 99 -m x"), 2);
	assert_contains(err.buf, "not in the diff of the series main..ai/x");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "comment --series ai/x..main -m x"), 2);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_series_comment_is_a_signed_record_bound_to_the_series_with_replies_and_resolution,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_series_comment_follows_a_byte_identical_rebase_and_goes_outdated_when_its_line_changes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_signed_series_comment_naming_another_change_is_stale_and_forgeries_are_not_the_reviewers,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_series_comments_merge_with_cat_sort_uniq_and_the_hook_keeps_them,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_series_comment_arguments_are_usage_errors, setup, teardown),
	};

	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
