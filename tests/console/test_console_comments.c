/*
 * test_console_comments.c: review comments and viewed files in the real
 * console, driven in tmux at 80x24 and 200x50: c writes a signed line
 * comment that shows under its line, > selects it, e and x answer it, A
 * approves with a comment, an empty rejection reason names the
 * unresolved comments, v marks a file viewed, and the mark goes away
 * when the file changes in a new version (and stays on the file that did
 * not).  A forged comment with a bidi override shows escaped and marked
 * unverified.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

static const char *repo, *keys;
static char *change;

static int setup(void **state)
{
	(void)state;
	repo = tl_repo_new();
	keys = tl_tmpdir();
	tl_write(repo, "a.txt", "alpha\nbeta\ngamma\n");
	tl_write(repo, "b.txt", "one\ntwo\n");
	free(tl_commit(repo, 30, "Two files"));
	tl_git(repo, "checkout -q -b ai/x");
	tl_write(repo, "a.txt", "alpha\nBETA\ngamma\ndelta\n");
	tl_write(repo, "b.txt", "one\ntwo\nthree\n");
	change = tl_commit(repo, 5, "Edit both" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	tl_write(keys, "allowed", "");
	tl_ssh_key(keys, "jane", "jane@example.com");
	tl_git(repo, "config gpg.format ssh");
	tl_git(repo, "config user.signingkey %s/jane", keys);
	tl_git(repo, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	return tl_revq(repo, NULL, NULL, "list >/dev/null");
}

static int teardown(void **state)
{
	(void)state;
	free(change);
	tl_cleanup();
	return 0;
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS)) {
		char *screen = tmux_screen(t), *log;

		tmux_keys(t, "L");   /* the message log says what went wrong */
		tmux_wait_for(t, "messages", 2000);
		log = tmux_screen(t);
		if (getenv("REVQ_DEBUG_LOG"))
			tl_write("/", getenv("REVQ_DEBUG_LOG"), log);
		fail_msg("\"%s\" did not appear; the screen:\n%s\nthe messages:\n%s", text, screen, log);
	}
}

/* The console as Jane, on the item view of the one pending commit. */
static void open_item(struct tmux *t, int cols, int rows)
{
	tmux_start(t, repo, cols, rows, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
		   "\\\"$REVQ_BIN\\\"");
	wait_or_fail(t, "to review");
	tmux_keys(t, "Enter");
	wait_or_fail(t, "files viewed");
}

static void type(struct tmux *t, const char *text)
{
	tmux_type(t, text);
}

static void comment_and_answer_at(int cols, int rows)
{
	struct tmux t;
	struct strbuf out = STRBUF_INIT;
	char *screen;

	tl_sh(repo, "git update-ref -d refs/notes/revq; true");
	open_item(&t, cols, rows);
	/* ] puts a.txt on top: its first line (the hunk's "alpha") is the line under the cursor. */
	tmux_keys(&t, "] j");
	tmux_keys(&t, "c");
	wait_or_fail(&t, "Comment on new line 1");
	type(&t, "start here");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "comment signed and written");
	wait_or_fail(&t, "# [");
	screen = tmux_screen(&t);
	assert_contains(screen, "Jane <jane@example.com>");
	assert_contains(screen, "start here");
	free(screen);
	/* > selects it; e replies under it; x resolves it. */
	tmux_keys(&t, "g \\>");
	tmux_keys(&t, "e");
	wait_or_fail(&t, "Reply to");
	type(&t, "agreed");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "replied: agreed");
	tmux_keys(&t, "x");
	wait_or_fail(&t, "Resolve");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "(resolved by jane@");
	/* C: a general comment goes to the header. */
	tmux_keys(&t, "C");
	wait_or_fail(&t, "Comment on the change");
	type(&t, "overall fine");
	tmux_keys(&t, "Enter");
	tmux_keys(&t, "g");
	wait_or_fail(&t, "overall fine");
	tmux_stop(&t);
	assert_int_equal(tl_revq(repo, &out, NULL, "comments --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 4);
	assert_contains(out.buf, "\"verified\": true");
	assert_null(strstr(out.buf, "\"verified\": false"));
	tl_git(repo, "update-ref -d refs/notes/revq");
	strbuf_release(&out);
}

static void test_comments_are_written_shown_and_answered_at_80x24(void **state)
{
	(void)state;
	comment_and_answer_at(80, 24);
}

static void test_comments_are_written_shown_and_answered_at_200x50(void **state)
{
	(void)state;
	comment_and_answer_at(200, 50);
}

static void test_approve_with_a_comment(void **state)
{
	struct tmux t;
	char *note;

	(void)state;
	open_item(&t, 80, 24);
	tmux_keys(&t, "A");
	wait_or_fail(&t, "Approve with comment");
	type(&t, "nice and small");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "approved: signed record written");
	tmux_stop(&t);
	note = tl_git_out(repo, "notes --ref revq show %s", change);
	assert_contains(note, "revq1 approve reviewer=\"Jane <jane@example.com>\"");
	assert_contains(note, "comment=\"nice and small\"");
	free(note);
	tl_git(repo, "update-ref -d refs/notes/revq");
}

