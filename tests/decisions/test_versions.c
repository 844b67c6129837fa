/*
 * test_versions.c: re-review of a new version, with real ssh keys and
 * real repositories: a rebased commit with one line changed is found as
 * the new version of the approved one (by Change-Id, by the branch's
 * reflog, by author and subject), its interdiff shows exactly that line
 * and the old approval does not cover it; a byte-identical rebase stays
 * covered; a conflicting rebase falls back to comparing the trees.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define JANE "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "

struct fixture {
	const char *repo;
	const char *keys;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* A 30-line file, line `changed` (1-based, 0: none) replaced by `text`. */
static void write_lines(const char *repo, int changed, const char *text, int other, const char *other_text)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 1; i <= 30; i++) {
		if (i == changed)
			strbuf_addf(&sb, "%s\n", text);
		else if (i == other)
			strbuf_addf(&sb, "%s\n", other_text);
		else
			strbuf_addf(&sb, "line %d\n", i);
	}
	tl_write(repo, "src/a.c", sb.buf);
	strbuf_release(&sb);
}

/* main has src/a.c; ai/x changes line 5; jane approves it; main then changes line 25. */
static char *approved_change(struct fixture *f, const char *message)
{
	char *old;

	write_lines(f->repo, 0, NULL, 0, NULL);
	free(tl_commit(f->repo, 5, "Add a.c"));
	tl_git(f->repo, "checkout -q -b ai/x");
	write_lines(f->repo, 5, "line five, fixed", 0, NULL);
	old = tl_commit(f->repo, 3, message);
	assert_int_equal(tl_sh(f->repo, JANE "\"$REVQ_BIN\" approve %s >/dev/null", old), 0);
	tl_git(f->repo, "checkout -q main");
	write_lines(f->repo, 25, "line 25 on main", 0, NULL);
	free(tl_commit(f->repo, 2, "Main moves on"));
	return old;
}

/* ai/x rebased onto main; with `extra`, line 6 changed too, amended into the same commit. */
static char *rebase(struct fixture *f, const char *extra, const char *message)
{
	tl_git(f->repo, "checkout -q ai/x");
	tl_git(f->repo, "rebase -q main");
	if (extra) {
		assert_int_equal(tl_sh(f->repo, "sed -i 's/^line 6$/%s/' src/a.c", extra), 0);
		tl_write(f->repo, "msg", message);
		tl_git(f->repo, "commit -q -a -F msg");
	}
	tl_git(f->repo, "checkout -q main");
	return tl_git_out(f->repo, "rev-parse ai/x");
}

static void assert_verify(struct fixture *f, const char *expected)
{
	struct strbuf out = STRBUF_INIT;

	tl_revq(f->repo, &out, NULL, "verify --json main..ai/x");
	assert_contains(out.buf, expected);
	strbuf_release(&out);
}

static char *show_json(struct fixture *f, const char *commit)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "show --json %s", commit), 0);
	return strbuf_detach(&out, NULL);
}

/* Lines of patch that start with c (and are not the ---/+++ headers). */
static int count_lines(const char *patch, char c)
{
	int n = 0;

	for (const char *p = patch; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (*p == c && strncmp(p, "---", 3) && strncmp(p, "+++", 3))
			n++;
	return n;
}

static void test_a_rebased_commit_with_one_changed_line_shows_exactly_that_line_and_is_not_covered(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER "Change-Id: I0123abcd\n");
	char *new = rebase(f, "line six, changed after review", "Fix five" TL_AI_TRAILER "Change-Id: I0123abcd\n");
	char *json = show_json(f, new), *got, *patch;

	/* The attack: the old approval must not cover a version with a line it never saw. */
	assert_verify(f, "\"status\": \"pending\"");
	got = tl_json_text(json, "$.earlier_version.commit");
	assert_string_equal(got, old);
	free(got);
	got = tl_json_text(json, "$.earlier_version.matched_by");
	assert_string_equal(got, "change-id");
	free(got);
	patch = tl_json_text(json, "$.earlier_version.interdiff");
	if (count_lines(patch, '-') != 1)
		fail_msg("not one line taken away:\n%s", patch);
	assert_int_equal(count_lines(patch, '+'), 1);
	assert_contains(patch, "-line 6\n");
	assert_contains(patch, "+line six, changed after review\n");
	/* main's line 25 is the rebase, not the change: it is not in the interdiff. */
	assert_false(tl_contains(patch, "line 25"));
	assert_int_equal(tl_json_int(json, "$.earlier_version.interdiff_fallback"), 0);
	assert_int_equal(tl_json_length(json, "$.earlier_version.decisions"), 1);
	got = tl_json_text(json, "$.earlier_version.summary");
	assert_contains(got, "reviewed by jane@example.com");
	assert_contains(got, "(approved)");
	free(got);
	free(patch);
	free(json);
	free(old);
	free(new);
}

static void test_the_queue_marks_a_new_version_and_lists_it_for_its_earlier_reviewer(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER "Change-Id: Iqueue\n");
	char *new = rebase(f, "line six again", "Fix five" TL_AI_TRAILER "Change-Id: Iqueue\n"), *got;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json"), 0);
	got = tl_json_text(out.buf, "$[0].new_version_of");
	assert_string_equal(got, old);
	free(got);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list"), 0);
	assert_contains(out.buf, "[new version] Fix five");
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(f->repo, &out, &err, JANE "\"$REVQ_BIN\" list --for-me"), 0);
	assert_contains(out.buf, "[new version] Fix five");
	assert_contains(err.buf, "1 needs you");
	strbuf_release(&out);
	strbuf_release(&err);
	free(old);
	free(new);
}

