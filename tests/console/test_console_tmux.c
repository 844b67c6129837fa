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
	/* These tests are about single commits: ai/x's four are not one series here (test_console_series). */
	tl_git(repo, "config revq.reviewUnit commit");
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

/* Starts the console in dir as Jane, with extra environment `env`. */
static void start_in(struct tmux *t, const char *dir, int cols, int rows, const char *env)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "env GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com %s "
		    "\\\"$REVQ_BIN\\\"", env);
	tmux_start(t, dir, cols, rows, cmd.buf);
	if (!tmux_wait_for(t, "to review", WAIT_MS))
		fail_msg("the console did not start:\n%s", tmux_screen(t));
	strbuf_release(&cmd);
}

static void start(struct tmux *t, int cols, int rows, const char *env)
{
	start_in(t, repo, cols, rows, env);
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

/* Asserts that the screen's row `row` holds (or does not hold) `text`. */
static void assert_row_has(const char *screen, int row, const char *text, int wanted)
{
	char *line = screen_row(screen, row);
	int has = strstr(line, text) != NULL;

	if (has != wanted)
		print_error("row %d %s \"%s\": \"%s\"\n", row, wanted ? "lacks" : "holds", text, line);
	free(line);
	assert_int_equal(has, wanted);
}
#define assert_row_contains(screen, row, text) assert_row_has(screen, row, text, 1)
#define assert_row_not_contains(screen, row, text) assert_row_has(screen, row, text, 0)

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
	tmux_type(t, subject);
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
	tmux_type(&t, "hides an admin bypass");
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
	start_in(&t, dir, 160, 60, "");   /* as Jane: the committer's own commit never needs them */
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


/* ---- at 80x24 nothing is hidden; finding things in a big commit ---- */

#define LONG_PREFIX "terraform -chdir=infrastructure/production/eu-west-1/cluster-main/network-stack/" \
	"with/a/very/long/path/to/the/module/dir "
#define LONG_SUFFIX " -auto-approve -lock-timeout=600s -parallelism=20"

static const char *wide;

/*
 * A repository with one AI-assisted commit: a long line changed far to the
 * right, a change inside a C function, "needle" in three files, a tab.
 */
static const char *wide_repo(void)
{
	struct strbuf calc = STRBUF_INIT, calc2 = STRBUF_INIT;

	if (wide)
		return wide;
	wide = tl_repo_new();
	strbuf_addstr(&calc, "int compute(int x)\n{\n");
	for (int i = 0; i < 12; i++)
		strbuf_addf(&calc, "\tint v%d = %d;\n", i, i);
	strbuf_addstr(&calc2, calc.buf);
	strbuf_addstr(&calc, "\treturn x;\n}\n");
	strbuf_addstr(&calc2, "\treturn x + v1;\n}\n");
	tl_write(wide, "deploy.sh", LONG_PREFIX "apply" LONG_SUFFIX "\n");
	tl_write(wide, "calc.c", calc.buf);
	tl_write(wide, "ws.txt", "keep\nx  y\n");
	free(tl_commit(wide, 10, "Base"));
	tl_git(wide, "checkout -q -b ai/w");
	tl_write(wide, "deploy.sh", LONG_PREFIX "destroy" LONG_SUFFIX "\n");
	tl_write(wide, "calc.c", calc2.buf);
	tl_write(wide, "a.txt", "a needle\nnothing\nanother needle\n");
	tl_write(wide, "b.txt", "hay\nNEEDLE in caps\n");
	tl_write(wide, "z.txt", "the last needle\n");
	tl_write(wide, "tabs.txt", "x\ty\n");
	tl_write(wide, "ws.txt", "keep\nx y\n");
	free(tl_commit(wide, 2, "Long lines and needles" TL_AI_TRAILER));
	tl_git(wide, "checkout -q main");
	strbuf_release(&calc);
	strbuf_release(&calc2);
	return wide;
}

/* Opens the only item of the wide repository and jumps to a file through the picker. */
static void open_wide_file(struct tmux *t, int cols, int rows, const char *env, const char *file_keys)
{
	start_in(t, wide_repo(), cols, rows, env);
	tmux_keys(t, "Enter");
	wait_or_fail(t, "commit ");
	tmux_keys(t, "f");
	wait_or_fail(t, "type to filter");
	tmux_keys(t, file_keys);
	tmux_keys(t, "Enter");
	usleep(200000);
}

/* Waits until text is no longer on the screen. */
static void wait_gone(struct tmux *t, const char *text)
{
	for (int i = 0; i < WAIT_MS / 50; i++) {
		char *screen = tmux_screen(t);
		int gone = !strstr(screen, text);

		free(screen);
		if (gone)
			return;
		usleep(50000);
	}
	fail_msg("\"%s\" stayed on the screen", text);
}

static void test_a_cut_changed_line_shows_its_change_and_says_it_is_cut(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct tmux t;
		char *screen, *line;

		open_wide_file(&t, sizes[i][0], sizes[i][1], "", "d e p l");
		wait_or_fail(&t, "destroy");
		screen = tmux_screen(&t);
		assert_fits(screen, sizes[i][0]);
		line = screen_row(screen, row_of(screen, "destroy"));
		/* Both sides of the change are in view, and each cut edge is marked. */
		assert_contains(line, "apply");
		assert_contains(line, "<");
		if (sizes[i][0] == 80)
			assert_contains(line, ">");   /* it goes on past the right edge too */
		free(line);
		free(screen);
		/* Scrolling by hand takes over: back at column 0, the start shows and the cut is marked. */
		tmux_keys(&t, "l h");
		wait_or_fail(&t, "terraform -chdir");
		screen = tmux_screen(&t);
		line = screen_row(screen, row_of(screen, "terraform -chdir"));
		assert_contains(line, ">");
		assert_not_contains(line, "destroy");
		free(line);
		free(screen);
		tmux_stop(&t);
	}
}

