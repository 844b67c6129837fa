/*
 * queue.c: building the review queue: find the pending commits (from a
 * cached snapshot when no ref moved), take their items from the cache,
 * compute the missing ones on every core, and order them by priority.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/progress.h"
#include "git/notes.h"
#include "judge/ainotes.h"
#include "queue/history.h"
#include "queue/queue.h"
#include "base/strbuf.h"

#define MAX_JOBS 8
#define PARALLEL_THRESHOLD 32   /* fewer items than this are not worth a thread */

/* ---- computing items in parallel ---- */

struct work {
	struct session *session;
	const git_oid *ids;
	struct item **out;
	size_t nr;
	unsigned flags;
	atomic_size_t next;
	atomic_size_t done;             /* items computed, for the progress report */
	atomic_int failed;
	pthread_mutex_t lock;
	char error[1024];
	int error_code;
};

static void record_failure(struct work *w, int rc)
{
	pthread_mutex_lock(&w->lock);
	if (!w->error_code) {
		w->error_code = rc;
		snprintf(w->error, sizeof(w->error), "%s", error_last());
	}
	pthread_mutex_unlock(&w->lock);
	atomic_store(&w->failed, 1);
}

#define SCAN_TITLE "Scanning commits"

/* reports: this is the calling thread, the one that reports progress. */
static void compute_range(struct work *w, git_repository *repo, int reports)
{
	size_t i;

	while (!atomic_load(&w->failed) && (i = atomic_fetch_add(&w->next, 1)) < w->nr) {
		int rc = item_compute(&w->out[i], repo, &w->ids[i], &w->session->rules, w->flags);
		size_t done = atomic_fetch_add(&w->done, 1) + 1;

		if (rc)
			record_failure(w, rc);
		if (reports)
			progress_update(SCAN_TITLE, done, w->nr);
		if (reports && progress_cancelled())   /* q in the console's cold start */
			record_failure(w, error_set(REVQ_ECANCELED, "stopped before the queue was ready"));
	}
}

/* Each thread has its own repository handle: libgit2 objects are not shared. */
static void *worker(void *arg)
{
	struct work *w = arg;
	git_repository *repo;

	/* The same object directories as the session's: a push's quarantine included. */
	if (repo_open_handle(&repo, w->session->repo)) {
		record_failure(w, error_wrap(REVQ_ERROR, "cannot open repository in worker"));
		return NULL;
	}
	compute_range(w, repo, 0);
	git_repository_free(repo);
	return NULL;
}

static unsigned default_jobs(const struct session *session)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (session->repo->settings.jobs > 0)
		return (unsigned)session->repo->settings.jobs;
	return cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : (unsigned)cpus;
}

int queue_compute_items(struct item **out, struct session *session, const git_oid *ids,
			size_t nr, unsigned flags, unsigned jobs)
{
	pthread_t threads[MAX_JOBS];
	struct work w;
	unsigned started = 0;

	memset(&w, 0, sizeof(w));
	w.session = session;
	w.ids = ids;
	w.out = out;
	w.nr = nr;
	w.flags = flags;
	pthread_mutex_init(&w.lock, NULL);
	memset(out, 0, nr * sizeof(*out));
	if (!jobs)
		jobs = default_jobs(session);
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (nr >= PARALLEL_THRESHOLD)
		for (; started + 1 < jobs; started++)
			if (pthread_create(&threads[started], NULL, worker, &w))
				break;
	/* The calling thread works too, with the session's own handle. */
	compute_range(&w, session->repo->git, 1);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (nr)
		progress_done(SCAN_TITLE, atomic_load(&w.done), nr);
	pthread_mutex_destroy(&w.lock);
	if (w.error_code) {
		for (size_t i = 0; i < nr; i++) {
			item_free(out[i]);
			out[i] = NULL;
		}
		return error_set(w.error_code, "%s", w.error);
	}
	queue_history_apply(session, out, nr);
	return 0;
}

/* ---- building the queue ---- */

/* Frees items[0..nr) and the array. */
static void free_items(struct item **items, size_t nr)
{
	for (size_t i = 0; items && i < nr; i++)
		item_free(items[i]);
	free(items);
}

