/*
 * pending.c: finding the commits that await review with a commit-date
 * ordered walk, git's own for `rev-list B --not A` (limit_list() in
 * git's revision.c): commits reachable from an excluded tip are painted
 * uninteresting and their paint spreads to ancestors.  Missing parents
 * (shallow clones, partial repositories) and the commits $GIT_DIR/shallow
 * lists end a line of history instead of failing the walk; the result
 * says whether that happened on the pending side (pending.h).
 * Given the graph an earlier walk read (pending.h), the walk takes each
 * commit's date and parents from there instead of reading it again: the
 * same walk, at the cost of the commits that are new to it.
 * tests/integration/test_walk.c holds the result to git's on random
 * graphs, cold and after the refs moved.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/oidmap.h"
#include "git/pending.h"

static void add_include(struct pending_spec *spec, const git_oid *id, const char *label)
{
	struct pending_tip *tip;

	ALLOC_GROW(spec->include, spec->include_nr + 1, spec->include_alloc);
	tip = &spec->include[spec->include_nr++];
	git_oid_cpy(&tip->id, id);
	tip->label = xstrdup(label);
}

static void add_exclude(struct pending_spec *spec, const git_oid *id)
{
	ALLOC_GROW(spec->exclude, spec->exclude_nr + 1, spec->exclude_alloc);
	git_oid_cpy(&spec->exclude[spec->exclude_nr++], id);
}

static int peel_to_commit(git_oid *out, git_reference *ref)
{
	git_object *obj;

	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT)) {
		git_error_clear();
		return -1;
	}
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return 0;
}

struct glob_walk {
	struct pending_spec *spec;
	const struct target *target;
	struct strvec seen;
};

static int on_ref(git_reference *ref, void *payload)
{
	struct glob_walk *w = payload;
	const char *name = git_reference_name(ref);
	git_oid id;

	if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC ||
	    (w->target->refname && !strcmp(name, w->target->refname)) ||
	    strvec_contains(&w->seen, name) || peel_to_commit(&id, ref)) {
		git_reference_free(ref);
		return 0;
	}
	strvec_push(&w->seen, name);
	add_include(w->spec, &id, repo_shorten_ref(name));
	git_reference_free(ref);
	return 0;
}

static int compare_tips(const void *a, const void *b)
{
	return strcmp(((const struct pending_tip *)a)->label, ((const struct pending_tip *)b)->label);
}

int pending_spec_from_refs(struct pending_spec *out, struct repo *repo,
			   const struct target *target)
{
	struct glob_walk w = { out, target, STRVEC_INIT };
	const struct strvec *globs = &repo->settings.pending;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < globs->nr; i++) {
		git_reference_iterator *it;
		git_reference *ref;

		if (git_reference_iterator_glob_new(&it, repo->git, globs->v[i])) {
			strvec_clear(&w.seen);
			pending_spec_release(out);
			return error_set_git(REVQ_ERROR, "cannot list refs matching '%s'", globs->v[i]);
		}
		while (!git_reference_next(&ref, it))
			on_ref(ref, &w);
		git_reference_iterator_free(it);
	}
	git_error_clear();
	strvec_clear(&w.seen);
	if (git_repository_head_detached(repo->git) == 1) {
		git_reference *head;
		git_oid id;

		if (!git_repository_head(&head, repo->git)) {
			if (!peel_to_commit(&id, head))
				add_include(out, &id, "HEAD");
			git_reference_free(head);
		}
	}
	if (out->include_nr > 1)
		qsort(out->include, out->include_nr, sizeof(*out->include), compare_tips);
	add_exclude(out, &target->id);
	return 0;
}

static int add_range(struct pending_spec *spec, struct repo *repo, const char *range,
		     int *has_exclusion)
{
	const char *dots = strstr(range, "..");
	git_oid id;
	int rc;

	if (range[0] == '^') {
		if ((rc = repo_resolve_commit(&id, repo, range + 1)))
			return rc;
		add_exclude(spec, &id);
		*has_exclusion = 1;
		return 0;
	}
	if (!dots)
		return (rc = repo_resolve_commit(&id, repo, range)) ? rc
			: (add_include(spec, &id, range), 0);
	if (dots[2] == '.')
		return error_set(REVQ_EUSAGE, "symmetric ranges (A...B) are not supported: '%s'", range);
	{
		char *left = xstrndup(range, (size_t)(dots - range));
		const char *right = *(dots + 2) ? dots + 2 : "HEAD";

		rc = repo_resolve_commit(&id, repo, *left ? left : "HEAD");
		free(left);
		if (rc)
			return rc;
		add_exclude(spec, &id);
		*has_exclusion = 1;
		if ((rc = repo_resolve_commit(&id, repo, right)))
			return rc;
		add_include(spec, &id, right);
	}
	return 0;
}

int pending_spec_from_ranges(struct pending_spec *out, struct repo *repo,
			     const struct target *target, const char *const *ranges, size_t nr)
{
	int has_exclusion = 0, rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nr; i++) {
		if ((rc = add_range(out, repo, ranges[i], &has_exclusion))) {
			pending_spec_release(out);
			return rc;
		}
	}
	/* Like `git log B` would, but a review range without a base means "since the target". */
	if (!has_exclusion && target)
		add_exclude(out, &target->id);
	return 0;
}

