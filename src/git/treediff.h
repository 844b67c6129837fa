/*
 * treediff.h: the files that differ between two trees, as libgit2's
 * git_diff_tree_to_tree() lists them without rename detection: the same
 * deltas, in the same order, with the same statuses (a change of file
 * type is a deletion and an addition, as there).
 *
 * It is a merge of the two sorted entry lists that never opens a subtree
 * whose id did not change.  git_diff_tree_to_tree() walks every entry of
 * both trees through its iterators, and takes a snapshot of the
 * repository's configuration on each call: a third of a cold `revq list`
 * went there (bench/README).  tests/unit/test_treediff.c holds the two to
 * the same answers on random trees.
 *
 * A treediff owns its deltas and their paths; treediff_release() frees them.
 *
 * A tree nested deeper than TREEDIFF_MAX_DEPTH directories (git's default
 * core.maxTreeDepth) is refused with an error, never walked: nobody
 * reviews such a path, and the walk must not be a way to exhaust memory
 * or the stack of libgit2's diff (analyze.c runs this before it).
 */
#ifndef REVQ_TREEDIFF_H
#define REVQ_TREEDIFF_H

#include <git2.h>

struct treediff {
	git_diff_delta *deltas;   /* owned; each path is owned (old and new may be one string) */
	size_t nr, alloc;
	unsigned added, deleted;  /* how many deltas have each status */
};

#define TREEDIFF_MAX_DEPTH 4096

#define TREEDIFF_INIT { NULL, 0, 0, 0, 0 }

/*
 * Fills out (initialised with TREEDIFF_INIT) with the changes from old to
 * new; either may be NULL, the empty tree.  On error out is released and
 * an error is set (error.h).
 */
int treediff_trees(struct treediff *out, git_repository *repo, const git_tree *old,
		   const git_tree *new);
void treediff_release(struct treediff *diff);

#endif
