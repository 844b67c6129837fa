/*
 * test_console_tmux.c: the real console driven in tmux: the queue's
 * order, moving and filtering, the side-by-side item view, the a and r
 * keys, resizing, terminals without colour or UTF-8, the help screen.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tmux.h"
#include "show/escape.h"

#define WAIT_MS 20000

static const char *repo, *keys;
static char *risky, *edit, *cafe, *bidi;

/*
 * The repository: on ai/x, four AI-assisted commits of clearly different
 * risk, an ssh signing key and its allowed signers file.
 */
static int setup(void **state)
{
	(void)state;
	repo = tl_repo_new();
	keys = tl_tmpdir();
	tl_write(repo, "a.txt", "line one\nline two\nline three\n");
	free(tl_commit(repo, 30, "Text to edit"));
	tl_git(repo, "checkout -q -b ai/x");
	tl_write(repo, "a.txt", "line one\nline 2 changed\nline three\nline four\n");
	edit = tl_commit(repo, 5, "Edit a" TL_AI_TRAILER);
	risky = tl_commit_file(repo, ".github/workflows/ci.yml", "run: rm -rf /tmp/x --force\n", 4,
			       "Risky CI" TL_AI_TRAILER);
	cafe = tl_commit_file(repo, "menu.txt", "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87\tend\n", 3,
			      "Caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 menu" TL_AI_TRAILER);
	bidi = tl_commit_file(repo, "check.c", "if (role != \"user\xe2\x80\xae \xe2\x81\xa6// admin\xe2\x81\xa9 \xe2\x81\xa6\")\n",
			      2, "Access check" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	tl_sh(keys, "ssh-keygen -q -t ed25519 -N '' -C jane -f jane && "
		    "printf 'jane@example.com namespaces=\"revq\" %%s\\n' \"$(cut -d' ' -f1,2 jane.pub)\" > allowed");
	tl_git(repo, "config gpg.format ssh");
	tl_git(repo, "config user.signingkey %s/jane", keys);
	tl_git(repo, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	return tl_revq(repo, NULL, NULL, "list >/dev/null");
}

static int teardown(void **state)
{
	(void)state;
	free(risky);
	free(edit);
	free(cafe);
	free(bidi);
	tl_cleanup();
	return 0;
}

/* Starts the console as Jane, with extra environment `env`. */
static void start(struct tmux *t, int cols, int rows, const char *env)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com %s "
		    "\\\"$REVQ_BIN\\\"", env);
	tmux_start(t, repo, cols, rows, cmd.buf);
	if (!tmux_wait_for(t, "to review", WAIT_MS))
		fail_msg("the console did not start:\n%s", tmux_screen(t));
	strbuf_release(&cmd);
}

/* The row (0-based) of the screen on which text first appears, or -1. */
static int row_of(const char *screen, const char *text)
{
	const char *hit = strstr(screen, text);
	int row = 0;

	if (!hit)
		return -1;
	for (const char *p = screen; p < hit; p++)
		row += *p == '\n';
	return row;
}

