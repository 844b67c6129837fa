/*
 * walkblob.c: encoding a pending walk (its answer and the graph it met)
 * as one blob for a snapshot, and reading either part back, every count,
 * index and the checksum checked first (layout in walkblob.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "store/bytes.h"
#include "store/walkblob.h"

#define MAGIC "revqwalk"
#define MAGIC_SIZE 8
#define HEADER_SIZE (MAGIC_SIZE + 4 + WALKBLOB_KEY_SIZE + 6 * 4)
#define NODE_SIZE (GIT_OID_RAWSZ + 8 + 4 + 4)
#define RESULT_SIZE 12
#define CHECKSUM_SIZE 8

/* The sections of a well-formed blob. */
struct view {
	const unsigned char *key;
	uint32_t nodes, parents, results, refs, labels, label_bytes;
	const unsigned char *label_text, *node, *parent, *result, *ref;
};

/*
 * A 64-bit mix of the bytes, a word at a time in the machine's order (a
 * cache moved to another kind of machine reads as damaged, and is walked
 * again).  Not a MAC: the cache is private to its user (cache.c).
 */
static uint64_t checksum(const unsigned char *p, size_t size)
{
	uint64_t h = 0x6a09e667f3bcc908ull ^ size, word;
	size_t i = 0;

	for (; i + 8 <= size; i += 8) {
		memcpy(&word, p + i, 8);
		h = (h ^ word) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < size) {
		word = 0;
		memcpy(&word, p + i, size - i);
		h = (h ^ word) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return h;
}

/* ---- encoding ---- */

/* The index of label in labels, added when new; last is the one found before. */
static uint32_t label_index(struct strvec *labels, const char *label, uint32_t *last)
{
	if (*last < labels->nr && !strcmp(labels->v[*last], label))
		return *last;
	for (size_t i = 0; i < labels->nr; i++)
		if (!strcmp(labels->v[i], label))
			return *last = (uint32_t)i;
	strvec_push(labels, label);
	return *last = (uint32_t)(labels->nr - 1);
}

/*
 * The refs as label indices (*refs, owned), where each commit's start
 * (*first, owned), and the labels, in order of first use.  A commit with
 * the refs of the one before it (most of a branch) shares its entries.
 */
static void index_refs(uint32_t **refs, size_t *refs_nr, uint32_t **first, struct strvec *labels,
		       const struct pending *pending)
{
	size_t alloc = 0, last_start = 0, last_nr = 0;
	uint32_t last = 0;

	*refs = NULL;
	*refs_nr = 0;
	*first = xcalloc(pending->nr ? pending->nr : 1, sizeof(**first));
	for (size_t i = 0; i < pending->nr; i++) {
		const struct strvec *r = &pending->commits[i].refs;
		size_t start = *refs_nr;

		ALLOC_GROW(*refs, *refs_nr + r->nr, alloc);
		for (size_t j = 0; j < r->nr; j++)
			(*refs)[(*refs_nr)++] = label_index(labels, r->v[j], &last);
		if (i && r->nr == last_nr &&
		    (!r->nr || !memcmp(*refs + start, *refs + last_start, r->nr * sizeof(**refs)))) {
			*refs_nr = start;   /* the same as the commit before: share them */
			start = last_start;
		}
		(*first)[i] = (uint32_t)start;
		last_start = start;
		last_nr = r->nr;
	}
}

/* 0 when graph is the one pending's walk learnt: a node for each commit, in range. */
static int check_pending_nodes(const struct pending *pending, const struct pending_graph *graph)
{
	if (graph->pending_nr != pending->nr || graph->nr >= PENDING_UNPARSED ||
	    graph->parents_nr >= PENDING_UNPARSED)
		return -1;
	for (size_t i = 0; i < pending->nr; i++)
		if (graph->pending[i] >= graph->nr ||
		    !git_oid_equal(&graph->nodes[graph->pending[i]].id, &pending->commits[i].id))
			return -1;
	return 0;
}

static unsigned char *put_nodes(unsigned char *p, const struct pending_graph *graph)
{
	for (size_t i = 0; i < graph->nr; i++, p += NODE_SIZE) {
		const struct pending_node *n = &graph->nodes[i];

		memcpy(p, n->id.id, GIT_OID_RAWSZ);
		put_u64(p + GIT_OID_RAWSZ, (uint64_t)n->time);
		put_u32(p + GIT_OID_RAWSZ + 8, n->parents);
		put_u32(p + GIT_OID_RAWSZ + 12, n->parents_nr);
	}
	for (size_t i = 0; i < graph->parents_nr; i++, p += 4)
		put_u32(p, graph->parents[i]);
	return p;
}

static unsigned char *put_results(unsigned char *p, const struct pending *pending,
				  const struct pending_graph *graph, const uint32_t *first,
				  const uint32_t *refs, size_t refs_nr)
{
	for (size_t i = 0; i < pending->nr; i++, p += RESULT_SIZE) {
		put_u32(p, graph->pending[i]);
		put_u32(p + 4, first[i]);
		put_u32(p + 8, (uint32_t)pending->commits[i].refs.nr);
	}
	for (size_t i = 0; i < refs_nr; i++, p += 4)
		put_u32(p, refs[i]);
	return p;
}

int walkblob_encode(struct strbuf *out, const unsigned char key[WALKBLOB_KEY_SIZE],
		    const struct pending *pending, const struct pending_graph *graph)
{
	struct strvec labels = STRVEC_INIT;
	uint32_t *refs, *first;
	size_t refs_nr, text = 0, size, start = out->len;
	unsigned char *p;

	if (check_pending_nodes(pending, graph))
		return -1;
	index_refs(&refs, &refs_nr, &first, &labels, pending);
	for (size_t i = 0; i < labels.nr; i++)
		text += strlen(labels.v[i]) + 1;
	size = HEADER_SIZE + text + graph->nr * NODE_SIZE + graph->parents_nr * 4 +
	       pending->nr * RESULT_SIZE + refs_nr * 4 + CHECKSUM_SIZE;
	if (refs_nr < UINT32_MAX && text < UINT32_MAX) {
		strbuf_grow(out, size);
		p = (unsigned char *)out->buf + start;
		memcpy(p, MAGIC, MAGIC_SIZE);
		put_u32(p + MAGIC_SIZE, WALKBLOB_FORMAT);
		memcpy(p + MAGIC_SIZE + 4, key, WALKBLOB_KEY_SIZE);
		put_u32(p + 32, (uint32_t)graph->nr);
		put_u32(p + 36, (uint32_t)graph->parents_nr);
		put_u32(p + 40, (uint32_t)pending->nr);
		put_u32(p + 44, (uint32_t)refs_nr);
		put_u32(p + 48, (uint32_t)labels.nr);
		put_u32(p + 52, (uint32_t)text);
		p += HEADER_SIZE;
		for (size_t i = 0; i < labels.nr; i++) {
			size_t len = strlen(labels.v[i]) + 1;

			memcpy(p, labels.v[i], len);
			p += len;
		}
		p = put_results(put_nodes(p, graph), pending, graph, first, refs, refs_nr);
		put_u64(p, checksum((const unsigned char *)out->buf + start, size - CHECKSUM_SIZE));
		strbuf_setlen(out, start + size);
	}
	free(refs);
	free(first);
	strvec_clear(&labels);
	return out->len == start ? -1 : 0;
}

/* ---- decoding ---- */

static int labels_well_formed(const struct view *v)
{
	uint32_t nuls = 0;

	for (uint32_t i = 0; i < v->label_bytes; i++)
		nuls += !v->label_text[i];
	return nuls == v->labels && (!v->label_bytes || !v->label_text[v->label_bytes - 1]);
}

static int nodes_well_formed(const struct view *v)
{
	for (uint32_t i = 0; i < v->nodes; i++) {
		const unsigned char *n = v->node + (size_t)i * NODE_SIZE;
		uint64_t first = get_u32(n + GIT_OID_RAWSZ + 8), nr = get_u32(n + GIT_OID_RAWSZ + 12);

		if (nr != PENDING_UNPARSED && first + nr > v->parents)
			return 0;
	}
	for (uint32_t i = 0; i < v->parents; i++)
		if (get_u32(v->parent + (size_t)i * 4) >= v->nodes)
			return 0;
	return 1;
}

static int results_well_formed(const struct view *v)
{
	for (uint32_t i = 0; i < v->results; i++) {
		const unsigned char *r = v->result + (size_t)i * RESULT_SIZE;

		if (get_u32(r) >= v->nodes || (uint64_t)get_u32(r + 4) + get_u32(r + 8) > v->refs)
			return 0;
	}
	for (uint32_t i = 0; i < v->refs; i++)
		if (get_u32(v->ref + (size_t)i * 4) >= v->labels)
			return 0;
	return 1;
}

/* 0 and the sections when data is a well-formed blob of this format, else -1. */
static int parse_view(struct view *v, const void *data, size_t size)
{
	const unsigned char *p = data;
	uint64_t need;

	if (!p || size < HEADER_SIZE + CHECKSUM_SIZE || memcmp(p, MAGIC, MAGIC_SIZE) ||
	    get_u32(p + MAGIC_SIZE) != WALKBLOB_FORMAT)
		return -1;
	v->key = p + MAGIC_SIZE + 4;
	v->nodes = get_u32(p + 32);
	v->parents = get_u32(p + 36);
	v->results = get_u32(p + 40);
	v->refs = get_u32(p + 44);
	v->labels = get_u32(p + 48);
	v->label_bytes = get_u32(p + 52);
	need = (uint64_t)HEADER_SIZE + v->label_bytes + (uint64_t)v->nodes * NODE_SIZE +
	       (uint64_t)v->parents * 4 + (uint64_t)v->results * RESULT_SIZE +
	       (uint64_t)v->refs * 4 + CHECKSUM_SIZE;
	if (need != size || get_u64(p + size - CHECKSUM_SIZE) != checksum(p, size - CHECKSUM_SIZE))
		return -1;
	v->label_text = p + HEADER_SIZE;
	v->node = v->label_text + v->label_bytes;
	v->parent = v->node + (size_t)v->nodes * NODE_SIZE;
	v->result = v->parent + (size_t)v->parents * 4;
	v->ref = v->result + (size_t)v->results * RESULT_SIZE;
	return labels_well_formed(v) && nodes_well_formed(v) && results_well_formed(v) ? 0 : -1;
}

size_t walkblob_pending_footprint(const void *data, size_t size)
{
	struct view v;
	size_t bytes;

	if (parse_view(&v, data, size))
		return 0;
	bytes = v.label_bytes + v.labels * sizeof(char *);
	for (uint32_t i = 0; i < v.results; i++) {
		uint32_t nr = get_u32(v.result + (size_t)i * RESULT_SIZE + 8);

		if (nr)
			bytes += (nr + 1) * sizeof(char *);
	}
	return bytes;
}

/* Each label's text: from the pool's copy of the labels when there is a pool. */
static const char **label_texts(const struct view *v, struct pool *pool)
{
	const char **text = pool ? pool_alloc(pool, (v->labels + 1) * sizeof(*text))
				 : xcalloc(v->labels + 1, sizeof(*text));
	const char *base = (const char *)v->label_text;
	uint32_t n = 0;

	if (pool && v->label_bytes) {
		char *copy = pool_alloc(pool, v->label_bytes);

		memcpy(copy, v->label_text, v->label_bytes);
		base = copy;
	}
	for (uint32_t i = 0; i < v->label_bytes; i += (uint32_t)strlen(base + i) + 1)
		text[n++] = base + i;
	return text;
}

/* The refs of result r into out (empty). */
static void decode_refs(struct strvec *out, const struct view *v, const unsigned char *r,
			const char **text, struct pool *pool)
{
	uint32_t first = get_u32(r + 4), nr = get_u32(r + 8);

	if (!nr)
		return;
	if (pool) {
		out->v = pool_alloc(pool, (nr + 1) * sizeof(*out->v));
		for (uint32_t j = 0; j < nr; j++)
			out->v[j] = (char *)text[get_u32(v->ref + (size_t)(first + j) * 4)];
		out->nr = nr;
		out->alloc = 0;   /* borrowed (strvec.h) */
		return;
	}
	for (uint32_t j = 0; j < nr; j++)
		strvec_push(out, text[get_u32(v->ref + (size_t)(first + j) * 4)]);
}

int walkblob_decode_pending(struct pending *pending, const unsigned char key[WALKBLOB_KEY_SIZE],
			    const void *data, size_t size, struct pool *pool)
{
	const char **text;
	struct view v;

	memset(pending, 0, sizeof(*pending));
	if (parse_view(&v, data, size) || memcmp(v.key, key, WALKBLOB_KEY_SIZE))
		return REVQ_EUSAGE;
	text = label_texts(&v, pool);
	pending->commits = xcalloc(v.results ? v.results : 1, sizeof(*pending->commits));
	pending->alloc = v.results;
	for (uint32_t i = 0; i < v.results; i++) {
		const unsigned char *r = v.result + (size_t)i * RESULT_SIZE;
		struct pending_commit *pc = &pending->commits[pending->nr++];

		git_oid_fromraw(&pc->id, v.node + (size_t)get_u32(r) * NODE_SIZE);
		decode_refs(&pc->refs, &v, r, text, pool);
	}
	if (!pool)
		free(text);
	return 0;
}

int walkblob_decode_graph(struct pending_graph *graph, const void *data, size_t size)
{
	struct view v;

	memset(graph, 0, sizeof(*graph));
	if (parse_view(&v, data, size))
		return REVQ_EUSAGE;
	graph->nodes = xcalloc(v.nodes ? v.nodes : 1, sizeof(*graph->nodes));
	graph->nr = graph->alloc = v.nodes;
	graph->parents = xcalloc(v.parents ? v.parents : 1, sizeof(*graph->parents));
	graph->parents_nr = graph->parents_alloc = v.parents;
	for (uint32_t i = 0; i < v.parents; i++)
		graph->parents[i] = get_u32(v.parent + (size_t)i * 4);
	graph->pending = xcalloc(v.results ? v.results : 1, sizeof(*graph->pending));
	graph->pending_nr = v.results;
	for (uint32_t i = 0; i < v.results; i++)
		graph->pending[i] = get_u32(v.result + (size_t)i * RESULT_SIZE);
	/* Room for this walk's commits and a few new ones: the map never grows. */
	oidmap_reserve(&graph->index, v.nodes + 64);
	for (uint32_t i = 0; i < v.nodes; i++) {
		const unsigned char *n = v.node + (size_t)i * NODE_SIZE;
		struct pending_node *k = &graph->nodes[i];

		git_oid_fromraw(&k->id, n);
		k->time = (int64_t)get_u64(n + GIT_OID_RAWSZ);
		k->parents = get_u32(n + GIT_OID_RAWSZ + 8);
		k->parents_nr = get_u32(n + GIT_OID_RAWSZ + 12);
		oidmap_put(&graph->index, &k->id, i);
	}
	return 0;
}
