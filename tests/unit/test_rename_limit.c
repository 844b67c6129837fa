/*
 * test_rename_limit.c: the console's diff bounds rename detection as git
 * does (diff.renameLimit, default 1000): above limit x limit candidate
 * pairs only exact renames are paired, and the layout says so; below it a
 * moved and edited file is still one rename.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"
#include "show/layout.h"
#include "git/repo.h"

static const char *dir;
static git_repository *git;

/* Three files moved and edited, and one moved unchanged, in one commit. */
static int setup(void **state)
{
	(void)state;
	dir = tl_repo_new();
	repo_library_init();
	tl_sh(dir, "for i in 1 2 3 4; do seq -f \"line %%g of file $i\" 1 50 > f$i.txt; done && "
		   "git add . && git commit -qm base && mkdir moved && "
		   "for i in 1 2 3; do git mv f$i.txt moved/f$i.txt && echo edited >> moved/f$i.txt; done && "
		   "git mv f4.txt moved/f4.txt && git add -A && git commit -qm move");
	return git_repository_open(&git, dir) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(git);
	tl_cleanup();
	return 0;
}

/* The layout of HEAD under diff.renameLimit=limit (NULL: unset); counts files by status. */
static struct layout *load_with_limit(const char *limit, unsigned *renamed, unsigned *added)
{
	git_repository *repo;
	git_commit *head;
	git_oid id;
	struct layout *l;

	if (limit)
		tl_git(dir, "config diff.renameLimit %s", limit);
	else
		tl_sh(dir, "git config --unset diff.renameLimit; true");
	assert_int_equal(git_repository_open(&repo, dir), 0);   /* a fresh config snapshot */
	assert_int_equal(git_reference_name_to_id(&id, repo, "HEAD"), 0);
	assert_int_equal(git_commit_lookup(&head, repo, &id), 0);
	assert_int_equal(layout_load(&l, repo, head), 0);
	*renamed = *added = 0;
	for (size_t i = 0; i < l->files_nr; i++) {
		*renamed += l->files[i].status == 'R';
		*added += l->files[i].status == 'A';
	}
	git_commit_free(head);
	git_repository_free(repo);
	return l;
}

static void test_edited_moves_are_renames_within_the_limit(void **state)
{
	unsigned renamed, added;
	struct layout *l;

	(void)state;
	l = load_with_limit(NULL, &renamed, &added);   /* git's default, 1000 */
	assert_int_equal(renamed, 4);
	assert_int_equal(added, 0);
	assert_false(l->renames_limited);
	assert_int_equal(l->rename_limit, 1000);
	layout_free(l);
	l = load_with_limit("4", &renamed, &added);   /* 4 x 4 pairs: 16, no more than 4 x 4 */
	assert_int_equal(renamed, 4);
	assert_false(l->renames_limited);
	layout_free(l);
	l = load_with_limit("0", &renamed, &added);   /* 0: no limit, as in git */
	assert_int_equal(renamed, 4);
	layout_free(l);
}

static void test_above_the_limit_only_exact_renames_are_paired_and_it_says_so(void **state)
{
	unsigned renamed, added;
	struct layout *l;

	(void)state;
	l = load_with_limit("3", &renamed, &added);   /* 16 pairs > 3 x 3 */
	assert_int_equal(renamed, 1);                  /* the unchanged move, found by its blob id */
	assert_int_equal(added, 3);
	assert_true(l->renames_limited);
	assert_int_equal(l->rename_limit, 3);
	layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edited_moves_are_renames_within_the_limit),
		cmocka_unit_test(test_above_the_limit_only_exact_renames_are_paired_and_it_says_so),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