/* The screen's row `row`, without its newline; caller frees. */
static char *screen_row(const char *screen, int row)
{
	const char *p = screen;

	for (int i = 0; i < row && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return strdup("");
	return strndup(p, strcspn(p, "\n"));
}

static void wait_or_fail(struct tmux *t, const char *text)
{
	if (!tmux_wait_for(t, text, WAIT_MS)) {
		char *screen = tmux_screen(t);

		fail_msg("\"%s\" did not appear; the screen:\n%s", text, screen);
	}
}

static void test_queue_in_priority_order(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	start(&t, 120, 30, "");
	screen = tmux_screen(&t);
	/* Header counts, then the riskiest first, then by age among equals. */
	assert_contains(screen, "4 to review");
	assert_contains(screen, "oldest wait 5d");
	assert_true(row_of(screen, "Risky CI") >= 0);
	assert_true(row_of(screen, "Risky CI") < row_of(screen, "Access check"));
	assert_true(row_of(screen, "Access check") < row_of(screen, "Edit a"));
	assert_true(row_of(screen, "Edit a") < row_of(screen, "Caf\xc3\xa9"));
	assert_contains(screen, "a:approve");
	free(screen);
	tmux_stop(&t);
}

static void test_navigation_and_filter(void **state)
{
	struct tmux t;
	char *screen, *line;

	(void)state;
	start(&t, 120, 30, "");
	tmux_keys(&t, "G");
	wait_or_fail(&t, "4/4");
	tmux_keys(&t, "k");
	wait_or_fail(&t, "3/4");
	tmux_keys(&t, "g");
	wait_or_fail(&t, "1/4");
	tmux_keys(&t, "Down Down");
	wait_or_fail(&t, "3/4");
	tmux_keys(&t, "/ m e n u Enter");
	wait_or_fail(&t, "1/1");
	screen = tmux_screen(&t);
	assert_contains(screen, "menu");
	assert_not_contains(screen, "Risky CI");
	free(screen);
	/* By path, then by id; an empty filter shows everything again. */
	tmux_keys(&t, "/ C-u . g i t h u b Enter");
	wait_or_fail(&t, "Risky CI");
	screen = tmux_screen(&t);
	assert_not_contains(screen, "Edit a");
	free(screen);
	tmux_keys(&t, "/ C-u Enter");
	wait_or_fail(&t, "1/4");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	screen = tmux_screen(&t);
	line = screen_row(screen, 0);
	assert_contains(line, "Risky CI");
	assert_contains(screen, "rm -rf");
	assert_contains(screen, "CI/CD workflow");
	free(line);
	free(screen);
	tmux_stop(&t);
}

static void open_item(struct tmux *t, const char *subject)
{
	tmux_keys(t, "/");
	tl_sh(repo, "tmux -L %s send-keys -t %s -l '%s'", t->socket, t->session, subject);
	tmux_keys(t, "Enter Enter");
	wait_or_fail(t, "commit ");
}

static void test_split_view_with_line_numbers(void **state)
{
	struct tmux t;
	char *screen, *line;
	int row;

	(void)state;
	start(&t, 160, 40, "");
	open_item(&t, "Edit a");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "line 2 changed");
	screen = tmux_screen(&t);
	assert_contains(screen, "split");
	/* Old on the left, new on the right, aligned row by row. */
	row = row_of(screen, "2-line two");
	assert_true(row >= 0);
	line = screen_row(screen, row);
	assert_true(strstr(line, "2-line two") < strstr(line, "2+line 2 changed"));
	free(line);
	line = screen_row(screen, row_of(screen, "1 line one"));
	assert_contains(line, "1 line one");
	assert_true(strstr(strstr(line, "1 line one") + 1, "1 line one") != NULL);
	free(line);
	line = screen_row(screen, row_of(screen, "4+line four"));
	assert_not_contains(line, "line three");
	free(line);
	free(screen);
	/* t switches to unified, and back. */
	tmux_keys(&t, "t");
	wait_or_fail(&t, "unified");
	screen = tmux_screen(&t);
	assert_true(row_of(screen, "-line two") < row_of(screen, "+line 2 changed"));
	free(screen);
	tmux_keys(&t, "t");
	wait_or_fail(&t, "split");
	tmux_stop(&t);
}

static void test_approve_key_signs_and_advances(void **state)
{
	struct tmux t;
	struct strbuf out = STRBUF_INIT;
	char *screen;

	(void)state;
	start(&t, 120, 30, "");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Risky CI");
	tmux_keys(&t, "a");
	/* The confirmation, and the next item in priority order is open. */
	wait_or_fail(&t, "approved: signed record written to refs/notes/revq");
	screen = tmux_screen(&t);
	assert_contains(screen, "Access check");
	free(screen);
	assert_int_equal(tl_revq(repo, &out, NULL, "verify --json %s^..%s", risky, risky), 0);
	assert_json_text(out.buf, "$.commits[0].decisions[0].reviewer", "jane@example.com");
	assert_json_text(out.buf, "$.commits[0].decisions[0].signature", "good signature");
	/* r asks for a reason; the reason is in the signed record. */
	tmux_keys(&t, "r");
	wait_or_fail(&t, "eason");
	tl_sh(repo, "tmux -L %s send-keys -t %s -l 'hides an admin bypass'", t.socket, t.session);
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "rejected: signed record written");
	strbuf_reset(&out);
	tl_sh_output(repo, &out, NULL, "git notes --ref=revq show %s", bidi);
	assert_contains(out.buf, "revq1 reject reviewer=\"Jane <jane@example.com>\"");
	assert_contains(out.buf, "comment=\"hides an admin bypass\"");
	/* Back in the queue, the header counts today's decisions. */
	tmux_keys(&t, "q");
	wait_or_fail(&t, "approved today 1 | rejected today 1");
	tmux_stop(&t);
	/* Undo, for the other tests. */
	tl_git(repo, "update-ref -d refs/notes/revq");
	strbuf_release(&out);
}

