/*
 * test_glob.c: gitignore-style path patterns used by risk and policy rules.
 */
#include "config.h"

#include <fnmatch.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "base/glob.h"

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
	assert_true(glob_match_path("**", "anything/at/all"));
}

/* Each of these protected nothing under infra/prod/ before. */
static void test_a_pattern_naming_a_directory_covers_everything_below_it(void **state)
{
	static const char *const patterns[] = { "infra/", "infra", "/infra", "infra/*", "infra/**",
						"/infra/", "infra/prod", "prod/", "*/prod" };

	(void)state;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (!glob_match_path(patterns[i], "infra/prod/main.tf"))
			fail_msg("'%s' does not cover infra/prod/main.tf", patterns[i]);
	/* Without another slash a pattern matches at any depth; a leading one anchors. */
	assert_true(glob_match_path("infra/", "x/infra/a.tf"));
	assert_true(glob_match_path("infra", "x/infra/a.tf"));
	assert_false(glob_match_path("/infra", "x/infra/a.tf"));
	assert_false(glob_match_path("infra/*", "x/infra/a.tf"));
	/* A trailing slash means a directory, never a file of that name. */
	assert_false(glob_match_path("infra/", "infra"));
	assert_true(glob_match_path("infra", "infra"));
	assert_false(glob_match_path("infra/", "infrastructure/a"));
	assert_false(glob_match_path("infra", "infra.tf"));
	/* Trailing blanks are dropped, as gitignore drops them. */
	assert_true(glob_match_path("infra/  ", "infra/a"));
}

static void test_patterns_that_cannot_mean_a_rule_are_refused(void **state)
{
	char *huge = xmalloc(GLOB_MAX + 2);
	const char *why;

	(void)state;
	memset(huge, 'a', GLOB_MAX + 1);
	huge[GLOB_MAX + 1] = '\0';
	assert_int_equal(glob_check(huge, &why), -1);
	assert_non_null(why);
	/* Refused patterns fail closed if they get as far as matching. */
	assert_true(glob_match_path(huge, "anything"));
	huge[GLOB_MAX] = '\0';
	assert_int_equal(glob_check(huge, &why), 0);
	assert_false(glob_match_path(huge, "anything"));
	assert_int_equal(glob_check("", &why), -1);
	assert_int_equal(glob_check("   ", &why), -1);
	assert_int_equal(glob_check("/", &why), -1);
	assert_int_equal(glob_check("!infra/", &why), -1);
	assert_int_equal(glob_check("infra/", &why), 0);
	free(huge);
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
 * FNM_PATHNAME says of the path or of one of its leading directories;
 * compare the two on random patterns and paths.
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

/* The path or a leading directory of it matches, by fnmatch(3). */
static int fnmatch_or_directory(const char *pattern, const char *path)
{
	char dir[16];

	if (pattern[strlen(pattern) - 1] != '/' && !fnmatch(pattern, path, FNM_PATHNAME))
		return 1;
	for (size_t i = 1; path[i]; i++) {
		char p[128];

		if (path[i] != '/')
			continue;
		memcpy(dir, path, i);
		dir[i] = '\0';
		strcpy(p, pattern);
		if (p[strlen(p) - 1] == '/')
			p[strlen(p) - 1] = '\0';
		if (!fnmatch(p, dir, FNM_PATHNAME))
			return 1;
	}
	return 0;
}

static void test_agrees_with_fnmatch_without_double_star(void **state)
{
	unsigned seed = 12345;
	char pattern[128], path[16];
	const char *why;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		random_pattern(pattern, &seed);
		random_path(path, &seed);
		if (glob_check(pattern, &why))
			continue;
		if (pattern[strlen(pattern) - 1] == '/' && !strchr(pattern, '/')[1])
			continue;   /* the only slash is trailing: not anchored */
		if (strstr(path, "//") || path[strlen(path) - 1] == '/')
			continue;   /* not a file's path */
		if (glob_match_path(pattern, path) != fnmatch_or_directory(pattern, path))
			fail_msg("pattern '%s' path '%s': glob %d, fnmatch %d", pattern, path,
				 glob_match_path(pattern, path), fnmatch_or_directory(pattern, path));
	}
}

