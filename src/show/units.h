/*
 * units.h: the console's review units: a pending branch as one item (a
 * series, decide/series.h) or each commit alone.  A series is a branch
 * of the queue (a ref its items name) holding at least two pending items:
 * the commits from its merge base with the target to its tip, reviewed as
 * one combined diff.  Each item belongs to one series at most (the first
 * branch, by name, that holds it); in the queue the series stands in the
 * row of its most urgent item, its lead.
 *
 * Computed without a terminal.  units_build() fills units the caller
 * releases with units_release().
 */
#ifndef REVQ_UNITS_H
#define REVQ_UNITS_H

#include <git2.h>
#include <stddef.h>

#include "queue/queue.h"

enum unit_mode {
	UNIT_SERIES = 0,          /* revq.reviewUnit = series (the default) */
	UNIT_COMMIT,              /* revq.reviewUnit = commit */
};

struct unit {
	git_oid base;             /* the merge base of the tip with the target */
	git_oid tip;
	char *ref;                /* owned: the branch's label, as the items name it */
	size_t *members;          /* owned: indices into the queue of its items, in the series' order
				     (newest first, as git rev-list lists them) */
	size_t members_nr;
	size_t commits;           /* every commit of base..tip, AI-assisted or not */
	size_t lead;              /* the member with the smallest queue index (the most urgent) */
};

struct units {
	struct unit *v;           /* owned */
	size_t nr, alloc;
	size_t *of;               /* owned: per queue item, 1 + the index of its unit, or 0 */
	size_t of_nr;
};

#define UNITS_INIT { NULL, 0, 0, NULL, 0 }

/* The series of q's branches (q's items' refs), read from repo. */
int units_build(struct units *out, git_repository *repo, const struct queue *q);
void units_release(struct units *units);
/*
 * Moves the units of part (built over one queue) into out, a queue that
 * holds that queue's items among others: item k of part's queue is item
 * position[k] of out's, whose of array (of_nr items) the caller made.
 * part is left empty.
 */
void units_merge(struct units *out, struct units *part, const size_t *position);
/* The unit of queue item index, or NULL when it is reviewed alone. */
const struct unit *units_of(const struct units *units, size_t index);
/* The unit index leads, or NULL. */
const struct unit *units_led_by(const struct units *units, size_t index);
/*
 * What a series row shows: its highest risk (into *risk) and a status
 * (into status, size bytes) that is the series' own only when every item
 * agrees: one rejection is "rejected", one item that could not be judged
 * (a broken policy) makes it "unknown", some approved "N/M ok".
 */
void unit_summary(const struct queue *q, const struct unit *u, int *risk, char *status, size_t size);
/* revq.reviewUnit: "series" or "commit"; -1 for anything else. */
int unit_mode_parse(const char *value);

#endif