void pending_spec_release(struct pending_spec *spec)
{
	for (size_t i = 0; i < spec->include_nr; i++)
		free(spec->include[i].label);
	free(spec->include);
	free(spec->exclude);
	memset(spec, 0, sizeof(*spec));
}

void pending_spec_describe(struct strbuf *out, const struct pending_spec *spec)
{
	char hex[GIT_OID_HEXSZ + 1];

	for (size_t i = 0; i < spec->include_nr; i++) {
		git_oid_tostr(hex, sizeof(hex), &spec->include[i].id);
		strbuf_addf(out, "+%s %s\n", hex, spec->include[i].label);
	}
	for (size_t i = 0; i < spec->exclude_nr; i++) {
		git_oid_tostr(hex, sizeof(hex), &spec->exclude[i]);
		strbuf_addf(out, "-%s\n", hex);
	}
}

/* ---- the walk ---- */

/*
 * The walk is git's limit_list() (revision.c), so that the pending set is
 * exactly `git rev-list CANDIDATES --not TARGET`: a commit enters the
 * queue once (NODE_SEEN, never cleared), the queue is ordered by commit
 * date with ties first in, first out (git's commit_list_insert_by_date),
 * and the walk stops as git's still_interesting() says.  git's early stop
 * can only report too much, never too little: once everything queued is
 * uninteresting, so is everything below it.
 */
enum {
	NODE_INTERESTING = 1 << 0,
	NODE_UNINTERESTING = 1 << 1,
	NODE_SEEN = 1 << 2,      /* queued once; never queued again */
	NODE_PARSED = 1 << 3,
	NODE_BOUNDARY = 1 << 4,  /* missing, or listed in $GIT_DIR/shallow: history ends */
	NODE_MISSING = 1 << 5,   /* not in the repository */
	NODE_KNOWN = 1 << 6,     /* date and parents from a known graph, not yet read */
};

#define NO_NODE ((size_t)-1)

struct node {
	git_oid id;
	int64_t time;
	uint64_t seq;        /* when it was queued: ties leave in that order */
	size_t parents;      /* index into graph.parent_ids */
	unsigned parents_nr;
	unsigned flags;
	size_t label_mark;   /* last tip that labelled it, plus one */
	size_t result;       /* index into pending->commits, plus one */
};

struct graph {
	git_repository *repo;   /* not owned */
	struct node *nodes;     /* owned */
	size_t nr, alloc;
	size_t *parent_ids;     /* owned */
	size_t parent_ids_nr, parent_ids_alloc;
	struct oidmap index;    /* owned: id -> index into nodes */
	struct oidmap shallow;  /* owned: the commits $GIT_DIR/shallow lists */
	size_t *heap;           /* owned: indices into nodes */
	size_t heap_nr, heap_alloc;
	uint64_t seq;
	size_t interesting_cache;   /* a queued node last seen interesting, or NO_NODE */
};

