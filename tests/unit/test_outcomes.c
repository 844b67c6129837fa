/*
 * test_outcomes.c: the cached outcomes of judging a queue's decisions
 * (store/outcomes.c) read back as they were stored: in commit order,
 * with their span, context and details, across the reader's buffer;
 * a damaged set stops the reading instead of inventing entries; and
 * only the newest sets are kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "testlib.h"
#include "base/error.h"
#include "store/cache.h"

struct fixture {
	struct cache *cache;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_int_equal(cache_open(&f->cache, tl_tmpdir(), "test-rules"), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cache_free(f->cache);
	free(f);
	return 0;
}

static void key_of(unsigned char key[CACHE_KEY_SIZE], int n)
{
	memset(key, 0, CACHE_KEY_SIZE);
	key[0] = (unsigned char)n;
}

static void commit_of(git_oid *id, size_t n)
{
	memset(id, 0, sizeof(*id));
	id->id[0] = (unsigned char)(n >> 8);
	id->id[1] = (unsigned char)n;
	id->id[19] = 0x5a;
}

/* nr entries, every third with a detail of detail_len bytes. */
static void make_set(struct outcomes *o, size_t nr, size_t detail_len)
{
	outcomes_init(o);
	for (size_t i = 0; i < nr; i++) {
		git_oid id;
		struct outcome *e;

		commit_of(&id, nr - 1 - i);   /* added backwards: outcomes_sort() orders them */
		e = outcomes_add(o, &id);
		e->inputs = 0x1122334455667788ULL + i;
		e->status = (int)(i % 4);
		e->approvals = (unsigned)i;
		e->approvals_needed = 2;
		e->decided_at = -(int64_t)i;
		commit_of(&e->patch_id, 7 * i);
		commit_of(&e->path_key, 11 * i);
		e->heads = 0x0102030405060708ULL * i;
		if (i % 3 == 0) {
			e->detail = malloc(detail_len + 1);
			memset(e->detail, 'a' + (int)(i % 26), detail_len);
			e->detail[detail_len] = '\0';
		}
	}
	o->valid_from = -5;
	o->valid_until = 1767225600;
	o->context = strdup("ctx");
	o->gpg = 1;
	commit_of(&o->notes, 4242);
	outcomes_sort(o);
}

static void test_a_stored_set_reads_back_in_commit_order_across_the_buffer(void **state)
{
	struct fixture *f = *state;
	unsigned char key[CACHE_KEY_SIZE];
	struct outcome_reader *r;
	struct outcomes set, head;
	struct outcome got;
	size_t n = 0;

	key_of(key, 1);
	make_set(&set, 3000, 100);   /* about 240 KB: several refills of the reader's buffer */
	cache_put_outcomes(f->cache, key, &set);
	assert_int_equal(cache_outcomes_open(&r, &head, f->cache, key), 0);
	assert_int_equal(head.valid_from, -5);
	assert_int_equal(head.valid_until, 1767225600);
	assert_string_equal(head.context, "ctx");
	assert_int_equal(head.gpg, 1);
	assert_true(git_oid_equal(&head.notes, &set.notes));
	while (outcome_reader_next(r, &got) > 0) {
		const struct outcome *want = &set.v[n++];

		assert_true(git_oid_equal(&got.commit, &want->commit));
		assert_true(got.inputs == want->inputs);
		assert_int_equal(got.status, want->status);
		assert_int_equal(got.approvals, want->approvals);
		assert_int_equal(got.approvals_needed, 2);
		assert_int_equal(got.decided_at, want->decided_at);
		assert_true(git_oid_equal(&got.patch_id, &want->patch_id));
		assert_true(git_oid_equal(&got.path_key, &want->path_key));
		assert_true(got.heads == want->heads);
		if (want->detail)
			assert_string_equal(got.detail, want->detail);
		else
			assert_null(got.detail);
		free(got.detail);
	}
	assert_int_equal(n, set.nr);
	outcome_reader_free(r);
	outcomes_release(&head);
	outcomes_release(&set);
	/* Control: another key has nothing. */
	key_of(key, 2);
	assert_int_equal(cache_outcomes_open(&r, &head, f->cache, key), REVQ_ENOTFOUND);
	assert_null(r);
}

static void test_a_detail_past_its_bound_is_cut_not_lost(void **state)
{
	struct fixture *f = *state;
	unsigned char key[CACHE_KEY_SIZE];
	struct outcome_reader *r;
	struct outcomes set, head;
	struct outcome got;

	key_of(key, 3);
	make_set(&set, 2, 100 * 1024);
	cache_put_outcomes(f->cache, key, &set);
	assert_int_equal(cache_outcomes_open(&r, &head, f->cache, key), 0);
	assert_int_equal(outcome_reader_next(r, &got), 1);
	assert_null(got.detail);
	assert_int_equal(outcome_reader_next(r, &got), 1);
	assert_non_null(got.detail);
	assert_int_equal(strlen(got.detail), 64 * 1024);
	free(got.detail);
	assert_int_equal(outcome_reader_next(r, &got), 0);
	outcome_reader_free(r);
	outcomes_release(&head);
	outcomes_release(&set);
}

/* Runs sql on the cache's file from a second connection. */
static void tamper(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(cache_path(f->cache), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static size_t read_all(struct fixture *f, const unsigned char key[CACHE_KEY_SIZE], int *last)
{
	struct outcome_reader *r;
	struct outcomes head;
	struct outcome got;
	size_t n = 0;

	if (cache_outcomes_open(&r, &head, f->cache, key))
		return 0;
	while ((*last = outcome_reader_next(r, &got)) > 0) {
		free(got.detail);
		n++;
	}
	outcome_reader_free(r);
	outcomes_release(&head);
	return n;
}

static void test_a_damaged_set_is_read_no_further_than_it_parses(void **state)
{
	struct fixture *f = *state;
	unsigned char key[CACHE_KEY_SIZE];
	struct outcomes set;
	int last;

	key_of(key, 4);
	make_set(&set, 10, 8);
	cache_put_outcomes(f->cache, key, &set);
	assert_int_equal(read_all(f, key, &last), 10);
	assert_int_equal(last, 0);   /* control: read to its end */
	/* It claims an entry more than it holds. */
	tamper(f, "UPDATE outcome_sets SET entries = entries + 1");
	assert_int_equal(read_all(f, key, &last), 10);
	assert_int_equal(last, REVQ_ERROR);
	/* Its body is cut in the middle of an entry. */
	tamper(f, "UPDATE outcome_sets SET entries = 10, body = substr(body, 1, 150)");
	assert_int_equal(read_all(f, key, &last), 1);
	assert_int_equal(last, REVQ_ERROR);
	outcomes_release(&set);
}

static void test_only_the_newest_sets_are_kept(void **state)
{
	struct fixture *f = *state;
	unsigned char key[CACHE_KEY_SIZE];
	struct outcomes set;
	int last;

	make_set(&set, 3, 1);
	for (int i = 0; i < 12; i++) {
		key_of(key, 10 + i);
		cache_put_outcomes(f->cache, key, &set);
	}
	for (int i = 0; i < 12; i++) {
		key_of(key, 10 + i);
		assert_int_equal(read_all(f, key, &last), i < 4 ? 0 : 3);
	}
	outcomes_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_stored_set_reads_back_in_commit_order_across_the_buffer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_detail_past_its_bound_is_cut_not_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_damaged_set_is_read_no_further_than_it_parses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_only_the_newest_sets_are_kept, setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
