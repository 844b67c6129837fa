/*
 * queue.h: the prioritized review queue.
 *
 * priority = risk + ageing, where ageing = min(100, 10 * whole hours
 * waiting / 24): ten points per day since the commit was made, so a
 * harmless change that has waited ten days ranks with a brand-new change
 * of risk 100, and nothing starves.  Ties go to the older commit, then to
 * the smaller commit id.
 *
 * queue_build() returns a queue that owns its items; queue_free() frees it.
 */
#ifndef REVQ_QUEUE_H
#define REVQ_QUEUE_H

#include <stdint.h>

#include "base/clock.h"
#include "judge/item.h"
#include "git/pending.h"
#include "git/repo.h"
#include "queue/session.h"

struct queue_options {
	const char *target;             /* --target, or NULL for the configured one */
	const char *const *ranges;      /* explicit ranges, replacing the candidate refs */
	size_t ranges_nr;
	int all;                        /* keep commits without AI markers too */
	int64_t now;                    /* seconds since the epoch; 0 means clock_now() */
	unsigned jobs;                  /* worker threads; 0 means revq.jobs or one per CPU */
	/*
	 * Paths of the trust root (.revq, the allowed signers): a commit that
	 * changes any of them is kept whether or not it carries AI markers.
	 */
	const char *const *gated;       /* not owned */
	size_t gated_nr;
};

struct queue {
	struct item **items;      /* owned, in priority order */
	size_t nr;
	size_t pending_nr;        /* pending commits before the AI filter */
	struct target target;     /* owned */
	int shallow;              /* history was cut short (shallow clone) */
	int incomplete;           /* ... on the pending side: commits may be missing (pending.h) */
	int64_t now;
	struct pool *pool;        /* owned: the blocks of items read from a snapshot */
};

int queue_build(struct queue **out, struct session *session, const struct queue_options *opts);
void queue_free(struct queue *queue);

void queue_sort(struct queue *queue);
/* The ranking: < 0 when x comes before y (higher priority, then risk, older, smaller id). */
int queue_compare_items(const struct item *x, const struct item *y);

/*
 * Just the pending set (no items): which commits await review and the
 * refs that reach them.  out and target are released by the caller.
 */
int queue_find_pending(struct pending *out, struct target *target, struct session *session,
		       const struct queue_options *opts);

/*
 * The item of any commit, from the cache or computed (always with its
 * risk).  The caller frees it with item_free().
 */
int queue_load_item(struct item **out, struct session *session, const git_oid *id);

/* Computes items for ids with up to jobs threads; out[i] matches ids[i]. */
int queue_compute_items(struct item **out, struct session *session, const git_oid *ids,
			size_t nr, unsigned flags, unsigned jobs);

#endif