static size_t node_for(struct graph *g, const git_oid *id)
{
	size_t i;

	if (oidmap_get(&g->index, id, &i))
		return i;
	ALLOC_GROW(g->nodes, g->nr + 1, g->alloc);
	memset(&g->nodes[g->nr], 0, sizeof(g->nodes[0]));
	git_oid_cpy(&g->nodes[g->nr].id, id);
	oidmap_put(&g->index, id, g->nr);
	return g->nr++;
}

static int heap_before(const struct graph *g, size_t a, size_t b)
{
	const struct node *x = &g->nodes[a], *y = &g->nodes[b];

	return x->time != y->time ? x->time > y->time : x->seq < y->seq;
}

/* Queues n unless it was queued before (then or now). */
static void heap_push(struct graph *g, size_t n)
{
	size_t i;

	if (g->nodes[n].flags & NODE_SEEN)
		return;
	g->nodes[n].flags |= NODE_SEEN;
	g->nodes[n].seq = g->seq++;
	ALLOC_GROW(g->heap, g->heap_nr + 1, g->heap_alloc);
	i = g->heap_nr++;
	g->heap[i] = n;
	while (i && heap_before(g, g->heap[i], g->heap[(i - 1) / 2])) {
		size_t p = (i - 1) / 2, t = g->heap[p];

		g->heap[p] = g->heap[i];
		g->heap[i] = t;
		i = p;
	}
}

static size_t heap_pop(struct graph *g)
{
	size_t top = g->heap[0], i = 0;

	g->heap[0] = g->heap[--g->heap_nr];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, best = i, t;

		if (l < g->heap_nr && heap_before(g, g->heap[l], g->heap[best]))
			best = l;
		if (r < g->heap_nr && heap_before(g, g->heap[r], g->heap[best]))
			best = r;
		if (best == i)
			break;
		t = g->heap[best];
		g->heap[best] = g->heap[i];
		g->heap[i] = t;
		i = best;
	}
	if (top == g->interesting_cache)
		g->interesting_cache = NO_NODE;
	return top;
}

/* Sets the parents of node n (count of them, ids from commit). */
static void set_parents(struct graph *g, size_t n, unsigned count, const git_commit *commit)
{
	ALLOC_GROW(g->parent_ids, g->parent_ids_nr + count, g->parent_ids_alloc);
	g->nodes[n].parents = g->parent_ids_nr;
	g->nodes[n].parents_nr = count;
	for (unsigned i = 0; i < count; i++) {
		size_t p = node_for(g, git_commit_parent_id(commit, i));

		g->parent_ids[g->nodes[n].parents + i] = p;
	}
	g->parent_ids_nr += count;
}

/*
 * Reads a commit's date and parents; needed before it can be queued by
 * date.  Returns 1 for a commit that is not there (history ends), with
 * NODE_BOUNDARY set.  A commit that $GIT_DIR/shallow lists has no
 * parents, as in git, whatever libgit2 finds.
 */
static int parse_node(struct graph *g, size_t n, int required)
{
	git_commit *commit;
	unsigned count;
	size_t ignored;

	if (g->nodes[n].flags & NODE_PARSED)
		return !!(g->nodes[n].flags & NODE_MISSING);
	g->nodes[n].flags |= NODE_PARSED;
	/* The tips come from the repository (required): they check the known graph. */
	if (!required && (g->nodes[n].flags & NODE_KNOWN) &&
	    !oidmap_get(&g->shallow, &g->nodes[n].id, &ignored))
		return 0;
	g->nodes[n].flags &= ~NODE_KNOWN;
	if (git_commit_lookup(&commit, g->repo, &g->nodes[n].id)) {
		if (required)
			return error_set_git(REVQ_ERROR, "cannot read commit %s",
					     git_oid_tostr_s(&g->nodes[n].id));
		git_error_clear();
		g->nodes[n].flags |= NODE_BOUNDARY | NODE_MISSING;
		g->nodes[n].time = INT64_MIN;
		return 1;
	}
	g->nodes[n].time = git_commit_time(commit);
	count = git_commit_parentcount(commit);
	if (oidmap_get(&g->shallow, &g->nodes[n].id, &ignored)) {
		g->nodes[n].flags |= NODE_BOUNDARY;
		count = 0;
	}
	set_parents(g, n, count, commit);
	git_commit_free(commit);
	return 0;
}

