/*
 * test_walkblob.c: the byte form of a pending walk in a snapshot
 * (walkblob.h).  What is written reads back the same, pending set and
 * graph; a blob read under another key is no pending set of this one;
 * any changed or missing byte reads as absent (the queue walks again).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "base/pool.h"
#include "store/walkblob.h"

static const unsigned char key[WALKBLOB_KEY_SIZE] = "snapshot-key-0123456";
static const unsigned char other_key[WALKBLOB_KEY_SIZE] = "snapshot-key-6543210";

/* Three commits: c2 (a merge of c1 and c0) and c1 pending, c0 only met as a parent. */
static void sample(struct pending *p, struct pending_graph *g)
{
	static const char *const ids[] = {
		"2222222222222222222222222222222222222222",
		"1111111111111111111111111111111111111111",
		"0000000000000000000000000000000000000001",
	};

	memset(p, 0, sizeof(*p));
	memset(g, 0, sizeof(*g));
	g->nodes = xcalloc(3, sizeof(*g->nodes));
	g->nr = g->alloc = 3;
	for (int i = 0; i < 3; i++)
		git_oid_fromstr(&g->nodes[i].id, ids[i]);
	g->nodes[0].time = INT64_C(1767225600);
	g->nodes[0].parents = 0;
	g->nodes[0].parents_nr = 2;
	g->nodes[1].time = -5;   /* before the epoch */
	g->nodes[1].parents = 2;
	g->nodes[1].parents_nr = 1;
	g->nodes[2].parents_nr = PENDING_UNPARSED;
	g->parents = xcalloc(3, sizeof(*g->parents));
	g->parents[0] = 1;
	g->parents[1] = 2;
	g->parents[2] = 2;
	g->parents_nr = g->parents_alloc = 3;
	p->commits = xcalloc(2, sizeof(*p->commits));
	p->nr = p->alloc = 2;
	g->pending = xcalloc(2, sizeof(*g->pending));
	g->pending_nr = 2;
	for (int i = 0; i < 2; i++) {
		git_oid_cpy(&p->commits[i].id, &g->nodes[i].id);
		g->pending[i] = (uint32_t)i;
	}
	strvec_push(&p->commits[0].refs, "ai/work");
	strvec_push(&p->commits[1].refs, "ai/work");
	strvec_push(&p->commits[1].refs, "origin/ai/w\xc3\xa9rk");
}

static void assert_same_pending(const struct pending *a, const struct pending *b)
{
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++) {
		assert_true(git_oid_equal(&a->commits[i].id, &b->commits[i].id));
		assert_int_equal(a->commits[i].refs.nr, b->commits[i].refs.nr);
		for (size_t j = 0; j < a->commits[i].refs.nr; j++)
			assert_string_equal(a->commits[i].refs.v[j], b->commits[i].refs.v[j]);
	}
}

static void test_a_walk_reads_back_as_written(void **state)
{
	struct pending p, back, pooled;
	struct pending_graph g, graph;
	struct strbuf blob = STRBUF_INIT;
	struct pool *pool;
	size_t at;

	(void)state;
	sample(&p, &g);
	assert_int_equal(walkblob_encode(&blob, key, &p, &g), 0);
	assert_int_equal(walkblob_decode_pending(&back, key, blob.buf, blob.len, NULL), 0);
	assert_same_pending(&back, &p);
	pool = pool_new(walkblob_pending_footprint(blob.buf, blob.len), 4);
	assert_int_equal(walkblob_decode_pending(&pooled, key, blob.buf, blob.len, pool), 0);
	assert_same_pending(&pooled, &p);
	assert_int_equal(pooled.commits[1].refs.alloc, 0);   /* borrowed from the pool */
	assert_int_equal(walkblob_decode_graph(&graph, blob.buf, blob.len), 0);
	assert_int_equal(graph.nr, 3);
	assert_int_equal(graph.parents_nr, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(git_oid_equal(&graph.nodes[i].id, &g.nodes[i].id));
		assert_true(graph.nodes[i].time == g.nodes[i].time);
		assert_int_equal(graph.nodes[i].parents_nr, g.nodes[i].parents_nr);
		assert_int_equal(graph.parents[i], g.parents[i]);
		assert_true(oidmap_get(&graph.index, &g.nodes[i].id, &at));
		assert_int_equal(at, i);
	}
	assert_int_equal(graph.pending_nr, 2);
	pending_release(&pooled);
	pool_free(pool);
	pending_release(&back);
	pending_graph_release(&graph);
	pending_graph_release(&g);
	pending_release(&p);
	strbuf_release(&blob);
}

/* A snapshot row copied under another key is not that snapshot; its graph still holds. */
static void test_a_walk_under_another_key_is_no_pending_set(void **state)
{
	struct pending p, back;
	struct pending_graph g, graph;
	struct strbuf blob = STRBUF_INIT;

	(void)state;
	sample(&p, &g);
	assert_int_equal(walkblob_encode(&blob, key, &p, &g), 0);
	assert_int_equal(walkblob_decode_pending(&back, other_key, blob.buf, blob.len, NULL), REVQ_EUSAGE);
	assert_int_equal(back.nr, 0);
	assert_int_equal(walkblob_decode_graph(&graph, blob.buf, blob.len), 0);
	pending_graph_release(&graph);
	pending_graph_release(&g);
	pending_release(&p);
	strbuf_release(&blob);
}

/* Every byte changed, and every length short of the whole, reads as absent. */
static void test_a_damaged_walk_reads_as_absent(void **state)
{
	struct pending p, back;
	struct pending_graph g, graph;
	struct strbuf blob = STRBUF_INIT;

	(void)state;
	sample(&p, &g);
	assert_int_equal(walkblob_encode(&blob, key, &p, &g), 0);
	for (size_t i = 0; i < blob.len; i++) {
		blob.buf[i] ^= 0x20;
		assert_int_equal(walkblob_decode_pending(&back, key, blob.buf, blob.len, NULL), REVQ_EUSAGE);
		assert_int_equal(walkblob_decode_graph(&graph, blob.buf, blob.len), REVQ_EUSAGE);
		assert_int_equal(walkblob_pending_footprint(blob.buf, blob.len), 0);
		blob.buf[i] ^= 0x20;
	}
	for (size_t len = 0; len < blob.len; len++)
		assert_int_equal(walkblob_decode_graph(&graph, blob.buf, len), REVQ_EUSAGE);
	assert_int_equal(walkblob_decode_graph(&graph, NULL, 0), REVQ_EUSAGE);
	pending_graph_release(&g);
	pending_release(&p);
	strbuf_release(&blob);
}

/* A graph that is not the walk's (a commit without its node) is not written. */
static void test_a_walk_without_its_graph_is_not_written(void **state)
{
	struct pending p;
	struct pending_graph g;
	struct strbuf blob = STRBUF_INIT;

	(void)state;
	sample(&p, &g);
	g.pending[1] = 2;   /* names c0 for c1 */
	assert_int_equal(walkblob_encode(&blob, key, &p, &g), -1);
	assert_int_equal(blob.len, 0);
	g.pending_nr = 1;
	assert_int_equal(walkblob_encode(&blob, key, &p, &g), -1);
	pending_graph_release(&g);
	pending_release(&p);
	strbuf_release(&blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_walk_reads_back_as_written),
		cmocka_unit_test(test_a_walk_under_another_key_is_no_pending_set),
		cmocka_unit_test(test_a_damaged_walk_reads_as_absent),
		cmocka_unit_test(test_a_walk_without_its_graph_is_not_written),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