/*
 * The differential test against git itself: a tree of real files, and
 * for each random pattern the files `git ls-files -i -o --exclude`
 * calls ignored (git applies the directory rule itself: a file under an
 * ignored directory is ignored).
 */
static const char *const tree_files[] = {
	"x", "bx", "a/x", "a/ax", "a/a/x", "a/b/x", "a/b/ax", "b/x", "b/a/bx", "b/b/x",
	"ab/x", "ab/ba/x", "ab/ba/ax", "ba/ab/a/x", "a/ab/b/bx",
};
#define TREE_FILES (sizeof(tree_files) / sizeof(tree_files[0]))

static void random_git_pattern(char *out, unsigned *seed)
{
	static const char *const pieces[] = { "a", "b", "x", "/", "*", "?", "[ab]", "**", "/**/",
					      "**/", "/**", "\\a", "ab", "*x" };
	size_t n = 0, count = 1 + next_random(seed) % 5;

	if (next_random(seed) % 4 == 0)
		out[n++] = '/';
	out[n] = '\0';
	for (size_t i = 0; i < count; i++)
		strcat(out, pieces[next_random(seed) % (sizeof(pieces) / sizeof(pieces[0]))]);
	if (next_random(seed) % 4 == 0)
		strcat(out, "/");
}

/*
 * git 2.39 splits off a pattern's literal prefix before wildmatch, so in
 * "a**\/b" the stars look like a whole component to it ("a" + "**\/b");
 * wildmatch itself, and revq, read "**" inside a component as one '*'.
 */
static int has_inner_double_star(const char *pattern)
{
	for (const char *p = strstr(pattern, "**"); p; p = strstr(p + 1, "**"))
		if (p > pattern && p[-1] != '/' && p[-1] != '*')
			return 1;
	return 0;
}

static void test_agrees_with_git_on_random_patterns(void **state)
{
	const char *dir = tl_tmpdir();
	unsigned seed = 4242, compared = 0;
	const char *why;

	(void)state;
	tl_git(dir, "init -q");
	for (size_t i = 0; i < TREE_FILES; i++)
		tl_write(dir, tree_files[i], "");
	for (int round = 0; round < 600; round++) {
		struct strbuf out = STRBUF_INIT;
		char pattern[128];

		random_git_pattern(pattern, &seed);
		if (glob_check(pattern, &why) || has_inner_double_star(pattern))
			continue;
		strbuf_addch(&out, '\n');   /* every name is then between two newlines */
		if (tl_sh_output(dir, &out, NULL, "git ls-files -i -o --exclude='%s'", pattern))
			fail_msg("git ls-files failed for '%s'", pattern);
		compared++;
		for (size_t i = 0; i < TREE_FILES; i++) {
			struct strbuf line = STRBUF_INIT;
			int git_says, we_say = glob_match_path(pattern, tree_files[i]);

			strbuf_addf(&line, "\n%s\n", tree_files[i]);
			git_says = strstr(out.buf, line.buf) != NULL;
			strbuf_release(&line);
			if (git_says != we_say)
				fail_msg("pattern '%s' path '%s': git %d, revq %d", pattern,
					 tree_files[i], git_says, we_say);
		}
		strbuf_release(&out);
	}
	if (compared < 300)
		fail_msg("only %u patterns compared", compared);
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
		cmocka_unit_test(test_a_pattern_naming_a_directory_covers_everything_below_it),
		cmocka_unit_test(test_patterns_that_cannot_mean_a_rule_are_refused),
		cmocka_unit_test(test_agrees_with_git_on_random_patterns),
	};

	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
