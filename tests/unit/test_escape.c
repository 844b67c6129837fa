/*
 * test_escape.c: untrusted text made safe for a terminal (escape.h).
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "show/escape.h"

/* The escaped form of len bytes of s; caller frees. */
static char *esc_len(const char *s, size_t len, unsigned flags)
{
	struct strbuf out = STRBUF_INIT;

	escape_append(&out, s, len, flags, 0, SIZE_MAX);
	return strbuf_detach(&out, NULL);
}

#define assert_escapes(input, flags, expected) do { \
	char *got_ = esc_len((input), sizeof(input) - 1, (flags)); \
	if (strcmp(got_, (expected))) \
		fail_msg("escaping \"%s\" gave \"%s\", expected \"%s\"", #input, got_, (expected)); \
	free(got_); \
} while (0)

static void test_plain_ascii_and_utf8_unchanged(void **state)
{
	(void)state;
	assert_escapes("hello, world! ~{}[]", 0, "hello, world! ~{}[]");
	assert_escapes("caf\xc3\xa9", 0, "caf\xc3\xa9");
	assert_escapes("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	assert_escapes("\xf0\x9f\x98\x80 ok", 0, "\xf0\x9f\x98\x80 ok");
	/* e + COMBINING ACUTE stays one glyph */
	assert_escapes("e\xcc\x81x", 0, "e\xcc\x81x");
	assert_escapes("", 0, "");
	assert_int_equal(escape_width("\xe6\x97\xa5\xe6\x9c\xac", 6, 0), 4);
	assert_int_equal(escape_width("e\xcc\x81", 3, 0), 1);
	assert_int_equal(escape_width("abc", 3, 0), 3);
}

static void test_c0_controls_and_del_use_caret_notation(void **state)
{
	(void)state;
	assert_escapes("a\x01" "b", 0, "a^Ab");
	assert_escapes("\x00", 0, "^@");
	assert_escapes("\r\x07\x08\x1f", 0, "^M^G^H^_");
	assert_escapes("x\x7fy", 0, "x^?y");
	assert_escapes("one\ntwo", 0, "one^Jtwo");
	assert_escapes("one\ntwo", ESCAPE_KEEP_NEWLINE, "one\ntwo");
	assert_escapes("\x1b", 0, "^[");
}

static void test_escape_sequences_are_defused(void **state)
{
	(void)state;
	/* CSI colour, OSC 52 clipboard write, OSC 0 title, DCS */
	assert_escapes("\x1b[31mred\x1b[0m", 0, "^[[31mred^[[0m");
	assert_escapes("\x1b]52;c;SGVsbG8=\x07", 0, "^[]52;c;SGVsbG8=^G");
	assert_escapes("\x1b]0;pwned\x1b\\", 0, "^[]0;pwned^[\\");
	assert_escapes("\x1bP+q\x1b\\", 0, "^[P+q^[\\");
	/* clear screen, cursor home */
	assert_escapes("\x1b[2J\x1b[H", 0, "^[[2J^[[H");
}

static void test_c1_controls_use_code_point_notation(void **state)
{
	struct glyph g;

	(void)state;
	assert_escapes("\xc2\x9b" "2J", 0, "<U+009B>2J");
	assert_escapes("\xc2\x80", 0, "<U+0080>");
	assert_escapes("\xc2\x9f", 0, "<U+009F>");
	assert_escapes("\xc2\x9d" "0;t\xc2\x9c", 0, "<U+009D>0;t<U+009C>");
	assert_int_equal(escape_next_glyph(&g, "\xc2\x9b", 2, 0), 2);
	assert_int_equal(g.kind, GLYPH_CONTROL);
	assert_int_equal(g.cp, 0x9b);
	assert_string_equal(g.text, "<U+009B>");
	assert_int_equal(g.width, 8);
	assert_false(escape_glyph_is_suspicious(GLYPH_CONTROL));
	/* U+00A0 is not C1: a non-ASCII space */
	assert_escapes("a\xc2\xa0" "b", 0, "a<U+00A0>b");
}

static void test_bidi_controls_are_visible(void **state)
{
	static const int32_t bidi[] = { 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
					0x2066, 0x2067, 0x2068, 0x2069 };
	struct glyph g;

	(void)state;
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char in[8], expected[16];
		char *got;

		snprintf(in, sizeof(in), "a%c%c%cb", (char)(0xe0 | (bidi[i] >> 12)),
			 (char)(0x80 | ((bidi[i] >> 6) & 0x3f)), (char)(0x80 | (bidi[i] & 0x3f)));
		snprintf(expected, sizeof(expected), "a<U+%04X>b", (unsigned)bidi[i]);
		got = esc_len(in, strlen(in), 0);
		assert_string_equal(got, expected);
		free(got);
		assert_int_equal(escape_next_glyph(&g, in + 1, strlen(in + 1), 0), 3);
		assert_int_equal(g.kind, GLYPH_BIDI);
		assert_int_equal(g.cp, bidi[i]);
		assert_true(escape_glyph_is_suspicious(g.kind));
	}
	/* The Trojan Source "early return" line */
	assert_escapes("/*\xe2\x80\xae } \xe2\x81\xa6if (isAdmin)\xe2\x81\xa9 \xe2\x81\xa6 begin admins only */", 0,
		       "/*<U+202E> } <U+2066>if (isAdmin)<U+2069> <U+2066> begin admins only */");
}

