/*
 * pending.h: which commits await review.
 *
 * Pending = reachable from a candidate ref (revq.pending globs, default
 * refs/heads/ * and refs/remotes/ * / *, plus a detached HEAD) and not from
 * the target.  Explicit ranges ("A..B", "B", "^A") replace the candidates.
 * A pending_spec says where to start and stop; pending_walk() finds the
 * commits and labels each with the candidates that contain it.  Both
 * structs own their contents; the _release functions free them.
 */
#ifndef REVQ_PENDING_H
#define REVQ_PENDING_H

#include <git2.h>
#include <stdint.h>

#include "base/oidmap.h"
#include "git/repo.h"
#include "base/strbuf.h"
#include "base/strvec.h"

struct pending_tip {
	git_oid id;
	char *label;      /* owned: short ref name, or the range text */
};

struct pending_spec {
	struct pending_tip *include;  /* owned */
	size_t include_nr, include_alloc;
	git_oid *exclude;             /* owned */
	size_t exclude_nr, exclude_alloc;
};

struct pending_commit {
	git_oid id;
	struct strvec refs;  /* labels of the tips that reach it; may be borrowed (strvec.h) */
};

struct pending {
	struct pending_commit *commits;  /* owned, newest first */
	size_t nr, alloc;
	int shallow;                     /* the walk met a shallow boundary or a missing parent */
	int incomplete;                  /* ... from a pending commit, before the target: the set may lack commits */
};

#define PENDING_SPEC_INIT { NULL, 0, 0, NULL, 0, 0 }
#define PENDING_INIT { NULL, 0, 0, 0, 0 }

/* Candidate refs by revq.pending globs, minus the target. */
int pending_spec_from_refs(struct pending_spec *out, struct repo *repo,
			   const struct target *target);
/* Explicit ranges: "A..B" includes B excluding A; "B" is target..B; "^A" excludes A. */
int pending_spec_from_ranges(struct pending_spec *out, struct repo *repo,
			     const struct target *target, const char *const *ranges, size_t nr);
void pending_spec_release(struct pending_spec *spec);
/* A stable text that changes whenever any tip, label or exclusion does. */
void pending_spec_describe(struct strbuf *out, const struct pending_spec *spec);

int pending_walk(struct pending *out, git_repository *repo, const struct pending_spec *spec);
void pending_release(struct pending *pending);

/*
 * What a walk learnt of the commits it met: each read commit's date and
 * parents.  A commit id names the commit's bytes, so what it says holds
 * in any repository for ever; given to the next walk, the walk reads from
 * it instead of from the repository every commit it knows, and so costs
 * what changed since, not the size of the queue (the snapshot keeps it:
 * store/walkblob.h).  The tips are always read from the repository, and
 * a known graph that disagrees with one of them is not used at all; nor
 * is it used for a commit $GIT_DIR/shallow lists.
 */
#define PENDING_UNPARSED UINT32_MAX

struct pending_node {
	git_oid id;
	int64_t time;
	uint32_t parents;      /* index of its first parent in graph->parents */
	uint32_t parents_nr;   /* PENDING_UNPARSED: met as a parent, never read */
};

struct pending_graph {
	struct pending_node *nodes;   /* owned */
	size_t nr, alloc;
	uint32_t *parents;            /* owned: indices into nodes */
	size_t parents_nr, parents_alloc;
	struct oidmap index;          /* owned: id -> index into nodes, for a known graph */
	uint32_t *pending;            /* owned: in a learnt graph, the node of each pending commit */
	size_t pending_nr;
};

#define PENDING_GRAPH_INIT { NULL, 0, 0, NULL, 0, 0, OIDMAP_INIT, NULL, 0 }

/*
 * pending_walk() reading the commits known (may be NULL; with its index
 * filled) knows from it, and, when learnt is not NULL, filling it (empty)
 * with the commits this walk read, their parents, and the node of each
 * pending commit (no index).  known is used up (emptied).  The answer is
 * pending_walk()'s, commit for commit and in the same order: the walk is
 * the same, only where a commit's date and parents come from differs.
 */
int pending_walk_known(struct pending *out, git_repository *repo, const struct pending_spec *spec,
		       struct pending_graph *known, struct pending_graph *learnt);
void pending_graph_release(struct pending_graph *graph);

/* 1 when $GIT_COMMON_DIR/info/grafts exists (path is appended its name), else 0. */
int pending_grafts_path(struct strbuf *path, git_repository *repo);
/*
 * Replacements that git honours and libgit2 (so revq) does not: refs under
 * refs/replace/ (or $GIT_REPLACE_REF_BASE) and $GIT_DIR/info/grafts.  With
 * them, git's checkout, archive and log show other history than the one
 * revq judged.
 *
 * pending_has_replacements(): 1 when there may be any (a cheap test, so
 * that callers gather ids only then), else 0.
 *
 * pending_replaced(): 1, with one line saying why appended to *why, when
 * info/grafts exists, or a replace ref names one of ids[0..nr) (commits
 * of a range, and the target), or names an object that is not a commit
 * (a replaced tree or blob may sit under any commit) or that is not in the
 * repository; 0 when none does; a negative REVQ_* code on error.  Replace
 * refs of commits outside ids (the usual use: joining old history) pass.
 */
int pending_has_replacements(git_repository *repo);
int pending_replaced(struct strbuf *why, git_repository *repo, const git_oid *ids, size_t nr);

#endif
