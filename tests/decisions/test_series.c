/*
 * test_series.c: a branch approved as one change (`revq approve --series
 * BASE..TIP`, a revq-series1 record), end to end with real ssh keys.
 * The legitimate cases (every commit of the series, a squash of it, a
 * single merge of it, the series rebased byte-identically) beside the
 * attacks: a commit added after the tip, a commit before the base, a
 * rebased series with one changed line, a record whose base was edited,
 * a series partly the approver's own, a series whose strictest commit
 * needs more than the approver's level, and a push that drops the
 * record.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	const char *top;      /* server.git and bin/revq, for the hook test */
	char *c[3];           /* the series ai/x: three AI-assisted commits on main */
};

/* Jane is senior, Raj is mid; anything needs one approval, infra/ a senior's. */
static const char policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[person \"Jane\"]\n\temail = jane@example.com\n\tlevel = senior\n"
	"[person \"Raj\"]\n\temail = raj@example.com\n\tlevel = mid\n"
	"[tier \"all\"]\n\tminRisk = 0\n\trequire = 1\n"
	"[path \"infra/**\"]\n\trequire = 1 senior\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	f->top = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "raj", "raj@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_write(f->repo, ".revq/policy", policy);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 5, "Review policy"));
	tl_git(f->repo, "checkout -q -b ai/x");
	f->c[0] = tl_commit_file(f->repo, "src/a.c", "int a;\n", 3, "Add a" TL_AI_TRAILER);
	f->c[1] = tl_commit_file(f->repo, "src/b.c", "int b;\nint b2;\n", 3, "Add b" TL_AI_TRAILER);
	f->c[2] = tl_commit_file(f->repo, "src/a.c", "int a;\nint a2;\n", 3, "More a" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		free(f->c[i]);
	free(f);
	return 0;
}

/* `revq VERB -m ok ARGS` as EMAIL signing with key; the exit status, stderr in err (may be NULL). */
static int decide(struct fixture *f, struct strbuf *err, const char *verb, const char *key, const char *email,
		  const char *args)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (err)
		strbuf_reset(err);
	return tl_sh_output(f->repo, NULL, err, "GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' "
			    "\"$REVQ_BIN\" %s -m ok %s", email, verb, args);
}

static void approve_series(struct fixture *f, const char *key, const char *email, const char *range)
{
	struct strbuf err = STRBUF_INIT, args = STRBUF_INIT;

	strbuf_addf(&args, "--series %s", range);
	if (decide(f, &err, "approve", key, email, args.buf))
		fail_msg("revq approve --series %s: %s", range, err.buf);
	strbuf_release(&err);
	strbuf_release(&args);
}

/* The status verify --json gives commit. */
static char *status_of(const char *json, const char *commit)
{
	for (int64_t i = 0; i < tl_json_length(json, "$.commits"); i++) {
		char path[64], *id;

		snprintf(path, sizeof(path), "$.commits[%lld].commit", (long long)i);
		id = tl_json_text(json, path);
		if (!strcmp(id, commit)) {
			free(id);
			snprintf(path, sizeof(path), "$.commits[%lld].status", (long long)i);
			return tl_json_text(json, path);
		}
		free(id);
	}
	fail_msg("%s is not in:\n%s", commit, json);
	return NULL;
}

static void assert_status(const char *json, const char *commit, const char *expected)
{
	char *got = status_of(json, commit);

	if (strcmp(got, expected))
		fail_msg("%s is %s, expected %s:\n%s", commit, got, expected, json);
	free(got);
}

/* `revq verify --json RANGE` into out; its exit status. */
static int verify(struct fixture *f, struct strbuf *out, const char *range)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "verify --json %s", range);
}

static void test_a_series_approval_covers_each_commit_a_squash_and_a_merge_of_it(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *squash, *merge, *note;

	/* Pending before: no record. */
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	/* One record, noted on the tip, naming base, tip, tree and series-id. */
	note = tl_git_out(f->repo, "notes --ref=revq show %s", f->c[2]);
	assert_true(!strncmp(note, "revq-series1 approve reviewer=\"Reviewer <jane@example.com>\"", 59));
	assert_contains(note, " series-id=");
	assert_contains(note, " sig=ssh:");
	free(note);
	assert_int_not_equal(tl_sh(f->repo, "git notes --ref=revq show %s 2>/dev/null", f->c[0]), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "approved");
	/* A squash of the series onto its base: the same combined change, carried. */
	tl_git(f->repo, "checkout -q -b squashed main");
	tl_git(f->repo, "merge -q --squash ai/x");
	squash = tl_commit(f->repo, 1, "All of it" TL_AI_TRAILER);
	assert_int_equal(verify(f, &out, "main..squashed"), 0);
	assert_status(out.buf, squash, "approved");
	assert_contains(out.buf, "\"carried_from\"");
	/* A single merge of it into main, AI-marked itself. */
	tl_git(f->repo, "checkout -q -b merged main");
	tl_sh(f->repo, "git merge -q --no-ff -m 'Merge ai/x\n\nCo-Authored-By: Claude <noreply@anthropic.com>' "
		       "ai/x >/dev/null");
	merge = tl_git_out(f->repo, "rev-parse HEAD");
	assert_int_equal(verify(f, &out, "main..merged"), 0);
	assert_status(out.buf, merge, "approved");
	assert_status(out.buf, f->c[1], "approved");
	tl_git(f->repo, "checkout -q main");
	free(squash);
	free(merge);
	strbuf_release(&out);
}

