/*
 * series.h: a branch reviewed as one change.  A series is the commits
 * base..tip (reachable from tip, not from base; base an ancestor of
 * tip), read as one combined diff from base's tree to tip's tree.  One
 * decision covers it (a revq-series1 record, revq-notes(5)); what the
 * series needs is what its strictest commit needs, and every author of
 * any of its commits is "self" for all of it.
 *
 * series_open() fills a series the caller releases with series_release().
 */
#ifndef REVQ_SERIES_H
#define REVQ_SERIES_H

#include <git2.h>

#include "base/oidmap.h"
#include "base/strvec.h"
#include "decide/policy.h"
#include "decide/review.h"

/* A series longer than this is refused: its bounds are a typo, not a branch. */
#define SERIES_MAX_COMMITS 2000

struct series {
	git_oid base;
	git_oid tip;
	git_oid tree;                /* the tip's tree */
	git_oid id;                  /* the exact identity of the combined change (analyze_trees_patch_id()),
					once have_id: series_identity() computes it on first use */
	int have_id;
	git_oid *commits;            /* owned: base..tip, newest first */
	size_t commits_nr;
	struct oidmap index;         /* owned: commit -> its index in commits */
	struct strvec self;          /* owned: every commit's "self" identities (review_self_identities()),
					and the signers' that did not count (requireSignedCommits) */
	int self_failed;             /* some identities could not be read: everyone is self */
	int risk;                    /* the highest risk of its commits */
	git_oid riskiest;            /* the first commit with that risk */
	enum level author_level;     /* the lowest author level of its commits */
	git_oid lowest_author;       /* the first commit with that level */
	struct strvec paths;         /* owned: every path any commit changes */
	struct strvec *paths_of;     /* owned: commits_nr of them, the paths each commit changes (NULL in a
					merged series: review.c) */
	int ai;                      /* some commit carries AI markers */
};

/* Reads base..tip; REVQ_EUSAGE when base is not an ancestor of tip, or the series is empty or too long. */
int series_open(struct series *out, struct review *review, const git_oid *base, const git_oid *tip);
void series_release(struct series *series);

/* Parses "BASE..TIP" (any revisions) into two commits. */
int series_parse_range(git_oid *base, git_oid *tip, struct repo *repo, const char *spec);

/* 1 when commit is one of the series' commits. */
int series_contains(const struct series *series, const git_oid *commit);

/*
 * What the series needs: the requirement of its highest risk, every
 * path any commit changes, and its lowest author level, with a reason
 * naming the commit that raised each part ("tier high (risk 72 >= 70), raised
 * by 1a2b3c4d5e", "path infra/ ** (infra/main.tf), raised by 5e6f7a8b9c").
 */
void series_requirement(struct requirement *out, const struct review *review, const struct series *series);

/* 1 when email (or any address of person, -1 for none) is self for the series. */
int series_is_self(const struct series *series, const struct policy *policy, long person, const char *email);

/*
 * The series a review has read, each once: the series base..tip, opened
 * on first use.  *out is not owned (the review's); REVQ_* when it cannot
 * be read.
 */
int review_series(const struct series **out, struct review *review, const git_oid *base, const git_oid *tip);
/*
 * The exact identity of the series' combined change, computed once (a
 * diff of the whole series: only judging and signing need it, not
 * showing).  series must come from review_series(); *out points into it.
 */
int series_identity(const git_oid **out, struct review *review, const struct series *series);
/* Frees what review_series() read (review_free() calls it); accepts NULL. */
void series_cache_free(struct series_cache *cache);

#endif
