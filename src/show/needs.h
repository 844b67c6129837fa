/*
 * needs.h: the "needs me" routing of the queue, computed without a
 * terminal: which items each view shows (the console's "needs me" and
 * "all", `revq list --for-me`), their counts, and the view's name, so the
 * console only paints it and the tests check it directly.
 */
#ifndef REVQ_NEEDS_H
#define REVQ_NEEDS_H

#include <stddef.h>

#include "base/strbuf.h"
#include "decide/review.h"

enum need_view {
	NEED_VIEW_MINE = 0,   /* the items my approval would count for (review_need_of() NEEDS_ME) */
	NEED_VIEW_ALL,        /* the whole queue */
};

struct need_counts {
	size_t of[NEEDS_NOTHING + 1];   /* items per enum need_of */
};

/* "mine" or "all" (revq.consoleView) into *out; -1 for anything else, *out unchanged. */
int need_view_parse(enum need_view *out, const char *name);
/* "needs me" or "all": how the console names the view. */
const char *need_view_name(enum need_view view);
/* 1 when view shows an item whose move is need. */
int need_view_shows(enum need_view view, enum need_of need);
/* Counts of[0..nr) by need. */
void need_counts_of(struct need_counts *out, const enum need_of *of, size_t nr);
/*
 * The --for-me order into out (nr indices): the items that need me
 * first, then the rest, each group in queue order.  Returns how many
 * need me.
 */
size_t needs_order(size_t *out, const enum need_of *of, size_t nr);
/* The header's routing part: "[needs me] 3 need me" or "[all] 3 need me". */
void need_view_describe(struct strbuf *out, enum need_view view, const struct need_counts *counts);
/* Who else the queue waits on: "1 need someone else, 0 wait on the author". */
void need_counts_describe_rest(struct strbuf *out, const struct need_counts *counts);

#endif
