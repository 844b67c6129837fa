/*
 * history.c: the risk's history signals.  One walk, newest first, takes
 * the commits from the items back to a year before the oldest of them;
 * each fix commit's files come from the cache (store/fixfiles.c) or one
 * tree diff, stored for the next list.  Then each item's own walk, from
 * its parents, counts the fixes among its ancestors in the year before
 * it that touched its files, and whether its author committed there.  A
 * commit's ancestry never changes, so the result is cached with the item.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/oidmap.h"
#include "base/strbuf.h"
#include "git/treediff.h"
#include "queue/history.h"

#define HISTORY_YEAR ((int64_t)365 * 24 * 3600)
/* Commits older than the cut may come between newer ones (clock skew): so many in a row end a walk. */
#define HISTORY_OLD_RUN 64
/* A bound on the walk, for very busy repositories (about a year of the Linux kernel). */
#define HISTORY_MAX_COMMITS 200000
#define NO_NODE SIZE_MAX

struct node {
	git_oid id;
	git_oid author;         /* the hash of the author's normalised address */
	int64_t time;           /* committer time */
	size_t parents;         /* first of its parents in walk.parents */
	unsigned parents_nr;
	enum history_fix fix;
	size_t files;           /* its files in walk.files, when fix */
	uint32_t stamp;         /* the last item walk that reached it */
};

struct walk {
	struct node *nodes;     /* owned */
	size_t nr, alloc;
	git_oid *parent_ids;    /* owned: the parents of every node, in order */
	size_t *parents;        /* owned: the same as node indexes, NO_NODE outside the walk */
	size_t parents_nr, parents_alloc;
	struct oidmap index;    /* owned: id to node */
	struct strvec *files;   /* owned: the files of each fix node */
	size_t files_nr;
};

static int starts_fix_word(const char *s, const char *at)
{
	return !strncasecmp(at, "fix", 3) && (at == s || !isalnum((unsigned char)at[-1]));
}

enum history_fix history_fix_kind(const char *message)
{
	const char *eol = strchr(message, '\n');
	size_t subject_len = eol ? (size_t)(eol - message) : strlen(message);
	enum history_fix kind = HISTORY_NOT_FIX;

	if (!strncasecmp(message, "revert", 6))
		return HISTORY_FIX_MARKED;
	for (const char *p = message; p < message + subject_len && !kind; p++)
		if (starts_fix_word(message, p))
			kind = HISTORY_FIX_SUBJECT;
	for (const char *line = eol; line; line = strchr(line + 1, '\n')) {
		const char *p = line + 1;
		size_t hex = 0;

		if (!strncasecmp(p, "this reverts commit", 19))
			return HISTORY_FIX_MARKED;
		if (strncasecmp(p, "fixes:", 6))
			continue;
		for (p += 6; *p == ' ' || *p == '\t'; p++)
			;
		while (isxdigit((unsigned char)p[hex]))
			hex++;
		if (hex >= 7)
			return HISTORY_FIX_MARKED;
	}
	return kind;
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->files_nr; i++)
		strvec_clear(&w->files[i]);
	free(w->files);
	free(w->nodes);
	free(w->parent_ids);
	free(w->parents);
	oidmap_clear(&w->index);
	memset(w, 0, sizeof(*w));
}

static void author_key(git_oid *out, const git_signature *who, struct strbuf *scratch)
{
	strbuf_reset(scratch);
	identity_normalize_email(scratch, who && who->email ? who->email : "");
	git_odb_hash(out, scratch->buf, scratch->len, GIT_OBJECT_BLOB);
}

