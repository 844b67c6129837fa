/*
 * test_fit.c: how show/fit.c shares a row's columns: the queue row's
 * subject and top risk reason (both whole when they fit, the reason's
 * guaranteed share, the marks of what is cut, wide characters) and the
 * status line's key hints (whole hints only, the last dropped first).
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "testlib.h"
#include "show/escape.h"
#include "show/fit.h"
#include "show/spans.h"

static void test_a_subject_and_reason_that_fit_are_both_whole(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 60, 20, FIT_SUBJECT_MIN, 30);
	assert_int_equal(s.subject, 20);
	assert_int_equal(s.gap, FIT_GAP);
	assert_int_equal(s.reason, 30);
	assert_false(s.subject_cut);
	assert_false(s.reason_cut);
	/* Exactly the room. */
	fit_subject_reason(&s, 52, 20, FIT_SUBJECT_MIN, 30);
	assert_int_equal(s.subject + s.gap + s.reason, 52);
	assert_false(s.subject_cut || s.reason_cut);
}

static void test_a_long_subject_leaves_the_reason_its_minimum(void **state)
{
	struct fit_split s;

	(void)state;
	/* 80 columns leave a queue row about 30: a 70-column subject would take them all. */
	fit_subject_reason(&s, 30, 70, FIT_SUBJECT_MIN, 40);
	assert_int_equal(s.reason, FIT_REASON_MIN);
	assert_int_equal(s.subject, 30 - FIT_GAP - FIT_REASON_MIN);
	assert_true(s.subject_cut);
	assert_true(s.reason_cut);
	/* On a wide row the reason's share is a quarter of it. */
	fit_subject_reason(&s, 160, 300, FIT_SUBJECT_MIN, 100);
	assert_int_equal(s.reason, 40);
	assert_int_equal(s.subject, 160 - FIT_GAP - 40);
	/* A short reason is whole, and the subject has the rest. */
	fit_subject_reason(&s, 30, 70, FIT_SUBJECT_MIN, 9);
	assert_int_equal(s.reason, 9);
	assert_int_equal(s.subject, 30 - FIT_GAP - 9);
	assert_false(s.reason_cut);
	assert_true(s.subject_cut);
}

/* "[search] Search change" at 80 columns: two columns short, it stays whole; the reason keeps half its share. */
static void test_a_subject_a_few_columns_too_long_stays_whole(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 34, 22, FIT_SUBJECT_MIN, 21);
	assert_int_equal(s.subject, 22);
	assert_false(s.subject_cut);
	assert_int_equal(s.reason, 34 - FIT_GAP - 22);
	assert_true(s.reason >= FIT_REASON_MIN / 2);
	/* One column more than half the share would leave: cut, and the reason has its whole share. */
	fit_subject_reason(&s, 34, 34 - FIT_GAP - FIT_REASON_MIN / 2 + 1, FIT_SUBJECT_MIN, 21);
	assert_true(s.subject_cut);
	assert_int_equal(s.reason, FIT_REASON_MIN);
}

static void test_what_a_short_subject_leaves_goes_to_the_reason(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 30, 6, FIT_SUBJECT_MIN, 60);
	assert_int_equal(s.subject, 6);
	assert_false(s.subject_cut);
	assert_int_equal(s.reason, 30 - FIT_GAP - 6);
	assert_true(s.reason_cut);
}

static void test_the_subject_keeps_its_own_minimum_on_a_narrow_row(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 22, 70, FIT_SUBJECT_MIN, 40);
	assert_int_equal(s.subject, FIT_SUBJECT_MIN);
	assert_int_equal(s.reason, 22 - FIT_GAP - FIT_SUBJECT_MIN);
	/* No room for a readable piece of the reason: none, and the subject has the row. */
	fit_subject_reason(&s, 16, 70, FIT_SUBJECT_MIN, 40);
	assert_int_equal(s.reason, 0);
	assert_int_equal(s.gap, 0);
	assert_int_equal(s.subject, 16);
	assert_true(s.subject_cut);
	/* Never more than the room, whatever the widths. */
	for (size_t room = 0; room < 50; room++)
		for (size_t sw = 0; sw < 60; sw += 7)
			for (size_t rw = 0; rw < 60; rw += 5) {
				fit_subject_reason(&s, room, sw, FIT_SUBJECT_MIN, rw);
				assert_true(s.subject + s.gap + s.reason <= room);
				assert_int_equal(s.subject_cut, s.subject < sw);
				assert_true(!s.reason || s.reason >= FIT_SHOWN_MIN || s.reason == rw);
			}
}

