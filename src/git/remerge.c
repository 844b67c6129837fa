/*
 * remerge.c: a merge's parents merged again with libgit2, in a scratch
 * repository whose writes stay in memory, and the conflicts written with
 * markers the way git's remerge-diff writes them (see remerge.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "git/remerge.h"
#include "git/treediff.h"

/* git merges rename-detected trees with up to this many candidates (merge.renameLimit). */
#define RENAME_LIMIT 7000

int remerge_open_scratch(git_repository **out, git_repository *repo)
{
	struct strbuf dir = STRBUF_INIT;
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	int rc = 0;

	*out = NULL;
	strbuf_addf(&dir, "%sobjects", git_repository_commondir(repo));
	if (git_odb_new(&odb) || git_odb_add_disk_alternate(odb, dir.buf) || git_mempack_new(&mem)) {
		rc = error_set_git(REVQ_ERROR, "cannot open the objects of the repository to merge in");
	} else if (git_odb_add_backend(odb, mem, 1000)) {
		mem->free(mem);
		rc = error_set_git(REVQ_ERROR, "cannot keep merged objects in memory");
	} else if (git_repository_wrap_odb(out, odb)) {
		rc = error_set_git(REVQ_ERROR, "cannot open a scratch repository to merge in");
	}
	git_odb_free(odb);   /* the scratch repository holds its own reference */
	strbuf_release(&dir);
	return rc;
}

/* git's label of a side in conflict markers: "%h (%s)". */
static void side_label(struct strbuf *out, const git_commit *commit)
{
	git_buf hex = GIT_BUF_INIT;
	const char *summary = git_commit_summary((git_commit *)commit);

	if (git_object_short_id(&hex, (const git_object *)commit))
		strbuf_addstr(out, git_oid_tostr_s(git_commit_id(commit)));
	else
		strbuf_addstr(out, hex.ptr);
	strbuf_addf(out, " (%s)", summary ? summary : "");
	git_buf_dispose(&hex);
	git_error_clear();
}

/* How one conflicted path is written into the tree. */
struct resolved {
	char *path;          /* owned */
	git_oid id;
	uint32_t mode;
	int drop;            /* nothing stays at this path */
};

struct labels {
	const char *ours, *theirs;   /* not owned */
};

