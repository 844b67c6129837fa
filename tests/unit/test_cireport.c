/*
 * test_cireport.c: the CI report quoting (cireport.h) and message
 * wrapping (format_wrap): each format's special characters are quoted,
 * and for any bytes at all no control byte survives and no line is wider
 * than asked.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "show/cireport.h"
#include "show/format.h"

typedef void (*quote_fn)(struct strbuf *out, const char *s, unsigned flags);

static void github_data(struct strbuf *out, const char *s, unsigned flags)
{
	ci_github_escape(out, s, 0, flags);
}

static void github_property(struct strbuf *out, const char *s, unsigned flags)
{
	ci_github_escape(out, s, 1, flags);
}

static char *quoted(quote_fn quote, const char *s)
{
	struct strbuf out = STRBUF_INIT;

	quote(&out, s, 0);
	return strbuf_detach(&out, NULL);
}

#define assert_quoted(quote, in, expected) do { \
	char *got_ = quoted((quote), (in)); \
	assert_string_equal(got_, (expected)); \
	free(got_); \
} while (0)

static void test_github_values_are_percent_quoted_and_controls_made_visible(void **state)
{
	(void)state;
	assert_quoted(github_data, "50% done: a, b", "50%25 done: a, b");
	assert_quoted(github_property, "50% done: a, b", "50%25 done%3A a%2C b");
	/* CR and LF never reach the runner raw, so one annotation stays one. */
	assert_quoted(github_data, "x\r\n::warning::y", "x^M^J::warning::y");
	assert_quoted(github_data, "\033]0;t\007", "^[]0;t^G");
}

static void test_markdown_and_xml_specials_are_quoted(void **state)
{
	(void)state;
	assert_quoted(ci_markdown_escape, "<img src=x> & [a](b) *c*", "&lt;img src\\=x&gt; &amp; \\[a\\]\\(b\\) \\*c\\*");
	assert_quoted(ci_markdown_escape, "@team `x`", "\\@team \\`x\\`");
	assert_quoted(ci_xml_escape, "a<b & \"c\" 'd' ]]>", "a&lt;b &amp; &quot;c&quot; &apos;d&apos; ]]&gt;");
	/* XML 1.0 forbids most C0 controls, even as references: they become notation. */
	assert_quoted(ci_xml_escape, "x\001\013y", "x^A^Ky");
}

/* For random bytes, every quoting leaves no control byte and none of its specials raw. */
static void test_any_bytes_leave_no_control_or_special_raw(void **state)
{
	static const struct { quote_fn quote; const char *specials; } cases[] = {
		{ github_data, "\r\n" },
		{ github_property, "\r\n:," },
		{ ci_markdown_escape, "<>" },
		{ ci_xml_escape, "<>\"'" },
	};
	char in[64];

	(void)state;
	srand(14);
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i + 1 < sizeof(in); i++)
			in[i] = (char)(1 + rand() % 255);
		in[sizeof(in) - 1] = '\0';
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			char *out = quoted(cases[c].quote, in);

			for (const unsigned char *p = (const unsigned char *)out; *p; p++)
				if (*p < 0x20 || *p == 0x7f || strchr(cases[c].specials, *p))
					fail_msg("case %zu: byte 0x%02x survives in '%s'", c, *p, out);
			free(out);
		}
	}
}

static void test_a_junit_testcase_has_a_failure_only_when_it_fails(void **state)
{
	struct ci_result pass = { "0123456789abcdef", "0123456789", "Fine <ok>", "" };
	struct ci_result fail = { "0123456789abcdef", "0123456789", "Bad", "not enough approvals" };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	ci_junit_testcase(&out, &pass, 0);
	assert_contains(out.buf, "name=\"0123456789 Fine &lt;ok&gt;\"/>");
	assert_not_contains(out.buf, "<failure");
	strbuf_reset(&out);
	ci_junit_testcase(&out, &fail, 0);
	assert_contains(out.buf, "<failure type=\"not-approved\" message=\"not enough approvals\">");
	assert_contains(out.buf, "<system-out>commit 0123456789abcdef</system-out>");
	strbuf_release(&out);
}

/* Every line of out is at most width columns (ASCII here). */
static void assert_lines_fit(const char *out, size_t width)
{
	for (const char *line = out; *line;) {
		size_t len = strcspn(line, "\n");

		if (len > width)
			fail_msg("a %zu-column line: '%.*s'", len, (int)len, line);
		line += len + (line[len] == '\n');
	}
}

static void test_wrapping_breaks_at_words_and_cuts_only_overlong_ones(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	format_wrap(&out, "revq: refusing to update refs/heads/main: lack approval", 20, "  ");
	assert_string_equal(out.buf, "revq: refusing to\n  update\n  refs/heads/main:\n  lack approval\n");
	strbuf_reset(&out);
	format_wrap(&out, "id: aaaaaaaaaaaaaaaaaaaaaaaaa b", 10, "  ");
	assert_lines_fit(out.buf, 10);
	assert_string_equal(out.buf, "id: aaaaaa\n  aaaaaaaa\n  aaaaaaaa\n  aaa b\n");
	strbuf_reset(&out);
	format_wrap(&out, "one\ntwo three", 0, "  ");   /* 0: as it is */
	assert_string_equal(out.buf, "one\ntwo three\n");
	strbuf_release(&out);
}

static void test_random_words_wrap_within_the_width(void **state)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;

	(void)state;
	srand(72);
	for (int round = 0; round < 200; round++) {
		strbuf_reset(&text);
		strbuf_reset(&out);
		for (int w = 0; w < 30; w++) {
			strbuf_addchars(&text, 'a' + w % 26, (size_t)(1 + rand() % 90));
			strbuf_addchars(&text, ' ', (size_t)(1 + rand() % 2));
		}
		format_wrap(&out, text.buf, 72, "    ");
		assert_lines_fit(out.buf, 72);
	}
	strbuf_release(&text);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_values_are_percent_quoted_and_controls_made_visible),
		cmocka_unit_test(test_markdown_and_xml_specials_are_quoted),
		cmocka_unit_test(test_any_bytes_leave_no_control_or_special_raw),
		cmocka_unit_test(test_a_junit_testcase_has_a_failure_only_when_it_fails),
		cmocka_unit_test(test_wrapping_breaks_at_words_and_cuts_only_overlong_ones),
		cmocka_unit_test(test_random_words_wrap_within_the_width),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
