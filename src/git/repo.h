/*
 * repo.h: opening the repository the way git finds it, and resolving
 * the names users give (target branch, commits).
 *
 * repo_open() returns a struct repo that owns the libgit2 handle and the
 * loaded settings; repo_free() releases both.
 */
#ifndef REVQ_REPO_H
#define REVQ_REPO_H

#include <git2.h>

#include "git/settings.h"
#include "base/strvec.h"

struct repo {
	git_repository *git;       /* owned */
	char *gitdir;              /* owned: the git dir, with a trailing slash */
	char *commondir;           /* owned: shared git dir of all worktrees */
	struct settings settings;  /* owned */
	/*
	 * owned, or NULL: GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES
	 * as repo_open() found them (git sets both for a pre-receive hook: the
	 * push's quarantine), so that repo_open_handle() sees the same objects.
	 */
	char *object_dir;
	char *alternates;
};

/* The target of the review: what pending work would land on. */
struct target {
	git_oid id;
	char *refname;   /* owned: full ref name, or NULL when given as a commit */
	char *name;      /* owned: as the user or the config spelled it */
};

/* Initialises libgit2 once per process (safe to call many times). */
void repo_library_init(void);

/*
 * Finds the repository from the current directory, honouring GIT_DIR,
 * GIT_WORK_TREE and GIT_CEILING_DIRECTORIES like git.  Bare repositories
 * and worktrees work.
 */
int repo_open(struct repo **out);
/* Opens the repository at path, its work tree or its git dir (no search upwards, no environment). */
int repo_open_path(struct repo **out, const char *path);
/* Opens the repository whose git dir is exactly path (no search). */
int repo_open_gitdir(struct repo **out, const char *path);
void repo_free(struct repo *repo);
/*
 * A second libgit2 handle on the same repository, with the same object
 * directories (quarantine included), for another thread; the caller
 * frees it.
 */
int repo_open_handle(git_repository **out, const struct repo *repo);

/* 1 when the repository has no commits at all. */
int repo_is_empty(struct repo *repo);

/*
 * Resolves the target to one fully qualified ref: spec if given, else
 * revq.target, else what refs/remotes/origin/HEAD points to, else
 * refs/heads/main, else refs/heads/master.  A short name is taken only
 * when exactly one ref answers to it by git's rules (a tag named
 * origin/main beside refs/remotes/origin/main is refused, naming both);
 * a full 40-hex commit id is taken as it is.  target->name is the full
 * ref name (or the id).
 */
int repo_find_target(struct target *out, struct repo *repo, const char *spec);
void target_release(struct target *target);

/*
 * Appends to out every existing ref that the short name could mean by
 * git's DWIM rules (name, refs/name, refs/tags/name, refs/heads/name,
 * refs/remotes/name, refs/remotes/name/HEAD); returns how many.
 */
int repo_ref_candidates(struct strvec *out, struct repo *repo, const char *name);
/*
 * REVQ_EUSAGE, naming the candidates, when the ref part of a revision
 * (before any ~ ^ @ :) names more than one ref; 0 otherwise.
 */
int repo_check_unambiguous(struct repo *repo, const char *spec);

/*
 * Resolves any revision (id, prefix, ref, HEAD~2) to a commit id,
 * refusing names that git's DWIM rules could read as two refs.
 */
int repo_resolve_commit(git_oid *out, struct repo *repo, const char *spec);
/* Resolves any unambiguous revision (id, prefix, ref, HEAD~2) to a commit the caller frees. */
int repo_lookup_commit(git_commit **out, struct repo *repo, const char *spec);

/* "refs/heads/x" -> "x", "refs/remotes/o/x" -> "o/x"; points into refname. */
const char *repo_shorten_ref(const char *refname);

#endif