/*
 * Forgets the known graph: what was read from it so far (nothing but the
 * tips, which come from the repository) stays, the rest is read again.
 */
static void forget_known(struct graph *g)
{
	for (size_t i = 0; i < g->nr; i++)
		g->nodes[i].flags &= ~NODE_KNOWN;
}

/*
 * Reads tip n from the repository; when the known graph said something
 * else of it (date, parents), it was not written for these commits, and
 * none of it is used.
 */
static int parse_tip(struct graph *g, size_t n)
{
	struct node before = g->nodes[n];
	int rc = parse_node(g, n, 1);

	if (rc || !(before.flags & NODE_KNOWN))
		return rc;
	if (before.time != g->nodes[n].time || before.parents_nr != g->nodes[n].parents_nr) {
		forget_known(g);
		return 0;
	}
	for (unsigned i = 0; i < before.parents_nr; i++)
		if (g->parent_ids[before.parents + i] != g->parent_ids[g->nodes[n].parents + i]) {
			forget_known(g);
			break;
		}
	return 0;
}

/*
 * git's mark_parents_uninteresting(): paints the parents of n, and the
 * parents of every parsed commit painted, stopping at commits already
 * painted.
 */
static void paint_parents(struct graph *g, size_t n)
{
	size_t *stack = NULL, nr = 0, alloc = 0;
	size_t first = g->nodes[n].parents;
	unsigned count = g->nodes[n].parents_nr;

	for (unsigned i = count; i-- > 0;) {
		ALLOC_GROW(stack, nr + 1, alloc);
		stack[nr++] = g->parent_ids[first + i];
	}
	while (nr) {
		struct node *node = &g->nodes[stack[--nr]];

		if (node->flags & NODE_UNINTERESTING)
			continue;
		node->flags |= NODE_UNINTERESTING;
		for (unsigned i = node->parents_nr; i-- > 0;) {
			ALLOC_GROW(stack, nr + 1, alloc);
			stack[nr++] = g->parent_ids[node->parents + i];
		}
	}
	free(stack);
}

/* git's everybody_uninteresting(), with its cache of an interesting queued commit. */
static int everybody_uninteresting(struct graph *g)
{
	if (g->interesting_cache != NO_NODE &&
	    !(g->nodes[g->interesting_cache].flags & NODE_UNINTERESTING))
		return 0;
	for (size_t i = 0; i < g->heap_nr; i++)
		if (!(g->nodes[g->heap[i]].flags & NODE_UNINTERESTING)) {
			g->interesting_cache = g->heap[i];
			return 0;
		}
	return 1;
}

/* git's process_parents(): paints and queues the parents of n. */
static void process_parents(struct graph *g, size_t n)
{
	/* parse_node() may move g->nodes; keep copies, not a pointer. */
	int uninteresting = !!(g->nodes[n].flags & NODE_UNINTERESTING);
	size_t first = g->nodes[n].parents;
	unsigned count = g->nodes[n].parents_nr;

	for (unsigned i = 0; i < count; i++) {
		size_t p = g->parent_ids[first + i];

		if (uninteresting) {
			g->nodes[p].flags |= NODE_UNINTERESTING;
			if (parse_node(g, p, 0))
				continue;
			if (g->nodes[p].parents_nr)
				paint_parents(g, p);
		} else {
			g->nodes[p].flags |= NODE_INTERESTING;
			if (parse_node(g, p, 0))
				continue;
		}
		heap_push(g, p);
	}
}

