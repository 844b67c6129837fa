/*
 * comments.h: review comments, replies and resolutions as signed records
 * in the decisions notes (sign/record.h's comment records): reading them
 * for a commit, judging their signatures, and writing new ones.  This is
 * the one code path behind the console's comment keys and `revq comment`.
 *
 * A comment follows its change across a rebase or an amend: the comments
 * of a commit are those noted on it and on every commit of the same
 * lineage, that is with the same Change-Id trailer, or without one, the
 * same author address and author time (which rebase, amend and
 * cherry-pick keep).  Whether a line comment still points at its line is
 * for the diff to say (show/anchor.h), by the line's content.
 *
 * A series (decide/series.h) has comments of its own, series comment
 * records bound to its base, tip and combined change's identity: those
 * of base..tip, those of any series whose combined change is the same
 * bytes (a rebase that changed nothing), and those of an earlier version
 * (a tip of the same lineage), placed by content like a commit's.  One
 * naming base..tip whose identity is not that change's is kept but
 * "stale": never placed on a line, outdated.
 *
 * Comments are untrusted: a comment whose signature does not verify as
 * its reviewer's (against the target's allowed signers) is kept but
 * marked unverified, and its reviewer is only "claimed".
 */
#ifndef REVQ_COMMENTS_H
#define REVQ_COMMENTS_H

#include <git2.h>

#include "base/oidmap.h"
#include "base/strbuf.h"
#include "decide/review.h"
#include "decide/series.h"
#include "sign/record.h"
#include "sign/sign.h"

struct comment {
	struct comment_record record;  /* owned */
	git_oid id;                    /* the blob id of its line: what replies name in re */
	git_oid noted_on;              /* the commit whose note holds it */
	enum sig_status sig;
	int verified;                  /* sig is SIG_GOOD: the reviewer is who it says */
	size_t parent;                 /* replies and resolutions: index of the comment answered, or SIZE_MAX */
	int stale;                     /* a series comment whose series-id is not the series' change */
	int resolved;                  /* comments: a verified resolution answers it */
	char *resolved_by;             /* owned: that resolution's reviewer address, or NULL */
};

/* Every comment record of a commit, oldest first (ties: comments, replies, resolutions, then by id). */
struct comment_set {
	struct comment *v;             /* owned */
	size_t nr, alloc;
};

#define COMMENT_SET_INIT { NULL, 0, 0 }

/* Every comment line of the notes, parsed once: built by comments_load(), freed by comment_index_free(). */
struct comment_index;

/*
 * The comments, replies and resolutions of commit: the records on the
 * notes of its lineage, verified (through the cache), each reply linked
 * to its comment, resolutions applied.  The index is built on first use
 * and kept in *index (free it with comment_index_free()); build it again
 * after the notes change (comment_index_free() and NULL).
 */
int comments_load(struct comment_set *out, struct comment_index **index, struct review *review,
		  const git_oid *commit);
/* The same for the series (from review_series()): its series comment records, no commit's. */
int comments_load_series(struct comment_set *out, struct comment_index **index, struct review *review,
			 const struct series *series);
void comment_set_release(struct comment_set *set);
void comment_index_free(struct comment_index *index);

/* Open comments (not resolved, verified or not): the count, and "unresolved comments: ..." for a reason. */
size_t comments_unresolved(const struct comment_set *set);
void comments_unresolved_reason(struct strbuf *out, const struct comment_set *set);

struct comment_request {
	enum comment_kind kind;
	git_oid commit;                /* the commit it is about (its note gets the record); ignored for a series */
	const struct series *series;   /* not owned: a series comment's series (review_series()), else NULL */
	const char *path;              /* not owned: a line comment's file, else NULL */
	enum comment_side side;
	uint32_t line;                 /* the line number on that side */
	const char *line_text;         /* not owned: that line's bytes, without newline */
	size_t line_len;
	git_oid re;                    /* replies and resolutions: the comment answered */
	const char *text;              /* not owned: one line */
	int no_sign;                   /* an unsigned record, which shows as unverified */
};

/*
 * Checks, signs and appends one comment record to review's notes ref as
 * the user (settings_identity()), then reloads review's notes.  *line
 * (when not NULL) receives the record's line; the caller frees it.
 */
int comment_write(char **line, struct review *review, const struct comment_request *req);

/* "abc1234" for a comment's id. */
void comment_short_id(char *buf, size_t size, const struct comment *c);
/* Finds a comment by a unique prefix of its id (at least 4 hex digits); the index or SIZE_MAX. */
size_t comment_find(const struct comment_set *set, const char *prefix);

#endif