/*
 * The pending set of one queue_build() or queue_find_pending(): from the
 * cached snapshot when no ref moved, else from a walk that reads from
 * the last snapshot's graph what it knows (git/pending.h), with the
 * items of a pack of copies when they are wanted (store/cache.h).
 */
struct snapshot {
	unsigned char key[CACHE_KEY_SIZE];
	struct pending pending;       /* owned; its refs may be borrowed from pool */
	struct pending_graph graph;   /* owned: what this process's walk met (empty when
	                                 the snapshot was read) */
	int walked;                   /* the pending set comes from a walk (graph is its) */
	struct item **items;          /* owned: pending.nr entries, each may be NULL; NULL when
	                                 items are not wanted */
	struct item **packed;         /* owned array, items not owned: items[] as the pack gave
	                                 them, to count what changed since (NULL without items) */
	int64_t pack;                 /* the pack the items came from, or 0 */
	struct pool *pool;            /* owned: the blocks of what was read from the cache, or NULL
	                                 (then everything is from malloc()) */
	int stale;                    /* to be stored once the items are complete */
};

/* The cache key of a pending spec: the tips and exclusions, in order. */
static void snapshot_key(unsigned char key[CACHE_KEY_SIZE], const struct pending_spec *spec)
{
	struct strbuf desc = STRBUF_INIT;
	git_oid hash;

	strbuf_addstr(&desc, "revq-snapshot-v2\n");   /* v2: the walk lists each commit once */
	pending_spec_describe(&desc, spec);
	git_odb_hash(&hash, desc.buf, desc.len, GIT_OBJECT_BLOB);
	memcpy(key, hash.id, CACHE_KEY_SIZE);
	strbuf_release(&desc);
}

/*
 * The walk when no snapshot has this key: what the last snapshot's walk
 * met is read from there, the rest from the repository, and the items
 * come from its pack.
 */
static int snapshot_walk(struct snapshot *snap, struct session *s, const struct pending_spec *spec,
			 int want_items)
{
	struct pending_graph known = PENDING_GRAPH_INIT;
	int rc;

	cache_load_walk(s->cache, &known, &snap->pack);
	rc = pending_walk_known(&snap->pending, s->repo->git, spec, &known, &snap->graph);
	pending_graph_release(&known);
	snap->walked = !rc;
	if (!rc && want_items) {
		snap->items = xcalloc(snap->pending.nr ? snap->pending.nr : 1, sizeof(*snap->items));
		cache_load_pack(s->cache, snap->pack, &snap->pending, snap->items, &snap->pool);
	}
	/* A shallow walk may change when history is fetched; do not keep it. */
	snap->stale = !rc && !snap->pending.shallow;
	return rc;
}

static int snapshot_load(struct snapshot *snap, struct session *s, const struct target *target,
			 const struct queue_options *opts, int want_items)
{
	struct pending_spec spec;
	int rc = 0;

	memset(snap, 0, sizeof(*snap));
	rc = opts->ranges_nr
		? pending_spec_from_ranges(&spec, s->repo, target, opts->ranges, opts->ranges_nr)
		: pending_spec_from_refs(&spec, s->repo, target);
	if (rc)
		return rc;
	snapshot_key(snap->key, &spec);
	if (cache_load_snapshot(s->cache, snap->key, &snap->pending, want_items ? &snap->items : NULL,
				want_items ? &snap->pool : NULL, &snap->pack))
		rc = snapshot_walk(snap, s, &spec, want_items);
	if (!rc && want_items) {
		snap->packed = xcalloc(snap->pending.nr ? snap->pending.nr : 1, sizeof(*snap->packed));
		if (snap->pending.nr)
			memcpy(snap->packed, snap->items, snap->pending.nr * sizeof(*snap->packed));
	}
	pending_spec_release(&spec);
	return rc;
}

/*
 * How many items are not the pack's: missing from it, or replaced since
 * (a pack's item lives in the pool, whose memory is not reused while
 * the snapshot holds it, so a replaced one never has the same address).
 */
