/*
 * test_queue.c: the queue end to end on real repositories: which commits
 * are pending, which are AI-assisted, and in what order they come.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static void test_pending_ai_commits_are_listed_in_priority_order(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *risky, *docs, *human;

	(void)state;
	tl_git(repo, "checkout -q -b ai/infra main");
	risky = tl_commit_file(repo, "infra/main.tf", "resource \"x\" \"y\" {\n  force_destroy = true\n}\n",
			       1, "Rework infra" TL_AI_TRAILER);
	tl_git(repo, "checkout -q -b ai/docs main");
	docs = tl_commit_file(repo, "docs/a.md", "typo fixed\n", 1, "Fix typo" TL_AI_TRAILER);
	tl_git(repo, "checkout -q -b human main");
	human = tl_commit_file(repo, "src/a.c", "int a;\n", 1, "Human change\n");
	tl_git(repo, "checkout -q main");

	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_true(tl_json_valid(out.buf));
	assert_int_equal(tl_json_length(out.buf, "$"), 2);
	assert_json_text(out.buf, "$[0].commit", risky);
	assert_json_text(out.buf, "$[1].commit", docs);
	assert_true(tl_json_int(out.buf, "$[0].risk") > tl_json_int(out.buf, "$[1].risk"));
	assert_json_text(out.buf, "$[0].refs[0]", "ai/infra");
	assert_json_text(out.buf, "$[0].status", "pending");
	assert_not_contains(out.buf, human);

	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json --all"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 3);
	assert_contains(out.buf, human);
	strbuf_release(&out);
	free(risky);
	free(docs);
	free(human);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pending_ai_commits_are_listed_in_priority_order),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
