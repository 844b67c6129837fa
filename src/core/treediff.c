/*
 * treediff.c: a merge walk of two trees that reports the files that
 * differ and skips subtrees that did not change (see treediff.h).
 */
#include "config.h"

#include <string.h>

#include "revq/error.h"
#include "revq/strbuf.h"
#include "revq/treediff.h"

struct walker {
	struct treediff *out;
	git_repository *repo;
	struct strbuf path;   /* the directory being walked, with its trailing '/' */
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

static int walk(struct walker *w, const git_tree *old, const git_tree *new);

/* Walks into the subtrees named by old and new (either may be NULL). */
static int descend(struct walker *w, const git_tree_entry *old, const git_tree_entry *new)
{
	const git_tree_entry *e = new ? new : old;
	git_tree *a = NULL, *b = NULL;
	size_t len = w->path.len;
	int rc = 0;

	if ((old && git_tree_lookup(&a, w->repo, git_tree_entry_id(old))) ||
	    (new && git_tree_lookup(&b, w->repo, git_tree_entry_id(new))))
		rc = error_set_git(REVQ_ERROR, "cannot read tree %s%s", w->path.buf,
				   git_tree_entry_name(e));
	if (!rc) {
		strbuf_addstr(&w->path, git_tree_entry_name(e));
		strbuf_addch(&w->path, '/');
		rc = walk(w, a, b);
		strbuf_setlen(&w->path, len);
	}
	git_tree_free(a);
	git_tree_free(b);
	return rc;
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

static int walk(struct walker *w, const git_tree *old, const git_tree *new)
{
	size_t i = 0, j = 0, m = old ? git_tree_entrycount(old) : 0;
	size_t n = new ? git_tree_entrycount(new) : 0;
	int rc = 0;

	while (!rc && (i < m || j < n)) {
		const git_tree_entry *x = i < m ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *y = j < n ? git_tree_entry_byindex(new, j) : NULL;
		int c = !x ? 1 : !y ? -1 : compare_entries(x, y);

		if (c < 0) {
			rc = one_side(w, x, NULL);
			i++;
		} else if (c > 0) {
			rc = one_side(w, NULL, y);
			j++;
		} else {
			rc = both_sides(w, x, y);
			i++;
			j++;
		}
	}
	return rc;
}

int treediff_trees(struct treediff *out, git_repository *repo, const git_tree *old,
		   const git_tree *new)
{
	struct walker w = { out, repo, STRBUF_INIT };
	int rc = walk(&w, old, new);

	strbuf_release(&w.path);
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
