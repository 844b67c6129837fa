/*
 * test_glob.c: gitignore-style path patterns used by risk and policy rules.
 */
#include "config.h"

#include <fnmatch.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

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

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("glob_match_path backtracked for over 10 seconds");
}

/* Found by fuzz_policy: many stars against a path that almost matches. */
static void test_many_stars_do_not_backtrack_exponentially(void **state)
{
	char pattern[200] = "", path[200];

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(pattern, "*a");
	strcat(pattern, "*b");
	memset(path, 'a', 150);
	path[150] = '\0';
	signal(SIGALRM, on_alarm);
	alarm(10);
	assert_false(glob_match_path(pattern, path));
	assert_false(glob_match_path("**/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*/**/*a*a*a*a*a*a*b",
				     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/aaaaaaaaaaaaaaaaaaaaaaa/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
				     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/aaaaaaaaaaaaaaaaaaaaaaaaaaaaac"));
	path[149] = 'b';
	assert_true(glob_match_path(pattern, path));
	alarm(0);
}

/*
 * Without "**", an anchored pattern means what fnmatch(3) with
 * FNM_PATHNAME says; compare the two on random patterns and paths.
 */
static unsigned next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static void random_pattern(char *out, unsigned *seed)
{
	static const char *const pieces[] = { "a", "b", "/", "*", "?", "[ab]", "[!a]", "[a-b]", "\\a" };
	size_t n = 0, count = 1 + next_random(seed) % 8;

	out[0] = 'a'; /* never a leading '/', which would be stripped */
	n = 1;
	for (size_t i = 0; i < count; i++) {
		const char *piece = pieces[next_random(seed) % 9];

		if (piece[0] == '*' && out[n - 1] == '*')
			continue; /* "**" means something fnmatch does not know */
		strcpy(out + n, piece);
		n += strlen(piece);
	}
	if (!strchr(out, '/'))
		strcpy(out + n, "/*"); /* anchored: no basename-only matching */
}

static void random_path(char *out, unsigned *seed)
{
	static const char letters[] = "ab/";
	size_t n = 1 + next_random(seed) % 8;

	out[0] = 'a';
	for (size_t i = 1; i < n; i++)
		out[i] = letters[next_random(seed) % 3];
	out[n] = '\0';
}

static void test_agrees_with_fnmatch_without_double_star(void **state)
{
	unsigned seed = 12345;
	char pattern[128], path[16];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		random_pattern(pattern, &seed);
		random_path(path, &seed);
		if (glob_match_path(pattern, path) != (fnmatch(pattern, path, FNM_PATHNAME) == 0))
			fail_msg("pattern '%s' path '%s': glob %d, fnmatch %d", pattern, path,
				 glob_match_path(pattern, path), fnmatch(pattern, path, FNM_PATHNAME) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basename_patterns_match_at_any_depth),
		cmocka_unit_test(test_patterns_with_slash_are_anchored),
		cmocka_unit_test(test_double_star),
		cmocka_unit_test(test_star_question_and_classes),
		cmocka_unit_test(test_odd_input_does_not_crash),
		cmocka_unit_test(test_many_stars_do_not_backtrack_exponentially),
		cmocka_unit_test(test_agrees_with_fnmatch_without_double_star),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
