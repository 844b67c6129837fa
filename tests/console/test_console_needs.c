/*
 * test_console_needs.c: the console opens on what needs me (the items
 * my approval would count for, as `revq list --for-me` finds them), one
 * key shows the whole queue and back, the header names the view and
 * counts whose move each item is, and revq.consoleView chooses where it
 * opens; S shows where the queue waits (revq stats); at 80x24 and 200x50.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

static const char policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[person \"Jane\"]\n\temail = jane@example.com\n\tlevel = senior\n"
	"[person \"Raj\"]\n\temail = raj@example.com\n\tlevel = mid\n"
	"[tier \"ai\"]\n\tminRisk = 0\n\tauthorLevel = mid\n\trequire = 1 senior\n"
	"[tier \"ai-senior\"]\n\tminRisk = 0\n\trequire = 1 mid\n";

static const char *repo, *keys;

static char *branch(const char *name, const char *path, const char *author_email, const char *subject)
{
	struct strbuf msg = STRBUF_INIT;
	char *id;

	strbuf_addf(&msg, "%s" TL_AI_TRAILER, subject);
	setenv("GIT_AUTHOR_EMAIL", author_email, 1);
	tl_git(repo, "checkout -q -b %s main", name);
	id = tl_commit_file(repo, path, subject, 2, msg.buf);
	tl_git(repo, "checkout -q main");
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	strbuf_release(&msg);
	return id;
}

static void decide_as(const char *verb, const char *key, const char *email, const char *id)
{
	tl_git(repo, "config user.signingkey %s/%s", keys, key);
	if (tl_sh(repo, "GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" %s -m why %s >/dev/null",
		  email, verb, id))
		fail_msg("%s %s failed", email, verb);
}

/*
 * Jane, a senior: the junior's two changes need her; her own change does
 * not; the one she rejected waits on its author.
 */
static int setup(void **state)
{
	char *ids[4];

	(void)state;
	repo = tl_repo_new();
	keys = tl_tmpdir();
	tl_write(keys, "allowed", "");
	tl_ssh_key(keys, "jane", "jane@example.com");
	tl_ssh_key(keys, "raj", "raj@example.com");
	tl_git(repo, "config gpg.format ssh");
	tl_git(repo, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	tl_write(repo, ".revq/policy", policy);
	tl_sh(repo, "cp %s/allowed .revq/allowed_signers", keys);
	free(tl_commit(repo, 5, "Review policy"));
	ids[0] = branch("ai/a", "src/a.c", "author@example.com", "Junior change");
	ids[1] = branch("ai/b", "src/b.c", "jane@example.com", "Jane change");
	ids[2] = branch("ai/c", "src/c.c", "author@example.com", "Rejected change");
	ids[3] = branch("ai/d", "src/d.c", "author@example.com", "Second junior change");
	decide_as("reject", "jane", "jane@example.com", ids[2]);   /* a senior's word counts */
	tl_git(repo, "config user.signingkey %s/jane", keys);
	for (int i = 0; i < 4; i++)
		free(ids[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_cleanup();
	return 0;
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS)) {
		char *screen = tmux_screen(t);

		fail_msg("\"%s\" did not appear; the screen:\n%s", text, screen);
	}
}

static void assert_screen(struct tmux *t, const char *text, int wanted)
{
	char *screen = tmux_screen(t);

	if ((strstr(screen, text) != NULL) != wanted)
		fail_msg("\"%s\" %s the screen:\n%s", text, wanted ? "is not on" : "is on", screen);
	free(screen);
}

static void start_as_jane(struct tmux *t, int cols, int rows)
{
	tmux_start(t, repo, cols, rows,
		   "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com \\\"$REVQ_BIN\\\"");
	wait_or_fail(t, "to review");
}

static void test_the_console_opens_on_what_needs_me_and_one_key_shows_everything(void **state)
{
	static const int sizes[2][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct tmux t;

		start_as_jane(&t, sizes[i][0], sizes[i][1]);
		/* the view is named first, so 80 columns show it */
		wait_or_fail(&t, "[needs me] 2 need me");
		assert_screen(&t, "Junior change", 1);
		assert_screen(&t, "Second junior change", 1);
		assert_screen(&t, "Jane change", 0);       /* hers: never hers to approve */
		assert_screen(&t, "Rejected change", 0);   /* waits on its author */
		assert_screen(&t, "/2", 1);
		assert_screen(&t, "v:toggle-mine", 1);
		if (sizes[i][0] >= 200)
			assert_screen(&t, "1 needs someone else, 1 waits on the author", 1);
		tmux_keys(&t, "v");
		wait_or_fail(&t, "[all] 2 need me");
		assert_screen(&t, "Jane change", 1);
		assert_screen(&t, "Rejected change", 1);
		assert_screen(&t, "/4", 1);   /* the cursor stays on its item */
		tmux_keys(&t, "v");
		wait_or_fail(&t, "[needs me] 2 need me");
		assert_screen(&t, "Jane change", 0);
		tmux_stop(&t);
	}
}

static void test_what_i_decide_leaves_my_view_and_the_next_one_is_selected(void **state)
{
	struct tmux t;

	(void)state;
	start_as_jane(&t, 80, 24);
	wait_or_fail(&t, "[needs me] 2 need me");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "approved: signed record written");
	tmux_keys(&t, "q");
	wait_or_fail(&t, "[needs me] 1 needs me");
	assert_screen(&t, " 1/1", 1);
	tmux_keys(&t, "v");
	wait_or_fail(&t, "[all] 1 needs me");
	assert_screen(&t, "approved", 1);
	tmux_stop(&t);
	/* undo, for the other tests */
	tl_git(repo, "update-ref refs/notes/revq refs/notes/revq~1");
}