/* Commit-date slop, as in git: keep walking a few commits past the point
 * where everything queued is uninteresting, to survive clock skew. */
#define SLOP 5

/* git's still_interesting(): the slop left, 0 to stop. */
static int still_interesting(struct graph *g, int64_t date, int slop)
{
	if (!g->heap_nr)
		return 0;
	/* An interesting commit was dated before something still queued. */
	if (date <= g->nodes[g->heap[0]].time)
		return SLOP;
	if (!everybody_uninteresting(g))
		return SLOP;
	return slop - 1;
}

static void emit(struct graph *g, struct pending *out, size_t n)
{
	ALLOC_GROW(out->commits, out->nr + 1, out->alloc);
	memset(&out->commits[out->nr], 0, sizeof(out->commits[0]));
	git_oid_cpy(&out->commits[out->nr].id, &g->nodes[n].id);
	g->nodes[n].result = ++out->nr;
}

/* git's limit_list(). */
static void walk(struct graph *g, struct pending *out)
{
	int64_t date = INT64_MAX;
	int slop = SLOP;

	while (g->heap_nr) {
		size_t n = heap_pop(g);

		process_parents(g, n);
		if (g->nodes[n].flags & NODE_UNINTERESTING) {
			paint_parents(g, n);
			if ((slop = still_interesting(g, date, slop)))
				continue;
			break;
		}
		date = g->nodes[n].time;
		emit(g, out, n);
	}
}

/* Labels every result commit with the tips that reach it. */
static void label(struct graph *g, struct pending *out, size_t tip, const char *name)
{
	size_t *stack = NULL, nr = 0, alloc = 0;

	ALLOC_GROW(stack, 1, alloc);
	stack[nr++] = tip;
	while (nr) {
		size_t n = stack[--nr];
		struct node *node = &g->nodes[n];

		if (node->label_mark == tip + 1 || (node->flags & NODE_UNINTERESTING) || !node->result)
			continue;
		node->label_mark = tip + 1;
		if (!strvec_contains(&out->commits[node->result - 1].refs, name))
			strvec_push(&out->commits[node->result - 1].refs, name);
		for (unsigned i = 0; i < node->parents_nr; i++) {
			ALLOC_GROW(stack, nr + 1, alloc);
			stack[nr++] = g->parent_ids[node->parents + i];
		}
	}
	free(stack);
}

/* Drops commits that turned out uninteresting after they were taken. */
static void drop_uninteresting(struct graph *g, struct pending *out)
{
	size_t kept = 0;

	for (size_t i = 0; i < out->nr; i++) {
		size_t n;

		oidmap_get(&g->index, &out->commits[i].id, &n);
		if (g->nodes[n].flags & NODE_UNINTERESTING) {
			strvec_clear(&out->commits[i].refs);
			continue;
		}
		out->commits[kept++] = out->commits[i];
	}
	out->nr = kept;
}

static void graph_release(struct graph *g)
{
	free(g->nodes);
	free(g->parent_ids);
	free(g->heap);
	oidmap_clear(&g->index);
	oidmap_clear(&g->shallow);
}

/* The commits $GIT_DIR/shallow lists: git treats them as roots. */
static int read_shallow(struct graph *g)
{
	struct strbuf path = STRBUF_INIT;
	char line[256];
	FILE *f;
	int rc = 0;

	strbuf_addstr(&path, git_repository_commondir(g->repo));
	strbuf_addstr(&path, "shallow");
	f = fopen(path.buf, "r");
	if (!f) {
		rc = errno == ENOENT ? 0 : error_set(REVQ_ERROR, "cannot read %s: %s", path.buf,
						      strerror(errno));
		strbuf_release(&path);
		return rc;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		git_oid id;

		line[strcspn(line, "\r\n")] = '\0';
		if (strlen(line) != GIT_OID_HEXSZ || git_oid_fromstr(&id, line))
			rc = error_set(REVQ_ERROR, "malformed line in %s", path.buf);
		else
			oidmap_put(&g->shallow, &id, 0);
	}
	git_error_clear();
	fclose(f);
	strbuf_release(&path);
	return rc;
}

