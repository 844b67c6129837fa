/*
 * test_glob.c: gitignore-style path patterns used by risk and policy rules.
 */
#include "config.h"

#include "testlib.h"
#include "revq/glob.h"

static void test_basename_patterns_match_at_any_depth(void **state)
{
	(void)state;
	assert_true(glob_match_path("*.tf", "main.tf"));
	assert_true(glob_match_path("*.tf", "infra/prod/main.tf"));
	assert_false(glob_match_path("*.tf", "main.tf.bak"));
	assert_true(glob_match_path("Dockerfile", "services/api/Dockerfile"));
	assert_false(glob_match_path("Dockerfile", "Dockerfile.dev"));
}

static void test_patterns_with_slash_are_anchored(void **state)
{
	(void)state;
	assert_true(glob_match_path("infra/main.tf", "infra/main.tf"));
	assert_false(glob_match_path("infra/main.tf", "x/infra/main.tf"));
	assert_true(glob_match_path("/infra/*.tf", "infra/a.tf"));
	assert_false(glob_match_path("infra/*.tf", "infra/sub/a.tf"));
}

static void test_double_star(void **state)
{
	(void)state;
	assert_true(glob_match_path("infra/**", "infra/a"));
	assert_true(glob_match_path("infra/**", "infra/a/b/c.tf"));
	assert_false(glob_match_path("infra/**", "infra"));
	assert_false(glob_match_path("infra/**", "infrastructure/a"));
	assert_true(glob_match_path("**/migrations/**", "migrations/0001.sql"));
	assert_true(glob_match_path("**/migrations/**", "app/db/migrations/0001.sql"));
	assert_false(glob_match_path("**/migrations/**", "app/migrations.py"));
	assert_true(glob_match_path("a/**/b", "a/b"));
	assert_true(glob_match_path("a/**/b", "a/x/y/b"));
}

static void test_star_question_and_classes(void **state)
{
	(void)state;
	assert_true(glob_match_path("requirements*.txt", "requirements-dev.txt"));
	assert_true(glob_match_path("file?.c", "file1.c"));
	assert_false(glob_match_path("file?.c", "file10.c"));
	assert_true(glob_match_path("[Mm]akefile", "Makefile"));
	assert_true(glob_match_path("[!a]x", "bx"));
	assert_false(glob_match_path("[!a]x", "ax"));
	assert_true(glob_match_path("[a-c]x", "bx"));
	assert_false(glob_match_path("*.tf", ".github/*.tfx"));
}

static void test_odd_input_does_not_crash(void **state)
{
	(void)state;
	assert_false(glob_match_path("[abc", "a"));
	assert_true(glob_match_path("[abc", "[abc"));
	assert_true(glob_match_path("", ""));
	assert_false(glob_match_path("", "a"));
	assert_true(glob_match_path("**", "anything/at/all"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basename_patterns_match_at_any_depth),
		cmocka_unit_test(test_patterns_with_slash_are_anchored),
		cmocka_unit_test(test_double_star),
		cmocka_unit_test(test_star_question_and_classes),
		cmocka_unit_test(test_odd_input_does_not_crash),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