static void add_node(struct walk *w, const git_commit *commit, struct strbuf *scratch)
{
	unsigned parents = git_commit_parentcount(commit);
	struct node *n;

	if (w->nr == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 1024;
		w->nodes = xrealloc(w->nodes, w->alloc * sizeof(*w->nodes));
	}
	if (w->parents_nr + parents > w->parents_alloc) {
		while (w->parents_nr + parents > w->parents_alloc)
			w->parents_alloc = w->parents_alloc ? 2 * w->parents_alloc : 1024;
		w->parent_ids = xrealloc(w->parent_ids, w->parents_alloc * sizeof(*w->parent_ids));
	}
	n = &w->nodes[w->nr];
	memset(n, 0, sizeof(*n));
	git_oid_cpy(&n->id, git_commit_id(commit));
	author_key(&n->author, git_commit_author(commit), scratch);
	n->time = git_commit_time(commit);
	n->parents = w->parents_nr;
	n->parents_nr = parents;
	/* A merge is not a fix: its changes are its topic's commits. */
	n->fix = parents > 1 ? HISTORY_NOT_FIX : history_fix_kind(git_commit_message_raw(commit));
	for (unsigned i = 0; i < parents; i++)
		git_oid_cpy(&w->parent_ids[w->parents_nr++], git_commit_parent_id(commit, i));
	oidmap_put(&w->index, &n->id, w->nr);
	w->nr++;
}

/*
 * The commits still to take, newest first: a binary heap by committer
 * time, as git's date-ordered walk.  Each commit is read once (libgit2's
 * revwalk parses its commits apart from git_commit_lookup(): twice).
 */
struct frontier {
	git_commit **v;     /* owned */
	size_t nr, alloc;
	struct oidmap seen; /* owned: every commit ever queued */
};

static int newer(git_commit *a, git_commit *b)
{
	return git_commit_time(a) > git_commit_time(b);
}

static void frontier_push(struct frontier *f, git_commit *commit)
{
	size_t at;

	oidmap_put(&f->seen, git_commit_id(commit), 0);
	if (f->nr == f->alloc) {
		f->alloc = f->alloc ? 2 * f->alloc : 64;
		f->v = xrealloc(f->v, f->alloc * sizeof(*f->v));
	}
	for (at = f->nr++; at && newer(commit, f->v[(at - 1) / 2]); at = (at - 1) / 2)
		f->v[at] = f->v[(at - 1) / 2];
	f->v[at] = commit;
}

static git_commit *frontier_pop(struct frontier *f)
{
	git_commit *top = f->nr ? f->v[0] : NULL, *last;
	size_t at = 0;

	if (!f->nr)
		return NULL;
	last = f->v[--f->nr];
	for (;;) {
		size_t child = 2 * at + 1;

		if (child >= f->nr)
			break;
		if (child + 1 < f->nr && newer(f->v[child + 1], f->v[child]))
			child++;
		if (!newer(f->v[child], last))
			break;
		f->v[at] = f->v[child];
		at = child;
	}
	if (f->nr)
		f->v[at] = last;
	return top;
}

/* Queues the parents of commit not queued before (a missing one, of a shallow clone, ends there). */
static void frontier_push_parents(struct frontier *f, const git_commit *commit)
{
	for (unsigned i = 0; i < git_commit_parentcount(commit); i++) {
		git_commit *parent;
		size_t unused;

		if (oidmap_get(&f->seen, git_commit_parent_id(commit, i), &unused))
			continue;
		if (git_commit_parent(&parent, commit, i))
			git_error_clear();
		else
			frontier_push(f, parent);
	}
}

static void frontier_release(struct frontier *f)
{
	for (size_t i = 0; i < f->nr; i++)
		git_commit_free(f->v[i]);
	free(f->v);
	oidmap_clear(&f->seen);
	memset(f, 0, sizeof(*f));
}

