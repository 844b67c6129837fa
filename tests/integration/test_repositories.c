/*
 * test_repositories.c: revq on the repositories real life produces: root
 * commits, merges, renames, binary files, an empty repository, a detached
 * HEAD, a shallow clone, a non-UTF-8 message, a 20,000-line diff and a
 * corrupt cache.  Each gives the right answer, or one clear line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* `revq show --json` of rev in repo; caller releases out. */
static void show(const char *repo, const char *rev, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;

	strbuf_reset(out);
	if (tl_revq(repo, out, &err, "show --json %s", rev))
		fail_msg("revq show %s failed: %s", rev, err.buf);
	if (!tl_json_valid(out->buf))
		fail_msg("not JSON:\n%s", out->buf);
	strbuf_release(&err);
}

static void test_root_commit_is_diffed_against_the_empty_tree(void **state)
{
	const char *repo = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	tl_git(repo, "init -q -b ai/start");
	tl_write(repo, "a.txt", "one\ntwo\n");
	tl_write(repo, "deploy.sh", "#!/bin/sh\nrm -rf /var/www\n");
	free(tl_commit(repo, 1, "Start" TL_AI_TRAILER));
	/* No target branch at all: one line saying what to do. */
	assert_int_equal(tl_revq(repo, NULL, &err, "list"), 3);
	assert_contains(err.buf, "no target branch");
	assert_contains(err.buf, "--target");
	/* An unrelated main: the root commit is pending and has no parent. */
	tl_git(repo, "checkout -q --orphan main");
	tl_git(repo, "rm -q -rf .");
	free(tl_commit_file(repo, "README", "main\n", 2, "Main"));
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	show(repo, "ai/start", &out);
	assert_int_equal(tl_json_int(out.buf, "$.added"), 4);
	assert_int_equal(tl_json_int(out.buf, "$.deleted"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.files"), 2);
	assert_contains(out.buf, "rm -rf");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_merge_is_diffed_against_its_parents_merged_again(void **state)
{
	const char *repo = tl_repo_new(), *clone = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b side");
	free(tl_commit_file(repo, "side.txt", "a\nb\nc\n", 3, "Side work"));
	tl_git(repo, "checkout -q -b ai/merge main");
	free(tl_commit_file(repo, "mine.txt", "x\n", 2, "Mine"));
	tl_git(repo, "merge -q --no-ff side -m 'Merge side' -m 'Co-Authored-By: Claude <noreply@anthropic.com>'");
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_json_text(out.buf, "$[0].subject", "Merge side");
	/* A clean merge introduces nothing: side.txt is Side work's, judged there. */
	assert_int_equal(tl_json_int(out.buf, "$[0].added"), 0);
	assert_int_equal(tl_json_int(out.buf, "$[0].files"), 0);
	/* Without its parents (a shallow clone) it falls back to more, never less. */
	tl_sh(clone, "git clone -q --depth 1 --no-local -b ai/merge '%s' c 2>/dev/null", repo);
	strbuf_reset(&out);
	if (tl_revq(clone, &out, &err, "-C c show --json --target ai/merge HEAD"))
		fail_msg("show in a shallow clone: %s", err.buf);
	assert_json_text(out.buf, "$.diff_base", "first-parent (the parents could not be merged again)");
	/* Its first parent is missing too: against the empty tree, all five lines. */
	assert_int_equal(tl_json_int(out.buf, "$.added"), 5);
	assert_contains(err.buf, "scored by its first-parent diff");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_rename_and_binary_and_mode_change(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT;

	(void)state;
	for (int i = 0; i < 50; i++)
		strbuf_addf(&text, "line %d of a file that will move\n", i);
	tl_write(repo, "old/name.c", text.buf);
	tl_write(repo, "run.sh", "echo hi\n");
	free(tl_commit(repo, 5, "Base"));
	tl_git(repo, "checkout -q -b ai/x");
	tl_sh(repo, "mkdir -p new && git mv old/name.c new/name.c");
	tl_write_bytes(repo, "logo.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01", 20);
	tl_git(repo, "update-index --chmod=+x run.sh");
	tl_sh(repo, "chmod +x run.sh");
	free(tl_commit(repo, 1, "Move, add a logo, make run.sh executable" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	show(repo, "ai/x", &out);
	assert_contains(out.buf, "renamed");
	assert_contains(out.buf, "new/name.c");
	assert_contains(out.buf, "binary");
	assert_contains(out.buf, "executable");
	/* A pure move adds and deletes no lines, and deletes no file. */
	assert_int_equal(tl_json_int(out.buf, "$.added"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.deleted"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.files"), 3);
	assert_not_contains(out.buf, "deletes");
	/* and earns no size points; only the logo counts as a file added */
	assert_not_contains(out.buf, "\"signal\": \"size\"");
	assert_contains(out.buf, "adds 1 file");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show ai/x"), 0);
	assert_contains(out.buf, "old/name.c");
	strbuf_release(&out);
	strbuf_release(&text);
}

static void test_empty_repository(void **state)
{
	const char *repo = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	tl_git(repo, "init -q");
	assert_int_equal(tl_revq(repo, &out, &err, "list --json"), 0);
	assert_string_equal(out.buf, "[]\n");
	assert_string_equal(err.buf, "");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, &err, "verify"), 0);
	assert_contains(err.buf, "nothing to verify");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "show HEAD"), 3);
	assert_contains(err.buf, "HEAD");
	assert_one_line(&err);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_detached_head(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *id;

	(void)state;
	tl_git(repo, "checkout -q -b ai/x");
	id = tl_commit_file(repo, "a.c", "int a;\n", 1, "Detached work" TL_AI_TRAILER);
	tl_git(repo, "checkout -q --detach %s", id);
	tl_git(repo, "branch -q -D ai/x");
	/* On no branch, but a detached HEAD is a candidate too. */
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_json_text(out.buf, "$[0].refs[0]", "HEAD");
	/* Back on main, the work is no longer pending, unless named as a range. */
	tl_git(repo, "checkout -q main");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 0);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json main..%s", id), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_json_text(out.buf, "$[0].commit", id);
	free(id);
	strbuf_release(&out);
}

static void test_shallow_clone(void **state)
{
	const char *repo = tl_repo_new(), *top = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, clone = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b ai/x");
	for (int i = 0; i < 5; i++)
		free(tl_commit_file(repo, "a.txt", i % 2 ? "odd\n" : "even\n", 5 - i, "Step" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	tl_sh(top, "git clone -q --depth 2 --no-single-branch file://%s clone", repo);
	strbuf_addf(&clone, "%s/clone", top);
	tl_git(clone.buf, "branch -q ai/x origin/ai/x");
	assert_int_equal(tl_revq(clone.buf, &out, &err, "list --json"), 0);
	/* Only the commits the clone has; the shallow boundary is not a root. */
	assert_int_equal(tl_json_length(out.buf, "$"), 2);
	assert_not_contains(err.buf, "error");
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&clone);
}

static void test_non_utf8_message_and_name(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b ai/x");
	tl_write(repo, "a.txt", "x\n");
	tl_git(repo, "add a.txt");
	tl_sh(repo, "printf 'R\\351sum\\351 \\033[31mred\\n\\nCo-Authored-By: Claude <noreply@anthropic.com>\\n' > msg && "
		    "GIT_AUTHOR_NAME=\"$(printf 'Jos\\351')\" git -c i18n.commitEncoding=ISO-8859-1 commit -q -F msg");
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "list"), 0);
	/* The declared encoding is honoured; the escape is shown, not sent. */
	assert_contains(out.buf, "R\xc3\xa9sum\xc3\xa9 ^[[31mred");
	assert_contains(out.buf, "Jos\\xe9");
	/* Without a declared encoding, invalid bytes are shown as such. */
	tl_git(repo, "checkout -q ai/x");
	tl_write(repo, "b.txt", "y\n");
	tl_git(repo, "add b.txt");
	/* git commit would re-encode the message: write the object directly. */
	tl_sh(repo, "{ printf 'tree %%s\\nparent %%s\\n' $(git write-tree) $(git rev-parse HEAD); "
		    "printf 'author A <a@example.com> 1767225600 +0000\\ncommitter A <a@example.com> 1767225600 +0000\\n\\n'; "
		    "printf 'Na\\357ve\\n\\nCo-Authored-By: Claude <noreply@anthropic.com>\\n'; } > raw && "
		    "git update-ref refs/heads/ai/x $(git hash-object -t commit -w --literally raw)");
	tl_git(repo, "checkout -q -f main");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list"), 0);
	assert_contains(out.buf, "Na\\xefve");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_true(tl_json_valid(out.buf));
	assert_int_equal(tl_json_length(out.buf, "$"), 2);
	strbuf_release(&out);
}

static void test_twenty_thousand_line_diff(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b ai/big");
	tl_sh(repo, "seq 1 20000 | sed 's/^/generated line /' > big.txt");
	free(tl_commit(repo, 1, "Generate a big file" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	show(repo, "ai/big", &out);
	assert_int_equal(tl_json_int(out.buf, "$.added"), 20000);
	assert_contains(out.buf, "large change");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show ai/big"), 0);
	assert_contains(out.buf, "big.txt");
	strbuf_release(&out);
}

static void test_corrupt_cache_is_rebuilt_and_said_so(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b ai/x");
	free(tl_commit_file(repo, "infra/main.tf", "resource \"a\" \"b\" {}\n", 1, "Infra" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &before, NULL, "list"), 0);
	tl_sh(repo, "head -c 4096 /dev/urandom > .git/revq/cache.db; rm -f .git/revq/cache.db-wal .git/revq/cache.db-shm");
	assert_int_equal(tl_revq(repo, &after, &err, "list"), 0);
	assert_string_equal(after.buf, before.buf);
	assert_contains(err.buf, "cache");
	assert_one_line(&err);
	/* The rebuilt cache is quiet next time. */
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "list"), 0);
	assert_string_equal(err.buf, "");
	/* And rebuilt on request. */
	assert_int_equal(tl_revq(repo, NULL, NULL, "cache rebuild"), 0);
	strbuf_reset(&after);
	assert_int_equal(tl_revq(repo, &after, NULL, "list"), 0);
	assert_string_equal(after.buf, before.buf);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&err);
}

