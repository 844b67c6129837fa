/*
 * test_hostile.c: the hostile repository (tests/hostile/make-hostile-repo)
 * through list, show, verify and the console: no crash, no hang, and no
 * raw control byte from the repository ever reaches the terminal.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"
#include "tmux.h"

static const char *repo;

static const char *const branches[] = {
	"hostile/escapes", "hostile/bidi", "hostile/invalid-utf8", "hostile/big-file",
	"hostile/long-line", "hostile/binary", "hostile/many-files", "hostile/symlink-loop",
	"hostile/submodule", "hostile/trailers", NULL,
};

static int setup(void **state)
{
	(void)state;
	repo = tl_tmpdir();
	return tl_sh(repo, "\"$REVQ_SRCDIR/tests/hostile/make-hostile-repo\" repo >/dev/null") ? -1 : 0;
}

static const char *repo_dir(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/repo", repo);
	return path;
}

/* Text meant for a terminal: no C0 control but newline, no DEL, no raw 0x9b, no C1. */
static void assert_terminal_safe(const char *what, const struct strbuf *s)
{
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->buf[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f || c == 0x9b)
			fail_msg("%s: raw byte 0x%02x at %zu: %.60s", what, c, i, s->buf + (i > 20 ? i - 20 : 0));
		if (c == 0xc2 && i + 1 < s->len && (unsigned char)s->buf[i + 1] >= 0x80 &&
		    (unsigned char)s->buf[i + 1] <= 0x9f)
			fail_msg("%s: a C1 control at %zu", what, i);
	}
}

static void test_list_is_safe_and_complete(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	time_t start = time(NULL);

	(void)state;
	assert_int_equal(tl_revq(repo_dir(), &out, &err, "list"), 0);
	assert_true(time(NULL) - start < 120);
	assert_terminal_safe("list", &out);
	assert_terminal_safe("list stderr", &err);
	assert_contains(out.buf, "Innocent subject ^[]52;c;");
	assert_contains(out.buf, "<U+202E>");
	assert_contains(out.buf, "Jos\\xe9");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo_dir(), &out, NULL, "list --json"), 0);
	assert_true(tl_json_valid(out.buf));
	assert_int_equal(tl_json_length(out.buf, "$"), 10);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_show_every_branch(void **state)
{
	(void)state;
	for (size_t i = 0; branches[i]; i++) {
		struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

		assert_int_equal(tl_revq(repo_dir(), &out, &err, "show %s", branches[i]), 0);
		assert_terminal_safe(branches[i], &out);
		assert_terminal_safe(branches[i], &err);
		strbuf_reset(&out);
		assert_int_equal(tl_revq(repo_dir(), &out, NULL, "show --json %s", branches[i]), 0);
		assert_true(tl_json_valid(out.buf));
		strbuf_release(&out);
		strbuf_release(&err);
	}
}

static void test_risk_reasons_name_the_attacks(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_revq(repo_dir(), &out, NULL, "show hostile/bidi");
	assert_contains(out.buf, "bidi");
	strbuf_reset(&out);
	tl_revq(repo_dir(), &out, NULL, "show hostile/escapes");
	assert_contains(out.buf, "control");
	strbuf_reset(&out);
	tl_revq(repo_dir(), &out, NULL, "show hostile/long-line");
	assert_contains(out.buf, "too long to review");
	strbuf_reset(&out);
	tl_revq(repo_dir(), &out, NULL, "show hostile/submodule");
	assert_contains(out.buf, "submodule");
	strbuf_release(&out);
}

static void test_verify_and_odd_notes(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	/* Nothing is approved: verify fails cleanly, naming every commit. */
	assert_int_equal(tl_revq(repo_dir(), &out, &err, "verify --target main main..hostile/trailers "
				 "main..hostile/binary main..hostile/escapes"), 1);
	assert_terminal_safe("verify", &out);
	assert_terminal_safe("verify stderr", &err);
	assert_contains(out.buf, "not enough approvals");
	/* The note that only pretends to hold records is counted as malformed, not trusted. */
	assert_contains(out.buf, "malformed record");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo_dir(), &out, NULL, "verify --json main..hostile/trailers"), 1);
	assert_true(tl_json_valid(out.buf));
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_console_sends_no_escape_sequences(void **state)
{
	struct strbuf raw = STRBUF_INIT, file = STRBUF_INIT;
	struct tmux t;
	char *screen;

	(void)state;
	strbuf_addf(&file, "%s/raw.bin", repo);
	tmux_start(&t, repo_dir(), 160, 45, "sleep 0.3; \\\"$REVQ_BIN\\\"");
	tmux_record(&t, file.buf);
	assert_true(tmux_wait_for(&t, "to review", 60000));
	/* Open every item, page through it, go to its end, come back. */
	for (int i = 0; i < 10; i++) {
		tmux_keys(&t, "g");
		for (int j = 0; j < i; j++)
			tmux_keys(&t, "j");
		tmux_keys(&t, "Enter");
		assert_true(tmux_wait_for(&t, "commit ", 60000));
		tmux_keys(&t, "PageDown PageDown ] n l G");
		tmux_keys(&t, "q");
		assert_true(tmux_wait_for(&t, "to review", 60000));
	}
	screen = tmux_screen(&t);
	assert_contains(screen, "^[]0;pwn");
	free(screen);
	tmux_stop(&t);
	tl_sh_output(repo, &raw, NULL, "cat raw.bin");
	assert_true(raw.len > 1000);
	/* No OSC (clipboard, title), no DCS, no C1 CSI from the repository. */
	assert_true(memmem(raw.buf, raw.len, "\033]", 2) == NULL);
	assert_true(memmem(raw.buf, raw.len, "\033P", 2) == NULL);
	assert_true(memmem(raw.buf, raw.len, "\302\233", 2) == NULL);
	assert_true(memchr(raw.buf, 0x07, raw.len) == NULL);   /* revq never rings the bell */
	for (size_t i = 0; i < raw.len; i++)
		if ((unsigned char)raw.buf[i] == 0x9b)
			fail_msg("a raw 0x9b byte reached the terminal");
	strbuf_release(&raw);
	strbuf_release(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_is_safe_and_complete),
		cmocka_unit_test(test_show_every_branch),
		cmocka_unit_test(test_risk_reasons_name_the_attacks),
		cmocka_unit_test(test_verify_and_odd_notes),
		cmocka_unit_test(test_console_sends_no_escape_sequences),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, NULL);
}