static void test_zero_width_characters_are_visible(void **state)
{
	static const struct { const char *in; const char *out; } cases[] = {
		{ "a\xe2\x80\x8b" "b", "a<U+200B>b" },
		{ "a\xe2\x80\x8c" "b", "a<U+200C>b" },
		{ "a\xe2\x80\x8d" "b", "a<U+200D>b" },
		{ "a\xe2\x81\xa0" "b", "a<U+2060>b" },
		{ "\xef\xbb\xbf" "b", "<U+FEFF>b" },
		{ "a\xc2\xad" "b", "a<U+00AD>b" },
	};
	struct glyph g;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = esc_len(cases[i].in, strlen(cases[i].in), 0);

		assert_string_equal(got, cases[i].out);
		free(got);
	}
	/* zero-width characters never ride along as "combining marks" of a letter */
	assert_int_equal(escape_next_glyph(&g, "a\xe2\x80\x8b", 4, 0), 1);
	assert_int_equal(escape_next_glyph(&g, "\xe2\x80\x8b", 3, 0), 3);
	assert_int_equal(g.kind, GLYPH_INVISIBLE);
	assert_true(escape_glyph_is_suspicious(GLYPH_INVISIBLE));
	assert_true(escape_glyph_is_suspicious(GLYPH_SPACE));
	assert_false(escape_glyph_is_suspicious(GLYPH_TEXT));
}

