/*
 * test_stats.c: `revq stats` against a fixture whose waits are known:
 * decisions per reviewer and level, the median and percentiles of the
 * time from commit to decision (a decision on a commit merged already
 * included), the open queue by the level it waits on, the narrow gate
 * and the senior hours, the queue over time, --since, and --repos over
 * two repositories.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define DAY 86400

static const char policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n"
	"[person \"Jane\"]\n\temail = jane@example.com\n\tlevel = senior\n"
	"[person \"Raj\"]\n\temail = raj@example.com\n\tlevel = mid\n"
	"[person \"Sol\"]\n\temail = sol@example.com\n\tlevel = senior\n"
	"[tier \"ai\"]\n\tminRisk = 0\n\tauthorLevel = mid\n\trequire = 1 senior\n"
	"[tier \"ai-senior\"]\n\tminRisk = 0\n\trequire = 1 mid\n";

static const char *repo, *keys, *other;

/* A commit on its own branch off main, by author, days_ago before TL_NOW; caller frees. */
static char *change(const char *dir, const char *branch, const char *author, int days_ago, const char *content)
{
	char *id;

	setenv("GIT_AUTHOR_EMAIL", author, 1);
	tl_git(dir, "checkout -q -b %s main", branch);
	id = tl_commit_file(dir, branch, content, days_ago, "Change" TL_AI_TRAILER);
	tl_git(dir, "checkout -q main");
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	return id;
}

/* `revq VERB` as email with key, days_ago before TL_NOW. */
static void decide(const char *dir, const char *verb, const char *key, const char *email, const char *id,
		   int days_ago)
{
	tl_git(dir, "config user.signingkey %s/%s", keys, key);
	if (tl_sh(dir, "REVQ_NOW=%ld GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL=%s \"$REVQ_BIN\" %s -m why %s "
		  ">/dev/null", (long)TL_NOW - (long)days_ago * DAY, email, verb, id))
		fail_msg("%s %s failed", email, verb);
}