static void test_a_byte_identical_rebase_stays_covered_and_has_an_empty_interdiff(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER);
	char *new = rebase(f, NULL, NULL);
	char *json = show_json(f, new), *got;
	struct strbuf out = STRBUF_INIT;

	assert_string_not_equal(old, new);
	assert_verify(f, "\"status\": \"approved\"");
	got = tl_json_text(json, "$.earlier_version.matched_by");
	assert_string_equal(got, "branch");   /* the reflog of ai/x names the approved commit */
	free(got);
	got = tl_json_text(json, "$.earlier_version.interdiff");
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", new), 0);
	assert_contains(out.buf, "Version:   new version of");
	assert_contains(out.buf, "none: this version changes what the earlier one changed, byte for byte");
	strbuf_release(&out);
	free(json);
	free(old);
	free(new);
}

static void test_a_new_version_is_found_by_author_and_subject_without_a_branch(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER), *new, *json, *got;

	/* Another branch, no reflog in common: only the author and subject tie them. */
	tl_git(f->repo, "checkout -q -b ai/y main");
	write_lines(f->repo, 5, "line five, fixed", 6, "line six too");
	tl_write(f->repo, "msg", "Fix five" TL_AI_TRAILER);
	tl_git(f->repo, "commit -q -a -F msg");
	new = tl_git_out(f->repo, "rev-parse HEAD");
	tl_git(f->repo, "checkout -q main");
	json = show_json(f, new);
	got = tl_json_text(json, "$.earlier_version.matched_by");
	assert_string_equal(got, "subject");
	free(got);
	got = tl_json_text(json, "$.earlier_version.commit");
	assert_string_equal(got, old);
	free(got);
	free(json);
	free(old);
	free(new);
}

static void test_an_unrelated_commit_has_no_earlier_version(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER), *new, *json;

	tl_git(f->repo, "checkout -q -b ai/z main");
	new = tl_commit_file(f->repo, "src/b.c", "int b;\n", 1, "Something else" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	json = show_json(f, new);
	assert_contains(json, "\"earlier_version\": null");
	/* The decided commit itself, and its descendants, are not new versions of it. */
	free(json);
	json = show_json(f, old);
	assert_contains(json, "\"earlier_version\": null");
	free(json);
	free(old);
	free(new);
}

static void test_a_rebase_that_conflicts_falls_back_to_the_touched_paths(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix five" TL_AI_TRAILER "Change-Id: Iconflict\n"), *new, *json, *patch;
	struct strbuf out = STRBUF_INIT;

	/* main rewrites line 5 itself: the old change no longer applies; the new version resolves it. */
	write_lines(f->repo, 5, "line 5 on main", 25, "line 25 on main");
	free(tl_commit_file(f->repo, "README", "other\n", 1, "Main touches five"));
	tl_git(f->repo, "add src/a.c");
	tl_git(f->repo, "commit -q --amend --no-edit");
	tl_git(f->repo, "checkout -q -b ai/w main");
	write_lines(f->repo, 5, "line five, resolved", 25, "line 25 on main");
	tl_write(f->repo, "msg", "Fix five again" TL_AI_TRAILER "Change-Id: Iconflict\n");
	tl_git(f->repo, "commit -q -a -F msg");
	new = tl_git_out(f->repo, "rev-parse HEAD");
	tl_git(f->repo, "checkout -q main");
	json = show_json(f, new);
	assert_int_equal(tl_json_int(json, "$.earlier_version.interdiff_fallback"), 1);
	patch = tl_json_text(json, "$.earlier_version.interdiff");
	assert_contains(patch, "-line five, fixed\n");
	assert_contains(patch, "+line five, resolved\n");
	assert_false(tl_contains(patch, "README"));
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", new), 0);
	assert_contains(out.buf, "the earlier change does not apply on the new parent");
	strbuf_release(&out);
	free(patch);
	free(json);
	free(old);
	free(new);
}

static void test_a_hostile_change_id_and_subject_are_escaped(void **state)
{
	struct fixture *f = *state;
	char *old = approved_change(f, "Fix \033[2Jfive" TL_AI_TRAILER "Change-Id: I\033]0;pwned\007x\n");
	char *new = rebase(f, "six", "Fix \033[2Jfive" TL_AI_TRAILER "Change-Id: I\033]0;pwned\007x\n");
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", new), 0);
	assert_contains(out.buf, "Change-Id:");
	assert_false(tl_contains(out.buf, "\033"));
	assert_false(tl_contains(out.buf, "\007"));
	strbuf_release(&out);
	free(old);
	free(new);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_rebased_commit_with_one_changed_line_shows_exactly_that_line_and_is_not_covered, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_the_queue_marks_a_new_version_and_lists_it_for_its_earlier_reviewer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_byte_identical_rebase_stays_covered_and_has_an_empty_interdiff,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_version_is_found_by_author_and_subject_without_a_branch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_unrelated_commit_has_no_earlier_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_rebase_that_conflicts_falls_back_to_the_touched_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_hostile_change_id_and_subject_are_escaped, setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
