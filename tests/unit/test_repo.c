/*
 * test_repo.c: resolving the names users give (repo.h): a target is one
 * fully qualified ref, a short name that git's DWIM rules read as two
 * refs is refused naming both, and a full commit id is taken as it is.
 */
#include "config.h"

#include "testlib.h"
#include "base/error.h"
#include "git/repo.h"

static const char *dir;
static struct repo *repo;
static char *main_id, *side_id, *gitdir;

static int setup(void **state)
{
	(void)state;
	dir = tl_repo_new();
	main_id = tl_git_out(dir, "rev-parse main");
	tl_git(dir, "checkout -q -b side");
	side_id = tl_commit_file(dir, "a.txt", "a\n", 1, "Side");
	tl_git(dir, "checkout -q main");
	gitdir = tl_git_out(dir, "rev-parse --absolute-git-dir");
	return repo_open_gitdir(&repo, gitdir) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	repo_free(repo);
	free(main_id);
	free(side_id);
	free(gitdir);
	tl_cleanup();
	return 0;
}

static void assert_target(const char *spec, const char *refname, const char *id)
{
	struct target t;

	if (repo_find_target(&t, repo, spec))
		fail_msg("target %s: %s", spec, error_last());
	if (refname)
		assert_string_equal(t.refname, refname);
	else
		assert_null(t.refname);
	assert_string_equal(t.name, refname ? refname : spec);
	assert_string_equal(git_oid_tostr_s(&t.id), id);
	target_release(&t);
}

static void test_a_short_name_resolves_to_its_one_full_ref(void **state)
{
	(void)state;
	assert_target("main", "refs/heads/main", main_id);
	assert_target("refs/heads/side", "refs/heads/side", side_id);
	/* The default is refs/heads/main, not whatever DWIM would find first. */
	assert_target(NULL, "refs/heads/main", main_id);
}

static void test_a_name_two_refs_answer_to_is_refused_naming_both(void **state)
{
	struct strvec candidates = STRVEC_INIT;
	struct target t;

	(void)state;
	tl_git(dir, "update-ref refs/remotes/origin/main main");
	tl_git(dir, "tag origin/main side");
	assert_int_equal(repo_ref_candidates(&candidates, repo, "origin/main"), 2);
	assert_int_equal(repo_find_target(&t, repo, "origin/main"), REVQ_EUSAGE);
	assert_contains(error_last(), "refs/tags/origin/main");
	assert_contains(error_last(), "refs/remotes/origin/main");
	assert_int_equal(repo_check_unambiguous(repo, "origin/main~1"), REVQ_EUSAGE);
	/* The full names stay usable. */
	assert_target("refs/remotes/origin/main", "refs/remotes/origin/main", main_id);
	assert_target("refs/tags/origin/main", "refs/tags/origin/main", side_id);
	/* A full name means that ref alone, whatever tags are named after it. */
	tl_git(dir, "update-ref refs/tags/refs/heads/main side");
	assert_target("refs/heads/main", "refs/heads/main", main_id);
	assert_int_equal(repo_check_unambiguous(repo, "refs/heads/main~1"), 0);
	tl_git(dir, "update-ref -d refs/tags/refs/heads/main");
	tl_git(dir, "tag -d origin/main >/dev/null");
	assert_int_equal(repo_check_unambiguous(repo, "origin/main~1"), 0);
	assert_target("origin/main", "refs/remotes/origin/main", main_id);
	tl_git(dir, "update-ref -d refs/remotes/origin/main");
	strvec_clear(&candidates);
}

static void test_a_full_commit_id_is_a_target_and_a_prefix_is_not(void **state)
{
	struct target t;
	char prefix[8];

	(void)state;
	assert_target(side_id, NULL, side_id);
	memcpy(prefix, side_id, 7);
	prefix[7] = '\0';
	assert_int_equal(repo_find_target(&t, repo, prefix), REVQ_ENOTFOUND);
	assert_contains(error_last(), "ref name or a full commit id");
	assert_int_equal(repo_find_target(&t, repo, "main~1"), REVQ_ENOTFOUND);
}

static void test_a_symbolic_target_is_named_by_what_it_points_to(void **state)
{
	(void)state;
	tl_git(dir, "update-ref refs/remotes/origin/main side");
	tl_git(dir, "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
	assert_target(NULL, "refs/remotes/origin/main", side_id);
	tl_git(dir, "symbolic-ref -d refs/remotes/origin/HEAD");
	tl_git(dir, "update-ref -d refs/remotes/origin/main");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_short_name_resolves_to_its_one_full_ref),
		cmocka_unit_test(test_a_name_two_refs_answer_to_is_refused_naming_both),
		cmocka_unit_test(test_a_full_commit_id_is_a_target_and_a_prefix_is_not),
		cmocka_unit_test(test_a_symbolic_target_is_named_by_what_it_points_to),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