static void test_an_empty_reject_reason_names_the_unresolved_comments(void **state)
{
	struct tmux t;
	char *note;

	(void)state;
	open_item(&t, 80, 24);
	/* No comment yet: an empty reason is refused, as before. */
	tmux_keys(&t, "r");
	wait_or_fail(&t, "Reject reason");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "a rejection needs a reason");
	tmux_stop(&t);
	assert_int_equal(tl_sh(repo, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" "
			       "comment -m 'needs a test' %s >/dev/null", change), 0);
	open_item(&t, 80, 24);
	tmux_keys(&t, "r");
	wait_or_fail(&t, "Reject reason");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "rejected: signed record written");
	tmux_stop(&t);
	note = tl_git_out(repo, "notes --ref revq show %s", change);
	assert_contains(note, "comment=\"unresolved comments: ");
	free(note);
	tl_git(repo, "update-ref -d refs/notes/revq");
}

static void test_viewed_marks_reset_when_a_file_changes(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	open_item(&t, 200, 50);
	wait_or_fail(&t, "0/2 viewed");
	tmux_keys(&t, "] v");
	wait_or_fail(&t, "1/2 files viewed");
	tmux_keys(&t, "V v");
	wait_or_fail(&t, "2/2 viewed");
	/* The file picker shows the marks. */
	tmux_keys(&t, "f");
	wait_or_fail(&t, "vM +");
	tmux_keys(&t, "Escape");
	tmux_stop(&t);
	/* A new version changes b.txt only: its mark is gone, a.txt's stays. */
	tl_sh(repo, "git checkout -q ai/x && printf 'one\\ntwo\\nTHREE\\n' > b.txt && git commit -q -a --amend "
		    "--no-edit && git checkout -q main");
	open_item(&t, 80, 24);
	wait_or_fail(&t, "1/2 files viewed");
	tmux_keys(&t, "f");
	wait_or_fail(&t, "vM +");
	screen = tmux_screen(&t);
	assert_contains(screen, "vM +2 -1");
	assert_contains(screen, " M +1 -0");
	free(screen);
	tmux_stop(&t);
}

static void test_a_forged_comment_shows_escaped_and_unverified(void **state)
{
	struct tmux t;
	char *screen, *id;

	(void)state;
	id = tl_git_out(repo, "rev-parse ai/x");
	tl_write(repo, ".git/forged", "");
	tl_sh(repo, "printf 'revq1-comment reviewer=\"Ev\\342\\200\\256il <e@x>\" time=2026-01-01T00:00:00Z commit=%s "
		    "path=\"\" side=none line=0 line-id=0000000000000000000000000000000000000000 "
		    "re=0000000000000000000000000000000000000000 text=\"trust me\" sig=none:\\n' > .git/forged && "
		    "git notes --ref revq add -f -F .git/forged %s", id, id);
	open_item(&t, 80, 24);
	wait_or_fail(&t, "trust me");
	screen = tmux_screen(&t);
	assert_contains(screen, "unverified (unsigned), claims Ev");
	assert_null(strstr(screen, "\xe2\x80\xae"));
	free(screen);
	tmux_stop(&t);
	tl_git(repo, "update-ref -d refs/notes/revq");
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments_are_written_shown_and_answered_at_80x24),
		cmocka_unit_test(test_comments_are_written_shown_and_answered_at_200x50),
		cmocka_unit_test(test_approve_with_a_comment),
		cmocka_unit_test(test_an_empty_reject_reason_names_the_unresolved_comments),
		cmocka_unit_test(test_viewed_marks_reset_when_a_file_changes),
		cmocka_unit_test(test_a_forged_comment_shows_escaped_and_unverified),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
