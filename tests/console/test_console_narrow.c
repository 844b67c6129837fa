/*
 * test_console_narrow.c: the console at 80x24 against 200x50 (issue 16,
 * section 1): a long subject leaves its top risk reason on screen, both
 * cut with the '>' mark, the whole subject at 200 columns; footers show
 * whole hints only; the item view's position names the file and the row
 * in it, the same before and after other files are diffed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000
#define SUBJECT "Rework the invoice exporter so that every currency rounds the way the ledger expects"

static const char *repo;

static int setup(void **state)
{
	(void)state;
	repo = tl_repo_new();
	free(tl_commit(repo, 30, "Base"));
	tl_git(repo, "checkout -q -b ai/x");
	tl_sh(repo, "for i in 1 2 3; do seq -f \"line %%g of $i\" 1 60 > f$i.txt; done");
	tl_git(repo, "add .");
	tl_git(repo, "commit -q -m '%s' -m 'Co-Authored-By: Claude <noreply@anthropic.com>'", SUBJECT);
	tl_git(repo, "checkout -q main");
	tl_git(repo, "config revq.consoleView all");
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

/* Row `row` of the screen; caller frees. */
static char *row_text(struct tmux *t, int row)
{
	char *screen = tmux_screen(t), *p = screen, *end, *line;

	for (int r = 0; r < row && p; r++)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (!p)
		p = "";
	end = strchr(p, '\n');
	line = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
	free(screen);
	return line;
}

/* Every hint of the status line is one of the view's, whole: "key:name" pieces two spaces apart. */
static void assert_whole_hints(struct tmux *t, int row, const char *const *hints)
{
	char *line = row_text(t, row), *p = line;

	while (*p) {
		size_t n = 0;
		int known = 0;

		while (p[n] && !(p[n] == ' ' && p[n + 1] == ' '))
			n++;
		for (const char *const *h = hints; *h; h++)
			known |= strlen(*h) == n && !strncmp(*h, p, n);
		/* The position on the right is no hint: it holds no ':'. */
		if (!known && memchr(p, ':', n))
			fail_msg("\"%.*s\" is not a whole hint: \"%s\"", (int)n, p, line);
		p += n;
		while (*p == ' ')
			p++;
	}
	free(line);
}

static const char *const queue_hints[] = {
	"Enter:open", "a:approve", "r:reject", "v:toggle-mine", "/:filter", "?, F1:help", "q:back", NULL,
};
static const char *const item_hints[] = {
	"a:approve", "r:reject", "F1:help", "c:comment", "v:mark-viewed", "/:search", "}:next-hunk", "f:files",
	"w:toggle-wrap", "q:back", NULL,
};

static void test_a_long_subject_leaves_its_top_reason_on_screen_at_80_columns(void **state)
{
	struct tmux t;
	char *row;

	(void)state;
	tmux_start(&t, repo, 80, 24, "\\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "Rework the");
	row = row_text(&t, 2);
	assert_contains(row, "Rework the invoice");
	assert_not_contains(row, "ledger expects");
	assert_contains(row, ">  +");        /* the subject's cut mark, then the reason */
	assert_contains(row, "size");       /* the reason's words are on screen */
	assert_true(strlen(row) <= 80 && row[strlen(row) - 1] == '>');   /* and its own cut is marked */
	free(row);
	assert_whole_hints(&t, 23, queue_hints);
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "header 1/");
	assert_whole_hints(&t, 23, item_hints);
	row = row_text(&t, 23);
	assert_contains(row, "F1:help");
	free(row);
	tmux_stop(&t);
}

static void test_at_200_columns_the_whole_subject_shows_without_a_mark(void **state)
{
	struct tmux t;
	char *row;

	(void)state;
	tmux_start(&t, repo, 200, 50, "\\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "ledger expects");
	row = row_text(&t, 2);
	assert_contains(row, SUBJECT "  +");
	assert_not_contains(row, ">");
	free(row);
	assert_whole_hints(&t, 49, queue_hints);
	row = row_text(&t, 49);
	assert_contains(row, "q:back");
	free(row);
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "header 1/");
	row = row_text(&t, 49);
	assert_contains(row, "w:toggle-wrap  q:back");
	free(row);
	tmux_stop(&t);
}

/* "file 2/3 row 1/N": the second file's header, the same once the files around it are diffed. */
static void test_the_position_names_the_file_and_does_not_grow_as_files_are_diffed(void **state)
{
	struct tmux t;
	char *first, *again;

	(void)state;
	tmux_start(&t, repo, 80, 24, "\\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "Rework the");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "header 1/");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "file 1/3 row 1/");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "file 2/3 row 1/");
	first = row_text(&t, 23);
	tmux_keys(&t, "G");
	wait_or_fail(&t, "file 3/3");
	tmux_keys(&t, "g");
	wait_or_fail(&t, "header 1/");
	tmux_keys(&t, "] ]");
	wait_or_fail(&t, "file 2/3 row 1/");
	again = row_text(&t, 23);
	assert_string_equal(strstr(again, "file 2/3"), strstr(first, "file 2/3"));
	free(first);
	free(again);
	tmux_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_long_subject_leaves_its_top_reason_on_screen_at_80_columns),
		cmocka_unit_test(test_at_200_columns_the_whole_subject_shows_without_a_mark),
		cmocka_unit_test(test_the_position_names_the_file_and_does_not_grow_as_files_are_diffed),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