static size_t snapshot_misses(const struct snapshot *snap)
{
	size_t misses = 0;

	for (size_t i = 0; snap->items && i < snap->pending.nr; i++)
		misses += !snap->packed[i] || snap->packed[i] != snap->items[i];
	return misses;
}

/* Stores the snapshot (with its items when it has them) if it changed. */
static void snapshot_store(struct snapshot *snap, struct session *s)
{
	if (snap->stale && !snap->pending.shallow)
		cache_store_snapshot(s->cache, snap->key, &snap->pending,
				     snap->walked ? &snap->graph : NULL, snap->items, snap->pack,
				     snapshot_misses(snap));
}

static void snapshot_release(struct snapshot *snap)
{
	free_items(snap->items, snap->pending.nr);
	free(snap->packed);
	pending_release(&snap->pending);
	pending_graph_release(&snap->graph);
	pool_free(snap->pool);
	memset(snap, 0, sizeof(*snap));
}

int queue_find_pending(struct pending *out, struct target *target, struct session *s,
		       const struct queue_options *opts)
{
	struct snapshot snap;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(target, 0, sizeof(*target));
	if (repo_is_empty(s->repo) && !opts->ranges_nr)
		return 0;
	if ((rc = repo_find_target(target, s->repo, opts->target)))
		return rc;
	/* Without items or a pool: the caller keeps the pending set, and its refs. */
	if ((rc = snapshot_load(&snap, s, target, opts, 0)))
		target_release(target);
	else {
		snapshot_store(&snap, s);   /* without items: the next list fills them in */
		*out = snap.pending;
		memset(&snap.pending, 0, sizeof(snap.pending));
	}
	snapshot_release(&snap);
	return rc;
}

static int needs_compute(const struct item *it, int all)
{
	return !it || (!it->analyzed && (all || item_is_ai(it)));
}

/*
 * The items still to fill, after taking what the commits table has (a
 * snapshot's copy may be missing, or older than another run's analysis).
 * Sets *changed when it replaced any item.
 */
static size_t items_to_compute(git_oid *ids, size_t *where, struct item **items, int *changed,
			       struct session *s, const struct pending *p, int all)
{
	size_t nr = 0;

	cache_read_begin(s->cache);
	for (size_t i = 0; i < p->nr; i++) {
		struct item *it;

		if (!needs_compute(items[i], all))
			continue;
		if (!cache_get_item(&it, s->cache, &p->commits[i].id)) {
			item_free(items[i]);
			items[i] = it;
			*changed = 1;
			if (!needs_compute(it, all))
				continue;
		}
		git_oid_cpy(&ids[nr], &p->commits[i].id);
		where[nr++] = i;
	}
	cache_read_end(s->cache);
	return nr;
}

/*
 * Fills the missing or unanalyzed items, and caches what was computed.
 * Sets *changed when any item was replaced.
 */
static int complete_items(struct item **items, int *changed, struct session *s,
			  const struct pending *p, const struct queue_options *opts)
{
	size_t i, nr = 0;
	git_oid *ids;
	size_t *where;
	struct item **computed;
	int rc;

	for (i = 0; i < p->nr && !needs_compute(items[i], opts->all); i++)
		;
	if (i == p->nr)
		return 0;   /* the warm path: nothing to allocate */
	ids = xcalloc(p->nr, sizeof(*ids));
	where = xcalloc(p->nr, sizeof(*where));
	nr = items_to_compute(ids, where, items, changed, s, p, opts->all);
	computed = xcalloc(nr ? nr : 1, sizeof(*computed));
	rc = queue_compute_items(computed, s, ids, nr, opts->all ? ITEM_ANALYZE_ALWAYS : 0,
				 opts->jobs);
	if (!rc && nr) {
		cache_put_items(s->cache, computed, nr);
		for (size_t j = 0; j < nr; j++) {
			item_free(items[where[j]]);
			items[where[j]] = computed[j];
		}
		*changed = 1;
	}
	free(computed);
	free(ids);
	free(where);
	return rc;
}