static const char *make_repo(void)
{
	const char *dir = tl_repo_new();

	tl_git(dir, "config gpg.format ssh");
	tl_git(dir, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
	tl_write(dir, ".revq/policy", policy);
	tl_sh(dir, "cp %s/allowed .revq/allowed_signers", keys);
	free(tl_commit(dir, 30, "Review policy"));
	return dir;
}

/*
 * Known waits: f (merged since) approved by Jane after 1 day; a by Jane
 * after 2; b (a senior's, needs a mid) by Raj after 1; c rejected by
 * Jane after 3.  Open: d waits on a senior (10 lines), e on a mid.
 */
static int setup(void **state)
{
	char *f, *a, *b, *c;

	(void)state;
	keys = tl_tmpdir();
	tl_write(keys, "allowed", "");
	tl_ssh_key(keys, "jane", "jane@example.com");
	tl_ssh_key(keys, "raj", "raj@example.com");
	repo = make_repo();
	f = change(repo, "ai/f", "author@example.com", 20, "f\n");
	decide(repo, "approve", "jane", "jane@example.com", f, 19);
	tl_git(repo, "merge -q --ff-only ai/f");
	tl_git(repo, "branch -q -D ai/f");
	a = change(repo, "ai/a", "author@example.com", 10, "a\n");
	decide(repo, "approve", "jane", "jane@example.com", a, 8);
	b = change(repo, "ai/b", "sol@example.com", 6, "b\n");
	decide(repo, "approve", "raj", "raj@example.com", b, 5);
	c = change(repo, "ai/c", "author@example.com", 4, "c\n");
	decide(repo, "reject", "jane", "jane@example.com", c, 1);
	free(change(repo, "ai/d", "author@example.com", 2, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"));
	free(change(repo, "ai/e", "sol@example.com", 1, "e\n"));
	free(f);
	free(a);
	free(b);
	free(c);
	/* a second repository: one open item that waits on a senior */
	other = make_repo();
	free(change(other, "ai/x", "author@example.com", 3, "x\n"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_cleanup();
	return 0;
}

/* The index in $.reviewers of the reviewer called name, or -1. */
static int reviewer_index(const char *json, const char *name)
{
	for (int i = 0; i < 8; i++) {
		char path[64], *who;
		int same;

		snprintf(path, sizeof(path), "$.reviewers[%d].reviewer", i);
		who = tl_json_text(json, path);
		same = !strcmp(who, name);
		free(who);
		if (same)
			return i;
	}
	return -1;
}

static int64_t reviewer_int(const char *json, const char *name, const char *field)
{
	char path[96];
	int i = reviewer_index(json, name);

	if (i < 0)
		fail_msg("no reviewer %s in %s", name, json);
	snprintf(path, sizeof(path), "$.reviewers[%d].%s", i, field);
	return tl_json_int(json, path);
}

static void test_stats_count_decisions_and_waits_per_reviewer_and_level(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "stats --json"), 0);
	assert_true(tl_json_valid(out.buf));
	/* Jane: f, a approved, c rejected, after 1, 2 and 3 days; f is on main now and still counts */
	assert_int_equal(reviewer_int(out.buf, "Jane", "approvals"), 2);
	assert_int_equal(reviewer_int(out.buf, "Jane", "rejections"), 1);
	assert_int_equal(reviewer_int(out.buf, "Jane", "median_wait"), 2 * DAY);
	assert_int_equal(reviewer_int(out.buf, "Jane", "senior_work"), 3);
	assert_json_text(out.buf, "$.reviewers[0].level", "senior");
	assert_int_equal(reviewer_int(out.buf, "Raj", "approvals"), 1);
	assert_int_equal(reviewer_int(out.buf, "Raj", "median_wait"), DAY);
	assert_int_equal(reviewer_int(out.buf, "Raj", "senior_work"), 0);
	assert_int_equal(reviewer_index(out.buf, "Sol"), -1);   /* made no decision */
	/* per level needed: senior items decided after 1, 2, 3 days; the mid one after 1 */
	assert_json_text(out.buf, "$.levels[0].level_needed", "senior");
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].decided"), 3);
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].median_wait"), 2 * DAY);
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].p75_wait"), 3 * DAY);
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].p90_wait"), 3 * DAY);
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].open"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.levels[1].decided"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.levels[1].median_wait"), DAY);
	assert_int_equal(tl_json_int(out.buf, "$.levels[1].open"), 1);
	assert_json_text(out.buf, "$.levels[2].median_wait", "");   /* null: nothing decided */
	/* the queue now: d waits on a senior, e on a mid; a and b approved, c rejected */
	assert_int_equal(tl_json_int(out.buf, "$.queue.open"), 2);
	assert_int_equal(tl_json_int(out.buf, "$.queue.approved"), 2);
	assert_int_equal(tl_json_int(out.buf, "$.queue.rejected"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.queue.waiting_on.senior"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.queue.waiting_on.mid"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.queue.kept_from_seniors"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.queue.senior_lines"), 10);
	assert_json_text(out.buf, "$.queue.senior_hours", "0.02");
	strbuf_release(&out);
}

static void test_stats_since_leaves_older_decisions_out(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "stats --json --since 6d"), 0);
	assert_int_equal(reviewer_int(out.buf, "Jane", "approvals"), 0);
	assert_int_equal(reviewer_int(out.buf, "Jane", "rejections"), 1);
	assert_int_equal(reviewer_int(out.buf, "Raj", "approvals"), 1);
	assert_int_equal(tl_json_int(out.buf, "$.levels[0].decided"), 1);
	/* a day, and a record time, mean the same moment */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "stats --json --since 2025-12-26"), 0);
	assert_int_equal(reviewer_int(out.buf, "Raj", "approvals"), 1);
	assert_int_equal(reviewer_int(out.buf, "Jane", "approvals"), 0);
	assert_int_equal(tl_revq(repo, NULL, &err, "stats --since yesterday"), 2);
	assert_contains(err.buf, "--since takes");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_stats_text_shows_the_narrow_gate_and_bars(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "stats"), 0);
	assert_contains(out.buf, "Queue now: 2 open, 1 rejected (waiting on their authors), 2 approved");
	assert_contains(out.buf, "  a senior             1  ####################       10  0.0");
	assert_contains(out.buf, "  a mid or above       1  ####################");
	assert_contains(out.buf, "Narrow gate: 1 of 2 open items (50%) need no senior now; 1 wait on one.");
	assert_contains(out.buf, "  senior             1        3      2d    3d    3d");
	assert_contains(out.buf, "  Jane                  senior         2         1");
	assert_contains(out.buf, "100%");
	strbuf_release(&out);
}