static void test_invalid_utf8_uses_hex_notation(void **state)
{
	struct glyph g;

	(void)state;
	assert_escapes("\xff", 0, "\\xff");
	assert_escapes("a\xfe\xff" "b", 0, "a\\xfe\\xffb");
	assert_escapes("\xc0\xaf", 0, "\\xc0\\xaf");            /* overlong '/' */
	assert_escapes("\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf");   /* overlong '/' */
	assert_escapes("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");   /* surrogate */
	assert_escapes("\xe2\x82", 0, "\\xe2\\x82");           /* truncated */
	assert_escapes("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	assert_escapes("\x80" "abc", 0, "\\x80abc");            /* lone continuation */
	assert_int_equal(escape_next_glyph(&g, "\xc3", 1, 0), 1);
	assert_int_equal(g.kind, GLYPH_INVALID);
	assert_int_equal(g.cp, 0xc3);
	assert_string_equal(g.text, "\\xc3");
	assert_int_equal(g.width, 4);
}

static void test_combining_marks(void **state)
{
	(void)state;
	/* four marks stay on the base; a fifth (Zalgo) is shown as notation */
	assert_escapes("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84", 0, "e\xcc\x81\xcc\x82\xcc\x83\xcc\x84");
	assert_escapes("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85", 0,
		       "e\xcc\x81\xcc\x82\xcc\x83\xcc\x84<U+0305>");
	/* a mark with no base */
	assert_escapes("\xcc\x81" "a", 0, "<U+0301>a");
	/* in ASCII mode marks are not attached */
	assert_escapes("e\xcc\x81", ESCAPE_ASCII, "e<U+0301>");
}

static void test_ascii_mode_shows_all_non_ascii(void **state)
{
	(void)state;
	assert_escapes("caf\xc3\xa9", ESCAPE_ASCII, "caf<U+00E9>");
	assert_escapes("\xe6\x97\xa5", ESCAPE_ASCII, "<U+65E5>");
	assert_escapes("\xf0\x9f\x98\x80", ESCAPE_ASCII, "<U+1F600>");
	assert_escapes("plain", ESCAPE_ASCII, "plain");
	assert_escapes("\x1b\xff", ESCAPE_ASCII, "^[\\xff");
}

static void test_tabs_expand_to_tab_stops(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_escapes("a\tb", 0, "a       b");
	assert_escapes("\t", 0, "        ");
	assert_escapes("12345678\tx", 0, "12345678        x");
	assert_int_equal(escape_append(&out, "\tx", 2, 0, 3, SIZE_MAX), 6);
	assert_string_equal(out.buf, "     x");
	assert_int_equal(escape_width("a\tb", 3, 0), 9);
	strbuf_release(&out);
}

static void test_max_width_never_splits_a_glyph(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(escape_append(&out, "hello world", 11, 0, 0, 5), 5);
	assert_string_equal(out.buf, "hello");
	strbuf_reset(&out);
	/* a wide character that does not fit is left out whole */
	assert_int_equal(escape_append(&out, "\xe6\x97\xa5\xe6\x9c\xac", 6, 0, 0, 3), 2);
	assert_string_equal(out.buf, "\xe6\x97\xa5");
	strbuf_reset(&out);
	/* so is notation */
	assert_int_equal(escape_append(&out, "a\x01" "b", 3, 0, 0, 2), 1);
	assert_string_equal(out.buf, "a");
	strbuf_reset(&out);
	assert_int_equal(escape_append(&out, "a\xe2\x80\xae", 4, 0, 0, 8), 1);
	assert_string_equal(out.buf, "a");
	strbuf_reset(&out);
	/* a tab that does not fit */
	assert_int_equal(escape_append(&out, "ab\tc", 4, 0, 0, 5), 2);
	assert_string_equal(out.buf, "ab");
	strbuf_reset(&out);
	assert_int_equal(escape_addstr(&out, "x\x1b" "y", 0), 4);
	assert_string_equal(out.buf, "x^[y");
	strbuf_release(&out);
}

/* ---- property test ---- */

static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

/* An independent strict decoder: returns bytes used, or 0 when invalid. */
static size_t decode_strict(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t need;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		need = 1, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		need = 2, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		need = 3, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len < need + 1)
		return 0;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return need + 1;
}

static int is_flagged_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

