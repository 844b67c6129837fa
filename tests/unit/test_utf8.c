/*
 * test_utf8.c: the strict UTF-8 decoder (utf8.h) and the Unicode classes
 * a reviewer must see (unicode.h).
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <wchar.h>

#include "testlib.h"
#include "show/escape.h"
#include "base/unicode.h"
#include "base/utf8.h"

/* Decodes the bytes of a string literal; checks the length used and the code point. */
#define assert_decodes(bytes, used, expected_cp) do { \
	int32_t cp_ = 12345; \
	size_t n_ = utf8_decode(&cp_, (bytes), sizeof(bytes) - 1); \
	if (n_ != (size_t)(used) || cp_ != (int32_t)(expected_cp)) \
		fail_msg("decoding %s: used %zu cp %d, expected used %d cp %d", #bytes, n_, \
			 (int)cp_, (int)(used), (int)(expected_cp)); \
} while (0)

static void test_decode_valid_sequences(void **state)
{
	(void)state;
	assert_decodes("A", 1, 'A');
	assert_decodes("\x00", 1, 0);
	assert_decodes("\x7f", 1, 0x7f);
	assert_decodes("\xc2\x80", 2, 0x80);
	assert_decodes("\xc3\xa9", 2, 0xe9);
	assert_decodes("\xdf\xbf", 2, 0x7ff);
	assert_decodes("\xe0\xa0\x80", 3, 0x800);
	assert_decodes("\xe6\x97\xa5", 3, 0x65e5);
	assert_decodes("\xed\x9f\xbf", 3, 0xd7ff);
	assert_decodes("\xee\x80\x80", 3, 0xe000);
	assert_decodes("\xef\xbf\xbf", 3, 0xffff);
	assert_decodes("\xf0\x90\x80\x80", 4, 0x10000);
	assert_decodes("\xf0\x9f\x98\x80", 4, 0x1f600);
	assert_decodes("\xf4\x8f\xbf\xbf", 4, 0x10ffff);
	/* only the first character is decoded */
	assert_decodes("\xc3\xa9xyz", 2, 0xe9);
}

static void test_decode_rejects_invalid_bytes(void **state)
{
	(void)state;
	assert_decodes("\x80", 1, UTF8_INVALID);
	assert_decodes("\xbf", 1, UTF8_INVALID);
	assert_decodes("\xc0\x80", 1, UTF8_INVALID);   /* overlong NUL; 0xc0 never valid */
	assert_decodes("\xc1\xbf", 1, UTF8_INVALID);
	assert_decodes("\xf5\x80\x80\x80", 1, UTF8_INVALID);
	assert_decodes("\xf8\x88\x80\x80\x80", 1, UTF8_INVALID);
	assert_decodes("\xfe", 1, UTF8_INVALID);
	assert_decodes("\xff", 1, UTF8_INVALID);
	/* a lead byte followed by a non-continuation */
	assert_decodes("\xc3" "A", 1, UTF8_INVALID);
	assert_decodes("\xe6\x97" "A", 1, UTF8_INVALID);
	assert_decodes("\xf0\x9f\x98" "A", 1, UTF8_INVALID);
}

static void test_decode_rejects_overlongs_surrogates_and_truncation(void **state)
{
	(void)state;
	assert_decodes("\xe0\x80\xaf", 1, UTF8_INVALID);       /* overlong '/' */
	assert_decodes("\xe0\x9f\xbf", 1, UTF8_INVALID);       /* overlong U+07FF */
	assert_decodes("\xf0\x80\x80\xaf", 1, UTF8_INVALID);   /* overlong '/' */
	assert_decodes("\xf0\x8f\xbf\xbf", 1, UTF8_INVALID);   /* overlong U+FFFF */
	assert_decodes("\xed\xa0\x80", 1, UTF8_INVALID);       /* U+D800 */
	assert_decodes("\xed\xbf\xbf", 1, UTF8_INVALID);       /* U+DFFF */
	assert_decodes("\xed\xa0\xbd\xed\xb8\x80", 1, UTF8_INVALID); /* CESU-8 pair */
	assert_decodes("\xf4\x90\x80\x80", 1, UTF8_INVALID);   /* U+110000 */
	assert_decodes("\xc3", 1, UTF8_INVALID);
	assert_decodes("\xe6\x97", 1, UTF8_INVALID);
	assert_decodes("\xf0\x9f\x98", 1, UTF8_INVALID);
}