static void test_decision_errors_go_to_the_status_line(void **state)
{
	struct tmux t;
	struct strbuf refs = STRBUF_INIT;

	(void)state;
	tl_git(repo, "config user.signingkey %s/missing", keys);
	start(&t, 120, 30, "");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "missing");
	tl_sh_output(repo, &refs, NULL, "git for-each-ref refs/notes");
	assert_string_equal(refs.buf, "");
	/* Still usable after the error. */
	tmux_keys(&t, "j");
	wait_or_fail(&t, "2/4");
	tmux_stop(&t);
	tl_git(repo, "config user.signingkey %s/jane", keys);
	strbuf_release(&refs);
}

/* Every screen row fits in `cols` columns. */
static void assert_fits(const char *screen, int cols)
{
	int row = 0;

	for (const char *p = screen; *p; row++) {
		size_t len = strcspn(p, "\n"), width = escape_width(p, len, 0);

		if (width > (size_t)cols)
			fail_msg("row %d is %zu columns wide: %.*s", row, width, (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void test_resize_between_80x24_and_200x50(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	start(&t, 200, 50, "");
	open_item(&t, "Edit a");
	tmux_keys(&t, "]");
	wait_or_fail(&t, "split");
	/* 80x24: still side by side, everything within 80 columns. */
	tmux_resize(&t, 80, 24);
	usleep(300000);
	wait_or_fail(&t, "2-line two");
	screen = tmux_screen(&t);
	assert_fits(screen, 80);
	assert_contains(screen, "Edit a");
	assert_int_equal(row_of(screen, "split"), 23);   /* the status line is at the bottom */
	assert_int_equal(row_of(screen, "2-line two"), row_of(screen, "2+line 2 changed"));
	free(screen);
	/* Too narrow for two readable panes: unified. */
	tmux_resize(&t, 60, 24);
	wait_or_fail(&t, "unified");
	screen = tmux_screen(&t);
	assert_fits(screen, 60);
	assert_true(row_of(screen, "-line two") < row_of(screen, "+line 2 changed"));
	free(screen);
	tmux_resize(&t, 200, 50);
	wait_or_fail(&t, "split");
	screen = tmux_screen(&t);
	assert_int_equal(row_of(screen, "split"), 49);
	assert_contains(screen, "2+line 2 changed");
	free(screen);
	tmux_keys(&t, "q");
	wait_or_fail(&t, "to review");
	tmux_keys(&t, "/ C-u Enter");   /* the filter stays until cleared */
	wait_or_fail(&t, "Risky CI");
	tmux_resize(&t, 80, 24);
	usleep(300000);
	screen = tmux_screen(&t);
	assert_fits(screen, 80);
	assert_contains(screen, "Risky CI");
	assert_int_equal(row_of(screen, "a:approve"), 23);
	free(screen);
	tmux_stop(&t);
}

/* Records the raw bytes of a session that opens every item; caller releases. */
static void record_session(struct strbuf *raw, int cols, const char *env)
{
	const char *dir = tl_tmpdir();
	struct strbuf file = STRBUF_INIT;
	struct tmux t;

	strbuf_addf(&file, "%s/raw.bin", dir);
	start(&t, cols, 30, env);
	tmux_record(&t, file.buf);
	for (int i = 0; i < 4; i++) {
		tmux_keys(&t, "Enter");
		wait_or_fail(&t, "commit ");
		tmux_keys(&t, "] PageDown q");
		wait_or_fail(&t, "to review");
		tmux_keys(&t, "j");
	}
	tmux_keys(&t, "C-l");
	usleep(300000);
	tmux_stop(&t);
	tl_sh_output(dir, raw, NULL, "cat raw.bin");
	strbuf_release(&file);
}

/* 1 when raw holds an SGR sequence that sets a foreground or background colour. */
static int has_colour(const struct strbuf *raw)
{
	for (const char *p = raw->buf; (p = memmem(p, raw->len - (size_t)(p - raw->buf), "\033[", 2)); p += 2) {
		size_t n = strspn(p + 2, "0123456789;");

		if (p[2 + n] != 'm')
			continue;
		for (const char *q = p + 2; q < p + 2 + n; q += strspn(q, ";")) {
			int v = atoi(q);

			if ((v >= 30 && v <= 38) || (v >= 40 && v <= 48) || (v >= 90 && v <= 107))
				return 1;
			q += strspn(q, "0123456789");
		}
	}
	return 0;
}

static void test_no_color_uses_attributes_only(void **state)
{
	struct strbuf raw = STRBUF_INIT;

	(void)state;
	record_session(&raw, 120, "TERM=xterm-256color");
	assert_true(has_colour(&raw));   /* the check below can fail */
	strbuf_reset(&raw);
	record_session(&raw, 120, "TERM=xterm-256color NO_COLOR=1");
	assert_true(raw.len > 1000);
	assert_false(has_colour(&raw));
	/* Reverse and bold carry the meaning instead (ncurses writes ESC [ 0 ; 7 m). */
	assert_true(memmem(raw.buf, raw.len, ";7m", 3) || memmem(raw.buf, raw.len, "[7m", 3));
	assert_true(memmem(raw.buf, raw.len, ";1m", 3) || memmem(raw.buf, raw.len, "[1m", 3));
	strbuf_release(&raw);
}

static void test_non_utf8_locale_shows_ascii(void **state)
{
	struct strbuf raw = STRBUF_INIT;
	struct tmux t;
	char *screen;

	(void)state;
	record_session(&raw, 120, "LC_ALL=C");
	for (size_t i = 0; i < raw.len; i++)
		if ((unsigned char)raw.buf[i] >= 0x80)
			fail_msg("byte 0x%02x at %zu in a C locale", (unsigned char)raw.buf[i], i);
	start(&t, 120, 30, "LC_ALL=C");
	assert_true(tmux_wait_for(&t, "Caf<U+00E9> <U+4E2D><U+6587> menu", WAIT_MS));
	tmux_stop(&t);
	/* In UTF-8, wide characters take two columns and the columns still line up. */
	start(&t, 120, 30, "");
	screen = tmux_screen(&t);
	assert_contains(screen, "Caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 menu");
	{
		char *cafe_row = screen_row(screen, row_of(screen, "menu"));
		char *edit_row = screen_row(screen, row_of(screen, "Edit a"));
		/* "+1 -0" ends at the same column: the CJK characters count double. */
		assert_int_equal(escape_width(cafe_row, strlen(cafe_row), 0),
				 escape_width(edit_row, strlen(edit_row), 0));
		free(cafe_row);
		free(edit_row);
	}
	free(screen);
	tmux_stop(&t);
	strbuf_release(&raw);
}

static void test_terminal_types(void **state)
{
	static const char *const terms[] = { "vt100", "xterm", "screen", "tmux-256color" };

	(void)state;
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		struct strbuf env = STRBUF_INIT;
		struct tmux t;

		strbuf_addf(&env, "TERM=%s", terms[i]);
		start(&t, 80, 24, env.buf);
		tmux_keys(&t, "Enter");
		wait_or_fail(&t, "Risky CI");
		wait_or_fail(&t, "rm -rf");
		tmux_stop(&t);
		strbuf_release(&env);
	}
}

static void test_bidi_controls_are_flagged(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	start(&t, 160, 40, "");
	open_item(&t, "Access check");
	screen = tmux_screen(&t);
	assert_contains(screen, "bidi");            /* a reason */
	free(screen);
	tmux_keys(&t, "]");
	wait_or_fail(&t, "<U+202E>");
	screen = tmux_screen(&t);
	assert_contains(screen, "<U+2066>");
	assert_not_contains(screen, "\xe2\x80\xae");
	assert_true(row_of(screen, "!") >= 0);      /* the gutter mark */
	free(screen);
	tmux_stop(&t);
}

static void test_help_lists_every_key(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	tl_git(repo, "config revq.key.approve A");
	start(&t, 120, 50, "");
	tmux_keys(&t, "?");
	wait_or_fail(&t, "Approve: a signed record in git notes");
	screen = tmux_screen(&t);
	assert_contains(screen, "Reject, with a one-line reason");
	assert_contains(screen, "Switch between side-by-side and unified diff");
	assert_contains(screen, "A ");
	free(screen);
	tmux_keys(&t, "q");
	wait_or_fail(&t, "to review");
	/* The rebound key works, the old one no longer approves. */
	tmux_keys(&t, "a");
	usleep(500000);
	assert_int_equal(tl_sh(repo, "git rev-parse -q --verify refs/notes/revq >/dev/null"), 1);
	tmux_keys(&t, "A");
	wait_or_fail(&t, "approved: signed record written");
	tmux_keys(&t, "q");
	tmux_stop(&t);
	tl_git(repo, "config --unset revq.key.approve");
	tl_git(repo, "update-ref -d refs/notes/revq");
}

/* A lone Esc (half of a Home key in some terminals) never quits; every bad binding is named. */
static void test_a_lone_escape_does_not_quit_and_every_bad_binding_is_named(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	tl_git(repo, "config revq.key.aprove x");
	tl_git(repo, "config revq.key.reject NotAKey");
	start(&t, 160, 30, "");
	screen = tmux_screen(&t);
	assert_contains(screen, "revq.key.aprove: no such action");
	assert_contains(screen, "revq.key.reject: cannot use 'NotAKey'");
	free(screen);
	tmux_keys(&t, "Escape");
	wait_or_fail(&t, "q quits");
	/* From an item, Esc goes back to the queue; q then quits. */
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "risk");
	tmux_keys(&t, "Escape");
	wait_or_fail(&t, "to review");
	tmux_keys(&t, "q");
	tmux_stop(&t);
	tl_git(repo, "config --unset revq.key.aprove");
	tl_git(repo, "config --unset revq.key.reject");
}

/* Renames, binary files, mode changes and submodules are shown as such, not as text. */
static void test_renames_binaries_modes_and_submodules(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf text = STRBUF_INIT;
	struct tmux t;
	char *screen;

	(void)state;
	for (int i = 0; i < 30; i++)
		strbuf_addf(&text, "line %d of a file that moves\n", i);
	tl_write(dir, "old/name.c", text.buf);
	tl_write(dir, "run.sh", "echo hi\n");
	tl_write_bytes(dir, "logo.png", "\x89PNG\r\n\x1a\n\0\0", 10);
	free(tl_commit(dir, 5, "Base"));
	tl_git(dir, "checkout -q -b ai/odd");
	tl_sh(dir, "mkdir -p new && git mv old/name.c new/name.c && chmod +x run.sh && git add run.sh && "
		   "printf '\\211PNG\\r\\n\\032\\n\\0\\1\\2' > logo.png && git add logo.png && "
		   "mkdir -p vendor/lib && git -C vendor/lib init -q && "
		   "git -C vendor/lib commit -q --allow-empty -m lib && git add vendor/lib 2>/dev/null");
	free(tl_commit(dir, 1, "Odd kinds of change" TL_AI_TRAILER));
	tl_git(dir, "checkout -q -f main");
	tmux_start(&t, dir, 160, 60, "\\\"$REVQ_BIN\\\"");
	wait_or_fail(&t, "to review");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	tmux_keys(&t, "G");
	usleep(300000);
	screen = tmux_screen(&t);
	tmux_keys(&t, "g");
	usleep(300000);
	{
		char *top = tmux_screen(&t);
		struct strbuf both = STRBUF_INIT;

		strbuf_addf(&both, "%s\n%s", top, screen);
		assert_contains(both.buf, "Renamed from old/name.c (100% similar)");
		assert_contains(both.buf, "Binary file: 10 -> 11 bytes");
		assert_contains(both.buf, "Mode changed: 100644 -> 100755 (now executable)");
		assert_contains(both.buf, "Submodule: (none) -> ");
		free(top);
		strbuf_release(&both);
	}
	free(screen);
	tmux_stop(&t);
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_in_priority_order),
		cmocka_unit_test(test_navigation_and_filter),
		cmocka_unit_test(test_split_view_with_line_numbers),
		cmocka_unit_test(test_approve_key_signs_and_advances),
		cmocka_unit_test(test_decision_errors_go_to_the_status_line),
		cmocka_unit_test(test_resize_between_80x24_and_200x50),
		cmocka_unit_test(test_no_color_uses_attributes_only),
		cmocka_unit_test(test_non_utf8_locale_shows_ascii),
		cmocka_unit_test(test_terminal_types),
		cmocka_unit_test(test_bidi_controls_are_flagged),
		cmocka_unit_test(test_help_lists_every_key),
		cmocka_unit_test(test_a_lone_escape_does_not_quit_and_every_bad_binding_is_named),
		cmocka_unit_test(test_renames_binaries_modes_and_submodules),
	};

	tl_init();
	setlocale(LC_ALL, "C.UTF-8");   /* for the column widths of screen rows */
	return cmocka_run_group_tests(tests, setup, teardown);
}