static void append_random_piece(unsigned char *buf, size_t *n, uint32_t *seed)
{
	static const uint32_t interesting[] = {
		0x80, 0x85, 0x9b, 0x9f, 0xa0, 0xad, 0x301, 0x200b, 0x200d, 0x200e, 0x2028,
		0x202a, 0x202e, 0x2060, 0x2066, 0x2069, 0xfeff, 0x65e5, 0x1f600, 0xe0001,
		0xd7ff, 0xe000, 0xfffd, 0x10ffff,
	};
	uint32_t r = lcg(seed) % 8, cp;

	if (r < 3) {                    /* any byte */
		buf[(*n)++] = (unsigned char)lcg(seed);
		return;
	}
	if (r < 4) {                    /* a control or escape */
		static const unsigned char ctl[] = { 0x1b, 0x07, 0x00, 0x0a, 0x0d, 0x09, 0x7f, 0x08, '[', ']' };
		buf[(*n)++] = ctl[lcg(seed) % sizeof(ctl)];
		return;
	}
	if (r < 5)
		cp = 0x20 + lcg(seed) % 0x5f;
	else if (r < 7)
		cp = interesting[lcg(seed) % (sizeof(interesting) / sizeof(interesting[0]))];
	else
		cp = lcg(seed) % 0x110000;
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xe9;
	if (cp < 0x80) {
		buf[(*n)++] = (unsigned char)cp;
	} else if (cp < 0x800) {
		buf[(*n)++] = (unsigned char)(0xc0 | (cp >> 6));
		buf[(*n)++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		buf[(*n)++] = (unsigned char)(0xe0 | (cp >> 12));
		buf[(*n)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		buf[(*n)++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		buf[(*n)++] = (unsigned char)(0xf0 | (cp >> 18));
		buf[(*n)++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		buf[(*n)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		buf[(*n)++] = (unsigned char)(0x80 | (cp & 0x3f));
	}
}

static void hexdump(char *out, size_t size, const unsigned char *s, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len && used + 4 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%02x ", s[i]);
}

static void check_output(const unsigned char *in, size_t in_len, const struct strbuf *out,
			 unsigned flags)
{
	const unsigned char *s = (const unsigned char *)out->buf;
	char dump[512];

	for (size_t i = 0; i < out->len;) {
		uint32_t cp = 0;
		size_t n = decode_strict(s + i, out->len - i, &cp);
		const char *why = NULL;

		if (!n)
			why = "invalid UTF-8";
		else if (cp == '\n' && (flags & ESCAPE_KEEP_NEWLINE))
			why = NULL;
		else if (is_flagged_cp(cp))
			why = "control, bidi or invisible character";
		else if ((flags & ESCAPE_ASCII) && cp >= 0x80)
			why = "non-ASCII in ASCII mode";
		if (why) {
			hexdump(dump, sizeof(dump), in, in_len);
			fail_msg("flags %u: output byte %zu (U+%04X): %s; input: %s", flags, i,
				 (unsigned)cp, why, dump);
		}
		i += n;
	}
}

static void test_property_output_is_always_safe(void **state)
{
	uint32_t seed = 20260101;
	unsigned char buf[256];
	struct strbuf out = STRBUF_INIT;

	(void)state;
	for (int iter = 0; iter < 100000; iter++) {
		size_t n = 0, pieces = lcg(&seed) % 40;
		unsigned flags = iter % 4 == 3 ? ESCAPE_ASCII : iter % 4 == 2 ? ESCAPE_KEEP_NEWLINE : 0;

		for (size_t p = 0; p < pieces; p++)
			append_random_piece(buf, &n, &seed);
		strbuf_reset(&out);
		escape_append(&out, (const char *)buf, n, flags, 0, SIZE_MAX);
		assert_int_equal(out.len, strlen(out.buf));  /* no NUL bytes */
		check_output(buf, n, &out, flags);
		/* the width the caller is told matches what was drawn on a bounded line */
		if (!(flags & ESCAPE_KEEP_NEWLINE)) {
			struct strbuf bounded = STRBUF_INIT;
			size_t w = escape_append(&bounded, (const char *)buf, n, flags, 0, 20);
			size_t full = escape_width((const char *)buf, n, flags);

			assert_true(w <= 20);
			if (full <= 20) {
				assert_int_equal(w, full);
				assert_string_equal(bounded.buf, out.buf);
			}
			check_output(buf, n, &bounded, flags);
			strbuf_release(&bounded);
		}
	}
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii_and_utf8_unchanged),
		cmocka_unit_test(test_c0_controls_and_del_use_caret_notation),
		cmocka_unit_test(test_escape_sequences_are_defused),
		cmocka_unit_test(test_c1_controls_use_code_point_notation),
		cmocka_unit_test(test_bidi_controls_are_visible),
		cmocka_unit_test(test_zero_width_characters_are_visible),
		cmocka_unit_test(test_invalid_utf8_uses_hex_notation),
		cmocka_unit_test(test_combining_marks),
		cmocka_unit_test(test_ascii_mode_shows_all_non_ascii),
		cmocka_unit_test(test_tabs_expand_to_tab_stops),
		cmocka_unit_test(test_max_width_never_splits_a_glyph),
		cmocka_unit_test(test_property_output_is_always_safe),
	};

	tl_init();
	setlocale(LC_CTYPE, "");  /* C.UTF-8, as revq itself does */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
