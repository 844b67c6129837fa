/*
 * treediff.c: a merge walk of two trees that reports the files that
 * differ and skips subtrees that did not change (see treediff.h).  The
 * directories open are a stack on the heap, not C recursion: a tree
 * 50,000 levels deep once overflowed the stack.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "git/treediff.h"

/* A directory being walked: the two trees and where the merge of their entries is. */
struct frame {
	git_tree *old, *new;   /* owned, unless this is the top frame; either may be NULL */
	size_t i, j;           /* the next entry of old and of new */
	size_t path_len;       /* the length of walker.path without this directory */
};

struct walker {
	struct treediff *out;   /* not owned */
	git_repository *repo;   /* not owned */
	struct strbuf path;     /* owned: the directory being walked, with its trailing '/' */
	struct frame *stack;    /* owned: the directories open, the innermost last */
	size_t nr, alloc;
};

static int is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/* git's order of the entries of a tree: by name, a subtree's read as "name/". */
static int compare_entries(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *x = git_tree_entry_name(a), *y = git_tree_entry_name(b);
	size_t lx = strlen(x), ly = strlen(y), n = lx < ly ? lx : ly;
	int c = memcmp(x, y, n);
	unsigned char cx, cy;

	if (c)
		return c;
	cx = lx > n ? (unsigned char)x[n] : is_tree(a) ? '/' : '\0';
	cy = ly > n ? (unsigned char)y[n] : is_tree(b) ? '/' : '\0';
	return (int)cx - (int)cy;
}

static void set_file(git_diff_file *file, const git_tree_entry *e, const char *path)
{
	file->path = path;
	file->id_abbrev = GIT_OID_HEXSZ;
	if (!e)
		return;
	git_oid_cpy(&file->id, git_tree_entry_id(e));
	file->mode = (uint16_t)git_tree_entry_filemode(e);
	file->flags = GIT_DIFF_FLAG_VALID_ID;
}

static void add_delta(struct walker *w, git_delta_t status, const git_tree_entry *old,
		      const git_tree_entry *new)
{
	struct treediff *out = w->out;
	const git_tree_entry *e = new ? new : old;
	git_diff_delta *d;
	char *path;

	ALLOC_GROW(out->deltas, out->nr + 1, out->alloc);
	d = &out->deltas[out->nr++];
	memset(d, 0, sizeof(*d));
	path = xmalloc(w->path.len + strlen(git_tree_entry_name(e)) + 1);
	memcpy(path, w->path.buf, w->path.len);
	strcpy(path + w->path.len, git_tree_entry_name(e));
	d->status = status;
	d->nfiles = old && new ? 2 : 1;
	set_file(&d->old_file, old, path);
	set_file(&d->new_file, new, path);
	out->added += status == GIT_DELTA_ADDED;
	out->deleted += status == GIT_DELTA_DELETED;
}

/* Opens the subtrees named by old and new (either may be NULL) as the innermost directory. */
static int descend(struct walker *w, const git_tree_entry *old, const git_tree_entry *new)
{
	const git_tree_entry *e = new ? new : old;
	git_tree *a = NULL, *b = NULL;
	struct frame *f;

	/* The walk needs no stack, but paths this long help no reviewer, and libgit2's diff may. */
	if (w->nr > TREEDIFF_MAX_DEPTH)
		return error_set(REVQ_ERROR, "a tree nests deeper than %d levels (under '%.40s...'); "
				 "refusing to read it", TREEDIFF_MAX_DEPTH, w->path.buf);
	if ((old && git_tree_lookup(&a, w->repo, git_tree_entry_id(old))) ||
	    (new && git_tree_lookup(&b, w->repo, git_tree_entry_id(new)))) {
		git_tree_free(a);
		return error_set_git(REVQ_ERROR, "cannot read tree %s%s", w->path.buf,
				     git_tree_entry_name(e));
	}
	ALLOC_GROW(w->stack, w->nr + 1, w->alloc);
	f = &w->stack[w->nr++];
	f->old = a;
	f->new = b;
	f->i = f->j = 0;
	f->path_len = w->path.len;
	strbuf_addstr(&w->path, git_tree_entry_name(e));
	strbuf_addch(&w->path, '/');
	return 0;
}

