/*
 * test_console_series.c: a branch as one review unit in the real
 * console, driven in tmux at 80x24 and 200x50: the queue shows a branch
 * of several pending commits as one series row (a branch of one stays a
 * commit), s switches to each commit alone and back, Enter opens the
 * combined diff with the commits numbered, 2 opens the second commit, a
 * approves the whole series in one signed record that `revq verify`
 * counts for each commit, and revq.reviewUnit = commit turns it off.
 * c on a line of the combined diff writes a series comment that shows
 * under its line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

struct fixture {
	const char *repo;
	const char *keys;
	char *c[3];          /* ai/x: three AI-assisted commits */
	char *alone;         /* ai/y: one */
};

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
	tl_git(f->repo, "checkout -q -b ai/x");
	f->c[0] = tl_commit_file(f->repo, "src/alpha.c", "int alpha;\n", 3, "Add alpha" TL_AI_TRAILER);
	f->c[1] = tl_commit_file(f->repo, "src/beta.c", "int beta;\n", 3, "Add beta" TL_AI_TRAILER);
	f->c[2] = tl_commit_file(f->repo, "src/alpha.c", "int alpha;\nint gamma;\n", 3, "Gamma" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q -b ai/y main");
	f->alone = tl_commit_file(f->repo, "src/lone.c", "int lone;\n", 0, "Lonely change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		free(f->c[i]);
	free(f->alone);
	free(f);
	return 0;
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS))
		fail_msg("\"%s\" did not appear; the screen:\n%s", text, tmux_screen(t));
}

static void start(struct tmux *t, struct fixture *f, int cols, int rows)
{
	tmux_start(t, f->repo, cols, rows, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
		   "\\\"$REVQ_BIN\\\"");
	wait_or_fail(t, "to review");
}

static void assert_screen_lacks(struct tmux *t, const char *text)
{
	char *screen = tmux_screen(t);

	if (strstr(screen, text))
		fail_msg("\"%s\" is on the screen:\n%s", text, screen);
	free(screen);
}

/* The whole flow at one size: the queue's series row, s, the series view, a commit of it, approving. */
static void series_flow(struct fixture *f, int cols, int rows)
{
	struct strbuf out = STRBUF_INIT;
	struct tmux t;

	start(&t, f, cols, rows);
	wait_or_fail(&t, "[series ai/x: 3 commits]");
	wait_or_fail(&t, "Lonely change");            /* a branch of one commit is one commit */
	assert_screen_lacks(&t, "[series ai/y");
	wait_or_fail(&t, "1/2");                      /* two rows: the series and the lone commit */
	/* s: each commit alone (four rows), then back. */
	tmux_keys(&t, "s");
	wait_or_fail(&t, "1/4");
	wait_or_fail(&t, "Add alpha");
	wait_or_fail(&t, "Add beta");
	wait_or_fail(&t, "Gamma");
	assert_screen_lacks(&t, "[series ai/x");
	tmux_keys(&t, "s");
	wait_or_fail(&t, "[series ai/x: 3 commits]");
	wait_or_fail(&t, "1/2");
	/* Enter on the series row (older, so more urgent: the first row): the combined diff. */
	tmux_keys(&t, "g");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "series ai/x");
	wait_or_fail(&t, "Commits: 3 in the series, 3 to review");
	wait_or_fail(&t, "Add beta");
	wait_or_fail(&t, "combined");
	/* 2: the second commit of the series (newest first: Add beta), alone; q back to the series. */
	tmux_keys(&t, "2");
	wait_or_fail(&t, "commit ");
	wait_or_fail(&t, f->c[1]);
	tmux_keys(&t, "q");
	wait_or_fail(&t, "Commits: 3 in the series");
	/* a: one record for the whole series, back in the queue. */
	tmux_keys(&t, "a");
	wait_or_fail(&t, "one signed record on its tip");
	wait_or_fail(&t, "approved");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"), 0);
	assert_contains(out.buf, "\"series_tip\"");
	/* u takes the series approval back: a withdrawal, and the gate no longer counts it. */
	tmux_keys(&t, "u");
	wait_or_fail(&t, "undone: your approval of the series");
	tmux_stop(&t);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"), 1);
	assert_not_contains(out.buf, "\"approved\"");
	strbuf_release(&out);
}

static void test_a_series_at_80x24(void **state)
{
	series_flow(*state, 80, 24);
}

static void test_a_series_at_200x50(void **state)
{
	series_flow(*state, 200, 50);
}

/* c on the series' combined diff: a signed series comment, shown under its line and in the header. */
static void test_a_comment_on_a_series_shows_under_its_line_at_80x24(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	struct tmux t;
	char *screen;

	start(&t, f, 80, 24);
	wait_or_fail(&t, "[series ai/x: 3 commits]");
	tmux_keys(&t, "g");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Commits: 3 in the series");
	/* ] puts src/alpha.c on top: j its first line, the first line under the cursor. */
	tmux_keys(&t, "] j");
	tmux_keys(&t, "c");
	wait_or_fail(&t, "Comment on new line 1");
	tmux_type(&t, "whole branch note");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "comment signed and written");
	wait_or_fail(&t, "# [");
	screen = tmux_screen(&t);
	assert_contains(screen, "Jane <jane@example.com>");
	assert_contains(screen, "whole branch note");
	free(screen);
	/* > selects it, e answers it with a series reply, under the same line. */
	tmux_keys(&t, "g \\>");
	tmux_keys(&t, "e");
	wait_or_fail(&t, "Reply to");
	tmux_type(&t, "agreed");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "replied: agreed");
	/* Still the series' view, its header counting the comments. */
	tmux_keys(&t, "g");
	wait_or_fail(&t, "Comments: 2, 1 unresolved");
	wait_or_fail(&t, "Commits: 3 in the series");
	tmux_stop(&t);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "comments --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 2);
	assert_json_text(out.buf, "$[0].commit", f->c[2]);
	assert_json_text(out.buf, "$[0].path", "src/alpha.c");
	assert_contains(out.buf, "\"series_base\"");
	assert_contains(out.buf, "\"verified\": true");
	strbuf_release(&out);
}

static void test_review_unit_commit_shows_each_commit(void **state)
{
	struct fixture *f = *state;
	struct tmux t;

	tl_git(f->repo, "config revq.reviewUnit commit");
	start(&t, f, 80, 24);
	wait_or_fail(&t, "Add beta");
	wait_or_fail(&t, "Gamma");
	assert_screen_lacks(&t, "[series");
	/* 1-9 mean nothing in a commit's own view. */
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	tmux_keys(&t, "1");
	wait_or_fail(&t, "this item is one commit");
	tmux_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_series_at_80x24, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_at_200x50, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_unit_commit_shows_each_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_comment_on_a_series_shows_under_its_line_at_80x24, setup,
						teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
