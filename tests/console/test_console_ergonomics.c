/*
 * test_console_ergonomics.c: the real console in tmux at 80x24 for the
 * things that must not surprise a reviewer: u takes back the session's
 * last decision (asking when a remote has it), a cold start shows its
 * progress, a broken policy shows as "unknown: policy error", search
 * matches are marked within their line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

static const char *keys;

static int setup(void **state)
{
	(void)state;
	keys = tl_tmpdir();
	tl_sh(keys, "ssh-keygen -q -t ed25519 -N '' -C jane -f jane && "
		    "printf 'jane@example.com namespaces=\"revq\" %%s\\n' \"$(cut -d' ' -f1,2 jane.pub)\" > allowed");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_cleanup();
	return 0;
}

/* A repository with two AI-assisted commits on ai/x, Jane's key set up to sign. */
static const char *small_repo(void)
{
	const char *dir = tl_repo_new();

	tl_write(dir, "a.txt", "line one\nline two\n");
	free(tl_commit(dir, 30, "Text to edit"));
	tl_git(dir, "checkout -q -b ai/x");
	free(tl_commit_file(dir, "a.txt", "line one\nline two changed\n", 3, "Edit a" TL_AI_TRAILER));
	free(tl_commit_file(dir, "b.txt", "needle in a haystack, another needle\n", 2, "Add b" TL_AI_TRAILER));
	tl_git(dir, "checkout -q main");
	tl_git(dir, "config gpg.format ssh");
	tl_git(dir, "config user.signingkey %s/jane", keys);
	tl_git(dir, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	tl_git(dir, "config revq.reviewUnit commit");   /* one row per commit, not the series of ai/x */
	return dir;
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS)) {
		char *screen = tmux_screen(t);

		fail_msg("\"%s\" did not appear; the screen:\n%s", text, screen);
	}
}

/* Starts the console in dir as Jane at 80x24, after env; waits for `ready`. */
static void start(struct tmux *t, const char *dir, const char *env, const char *ready)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com %s "
		    "\\\"$REVQ_BIN\\\"", env);
	tmux_start(t, dir, 80, 24, cmd.buf);
	wait_or_fail(t, ready);
	strbuf_release(&cmd);
}

static char *status_of(const char *dir, const char *rev)
{
	struct strbuf out = STRBUF_INIT;
	char *s;

	tl_revq(dir, &out, NULL, "verify --json %s^..%s", rev, rev);
	s = tl_json_text(out.buf, "$.commits[0].status");
	strbuf_release(&out);
	return s;
}

static void test_u_takes_back_the_last_decision_and_asks_when_it_was_pushed(void **state)
{
	const char *dir = small_repo();
	struct strbuf note = STRBUF_INIT;
	struct tmux t;
	char *s, *decided;

	(void)state;
	start(&t, dir, "", "to review");
	tmux_keys(&t, "u");
	wait_or_fail(&t, "nothing to undo");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "approved: signed record written");
	decided = tl_git_out(dir, "notes --ref=revq list | cut -d' ' -f2");
	s = status_of(dir, decided);
	assert_string_equal(s, "approved");
	free(s);
	tmux_keys(&t, "u");
	wait_or_fail(&t, "undone: your approval of");
	s = status_of(dir, decided);
	assert_string_equal(s, "pending");
	free(s);
	/* Nothing was deleted: the approval and its withdrawal are both in the note. */
	tl_sh_output(dir, &note, NULL, "git notes --ref=revq show %s", decided);
	assert_contains(note.buf, "revq1 approve ");
	assert_contains(note.buf, "revq1 withdraw ");
	/* Once a remote has the record (as `revq sync` fetches it), u asks first; n keeps it. */
	tmux_keys(&t, "a");
	wait_or_fail(&t, "approved: signed record written");
	tl_git(dir, "update-ref refs/notes/remotes/origin/revq refs/notes/revq");
	tmux_keys(&t, "u");
	wait_or_fail(&t, "already pushed");
	tmux_keys(&t, "n");
	wait_or_fail(&t, "nothing undone");
	s = status_of(dir, decided);
	assert_string_equal(s, "approved");
	free(s);
	tmux_keys(&t, "u");
	wait_or_fail(&t, "already pushed");
	tmux_keys(&t, "y");
	wait_or_fail(&t, "undone: your approval of");
	s = status_of(dir, decided);
	assert_string_equal(s, "pending");
	free(s);
	tmux_keys(&t, "u");
	wait_or_fail(&t, "nothing to undo");
	tmux_stop(&t);
	strbuf_release(&note);
	free(decided);
}