/*
 * The queue over time, from the commit and decision times above: the
 * eight moments are whole days apart (20 days since f's commit: 3 days)
 * and end now.  Nine days ago a waited on a senior; six days ago b (its
 * commit that very second) on a mid, a approved by then; three days ago
 * c, not yet rejected; now d and e.  f was decided a day after its
 * commit, between two moments.
 */
static void test_stats_show_the_queue_over_time_from_the_records_times(void **state)
{
	static const struct { int days_ago; int open, senior, mid; } moments[] = {
		{ 21, 0, 0, 0 }, { 18, 0, 0, 0 }, { 15, 0, 0, 0 }, { 12, 0, 0, 0 },
		{ 9, 1, 1, 0 }, { 6, 1, 0, 1 }, { 3, 1, 1, 0 }, { 0, 2, 1, 1 },
	};
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, NULL, "stats --json"), 0);
	for (size_t k = 0; k < sizeof(moments) / sizeof(moments[0]); k++) {
		char path[64];

		snprintf(path, sizeof(path), "$.history[%zu].time", k);
		assert_int_equal(tl_json_int(out.buf, path), TL_NOW - (int64_t)moments[k].days_ago * DAY);
		snprintf(path, sizeof(path), "$.history[%zu].open", k);
		assert_int_equal(tl_json_int(out.buf, path), moments[k].open);
		snprintf(path, sizeof(path), "$.history[%zu].senior", k);
		assert_int_equal(tl_json_int(out.buf, path), moments[k].senior);
		snprintf(path, sizeof(path), "$.history[%zu].mid", k);
		assert_int_equal(tl_json_int(out.buf, path), moments[k].mid);
	}
	/* --since starts the moments there: one day apart from 7 days ago */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "stats --json --since 7d"), 0);
	assert_int_equal(tl_json_int(out.buf, "$.history[0].time"), TL_NOW - 7 * DAY);
	assert_int_equal(tl_json_int(out.buf, "$.history[1].open"), 1);   /* b, committed 6 days ago */
	/* the text draws them as bars, the fullest moment full */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "stats"), 0);
	assert_contains(out.buf, "Queue over time (UTC) open");
	assert_contains(out.buf, "  2025-12-23 00:00      1  ##########..........      1     0       0\n");
	assert_contains(out.buf, "  2026-01-01 00:00      2  ####################      1     1       0\n");
	strbuf_release(&out);
}

static void test_stats_over_two_repositories_add_up(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(tl_tmpdir(), &out, NULL, "stats --json --repos %s %s", repo, other), 0);
	assert_int_equal(tl_json_int(out.buf, "$.queue.open"), 3);
	assert_int_equal(tl_json_int(out.buf, "$.queue.waiting_on.senior"), 2);
	assert_int_equal(reviewer_int(out.buf, "Jane", "approvals"), 2);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_count_decisions_and_waits_per_reviewer_and_level),
		cmocka_unit_test(test_stats_since_leaves_older_decisions_out),
		cmocka_unit_test(test_stats_text_shows_the_narrow_gate_and_bars),
		cmocka_unit_test(test_stats_show_the_queue_over_time_from_the_records_times),
		cmocka_unit_test(test_stats_over_two_repositories_add_up),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
