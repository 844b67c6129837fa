/*
 * stats.h: where the queue waits (`revq stats`): decisions per reviewer
 * and level, the time from commit to decision, the open queue by the
 * level it needs and by team, and how much of it only a senior can move
 * (the narrow gate), in reviewing hours at STATS_LINES_PER_HOUR.
 *
 * Decisions are the trusted records (signature verified and bound to its
 * reviewer; counted, superseded, or of too low a level) of the queue's
 * items and of every other noted commit the repository still has.
 * stats_init() and stats_release() pair; stats_collect() adds one
 * repository's figures, so several repositories make one report.
 */
#ifndef REVQ_STATS_H
#define REVQ_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/review.h"
#include "queue/queue.h"

/* SmartBear/Cisco: reviewers find defects up to about 500 lines an hour (REFERENCE.md). */
#define STATS_LINES_PER_HOUR 500

struct wait_list {
	int64_t *v;           /* owned: seconds from commit to decision */
	size_t nr, alloc;
};

struct reviewer_stats {
	char *name;           /* owned: the policy's person, else the address */
	enum level level;
	size_t approvals, rejections;
	size_t senior_work;   /* decisions on items whose requirement needs a senior */
	struct wait_list waits;
};

struct level_stats {
	size_t open;          /* open items whose requirement needs this level at most (its highest need) */
	size_t waiting;       /* open items whose next approval must be of this level at least */
	size_t decided;       /* items approved or rejected since `since`, by the level they needed */
	struct wait_list waits;
	unsigned long lines;  /* changed lines of the items `waiting` counts */
};

struct team_stats {
	char *name;           /* owned */
	size_t open;          /* open items with a need from the team */
};

/*
 * One item's time in the queue, for the queue over time: from its commit
 * until the decision that closed it (approved or rejected), by the level
 * it needs at most and the teams it needs.  An item that left the queue
 * without a decision record (merged unreviewed) is not known here.
 */
struct stats_span {
	int64_t from;         /* the commit's time */
	int64_t until;        /* the closing decision's time, or 0: open now */
	enum level level;     /* the highest level its requirement asks for */
	uint64_t teams;       /* bit i: it needs stats.teams[i] (the first 64 teams) */
};

/* The queue over time is shown at this many moments, the last one now. */
#define STATS_HISTORY_POINTS 8

struct stats {
	int64_t since, now;   /* decisions before since are left out; 0: all */
	struct reviewer_stats *reviewers;   /* owned */
	size_t reviewers_nr, reviewers_alloc;
	struct level_stats levels[LEVEL_SENIOR + 1];   /* by enum level; [LEVEL_NONE] "waiting" is
							  what only a team member can move */
	struct team_stats *teams;           /* owned */
	size_t teams_nr, teams_alloc;
	size_t open, rejected, approved;    /* the queue now */
	size_t senior_decisions;            /* every decision on a senior-required item */
	int64_t first_decision;             /* the earliest counted decision's time, or 0 */
	struct stats_span *spans;           /* owned: every item known, queued or decided */
	size_t spans_nr, spans_alloc;
};

void stats_init(struct stats *stats, int64_t since, int64_t now);
/* Adds the figures of one repository: q's items (judged here) and its other noted commits. */
int stats_collect(struct stats *stats, struct review *review, struct queue *q);
void stats_release(struct stats *stats);

/* The pct-th percentile (nearest rank) of the waits, sorting them; 0 when there are none. */
int64_t stats_percentile(struct wait_list *waits, unsigned pct);
/* Decisions per day over the reviewed period (since, or the first decision, until now). */
double stats_per_day(const struct stats *stats, size_t decisions);
/* Senior reviewing hours still queued: the changed lines only a senior can move, at the documented rate. */
double stats_senior_hours(const struct stats *stats);

/*
 * The k-th moment (0 to STATS_HISTORY_POINTS - 1) of the queue over
 * time: evenly spaced whole days from since (or the first item's commit)
 * to now, the last one now.
 */
int64_t stats_history_time(const struct stats *stats, size_t k);
/*
 * The items in the queue at a moment (committed by then, not yet decided),
 * needing level at most (LEVEL_NONE: any) and team (-1: any).
 */
size_t stats_open_at(const struct stats *stats, int64_t at, enum level level, int team);

#endif
