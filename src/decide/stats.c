/*
 * stats.c: the figures of `revq stats` from the judged decisions (stats.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "decide/stats.h"

void stats_init(struct stats *s, int64_t since, int64_t now)
{
	memset(s, 0, sizeof(*s));
	s->since = since;
	s->now = now;
}

static void wait_add(struct wait_list *w, int64_t seconds)
{
	if (w->nr == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 16;
		w->v = xrealloc(w->v, w->alloc * sizeof(*w->v));
	}
	w->v[w->nr++] = seconds > 0 ? seconds : 0;
}

static int compare_waits(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t stats_percentile(struct wait_list *w, unsigned pct)
{
	size_t rank;

	if (!w->nr)
		return 0;
	qsort(w->v, w->nr, sizeof(*w->v), compare_waits);
	rank = (w->nr * pct + 99) / 100;   /* nearest rank: ceil(pct/100 * n), at least 1 */
	return w->v[rank ? rank - 1 : 0];
}

double stats_per_day(const struct stats *s, size_t decisions)
{
	int64_t from = s->since ? s->since : s->first_decision;
	double days = from && s->now > from ? (double)(s->now - from) / 86400.0 : 1.0;

	return (double)decisions / (days < 1.0 ? 1.0 : days);
}

double stats_senior_hours(const struct stats *s)
{
	return (double)s->levels[LEVEL_SENIOR].lines / STATS_LINES_PER_HOUR;
}

static struct reviewer_stats *reviewer(struct stats *s, const char *name, enum level level)
{
	struct reviewer_stats *r;

	for (size_t i = 0; i < s->reviewers_nr; i++)
		if (!strcmp(s->reviewers[i].name, name)) {
			if (level > s->reviewers[i].level)
				s->reviewers[i].level = level;
			return &s->reviewers[i];
		}
	if (s->reviewers_nr == s->reviewers_alloc) {
		s->reviewers_alloc = s->reviewers_alloc ? 2 * s->reviewers_alloc : 8;
		s->reviewers = xrealloc(s->reviewers, s->reviewers_alloc * sizeof(*s->reviewers));
	}
	r = &s->reviewers[s->reviewers_nr++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->level = level;
	return r;
}

/* The index of team name in s->teams, added with nothing open when new. */
static size_t team_index(struct stats *s, const char *name)
{
	for (size_t i = 0; i < s->teams_nr; i++)
		if (!strcmp(s->teams[i].name, name))
			return i;
	if (s->teams_nr == s->teams_alloc) {
		s->teams_alloc = s->teams_alloc ? 2 * s->teams_alloc : 4;
		s->teams = xrealloc(s->teams, s->teams_alloc * sizeof(*s->teams));
	}
	s->teams[s->teams_nr].name = xstrdup(name);
	s->teams[s->teams_nr].open = 0;
	return s->teams_nr++;
}

/* The teams req needs, as bits of s->teams (each team once, however many needs name it). */
static uint64_t teams_needed(struct stats *s, const struct requirement *req)
{
	uint64_t bits = 0;

	for (size_t i = 0; i < req->needs_nr; i++) {
		size_t k;

		if (req->needs[i].team && (k = team_index(s, req->needs[i].team)) < 64)
			bits |= (uint64_t)1 << k;
	}
	return bits;
}

/* The highest level any need of req asks for; junior at least. */
static enum level level_needed(const struct requirement *req)
{
	enum level level = req->level > LEVEL_JUNIOR ? req->level : LEVEL_JUNIOR;

	for (size_t i = 0; i < req->needs_nr; i++)
		if (req->needs[i].level > level)
			level = req->needs[i].level;
	return level;
}

/* A decision made by its reviewer as far as the gate can tell: signed by them, on this very commit. */
static int trusted(const struct judged_record *jr, const struct item *it)
{
	return !jr->carried && git_oid_equal(&jr->record.commit, &it->id) &&
	       (jr->problem == PROBLEM_NONE || jr->problem == PROBLEM_SUPERSEDED || jr->problem == PROBLEM_LEVEL);
}

/* The decisions on one commit, and its wait when it is decided. */
static void add_decisions(struct stats *s, const struct review *r, const struct item *it,
			  const struct evaluation *ev)
{
	enum level needed = level_needed(&ev->requirement);

	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];
		const char *name = jr->person >= 0 && (size_t)jr->person < r->policy.persons_nr
			? r->policy.persons[jr->person].name : jr->record.reviewer_email;
		struct reviewer_stats *who;

		if (!trusted(jr, it) || (s->since && jr->record.time < s->since))
			continue;
		who = reviewer(s, name, jr->level);
		if (jr->record.verdict == VERDICT_APPROVE)
			who->approvals++;
		else
			who->rejections++;
		wait_add(&who->waits, jr->record.time - it->commit_time);
		if (needed == LEVEL_SENIOR) {
			who->senior_work++;
			s->senior_decisions++;
		}
		if (!s->first_decision || jr->record.time < s->first_decision)
			s->first_decision = jr->record.time;
	}
	if ((ev->status == ITEM_APPROVED || ev->status == ITEM_REJECTED) && ev->decided_at &&
	    (!s->since || ev->decided_at >= s->since)) {
		s->levels[needed].decided++;
		wait_add(&s->levels[needed].waits, ev->decided_at - it->commit_time);
	}
}