/* An entry on one side only: a file, or every file under a subtree. */
static int one_side(struct walker *w, const git_tree_entry *old, const git_tree_entry *new)
{
	const git_tree_entry *e = new ? new : old;

	if (is_tree(e))
		return descend(w, old, new);
	add_delta(w, new ? GIT_DELTA_ADDED : GIT_DELTA_DELETED, old, new);
	return 0;
}

/* The same name on both sides, both subtrees or both not. */
static int both_sides(struct walker *w, const git_tree_entry *old, const git_tree_entry *new)
{
	git_filemode_t a = git_tree_entry_filemode(old), b = git_tree_entry_filemode(new);

	if (a == b && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(new)))
		return 0;
	if (is_tree(old))
		return descend(w, old, new);
	/* Another kind of file (a link, a submodule): gone, and a new one added. */
	if ((a & 0170000) != (b & 0170000)) {
		add_delta(w, GIT_DELTA_DELETED, old, NULL);
		add_delta(w, GIT_DELTA_ADDED, NULL, new);
		return 0;
	}
	add_delta(w, GIT_DELTA_MODIFIED, old, new);
	return 0;
}

/* Closes the innermost directory. */
static void ascend(struct walker *w)
{
	struct frame *f = &w->stack[--w->nr];

	if (w->nr) {   /* the top frame's trees are the caller's */
		git_tree_free(f->old);
		git_tree_free(f->new);
	}
	strbuf_setlen(&w->path, f->path_len);
}

/*
 * The next step of the merge of the innermost directory's entries; a
 * subtree opens a new innermost directory (descend), so the deltas come
 * in the order of a recursive walk without its depth of C stack.
 */
static int step(struct walker *w)
{
	struct frame *f = &w->stack[w->nr - 1];
	size_t m = f->old ? git_tree_entrycount(f->old) : 0;
	size_t n = f->new ? git_tree_entrycount(f->new) : 0;
	const git_tree_entry *x, *y;
	int c;

	if (f->i >= m && f->j >= n) {
		ascend(w);
		return 0;
	}
	x = f->i < m ? git_tree_entry_byindex(f->old, f->i) : NULL;
	y = f->j < n ? git_tree_entry_byindex(f->new, f->j) : NULL;
	c = !x ? 1 : !y ? -1 : compare_entries(x, y);
	/* Move on first: descend() may move the stack. */
	f->i += c <= 0;
	f->j += c >= 0;
	if (c < 0)
		return one_side(w, x, NULL);
	if (c > 0)
		return one_side(w, NULL, y);
	return both_sides(w, x, y);
}

static int walk(struct walker *w, const git_tree *old, const git_tree *new)
{
	int rc = 0;

	ALLOC_GROW(w->stack, 1, w->alloc);
	w->stack[0].old = (git_tree *)old;
	w->stack[0].new = (git_tree *)new;
	w->stack[0].i = w->stack[0].j = 0;
	w->stack[0].path_len = 0;
	w->nr = 1;
	while (!rc && w->nr)
		rc = step(w);
	while (w->nr)
		ascend(w);
	return rc;
}

int treediff_trees(struct treediff *out, git_repository *repo, const git_tree *old,
		   const git_tree *new)
{
	struct walker w = { out, repo, STRBUF_INIT, NULL, 0, 0 };
	int rc = walk(&w, old, new);

	strbuf_release(&w.path);
	free(w.stack);
	if (rc)
		treediff_release(out);
	return rc;
}

void treediff_release(struct treediff *diff)
{
	for (size_t i = 0; i < diff->nr; i++)
		free((char *)diff->deltas[i].new_file.path);
	free(diff->deltas);
	memset(diff, 0, sizeof(*diff));
}
