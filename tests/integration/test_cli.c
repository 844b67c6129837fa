/*
 * test_cli.c: the batch front end as scripts use it: finding the
 * repository like git, choosing the target and the candidate refs,
 * detection through configuration, the JSON fields, exit codes, the
 * demo and where the cache lives.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

/* A repository with one AI-assisted commit on ai/x; its id in *id. */
static const char *repo_with_work(char **id)
{
	const char *repo = tl_repo_new();

	tl_git(repo, "checkout -q -b ai/x");
	*id = tl_commit_file(repo, "src/x.c", "int x;\n", 1, "Work on x" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	return repo;
}

/* The number of items `revq ARGS list --json` prints when run in dir. */
static int count_items(const char *dir, const char *args)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int n;

	if (tl_revq(dir, &out, &err, "%s", args))
		fail_msg("revq %s failed: %s", args, err.buf);
	if (!tl_json_valid(out.buf))
		fail_msg("revq %s printed no JSON:\n%s", args, out.buf);
	n = (int)tl_json_length(out.buf, "$");
	strbuf_release(&out);
	strbuf_release(&err);
	return n;
}

static void test_discovery_like_git(void **state)
{
	const char *top = tl_tmpdir();
	char *id;
	const char *repo = repo_with_work(&id);

	(void)state;
	tl_sh(repo, "mkdir -p deep/er");
	tl_write(repo, "deep/er/keep", "");
	assert_int_equal(count_items(repo, "-C deep/er list --json"), 1);
	assert_int_equal(tl_sh(repo, "cd deep/er && \"$REVQ_BIN\" list --json | grep -q %s", id), 0);
	/* A bare clone, a worktree, GIT_DIR. */
	tl_sh(top, "git clone -q --bare %s bare.git && git -C %s worktree add -q %s/wt ai/x", repo, repo, top);
	assert_int_equal(count_items(top, "-C bare.git list --json"), 1);
	assert_int_equal(count_items(top, "-C wt list --json"), 1);
	assert_int_equal(count_items(top, "--git-dir bare.git list --json"), 1);
	assert_int_equal(tl_sh(top, "GIT_DIR=bare.git \"$REVQ_BIN\" list --json | grep -q %s", id), 0);
	free(id);
}