/*
 * Where the walk met the end of the history it has: shallow when at all;
 * incomplete when a boundary was reached from a pending commit and never
 * shown to be below the target, so commits may be missing from the set.
 */
static void find_boundaries(struct graph *g, struct pending *out)
{
	for (size_t i = 0; i < g->nr; i++) {
		if (!(g->nodes[i].flags & NODE_BOUNDARY))
			continue;
		out->shallow = 1;
		if (!(g->nodes[i].flags & NODE_UNINTERESTING))
			out->incomplete = 1;
	}
}

static int push_tip(struct graph *g, const git_oid *id, unsigned paint)
{
	size_t n = node_for(g, id);

	g->nodes[n].flags |= paint;
	if (parse_tip(g, n) < 0)
		return REVQ_ERROR;
	/* As git's handle_commit(): an excluded tip paints its parents at once. */
	if (paint & NODE_UNINTERESTING)
		paint_parents(g, n);
	heap_push(g, n);
	return 0;
}

/*
 * The graph to start from: the known nodes (those whose parents are in
 * range) with their dates and parents, and its index moved in; room in
 * out for as many commits as the known walk found; known is emptied.
 */
static void start_from_known(struct graph *g, struct pending *out, struct pending_graph *known)
{
	g->nodes = xcalloc(known->nr + 64, sizeof(*g->nodes));
	g->alloc = known->nr + 64;
	g->nr = known->nr;
	g->parent_ids = xcalloc(known->parents_nr + 64, sizeof(*g->parent_ids));
	g->parent_ids_alloc = known->parents_nr + 64;
	g->parent_ids_nr = known->parents_nr;
	for (size_t i = 0; i < known->parents_nr; i++)
		g->parent_ids[i] = known->parents[i];
	for (size_t i = 0; i < known->nr; i++) {
		const struct pending_node *k = &known->nodes[i];
		struct node *node = &g->nodes[i];
		int ok = k->parents_nr != PENDING_UNPARSED && k->parents <= known->parents_nr &&
			 k->parents_nr <= known->parents_nr - k->parents;

		for (uint32_t p = 0; ok && p < k->parents_nr; p++)
			ok = known->parents[k->parents + p] < known->nr;
		git_oid_cpy(&node->id, &k->id);
		if (ok) {
			node->time = k->time;
			node->parents = k->parents;
			node->parents_nr = k->parents_nr;
			node->flags = NODE_KNOWN;
		}
	}
	g->index = known->index;
	memset(&known->index, 0, sizeof(known->index));
	/* This walk's answer is about the last one's size: room for it at once. */
	out->commits = xcalloc(known->pending_nr + 64, sizeof(*out->commits));
	out->alloc = known->pending_nr + 64;
	pending_graph_release(known);
}

/* A node's date and parents are worth keeping: it was read, and history did not end there. */
static int learnable(const struct node *node)
{
	return (node->flags & NODE_PARSED) && !(node->flags & NODE_BOUNDARY);
}

/*
 * What this walk read into learnt (empty): the nodes it read and their
 * parents, renumbered (what a known graph had and this walk never met is
 * dropped, so the graph is the size of the walk), and the node of each
 * pending commit.
 */