static void test_console_view_setting_chooses_the_first_view(void **state)
{
	struct tmux t;

	(void)state;
	tl_git(repo, "config revq.consoleView all");
	start_as_jane(&t, 80, 24);
	wait_or_fail(&t, "[all] 2 need me");
	assert_screen(&t, "Jane change", 1);
	tmux_stop(&t);
	/* a value that is neither: said on the status line, and "needs me" */
	tl_git(repo, "config revq.consoleView everything");
	start_as_jane(&t, 200, 50);
	wait_or_fail(&t, "revq.consoleView: 'everything' is not mine or all");
	wait_or_fail(&t, "[needs me] 2 need me");
	tmux_stop(&t);
	tl_git(repo, "config --unset revq.consoleView");
}

static void test_s_shows_where_the_queue_waits(void **state)
{
	static const int sizes[2][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct tmux t;

		start_as_jane(&t, sizes[i][0], sizes[i][1]);
		tmux_keys(&t, "S");
		wait_or_fail(&t, "where the queue waits");
		/* the two junior changes wait on a senior; Jane's own on a mid */
		assert_screen(&t, "Queue now: 3 open, 1 rejected", 1);
		assert_screen(&t, "  a senior             2  ####################", 1);
		assert_screen(&t, "  a mid or above       1  ##########..........", 1);
		tmux_keys(&t, "G");
		wait_or_fail(&t, "Jane");   /* the reviewers, at the bottom: her rejection */
		tmux_keys(&t, "q");
		wait_or_fail(&t, "[needs me] 2 need me");
		tmux_stop(&t);
	}
}

static void test_without_an_identity_the_console_shows_the_whole_queue(void **state)
{
	struct tmux t;

	(void)state;
	tmux_start(&t, repo, 200, 50, "env -u GIT_COMMITTER_EMAIL -u GIT_AUTHOR_EMAIL -u EMAIL \\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "showing the whole queue: who are you?");
	assert_screen(&t, "Jane change", 1);
	assert_screen(&t, "[needs me]", 0);
	tmux_keys(&t, "v");
	wait_or_fail(&t, "no \"needs me\" view without an identity");
	tmux_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_console_opens_on_what_needs_me_and_one_key_shows_everything),
		cmocka_unit_test(test_what_i_decide_leaves_my_view_and_the_next_one_is_selected),
		cmocka_unit_test(test_console_view_setting_chooses_the_first_view),
		cmocka_unit_test(test_s_shows_where_the_queue_waits),
		cmocka_unit_test(test_without_an_identity_the_console_shows_the_whole_queue),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