/* The commits from the items back to a year before the oldest of them, newest first. */
static void walk_commits(struct walk *w, git_repository *repo, struct item **items, size_t nr)
{
	struct strbuf scratch = STRBUF_INIT;
	struct frontier f;
	int64_t cut = INT64_MAX;
	unsigned old_run = 0;
	git_commit *commit;

	memset(&f, 0, sizeof(f));
	for (size_t i = 0; i < nr; i++) {
		size_t unused;

		if (!items[i] || !items[i]->analyzed || oidmap_get(&f.seen, &items[i]->id, &unused))
			continue;
		if (git_commit_lookup(&commit, repo, &items[i]->id)) {
			git_error_clear();
			continue;
		}
		frontier_push(&f, commit);
		if (items[i]->commit_time - HISTORY_YEAR < cut)
			cut = items[i]->commit_time - HISTORY_YEAR;
	}
	while (old_run < HISTORY_OLD_RUN && w->nr < HISTORY_MAX_COMMITS && (commit = frontier_pop(&f))) {
		/* Kept, as the link to what is behind a skewed clock, but so many in a row end it. */
		old_run = git_commit_time(commit) < cut ? old_run + 1 : 0;
		add_node(w, commit, &scratch);
		frontier_push_parents(&f, commit);
		git_commit_free(commit);
	}
	frontier_release(&f);
	strbuf_release(&scratch);
	w->parents = xcalloc(w->parents_nr ? w->parents_nr : 1, sizeof(*w->parents));
	for (size_t i = 0; i < w->parents_nr; i++)
		if (!oidmap_get(&w->index, &w->parent_ids[i], &w->parents[i]))
			w->parents[i] = NO_NODE;
}

/* The files a commit changed against its first parent (all of them for a root commit). */
static void diff_files(struct strvec *out, git_repository *repo, const git_oid *id)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	struct treediff diff = TREEDIFF_INIT;

	if (!git_commit_lookup(&commit, repo, id) && !git_commit_tree(&tree, commit) &&
	    (!git_commit_parentcount(commit) ||
	     (!git_commit_parent(&parent, commit, 0) && !git_commit_tree(&parent_tree, parent))) &&
	    !treediff_trees(&diff, repo, parent_tree, tree)) {
		for (size_t i = 0; i < diff.nr; i++) {
			const git_diff_delta *d = &diff.deltas[i];

			if (d->new_file.path)
				strvec_push(out, d->new_file.path);
			if (d->old_file.path && (!d->new_file.path || strcmp(d->old_file.path, d->new_file.path)))
				strvec_push(out, d->old_file.path);
		}
		treediff_release(&diff);
	}
	git_error_clear();
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
}

/* The files of every fix commit of the walk: cached, or diffed and then cached. */
static void load_fix_files(struct walk *w, struct session *s)
{
	git_oid *missing_ids;
	struct strvec *missing;
	size_t *missing_at, missing_nr = 0;

	for (size_t i = 0; i < w->nr; i++)
		if (w->nodes[i].fix)
			w->nodes[i].files = w->files_nr++;
	w->files = xcalloc(w->files_nr ? w->files_nr : 1, sizeof(*w->files));
	missing_at = xcalloc(w->files_nr ? w->files_nr : 1, sizeof(*missing_at));
	cache_read_begin(s->cache);
	for (size_t i = 0; i < w->nr; i++) {
		struct node *n = &w->nodes[i];

		if (n->fix && cache_get_fix_files(&w->files[n->files], s->cache, &n->id))
			missing_at[missing_nr++] = i;
	}
	cache_read_end(s->cache);
	missing_ids = xcalloc(missing_nr ? missing_nr : 1, sizeof(*missing_ids));
	missing = xcalloc(missing_nr ? missing_nr : 1, sizeof(*missing));
	for (size_t j = 0; j < missing_nr; j++) {
		struct node *n = &w->nodes[missing_at[j]];

		diff_files(&w->files[n->files], s->repo->git, &n->id);
		git_oid_cpy(&missing_ids[j], &n->id);
		missing[j] = w->files[n->files];   /* borrowed for the store */
	}
	cache_put_fix_files(s->cache, missing_ids, missing, missing_nr);
	free(missing);
	free(missing_ids);
	free(missing_at);
}

/* An item's files, sorted, with a count of fixes each. */
struct touched {
	const char **paths;   /* not owned: the item's strings */
	unsigned *counts;     /* owned */
	size_t nr;
};

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void touched_init(struct touched *t, const struct item *it)
{
	t->nr = it->paths.nr;
	t->paths = xcalloc(t->nr ? t->nr : 1, sizeof(*t->paths));
	t->counts = xcalloc(t->nr ? t->nr : 1, sizeof(*t->counts));
	for (size_t i = 0; i < t->nr; i++)
		t->paths[i] = it->paths.v[i];
	if (t->nr > 1)
		qsort(t->paths, t->nr, sizeof(*t->paths), compare_paths);
}