/*
 * Attributes cannot hide lines from review: "-diff" or "binary" in the
 * repository's .gitattributes (checked out, and added by the commit
 * itself) leave the counts and the scan of added lines as they are.
 */
static void test_attributes_do_not_hide_lines(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	free(tl_commit_file(repo, ".gitattributes", "*.tf -diff\n*.sh binary\n", 3, "Attributes"));
	tl_git(repo, "checkout -q -b ai/hide");
	tl_write(repo, "infra/main.tf", "resource \"a\" \"b\" {}\n# terraform destroy -auto-approve\n");
	tl_write(repo, "deploy.sh", "#!/bin/sh\nrm -rf /srv/data\n");
	tl_write(repo, ".gitattributes", "*.tf -diff\n*.sh binary\n*.py -diff\n");
	tl_write(repo, "a.py", "import os\nos.system('rm -rf /')\n");
	free(tl_commit(repo, 1, "Hide it" TL_AI_TRAILER));
	show(repo, "ai/hide", &out);
	assert_int_equal(tl_json_int(out.buf, "$.added"), 7);
	assert_int_equal(tl_json_int(out.buf, "$.files"), 4);
	assert_not_contains(out.buf, "\"binary\": true");
	assert_contains(out.buf, "terraform destroy");
	assert_contains(out.buf, "rm -rf");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_commit_is_diffed_against_the_empty_tree),
		cmocka_unit_test(test_merge_is_diffed_against_its_parents_merged_again),
		cmocka_unit_test(test_rename_and_binary_and_mode_change),
		cmocka_unit_test(test_attributes_do_not_hide_lines),
		cmocka_unit_test(test_empty_repository),
		cmocka_unit_test(test_detached_head),
		cmocka_unit_test(test_shallow_clone),
		cmocka_unit_test(test_non_utf8_message_and_name),
		cmocka_unit_test(test_twenty_thousand_line_diff),
		cmocka_unit_test(test_corrupt_cache_is_rebuilt_and_said_so),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
