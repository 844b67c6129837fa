/*
 * versions.h: a new version of something already decided, and what
 * changed since.  revq recognises a pending commit as a new version of a
 * decided commit (one with a decision record on itself) that is not its
 * ancestor, by the first of these that matches:
 *
 *   change-id  the same Change-Id: the commit's `change-id` header
 *              (Jujutsu, GitButler), else its last `Change-Id:` trailer
 *              (Gerrit), trailers parsed as git parses them;
 *   branch     a candidate ref of the pending commit once pointed at the
 *              decided commit (the ref's reflog);
 *   subject    the same author address and the same subject;
 *   patch      the exact patch identity, as range-diff's first pass
 *              matches exact copies (an approval then carries over);
 *              only with VERSIONS_EXACT (`revq show`), not in a queue.
 *
 * When several decided commits match one way, the one decided latest
 * wins (then the greater commit id): one deterministic answer.  Records
 * are read as written, not verified: matching only says where to look,
 * and what a front end shows as a decision it judges first.
 *
 * The interdiff is what the new version changes against the old one,
 * ignoring a rebase: the old commit's change is applied again onto the
 * new commit's parent in memory (a scratch repository, nothing is
 * written), and that tree is diffed against the new commit's.  When the
 * old change does not apply cleanly there, the interdiff falls back to
 * the old commit's tree against the new one's, restricted to the paths
 * either change touches, and says so (`fallback`).
 */
#ifndef REVQ_VERSIONS_H
#define REVQ_VERSIONS_H

#include <git2.h>

#include "base/oidmap.h"
#include "decide/review.h"

enum version_match {
	VERSION_NONE = 0,
	VERSION_CHANGE_ID,
	VERSION_BRANCH,
	VERSION_PATCH,
	VERSION_SUBJECT,
};

/* A decided commit, with its latest record on itself. */
struct decided {
	git_oid commit;
	const struct record *latest;  /* not owned (the review's notes): valid until the notes are reloaded */
};

/* Every decided commit of a review, indexed each way; built once (versions_index_new()). */
struct version_index {
	struct review *review;        /* not owned */
	struct decided *v;            /* owned */
	size_t nr, alloc;
	struct oidmap by_commit;      /* owned: commit -> index in v */
	struct oidmap by_change_id;   /* owned: hash of a Change-Id -> the latest decided with it */
	struct oidmap by_patch;       /* owned: patch-id of the record -> the latest decided with it */
	struct oidmap by_subject;     /* owned: hash of author address and subject -> the latest */
};

struct earlier_version {
	const struct decided *decided; /* not owned (the index's) */
	enum version_match by;
};

/* Reads the review's records once; *out is freed with versions_index_free(). */
int versions_index_new(struct version_index **out, struct review *review);
void versions_index_free(struct version_index *index);

/*
 * The earlier decided version of commit (refs: its candidate refs' short
 * names, may be NULL), or REVQ_ENOTFOUND (no error set) when there is none.
 */
int versions_find(struct earlier_version *out, struct version_index *index, const git_commit *commit,
		  const struct strvec *refs, unsigned flags);

enum versions_flags {
	VERSIONS_EXACT = 1 << 0,  /* match by the exact patch identity too (computes it when not cached) */
};

/*
 * Marks each of items that is a new version (item->earlier, matched
 * without VERSIONS_EXACT: a queue does not compute every identity).
 * With email and of (an entry per item, review_need_of()'s), an item
 * still open whose earlier version email decided needs email again:
 * NEEDS_SOMEONE_ELSE becomes NEEDS_ME unless email is its author.
 */
int versions_mark(struct review *review, struct item *const *items, size_t nr, const char *email,
		  enum need_of *of);

/* "change-id", "branch", "patch", "subject": how it matched. */
const char *version_match_name(enum version_match by);

/*
 * The commit's Change-Id (header, else last trailer), or NULL; the
 * caller frees it.  Untrusted text: escape it to show it.
 */
char *versions_change_id(const git_commit *commit);

struct interdiff {
	git_repository *scratch;  /* owned: the repository's objects and the applied tree, in memory */
	git_diff *diff;           /* owned: the old version's change applied on the new parent -> the new
				     version (or, with fallback, old tree -> new tree on the touched paths);
				     read its contents through scratch */
	int fallback;             /* the old change did not apply on the new parent cleanly */
};

#define INTERDIFF_INIT { NULL, NULL, 0 }

/* Computes the interdiff from old to new; on failure out is left released. */
int interdiff_compute(struct interdiff *out, git_repository *repo, const git_oid *old_commit,
		      const git_oid *new_commit);
void interdiff_release(struct interdiff *diff);


/* A pending item's earlier version, judged, and the interdiff: what `revq show` and the console show. */
struct earlier {
	int found;
	git_oid commit;                      /* the earlier version */
	enum version_match by;
	char *subject;                       /* owned: its subject (untrusted) */
	char *change_id;                     /* owned: the shared Change-Id, or NULL */
	struct evaluation ev;                /* owned: its decisions, judged under the policy */
	const struct judged_record *latest;  /* not owned (ev's): its latest record on itself that counts,
						else its latest record on itself; NULL when none */
	struct interdiff diff;               /* owned */
	int diff_failed;                     /* the interdiff could not be computed (error_last() said why) */
};

/*
 * Finds item's earlier version (refs as versions_find()) and judges its
 * decisions; out->found 0 when there is none.  An interdiff that cannot
 * be computed is a warning (diff_failed), not an error.
 */
int versions_earlier(struct earlier *out, struct review *review, const struct item *item, const struct strvec *refs);
void earlier_release(struct earlier *earlier);

#endif