static void test_wrap_mode_folds_long_lines(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	open_wide_file(&t, 80, 24, "", "d e p l");
	tmux_keys(&t, "w");
	wait_or_fail(&t, "split wrap");
	screen = tmux_screen(&t);
	/* The whole line, start and end, is on screen, and no row is wider than the terminal. */
	assert_contains(screen, "terraform -chdir");
	assert_contains(screen, "m=20");   /* the line's end, after a fold */
	assert_contains(screen, "destroy");
	assert_fits(screen, 80);
	free(screen);
	tmux_stop(&t);
	/* revq.wrap turns it on from the start, at 200x50 too. */
	tl_git(wide_repo(), "config revq.wrap true");
	open_wide_file(&t, 200, 50, "", "d e p l");
	wait_or_fail(&t, "split wrap");
	wait_or_fail(&t, "m=20");
	tmux_stop(&t);
	tl_git(wide_repo(), "config --unset revq.wrap");
}

static void test_search_counts_matches_across_files(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct tmux t;
		char *screen;

		start_in(&t, wide_repo(), sizes[i][0], sizes[i][1], "");
		tmux_keys(&t, "Enter");
		wait_or_fail(&t, "commit ");
		/* Lower case matches any case (smart case): a.txt twice, b.txt, z.txt. */
		tmux_keys(&t, "/ n e e d l e Enter");
		wait_or_fail(&t, "match 1 of 4");
		screen = tmux_screen(&t);
		assert_row_contains(screen, 1, "a needle");
		free(screen);
		tmux_keys(&t, "n");
		wait_or_fail(&t, "match 2 of 4");
		tmux_keys(&t, "n");
		wait_or_fail(&t, "match 3 of 4");
		wait_or_fail(&t, "NEEDLE in caps");
		tmux_keys(&t, "n");
		wait_or_fail(&t, "match 4 of 4");
		wait_or_fail(&t, "the last needle");
		tmux_keys(&t, "n");
		wait_or_fail(&t, "match 1 of 4");
		wait_or_fail(&t, "wrapped");
		tmux_keys(&t, "N");
		wait_or_fail(&t, "match 4 of 4");
		/* ? searches backward; upper case is exact. */
		tmux_keys(&t, "g ? N E E D L E Enter");
		wait_or_fail(&t, "match 1 of 1");
		tmux_keys(&t, "/ n o p e Enter");
		wait_or_fail(&t, "not found: nope");
		tmux_stop(&t);
	}
}

