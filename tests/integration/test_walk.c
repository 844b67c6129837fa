/*
 * test_walk.c: the pending set against git itself.  `revq list --all`
 * must list exactly the commits of `git rev-list CANDIDATES --not TARGET`,
 * each once, on hundreds of random commit graphs: merges (octopus too),
 * several roots, several candidate branches, and commit dates that are
 * all equal (as after a rebase), monotone with ties, or skewed (parents
 * newer than their children).  Where dates never decrease from parent to
 * child, git's walk is exact, so the set is also the plain set difference
 * of what the candidates and the target reach.
 *
 * Then the refs move (branches forward, back, aside or deleted, the
 * target anywhere) and the warm list, whose walk reads from the last
 * snapshot what it met, must be git's again.
 *
 * Each graph is built by one `git fast-import` run.  REVQ_WALK_SEED
 * replays other graphs; a failure names the seed, the graph and its
 * fast-import stream.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define MAX_COMMITS 40
#define MAX_BRANCHES 5
#define GRAPHS_PER_MODE 180
#define BASE_TIME 1700000000

enum dates { DATES_EQUAL, DATES_MONOTONE, DATES_SKEWED, DATES_REVERSED };

struct graph {
	int n;
	int parents[MAX_COMMITS][3];
	int parents_nr[MAX_COMMITS];
	int64_t time[MAX_COMMITS];
	int branches;
	int branch_at[MAX_BRANCHES];
	int target_at;
};

static uint64_t rng_state;

static unsigned rnd(unsigned below)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % below);
}

/* A parent for commit i: usually a recent commit, sometimes any earlier one. */
static int pick_parent(int i)
{
	return rnd(3) ? i - 1 - (int)rnd((unsigned)(i < 3 ? i : 3)) : (int)rnd((unsigned)i);
}

static void pick_parents(struct graph *g, int i)
{
	unsigned r = rnd(100);
	int want = i == 0 || r < 5 ? 0 : r < 75 ? 1 : r < 96 ? 2 : 3;

	g->parents_nr[i] = 0;
	for (int k = 0; k < want; k++) {
		int p = pick_parent(i), dup = 0;

		for (int j = 0; j < g->parents_nr[i]; j++)
			dup |= g->parents[i][j] == p;
		if (!dup)
			g->parents[i][g->parents_nr[i]++] = p;
	}
}

static int64_t pick_time(const struct graph *g, int i, enum dates dates)
{
	int64_t t = BASE_TIME;

	switch (dates) {
	case DATES_EQUAL:
		return t;
	case DATES_MONOTONE:
		for (int j = 0; j < g->parents_nr[i]; j++)
			if (g->time[g->parents[i][j]] > t)
				t = g->time[g->parents[i][j]];
		return t + rnd(3);
	case DATES_SKEWED:
		return t + rnd(12);
	case DATES_REVERSED:
		return t + 3 * (g->n - i) + rnd(40);
	}
	return t;
}

static void make_graph(struct graph *g, enum dates dates)
{
	g->n = 10 + (int)rnd(MAX_COMMITS - 10 + 1);
	for (int i = 0; i < g->n; i++) {
		pick_parents(g, i);
		g->time[i] = pick_time(g, i, dates);
	}
	g->branches = 1 + (int)rnd(MAX_BRANCHES);
	if (dates == DATES_REVERSED) {
		/*
		 * Old tips and a target that is the newest commit but dated the
		 * oldest: git's walk stops early here and lists commits that the
		 * target has.  Those must be listed too (and nothing else).
		 */
		for (int b = 0; b < g->branches; b++)
			g->branch_at[b] = (int)rnd((unsigned)(2 * g->n / 3));
		g->target_at = g->n - 1;
		return;
	}
	for (int b = 0; b < g->branches; b++)
		g->branch_at[b] = g->n / 3 + (int)rnd((unsigned)(g->n - g->n / 3));
	g->target_at = (int)rnd((unsigned)g->n);
}

static void write_stream(struct strbuf *sb, const struct graph *g)
{
	for (int i = 0; i < g->n; i++) {
		strbuf_addf(sb, "reset refs/tmp/walk\ncommit refs/tmp/walk\nmark :%d\n", i + 1);
		strbuf_addf(sb, "committer C <c@example.com> %" PRId64 " +0000\n", g->time[i]);
		strbuf_addf(sb, "data %d\nc%d\n", 2 + (i > 9) + (i > 99), i);
		for (int j = 0; j < g->parents_nr[i]; j++)
			strbuf_addf(sb, "%s :%d\n", j ? "merge" : "from", g->parents[i][j] + 1);
		strbuf_addch(sb, '\n');
	}
	for (int b = 0; b < g->branches; b++)
		strbuf_addf(sb, "reset refs/heads/b%d\nfrom :%d\n\n", b, g->branch_at[b] + 1);
	strbuf_addf(sb, "reset refs/heads/main\nfrom :%d\n\n", g->target_at + 1);
}

/* The object ids in text (rev-list lines, or revq's "commit" fields), sorted. */
struct ids {
	char (*v)[41];
	size_t nr, alloc;
};

