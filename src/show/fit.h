/*
 * fit.h: sharing out a screen row's columns among pieces of text, so
 * that at 80 columns nothing is cut without a sign and the important
 * piece keeps its place: the queue row's subject and top risk reason,
 * the status line's key hints.  Computed without a terminal, so the
 * tests check the split itself; widths are display columns (escape.h).
 */
#ifndef REVQ_FIT_H
#define REVQ_FIT_H

#include <stddef.h>

#include "base/strbuf.h"
#include "base/strvec.h"

#define FIT_GAP 2             /* columns between the subject and the reason */
#define FIT_REASON_MIN 12     /* a long reason keeps at least this much of the row (a quarter of a wide one)... */
#define FIT_SUBJECT_MIN 12    /* ...unless the subject (past its labels) would have less than this */
#define FIT_SHOWN_MIN 4       /* a piece narrower than this is not shown: its cut mark needs 3 */

/* How the room of a queue row is shared (fit_subject_reason()). */
struct fit_split {
	size_t subject;      /* columns for the subject (its labels included) */
	size_t gap;          /* FIT_GAP when the reason is shown, else 0 */
	size_t reason;       /* columns for the reason; 0: not shown */
	int subject_cut;     /* the subject has more than fits: its row shows a cut mark */
	int reason_cut;      /* the reason has more than its columns (all of it when not shown) */
};

/*
 * Shares room columns between a subject and a top risk reason of the
 * given display widths (reason_width 0: there is none).  Both whole when
 * they fit; else the reason keeps min(its width, the larger of
 * FIT_REASON_MIN and a quarter of room), or half of that (at least
 * FIT_SHOWN_MIN) when the subject then fits whole; the subject takes what
 * remains, down to min(its width, subject_min), and any columns the
 * subject leaves go to the reason.  With no room for that minimum and FIT_SHOWN_MIN
 * columns of reason, the subject has the row.  subject_min is
 * FIT_SUBJECT_MIN, plus the width of labels the subject starts with.
 * subject + gap + reason <= room.
 */
void fit_subject_reason(struct fit_split *out, size_t room, size_t subject_width, size_t subject_min,
			size_t reason_width);

/*
 * Appends to out as many whole hints (revq's ASCII, in priority order) as
 * fit in width columns with sep between them, dropping the last ones
 * first: no hint is ever shown in part.  Returns the hints shown.
 */
size_t fit_hints(struct strbuf *out, const struct strvec *hints, const char *sep, size_t width);

#endif