static void test_hunks_show_their_function_and_stop_only_at_hunks(void **state)
{
	struct tmux t;
	char *screen;
	int row;

	(void)state;
	start_in(&t, wide_repo(), 120, 40, "");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	/* } goes from hunk to hunk, never to a file header. */
	for (int i = 0; i < 2; i++)
		tmux_keys(&t, "}");
	usleep(300000);
	screen = tmux_screen(&t);
	assert_row_contains(screen, 1, "@@ -");
	free(screen);
	tmux_keys(&t, "g");
	wait_or_fail(&t, "commit ");
	tmux_keys(&t, "f c a l c Enter");
	wait_or_fail(&t, "@@ -");
	screen = tmux_screen(&t);
	row = row_of(screen, "@@ -");
	assert_row_contains(screen, row, "@@ int compute(int x)");
	free(screen);
	tmux_stop(&t);
}

static void test_tab_width_setting(void **state)
{
	struct tmux t;

	(void)state;
	open_wide_file(&t, 120, 30, "", "t a b s");
	wait_or_fail(&t, "x       y");   /* 8 by default */
	tmux_stop(&t);
	tl_git(wide_repo(), "config core.whitespace tab-in-indent,tabwidth=2");
	open_wide_file(&t, 120, 30, "", "t a b s");
	wait_or_fail(&t, "1+x y");
	tmux_stop(&t);
	tl_git(wide_repo(), "config revq.tabWidth 4");   /* revq's own setting wins */
	open_wide_file(&t, 120, 30, "", "t a b s");
	wait_or_fail(&t, "1+x   y");
	tmux_stop(&t);
	tl_git(wide_repo(), "config --unset revq.tabWidth");
	tl_git(wide_repo(), "config --unset core.whitespace");
}

static void test_whitespace_changes_can_be_hidden(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	open_wide_file(&t, 80, 24, "", "w s");
	wait_or_fail(&t, "2-x  y");
	tmux_keys(&t, "W");
	wait_or_fail(&t, "whitespace-only changes hidden");
	tmux_keys(&t, "f w s Enter");
	wait_or_fail(&t, "Only whitespace changed");
	screen = tmux_screen(&t);
	assert_not_contains(screen, "2-x  y");
	assert_contains(screen, "-b");
	free(screen);
	tmux_keys(&t, "W");
	wait_or_fail(&t, "whitespace changes shown");
	tmux_stop(&t);
}

/* A long commit message folds after a few lines; m unfolds it. */
static void test_a_long_message_folds_until_m(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf msg = STRBUF_INIT;
	struct tmux t;
	char *screen;

	(void)state;
	free(tl_commit_file(dir, "README", "base\n", 5, "Base"));
	tl_git(dir, "checkout -q -b ai/m");
	strbuf_addstr(&msg, "Long story\n\n");
	for (int i = 1; i <= 40; i++)
		strbuf_addf(&msg, "paragraph line %d\n", i);
	strbuf_addstr(&msg, TL_AI_TRAILER);
	free(tl_commit_file(dir, "x.c", "x\n", 1, msg.buf));
	tl_git(dir, "checkout -q main");
	start_in(&t, dir, 80, 24, "");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "more lines (m: the whole message)");
	screen = tmux_screen(&t);
	assert_not_contains(screen, "paragraph line 9");
	free(screen);
	tmux_keys(&t, "m");
	wait_gone(&t, "more lines");
	wait_or_fail(&t, "paragraph line 9");
	tmux_keys(&t, "m");
	wait_or_fail(&t, "more lines");
	tmux_stop(&t);
	strbuf_release(&msg);
}

