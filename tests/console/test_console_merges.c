/*
 * test_console_merges.c: the real console in tmux on a merge (its
 * parents, its diff labelled as the remerge diff and showing the
 * resolution against the conflict markers) and on a commit with a Git AI
 * note (the added lines the note names marked A in the gutter, the
 * others +).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000

static const char *repo;

static int setup(void **state)
{
	(void)state;
	repo = tl_repo_new();
	free(tl_commit_file(repo, "f", "a\nb\nc\n", 10, "base\n"));
	tl_git(repo, "checkout -q -b one");
	free(tl_commit_file(repo, "f", "a\nB1\nc\n", 9, "side one\n"));
	tl_git(repo, "checkout -q -b ai/merge main");
	free(tl_commit_file(repo, "f", "a\nB2\nc\n", 9, "side two\n"));
	tl_sh(repo, "git merge -q one >/dev/null 2>&1");
	free(tl_commit_file(repo, "f", "a\nB12\nc\n", 8, "Resolved merge" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b ai/noted main");
	free(tl_commit_file(repo, "calc.py", "a = 1\nb = 2\nc = 3\nd = 4\n", 2, "Noted commit\n"));
	tl_write(repo, "../note.txt", "calc.py\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 2-3\n---\n"
		 "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"sessions\": "
		 "{\"s_e5ad0f6fb287dd\": {\"agent_id\": {\"tool\": \"claude\", \"model\": \"m\"}}}}\n");
	tl_git(repo, "notes --ref=ai add -F ../note.txt HEAD");
	tl_git(repo, "checkout -q main");
	return tl_revq(repo, NULL, NULL, "list >/dev/null");
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

static void open_item(struct tmux *t, const char *subject)
{
	/* as a reviewer, not the committer (whose commits never need them) */
	tmux_start(t, repo, 160, 50, "env GIT_COMMITTER_EMAIL=jane@example.com \\\"$REVQ_BIN\\\"");
	wait_or_fail(t, "to review");
	tmux_keys(t, "/");
	tmux_type(t, subject);
	tmux_keys(t, "Enter Enter");
	wait_or_fail(t, "commit ");
}

static void test_a_merge_shows_its_parents_and_its_remerge_diff(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	open_item(&t, "Resolved merge");
	wait_or_fail(&t, "Diff:    remerge diff");
	screen = tmux_screen(&t);
	assert_contains(screen, "Merge:   ");
	assert_contains(screen, "side two");        /* a parent, by its subject */
	assert_contains(screen, "side one");
	assert_contains(screen, "1 path was in conflict");
	free(screen);
	tmux_keys(&t, "]");
	wait_or_fail(&t, "B12");
	screen = tmux_screen(&t);
	assert_contains(screen, "-<<<<<<< ");        /* the markers, deleted */
	assert_contains(screen, "+B12");             /* the resolution, added */
	free(screen);
	tmux_stop(&t);
}

static void test_lines_an_ai_session_wrote_are_marked_a(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	open_item(&t, "Noted commit");
	wait_or_fail(&t, "AI lines: 2 added lines marked A");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "d = 4");
	screen = tmux_screen(&t);
	assert_contains(screen, "2Ab = 2");
	assert_contains(screen, "3Ac = 3");
	assert_contains(screen, "4+d = 4");          /* untracked by the note */
	assert_contains(screen, "1+a = 1");
	free(screen);
	tmux_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_merge_shows_its_parents_and_its_remerge_diff),
		cmocka_unit_test(test_lines_an_ai_session_wrote_are_marked_a),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