/* Labels ([series ai/x: 3 commits]) are kept whole with the subject's minimum, before the reason. */
static void test_a_subjects_labels_raise_its_minimum(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 60, 25 + 40, 25 + FIT_SUBJECT_MIN, 30);
	assert_int_equal(s.subject, 60 - FIT_GAP - 15);
	assert_int_equal(s.reason, 15);
	fit_subject_reason(&s, 34, 25 + 40, 25 + FIT_SUBJECT_MIN, 30);
	assert_int_equal(s.reason, 0);
	assert_int_equal(s.subject, 34);
}

static void test_without_a_reason_the_subject_has_the_row(void **state)
{
	struct fit_split s;

	(void)state;
	fit_subject_reason(&s, 30, 70, FIT_SUBJECT_MIN, 0);
	assert_int_equal(s.subject, 30);
	assert_int_equal(s.reason, 0);
	assert_int_equal(s.gap, 0);
	assert_true(s.subject_cut);
	assert_false(s.reason_cut);
}

/* Widths are display columns: a subject of wide characters is cut by columns, with its mark. */
static void test_wide_characters_are_shared_by_columns_and_cut_with_a_mark(void **state)
{
	const char *subject = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d"
			      "\xe3\x81\xa7\xe3\x81\x99\xe3\x81\xad\xe3\x81\x88";   /* 10 CJK: 20 columns */
	struct spans sp = SPANS_INIT;
	struct fit_split s;
	size_t width = escape_width(subject, strlen(subject), 0);

	(void)state;
	assert_int_equal(width, 20);
	fit_subject_reason(&s, 24, width, FIT_SUBJECT_MIN, 40);
	assert_true(s.subject_cut);
	spans_layout_marked(&sp, subject, strlen(subject), NULL, 0, 0, s.subject, 0);
	assert_true(sp.width <= s.subject);
	assert_true(sp.nr > 0);
	assert_true(sp.v[sp.nr - 1].attr & SPAN_CUT);
	assert_memory_equal(sp.text.buf + sp.v[sp.nr - 1].offset, ">", 1);
	spans_release(&sp);
}

static void test_hints_are_dropped_whole_the_last_first(void **state)
{
	struct strvec hints = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	strvec_pushl(&hints, "Enter:open", "a:approve", "r:reject", "?:help", NULL);
	assert_int_equal(fit_hints(&out, &hints, "  ", 100), 4);
	assert_string_equal(out.buf, "Enter:open  a:approve  r:reject  ?:help");
	strbuf_reset(&out);
	/* One column short of the whole line: ?:help goes, not half of it. */
	assert_int_equal(fit_hints(&out, &hints, "  ", strlen("Enter:open  a:approve  r:reject  ?:help") - 1), 3);
	assert_string_equal(out.buf, "Enter:open  a:approve  r:reject");
	strbuf_reset(&out);
	assert_int_equal(fit_hints(&out, &hints, "  ", 22), 2);
	assert_string_equal(out.buf, "Enter:open  a:approve");
	strbuf_reset(&out);
	assert_int_equal(fit_hints(&out, &hints, "  ", 9), 0);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
	strvec_clear(&hints);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_subject_and_reason_that_fit_are_both_whole),
		cmocka_unit_test(test_a_long_subject_leaves_the_reason_its_minimum),
		cmocka_unit_test(test_a_subject_a_few_columns_too_long_stays_whole),
		cmocka_unit_test(test_what_a_short_subject_leaves_goes_to_the_reason),
		cmocka_unit_test(test_the_subject_keeps_its_own_minimum_on_a_narrow_row),
		cmocka_unit_test(test_a_subjects_labels_raise_its_minimum),
		cmocka_unit_test(test_without_a_reason_the_subject_has_the_row),
		cmocka_unit_test(test_wide_characters_are_shared_by_columns_and_cut_with_a_mark),
		cmocka_unit_test(test_hints_are_dropped_whole_the_last_first),
	};

	setlocale(LC_ALL, "C.UTF-8");   /* wcwidth() knows wide characters */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