/* 40 AI-assisted commits on ai/many, none analysed yet, analysed by one thread. */
static const char *many_repo(void)
{
	const char *dir = tl_repo_new();

	free(tl_commit(dir, 30, "Base"));
	tl_git(dir, "checkout -q -b ai/many");
	tl_sh(dir, "for i in $(seq 1 40); do echo \"int f$i;\" > f$i.c && git add f$i.c && "
		   "git commit -q -m \"Change $i\" -m 'Co-Authored-By: Claude <noreply@anthropic.com>'; done");
	tl_git(dir, "checkout -q main");
	tl_git(dir, "config revq.jobs 1");
	return dir;
}

static void test_a_cold_start_shows_its_progress_and_q_stops_it(void **state)
{
	const char *dir = many_repo();
	struct tmux t;
	char *screen;

	(void)state;
	/* REVQ_PROGRESS_HOLD stops once after the first item, so that the screen can be read. */
	start(&t, dir, "REVQ_PROGRESS_HOLD=1", "Scanning commits: 1 of 40");
	screen = tmux_screen(&t);
	assert_contains(screen, "q:quit");
	free(screen);
	tmux_keys(&t, "q");
	/* revq ended (the pane's shell sleeps on after it), without an error and with no queue drawn. */
	assert_int_equal(tl_sh(dir, "for i in $(seq 200); do [ \"$(tmux -L %s list-panes -t %s "
				    "-F '#{pane_current_command}')\" = sleep ] && exit 0; sleep 0.1; done; exit 1",
			       t.socket, t.session), 0);
	screen = tmux_screen(&t);
	assert_not_contains(screen, "to review");
	assert_not_contains(screen, "revq:");
	free(screen);
	tmux_stop(&t);
	/* Any other key goes on to the queue. */
	start(&t, dir, "REVQ_PROGRESS_HOLD=1", "Scanning commits: 1 of 40");
	tmux_keys(&t, "Space");
	wait_or_fail(&t, "to review");
	tmux_stop(&t);
}

/* R builds the queue again with the cold start's progress screen; q there keeps the old queue. */
static void test_a_reload_shows_the_same_progress_as_a_cold_start(void **state)
{
	const char *dir = many_repo();
	struct tmux t;

	(void)state;
	start(&t, dir, "REVQ_PROGRESS_HOLD=1", "Scanning commits: 1 of 40");
	tmux_keys(&t, "Space");
	wait_or_fail(&t, "to review");
	/* Five new commits: the reload has them to analyse, and says so as it goes. */
	tl_sh(dir, "git checkout -q ai/many && for i in $(seq 41 45); do echo \"int f$i;\" > f$i.c && "
		   "git add f$i.c && git commit -q -m \"Change $i\" -m 'Co-Authored-By: Claude <noreply@anthropic.com>'; "
		   "done && git checkout -q main");
	tmux_keys(&t, "R");
	wait_or_fail(&t, "Scanning commits: 1 of");
	wait_or_fail(&t, "q:quit");
	tmux_keys(&t, "Space");
	wait_or_fail(&t, "reloaded: 45 items");
	/* Stopped with q: the reload fails, the queue stays. */
	tl_sh(dir, "git checkout -q ai/many && echo 'int g;' > g.c && git add g.c && "
		   "git commit -q -m 'Change g' -m 'Co-Authored-By: Claude <noreply@anthropic.com>' && git checkout -q main");
	tmux_keys(&t, "R");
	wait_or_fail(&t, "Scanning commits: 1 of");
	tmux_keys(&t, "q");
	wait_or_fail(&t, "reload failed");
	wait_or_fail(&t, "to review");
	tmux_stop(&t);
}