static void test_decode_respects_len(void **state)
{
	int32_t cp;

	(void)state;
	/* the bytes exist, but len says the sequence is cut */
	assert_int_equal(utf8_decode(&cp, "\xe6\x97\xa5", 2), 1);
	assert_int_equal(cp, UTF8_INVALID);
	assert_int_equal(utf8_decode(&cp, "\xf0\x9f\x98\x80", 3), 1);
	assert_int_equal(cp, UTF8_INVALID);
	assert_int_equal(utf8_decode(&cp, "\xe6\x97\xa5", 3), 3);
	assert_int_equal(cp, 0x65e5);
}

static void test_is_valid(void **state)
{
	(void)state;
	assert_true(utf8_is_valid("", 0));
	assert_true(utf8_is_valid("plain ascii", 11));
	assert_true(utf8_is_valid("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", 14));
	assert_true(utf8_is_valid("a\0b", 3));
	assert_false(utf8_is_valid("caf\xe9", 4));           /* Latin-1 */
	assert_false(utf8_is_valid("\xed\xa0\x80", 3));
	assert_false(utf8_is_valid("\xc0\xaf", 2));
	assert_false(utf8_is_valid("ok\xe6\x97", 4));        /* truncated at the end */
	assert_false(utf8_is_valid("\xe6\x97\xa5", 2));      /* len cuts it */
}

static void test_encode_round_trip(void **state)
{
	static const int32_t cps[] = { 0, 'A', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x65e5, 0xd7ff,
				       0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	utf8_encode(&sb, 0xe9);
	assert_int_equal(sb.len, 2);
	assert_memory_equal(sb.buf, "\xc3\xa9", 2);
	strbuf_reset(&sb);
	utf8_encode(&sb, 0x1f600);
	assert_memory_equal(sb.buf, "\xf0\x9f\x98\x80", 4);
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		int32_t cp;

		strbuf_reset(&sb);
		utf8_encode(&sb, cps[i]);
		assert_int_equal(utf8_decode(&cp, sb.buf, sb.len), sb.len);
		assert_int_equal(cp, cps[i]);
		assert_int_equal(sb.len, cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4);
	}
	strbuf_release(&sb);
}

static void test_sanitize_replaces_each_invalid_byte(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	utf8_sanitize(&sb, "caf\xe9!", 5);
	assert_string_equal(sb.buf, "caf\xef\xbf\xbd!");
	strbuf_reset(&sb);
	utf8_sanitize(&sb, "\xc0\xaf", 2);
	assert_string_equal(sb.buf, "\xef\xbf\xbd\xef\xbf\xbd");
	strbuf_reset(&sb);
	utf8_sanitize(&sb, "\xe6\x97\xa5\xed\xa0\x80", 6);
	assert_string_equal(sb.buf, "\xe6\x97\xa5\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	strbuf_reset(&sb);
	/* appends, and keeps what was there */
	strbuf_addstr(&sb, ">");
	utf8_sanitize(&sb, "ok \xe2\x80\xae", 6);
	assert_string_equal(sb.buf, ">ok \xe2\x80\xae");
	assert_true(utf8_is_valid(sb.buf, sb.len));
	strbuf_release(&sb);
}

static void test_widths(void **state)
{
	(void)state;
	/* revq measures with wcwidth() in a UTF-8 locale, through escape.h */
	assert_int_equal(wcwidth(0x65e5), 2);
	assert_int_equal(escape_width("\xe6\x97\xa5", 3, 0), 2);           /* CJK */
	assert_int_equal(escape_width("\xea\xb0\x80", 3, 0), 2);           /* Hangul syllable */
	assert_int_equal(escape_width("\xef\xbc\xa1", 3, 0), 2);           /* fullwidth A */
	assert_int_equal(escape_width("\xc3\xa9", 2, 0), 1);
	assert_int_equal(escape_width("e\xcc\x81", 3, 0), 1);              /* combining = 0 */
	assert_int_equal(escape_width("\xe6\x97\xa5\xcc\x81", 5, 0), 2);
	assert_int_equal(wcwidth(0x301), 0);
	/* what is shown in notation is as wide as the notation */
	assert_int_equal(escape_width("\xe2\x80\xae", 3, 0), 8);           /* <U+202E> */
	assert_int_equal(escape_width("\x1b", 1, 0), 2);                   /* ^[ */
	assert_int_equal(escape_width("\xff", 1, 0), 4);                   /* \xff */
}

static void test_classify_bidi(void **state)
{
	static const int32_t bidi[] = { 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d,
					0x202e, 0x2066, 0x2067, 0x2068, 0x2069 };

	(void)state;
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
		if (unicode_classify(bidi[i]) != UNICODE_BIDI)
			fail_msg("U+%04X is not classified as bidi", (unsigned)bidi[i]);
	assert_int_equal(unicode_classify(0x2029), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0x2065), UNICODE_ORDINARY);
	assert_int_equal(unicode_classify(0x202f), UNICODE_SPACE);
	assert_string_equal(unicode_name(0x202e), "RLO");
	assert_string_equal(unicode_name(0x202a), "LRE");
	assert_string_equal(unicode_name(0x2066), "LRI");
	assert_string_equal(unicode_name(0x2069), "PDI");
	assert_string_equal(unicode_name(0x200f), "RLM");
}