/* The queue at 80 columns: headings, whole author names, the top risk reason in the space left. */
static void test_queue_at_80_columns_has_headings_names_and_reasons(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct tmux t;
		char *screen, *line;

		start(&t, sizes[i][0], sizes[i][1], "");
		screen = tmux_screen(&t);
		assert_fits(screen, sizes[i][0]);
		line = screen_row(screen, 1);
		assert_contains(line, "prio");
		assert_contains(line, "author");
		assert_contains(line, "subject");
		free(line);
		line = screen_row(screen, row_of(screen, "Risky CI"));
		assert_contains(line, "Test Author ");   /* not "Test Autho" */
		assert_contains(line, "+30 destructive");
		free(line);
		free(screen);
		/* The cursor still moves over the items only, and G reaches the last. */
		tmux_keys(&t, "G");
		wait_or_fail(&t, "4/4");
		tmux_stop(&t);
	}
}

/* Help at 80x24: G shows the last row, g the first, and PgDn a page; nothing scrolls past the end. */
static void test_help_moves_like_every_view(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	start(&t, 80, 24, "");
	tmux_keys(&t, "?");
	wait_or_fail(&t, "keys (q: back)");
	screen = tmux_screen(&t);
	assert_contains(screen, "a risk reason, go to its line");   /* folded, not cut */
	assert_fits(screen, 80);
	free(screen);
	tmux_keys(&t, "G");
	wait_or_fail(&t, "Rebind with");
	tmux_keys(&t, "j j j");
	usleep(300000);
	screen = tmux_screen(&t);
	assert_contains(screen, "Rebind with");   /* still: G went as far as it goes */
	free(screen);
	tmux_keys(&t, "Home");
	wait_or_fail(&t, "move-down");
	tmux_keys(&t, "PageDown");
	wait_gone(&t, "move-down");
	tmux_keys(&t, "g");
	wait_or_fail(&t, "move-down");
	tmux_stop(&t);
}

/* Issue 11: the lines behind risk reasons carry a ! in the gutter, and ! goes to them. */
static void test_risky_lines_are_marked_and_reached_by_a_key(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 200, 50 } };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct tmux t;
		char *screen, *line;

		start(&t, sizes[i][0], sizes[i][1], "");
		open_item(&t, "Risky CI");
		tmux_keys(&t, "!");
		wait_or_fail(&t, "1!run: rm -rf");
		screen = tmux_screen(&t);
		line = screen_row(screen, 1);   /* the top row is the risky line */
		assert_contains(line, "1!run: rm -rf");
		free(line);
		free(screen);
		/* Enter on the reason shown first (highlighted) goes to its line as well. */
		tmux_keys(&t, "g");
		wait_or_fail(&t, "commit ");
		if (sizes[i][0] == 200)
			wait_or_fail(&t, "(Enter: go)");   /* where it fits */
		tmux_keys(&t, "Enter");
		wait_gone(&t, "commit ");
		screen = tmux_screen(&t);
		line = screen_row(screen, 1);
		assert_contains(line, "1!run: rm -rf");
		free(line);
		free(screen);
		tmux_stop(&t);
	}
}

static void test_file_picker_reaches_one_of_400_files_in_a_few_keys(void **state)
{
	const char *dir = tl_repo_new();
	struct tmux t;
	char *screen;

	(void)state;
	free(tl_commit_file(dir, "README", "base\n", 5, "Base"));
	tl_git(dir, "checkout -q -b ai/many");
	tl_sh(dir, "mkdir -p src && for i in $(seq 1 400); do echo \"file $i\" > src/file$i.c; done && "
		   "echo 'the one' > src/revision.c && git add src");
	free(tl_commit(dir, 1, "Four hundred files" TL_AI_TRAILER));
	tl_git(dir, "checkout -q main");
	start_in(&t, dir, 80, 24, "");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	/* Five keys: f, three letters, Enter. */
	tmux_keys(&t, "f r e v");
	wait_or_fail(&t, "1/1 of 401");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "the one");
	screen = tmux_screen(&t);
	assert_row_contains(screen, 1, "src/revision.c");
	free(screen);
	tmux_stop(&t);
}