static void test_an_item_past_the_rename_limit_says_renames_are_exact_only(void **state)
{
	const char *dir = tl_repo_new();
	struct tmux t;

	(void)state;
	tl_sh(dir, "seq 1 40 > a.txt && seq 41 80 > b.txt && git add . && git commit -qm base && "
		   "git checkout -q -b ai/move && mkdir m && git mv a.txt m/a.txt && git mv b.txt m/b.txt && "
		   "echo edited >> m/a.txt && echo edited >> m/b.txt && git add -A && "
		   "git commit -qm 'Move files' -m 'Co-Authored-By: Claude <noreply@anthropic.com>' && "
		   "git checkout -q main && git config diff.renameLimit 1");
	start(&t, dir, "", "to review");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Renames: exact only");
	tmux_stop(&t);
	/* Within the limit the moves are renames, and nothing is said. */
	tl_git(dir, "config diff.renameLimit 10");
	start(&t, dir, "", "to review");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "a.txt -> m/a.txt");
	{
		char *screen = tmux_screen(&t);

		assert_not_contains(screen, "Renames: exact only");
		free(screen);
	}
	tmux_stop(&t);
}

/* A .revq/policy that is no git-config syntax (an unclosed section) on main, ai/x rebased onto it. */
static void commit_broken_policy(const char *dir)
{
	tl_sh(dir, "mkdir -p .revq && printf '[tier \"all\"\\n\\tminRisk = 0\\n' > .revq/policy && "
		   "git add .revq && git commit -qm 'Broken policy' && git rebase -q main ai/x && git checkout -q main");
}

static void test_a_broken_policy_shows_unknown_policy_error_not_pending_or_approved(void **state)
{
	const char *dir = small_repo();
	struct tmux t;
	char *screen;

	(void)state;
	commit_broken_policy(dir);
	start(&t, dir, "", "to review");
	wait_or_fail(&t, "every status is unknown: policy error");
	screen = tmux_screen(&t);
	assert_contains(screen, "unknown");
	assert_not_contains(screen, "pending");
	assert_not_contains(screen, "approved  ");   /* the status column; the title counts "approved today" */
	free(screen);
	/* The item says why; a decides nothing. */
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Status:  unknown: policy error:");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "decisions are unavailable");
	tmux_stop(&t);
}

static void test_a_series_with_a_broken_policy_is_unknown_too(void **state)
{
	const char *dir = small_repo();
	struct tmux t;
	char *screen;

	(void)state;
	tl_git(dir, "config revq.reviewUnit series");
	commit_broken_policy(dir);
	start(&t, dir, "", "to review");
	wait_or_fail(&t, "every status is unknown: policy error");
	screen = tmux_screen(&t);
	assert_contains(screen, "[series ai/x: 2 commits]");
	assert_contains(screen, "unknown");
	assert_not_contains(screen, "pending");
	free(screen);
	tmux_stop(&t);
}

/* The screen with its attributes as escape sequences (capture-pane -e). */
static char *screen_with_attributes(struct tmux *t)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(t->dir, &out, NULL, "tmux -L %s capture-pane -e -p -t %s", t->socket, t->session);
	return strbuf_detach(&out, NULL);
}

/* Underlined and reversed: how a match is marked (SGR 4 and 7). */
#define MARKED "\033[4;7m"

