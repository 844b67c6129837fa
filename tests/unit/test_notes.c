/*
 * test_notes.c: moving the notes ref by compare-and-swap (notes.h).
 * "Must not exist yet" is a compare like any other, made under the ref's
 * lock: two processes writing the first note at once both keep their note.
 */
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "revq/error.h"
#include "revq/notes.h"
#include "revq/repo.h"

#define REF "refs/notes/revq"

static git_repository *repo;
static git_oid commits[2];

static void ref_is(const git_oid *expected)
{
	git_oid now;

	if (!expected) {
		assert_int_equal(git_reference_name_to_id(&now, repo, REF), GIT_ENOTFOUND);
		return;
	}
	assert_int_equal(git_reference_name_to_id(&now, repo, REF), 0);
	assert_true(git_oid_equal(&now, expected));
}

static void test_move_ref_compares_under_the_lock(void **state)
{
	(void)state;
	ref_is(NULL);
	assert_int_equal(notes_move_ref(repo, REF, NULL, &commits[0], "test"), 0);
	ref_is(&commits[0]);
	/* Expected absent, but someone created it: refused, not replaced. */
	assert_int_equal(notes_move_ref(repo, REF, NULL, &commits[1], "test"), REVQ_ECONFLICT);
	ref_is(&commits[0]);
	/* Expected elsewhere: refused. */
	assert_int_equal(notes_move_ref(repo, REF, &commits[1], &commits[1], "test"), REVQ_ECONFLICT);
	ref_is(&commits[0]);
	assert_int_equal(notes_move_ref(repo, REF, &commits[0], &commits[1], "test"), 0);
	ref_is(&commits[1]);
	/* Someone else holds the lock: a conflict to retry, not an error. */
	tl_sh(git_repository_commondir(repo), "touch " REF ".lock");
	assert_int_equal(notes_move_ref(repo, REF, &commits[1], &commits[0], "test"), REVQ_ECONFLICT);
	tl_sh(git_repository_commondir(repo), "rm " REF ".lock");
	ref_is(&commits[1]);
	assert_int_equal(git_reference_remove(repo, REF), 0);
}

/* Two processes write the first note at the same moment, many times over. */
static void test_first_notes_written_at_once_are_both_kept(void **state)
{
	git_signature *who;

	(void)state;
	assert_int_equal(git_signature_now(&who, "T", "t@example.com"), 0);
	for (int round = 0; round < 150; round++) {
		pid_t pids[2];
		struct notes *notes;
		struct strbuf text = STRBUF_INIT;
		int status;

		for (int i = 0; i < 2; i++) {
			if ((pids[i] = fork()) == 0) {
				struct notes_line line = { commits[i], i ? "second" : "first" };
				git_repository *mine;

				/* A process of its own, with its own repository handle. */
				_exit(git_repository_open(&mine, git_repository_path(repo)) ||
				      notes_append(mine, REF, &line, 1, who, "test") ? 1 : 0);
			}
		}
		for (int i = 0; i < 2; i++) {
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		assert_int_equal(notes_load(&notes, repo, REF), 0);
		for (int i = 0; i < 2; i++) {
			strbuf_reset(&text);
			if (notes_read(&text, notes, &commits[i]))
				fail_msg("round %d: the note of writer %d was lost", round, i);
		}
		notes_free(notes);
		strbuf_release(&text);
		assert_int_equal(git_reference_remove(repo, REF), 0);
	}
	git_signature_free(who);
}

static int setup(void **state)
{
	git_treebuilder *tb;
	git_signature *sig;
	git_tree *tree;
	git_oid tree_id;

	(void)state;
	repo_library_init();
	if (git_repository_init(&repo, tl_tmpdir(), 1) || git_treebuilder_new(&tb, repo, NULL) ||
	    git_treebuilder_write(&tree_id, tb) || git_tree_lookup(&tree, repo, &tree_id) ||
	    git_signature_now(&sig, "T", "t@example.com"))
		return -1;
	git_treebuilder_free(tb);
	for (int i = 0; i < 2; i++)
		if (git_commit_create(&commits[i], repo, NULL, sig, sig, NULL, i ? "two" : "one",
				      tree, 0, NULL))
			return -1;
	git_signature_free(sig);
	git_tree_free(tree);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(repo);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_ref_compares_under_the_lock),
		cmocka_unit_test(test_first_notes_written_at_once_are_both_kept),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