static int compare_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void ids_from_lines(struct ids *ids, const char *text, const char *end)
{
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = nl ? (size_t)(nl - text) : (size_t)(end - text);

		if (len == 40) {
			ALLOC_GROW(ids->v, ids->nr + 1, ids->alloc);
			memcpy(ids->v[ids->nr], text, 40);
			ids->v[ids->nr++][40] = '\0';
		}
		text += len + 1;
	}
	if (ids->nr > 1)
		qsort(ids->v, ids->nr, sizeof(*ids->v), compare_ids);
}

static void ids_from_json(struct ids *ids, const char *json)
{
	static const char key[] = "\"commit\": \"";
	const char *p = json;

	while ((p = strstr(p, key))) {
		p += sizeof(key) - 1;
		ALLOC_GROW(ids->v, ids->nr + 1, ids->alloc);
		memcpy(ids->v[ids->nr], p, 40);
		ids->v[ids->nr++][40] = '\0';
	}
	if (ids->nr > 1)
		qsort(ids->v, ids->nr, sizeof(*ids->v), compare_ids);
}

static const char *section(const char *out, const char *name)
{
	const char *p = strstr(out, name);

	if (!p)
		fail_msg("no %s section in:\n%s", name, out);
	return p + strlen(name);
}

static int has_id(const struct ids *ids, const char *id)
{
	return ids->nr && bsearch(id, ids->v, ids->nr, sizeof(*ids->v), compare_ids);
}

static void describe_difference(struct strbuf *why, const struct ids *got, const struct ids *want)
{
	for (size_t i = 0; i < got->nr; i++)
		if (!has_id(want, got->v[i]) ||
		    (i && !strcmp(got->v[i], got->v[i - 1])))
			strbuf_addf(why, "  extra or repeated: %s\n", got->v[i]);
	for (size_t i = 0; i < want->nr; i++)
		if (!has_id(got, want->v[i]))
			strbuf_addf(why, "  missing: %s\n", want->v[i]);
}

