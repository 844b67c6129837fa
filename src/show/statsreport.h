/*
 * statsreport.h: `revq stats` as text, for the batch command and the
 * console's stats view alike: the queue by what it waits on (with bars),
 * the queue over time (with bars), the narrow gate, waits per level needed, and the reviewers.  Names
 * from the policy and the records are escaped with the given flags.
 */
#ifndef REVQ_STATSREPORT_H
#define REVQ_STATSREPORT_H

#include "base/strbuf.h"
#include "decide/stats.h"

/* Appends the report (lines ending in newlines); sorts the waits it reports on. */
void stats_report(struct strbuf *out, struct stats *stats, unsigned escape_flags);

#endif
