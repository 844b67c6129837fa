/*
 * test_risk_message.c: the risk-v5 signals on real repositories: a commit
 * whose message runs to many lines gets the "message" term (a short one
 * does not, revq.riskWeight.message=0 turns it off and the cached list
 * follows the weight), and kernel headers copied into a project
 * (include/uapi/, kernel-headers/) count a quarter, as vendored files do,
 * while the same lines in a source file count in full.
 */
#include "config.h"

#include <string.h>

#include "base/strbuf.h"
#include "testlib.h"

/* revq's structured reasons for the only pending commit of base..main; caller frees. */
static char *only_reasons(const char *repo, const char *base)
{
	struct strbuf out = STRBUF_INIT;
	char *reasons;

	assert_int_equal(tl_revq(repo, &out, NULL, "list --all --json --target %s %s..main", base, base), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	reasons = tl_json_text(out.buf, "$[0].risk_reasons");
	strbuf_release(&out);
	return reasons;
}

static void test_a_sixteen_line_message_scores_six_and_a_short_one_nothing(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf msg = STRBUF_INIT;
	char *base, *r;

	(void)state;
	strbuf_addstr(&msg, "net: rework the queue\n\n");
	for (int i = 0; i < 13; i++)
		strbuf_addf(&msg, "Line %d of why the queue changes.\n", i);
	strbuf_addstr(&msg, "\nSigned-off-by: A U Thor <author@example.com>\nReviewed-by: R <r@example.com>\n");
	base = tl_git_out(repo, "rev-parse HEAD");
	free(tl_commit_file(repo, "src/queue.c", "int queue;\n", 2, msg.buf));
	r = only_reasons(repo, base);
	assert_contains(r, "\"signal\":\"message\",\"points\":6");
	assert_contains(r, "long commit message: 16 lines (a change that needs explaining)");
	free(r);
	/* The weight is part of the model: the cached list recomputes with it. */
	tl_git(repo, "config revq.riskWeight.message 0");
	r = only_reasons(repo, base);
	assert_not_contains(r, "\"signal\":\"message\"");
	free(r);
	free(base);

	base = tl_git_out(repo, "rev-parse HEAD");
	tl_git(repo, "config --unset revq.riskWeight.message");
	free(tl_commit_file(repo, "src/queue.c", "int queue = 1;\n", 1, "queue: start at one\n\nSigned-off-by: A <a@x>\n"));
	r = only_reasons(repo, base);
	assert_not_contains(r, "\"signal\":\"message\"");
	free(r);
	free(base);
	strbuf_release(&msg);
}

static void test_copied_kernel_headers_count_a_quarter_and_source_lines_in_full(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf lines = STRBUF_INIT;
	char *base, *r;

	(void)state;
	for (int i = 0; i < 64; i++)
		strbuf_addf(&lines, "#define IFLA_FOO_%d %d\n", i, i);
	base = tl_git_out(repo, "rev-parse HEAD");
	free(tl_commit_file(repo, "include/uapi/linux/if_foo.h", lines.buf, 2, "Update kernel headers"));
	r = only_reasons(repo, base);
	assert_contains(r, "\"signal\":\"size\",\"points\":20");
	assert_contains(r, "64 lines added, 64 of them documentation, translations, vendored or generated");
	free(r);
	free(base);

	base = tl_git_out(repo, "rev-parse HEAD");
	free(tl_commit_file(repo, "lib/foo.h", lines.buf, 1, "Add foo constants"));
	r = only_reasons(repo, base);
	assert_contains(r, "\"signal\":\"size\",\"points\":28");
	assert_not_contains(r, "vendored");
	free(r);
	free(base);
	strbuf_release(&lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_sixteen_line_message_scores_six_and_a_short_one_nothing),
		cmocka_unit_test(test_copied_kernel_headers_count_a_quarter_and_source_lines_in_full),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
