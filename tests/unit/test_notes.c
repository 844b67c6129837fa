/*
 * test_notes.c: moving the notes ref by compare-and-swap (notes.h).
 * "Must not exist yet" is a compare like any other, made under the ref's
 * lock: two processes writing the first note at once both keep their note.
 * Decisions are append-only (notes_check_append_only): a fast-forward that
 * keeps every line passes, however the copies of a note are stored; a lost
 * line, a removed note or unrelated history does not.
 */
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "base/error.h"
#include "git/notes.h"
#include "git/repo.h"

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

/* The notes ref's commit after `git CMD` (a shell fragment, in the bare repository). */
static void notes_git(git_oid *tip, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notes_git(git_oid *tip, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	assert_int_equal(tl_sh(git_repository_path(repo), "%s", cmd.buf), 0);
	assert_int_equal(git_reference_name_to_id(tip, repo, REF), 0);
	strbuf_release(&cmd);
}

static int append_only(const git_oid *old, const git_oid *new, struct strbuf *why)
{
	strbuf_reset(why);
	return notes_check_append_only(repo, old, new, why);
}

static void test_decisions_are_append_only(void **state)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	struct strbuf why = STRBUF_INIT;
	git_oid c1, c2, lost, removed, unrelated, crlf;

	(void)state;
	git_oid_tostr(a, sizeof(a), &commits[0]);
	git_oid_tostr(b, sizeof(b), &commits[1]);
	notes_git(&c1, "git notes --ref=revq add -m 'revq1 approve one' %s", a);
	notes_git(&c2, "git notes --ref=revq append -m 'revq1 reject two' %s && "
		       "git notes --ref=revq add -m other %s", a, b);
	assert_int_equal(append_only(&c1, &c1, &why), 0);
	assert_int_equal(append_only(&c1, &c2, &why), 0);
	/* A fast-forward that drops a line. */
	notes_git(&lost, "git notes --ref=revq add -f -m 'revq1 approve one' %s", a);
	assert_int_equal(append_only(&c2, &lost, &why), REVQ_EDENIED);
	assert_true(tl_contains(why.buf, "loses the line 'revq1 reject two'"));
	assert_true(tl_contains(why.buf, a));
	/* A fast-forward that removes a note. */
	notes_git(&removed, "git update-ref " REF " %s && git notes --ref=revq remove %s",
		  git_oid_tostr_s(&c2), b);
	assert_int_equal(append_only(&c2, &removed, &why), REVQ_EDENIED);
	assert_true(tl_contains(why.buf, "loses the line 'other'"));
	/* Every line, but not descended from the old notes. */
	notes_git(&unrelated, "git update-ref -d " REF " && git notes --ref=revq add -m 'revq1 approve one' %s "
			      "&& git notes --ref=revq append -m 'revq1 reject two' %s", a, a);
	assert_int_equal(append_only(&c2, &unrelated, &why), REVQ_EDENIED);
	assert_true(tl_contains(why.buf, "not a fast-forward"));
	/* CRLF line ends keep the lines; so does moving a line to a second copy of the note. */
	notes_git(&crlf, "git update-ref " REF " %s && printf 'revq1 approve one\r\nrevq1 reject two\r\n' | "
			 "git notes --ref=revq add -f -C $(git hash-object -w --stdin) %s",
		  git_oid_tostr_s(&c2), a);
	assert_int_equal(append_only(&c1, &crlf, &why), 0);
	assert_int_equal(append_only(&c2, &crlf, &why), 0);
	assert_int_equal(git_reference_remove(repo, REF), 0);
	strbuf_release(&why);
}

static void test_copies_of_a_note_are_combined_and_consolidated(void **state)
{
	char a[GIT_OID_HEXSZ + 1];
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct notes_line line = { commits[0], "third" };
	struct notes *notes;
	git_signature *who;
	git_oid split, after;

	(void)state;
	git_oid_tostr(a, sizeof(a), &commits[0]);
	/* "first" at the flat path, "second" at the 2/38 path. */
	notes_git(&split, "x=%s; f=$(echo first | git hash-object -w --stdin) && "
			  "s=$(printf 'second\r\n' | git hash-object -w --stdin) && "
			  "sub=$(printf '100644 blob %%s\t%%s\n' $s ${x#??} | git mktree) && "
			  "t=$(printf '100644 blob %%s\t%%s\n040000 tree %%s\t%%s\n' $f $x $sub "
			  "$(echo $x | cut -c1-2) | git mktree) && "
			  "git update-ref " REF " $(git commit-tree -m split $t)", a);
	assert_int_equal(notes_load(&notes, repo, REF), 0);
	assert_int_equal(notes->nr, 1);
	assert_int_equal(notes_read(&text, notes, &commits[0]), 0);
	/* As git concatenates them: a blank line between, and no CR. */
	assert_true(tl_contains(text.buf, "first\n"));
	assert_true(tl_contains(text.buf, "second\n"));
	assert_false(tl_contains(text.buf, "\r"));
	notes_free(notes);
	/* Writing consolidates both copies into one at the 2/38 path, keeping every line. */
	assert_int_equal(git_signature_now(&who, "T", "t@example.com"), 0);
	assert_int_equal(notes_append(repo, REF, &line, 1, who, "test"), 0);
	git_signature_free(who);
	assert_int_equal(git_reference_name_to_id(&after, repo, REF), 0);
	assert_int_equal(append_only(&split, &after, &why), 0);
	strbuf_reset(&text);
	tl_sh_output(git_repository_path(repo), &text, NULL, "git ls-tree -r --name-only " REF);
	assert_string_equal(text.buf, (strbuf_reset(&why), strbuf_addf(&why, "%.2s/%s\n", a, a + 2), why.buf));
	assert_int_equal(git_reference_remove(repo, REF), 0);
	strbuf_release(&text);
	strbuf_release(&why);
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
		cmocka_unit_test(test_decisions_are_append_only),
		cmocka_unit_test(test_copies_of_a_note_are_combined_and_consolidated),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