static void test_long_header_lines_fold_and_the_message_log_keeps_everything(void **state)
{
	const char *dir = tl_repo_new();
	struct tmux t;
	char *screen;

	(void)state;
	free(tl_commit_file(dir, "README", "base\n", 5, "Base"));
	tl_git(dir, "checkout -q -b ai/r");
	free(tl_commit_file(dir, "app.c", "int main(void) { return 0; }\n", 1, "App" TL_AI_TRAILER));
	tl_git(dir, "checkout -q main");
	assert_int_equal(tl_revq(dir, NULL, NULL, "reject --no-sign -m 'this reason is long enough to be cut at "
			 "eighty columns, and what matters is at its very end: ENDOFREASON' ai/r"), 0);
	tl_git(dir, "config revq.key.one x1");
	tl_git(dir, "config revq.key.two x2");
	tl_git(dir, "config revq.key.three x3");
	start_in(&t, dir, 80, 24, "");
	/* The status line says it is cut, and where the rest is. */
	wait_or_fail(&t, "[L: full text]");
	tmux_keys(&t, "L");
	wait_or_fail(&t, "messages of this session");
	screen = tmux_screen(&t);
	assert_contains(screen, "revq.key.one");
	assert_contains(screen, "revq.key.three: no such action");
	assert_fits(screen, 80);
	free(screen);
	tmux_keys(&t, "q");
	wait_or_fail(&t, "to review");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	screen = tmux_screen(&t);
	assert_contains(screen, "ENDOFREASON");   /* the rejection's reason, folded, in full */
	assert_fits(screen, 80);
	free(screen);
	tmux_stop(&t);
}

/* A repository whose policy wants a senior for everything; Jane is one. */
static const char *senior_repo(void)
{
	const char *dir = tl_repo_new();

	tl_write(dir, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
				      "[reviewer \"jane@example.com\"]\n\tlevel = senior\n"
				      "[tier \"all\"]\n\tminRisk = 0\n\tlevel = senior\n");
	tl_sh(dir, "cp %s/allowed .revq/allowed_signers", keys);
	free(tl_commit(dir, 5, "Policy"));
	tl_git(dir, "checkout -q -b ai/s");
	free(tl_commit_file(dir, "app.c", "int main(void) { return 1; }\n", 1, "App change" TL_AI_TRAILER));
	tl_git(dir, "checkout -q main");
	tl_git(dir, "config gpg.format ssh");
	tl_git(dir, "config user.signingkey %s/jane", keys);
	tl_git(dir, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	return dir;
}

static void test_one_key_does_not_lose_work(void **state)
{
	const char *dir = senior_repo();
	struct strbuf out = STRBUF_INIT;
	struct tmux t;
	char *screen;

	(void)state;
	start_in(&t, dir, 80, 24, "");
	/* Unopened, needing a senior: a question first; n writes nothing. */
	tmux_keys(&t, "a");
	wait_or_fail(&t, "without opening it?");
	tmux_keys(&t, "n");
	wait_or_fail(&t, "nothing written");
	assert_int_equal(tl_sh(dir, "git rev-parse -q --verify refs/notes/revq >/dev/null"), 1);
	tmux_keys(&t, "a");
	wait_or_fail(&t, "without opening it?");
	tmux_keys(&t, "y");
	wait_or_fail(&t, "approved: signed record written");
	/* Decided by me, it left "needs me"; the whole queue still has it. */
	wait_or_fail(&t, "Nothing needs you now");
	tmux_keys(&t, "v");
	wait_or_fail(&t, "[all] 0 need me");
	/* Overturning one's own approval asks too. */
	tmux_keys(&t, "r");
	wait_or_fail(&t, "You approved");
	tmux_keys(&t, "n");
	wait_or_fail(&t, "nothing written");
	/* The reason prompt edits: C-w erases a word, Home and End move, Left inserts before. */
	tmux_keys(&t, "r");
	wait_or_fail(&t, "You approved");
	tmux_keys(&t, "y");
	wait_or_fail(&t, "Reject reason:");
	tmux_type(&t, "hello wrold");
	tmux_keys(&t, "C-w");
	tmux_type(&t, "world");
	tmux_keys(&t, "Home");
	tmux_type(&t, "X");
	tmux_keys(&t, "End Left");
	tmux_type(&t, "!");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "rejected: signed record written");
	tl_sh_output(dir, &out, NULL, "git notes --ref=revq show ai/s");
	assert_contains(out.buf, "comment=\"Xhello worl!d\"");
	/* Esc at the reason prompt cancels without an error. */
	tmux_keys(&t, "r");
	wait_or_fail(&t, "Reject reason:");
	tmux_keys(&t, "Escape");
	usleep(300000);
	screen = tmux_screen(&t);
	assert_not_contains(screen, "needs a reason");
	assert_not_contains(screen, "Reject reason:");
	free(screen);
	tmux_stop(&t);
	strbuf_release(&out);
}

