/*
 * remerge.h: what a merge commit itself introduced, as `git show
 * --remerge-diff` shows it: the parents are merged again automatically
 * (their merge bases merged recursively first, as git does for a
 * criss-cross), every conflicted file is written with its conflict
 * markers, and the resulting tree is what the merge's own tree is diffed
 * against.  A clean merge recorded as git made it has no diff; an "evil"
 * merge shows exactly the lines its author added; a resolved conflict
 * shows the resolution against the markers.
 *
 * Nothing is written to the repository: the merge runs in a scratch
 * repository that reads the repository's objects and keeps every object
 * it writes (merged blobs, the tree) in memory (libgit2's mempack), as
 * git's remerge-diff uses a temporary object directory.  Read the diff's
 * contents through `scratch`.
 *
 * git skips octopus merges; here more than two parents are merged one by
 * one into the first (each with its merge base against the parents
 * merged so far, as git-merge-octopus does), conflicts written with
 * markers and carried on.  That is an approximation, flagged `octopus`.
 * Conflicts that are not about contents are written as git's ort
 * leaves them: a file modified on one side and deleted on the other
 * keeps the modified version, a binary file, a link or a submodule in
 * conflict keeps the first parent's version, and each side of a rename
 * conflict stays at its own path.
 *
 * A remerge owns its scratch repository and its tree; remerge_release()
 * frees them (the tree first).
 */
#ifndef REVQ_REMERGE_H
#define REVQ_REMERGE_H

#include <git2.h>

struct remerge {
	git_repository *scratch;   /* owned: the repository's objects, and an in-memory store for writes */
	git_tree *tree;            /* owned (a tree of scratch): the parents merged again */
	unsigned parents;          /* how many the merge has */
	unsigned conflicts;        /* paths written with conflict markers or one side kept */
	int octopus;               /* more than two parents: merged one by one (see above) */
};

#define REMERGE_INIT { NULL, NULL, 0, 0, 0 }

/*
 * Merges again the parents of merge (which has two or more) into out
 * (initialised with REMERGE_INIT).  On error (a parent missing from a
 * shallow clone, a tree that cannot be merged) out is released and an
 * error is set: the caller falls back to the first-parent diff.
 */
int remerge_commit(struct remerge *out, git_repository *repo, const git_commit *merge);
void remerge_release(struct remerge *rm);
/*
 * A scratch repository that reads repo's objects (and its alternates)
 * and keeps every object written to it in memory: the interdiff
 * (decide/versions.h) applies a change in one too.  Freed with
 * git_repository_free().
 */
int remerge_open_scratch(git_repository **out, git_repository *repo);

#endif