static void test_search_matches_are_marked_within_the_line(void **state)
{
	const char *dir = small_repo();
	struct tmux t;
	char *screen;

	(void)state;
	/* Attributes without colours (NO_COLOR) are all the marking there is; unified: the whole line at 80. */
	start(&t, dir, "TERM=xterm-256color NO_COLOR=1", "to review");
	tmux_keys(&t, "/");   /* the queue's filter: the item that adds b.txt */
	tmux_type(&t, "Add b");
	tmux_keys(&t, "Enter");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "haystack");
	tmux_keys(&t, "t");
	wait_or_fail(&t, "unified");
	/* Before any search nothing in the line is marked. */
	screen = screen_with_attributes(&t);
	assert_not_contains(screen, MARKED "needle");
	free(screen);
	tmux_keys(&t, "/");
	tmux_type(&t, "needle");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "match 1 of 2");
	screen = screen_with_attributes(&t);
	/* Both matches in the line, and only the matched letters: " in a haystack" is not marked. */
	assert_contains(screen, MARKED "needle");
	assert_contains(screen, "another " MARKED "needle");
	assert_not_contains(screen, MARKED "needle in");
	assert_not_contains(screen, MARKED " in a");
	free(screen);
	tmux_stop(&t);
}

/*
 * A commit of 400 files opens with none of them diffed (show/layout.h):
 * what is on screen is diffed as it comes, and nothing is missing for
 * it.  End shows the last file's last line; the file list's rows have
 * their +/-; a search counts the matches of every file, the ones far
 * from the screen too.  At 80x24 and at 200x50.
 */
static void wide_commit_at(int cols, int rows)
{
	const char *dir = tl_repo_new();
	struct strbuf cmd = STRBUF_INIT;
	struct tmux t;

	tl_sh(dir, "mkdir src && for i in $(seq 100 499); do seq -f \"line %%g of file $i\" 1 20 > src/f$i.c; done && "
		   "git add . && git commit -qm base && git checkout -q -b ai/wide && "
		   "for i in $(seq 100 499); do echo \"marker-$i added\" >> src/f$i.c; done && "
		   "echo 'the very last line' >> src/f499.c && git add -A && "
		   "git commit -qm 'Touch every file' -m 'Co-Authored-By: Claude <noreply@anthropic.com>' && "
		   "git checkout -q main");
	strbuf_addf(&cmd, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com \\\"$REVQ_BIN\\\"");
	tmux_start(&t, dir, cols, rows, cmd.buf);
	wait_or_fail(&t, "to review");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Files:   400 changed");
	/* The header's first file rows are on screen at 200x50: their +/- is there. */
	tmux_keys(&t, "End");
	wait_or_fail(&t, "the very last line");
	tmux_keys(&t, "g");
	tmux_keys(&t, "/");
	tmux_type(&t, "marker-4");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "match 1 of 100");   /* marker-400 .. marker-499, in files never on screen */
	wait_or_fail(&t, "marker-400 added");
	tmux_keys(&t, "N");
	wait_or_fail(&t, "match 100 of 100");
	wait_or_fail(&t, "marker-499 added");
	/* The file picker's rows have their counts. */
	tmux_keys(&t, "f");
	tmux_type(&t, "f250");
	wait_or_fail(&t, "+1 -0");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "marker-250 added");
	tmux_stop(&t);
	strbuf_release(&cmd);
}

static void test_a_wide_commit_shows_every_file_it_reaches_at_80x24(void **state)
{
	(void)state;
	wide_commit_at(80, 24);
}

static void test_a_wide_commit_shows_every_file_it_reaches_at_200x50(void **state)
{
	(void)state;
	wide_commit_at(200, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u_takes_back_the_last_decision_and_asks_when_it_was_pushed),
		cmocka_unit_test(test_a_cold_start_shows_its_progress_and_q_stops_it),
		cmocka_unit_test(test_an_item_past_the_rename_limit_says_renames_are_exact_only),
		cmocka_unit_test(test_a_broken_policy_shows_unknown_policy_error_not_pending_or_approved),
		cmocka_unit_test(test_a_series_with_a_broken_policy_is_unknown_too),
		cmocka_unit_test(test_search_matches_are_marked_within_the_line),
		cmocka_unit_test(test_a_reload_shows_the_same_progress_as_a_cold_start),
		cmocka_unit_test(test_a_wide_commit_shows_every_file_it_reaches_at_80x24),
		cmocka_unit_test(test_a_wide_commit_shows_every_file_it_reaches_at_200x50),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, setup, teardown);
	return rc;
}