static void test_not_a_repository_and_usage_errors(void **state)
{
	const char *dir = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *id;
	const char *repo = repo_with_work(&id);

	(void)state;
	assert_int_equal(tl_revq(dir, NULL, &err, "list"), 3);
	assert_contains(err.buf, "not a git repository");
	assert_one_line(&err);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "list --no-such-option"), 2);
	assert_contains(err.buf, "no-such-option");
	/* Every message says who speaks: revq, not argv[0] and not the command. */
	assert_true(!strncmp(err.buf, "revq: ", 6));
	assert_not_contains(err.buf, "list: ");
	strbuf_reset(&err);
	/* A directory that is not there is a runtime error, not a usage one. */
	assert_int_equal(tl_revq(repo, NULL, &err, "-C /nonexistent/dir list"), 3);
	assert_contains(err.buf, "revq: cannot change to '/nonexistent/dir'");
	assert_one_line(&err);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "frobnicate"), 2);
	assert_contains(err.buf, "frobnicate");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "list main..no-such-branch"), 3);
	assert_contains(err.buf, "no-such-branch");
	assert_not_contains(err.buf, "-3");   /* no bare libgit2 error code */
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "list --target nowhere"), 3);
	assert_contains(err.buf, "nowhere");
	/* An empty list still names its columns. */
	assert_int_equal(tl_revq(repo, &out, NULL, "list main..main"), 0);
	assert_true(!strncmp(out.buf, "PRIO RISK COMMIT", 16));
	assert_one_line(&out);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "--version"), 0);
	assert_contains(out.buf, "revq " PACKAGE_VERSION);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "--help"), 0);
	assert_contains(out.buf, "verify");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --help"), 0);
	assert_contains(out.buf, "--json");
	free(id);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_target_resolution(void **state)
{
	const char *repo = tl_repo_new(), *top = tl_tmpdir();
	struct strbuf clone = STRBUF_INIT;

	(void)state;
	/* main has two AI commits on top of trunk; ai/x one more. */
	tl_git(repo, "branch -q trunk");
	free(tl_commit_file(repo, "m1.c", "1\n", 3, "On main 1" TL_AI_TRAILER));
	free(tl_commit_file(repo, "m2.c", "2\n", 3, "On main 2" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b ai/x");
	free(tl_commit_file(repo, "x.c", "x\n", 1, "On x" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	/* Default: main (the target is excluded from the candidates). */
	assert_int_equal(count_items(repo, "list --json"), 1);
	assert_int_equal(count_items(repo, "list --json --target trunk"), 3);
	tl_git(repo, "config revq.target trunk");
	assert_int_equal(count_items(repo, "list --json"), 3);
	assert_int_equal(count_items(repo, "list --json --target main"), 1);   /* the flag wins */
	/* A clone: origin/HEAD names the target. */
	tl_sh(top, "git clone -q %s clone", repo);
	strbuf_addf(&clone, "%s/clone", top);
	tl_git(clone.buf, "checkout -q -b mine origin/ai/x");
	assert_int_equal(count_items(clone.buf, "list --json"), 1);
	tl_git(clone.buf, "remote set-head origin trunk");
	assert_int_equal(count_items(clone.buf, "list --json"), 3);
	/* Without main, master. */
	tl_git(repo, "config --unset revq.target");
	tl_git(repo, "branch -q -m main master");
	assert_int_equal(count_items(repo, "list --json"), 1);
	strbuf_release(&clone);
}

static void test_candidate_refs_and_ranges(void **state)
{
	const char *repo = tl_repo_new();

	(void)state;
	tl_git(repo, "checkout -q -b ai/a");
	free(tl_commit_file(repo, "a.c", "a\n", 1, "A" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b team/b main");
	free(tl_commit_file(repo, "b.c", "b\n", 1, "B" TL_AI_TRAILER));
	free(tl_commit_file(repo, "b2.c", "b\n", 1, "B2" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	tl_git(repo, "tag v1 team/b");
	assert_int_equal(count_items(repo, "list --json"), 3);
	tl_git(repo, "config revq.pending 'refs/heads/ai/*'");
	assert_int_equal(count_items(repo, "list --json"), 1);
	tl_git(repo, "config --add revq.pending refs/tags/*");
	assert_int_equal(count_items(repo, "list --json"), 3);
	/* Ranges on the command line replace the candidates. */
	assert_int_equal(count_items(repo, "list --json main..team/b"), 2);
	assert_int_equal(count_items(repo, "list --json team/b~1..team/b"), 1);
	assert_int_equal(count_items(repo, "list --json main..team/b main..ai/a"), 3);
	assert_int_equal(count_items(repo, "list --json --limit 1 main..team/b"), 1);
}

static void test_detection_markers_and_configuration(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(repo, "checkout -q -b work");
	free(tl_commit_file(repo, "1", "1\n", 9, "Copilot\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n"));
	free(tl_commit_file(repo, "2", "2\n", 8, "Generated\n\n\xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n"));
	free(tl_commit_file(repo, "3", "3\n", 7, "Assisted\n\nAssisted-by: some-tool:model-1.0\n"));
	free(tl_commit_file(repo, "4", "4\n", 6, "Flagged\n\nAI-assisted: yes\n"));
	tl_sh(repo, "echo 5 > 5 && git add 5 && GIT_AUTHOR_NAME='Jane Dev (aider)' git commit -q -m 'Aider'");
	free(tl_commit_file(repo, "6", "6\n", 5, "Human with a human co-author\n\nCo-authored-by: Alice <alice@example.com>\n"));
	free(tl_commit_file(repo, "7", "7\n", 4, "Mentions Claude in prose only\n"));
	free(tl_commit_file(repo, "8", "8\n", 3, "House tool\n\nX-Made-By: robo-writer\n"));
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 5);
	assert_contains(out.buf, "trailer Co-authored-by: Copilot");
	assert_contains(out.buf, "Generated with [Claude Code]");
	assert_contains(out.buf, "Assisted-by: some-tool:model-1.0 (unnamed AI tool)");
	assert_contains(out.buf, "AI-assisted: yes");
	assert_contains(out.buf, "(aider)");
	assert_not_contains(out.buf, "Mentions Claude");
	assert_not_contains(out.buf, "Alice");
	/* revq.aiPattern adds a house convention. */
	tl_git(repo, "config revq.aiPattern '^X-Made-By: robo-'");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 6);
	assert_contains(out.buf, "X-Made-By: robo-writer");
	/* --all shows the rest, marked as not AI-assisted. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json --all"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 8);
	assert_contains(out.buf, "\"ai_assisted\": false");
	/* A bad pattern is one clear line. */
	tl_git(repo, "config --add revq.aiPattern '('");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, NULL, &out, "list"), 3);
	assert_contains(out.buf, "revq.aiPattern");
	strbuf_release(&out);
}

/* show: a commit outside the pending set is "not pending"; the age is the shown date's. */
static void test_show_says_not_pending_and_ages_the_date_it_shows(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *merged, *work;

	(void)state;
	merged = tl_commit_file(repo, "m", "m\n", 20, "On main" TL_AI_TRAILER);
	tl_git(repo, "checkout -q -b work");
	tl_write(repo, "w", "w\n");
	tl_sh(repo, "git add w && GIT_AUTHOR_DATE=@%ld GIT_COMMITTER_DATE=@%ld git commit -q -m 'Work%s'",
	      (long)TL_NOW - 10 * 86400, (long)TL_NOW - 3600, TL_AI_TRAILER);
	work = tl_git_out(repo, "rev-parse HEAD");
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "show %s", merged), 0);
	assert_contains(out.buf, "not pending\n");
	assert_not_contains(out.buf, "Status:    pending");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show %s", work), 0);
	assert_not_contains(out.buf, "not pending");
	assert_contains(out.buf, "(10d ago)");   /* authored ten days ago, committed today */
	free(merged);
	free(work);
	strbuf_release(&out);
}

/* show names each marker's registry entry; an edited registry recomputes cached items. */
static void test_markers_name_their_registry_entry_and_the_registry_is_in_the_fingerprint(void **state)
{
	const char *repo = tl_repo_new(), *dir = tl_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *oh, *zed;

	(void)state;
	tl_git(repo, "checkout -q -b work");
	oh = tl_commit_file(repo, "1", "1\n", 3, "Fix\n\nCo-authored-by: openhands <openhands@all-hands.dev>\n");
	zed = tl_commit_file(repo, "2", "2\n", 2, "Tweak\n\nCo-authored-by: Zed Helper <helper@zed.example>\n");
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "show %s", oh), 0);
	assert_contains(out.buf, "trailer Co-authored-by: openhands <openhands@all-hands.dev> (OpenHands)");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show --json %s", oh), 0);
	assert_json_text(out.buf, "$.ai_tools[0]", "OpenHands");
	/* the cache holds both items now; the second is not AI-assisted */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	/* a registry that knows the helper: the cached verdict is recomputed */
	tl_write(dir, "ai-tools", "tool Zed Helper\n# https://zed.example/docs\nemail helper@zed.example\n");
	tl_git(repo, "config revq.aiRegistry '%s/ai-tools'", dir);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_contains(out.buf, "(Zed Helper)");
	assert_not_contains(out.buf, "openhands");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show --json %s", zed), 0);
	assert_json_text(out.buf, "$.ai_tools[0]", "Zed Helper");
	/* a registry that cannot be read is an error, not "no AI commits" */
	tl_git(repo, "config revq.aiRegistry '%s/missing'", dir);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, &err, "list --json"), 3);
	assert_contains(err.buf, "cannot read the AI tool registry");
	assert_int_equal(out.len, 0);
	free(oh);
	free(zed);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_json_fields(void **state)
{
	char *id;
	const char *repo = repo_with_work(&id);
	struct strbuf out = STRBUF_INIT;
	static const char *const fields[] = {
		"$[0].subject", "$[0].author.name", "$[0].author.email", "$[0].date", "$[0].markers[0]",
		"$[0].files", "$[0].added", "$[0].deleted", "$[0].risk", "$[0].priority", "$[0].refs[0]",
		"$[0].status",
	};

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_json_text(out.buf, "$[0].commit", id);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *v = tl_json_text(out.buf, fields[i]);

		if (!*v)
			fail_msg("%s is missing", fields[i]);
		free(v);
	}
	assert_json_text(out.buf, "$[0].author.email", "author@example.com");
	assert_json_text(out.buf, "$[0].date", "2025-12-31T00:00:00+00:00");
	assert_int_equal(tl_json_length(out.buf, "$[0].reasons"), tl_json_length(out.buf, "$[0].reasons"));
	assert_int_equal(tl_json_int(out.buf, "$[0].added"), 1);
	assert_json_text(out.buf, "$[0].status", "pending");
	/* show --json has per-file stats. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "show --json %s", id), 0);
	assert_json_text(out.buf, "$.commit", id);
	assert_contains(out.buf, "src/x.c");
	free(id);
	strbuf_release(&out);
}

static void test_json_reasons_are_structured_and_a_weight_change_recomputes_cached_items(void **state)
{
	char *id;
	const char *repo = repo_with_work(&id);
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_int(out.buf, "$[0].risk"), 7);
	assert_json_text(out.buf, "$[0].risk_reasons[0].signal", "size");
	assert_int_equal(tl_json_int(out.buf, "$[0].risk_reasons[0].points"), 4);
	assert_json_text(out.buf, "$[0].risk_reasons[0].text", "size: 1 line added");
	assert_json_text(out.buf, "$[0].risk_reasons[1].signal", "new-files");
	assert_json_text(out.buf, "$[0].reasons[0]", "+4 size: 1 line added");
	/* The item is cached now; a weight changes the rules' fingerprint. */
	tl_git(repo, "config revq.riskWeight.size 0");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_int(out.buf, "$[0].risk"), 3);
	assert_json_text(out.buf, "$[0].risk_reasons[0].signal", "new-files");
	tl_git(repo, "config revq.riskWeight.bogus 3");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, NULL, &out, "list"), 3);
	assert_contains(out.buf, "unknown revq.riskWeight.bogus");
	free(id);
	strbuf_release(&out);
}