static void test_classify_invisible_space_control(void **state)
{
	(void)state;
	assert_int_equal(unicode_classify(0x200b), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0x200c), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0x200d), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0x2060), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0xfeff), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0x00ad), UNICODE_INVISIBLE);
	assert_int_equal(unicode_classify(0xe0041), UNICODE_INVISIBLE);   /* TAG LATIN CAPITAL A */
	assert_int_equal(unicode_classify(0x3164), UNICODE_INVISIBLE);    /* Hangul filler */
	assert_int_equal(unicode_classify(0x00a0), UNICODE_SPACE);
	assert_int_equal(unicode_classify(0x2003), UNICODE_SPACE);
	assert_int_equal(unicode_classify(0x3000), UNICODE_SPACE);
	assert_int_equal(unicode_classify(0x00), UNICODE_CONTROL);
	assert_int_equal(unicode_classify(0x09), UNICODE_CONTROL);
	assert_int_equal(unicode_classify(0x1b), UNICODE_CONTROL);
	assert_int_equal(unicode_classify(0x7f), UNICODE_CONTROL);
	assert_int_equal(unicode_classify(0x85), UNICODE_CONTROL);
	assert_int_equal(unicode_classify(0x9f), UNICODE_CONTROL);
	assert_string_equal(unicode_name(0x200b), "ZWSP");
	assert_string_equal(unicode_name(0x200d), "ZWJ");
	assert_string_equal(unicode_name(0xfeff), "BOM");
	assert_string_equal(unicode_name(0x00a0), "NBSP");
}

static void test_classify_ordinary(void **state)
{
	static const int32_t ordinary[] = { ' ', 'a', '~', 0xa1, 0xe9, 0x301, 0x65e5, 0x1f600,
					    0x200a + 0x10, 0xfffd, 0x10ffff };

	(void)state;
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++)
		if (unicode_classify(ordinary[i]) != UNICODE_ORDINARY)
			fail_msg("U+%04X is flagged", (unsigned)ordinary[i]);
	assert_null(unicode_name('a'));
	assert_null(unicode_name(0x65e5));
}

static void test_scripts(void **state)
{
	(void)state;
	assert_int_equal(unicode_script('a'), SCRIPT_LATIN);
	assert_int_equal(unicode_script('Z'), SCRIPT_LATIN);
	assert_int_equal(unicode_script(0xe9), SCRIPT_LATIN);
	assert_int_equal(unicode_script(0x0430), SCRIPT_CYRILLIC);   /* а */
	assert_int_equal(unicode_script(0x03bf), SCRIPT_GREEK);      /* ο */
	assert_int_equal(unicode_script(0x0585), SCRIPT_ARMENIAN);   /* օ */
	assert_int_equal(unicode_script(0x13a0), SCRIPT_CHEROKEE);
	assert_int_equal(unicode_script('7'), SCRIPT_NONE);
	assert_int_equal(unicode_script('_'), SCRIPT_NONE);
	assert_int_equal(unicode_script(0xd7), SCRIPT_NONE);         /* × */
	assert_int_equal(unicode_script(0xf7), SCRIPT_NONE);         /* ÷ */
	assert_int_equal(unicode_script(0x65e5), SCRIPT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid_sequences),
		cmocka_unit_test(test_decode_rejects_invalid_bytes),
		cmocka_unit_test(test_decode_rejects_overlongs_surrogates_and_truncation),
		cmocka_unit_test(test_decode_respects_len),
		cmocka_unit_test(test_is_valid),
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_sanitize_replaces_each_invalid_byte),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_classify_bidi),
		cmocka_unit_test(test_classify_invisible_space_control),
		cmocka_unit_test(test_classify_ordinary),
		cmocka_unit_test(test_scripts),
	};

	tl_init();
	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