static int same_ids(const struct ids *a, const struct ids *b)
{
	if (a->nr != b->nr)
		return 0;
	for (size_t i = 0; i < a->nr; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/*
 * Moves refs of g as pushes would, into a fast-import stream of resets
 * and a shell command of deletions: each branch may stay, move to any
 * commit (forward, back, aside, or one no walk met), or (the last, when
 * there are others) be deleted; the target may move anywhere too.
 */
static void move_refs(struct graph *g, struct strbuf *resets, struct strbuf *deletes)
{
	for (int b = g->branches - 1; b >= 0; b--) {
		unsigned how = rnd(4);

		if (how == 3 && b == g->branches - 1 && g->branches > 1) {
			strbuf_addf(deletes, " && git update-ref -d refs/heads/b%d", b);
			g->branches--;
		} else if (how) {
			g->branch_at[b] = (int)rnd((unsigned)g->n);
			strbuf_addf(resets, "reset refs/heads/b%d\nfrom :%d\n\n", b, g->branch_at[b] + 1);
		}
	}
	if (rnd(2)) {
		g->target_at = (int)rnd((unsigned)g->n);
		strbuf_addf(resets, "reset refs/heads/main\nfrom :%d\n\n", g->target_at + 1);
	}
}

/*
 * Runs prepare (in top), then compares revq list with git rev-list for
 * g's refs.  The first time the cache is empty; after refs moved, the
 * walk reads from the last snapshot what it met (git/pending.h), and
 * must still be git's, commit for commit.
 */
static void check_refs(const char *top, const struct graph *g, enum dates dates, uint64_t seed,
		       int index, const char *prepare, const char *stream)
{
	struct strbuf branches = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT, why = STRBUF_INIT;
	struct ids from_git = { 0 }, exact = { 0 }, from_revq = { 0 };
	const char *git_at, *exact_at, *revq_at;
	int rc;

	for (int b = 0; b < g->branches; b++)
		strbuf_addf(&branches, " refs/heads/b%d", b);
	rc = tl_sh_output(top, &out, &err,
			  "%s && "
			  "echo '== git' && git rev-list%s --not refs/heads/main && "
			  "git rev-list%s | sort >../inc && git rev-list refs/heads/main | sort >../exc && "
			  "echo '== exact' && comm -23 ../inc ../exc && echo '== revq' && "
			  "XDG_CACHE_HOME=\"$PWD/.git/revq-cache\" '%s' list --all --json --target refs/heads/main",
			  prepare, branches.buf, branches.buf, getenv("REVQ_BIN"));
	if (rc)
		fail_msg("graph %d (seed %" PRIu64 "): exit %d: %s", index, seed, rc, err.buf);
	git_at = section(out.buf, "== git\n");
	exact_at = section(git_at, "== exact\n");
	revq_at = section(exact_at, "== revq\n");
	ids_from_lines(&from_git, git_at, exact_at - strlen("== exact\n"));
	ids_from_lines(&exact, exact_at, revq_at - strlen("== revq\n"));
	ids_from_json(&from_revq, revq_at);
	if (!same_ids(&from_revq, &from_git)) {
		describe_difference(&why, &from_revq, &from_git);
		fail_msg("graph %d (seed %" PRIu64 ", dates %d): revq list is not git rev-list:\n%s"
			 "fast-import stream:\n%s", index, seed, (int)dates, why.buf, stream);
	}
	if ((dates == DATES_EQUAL || dates == DATES_MONOTONE) && !same_ids(&from_git, &exact)) {
		describe_difference(&why, &from_git, &exact);
		fail_msg("graph %d (seed %" PRIu64 "): monotone dates, yet not the set difference:\n%s"
			 "fast-import stream:\n%s", index, seed, why.buf, stream);
	}
	assert_not_contains(err.buf, "shallow");
	free(from_git.v);
	free(exact.v);
	free(from_revq.v);
	strbuf_release(&branches);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&why);
}

/* Builds g and checks its pending set; then (for some) moves its refs and checks it again, warm. */
static void check_graph(const char *top, struct graph *g, enum dates dates, uint64_t seed,
			int index)
{
	struct strbuf stream = STRBUF_INIT, resets = STRBUF_INIT, prepare = STRBUF_INIT;

	write_stream(&stream, g);
	tl_write(top, "stream", stream.buf);
	check_refs(top, g, dates, seed, index,
		   "rm -rf g && git init -q -b main g && cd g && "
		   "git fast-import --quiet --export-marks=../marks <../stream", stream.buf);
	if (index % 3) {   /* a third of the graphs: the suite's time */
		strbuf_release(&stream);
		return;
	}
	strbuf_addstr(&prepare, "cd g && git fast-import --quiet --force --import-marks=../marks <../resets");
	move_refs(g, &resets, &prepare);
	tl_write(top, "resets", resets.buf);
	strbuf_addstr(&stream, "then, the cache warm:\n");
	strbuf_add(&stream, resets.buf, resets.len);
	check_refs(top, g, dates, seed, index, prepare.buf, stream.buf);
	strbuf_release(&stream);
	strbuf_release(&resets);
	strbuf_release(&prepare);
}

static void check_random_graphs(enum dates dates, int count)
{
	const char *top = tl_tmpdir(), *env = getenv("REVQ_WALK_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0x9e3779b97f4a7c15ull;

	seed += (uint64_t)dates * 0x100000001b3ull;
	rng_state = seed ? seed : 1;
	for (int i = 0; i < count; i++) {
		struct graph g;

		memset(&g, 0, sizeof(g));
		make_graph(&g, dates);
		check_graph(top, &g, dates, seed, i);
	}
}

static void test_the_pending_set_is_git_rev_list_when_all_dates_are_equal(void **state)
{
	(void)state;
	check_random_graphs(DATES_EQUAL, GRAPHS_PER_MODE);
}

static void test_the_pending_set_is_git_rev_list_with_monotone_dates_and_ties(void **state)
{
	(void)state;
	check_random_graphs(DATES_MONOTONE, GRAPHS_PER_MODE);
}

static void test_the_pending_set_is_git_rev_list_with_skewed_dates(void **state)
{
	(void)state;
	check_random_graphs(DATES_SKEWED, GRAPHS_PER_MODE / 3);
}

static void test_the_pending_set_is_git_rev_list_when_parents_are_newer(void **state)
{
	(void)state;
	check_random_graphs(DATES_REVERSED, 2 * GRAPHS_PER_MODE / 3);
}

/* The report: a parent and its child with one date made `revq list` show commits twice. */
static void test_a_rebased_branch_with_one_commit_date_lists_each_commit_once(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	free(tl_commit_file(repo, "base.txt", "base\n", 1, "Base\n"));
	tl_git(repo, "checkout -q -b ai/x");
	for (int i = 0; i < 4; i++)
		free(tl_commit_file(repo, "a.txt", i % 2 ? "one\n" : "two\n", 1, "Step" TL_AI_TRAILER));
	tl_git(repo, "checkout -q -b ai/y HEAD~3");
	free(tl_commit_file(repo, "b.txt", "side\n", 1, "Side" TL_AI_TRAILER));
	assert_int_equal(tl_sh(repo, "GIT_COMMITTER_DATE=@%d GIT_AUTHOR_DATE=@%d "
				     "git merge -q --no-ff -m 'Merge' ai/x", TL_NOW - 86400, TL_NOW - 86400), 0);
	tl_git(repo, "checkout -q main");
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 5);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --all --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 6);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_rebased_branch_with_one_commit_date_lists_each_commit_once),
		cmocka_unit_test(test_the_pending_set_is_git_rev_list_when_all_dates_are_equal),
		cmocka_unit_test(test_the_pending_set_is_git_rev_list_with_monotone_dates_and_ties),
		cmocka_unit_test(test_the_pending_set_is_git_rev_list_with_skewed_dates),
		cmocka_unit_test(test_the_pending_set_is_git_rev_list_when_parents_are_newer),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
