/*
 * test_console_repos.c: the console over several repositories (`revq
 * console --repos PATH...`, revq.repos): one queue over all of them,
 * each row naming its repository (a series too: a branch of one), the
 * filter finding a repository by
 * name, and a decision (the a key, decision_write()) written to the
 * notes of the item's own repository and no other; at 80x24 and 200x50.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

static const char *top, *keys;
static char *ids[3], *billing_tip;
static const char *const names[3] = { "billing", "search", "infra" };
static const char *const subjects[3] = { "Billing change", "Search change", "Infra change" };
/* What each repository's row starts with (billing's is its series'). */
static const char *const rows[3] = {
	"[billing] [series ai/work:", "[search] Search change", "[infra] Infra change",
};

/* top/NAME: one AI-assisted commit on ai/work (billing: two, a series), signing as Jane. */
static void make_repo(int r)
{
	struct strbuf path = STRBUF_INIT, msg = STRBUF_INIT;

	tl_sh(top, "git init -q -b main %s", names[r]);
	strbuf_addf(&path, "%s/%s", top, names[r]);
	strbuf_addf(&msg, "%s" TL_AI_TRAILER, subjects[r]);
	free(tl_commit_file(path.buf, "README", "base\n", 10, "Base"));
	tl_git(path.buf, "checkout -q -b ai/work");
	ids[r] = tl_commit_file(path.buf, "src/a.c", names[r], 1 + r, msg.buf);
	if (!r)   /* billing's branch is a series of two */
		billing_tip = tl_commit_file(path.buf, "src/b.c", "fix\n", 0, "Billing fix" TL_AI_TRAILER);
	tl_git(path.buf, "checkout -q main");
	tl_git(path.buf, "config gpg.format ssh");
	tl_git(path.buf, "config user.signingkey %s/jane", keys);
	tl_git(path.buf, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	strbuf_release(&path);
	strbuf_release(&msg);
}

static int setup(void **state)
{
	(void)state;
	top = tl_tmpdir();
	keys = tl_tmpdir();
	tl_write(keys, "allowed", "");
	tl_ssh_key(keys, "jane", "jane@example.com");
	for (int r = 0; r < 3; r++)
		make_repo(r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int r = 0; r < 3; r++)
		free(ids[r]);
	free(billing_tip);
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

/* The console as Jane in dir, with args after `revq`. */
static void start(struct tmux *t, const char *dir, int cols, int rows, const char *args)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
		    "\\\"$REVQ_BIN\\\" %s", args);
	tmux_start(t, dir, cols, rows, cmd.buf);
	wait_or_fail(t, "to review");
	strbuf_release(&cmd);
}

/* 1 when repository r has a decision on commit id in its notes. */
static int noted(int r, const char *id)
{
	return !tl_sh(top, "git -C %s notes --ref=revq list %s >/dev/null 2>&1", names[r], id);
}

static void test_the_console_shows_one_queue_over_three_repositories_each_row_naming_its_own(void **state)
{
	static const int sizes[2][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct tmux t;

		start(&t, top, sizes[i][0], sizes[i][1], "console --repos billing search infra");
		for (int r = 0; r < 3; r++)
			assert_screen(&t, rows[r], 1);
		if (i)   /* a series is a branch of one repository, and its row names it */
			assert_screen(&t, "[billing] [series ai/work: 2 commits] Billing change", 1);
		assert_screen(&t, "4 to review", 1);
		tmux_stop(&t);
	}
}

static void test_a_decision_in_the_console_goes_to_the_notes_of_the_items_own_repository(void **state)
{
	struct tmux t;

	(void)state;
	start(&t, top, 80, 24, "console --repos billing search infra");
	/* the filter finds the repository by name: only search's item is left */
	tmux_keys(&t, "/ s e a r c h Enter");
	wait_or_fail(&t, "filter: search");
	assert_screen(&t, "[billing]", 0);
	assert_screen(&t, "[search] Search change", 1);
	tmux_keys(&t, "a");
	wait_or_fail(&t, "of search");
	assert_screen(&t, "approved: signed record written to refs/notes/revq", 1);
	/* billing's series, approved as one: its record is on its tip, in billing's notes */
	tmux_keys(&t, "/ C-u b i l l i n g Enter");
	wait_or_fail(&t, "filter: billing");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "(y/n)");
	tmux_keys(&t, "y");
	wait_or_fail(&t, "one signed record on its tip");
	tmux_stop(&t);
	assert_true(noted(0, billing_tip));
	assert_false(noted(1, billing_tip) || noted(2, billing_tip));
	assert_true(noted(1, ids[1]));
	assert_false(noted(0, ids[1]) || noted(2, ids[1]));
	assert_false(noted(0, ids[0]) || noted(2, ids[2]));
	/* and it counts there: list over the three says so */
	{
		struct strbuf out = STRBUF_INIT;

		assert_int_equal(tl_revq(top, &out, NULL, "list --json --repos billing search infra"), 0);
		assert_int_equal(tl_json_length(out.buf, "$"), 4);
		assert_contains(out.buf, "\"approved\"");
		strbuf_release(&out);
	}
}

static void test_revq_repos_makes_plain_revq_show_them_all(void **state)
{
	struct strbuf dir = STRBUF_INIT;
	struct tmux t;

	(void)state;
	for (int r = 0; r < 3; r++)
		tl_sh(top, "git config --global --add revq.repos \"$PWD/%s\"", names[r]);
	strbuf_addf(&dir, "%s/billing", top);
	start(&t, dir.buf, 200, 50, "");
	/* search's item is approved (above): the whole queue shows it */
	assert_screen(&t, "[search] Search change", 0);
	tmux_keys(&t, "v");
	wait_or_fail(&t, "[search] Search change");
	for (int r = 0; r < 3; r++)
		assert_screen(&t, rows[r], 1);
	tmux_stop(&t);
	tl_sh(top, "git config --global --unset-all revq.repos");
	strbuf_release(&dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_console_shows_one_queue_over_three_repositories_each_row_naming_its_own),
		cmocka_unit_test(test_a_decision_in_the_console_goes_to_the_notes_of_the_items_own_repository),
		cmocka_unit_test(test_revq_repos_makes_plain_revq_show_them_all),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