/* Where an open item of the queue waits. */
static void add_open(struct stats *s, struct review *r, const struct item *it, const struct evaluation *ev)
{
	enum level open;

	if (ev->status == ITEM_APPROVED) {
		s->approved++;
		return;
	}
	if (ev->status == ITEM_REJECTED) {
		s->rejected++;
		return;
	}
	s->open++;
	s->levels[level_needed(&ev->requirement)].open++;
	open = review_open_level(r, ev);
	s->levels[open].waiting++;
	s->levels[open].lines += (unsigned long)it->added + it->deleted;
	for (size_t i = 0; i < ev->requirement.needs_nr; i++) {
		const struct requirement_need *need = &ev->requirement.needs[i];
		size_t k;

		if (!need->team)
			continue;
		for (k = 0; k < i && !(ev->requirement.needs[k].team &&
				       !strcmp(ev->requirement.needs[k].team, need->team)); k++)
			;
		if (k == i)   /* each team once per item */
			s->teams[team_index(s, need->team)].open++;
	}
}

/* The item's time in the queue: from its commit to the decision that closed it, if any. */
static void add_span(struct stats *s, const struct item *it, const struct evaluation *ev)
{
	struct stats_span *span;
	int closed = ev->status == ITEM_APPROVED || ev->status == ITEM_REJECTED;

	if (s->spans_nr == s->spans_alloc) {
		s->spans_alloc = s->spans_alloc ? 2 * s->spans_alloc : 16;
		s->spans = xrealloc(s->spans, s->spans_alloc * sizeof(*s->spans));
	}
	span = &s->spans[s->spans_nr++];
	span->from = it->commit_time;
	span->until = closed ? (ev->decided_at ? ev->decided_at : it->commit_time) : 0;
	span->level = level_needed(&ev->requirement);
	span->teams = teams_needed(s, &ev->requirement);
}

int64_t stats_history_time(const struct stats *s, size_t k)
{
	int64_t from = s->since, step;
	size_t steps = STATS_HISTORY_POINTS - 1;

	for (size_t i = 0; !s->since && i < s->spans_nr; i++)
		if (!from || s->spans[i].from < from)
			from = s->spans[i].from;
	/* whole days, at least one, so that the moments read as dates */
	step = from && s->now > from ? (s->now - from + (int64_t)steps * 86400 - 1) / ((int64_t)steps * 86400) : 1;
	if (step < 1)
		step = 1;
	return s->now - (int64_t)(steps - (k < steps ? k : steps)) * step * 86400;
}

size_t stats_open_at(const struct stats *s, int64_t at, enum level level, int team)
{
	size_t n = 0;

	for (size_t i = 0; i < s->spans_nr; i++) {
		const struct stats_span *span = &s->spans[i];

		n += span->from <= at && (!span->until || span->until > at) &&
		     (level == LEVEL_NONE || span->level == level) &&
		     (team < 0 || (team < 64 && (span->teams >> team & 1)));
	}
	return n;
}

/* The noted commits outside the queue (merged already): their decisions count too. */
static int collect_noted(struct stats *s, struct review *r, const struct queue *q)
{
	struct oidmap queued = OIDMAP_INIT;
	size_t where;
	int rc = 0;

	for (size_t i = 0; i < q->nr; i++)
		oidmap_put(&queued, &q->items[i]->id, i);
	for (size_t i = 0; i < r->notes->nr && !rc; i++) {
		const git_oid *id = &r->notes->entries[i].object;
		struct evaluation ev;
		struct item *it;

		if (oidmap_get(&queued, id, &where) || queue_load_item(&it, r->session, id))
			continue;   /* queued, or a note on something that is no commit here (any more) */
		if (!(rc = review_evaluate(&ev, r, it))) {
			add_decisions(s, r, it, &ev);
			if (ev.status == ITEM_APPROVED || ev.status == ITEM_REJECTED)
				add_span(s, it, &ev);   /* merged and decided: it was in the queue once */
			evaluation_release(&ev);
		}
		item_free(it);
	}
	oidmap_clear(&queued);
	return rc;
}

int stats_collect(struct stats *s, struct review *r, struct queue *q)
{
	int rc = 0;

	review_know(r, q->items, q->nr);
	for (size_t i = 0; i < q->nr && !rc; i++) {
		struct evaluation ev;

		if ((rc = review_evaluate(&ev, r, q->items[i])))
			break;
		review_set_state(q->items[i], &ev);
		add_decisions(s, r, q->items[i], &ev);
		add_open(s, r, q->items[i], &ev);
		add_span(s, q->items[i], &ev);
		evaluation_release(&ev);
	}
	review_forget(r);
	if (!rc)
		rc = review_load_notes(r);
	if (!rc)
		rc = collect_noted(s, r, q);
	return rc;
}

void stats_release(struct stats *s)
{
	for (size_t i = 0; i < s->reviewers_nr; i++) {
		free(s->reviewers[i].name);
		free(s->reviewers[i].waits.v);
	}
	free(s->reviewers);
	for (size_t i = 0; i < s->teams_nr; i++)
		free(s->teams[i].name);
	free(s->teams);
	free(s->spans);
	for (int l = 0; l <= LEVEL_SENIOR; l++)
		free(s->levels[l].waits.v);
	memset(s, 0, sizeof(*s));
}
