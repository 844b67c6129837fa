/*
 * test_risk_history.c: the risk's history signals (queue/history.c) on
 * real repositories: files fixed often in the year before a commit score,
 * files never fixed do not; only the commit's ancestors count (a fix made
 * after it, which is what a defect label is, never does); an author with
 * no earlier commit gets what revq.riskWeight.new-author gives (nothing by
 * default); the weights turn them on and off; and what
 * the cache keeps gives the same answer as a cold list.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "queue/history.h"
#include "testlib.h"

/* printf into a new string; caller frees. */
static char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *format, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, format);
	strbuf_vaddf(&sb, format, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

/* The JSON text of item `commit` in a list's output ("" when absent); caller frees. */
static char *item_reasons(const char *json, const char *commit)
{
	int64_t n = tl_json_length(json, "$");
	char path[64];

	for (int64_t i = 0; i < n; i++) {
		char *id;
		int same;

		snprintf(path, sizeof(path), "$[%lld].commit", (long long)i);
		id = tl_json_text(json, path);
		same = !strcmp(id, commit);
		free(id);
		if (same) {
			snprintf(path, sizeof(path), "$[%lld].risk_reasons", (long long)i);
			return tl_json_text(json, path);
		}
	}
	return calloc(1, 1);
}

/* Commits the working tree as author email, days_ago before now; returns the id. */
static char *commit_as(const char *dir, const char *email, const char *path, const char *content,
		       int days_ago, const char *message)
{
	long when = (long)TL_NOW - (long)days_ago * 86400;

	tl_write(dir, path, content);
	tl_git(dir, "add -A");
	if (tl_sh(dir, "GIT_AUTHOR_EMAIL=%s GIT_AUTHOR_DATE=@%ld GIT_COMMITTER_DATE=@%ld "
		  "git commit -q -m '%s'", email, when, when, message))
		fail_msg("git commit failed in %s", dir);
	return tl_git_out(dir, "rev-parse HEAD");
}

static void test_fix_kinds_are_read_from_the_message(void **state)
{
	(void)state;
	assert_int_equal(history_fix_kind("ip: print the mtu\n\nFixes: 1234abcd (\"ip: add mtu\")\n"),
			 HISTORY_FIX_MARKED);
	assert_int_equal(history_fix_kind("Revert \"ip: add mtu\"\n\nThis reverts commit 1234abcd.\n"),
			 HISTORY_FIX_MARKED);
	assert_int_equal(history_fix_kind("ip: print the mtu\n\nThis reverts commit 1234abcd.\n"),
			 HISTORY_FIX_MARKED);
	assert_int_equal(history_fix_kind("ip: fix a leak in print_mtu\n"), HISTORY_FIX_SUBJECT);
	assert_int_equal(history_fix_kind("Fixed the build\n"), HISTORY_FIX_SUBJECT);
	/* Not a fix: a word that merely contains "fix", a Fixes: line without a commit id. */
	assert_int_equal(history_fix_kind("ip: add a prefix option\n"), HISTORY_NOT_FIX);
	assert_int_equal(history_fix_kind("ip: add mtu\n\nFixes: the mtu\n"), HISTORY_NOT_FIX);
	assert_int_equal(history_fix_kind(""), HISTORY_NOT_FIX);
}

static void test_a_file_fixed_three_times_last_year_scores_and_a_never_fixed_one_does_not(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT, cold = STRBUF_INIT;
	char *add, *fixes, *foo, *bar, *r, *line;

	(void)state;
	add = tl_commit_file(repo, "lib/foo.c", "int foo;\n", 29, "Add foo\n");
	free(tl_commit_file(repo, "lib/bar.c", "int bar;\n", 29, "Add bar\n"));
	fixes = fmt("foo: check the length\n\nFixes: %s (\"Add foo\")\n", add);
	free(tl_commit_file(repo, "lib/foo.c", "int foo = 1;\n", 20, fixes));
	free(tl_commit_file(repo, "lib/foo.c", "int foo = 2;\n", 15, "foo: fix a leak\n"));
	free(tl_commit_file(repo, "lib/foo.c", "int foo = 1;\n", 12, "Revert \"foo: fix a leak\"\n"));
	/* A fix of more than a year before (a skewed clock) is not "the last year". */
	free(tl_commit_file(repo, "lib/bar.c", "int bar = 1;\n", 400, "bar: fix it\n\nFixes: 1234567\n"));
	tl_git(repo, "checkout -q -b ai/foo main");
	foo = tl_commit_file(repo, "lib/foo.c", "int foo = 3;\n", 2, "Tune foo" TL_AI_TRAILER);
	tl_git(repo, "checkout -q -b ai/bar main");
	bar = tl_commit_file(repo, "lib/bar.c", "int bar = 3;\n", 2, "Tune bar" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");

	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	r = item_reasons(out.buf, foo);
	assert_contains(r, "\"signal\":\"fix-history\"");
	/* 2 units for a Fixes: trailer, 2 for the revert, 1 for the "fix" subject: 3 points. */
	assert_contains(r, "\"points\":3");
	assert_contains(r, "\"path\":\"lib/foo.c\"");
	assert_contains(r, "file fixed 3 times in the last year: lib/foo.c");
	free(r);
	r = item_reasons(out.buf, bar);
	assert_not_contains(r, "fix-history");
	free(r);
	/* The console's reasons read the same. */
	line = fmt("+3 file fixed 3 times in the last year: %s", "lib/foo.c");
	strbuf_reset(&cold);
	assert_int_equal(tl_revq(repo, &cold, NULL, "list"), 0);
	assert_contains(cold.buf, "Tune foo");
	strbuf_reset(&cold);
	assert_int_equal(tl_revq(repo, &cold, NULL, "show %s", foo), 0);
	assert_contains(cold.buf, line);

	/* From an empty cache: the same answer as with the fixes' files cached. */
	strbuf_reset(&cold);
	assert_int_equal(tl_revq(repo, NULL, NULL, "cache rebuild"), 0);
	assert_int_equal(tl_revq(repo, &cold, NULL, "list --json"), 0);
	assert_string_equal(cold.buf, out.buf);

	/* revq.riskWeight.fix-history = 0 turns it off. */
	tl_git(repo, "config revq.riskWeight.fix-history 0");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	r = item_reasons(out.buf, foo);
	assert_not_contains(r, "fix-history");
	free(r);
	free(line);
	free(fixes);
	free(add);
	free(foo);
	free(bar);
	strbuf_release(&out);
	strbuf_release(&cold);
}

static void test_a_fix_made_after_the_commit_does_not_count_and_an_earlier_pending_one_does(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *base, *first, *fix, *later, *msg, *r;

	(void)state;
	base = tl_commit_file(repo, "src/baz.c", "int baz;\n", 28, "Add baz\n");
	/* A window of pending commits, as bench/risk lists them: first, its fix, a later change. */
	first = tl_commit_file(repo, "src/baz.c", "int baz = 1;\n", 10, "Tune baz\n");
	msg = fmt("baz: restore the value\n\nFixes: %s (\"Tune baz\")\n", first);
	fix = tl_commit_file(repo, "src/baz.c", "int baz = 0;\n", 8, msg);
	later = tl_commit_file(repo, "src/baz.c", "int baz = 2;\n", 4, "Tune baz again\n");

	assert_int_equal(tl_revq(repo, &out, NULL, "list --all --json --target %s %s..main", base, base), 0);
	/* The fix came after `first`: its label, never its score. */
	r = item_reasons(out.buf, first);
	assert_not_contains(r, "fix-history");
	free(r);
	/* The fix is pending too, and is history for the later commit. */
	r = item_reasons(out.buf, later);
	assert_contains(r, "\"signal\":\"fix-history\"");
	assert_contains(r, "file fixed 1 time in the last year: src/baz.c");
	free(r);
	free(msg);
	free(base);
	free(first);
	free(fix);
	free(later);
	strbuf_release(&out);
}

static void test_an_author_with_no_earlier_commit_is_new_and_a_regular_one_is_not(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *base, *regular, *newcomer, *again, *r;

	(void)state;
	base = tl_git_out(repo, "rev-parse HEAD");
	regular = commit_as(repo, "author@example.com", "a.c", "int a;\n", 9, "Add a");
	newcomer = commit_as(repo, "first-timer@example.org", "b.c", "int b;\n", 8, "Add b");
	again = commit_as(repo, "first-timer@example.org", "c.c", "int c;\n", 7, "Add c");

	/* Off by default (bench/README): revq.riskWeight.new-author turns it on. */
	assert_int_equal(tl_revq(repo, &out, NULL, "list --all --json --target %s %s..main", base, base), 0);
	r = item_reasons(out.buf, newcomer);
	assert_not_contains(r, "new-author");
	free(r);
	tl_git(repo, "config revq.riskWeight.new-author 2");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --all --json --target %s %s..main", base, base), 0);
	r = item_reasons(out.buf, newcomer);
	assert_contains(r, "\"signal\":\"new-author\",\"points\":2");
	assert_contains(r, "new author: no earlier commit by first-timer@example.org in the last year");
	free(r);
	/* The initial commit was the regular author's; the newcomer's second commit has the first. */
	r = item_reasons(out.buf, regular);
	assert_not_contains(r, "new-author");
	free(r);
	r = item_reasons(out.buf, again);
	assert_not_contains(r, "new-author");
	free(r);

	free(base);
	free(regular);
	free(newcomer);
	free(again);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_kinds_are_read_from_the_message),
		cmocka_unit_test(test_a_file_fixed_three_times_last_year_scores_and_a_never_fixed_one_does_not),
		cmocka_unit_test(test_a_fix_made_after_the_commit_does_not_count_and_an_earlier_pending_one_does),
		cmocka_unit_test(test_an_author_with_no_earlier_commit_is_new_and_a_regular_one_is_not),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