static void test_demo(void **state)
{
	const char *top = tl_tmpdir();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	/* Not a terminal: it builds the repository and prints the list. */
	assert_int_equal(tl_sh_output(top, &out, NULL, "\"$REVQ_BIN\" demo demo-repo </dev/null"), 0);
	assert_contains(out.buf, "Tear down the staging environment");
	assert_int_equal(tl_sh(top, "git -C demo-repo rev-parse --verify -q main >/dev/null"), 0);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "-C demo-repo list --json"), 0);
	assert_true(tl_json_length(out.buf, "$") >= 4);
	/* The riskiest first: the infrastructure teardown. */
	assert_true(tl_json_int(out.buf, "$[0].risk") >= tl_json_int(out.buf, "$[1].risk"));
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "-C demo-repo list --json --all"), 0);
	assert_contains(out.buf, "\"ai_assisted\": false");   /* the human's branch */
	strbuf_release(&out);
}

static void test_cache_location(void **state)
{
	char *id;
	const char *repo = repo_with_work(&id), *xdg = tl_tmpdir();

	(void)state;
	assert_int_equal(count_items(repo, "list --json"), 1);
	assert_int_equal(tl_sh(repo, "test -s .git/revq/cache.db"), 0);
	assert_int_equal(tl_sh(repo, "sqlite3 -version >/dev/null 2>&1 || exit 0; "
				"test \"$(sqlite3 .git/revq/cache.db 'PRAGMA journal_mode')\" = wal"), 0);
	/* A git dir we cannot write: the XDG cache, and one line saying so. */
	tl_sh(repo, "rm -rf .git/revq && chmod a-w .git");
	if (tl_sh(repo, "test -w .git") == 0) {
		tl_sh(repo, "chmod u+w .git");
		free(id);
		skip();   /* root writes anywhere */
	}
	assert_int_equal(tl_sh(repo, "XDG_CACHE_HOME=%s \"$REVQ_BIN\" list --json >/dev/null", xdg), 0);
	tl_sh(repo, "chmod u+w .git");
	assert_int_equal(tl_sh(xdg, "ls revq/*.db >/dev/null 2>&1 || ls revq/*/*.db >/dev/null 2>&1"), 0);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery_like_git),
		cmocka_unit_test(test_not_a_repository_and_usage_errors),
		cmocka_unit_test(test_target_resolution),
		cmocka_unit_test(test_candidate_refs_and_ranges),
		cmocka_unit_test(test_detection_markers_and_configuration),
		cmocka_unit_test(test_markers_name_their_registry_entry_and_the_registry_is_in_the_fingerprint),
		cmocka_unit_test(test_show_says_not_pending_and_ages_the_date_it_shows),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_json_reasons_are_structured_and_a_weight_change_recomputes_cached_items),
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_cache_location),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
