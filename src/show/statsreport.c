/*
 * statsreport.c: the text of `revq stats` (statsreport.h).
 */
#include "config.h"

#include <string.h>

#include "show/escape.h"
#include "show/format.h"
#include "show/statsreport.h"

#define BAR_WIDTH 20

static const char *const level_words[] = { "a team member", "anyone", "a mid or above", "a senior" };

static void bar(struct strbuf *out, size_t n, size_t max)
{
	size_t filled = max ? (n * BAR_WIDTH + max - 1) / max : 0;

	for (size_t i = 0; i < BAR_WIDTH; i++)
		strbuf_addch(out, i < filled ? '#' : '.');
}

/* The pct-th percentile of waits as an age, "-" when there are none. */
static void add_wait(struct strbuf *out, struct wait_list *waits, unsigned pct, int width)
{
	char age[16] = "-";

	if (waits->nr)
		format_age(age, sizeof(age), stats_percentile(waits, pct));
	strbuf_addpadded(out, age, width);
}

static void text_queue(struct strbuf *out, const struct stats *st, unsigned flags)
{
	size_t max = 0, kept = st->open - st->levels[LEVEL_SENIOR].waiting;

	strbuf_addf(out, "Queue now: %zu open, %zu rejected (waiting on their authors), %zu approved\n",
		    st->open, st->rejected, st->approved);
	for (int l = LEVEL_NONE; l <= LEVEL_SENIOR; l++)
		if (st->levels[l].waiting > max)
			max = st->levels[l].waiting;
	strbuf_addstr(out, "\nWaits on            items                        lines  senior hours\n");
	for (int l = LEVEL_SENIOR; l >= LEVEL_NONE; l--) {
		const struct level_stats *ls = &st->levels[l];

		strbuf_addf(out, "  %-16s %5zu  ", level_words[l], ls->waiting);
		bar(out, ls->waiting, max);
		strbuf_addf(out, " %8lu", ls->lines);
		if (l == LEVEL_SENIOR)
			strbuf_addf(out, "  %.1f", stats_senior_hours(st));
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "\nNarrow gate: %zu of %zu open items (%.0f%%) need no senior now; %zu wait on one.\n",
		    kept, st->open, st->open ? 100.0 * (double)kept / (double)st->open : 0.0,
		    st->levels[LEVEL_SENIOR].waiting);
	for (size_t i = 0; i < st->teams_nr; i++) {
		strbuf_addstr(out, i ? ", " : "Teams needed: ");
		escape_addstr(out, st->teams[i].name, flags);
		strbuf_addf(out, " %zu", st->teams[i].open);
		if (i + 1 == st->teams_nr)
			strbuf_addch(out, '\n');
	}
}

/* "2026-01-01 00:00", UTC. */
static void add_moment(struct strbuf *out, int64_t at)
{
	char iso[40];

	format_iso_date(iso, sizeof(iso), at, 0);
	iso[10] = ' ';
	strbuf_add(out, iso, 16);
}

/* The queue at STATS_HISTORY_POINTS moments up to now, from the items' commit and decision times. */
static void text_history(struct strbuf *out, const struct stats *st, unsigned flags)
{
	size_t open[STATS_HISTORY_POINTS], max = 0;

	for (size_t k = 0; k < STATS_HISTORY_POINTS; k++) {
		open[k] = stats_open_at(st, stats_history_time(st, k), LEVEL_NONE, -1);
		if (open[k] > max)
			max = open[k];
	}
	strbuf_addstr(out, "\nQueue over time (UTC) open                        senior   mid  anyone");
	for (size_t i = 0; i < st->teams_nr; i++) {
		strbuf_addch(out, ' ');
		escape_addstr(out, st->teams[i].name, flags);
	}
	strbuf_addch(out, '\n');
	for (size_t k = 0; k < STATS_HISTORY_POINTS; k++) {
		int64_t at = stats_history_time(st, k);

		strbuf_addstr(out, "  ");
		add_moment(out, at);
		strbuf_addf(out, "  %5zu  ", open[k]);
		bar(out, open[k], max);
		strbuf_addf(out, " %6zu %5zu %7zu", stats_open_at(st, at, LEVEL_SENIOR, -1),
			    stats_open_at(st, at, LEVEL_MID, -1), stats_open_at(st, at, LEVEL_JUNIOR, -1));
		for (size_t i = 0; i < st->teams_nr; i++)
			strbuf_addf(out, " %*zu", (int)(strlen(st->teams[i].name) > 1 ? strlen(st->teams[i].name) : 1),
				    stats_open_at(st, at, LEVEL_NONE, (int)i));
		strbuf_addch(out, '\n');
	}
}

static void text_levels(struct strbuf *out, struct stats *st)
{
	strbuf_addstr(out, "\nNeeds (highest)   open  decided  median   p75   p90   (commit to decision)\n");
	for (int l = LEVEL_SENIOR; l >= LEVEL_JUNIOR; l--) {
		struct level_stats *ls = &st->levels[l];

		strbuf_addf(out, "  %-14s %5zu  %7zu  ", level_name((enum level)l), ls->open, ls->decided);
		add_wait(out, &ls->waits, 50, 6);
		strbuf_addch(out, ' ');
		add_wait(out, &ls->waits, 75, 5);
		strbuf_addch(out, ' ');
		add_wait(out, &ls->waits, 90, 5);
		strbuf_addch(out, '\n');
	}
}

static void text_reviewers(struct strbuf *out, struct stats *st, unsigned flags)
{
	strbuf_addstr(out, "\nReviewer              level   approved  rejected  per day  median wait  senior share\n");
	if (!st->reviewers_nr)
		strbuf_addstr(out, "  (no decisions)\n");
	for (size_t i = 0; i < st->reviewers_nr; i++) {
		struct reviewer_stats *r = &st->reviewers[i];

		strbuf_addstr(out, "  ");
		escape_column(out, r->name, 20, flags);
		strbuf_addf(out, "  %-6s  %8zu  %8zu  %7.2f  ", level_name(r->level), r->approvals, r->rejections,
			    stats_per_day(st, r->approvals + r->rejections));
		add_wait(out, &r->waits, 50, 11);
		if (r->level == LEVEL_SENIOR && st->senior_decisions)
			strbuf_addf(out, "  %11.0f%%", 100.0 * (double)r->senior_work / (double)st->senior_decisions);
		strbuf_addch(out, '\n');
	}
}

void stats_report(struct strbuf *out, struct stats *st, unsigned flags)
{
	text_queue(out, st, flags);
	text_history(out, st, flags);
	text_levels(out, st);
	text_reviewers(out, st, flags);
}
