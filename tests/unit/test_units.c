/*
 * test_units.c: the console's review units (show/units.h) on a real
 * queue: a branch of several pending items is one series, with every
 * commit of base..tip counted and its most urgent item as lead; a branch
 * of one is no series; an item is in one series at most; revq.reviewUnit
 * values.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "queue/queue.h"
#include "show/units.h"

static size_t index_of(const struct queue *q, const char *hex)
{
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	for (size_t i = 0; i < q->nr; i++)
		if (git_oid_equal(&q->items[i]->id, &id))
			return i;
	fail_msg("%s is not in the queue", hex);
	return 0;
}

static void test_a_branch_of_several_pending_commits_is_one_series(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf gitdir = STRBUF_INIT;
	struct queue_options opts;
	struct session *s;
	struct queue *q;
	struct units u;
	char *x[3], *plain, *y, *more;
	const struct unit *unit;

	(void)state;
	tl_git(repo, "checkout -q -b ai/x");
	x[0] = tl_commit_file(repo, "a.c", "int a;\n", 4, "A" TL_AI_TRAILER);
	plain = tl_commit_file(repo, "p.c", "int p;\n", 4, "Not AI-assisted");
	x[1] = tl_commit_file(repo, "b.c", "int b;\n", 3, "B" TL_AI_TRAILER);
	x[2] = tl_commit_file(repo, "c.c", "int c;\n", 2, "C" TL_AI_TRAILER);
	/* ai/x-more holds ai/x and one more: its items are ai/x's, and one left is no series. */
	tl_git(repo, "checkout -q -b ai/x-more");
	more = tl_commit_file(repo, "m.c", "int m;\n", 1, "More" TL_AI_TRAILER);
	tl_git(repo, "checkout -q -b ai/y main");
	y = tl_commit_file(repo, "y.c", "int y;\n", 1, "Y" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	strbuf_addf(&gitdir, "%s/.git", repo);
	assert_int_equal(session_open_gitdir(&s, gitdir.buf), 0);
	memset(&opts, 0, sizeof(opts));
	assert_int_equal(queue_build(&q, s, &opts), 0);
	assert_int_equal(q->nr, 5);
	assert_int_equal(units_build(&u, s->repo->git, q), 0);
	assert_int_equal(u.nr, 1);
	unit = &u.v[0];
	assert_string_equal(unit->ref, "ai/x");
	assert_int_equal(unit->members_nr, 3);
	assert_int_equal(unit->commits, 4);   /* the commit without markers is in its diff too */
	/* Newest first, as git rev-list lists them. */
	assert_int_equal(unit->members[0], index_of(q, x[2]));
	assert_int_equal(unit->members[2], index_of(q, x[0]));
	for (int i = 0; i < 3; i++) {
		size_t at = index_of(q, x[i]);

		assert_ptr_equal(units_of(&u, at), unit);
		assert_true(unit->lead <= at);
		assert_true((units_led_by(&u, at) != NULL) == (at == unit->lead));
	}
	assert_null(units_of(&u, index_of(q, y)));
	assert_null(units_of(&u, index_of(q, more)));
	assert_null(units_of(&u, q->nr));   /* out of range */
	assert_int_equal(unit_mode_parse("series"), UNIT_SERIES);
	assert_int_equal(unit_mode_parse("Commit"), UNIT_COMMIT);
	assert_int_equal(unit_mode_parse("branch"), -1);
	units_release(&u);
	queue_free(q);
	session_free(s);
	for (int i = 0; i < 3; i++)
		free(x[i]);
	free(plain);
	free(y);
	free(more);
	strbuf_release(&gitdir);
}

/* The series row's status and risk from three items' (show/units.h), as the queue shows them. */
static void summary_of(const enum item_status st[3], const int risk[3], char *status, size_t size, int *max)
{
	struct item *items[3];
	struct queue q;
	size_t members[3] = { 0, 1, 2 };
	struct unit u;

	memset(&q, 0, sizeof(q));
	memset(&u, 0, sizeof(u));
	for (int i = 0; i < 3; i++) {
		items[i] = item_new();
		items[i]->status = st[i];
		items[i]->risk = risk[i];
	}
	q.items = items;
	q.nr = 3;
	u.members = members;
	u.members_nr = 3;
	unit_summary(&q, &u, max, status, size);
	for (int i = 0; i < 3; i++)
		item_free(items[i]);
}

static void test_a_series_row_is_approved_only_when_every_commit_is(void **state)
{
	static const int risk[3] = { 10, 70, 30 };
	char status[32];
	int max;

	(void)state;
	summary_of((const enum item_status[3]){ ITEM_APPROVED, ITEM_APPROVED, ITEM_APPROVED }, risk, status,
		   sizeof(status), &max);
	assert_string_equal(status, "approved");
	assert_int_equal(max, 70);   /* its riskiest commit's */
	summary_of((const enum item_status[3]){ ITEM_APPROVED, ITEM_PENDING, ITEM_APPROVED }, risk, status,
		   sizeof(status), &max);
	assert_string_equal(status, "2/3 ok");
	summary_of((const enum item_status[3]){ ITEM_PENDING, ITEM_PENDING, ITEM_PENDING }, risk, status,
		   sizeof(status), &max);
	assert_string_equal(status, "pending");
	/* One rejection rejects the row, whatever the others are. */
	summary_of((const enum item_status[3]){ ITEM_APPROVED, ITEM_REJECTED, ITEM_APPROVED }, risk, status,
		   sizeof(status), &max);
	assert_string_equal(status, "rejected");
	/* One commit not judged (a broken policy) makes it unknown, never approved or rejected. */
	summary_of((const enum item_status[3]){ ITEM_APPROVED, ITEM_REJECTED, ITEM_UNKNOWN }, risk, status,
		   sizeof(status), &max);
	assert_string_equal(status, "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_branch_of_several_pending_commits_is_one_series),
		cmocka_unit_test(test_a_series_row_is_approved_only_when_every_commit_is),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
