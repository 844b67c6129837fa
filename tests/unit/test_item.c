/*
 * test_item.c: the queue's order and the review state of an item
 * (item.h), the clock they read (clock.h), and the user's identity as
 * git takes it (settings_identity()).
 */
#include "config.h"

#include <stdlib.h>

#include "testlib.h"
#include "base/clock.h"
#include "base/error.h"
#include "judge/item.h"
#include "git/settings.h"

static void test_priority_is_risk_plus_ten_points_a_day_up_to_a_hundred(void **state)
{
	struct item it;

	(void)state;
	memset(&it, 0, sizeof(it));
	it.risk = 30;
	it.commit_time = 1000000;
	assert_int_equal(item_priority(&it, 1000000), 30);
	assert_int_equal(item_priority(&it, 1000000 + 23 * 3600), 30 + 9);   /* whole hours */
	assert_int_equal(item_priority(&it, 1000000 + 24 * 3600), 40);
	assert_int_equal(item_priority(&it, 1000000 + 30 * 86400), 130);      /* ageing stops at 100 */
	assert_int_equal(item_priority(&it, 1000000 - 86400), 30);            /* a commit from the future */
}

static void test_resetting_the_review_forgets_status_and_detail(void **state)
{
	struct item it;

	(void)state;
	memset(&it, 0, sizeof(it));
	it.status = ITEM_REJECTED;
	it.approvals = 2;
	it.approvals_needed = 3;
	it.decided_at = 5;
	it.status_detail = strdup("rejected by someone");
	item_reset_review(&it);
	assert_int_equal(it.status, ITEM_PENDING);
	assert_int_equal(it.approvals + it.approvals_needed, 0);
	assert_int_equal(it.decided_at, 0);
	assert_null(it.status_detail);
}

static void test_the_clock_is_revq_now_when_set(void **state)
{
	(void)state;
	setenv("REVQ_NOW", "12345", 1);
	assert_int_equal(clock_now(), 12345);
	setenv("REVQ_NOW", "12x", 1);
	assert_true(clock_now() > 1700000000);   /* not a number: the system clock */
	setenv("REVQ_NOW", "1767225600", 1);
}

static void test_the_identity_follows_git_and_refuses_what_a_record_cannot_hold(void **state)
{
	struct settings s;
	char *name, *email;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.user_name = "Jane";
	s.user_email = "jane@example.com";
	assert_int_equal(settings_identity(&name, &email, &s), 0);
	assert_string_equal(email, "jane@example.com");
	free(name);
	free(email);
	s.committer_email = "ci@example.com";   /* GIT_COMMITTER_EMAIL wins, as in git */
	assert_int_equal(settings_identity(&name, &email, &s), 0);
	assert_string_equal(email, "ci@example.com");
	assert_string_equal(name, "Jane");
	free(name);
	free(email);
	s.committer_email = "a <b>";
	assert_int_equal(settings_identity(&name, &email, &s), REVQ_ERROR);
	s.committer_email = "x\xc2\x9b@example.com";   /* a C1 control */
	assert_int_equal(settings_identity(&name, &email, &s), REVQ_ERROR);
	s.committer_email = NULL;
	s.user_email = NULL;
	assert_int_equal(settings_identity(&name, &email, &s), REVQ_ERROR);
	assert_contains(error_last(), "user.email");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_is_risk_plus_ten_points_a_day_up_to_a_hundred),
		cmocka_unit_test(test_resetting_the_review_forgets_status_and_detail),
		cmocka_unit_test(test_the_clock_is_revq_now_when_set),
		cmocka_unit_test(test_the_identity_follows_git_and_refuses_what_a_record_cannot_hold),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
