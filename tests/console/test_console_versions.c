/*
 * test_console_versions.c: a new version in the real console, driven in
 * tmux at 80x24 and 200x50: the queue marks a rebased commit whose
 * earlier version jane approved, Enter opens it on the interdiff (only
 * the line changed since), I switches to the full diff and back.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tmux.h"

#define WAIT_MS 20000
#define JANE "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
#define MESSAGE "Fix five" TL_AI_TRAILER "Change-Id: Iconsole\n"

struct fixture {
	const char *repo;
	const char *keys;
};

/* src/a.c of 30 lines, line 5 replaced by five (when not NULL). */
static void write_lines(const char *repo, const char *five)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 1; i <= 30; i++)
		if (i == 5 && five)
			strbuf_addf(&sb, "%s\n", five);
		else
			strbuf_addf(&sb, "line %d\n", i);
	tl_write(repo, "src/a.c", sb.buf);
	strbuf_release(&sb);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *old;

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	write_lines(f->repo, NULL);
	free(tl_commit(f->repo, 5, "Add a.c"));
	tl_git(f->repo, "checkout -q -b ai/x");
	write_lines(f->repo, "line five, fixed");
	old = tl_commit(f->repo, 3, MESSAGE);
	assert_int_equal(tl_sh(f->repo, JANE "\"$REVQ_BIN\" approve %s >/dev/null 2>&1", old), 0);
	tl_git(f->repo, "checkout -q main");
	free(tl_commit_file(f->repo, "README", "more\n", 2, "Main moves on"));
	tl_git(f->repo, "checkout -q ai/x");
	tl_git(f->repo, "rebase -q main");
	assert_int_equal(tl_sh(f->repo, "sed -i 's/^line 6$/line six, after review/' src/a.c"), 0);
	tl_git(f->repo, "commit -q -a --amend --no-edit");
	tl_git(f->repo, "checkout -q main");
	free(old);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS))
		fail_msg("\"%s\" did not appear; the screen:\n%s", text, tmux_screen(t));
}

static void assert_screen_lacks(struct tmux *t, const char *text)
{
	char *screen = tmux_screen(t);

	if (strstr(screen, text))
		fail_msg("\"%s\" is on the screen:\n%s", text, screen);
	free(screen);
}

static void versions_flow(struct fixture *f, int cols, int rows)
{
	struct tmux t;

	tmux_start(&t, f->repo, cols, rows, "env " JANE "\\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "to review");
	wait_or_fail(&t, "[new version] Fix five");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Version: new version of");
	wait_or_fail(&t, "the interdiff (I: the full diff)");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "line six, after review");
	assert_screen_lacks(&t, "line 5 ");   /* the change reviewed before is not shown again */
	tmux_keys(&t, "I");
	wait_or_fail(&t, "the full diff (I: the interdiff)");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "line 5 ");
	tmux_keys(&t, "I");
	wait_or_fail(&t, "the interdiff (I: the full diff)");
	tmux_stop(&t);
}

static void test_a_new_version_opens_on_its_interdiff_at_80x24(void **state)
{
	versions_flow(*state, 80, 24);
}

static void test_a_new_version_opens_on_its_interdiff_at_200x50(void **state)
{
	versions_flow(*state, 200, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_new_version_opens_on_its_interdiff_at_80x24, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_version_opens_on_its_interdiff_at_200x50, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
