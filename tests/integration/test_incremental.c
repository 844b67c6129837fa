/*
 * test_incremental.c: the queue after a change, read from what the cache
 * kept (the last snapshot's walk and its pack of items, store/cache.h),
 * is the queue a cold cache gives, item for item: after a new commit, an
 * amend, a rebase, a deleted branch, the target moved forward past
 * pending commits or forced back, a replace ref, an AI attribution note.
 * The cache stays bounded over many snapshots, and a damaged or foreign
 * walk in it is walked again, never believed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testlib.h"

static int64_t query_int(const char *repo, const char *sql)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v;

	strbuf_addf(&path, "%s/.git/revq/cache.db", repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&path);
	return v;
}

static void exec_sql(const char *repo, const char *sql)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db;
	char *msg = NULL;

	strbuf_addf(&path, "%s/.git/revq/cache.db", repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
	strbuf_release(&path);
}

/* Three AI branches of several commits and a human one, listed once (the cache warm). */
static const char *make_queue(void)
{
	const char *repo = tl_repo_new();

	tl_git(repo, "checkout -q -b ai/a");
	for (int i = 0; i < 4; i++) {
		char content[32];

		snprintf(content, sizeof(content), "step %d\n", i);
		free(tl_commit_file(repo, "src/a.c", content, 5 - i, "Step on a" TL_AI_TRAILER));
	}
	tl_git(repo, "checkout -q -b ai/b main");
	free(tl_commit_file(repo, "infra/main.tf", "force_destroy = true\n", 3, "Infra" TL_AI_TRAILER));
	free(tl_commit_file(repo, "docs/b.md", "b\n", 2, "Docs on b" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b ai/c ai/a~2");
	free(tl_commit_file(repo, "src/c.c", "c\n", 2, "Side of a" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b human main");
	free(tl_commit_file(repo, "src/h.c", "int h;\n", 2, "Human change\n"));
	tl_git(repo, "checkout -q main");
	free(tl_commit_file(repo, "README", "moved on\n", 4, "Main moves on\n"));
	assert_int_equal(tl_revq(repo, NULL, NULL, "list --all"), 0);
	return repo;
}

/*
 * `revq list` and `revq list --all` (JSON) with the cache as the change
 * left it, twice (the walk, then the snapshot it stored), and with no
 * cache: the same bytes.  The kept cache goes back for the next change.
 */
static void assert_warm_is_cold(const char *repo)
{
	static const char *const commands[] = { "list --json", "list --all --json" };

	for (size_t i = 0; i < 2; i++) {
		struct strbuf warm = STRBUF_INIT, again = STRBUF_INIT, cold = STRBUF_INIT;

		assert_int_equal(tl_revq(repo, &warm, NULL, "%s", commands[i]), 0);
		assert_int_equal(tl_revq(repo, &again, NULL, "%s", commands[i]), 0);
		tl_sh(repo, "rm -rf .git/revq-kept && mv .git/revq .git/revq-kept");
		assert_int_equal(tl_revq(repo, &cold, NULL, "%s", commands[i]), 0);
		tl_sh(repo, "rm -rf .git/revq && mv .git/revq-kept .git/revq");
		assert_true(tl_json_valid(cold.buf));
		assert_string_equal(warm.buf, cold.buf);
		assert_string_equal(again.buf, cold.buf);
		strbuf_release(&warm);
		strbuf_release(&again);
		strbuf_release(&cold);
	}
}

static void test_a_new_commit_on_a_branch_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();
	struct strbuf out = STRBUF_INIT;
	char *id;

	(void)state;
	tl_git(repo, "checkout -q ai/b");
	id = tl_commit_file(repo, "src/new.c", "new\n", 1, "New on b" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	assert_warm_is_cold(repo);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_contains(out.buf, id);   /* the control: the change is in the queue */
	assert_int_equal(tl_json_length(out.buf, "$"), 8);
	strbuf_release(&out);
	free(id);
}

static void test_an_amended_and_a_rebased_branch_give_the_cold_queue(void **state)
{
	const char *repo = make_queue();

	(void)state;
	tl_git(repo, "checkout -q ai/a");
	tl_sh(repo, "git commit -q --amend -m 'Step on a, amended' -m 'Co-Authored-By: Claude <noreply@anthropic.com>'");
	assert_warm_is_cold(repo);
	tl_git(repo, "rebase -q main ai/b");
	tl_git(repo, "checkout -q main");
	assert_warm_is_cold(repo);
}

static void test_a_deleted_branch_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(repo, "branch -q -D ai/c");
	assert_warm_is_cold(repo);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 6);
	strbuf_release(&out);
}

static void test_the_target_moved_forward_past_pending_commits_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(repo, "merge -q --no-edit ai/a~1");
	assert_warm_is_cold(repo);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 4);   /* a's tip, c's commit, b's two */
	strbuf_release(&out);
}

static void test_the_target_forced_back_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();

	(void)state;
	tl_git(repo, "merge -q --no-edit ai/b");
	assert_warm_is_cold(repo);
	tl_git(repo, "reset -q --hard HEAD~2");
	assert_warm_is_cold(repo);
}

