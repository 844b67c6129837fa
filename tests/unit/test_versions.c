/*
 * test_versions.c: the parts of decide/versions.h that need no
 * decisions: the Change-Id of a commit (its header first, else its last
 * trailer, as git parses trailers) and the interdiff of two versions,
 * on real repositories made with git.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "decide/versions.h"
#include "show/earlier.h"

static git_commit *lookup(git_repository *git, const char *dir, const char *rev)
{
	char *hex = tl_git_out(dir, "rev-parse %s", rev);
	git_oid id;
	git_commit *c = NULL;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(git_commit_lookup(&c, git, &id), 0);
	free(hex);
	return c;
}

static char *change_id_of(const char *dir, const char *rev)
{
	git_repository *git = NULL;
	git_commit *c;
	char *id;

	assert_int_equal(git_repository_open(&git, dir), 0);
	c = lookup(git, dir, rev);
	id = versions_change_id(c);
	git_commit_free(c);
	git_repository_free(git);
	return id;
}

static void test_the_last_change_id_trailer_is_the_change_id(void **state)
{
	const char *dir = tl_repo_new();
	char *id;

	(void)state;
	free(tl_commit_file(dir, "a", "1\n", 1, "Subject\n\nBody text.\n\nChange-Id: Ifirst\nChange-Id: Isecond\n"));
	id = change_id_of(dir, "HEAD");
	assert_string_equal(id, "Isecond");
	free(id);
	/* A Change-Id: line in the body, not in the trailer block, is no trailer. */
	free(tl_commit_file(dir, "a", "2\n", 1, "Subject\n\nChange-Id: Ibody\n\nMore text after it.\n"));
	assert_null(change_id_of(dir, "HEAD"));
}

static void test_the_change_id_header_wins_over_a_trailer(void **state)
{
	const char *dir = tl_repo_new();
	char *id;

	(void)state;
	free(tl_commit_file(dir, "a", "1\n", 1, "Subject\n\nChange-Id: Itrailer\n"));
	/* A commit with a change-id header, as Jujutsu writes it, made with hash-object. */
	tl_sh(dir, "git cat-file commit HEAD | sed '/^committer /a change-id zzzzkmlnvwrs' > raw && "
		   "git update-ref refs/heads/jj $(git hash-object -t commit -w raw)");
	id = change_id_of(dir, "jj");
	assert_string_equal(id, "zzzzkmlnvwrs");
	free(id);
}

/* The interdiff of two commits, as a patch. */
static void interdiff_patch(struct strbuf *out, int *fallback, const char *dir, const char *old, const char *new)
{
	git_repository *git = NULL;
	git_commit *a, *b;
	struct interdiff d;

	assert_int_equal(git_repository_open(&git, dir), 0);
	a = lookup(git, dir, old);
	b = lookup(git, dir, new);
	assert_int_equal(interdiff_compute(&d, git, git_commit_id(a), git_commit_id(b)), 0);
	assert_int_equal(earlier_patch(out, d.diff, d.scratch), 0);
	*fallback = d.fallback;
	interdiff_release(&d);
	git_commit_free(a);
	git_commit_free(b);
	git_repository_free(git);
}

static void test_the_interdiff_leaves_the_rebase_out(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	int fallback = -1;

	(void)state;
	free(tl_commit_file(dir, "f", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n", 3, "Base"));
	tl_git(dir, "checkout -q -b old");
	free(tl_commit_file(dir, "f", "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n", 2, "Change"));
	tl_git(dir, "checkout -q main");
	free(tl_commit_file(dir, "f", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n", 2, "Main"));
	free(tl_commit_file(dir, "g", "new file on main\n", 2, "Main again"));
	tl_git(dir, "checkout -q -b new");
	free(tl_commit_file(dir, "f", "a\nB\nC\nd\ne\nf\ng\nh\ni\nj\nk\nL\n", 1, "Change"));
	interdiff_patch(&out, &fallback, dir, "old", "new");
	assert_int_equal(fallback, 0);
	assert_contains(out.buf, "-c\n+C\n");
	assert_false(tl_contains(out.buf, "+L"));
	assert_false(tl_contains(out.buf, "new file on main"));
	assert_false(tl_contains(out.buf, "+B"));
	/* Nothing was written to the repository: the applied tree stayed in memory. */
	{
		char *before = tl_git_out(dir, "count-objects"), *after;

		strbuf_reset(&out);
		interdiff_patch(&out, &fallback, dir, "old", "new");
		after = tl_git_out(dir, "count-objects");
		assert_string_equal(before, after);
		free(before);
		free(after);
	}
	strbuf_release(&out);
}

static void test_a_conflicting_rebase_falls_back_to_the_paths_either_touches(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	int fallback = -1;

	(void)state;
	free(tl_commit_file(dir, "f", "one\n", 3, "Base"));
	tl_git(dir, "checkout -q -b old");
	free(tl_commit_file(dir, "f", "two\n", 2, "Change"));
	tl_git(dir, "checkout -q main");
	free(tl_commit_file(dir, "f", "three\n", 2, "Main"));
	free(tl_commit_file(dir, "elsewhere", "x\n", 2, "Main elsewhere"));
	tl_git(dir, "checkout -q -b new");
	free(tl_commit_file(dir, "f", "four\n", 1, "Change"));
	interdiff_patch(&out, &fallback, dir, "old", "new");
	assert_int_equal(fallback, 1);
	assert_contains(out.buf, "-two\n+four\n");
	assert_false(tl_contains(out.buf, "elsewhere"));
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_last_change_id_trailer_is_the_change_id),
		cmocka_unit_test(test_the_change_id_header_wins_over_a_trailer),
		cmocka_unit_test(test_the_interdiff_leaves_the_rebase_out),
		cmocka_unit_test(test_a_conflicting_rebase_falls_back_to_the_paths_either_touches),
	};
	int rc;

	tl_init();
	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	tl_cleanup();
	return rc;
}
