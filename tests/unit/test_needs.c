/*
 * test_needs.c: the "needs me" routing of the queue as show/needs.c
 * computes it for the console and `list --for-me`: what each view
 * shows, the --for-me order, the counts and the words of the header.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"
#include "show/needs.h"

static const enum need_of sample[] = {
	NEEDS_SOMEONE_ELSE, NEEDS_ME, NEEDS_AUTHOR, NEEDS_ME, NEEDS_NOTHING, NEEDS_SOMEONE_ELSE,
};
#define SAMPLE_NR (sizeof(sample) / sizeof(sample[0]))

static void test_the_mine_view_shows_only_what_needs_me_and_all_shows_everything(void **state)
{
	(void)state;
	assert_true(need_view_shows(NEED_VIEW_MINE, NEEDS_ME));
	assert_false(need_view_shows(NEED_VIEW_MINE, NEEDS_SOMEONE_ELSE));
	assert_false(need_view_shows(NEED_VIEW_MINE, NEEDS_AUTHOR));
	assert_false(need_view_shows(NEED_VIEW_MINE, NEEDS_NOTHING));
	for (int n = NEEDS_ME; n <= NEEDS_NOTHING; n++)
		assert_true(need_view_shows(NEED_VIEW_ALL, (enum need_of)n));
}

static void test_for_me_puts_what_needs_me_first_each_group_in_queue_order(void **state)
{
	size_t order[SAMPLE_NR];

	(void)state;
	assert_int_equal(needs_order(order, sample, SAMPLE_NR), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 2);
	assert_int_equal(order[4], 4);
	assert_int_equal(order[5], 5);
	assert_int_equal(needs_order(order, sample, 0), 0);
}

static void test_the_header_names_the_view_and_counts_whose_move_it_is(void **state)
{
	struct need_counts c;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	need_counts_of(&c, sample, SAMPLE_NR);
	assert_int_equal(c.of[NEEDS_ME], 2);
	assert_int_equal(c.of[NEEDS_SOMEONE_ELSE], 2);
	assert_int_equal(c.of[NEEDS_AUTHOR], 1);
	assert_int_equal(c.of[NEEDS_NOTHING], 1);
	need_view_describe(&out, NEED_VIEW_MINE, &c);
	assert_string_equal(out.buf, "[needs me] 2 need me");
	strbuf_reset(&out);
	need_view_describe(&out, NEED_VIEW_ALL, &c);
	assert_string_equal(out.buf, "[all] 2 need me");
	strbuf_reset(&out);
	need_counts_describe_rest(&out, &c);
	assert_string_equal(out.buf, "2 need someone else, 1 waits on the author");
	strbuf_reset(&out);
	need_counts_of(&c, sample + 1, 1);
	need_view_describe(&out, NEED_VIEW_MINE, &c);
	assert_string_equal(out.buf, "[needs me] 1 needs me");
	strbuf_release(&out);
}

static void test_console_view_takes_mine_or_all_and_nothing_else(void **state)
{
	enum need_view v = NEED_VIEW_MINE;

	(void)state;
	assert_int_equal(need_view_parse(&v, "all"), 0);
	assert_int_equal(v, NEED_VIEW_ALL);
	assert_int_equal(need_view_parse(&v, "Mine"), 0);
	assert_int_equal(v, NEED_VIEW_MINE);
	assert_int_equal(need_view_parse(&v, "everything"), -1);
	assert_int_equal(need_view_parse(&v, ""), -1);
	assert_int_equal(need_view_parse(&v, NULL), -1);
	assert_int_equal(v, NEED_VIEW_MINE);
	assert_string_equal(need_view_name(NEED_VIEW_MINE), "needs me");
	assert_string_equal(need_view_name(NEED_VIEW_ALL), "all");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_mine_view_shows_only_what_needs_me_and_all_shows_everything),
		cmocka_unit_test(test_for_me_puts_what_needs_me_first_each_group_in_queue_order),
		cmocka_unit_test(test_the_header_names_the_view_and_counts_whose_move_it_is),
		cmocka_unit_test(test_console_view_takes_mine_or_all_and_nothing_else),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