/* Counts a fix against the item's files it touched; 1 when it touched any. */
static int touched_count(struct touched *t, const struct strvec *files)
{
	int any = 0;

	for (size_t i = 0; i < files->nr && t->nr; i++) {
		const char **at = bsearch(&files->v[i], t->paths, t->nr, sizeof(*t->paths), compare_paths);

		if (at) {
			t->counts[at - t->paths]++;
			any = 1;
		}
	}
	return any;
}

/* The most fixed files into h, most first (then by path). */
static void touched_top(struct risk_history *h, const struct touched *t)
{
	for (size_t i = 0; i < t->nr; i++) {
		size_t k;

		if (!t->counts[i])
			continue;
		for (k = 0; k < RISK_HISTORY_PATHS && h->paths[k] && h->counts[k] >= t->counts[i]; k++)
			;
		if (k == RISK_HISTORY_PATHS || h->paths[RISK_HISTORY_PATHS - 1])
			h->more_paths++;
		if (k == RISK_HISTORY_PATHS)
			continue;
		memmove(&h->paths[k + 1], &h->paths[k], (RISK_HISTORY_PATHS - 1 - k) * sizeof(h->paths[0]));
		memmove(&h->counts[k + 1], &h->counts[k], (RISK_HISTORY_PATHS - 1 - k) * sizeof(h->counts[0]));
		h->paths[k] = t->paths[i];
		h->counts[k] = t->counts[i];
	}
}

/* A node to visit, after how many older than the year in a row. */
struct step {
	size_t node;
	unsigned old;
};

/*
 * The history of the item at node start: its ancestors (from its
 * parents, never itself) down to a year before it, through commits of a
 * skewed clock.  stack has room for every parent entry of the walk.
 */
static void item_history(struct risk_history *h, struct walk *w, size_t start, const struct item *it,
			 uint32_t stamp, struct step *stack)
{
	const struct node *self = &w->nodes[start];
	int64_t cut = self->time - HISTORY_YEAR;
	struct touched t;
	size_t top = 0;
	unsigned by_author = 0;

	memset(h, 0, sizeof(*h));
	touched_init(&t, it);
	for (unsigned i = 0; i < self->parents_nr; i++)
		stack[top++] = (struct step){ w->parents[self->parents + i], 0 };
	while (top) {
		struct step at = stack[--top];
		struct node *n;

		if (at.node == NO_NODE || w->nodes[at.node].stamp == stamp)
			continue;
		n = &w->nodes[at.node];
		n->stamp = stamp;
		/* Older than the year: not counted, and so many in a row end the path. */
		if (n->time < cut) {
			if (++at.old >= HISTORY_OLD_RUN)
				continue;
		} else {
			at.old = 0;
			by_author += git_oid_equal(&n->author, &self->author);
			if (n->fix && touched_count(&t, &w->files[n->files])) {
				h->fixes++;
				h->units += n->fix;
			}
		}
		for (unsigned i = 0; i < n->parents_nr; i++)
			stack[top++] = (struct step){ w->parents[n->parents + i], at.old };
	}
	touched_top(h, &t);
	h->new_author = !by_author;
	h->author = it->author_email;
	free(t.paths);
	free(t.counts);
}

void queue_history_apply(struct session *s, struct item **items, size_t nr)
{
	struct walk w;
	struct step *stack;
	uint32_t stamp = 0;

	memset(&w, 0, sizeof(w));
	walk_commits(&w, s->repo->git, items, nr);
	load_fix_files(&w, s);
	/* Each node is pushed at most once per parent entry, and the item's own parents. */
	stack = xcalloc(w.parents_nr + 1, sizeof(*stack));
	for (size_t i = 0; i < nr; i++) {
		struct risk_history h;
		size_t start;

		if (!items[i] || !items[i]->analyzed || !oidmap_get(&w.index, &items[i]->id, &start))
			continue;
		item_history(&h, &w, start, items[i], ++stamp, stack);
		item_add_history(items[i], &s->rules, &h);
	}
	free(stack);
	walk_release(&w);
}