int queue_compare_items(const struct item *x, const struct item *y)
{
	if (x->priority != y->priority)
		return y->priority - x->priority;
	if (x->risk != y->risk)
		return y->risk - x->risk;
	if (x->commit_time != y->commit_time)
		return x->commit_time < y->commit_time ? -1 : 1;
	return git_oid_cmp(&x->id, &y->id);
}

static int compare_items(const void *a, const void *b)
{
	return queue_compare_items(*(const struct item *const *)a, *(const struct item *const *)b);
}

void queue_sort(struct queue *q)
{
	for (size_t i = 0; i < q->nr; i++)
		q->items[i]->priority = item_priority(q->items[i], q->now);
	if (q->nr > 1)
		qsort(q->items, q->nr, sizeof(*q->items), compare_items);
}

/* The id of the entry at path in tree (zero when absent); tree may be NULL (the empty tree). */
static void entry_id(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *entry;

	memset(out, 0, sizeof(*out));
	if (tree && !git_tree_entry_bypath(&entry, tree, path)) {
		git_oid_cpy(out, git_tree_entry_id(entry));
		git_tree_entry_free(entry);
	}
	git_error_clear();
}

/*
 * 1 when the commit changes any of paths against its first parent (a
 * root commit: when it has any of them).  An unreadable commit counts as
 * changing them: what cannot be read is gated.
 */
static int changes_any(git_repository *repo, const git_oid *id, const char *const *paths, size_t nr)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	int changed = 1;

	if (!git_commit_lookup(&commit, repo, id) && !git_commit_tree(&tree, commit) &&
	    (!git_commit_parentcount(commit) ||
	     (!git_commit_parent(&parent, commit, 0) && !git_commit_tree(&parent_tree, parent)))) {
		changed = 0;
		for (size_t i = 0; i < nr && !changed; i++) {
			git_oid now, before;

			entry_id(&now, tree, paths[i]);
			entry_id(&before, parent_tree, paths[i]);
			changed = !git_oid_equal(&now, &before);
		}
	}
	git_error_clear();
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return changed;
}

/*
 * Commits without AI markers that change the trust root (opts->gated)
 * are kept too, analysed: the gate judges them like any other.
 */
static int keep_gated(struct item **items, struct session *s, const struct pending *p,
		      const struct queue_options *opts)
{
	int rc = 0;

	for (size_t i = 0; i < p->nr && !rc && opts->gated_nr; i++) {
		struct item *it;

		if (item_is_ai(items[i]) || !changes_any(s->repo->git, &p->commits[i].id, opts->gated,
							 opts->gated_nr))
			continue;
		if ((rc = queue_load_item(&it, s, &p->commits[i].id)))
			break;
		item_free(items[i]);
		items[i] = it;
		it->gated = 1;
	}
	return rc;
}

/*
 * A commit with a Git AI authorship note (refs/notes/ai, judge/ainotes.h)
 * naming AI sessions is AI-assisted.  Notes travel apart from commits
 * (fetched later, or never, and rewritten or removed), so they are
 * applied here, to the items as cached: an item whose note markers are
 * not the ones its note gives now (none when it has no note) is computed
 * again with the note as it is, and cached so.  A note that cannot be
 * read is a warning.
 */
static int noted_item(struct item **item, int *changed, struct session *s, const struct notes *notes,
		      const git_oid *id, struct strbuf *text, unsigned flags)
{
	struct item *it = NULL;
	int has_note, rc;

	strbuf_reset(text);
	has_note = notes && !notes_read(text, notes, id);
	if (!has_note)
		error_clear();
	if (*item ? item_ai_note_current(*item, &s->rules, has_note ? text->buf : NULL, text->len) : !has_note)
		return 0;
	rc = has_note ? item_compute_noted(&it, s->repo->git, id, &s->rules, text->buf, text->len) : 1;
	if (rc > 0)   /* the note names no AI session (any more): the item as its commit alone gives it */
		rc = item_compute(&it, s->repo->git, id, &s->rules, flags);
	if (rc) {
		error_warn("the AI attribution note of %s not applied: %s", git_oid_tostr_s(id), error_last());
		return 0;
	}
	queue_history_apply(s, &it, 1);
	cache_put_items(s->cache, &it, 1);
	item_free(*item);
	*item = it;
	*changed = 1;
	return 0;
}