static int is_text_mode(uint32_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static void keep(struct resolved *r, const git_index_entry *e)
{
	git_oid_cpy(&r->id, &e->id);
	r->mode = e->mode;
}

/* Resolves one conflict as git's ort leaves it in its tree (remerge.h). */
static int resolve(struct resolved *r, git_repository *scratch, const git_index_entry *anc,
		   const git_index_entry *ours, const git_index_entry *theirs,
		   const struct labels *labels)
{
	git_merge_file_options opts;
	git_merge_file_result res;
	int rc = 0;

	if (!ours && !theirs) {
		r->drop = 1;
		return 0;
	}
	if (!ours || !theirs) {
		keep(r, ours ? ours : theirs);
		return 0;
	}
	if (!is_text_mode(ours->mode) || !is_text_mode(theirs->mode)) {
		keep(r, ours);
		return 0;
	}
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	opts.our_label = labels->ours;
	opts.their_label = labels->theirs;
	if (git_merge_file_from_index(&res, scratch, anc, ours, theirs, &opts))
		return error_set_git(REVQ_ERROR, "cannot merge %s again", ours->path);
	if (!res.ptr) {   /* binary: git keeps our side */
		keep(r, ours);
	} else if (git_blob_create_from_buffer(&r->id, scratch, res.ptr, res.len)) {
		rc = error_set_git(REVQ_ERROR, "cannot write the merged %s", ours->path);
	} else {
		r->mode = res.mode ? res.mode : ours->mode;
	}
	git_merge_file_result_free(&res);
	return rc;
}

/* The conflicts of index, each resolved; *out holds *nr of them. */
static int resolve_all(struct resolved **out, size_t *nr, git_index *index, git_repository *scratch,
		       const struct labels *labels)
{
	git_index_conflict_iterator *it;
	const git_index_entry *anc, *ours, *theirs;
	size_t alloc = 0;
	int rc = 0, next;

	*out = NULL;
	*nr = 0;
	if (git_index_conflict_iterator_new(&it, index))
		return error_set_git(REVQ_ERROR, "cannot list the conflicts of a merge");
	while (!rc && !(next = git_index_conflict_next(&anc, &ours, &theirs, it))) {
		const git_index_entry *e = ours ? ours : theirs ? theirs : anc;
		struct resolved *r;

		ALLOC_GROW(*out, *nr + 1, alloc);
		r = &(*out)[(*nr)++];
		memset(r, 0, sizeof(*r));
		r->path = xstrdup(e->path);
		rc = resolve(r, scratch, anc, ours, theirs, labels);
	}
	if (!rc && next != GIT_ITEROVER)
		rc = error_set_git(REVQ_ERROR, "cannot list the conflicts of a merge");
	git_error_clear();
	git_index_conflict_iterator_free(it);
	return rc;
}

/* Writes index as a tree, its conflicts resolved (with markers); counts them in *conflicts. */
static int write_tree(git_tree **out, git_index *index, git_repository *scratch,
		      const struct labels *labels, unsigned *conflicts)
{
	struct resolved *res;
	size_t nr;
	git_oid id;
	int rc = resolve_all(&res, &nr, index, scratch, labels);

	for (size_t i = 0; i < nr && !rc; i++) {
		git_index_entry e;

		if (git_index_conflict_remove(index, res[i].path)) {
			rc = error_set_git(REVQ_ERROR, "cannot resolve %s", res[i].path);
			break;
		}
		if (res[i].drop)
			continue;
		memset(&e, 0, sizeof(e));
		e.path = res[i].path;
		e.mode = res[i].mode;
		git_oid_cpy(&e.id, &res[i].id);
		if (git_index_add(index, &e))
			rc = error_set_git(REVQ_ERROR, "cannot resolve %s", res[i].path);
	}
	*conflicts += (unsigned)nr;
	for (size_t i = 0; i < nr; i++)
		free(res[i].path);
	free(res);
	if (!rc && (git_index_write_tree_to(&id, index, scratch) || git_tree_lookup(out, scratch, &id)))
		rc = error_set_git(REVQ_ERROR, "cannot write the tree of a merge");
	return rc;
}

static void merge_options(git_merge_options *opts)
{
	git_merge_options_init(opts, GIT_MERGE_OPTIONS_VERSION);
	opts->flags = GIT_MERGE_FIND_RENAMES;
	opts->target_limit = RENAME_LIMIT;
}

/* Two parents: git_merge_commits() merges their merge bases recursively first, as git does. */
static int merge_two(struct remerge *rm, git_commit *a, git_commit *b, const struct labels *labels)
{
	git_merge_options opts;
	git_index *index;
	int rc;

	merge_options(&opts);
	if (git_merge_commits(&index, rm->scratch, a, b, &opts))
		return error_set_git(REVQ_ERROR, "cannot merge the parents of a merge again");
	rc = write_tree(&rm->tree, index, rm->scratch, labels, &rm->conflicts);
	git_index_free(index);
	return rc;
}

/* The tree of the merge base of p[k] with the parents before it (NULL when none). */
static int octopus_base(git_tree **out, git_repository *scratch, git_commit **p, size_t k)
{
	git_oid *ids = xcalloc(k + 1, sizeof(*ids)), base;
	git_commit *commit;
	int rc = 0, found;

	*out = NULL;
	git_oid_cpy(&ids[0], git_commit_id(p[k]));
	for (size_t i = 0; i < k; i++)
		git_oid_cpy(&ids[i + 1], git_commit_id(p[i]));
	found = git_merge_base_many(&base, scratch, k + 1, ids);
	free(ids);
	if (found == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (found || git_commit_lookup(&commit, scratch, &base))
		return error_set_git(REVQ_ERROR, "cannot find the merge base of an octopus merge");
	if (git_commit_tree(out, commit))
		rc = error_set_git(REVQ_ERROR, "cannot read a merge base's tree");
	git_commit_free(commit);
	return rc;
}

/* More than two: each parent merged in turn into the result so far (remerge.h). */
static int merge_octopus(struct remerge *rm, git_commit **p, size_t nr, struct strbuf *label)
{
	git_merge_options opts;
	git_tree *ours = NULL;
	int rc = 0;

	merge_options(&opts);
	rm->octopus = 1;
	if (git_commit_tree(&ours, p[0]))
		return error_set_git(REVQ_ERROR, "cannot read the tree of a merge's first parent");
	for (size_t k = 1; k < nr && !rc; k++) {
		struct labels labels = { label[0].buf, label[k].buf };
		git_tree *base = NULL, *theirs = NULL, *merged = NULL;
		git_index *index = NULL;

		if ((rc = octopus_base(&base, rm->scratch, p, k)))
			break;
		if (git_commit_tree(&theirs, p[k]) ||
		    git_merge_trees(&index, rm->scratch, base, ours, theirs, &opts))
			rc = error_set_git(REVQ_ERROR, "cannot merge the parents of an octopus merge again");
		else
			rc = write_tree(&merged, index, rm->scratch, &labels, &rm->conflicts);
		git_index_free(index);
		git_tree_free(base);
		git_tree_free(theirs);
		git_tree_free(ours);
		ours = merged;
	}
	if (rc)
		git_tree_free(ours);
	else
		rm->tree = ours;
	return rc;
}

/* The parents of merge as commits of scratch (*p), with their labels from repo. */
static int load_parents(git_commit **p, struct strbuf *label, git_repository *scratch,
			const git_commit *merge, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++) {
		git_commit *in_repo = NULL;   /* libgit2 leaves it unset when the parent is missing */

		if (git_commit_parent(&in_repo, merge, i) ||
		    git_commit_lookup(&p[i], scratch, git_commit_id(in_repo))) {
			git_commit_free(in_repo);
			return error_set_git(REVQ_ERROR, "cannot read parent %u of %s", i + 1,
					     git_oid_tostr_s(git_commit_id(merge)));
		}
		side_label(&label[i], in_repo);
		git_commit_free(in_repo);
	}
	return 0;
}

/*
 * Refuses, before libgit2's merge walks them, trees nested deeper than
 * treediff allows (treediff.h): what differs between each parent and the
 * merge is what the merge machinery descends into.
 */
static int check_depth(git_repository *scratch, git_commit **p, unsigned nr, const git_commit *merge)
{
	git_tree *tree, *parent;
	int rc = 0;

	if (git_tree_lookup(&tree, scratch, git_commit_tree_id(merge)))
		return error_set_git(REVQ_ERROR, "cannot read the tree of %s",
				     git_oid_tostr_s(git_commit_id(merge)));
	for (unsigned i = 0; i < nr && !rc; i++) {
		struct treediff changes = TREEDIFF_INIT;

		if (git_commit_tree(&parent, p[i])) {
			rc = error_set_git(REVQ_ERROR, "cannot read the tree of a parent");
			break;
		}
		rc = treediff_trees(&changes, scratch, parent, tree);
		treediff_release(&changes);
		git_tree_free(parent);
	}
	git_tree_free(tree);
	return rc;
}

int remerge_commit(struct remerge *out, git_repository *repo, const git_commit *merge)
{
	unsigned nr = git_commit_parentcount(merge);
	git_commit **p;
	struct strbuf *label;
	int rc;

	memset(out, 0, sizeof(*out));
	out->parents = nr;
	if (nr < 2)
		return error_set(REVQ_EUSAGE, "%s is not a merge", git_oid_tostr_s(git_commit_id(merge)));
	if ((rc = remerge_open_scratch(&out->scratch, repo)))
		return rc;
	p = xcalloc(nr, sizeof(*p));
	label = xcalloc(nr, sizeof(*label));
	for (unsigned i = 0; i < nr; i++)
		strbuf_init(&label[i], 0);
	rc = load_parents(p, label, out->scratch, merge, nr);
	if (!rc)
		rc = check_depth(out->scratch, p, nr, merge);
	if (!rc && nr == 2) {
		struct labels labels = { label[0].buf, label[1].buf };

		rc = merge_two(out, p[0], p[1], &labels);
	} else if (!rc) {
		rc = merge_octopus(out, p, nr, label);
	}
	for (unsigned i = 0; i < nr; i++) {
		git_commit_free(p[i]);
		strbuf_release(&label[i]);
	}
	free(p);
	free(label);
	if (rc)
		remerge_release(out);
	return rc;
}

void remerge_release(struct remerge *rm)
{
	git_tree_free(rm->tree);
	git_repository_free(rm->scratch);
	memset(rm, 0, sizeof(*rm));
}
