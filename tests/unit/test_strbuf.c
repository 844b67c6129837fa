/*
 * test_strbuf.c: growable byte strings (strbuf.h) and string arrays
 * (strvec.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "base/strbuf.h"
#include "base/strvec.h"

static void test_init_is_empty_and_terminated(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_reset(&sb);            /* fine on a never-grown buffer */
	strbuf_release(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_init(&sb, 100);
	assert_true(sb.alloc >= 101);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
	assert_int_equal(sb.alloc, 0);
}

static void test_add_functions(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	strbuf_add(&sb, "xyz", 2);
	strbuf_addchars(&sb, '.', 3);
	strbuf_addf(&sb, "[%d|%s|%05.1f]", -42, "s", 3.14159);
	assert_string_equal(sb.buf, "abc-xy...[-42|s|003.1]");
	assert_int_equal(sb.len, strlen("abc-xy...[-42|s|003.1]"));
	strbuf_add(&sb, "", 0);
	strbuf_addchars(&sb, 'x', 0);
	assert_int_equal(sb.len, 22);
	strbuf_setlen(&sb, 3);
	assert_string_equal(sb.buf, "abc");
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_addf_grows_past_the_first_allocation(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addstr(&sb, "start:");
	strbuf_addf(&sb, "%s:%s", big, "end");
	assert_int_equal(sb.len, 6 + 4999 + 4);
	assert_memory_equal(sb.buf, "start:qqq", 9);
	assert_string_equal(sb.buf + sb.len - 5, "q:end");
	assert_true(sb.alloc > sb.len);
	/* many small appends */
	strbuf_reset(&sb);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	assert_memory_equal(sb.buf + 1990, "5,6,7,8,9,", 10);
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

static void test_binary_content_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 0;
	char *s;

	(void)state;
	strbuf_add(&sb, "a\0b\0", 4);
	assert_int_equal(sb.len, 4);
	assert_memory_equal(sb.buf, "a\0b\0", 5);   /* plus the terminator */
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "a\0b\0", 5);
	free(s);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	/* detaching an empty buffer still gives a string the caller can free */
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_trim_trailing_newline(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "line\r\n\n\r\n");
	strbuf_trim_trailing_newline(&sb);
	assert_string_equal(sb.buf, "line");
	strbuf_addstr(&sb, " \n");
	strbuf_trim_trailing_newline(&sb);
	assert_string_equal(sb.buf, "line ");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "\n\n");
	strbuf_trim_trailing_newline(&sb);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_read_file(void **state)
{
	const char *dir = tl_tmpdir();
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char big[20000];

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 251);
	tl_write_bytes(dir, "big.bin", big, sizeof(big));
	strbuf_addf(&path, "%s/big.bin", dir);
	strbuf_addstr(&sb, "prefix");
	assert_int_equal(strbuf_read_file(&sb, path.buf), 0);
	assert_int_equal(sb.len, 6 + sizeof(big));
	assert_memory_equal(sb.buf + 6, big, sizeof(big));
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/missing", dir);
	errno = 0;
	assert_int_equal(strbuf_read_file(&sb, path.buf), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sb.len, 6 + sizeof(big));   /* left alone */
	strbuf_release(&sb);
	strbuf_release(&path);
	tl_cleanup();
}

static void test_xstrndup_and_alloc_grow(void **state)
{
	char *s = xstrndup("abcdef", 3);
	int *v = NULL;
	size_t nr = 0, alloc = 0;

	(void)state;
	assert_string_equal(s, "abc");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	for (int i = 0; i < 100; i++) {
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr++] = i;
	}
	assert_true(alloc >= 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	free(v);
}

static void test_strvec_push_and_terminate(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char original[] = "mutable";
	const char *copy;

	(void)state;
	copy = strvec_push(&sv, original);
	original[0] = 'X';
	assert_string_equal(copy, "mutable");   /* a copy, owned by the strvec */
	strvec_pushf(&sv, "%s-%d", "n", 7);
	strvec_pushl(&sv, "a", "b", "c", NULL);
	strvec_push_nodup(&sv, xstrdup("owned"));
	assert_int_equal(sv.nr, 6);
	assert_string_equal(sv.v[1], "n-7");
	assert_string_equal(sv.v[4], "c");
	assert_string_equal(sv.v[5], "owned");
	assert_null(sv.v[6]);
	assert_true(strvec_contains(&sv, "b"));
	assert_false(strvec_contains(&sv, "B"));
	assert_false(strvec_contains(&sv, "Xutable"));
	strvec_clear(&sv);
	assert_int_equal(sv.nr, 0);
	assert_null(sv.v);
	assert_false(strvec_contains(&sv, "a"));
}

