/*
 * analyze.h: walking one commit's diff against its first parent (a root
 * commit, or a shallow-clone boundary, against the empty tree) to get
 * per-file stats and the risk findings of its added lines.
 *
 * A merge is judged by what it introduced itself, not by the topic it
 * brings in (which is in the topic's own commits, each in the queue):
 * its diff is against its parents merged again, conflicts written with
 * markers, as `git show --remerge-diff` shows (git/remerge.h).  When
 * they cannot be merged again (a shallow clone) it falls back, with a
 * warning, to the first-parent diff: more to read, never less.
 *
 * An analysis owns its files and findings; analysis_release() frees them.
 */
#ifndef REVQ_ANALYZE_H
#define REVQ_ANALYZE_H

#include <git2.h>
#include <stdint.h>

#include "git/remerge.h"
#include "judge/risk.h"
#include "base/strvec.h"

struct file_stat {
	char *path;           /* owned: new path (old path for a deletion) */
	char *old_path;       /* owned: set for renames and copies, else NULL */
	char status;          /* 'A', 'D', 'M', 'R', 'C', 'T' (type change) */
	unsigned added;
	unsigned deleted;
	unsigned binary : 1;
	unsigned submodule : 1;
	uint32_t old_mode;
	uint32_t new_mode;
	unsigned similarity;  /* for renames and copies, 0-100 */
};

struct analysis {
	struct file_stat *files;   /* owned */
	size_t files_nr, files_alloc;
	struct risk_totals totals;
	struct risk_findings findings;
	unsigned parents;          /* the commit's parents */
	int remerged;              /* a merge, diffed against its parents merged again */
	int octopus;               /* ... more than two, merged one by one (remerge.h) */
	unsigned conflicts;        /* ... paths that were in conflict */
};

enum analyze_flags {
	ANALYZE_RENAMES = 1 << 0,  /* detect renames and copies (for display) */
};

/* Diffs commit against its first parent; *out is freed with git_diff_free(). */
int analyze_commit_diff(git_diff **out, git_repository *repo, const git_commit *commit,
			unsigned flags);

/*
 * The diff a reviewer reads and the risk is computed from: a commit's
 * first-parent diff, a merge's remerge diff (see above).  Read the
 * contents of its deltas (analyze_delta()) from `contents`.
 */
struct review_diff {
	git_diff *diff;              /* owned */
	git_repository *contents;    /* not owned: the repository, or remerge.scratch */
	struct remerge remerge;      /* owned: scratch set when the merge was merged again */
	unsigned parents;
	int renames_limited;         /* more files than diff.renameLimit allows: exact renames only */
};

/* git's default diff.renameLimit. */
#define ANALYZE_DEFAULT_RENAME_LIMIT 1000
/* diff.renameLimit from repo's config (0: no limit), else git's default. */
int analyze_rename_limit(git_repository *repo);

int analyze_review_diff(struct review_diff *out, git_repository *repo, const git_commit *commit,
			unsigned flags);
void review_diff_release(struct review_diff *rd);

/*
 * Diffs the contents of one delta of a tree diff, calling the libgit2
 * callbacks (any may be NULL) with context_lines of context.  Attributes
 * are not consulted: binary files are recognised by content.
 */
int analyze_delta(git_repository *repo, const git_diff_delta *delta, git_diff_binary_cb binary_cb,
		  git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload,
		  uint32_t context_lines);
/* The same with libgit2 diff option flags (GIT_DIFF_IGNORE_WHITESPACE_CHANGE, for display). */
int analyze_delta_flags(git_repository *repo, const git_diff_delta *delta, git_diff_binary_cb binary_cb,
			git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload,
			uint32_t context_lines, uint32_t diff_flags);

/* Runs the diff and fills out; on failure out is left released. */
int analyze_commit(struct analysis *out, git_repository *repo, const git_commit *commit,
		   const struct risk_rules *rules, unsigned flags);
void analysis_release(struct analysis *a);

/*
 * The exact patch identity of a commit, what carry-over of a decision to
 * a rebased copy trusts: a hash of its diff against its first parent
 * (for a merge too, never its remerge diff: every clean merge has the
 * same empty one, and an approval must not carry from one to another)
 * (three lines of context) that covers every byte of every line, the
 * missing newline at the end, paths, modes, binary contents and
 * submodule pointers, and leaves out only hunk line numbers.  A rebase or
 * cherry-pick keeps it only when its diff is byte-identical.  Computed
 * without .gitattributes, like everything here.  (Stored in a record's
 * patch-id field; git's whitespace-insensitive patch-id is never used.)
 */
int analyze_patch_id(git_oid *out, git_repository *repo, const git_commit *commit);
/*
 * The diff from old_tree (NULL: the empty tree) to new_tree, as
 * analyze_commit_diff() makes it; with ANALYZE_RENAMES, renames found as
 * far as rename_limit (diff.renameLimit; 0: no limit) allows, *limited
 * (may be NULL) set when only exact renames were looked for.
 */
int analyze_trees_diff(git_diff **out, git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		       unsigned flags, int rename_limit, int *limited);
/*
 * The same identity of the change from old_tree (NULL: the empty tree) to
 * new_tree: a series' combined change (a squash of base..tip onto base
 * has the series' identity as its patch identity).
 */
int analyze_trees_patch_id(git_oid *out, git_repository *repo, git_tree *old_tree, git_tree *new_tree);

/*
 * Appends the old and the new path of every file the commit changes
 * against its first parent (as analyze_patch_id() and item paths see
 * them, without rename detection), reading trees only.  Two commits with
 * one patch identity change one set of paths: the cheap key that tells
 * when computing the identity is worth it.
 */
int analyze_changed_paths(struct strvec *out, git_repository *repo, const git_commit *commit);

#endif