static void test_a_series_approval_says_nothing_about_a_commit_added_after_its_tip(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *late, *sneaky;

	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	tl_git(f->repo, "checkout -q ai/x");
	late = tl_commit_file(f->repo, "src/c.c", "int c;\n", 1, "Later" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_status(out.buf, late, "pending");
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "approved");
	/* A commit after the tip that undoes nothing either: its own change is no copy of the series. */
	tl_git(f->repo, "checkout -q -b ai/y %s", f->c[2]);
	sneaky = tl_commit_file(f->repo, "src/a.c", "int a;\nint a2;\nint evil;\n", 1, "Tweak" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(verify(f, &out, "main..ai/y"), 1);
	assert_status(out.buf, sneaky, "pending");
	free(late);
	free(sneaky);
	strbuf_release(&out);
}

static void test_a_series_approval_says_nothing_about_a_commit_before_its_base(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, range = STRBUF_INIT;

	/* The series is c[0]..c[2]: c[0] is its base, not one of its commits. */
	strbuf_addf(&range, "%s..ai/x", f->c[0]);
	approve_series(f, "jane", "jane@example.com", range.buf);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_status(out.buf, f->c[0], "pending");
	assert_status(out.buf, f->c[1], "approved");
	assert_status(out.buf, f->c[2], "approved");
	strbuf_release(&out);
	strbuf_release(&range);
}

/* Rebuilds the series on the current main as branch, cherry-picking each commit. */
static void rebuild_on_main(struct fixture *f, const char *branch)
{
	tl_git(f->repo, "checkout -q -b %s main", branch);
	for (int i = 0; i < 3; i++)
		tl_git(f->repo, "cherry-pick %s >/dev/null", f->c[i]);
}

static void test_a_rebased_series_is_covered_only_where_its_change_is_byte_identical(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *tip, *first, *changed;

	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	free(tl_commit_file(f->repo, "README", "moved on\n", 2, "Unrelated"));
	rebuild_on_main(f, "ai/same");
	tip = tl_git_out(f->repo, "rev-parse HEAD");
	first = tl_git_out(f->repo, "rev-parse HEAD~2");
	assert_int_equal(verify(f, &out, "main..ai/same"), 0);
	assert_status(out.buf, tip, "approved");
	assert_status(out.buf, first, "approved");
	free(tip);
	free(first);
	/* One changed line in the last commit: its combined change differs, nothing is covered. */
	tl_git(f->repo, "checkout -q main");
	rebuild_on_main(f, "ai/changed");
	tl_write(f->repo, "src/a.c", "int a;\nint a3;\n");
	tl_sh(f->repo, "git commit -q -a --amend --no-edit");
	changed = tl_git_out(f->repo, "rev-parse HEAD");
	first = tl_git_out(f->repo, "rev-parse HEAD~2");
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(verify(f, &out, "main..ai/changed"), 1);
	assert_status(out.buf, changed, "pending");
	assert_status(out.buf, first, "pending");
	free(changed);
	free(first);
	strbuf_release(&out);
}

static void test_a_series_record_whose_base_was_swapped_counts_for_nothing(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, range = STRBUF_INIT;
	char *main_id = tl_git_out(f->repo, "rev-parse main");

	strbuf_addf(&range, "%s..ai/x", f->c[0]);
	approve_series(f, "jane", "jane@example.com", range.buf);
	/* Control: as signed it covers c[1] and c[2]. */
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	assert_status(out.buf, f->c[1], "approved");
	/* The base moved back to main would take in c[0]: the signature no longer holds. */
	tl_sh(f->repo, "git notes --ref=revq show %s | sed 's/ base=[0-9a-f]*/ base=%s/' > ../edited && "
		       "git notes --ref=revq add -f -F ../edited %s", f->c[2], main_id, f->c[2]);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "pending");
	assert_contains(out.buf, "bad signature");
	free(main_id);
	strbuf_release(&out);
	strbuf_release(&range);
}