static void test_strvec_many(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	for (int i = 0; i < 1000; i++)
		strvec_pushf(&sv, "%d", i);
	assert_int_equal(sv.nr, 1000);
	assert_string_equal(sv.v[999], "999");
	assert_null(sv.v[1000]);
	strvec_clear(&sv);
}

static void test_strvec_split_and_join(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char *joined;

	(void)state;
	strvec_split(&sv, "a,,b,c,", ',');
	assert_int_equal(sv.nr, 3);
	joined = strvec_join(&sv, " | ");
	assert_string_equal(joined, "a | b | c");
	free(joined);
	strvec_clear(&sv);

	strvec_split(&sv, ",,,", ',');
	strvec_split(&sv, "", ',');
	assert_int_equal(sv.nr, 0);
	joined = strvec_join(&sv, ",");
	assert_string_equal(joined, "");
	free(joined);

	strvec_split(&sv, "one", ',');
	strvec_split(&sv, "x:y", ':');
	joined = strvec_join(&sv, "");
	assert_string_equal(joined, "onexy");
	free(joined);
	strvec_clear(&sv);
}

/* A borrowed strvec (alloc 0, v set) is only forgotten, and copied before it grows. */
static void test_strvec_borrowed(void **state)
{
	char one[] = "one", two[] = "two";
	char *array[] = { one, two, NULL };
	struct strvec sv = { array, 2, 0 };

	(void)state;
	strvec_clear(&sv);   /* frees nothing: ASan would say so */
	assert_null(sv.v);
	assert_int_equal(sv.nr, 0);
	sv = (struct strvec){ array, 2, 0 };
	strvec_push(&sv, "three");
	assert_true(sv.v != array);
	assert_true(sv.v[0] != one);
	assert_int_equal(sv.nr, 3);
	assert_string_equal(sv.v[0], "one");
	assert_string_equal(sv.v[2], "three");
	assert_null(sv.v[3]);
	assert_string_equal(array[0], "one");   /* the lender's array is untouched */
	assert_null(array[2]);
	strvec_clear(&sv);   /* the copy is owned: freed, or LeakSanitizer says so */
}

static void test_addint_and_addpadded(void **state)
{
	static const struct { long long v; int width; const char *text; } ints[] = {
		{ 0, 0, "0" }, { 7, 4, "   7" }, { -7, 4, "  -7" }, { 12345, 4, "12345" },
		{ 100, -5, "100  " }, { LLONG_MAX, 0, "9223372036854775807" },
		{ LLONG_MIN, 0, "-9223372036854775808" },
	};
	struct strbuf sb = STRBUF_INIT;
	char buf[DECIMAL_MAX], expect[64];

	(void)state;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		strbuf_reset(&sb);
		strbuf_addint(&sb, ints[i].v, ints[i].width);
		assert_string_equal(sb.buf, ints[i].text);
	}
	/* The same as printf for a spread of values and widths. */
	for (long long v = -100000; v <= 100000; v += 37) {
		strbuf_reset(&sb);
		strbuf_addint(&sb, v, (int)(v % 9));
		snprintf(expect, sizeof(expect), "%*lld", (int)(v % 9), v);
		assert_string_equal(sb.buf, expect);
	}
	assert_int_equal(decimal_format(buf, 0), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(decimal_format(buf, ULLONG_MAX), 20);
	assert_string_equal(buf, "18446744073709551615");
	strbuf_reset(&sb);
	strbuf_addpadded(&sb, "ab", 4);
	strbuf_addpadded(&sb, "cd", -4);
	strbuf_addpadded(&sb, "toolong", 3);
	strbuf_addpadded(&sb, "", 0);
	assert_string_equal(sb.buf, "  abcd  toolong");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_and_terminated),
		cmocka_unit_test(test_add_functions),
		cmocka_unit_test(test_addf_grows_past_the_first_allocation),
		cmocka_unit_test(test_binary_content_and_detach),
		cmocka_unit_test(test_trim_trailing_newline),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_xstrndup_and_alloc_grow),
		cmocka_unit_test(test_strvec_push_and_terminate),
		cmocka_unit_test(test_strvec_many),
		cmocka_unit_test(test_strvec_split_and_join),
		cmocka_unit_test(test_strvec_borrowed),
		cmocka_unit_test(test_addint_and_addpadded),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