static void learn(struct pending_graph *learnt, struct graph *g, const struct pending *out)
{
	uint32_t *renumber = xcalloc(g->nr ? g->nr : 1, sizeof(*renumber));
	size_t nr = 0, parents = 0;

	for (size_t i = 0; i < g->nr; i++)
		if (learnable(&g->nodes[i]))
			for (unsigned j = 0; j < g->nodes[i].parents_nr; j++)
				renumber[g->parent_ids[g->nodes[i].parents + j]] = 1;
	for (size_t i = 0; i < g->nr; i++) {
		if (learnable(&g->nodes[i])) {
			renumber[i] = 1;
			parents += g->nodes[i].parents_nr;
		}
		renumber[i] = renumber[i] ? (uint32_t)nr++ : PENDING_UNPARSED;
	}
	learnt->nodes = xcalloc(nr ? nr : 1, sizeof(*learnt->nodes));
	learnt->parents = xcalloc(parents ? parents : 1, sizeof(*learnt->parents));
	for (size_t i = 0; i < g->nr; i++) {
		const struct node *node = &g->nodes[i];
		struct pending_node *k;

		if (renumber[i] == PENDING_UNPARSED)
			continue;
		k = &learnt->nodes[learnt->nr++];
		git_oid_cpy(&k->id, &node->id);
		k->parents_nr = PENDING_UNPARSED;
		if (!learnable(node))
			continue;
		k->time = node->time;
		k->parents = (uint32_t)learnt->parents_nr;
		k->parents_nr = node->parents_nr;
		for (unsigned j = 0; j < node->parents_nr; j++)
			learnt->parents[learnt->parents_nr++] = renumber[g->parent_ids[node->parents + j]];
	}
	learnt->alloc = nr;
	learnt->parents_alloc = parents;
	learnt->pending = xcalloc(out->nr ? out->nr : 1, sizeof(*learnt->pending));
	for (size_t i = 0; i < out->nr; i++) {
		size_t n = 0;

		oidmap_get(&g->index, &out->commits[i].id, &n);
		learnt->pending[learnt->pending_nr++] = renumber[n];
	}
	free(renumber);
}

int pending_walk(struct pending *out, git_repository *repo, const struct pending_spec *spec)
{
	return pending_walk_known(out, repo, spec, NULL, NULL);
}

int pending_walk_known(struct pending *out, git_repository *repo, const struct pending_spec *spec,
		       struct pending_graph *known, struct pending_graph *learnt)
{
	struct graph g;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	g.repo = repo;
	g.interesting_cache = NO_NODE;
	if (known && known->nr < PENDING_UNPARSED)
		start_from_known(&g, out, known);
	else if (known)
		pending_graph_release(known);
	rc = read_shallow(&g);
	/* In the order of `git rev-list CANDIDATES --not TARGET`: ties in date go first in. */
	for (size_t i = 0; i < spec->include_nr && !rc; i++)
		rc = push_tip(&g, &spec->include[i].id, NODE_INTERESTING);
	for (size_t i = 0; i < spec->exclude_nr && !rc; i++)
		rc = push_tip(&g, &spec->exclude[i], NODE_UNINTERESTING);
	if (!rc) {
		walk(&g, out);
		for (size_t i = 0; i < spec->include_nr; i++) {
			size_t n;

			oidmap_get(&g.index, &spec->include[i].id, &n);
			label(&g, out, n, spec->include[i].label);
		}
		drop_uninteresting(&g, out);
		find_boundaries(&g, out);
		if (learnt && g.nr < PENDING_UNPARSED && g.parent_ids_nr < PENDING_UNPARSED)
			learn(learnt, &g, out);
	}
	graph_release(&g);
	if (rc)
		pending_release(out);
	return rc;
}

void pending_graph_release(struct pending_graph *graph)
{
	free(graph->nodes);
	free(graph->parents);
	free(graph->pending);
	oidmap_clear(&graph->index);
	memset(graph, 0, sizeof(*graph));
}

void pending_release(struct pending *pending)
{
	for (size_t i = 0; i < pending->nr; i++)
		strvec_clear(&pending->commits[i].refs);
	free(pending->commits);
	memset(pending, 0, sizeof(*pending));
}

/* ---- replacements git honours and libgit2 does not ---- */