static void test_a_series_authored_partly_by_the_approver_is_self_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	/* The middle commit is by jane.doe@, who the target's .mailmap says is Jane. */
	tl_git(f->repo, "branch -q old main");
	tl_write(f->repo, ".mailmap", "Jane <jane@example.com> <jane.doe@example.com>\n");
	free(tl_commit(f->repo, 4, "Mailmap"));
	tl_git(f->repo, "checkout -q -b ai/mine main");
	free(tl_commit_file(f->repo, "src/a.c", "int a;\n", 3, "Add a" TL_AI_TRAILER));
	tl_sh(f->repo, "echo 'int m;' > src/m.c && git add src/m.c && GIT_AUTHOR_EMAIL=jane.doe@example.com "
		       "git commit -q -m 'Mine\n\nCo-Authored-By: Claude <noreply@anthropic.com>'");
	free(tl_commit_file(f->repo, "src/b.c", "int b;\n", 3, "Add b" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	/* Refused up front: she wrote one of its commits. */
	assert_int_not_equal(decide(f, &err, "approve", "jane", "jane@example.com", "--series main..ai/mine"), 0);
	assert_contains(err.buf, "self-approval");
	assert_contains(err.buf, "a commit in it");
	/* Written against a target that does not know her second address: verify still refuses it. */
	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com",
				"--target old --series main..ai/mine"), 0);
	assert_int_equal(verify(f, &out, "main..ai/mine"), 1);
	assert_contains(out.buf, "self-approval");
	assert_contains(out.buf, "an author of a commit of the series");
	assert_json_text(out.buf, "$.commits[0].status", "pending");
	/* Control: Raj, who wrote none of it, approves the same series and it passes. */
	assert_int_equal(decide(f, &err, "approve", "raj", "raj@example.com", "--series main..ai/mine"), 0);
	assert_int_equal(verify(f, &out, "main..ai/mine"), 0);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_the_highest_requirement_of_any_commit_applies_to_the_series(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *infra, *plain, *short_infra;

	tl_git(f->repo, "checkout -q -b ai/infra main");
	plain = tl_commit_file(f->repo, "src/p.c", "int p;\n", 3, "Plain" TL_AI_TRAILER);
	infra = tl_commit_file(f->repo, "infra/main.tf", "x = 1\n", 3, "Infra" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	/* Alone, the plain commit needs one approval of anyone: Raj's counts. */
	assert_int_equal(decide(f, &err, "approve", "raj", "raj@example.com", plain), 0);
	assert_int_equal(verify(f, &out, "main..ai/infra"), 1);
	assert_status(out.buf, plain, "approved");
	/* As a series, the infra commit raises it to a senior, for the plain commit too. */
	tl_git(f->repo, "update-ref -d refs/notes/revq");
	assert_int_equal(decide(f, &err, "approve", "raj", "raj@example.com", "--series main..ai/infra"), 0);
	assert_int_equal(verify(f, &out, "main..ai/infra"), 1);
	assert_status(out.buf, plain, "needs-approvals");
	assert_status(out.buf, infra, "needs-approvals");
	assert_contains(out.buf, "needs 1 more senior");
	/* show says which commit raised it. */
	short_infra = tl_git_out(f->repo, "rev-parse --short=10 %s", infra);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", plain), 0);
	assert_contains(out.buf, "path infra/** (infra/main.tf), raised by");
	assert_contains(out.buf, short_infra);
	/* Control: Jane is senior, and her series approval covers both. */
	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com", "--series main..ai/infra"), 0);
	assert_int_equal(verify(f, &out, "main..ai/infra"), 0);
	free(plain);
	free(infra);
	free(short_infra);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_a_series_rejection_rejects_each_commit_of_it_and_nothing_else(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *other;

	tl_git(f->repo, "checkout -q -b ai/other main");
	other = tl_commit_file(f->repo, "src/o.c", "int o;\n", 2, "Other" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(decide(f, &err, "reject", "jane", "jane@example.com", "--series main..ai/x"), 0);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "rejected");
	assert_contains(out.buf, "rejected by jane@example.com: ok");
	/* Control: another branch is not touched by it; approved alone, it passes. */
	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com", other), 0);
	assert_int_equal(verify(f, &out, "main..ai/other"), 0);
	free(other);
	strbuf_release(&out);
	strbuf_release(&err);
}

/*
 * Attack on the gate: an approval taken back (`revq undo --series`, the
 * console's u) must not count any more, for any commit of the series;
 * beside it the legitimate control: another reviewer's approval of the
 * same series still counts, and the withdrawn reviewer can approve again.
 */
static void test_an_undone_series_approval_no_longer_counts_and_others_still_do(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *note;

	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_int_equal(tl_sh_output(f->repo, &out, &err, "GIT_COMMITTER_NAME=Reviewer "
				      "GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" undo --series main..ai/x"), 0);
	assert_contains(out.buf, "withdrew approval of the series");
	note = tl_git_out(f->repo, "notes --ref=revq show %s", f->c[2]);
	assert_contains(note, "revq-series1 withdraw reviewer=\"Reviewer <jane@example.com>\"");
	assert_contains(note, "revq-series1 approve");   /* append-only: the approval stays, superseded */
	free(note);
	assert_int_equal(verify(f, &out, "main..ai/x"), 1);
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "pending");
	/* Twice: nothing left to take back. */
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Reviewer "
				      "GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" undo --series main..ai/x"), 3);
	assert_contains(err.buf, "withdrawn already");
	/* Control: Raj's approval of the same series counts (the tier needs one of anyone). */
	approve_series(f, "raj", "raj@example.com", "main..ai/x");
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	for (int i = 0; i < 3; i++)
		assert_status(out.buf, f->c[i], "approved");
	/* And Jane approving again, in the same second as her withdrawal, counts again. */
	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_contains(out.buf, "jane@example.com");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_bad_series_arguments_are_usage_errors(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com", "--series ai/x"), 2);
	assert_contains(err.buf, "BASE..TIP");
	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com", "--series ai/x..main"), 2);
	assert_contains(err.buf, "not an ancestor");
	assert_int_equal(decide(f, &err, "approve", "jane", "jane@example.com", "--series main..ai/x HEAD"), 2);
	strbuf_release(&err);
}

static void test_the_hook_takes_a_series_approval_and_keeps_it_append_only(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	tl_sh(f->top, "git clone -q --bare %s server.git && "
		      "cp \"$REVQ_SRCDIR\"/share/revq/pre-receive server.git/hooks/ && "
		      "mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq", f->repo);
	tl_git(f->repo, "remote add origin %s/server.git", f->top);
	assert_int_not_equal(tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin ai/x:main",
					  f->top), 0);
	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	assert_int_equal(tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin refs/notes/revq",
				      f->top), 0);
	/* Dropping the series record in a fast-forward is refused. */
	tl_sh(f->repo, "git notes --ref=revq show %s | sed '/revq-series1/d' > ../edited && "
		       "git notes --ref=revq add -f -F ../edited %s", f->c[2], f->c[2]);
	strbuf_reset(&err);
	assert_int_not_equal(tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin "
					  "ai/x:main refs/notes/revq", f->top), 0);
	tl_join_remote_lines(&err);
	assert_contains(err.buf, "loses the line 'revq-series1 approve");
	/* Control: the branch alone, judged with the series record the server holds. */
	strbuf_reset(&err);
	if (tl_sh_output(f->repo, NULL, &err, "PATH=%s/bin:$PATH git push -q origin ai/x:main", f->top))
		fail_msg("push refused:\n%s", err.buf);
	strbuf_release(&err);
}

static void test_records_of_both_kinds_merge_with_cat_sort_uniq(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *note;

	/* Jane approves the series on one notes ref, Raj the tip alone on another. */
	approve_series(f, "jane", "jane@example.com", "main..ai/x");
	tl_git(f->repo, "update-ref refs/notes/mine refs/notes/revq");
	tl_git(f->repo, "update-ref -d refs/notes/revq");
	assert_int_equal(decide(f, NULL, "approve", "raj", "raj@example.com", f->c[2]), 0);
	tl_sh(f->repo, "git notes --ref=revq merge -q -s cat_sort_uniq refs/notes/mine");
	note = tl_git_out(f->repo, "notes --ref=revq show %s", f->c[2]);
	assert_contains(note, "revq-series1 approve");
	assert_contains(note, "revq1 approve");
	free(note);
	assert_int_equal(verify(f, &out, "main..ai/x"), 0);
	assert_status(out.buf, f->c[0], "approved");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_series_approval_covers_each_commit_a_squash_and_a_merge_of_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_approval_says_nothing_about_a_commit_added_after_its_tip,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_approval_says_nothing_about_a_commit_before_its_base,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_rebased_series_is_covered_only_where_its_change_is_byte_identical,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_record_whose_base_was_swapped_counts_for_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_authored_partly_by_the_approver_is_self_approval,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_highest_requirement_of_any_commit_applies_to_the_series,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_rejection_rejects_each_commit_of_it_and_nothing_else,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_undone_series_approval_no_longer_counts_and_others_still_do,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_series_arguments_are_usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_hook_takes_a_series_approval_and_keeps_it_append_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_of_both_kinds_merge_with_cat_sort_uniq, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