static void test_filter_is_live_and_next_item_follows_it(void **state)
{
	struct tmux t;
	char *screen;

	(void)state;
	start(&t, 80, 24, "");
	/* "k" is in Risky CI (workflows) and Access check only; shown before Enter. */
	tmux_keys(&t, "/ k");
	wait_gone(&t, "Edit a");
	screen = tmux_screen(&t);
	assert_contains(screen, "Access check");
	assert_contains(screen, "Filter");   /* still typing */
	free(screen);
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "1/2");
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "Risky CI");
	tmux_keys(&t, ".");
	wait_or_fail(&t, "Access check");
	tmux_keys(&t, ".");
	wait_or_fail(&t, "the last item");
	/* The item view's footer offers its own keys, not the queue's. */
	screen = tmux_screen(&t);
	assert_row_not_contains(screen, 23, "filter");
	free(screen);
	tmux_keys(&t, "q");
	wait_or_fail(&t, "2/2");   /* the queue's cursor followed */
	/* After a decision the next undecided item comes, wrapping round to earlier ones. */
	tmux_keys(&t, "Enter");
	wait_or_fail(&t, "commit ");
	tmux_keys(&t, "a");
	wait_or_fail(&t, "approved: signed record written");
	screen = tmux_screen(&t);
	assert_row_contains(screen, 0, "Risky CI");
	free(screen);
	tmux_keys(&t, "q");
	tmux_keys(&t, "F1");
	wait_or_fail(&t, "keys (q: back)");
	screen = tmux_screen(&t);
	assert_row_not_contains(screen, 23, "a:approve");
	free(screen);
	tmux_stop(&t);
	tl_git(repo, "update-ref -d refs/notes/revq");
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
		cmocka_unit_test(test_a_cut_changed_line_shows_its_change_and_says_it_is_cut),
		cmocka_unit_test(test_wrap_mode_folds_long_lines),
		cmocka_unit_test(test_search_counts_matches_across_files),
		cmocka_unit_test(test_hunks_show_their_function_and_stop_only_at_hunks),
		cmocka_unit_test(test_tab_width_setting),
		cmocka_unit_test(test_whitespace_changes_can_be_hidden),
		cmocka_unit_test(test_risky_lines_are_marked_and_reached_by_a_key),
		cmocka_unit_test(test_help_moves_like_every_view),
		cmocka_unit_test(test_queue_at_80_columns_has_headings_names_and_reasons),
		cmocka_unit_test(test_a_long_message_folds_until_m),
		cmocka_unit_test(test_file_picker_reaches_one_of_400_files_in_a_few_keys),
		cmocka_unit_test(test_long_header_lines_fold_and_the_message_log_keeps_everything),
		cmocka_unit_test(test_one_key_does_not_lose_work),
		cmocka_unit_test(test_filter_is_live_and_next_item_follows_it),
	};

	tl_init();
	setlocale(LC_ALL, "C.UTF-8");   /* for the column widths of screen rows */
	return cmocka_run_group_tests(tests, setup, teardown);
}