static void test_a_replace_ref_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();

	(void)state;
	tl_git(repo, "replace ai/a~1 ai/b");
	assert_warm_is_cold(repo);
}

static void test_an_ai_note_gives_the_cold_queue(void **state)
{
	const char *repo = make_queue();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_write(repo, "../note.txt", "src/h.c\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 1\n---\n"
		 "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"sessions\": "
		 "{\"s_e5ad0f6fb287dd\": {\"agent_id\": {\"tool\": \"claude\", \"id\": \"u\", "
		 "\"model\": \"claude-opus-4-5\"}}}}\n");
	tl_git(repo, "notes --ref=ai add -F ../note.txt human");
	assert_warm_is_cold(repo);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 8);   /* the human commit is noted AI */
	strbuf_release(&out);
}

/*
 * Twenty-four changes, one commit each: sixteen snapshots are kept, a few
 * packs, and the file stays near the size of one copy of the queue.
 */
static void test_the_cache_stays_bounded_over_many_snapshots(void **state)
{
	const char *repo = make_queue();
	int64_t one_pack;

	(void)state;
	one_pack = query_int(repo, "SELECT sum(length(item)) FROM pack_items");
	tl_git(repo, "checkout -q ai/b");
	for (int i = 0; i < 24; i++) {
		char path[32];

		snprintf(path, sizeof(path), "src/n%d.c", i);
		free(tl_commit_file(repo, path, "n\n", 1, "One more" TL_AI_TRAILER));
		assert_int_equal(tl_revq(repo, NULL, NULL, "list"), 0);
	}
	tl_git(repo, "checkout -q main");
	assert_int_equal(query_int(repo, "SELECT count(*) FROM snapshots"), 16);
	assert_true(query_int(repo, "SELECT count(*) FROM packs") <= 4);
	assert_int_equal(query_int(repo, "SELECT count(*) FROM pack_items WHERE pack NOT IN"
					 " (SELECT pack FROM snapshots WHERE pack IS NOT NULL)"), 0);
	/* 31 items in the newest pack at most, and never a copy per snapshot. */
	assert_true(query_int(repo, "SELECT sum(length(item)) FROM pack_items") < 4 * 8 * one_pack);
	assert_true(query_int(repo, "SELECT max(rows) FROM packs") <= 31);
	assert_warm_is_cold(repo);
}

/* The last walk's blob damaged: the next list walks from the repository alone. */
static void test_a_damaged_walk_is_walked_again(void **state)
{
	const char *repo = make_queue();
	char *id;

	(void)state;
	exec_sql(repo, "UPDATE snapshots SET walk = substr(walk, 1, 100) || x'ff' ||"
		       " substr(walk, 102)");
	assert_warm_is_cold(repo);   /* the snapshot itself is damaged: walked again */
	exec_sql(repo, "UPDATE snapshots SET walk = substr(walk, 1, length(walk) - 40)");
	tl_git(repo, "checkout -q ai/a");
	id = tl_commit_file(repo, "src/d.c", "d\n", 1, "After damage" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	assert_warm_is_cold(repo);   /* and as the base of the next walk */
	free(id);
}

/*
 * Another repository's snapshot under this one's key (a copied cache):
 * it names another key inside, so it is not this queue, and a graph of
 * other commits teaches the walk nothing.
 */
static void test_a_foreign_walk_is_not_believed(void **state)
{
	const char *repo = make_queue(), *other = tl_repo_new();
	struct strbuf sql = STRBUF_INIT;

	(void)state;
	tl_git(other, "checkout -q -b ai/x");
	free(tl_commit_file(other, "x.c", "x\n", 1, "Other repo" TL_AI_TRAILER));
	assert_int_equal(tl_revq(other, NULL, NULL, "list"), 0);
	strbuf_addf(&sql, "ATTACH '%s/.git/revq/cache.db' AS other;"
		    "UPDATE snapshots SET walk = (SELECT walk FROM other.snapshots LIMIT 1);", other);
	exec_sql(repo, sql.buf);
	assert_warm_is_cold(repo);
	strbuf_release(&sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_new_commit_on_a_branch_gives_the_cold_queue),
		cmocka_unit_test(test_an_amended_and_a_rebased_branch_give_the_cold_queue),
		cmocka_unit_test(test_a_deleted_branch_gives_the_cold_queue),
		cmocka_unit_test(test_the_target_moved_forward_past_pending_commits_gives_the_cold_queue),
		cmocka_unit_test(test_the_target_forced_back_gives_the_cold_queue),
		cmocka_unit_test(test_a_replace_ref_gives_the_cold_queue),
		cmocka_unit_test(test_an_ai_note_gives_the_cold_queue),
		cmocka_unit_test(test_the_cache_stays_bounded_over_many_snapshots),
		cmocka_unit_test(test_a_damaged_walk_is_walked_again),
		cmocka_unit_test(test_a_foreign_walk_is_not_believed),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