int pending_grafts_path(struct strbuf *out, git_repository *repo)
{
	struct stat st;

	strbuf_addstr(out, git_repository_commondir(repo));
	strbuf_addstr(out, "info/grafts");
	return !lstat(out->buf, &st);   /* any entry there, a dangling link too */
}

/* The base git reads replace refs from. */
static const char *replace_base(void)
{
	const char *base = getenv("GIT_REPLACE_REF_BASE");

	return base && *base ? base : "refs/replace/";
}

int pending_has_replacements(git_repository *repo)
{
	struct strbuf path = STRBUF_INIT, glob = STRBUF_INIT;
	git_reference_iterator *it;
	git_reference *ref;
	int found = pending_grafts_path(&path, repo);

	strbuf_addstr(&glob, replace_base());
	if (glob.len && glob.buf[glob.len - 1] != '/')
		strbuf_addch(&glob, '/');
	strbuf_addch(&glob, '*');
	if (!found && !git_reference_iterator_glob_new(&it, repo, glob.buf)) {
		if (!git_reference_next(&ref, it)) {
			found = 1;
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	} else if (!found) {
		found = 1;   /* cannot tell: say there may be some */
	}
	git_error_clear();
	strbuf_release(&path);
	strbuf_release(&glob);
	return found;
}

/*
 * The object a replace ref replaces, as git's register_replace_ref()
 * reads it: the first 40 hex digits of the last part of the name.
 */
static int replaced_id(git_oid *out, const char *refname)
{
	const char *last = strrchr(refname, '/');

	last = last ? last + 1 : refname;
	if (strlen(last) < GIT_OID_HEXSZ || git_oid_fromstrn(out, last, GIT_OID_HEXSZ)) {
		git_error_clear();
		return -1;
	}
	return 0;
}

/* 1 and a reason in why when the replace ref `name` touches one of ids, or may. */
static int check_replace_ref(struct strbuf *why, git_repository *repo, const char *name,
			     const struct oidmap *ids)
{
	git_object_t type;
	git_oid id;
	size_t ignored;
	git_odb *odb;
	size_t size;
	int rc;

	if (replaced_id(&id, name))
		return 0;   /* git ignores it too ("bad replace ref name") */
	if (oidmap_get(ids, &id, &ignored)) {
		strbuf_addf(why, "%s replaces commit %s, which is in the range: git would "
			    "check out another commit than the one judged", name, git_oid_tostr_s(&id));
		return 1;
	}
	if (git_repository_odb(&odb, repo))
		return error_set_git(REVQ_ERROR, "cannot open the object database");
	rc = git_odb_read_header(&size, &type, odb, &id);
	git_odb_free(odb);
	git_error_clear();
	if (rc || type != GIT_OBJECT_COMMIT) {
		strbuf_addf(why, "%s replaces %s %s, which any commit in the range may contain",
			    name, rc ? "object" : git_object_type2string(type), git_oid_tostr_s(&id));
		return 1;
	}
	return 0;
}

int pending_replaced(struct strbuf *why, git_repository *repo, const git_oid *ids, size_t nr)
{
	struct strbuf path = STRBUF_INIT;
	struct oidmap set = OIDMAP_INIT;
	git_reference_iterator *it;
	git_reference *ref;
	const char *base = replace_base();
	int rc = 0;

	if (pending_grafts_path(&path, repo)) {
		strbuf_addf(why, "%s exists: git rewrites history with it, so the range is "
			    "not what revq judged; remove it", path.buf);
		strbuf_release(&path);
		return 1;
	}
	strbuf_release(&path);
	if (git_reference_iterator_new(&it, repo))
		return error_set_git(REVQ_ERROR, "cannot list refs");
	for (size_t i = 0; i < nr; i++)
		oidmap_put(&set, &ids[i], i);
	while (!rc && !git_reference_next(&ref, it)) {
		const char *name = git_reference_name(ref);

		if (!strncmp(name, base, strlen(base)))
			rc = check_replace_ref(why, repo, name, &set);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
	oidmap_clear(&set);
	return rc;
}