static struct notes *load_ai_notes(struct session *s)
{
	struct notes *notes;

	if (notes_load(&notes, s->repo->git, AINOTES_REF)) {
		error_warn("AI attribution notes (%s) not read: %s", AINOTES_REF, error_last());
		return NULL;
	}
	if (!notes->exists) {
		notes_free(notes);
		return NULL;
	}
	return notes;
}

/* The notes, and the items that carry a note's markers though the notes are gone. */
static int apply_ai_notes(struct item **items, int *changed, struct session *s, const struct pending *p,
			  unsigned flags)
{
	struct notes *notes = load_ai_notes(s);
	struct strbuf text = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < p->nr && !rc; i++)
		if (notes || (items[i] && item_has_ai_note(items[i])))
			rc = noted_item(&items[i], changed, s, notes, &p->commits[i].id, &text, flags);
	strbuf_release(&text);
	notes_free(notes);
	return rc;
}

/*
 * Moves into the queue the items it shows, with their refs, and the
 * pool they live in; frees the rest.  The snapshot keeps its pending set.
 */
static void take_items(struct queue *q, struct snapshot *snap, int all)
{
	struct pending *p = &snap->pending;

	q->items = xcalloc(p->nr ? p->nr : 1, sizeof(*q->items));
	for (size_t i = 0; i < p->nr; i++) {
		struct item *it = snap->items[i];

		if (!all && !item_is_ai(it) && !it->gated) {
			item_free(it);
			continue;
		}
		strvec_move(&it->refs, &p->commits[i].refs);
		q->items[q->nr++] = it;
	}
	free(snap->items);
	snap->items = NULL;
	q->pool = snap->pool;
	snap->pool = NULL;
	q->pending_nr = p->nr;
	q->shallow = p->shallow;
	q->incomplete = p->incomplete;
}

int queue_build(struct queue **out, struct session *s, const struct queue_options *opts)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	struct snapshot snap;
	int rc = 0;

	memset(&snap, 0, sizeof(snap));
	q->now = opts->now ? opts->now : clock_now();
	/* Nothing committed, nothing to review. */
	if (!repo_is_empty(s->repo) || opts->ranges_nr) {
		if (!(rc = repo_find_target(&q->target, s->repo, opts->target)) &&
		    !(rc = snapshot_load(&snap, s, &q->target, opts, 1)) &&
		    !(rc = complete_items(snap.items, &snap.stale, s, &snap.pending, opts)) &&
		    !(rc = apply_ai_notes(snap.items, &snap.stale, s, &snap.pending,
					  opts->all ? ITEM_ANALYZE_ALWAYS : 0)) &&
		    !(rc = keep_gated(snap.items, s, &snap.pending, opts))) {
			snapshot_store(&snap, s);
			take_items(q, &snap, opts->all);
			queue_sort(q);
		}
	}
	snapshot_release(&snap);
	if (rc)
		queue_free(q);
	*out = rc ? NULL : q;
	return rc;
}

void queue_free(struct queue *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nr; i++)
		item_free(q->items[i]);
	free(q->items);
	pool_free(q->pool);
	target_release(&q->target);
	free(q);
}

int queue_load_item(struct item **out, struct session *s, const git_oid *id)
{
	struct strbuf text = STRBUF_INIT;
	struct notes *notes;
	int changed = 0, rc;

	if (cache_get_item(out, s->cache, id) || !(*out)->analyzed) {
		item_free(*out);
		*out = NULL;
		if ((rc = item_compute(out, s->repo->git, id, &s->rules, ITEM_ANALYZE_ALWAYS)))
			return rc;
		queue_history_apply(s, out, 1);
		cache_put_items(s->cache, out, 1);
	}
	notes = load_ai_notes(s);
	rc = noted_item(out, &changed, s, notes, id, &text, ITEM_ANALYZE_ALWAYS);
	strbuf_release(&text);
	notes_free(notes);
	return rc;
}
