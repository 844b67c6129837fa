/*
 * view_queue.c: the review queue: column headings, one row per item in
 * priority order (its top risk reason in the space the subject leaves),
 * a filter, and the decision keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "show/fit.h"
#include "show/format.h"
#include "tui.h"

struct queue_view {
	size_t *shown;             /* owned: indices into the queue, filtered */
	size_t shown_nr;           /* the view's cursor is an index into shown */
	char *filter;              /* owned, or NULL */
	const struct queue *built_for;
	unsigned routed;           /* the tui's routed when shown was built */
};

/* Does the filter match the item at index: its subject, author, paths, id or repository? */
static int matches(const struct tui *t, size_t index, const char *filter)
{
	const struct item *it = t->queue->items[index];
	const char *label = tui_repo_label(t, (long)index);
	char hex[GIT_OID_HEXSZ + 1];

	if (!filter || !*filter)
		return 1;
	git_oid_tostr(hex, sizeof(hex), &it->id);
	if (strcasestr(it->subject, filter) || strcasestr(it->author_name, filter) ||
	    strcasestr(it->author_email, filter) || strcasestr(hex, filter) || (label && strcasestr(label, filter)))
		return 1;
	for (size_t i = 0; i < it->paths.nr; i++)
		if (strcasestr(it->paths.v[i], filter))
			return 1;
	return 0;
}

/* In series mode, a series shows as the row of its lead; its other items are in it. */
static const struct unit *series_row(const struct tui *t, size_t index)
{
	return t->unit_mode == UNIT_SERIES ? units_led_by(&t->units, index) : NULL;
}

/*
 * Is the row of item index shown (the view: mine or all)?  In series mode
 * a series has one row, its lead's, shown when any of its items is.
 */
static int row_shown(const struct tui *t, size_t index)
{
	const struct unit *u = t->unit_mode == UNIT_SERIES ? units_of(&t->units, index) : NULL;

	if (!u)
		return tui_view_shows(t, index);
	if (u->lead != index)
		return 0;
	for (size_t m = 0; m < u->members_nr; m++)
		if (tui_view_shows(t, u->members[m]))
			return 1;
	return 0;
}

static void refilter(struct view *v)
{
	struct queue_view *qv = v->data;
	const struct queue *q = v->tui->queue;
	size_t keep = qv->shown_nr ? qv->shown[v->cursor] : 0;

	qv->shown = xrealloc(qv->shown, (q->nr ? q->nr : 1) * sizeof(*qv->shown));
	qv->shown_nr = 0;
	for (size_t i = 0; i < q->nr; i++)
		if (row_shown(v->tui, i) && matches(v->tui, i, qv->filter))
			qv->shown[qv->shown_nr++] = i;
	v->lines = qv->shown_nr;
	v->cursor = 0;
	for (size_t i = 0; i < qv->shown_nr; i++)
		if (qv->shown[i] >= keep) {
			v->cursor = i;
			break;
		}
	qv->built_for = q;
	qv->routed = v->tui->routed;
}

static void sync_with_queue(struct view *v)
{
	struct queue_view *qv = v->data;

	if (qv->built_for != v->tui->queue || qv->routed != v->tui->routed) {
		qv->shown_nr = 0;
		refilter(v);
	}
}

/* ---- drawing ---- */

struct columns {
	int id, author, bar, stat;
};

static struct columns columns_for(int width)
{
	struct columns c = { 7, 10, 0, 0 };

	if (width >= 100) {
		c.id = SHORT_ID_LEN;
		c.author = 16;
		c.bar = 5;
	}
	if (width >= 90)
		c.stat = 1;
	return c;
}

static attr_t risk_attr(const struct tui *t, int risk)
{
	switch (format_risk_band(risk)) {
	case RISK_BAND_HIGH: return draw_attr(t, PAIR_HIGH, A_BOLD);
	case RISK_BAND_MEDIUM: return draw_attr(t, PAIR_MEDIUM, A_NORMAL);
	default: return A_NORMAL;
	}
}

static void status_text(char *buf, size_t size, const struct item *it)
{
	if (it->status == ITEM_NEEDS_MORE)
		snprintf(buf, size, "needs %u/%u", it->approvals, it->approvals_needed);
	else
		snprintf(buf, size, "%s", item_status_name(it->status));
}

/* The labels before an item's subject: its repository, its series, a new version. */
static void subject_labels(struct strbuf *out, const struct item *it, const char *repo, const struct unit *series)
{
	if (repo)
		strbuf_addf(out, "[%s] ", repo);   /* several repositories: a directory's name, escaped when drawn */
	if (series)
		strbuf_addf(out, "[series %s: %zu commits] ", series->ref, series->commits);
	if (it->has_earlier)
		strbuf_addstr(out, "[new version] ");
}

/*
 * The subject (after its labels, bold) and, in the space it leaves, the
 * top risk reason, in room columns shared by fit_subject_reason(): the
 * reason keeps its share however long the subject, and each cut shows '>'.
 */
static void draw_subject_reason(struct tui *t, int y, int x, int room, const struct item *it, const char *repo,
				const struct unit *series, attr_t base)
{
	struct strbuf labels = STRBUF_INIT;
	const char *reason = it->reasons.nr ? it->reasons.v[0] : "";
	size_t subject_len = strlen(it->subject), labels_width, subject_width;
	struct fit_split split;

	if (room <= 0)
		return;
	subject_labels(&labels, it, repo, series);
	labels_width = escape_width(labels.buf, labels.len, t->escape_flags);
	subject_width = labels_width + escape_width(it->subject, subject_len, t->escape_flags);
	fit_subject_reason(&split, (size_t)room, subject_width, labels_width + FIT_SUBJECT_MIN,
			   escape_width(reason, strlen(reason), t->escape_flags));
	if (labels_width >= split.subject) {
		/* The labels fill the subject's share: laid out with the subject after them, the cut shows. */
		strbuf_addstr(&labels, it->subject);
		draw_text_marked(t, y, x, labels.buf, labels.len, split.subject, base | A_BOLD);
	} else {
		draw_text(t, y, x, labels.buf, labels.len, labels_width, base | A_BOLD);
		draw_text_marked(t, y, x + (int)labels_width, it->subject, subject_len, split.subject - labels_width,
				 base);
	}
	if (split.reason)
		draw_text_marked(t, y, x + (int)(split.subject + split.gap), reason, strlen(reason), split.reason,
				 base | A_DIM);
	strbuf_release(&labels);
}

/* Paints the row of the item at index, or with index -1 the column headings above them. */
static void draw_row(struct view *v, int y, long index, int selected, const struct columns *c,
		     const struct unit *series)
{
	struct tui *t = v->tui;
	const struct item *it = index >= 0 ? t->queue->items[index] : NULL;
	const char *repo = index >= 0 ? tui_repo_label(t, index) : NULL;
	attr_t base = !it ? A_BOLD | A_UNDERLINE : selected ? A_REVERSE : A_NORMAL;
	int risk_value = it ? it->risk : 0;
	attr_t risk;
	char buf[64], status[32], id[16], age[16];
	int x = 0, right = COLS;

	if (it)
		status_text(status, sizeof(status), it);
	if (series)
		unit_summary(t->queue, series, &risk_value, status, sizeof(status));
	risk = it ? risk_attr(t, risk_value) : 0;

	draw_fill(y, 0, COLS, base);
	if (it)
		snprintf(buf, sizeof(buf), "%4d ", it->priority);
	else
		snprintf(buf, sizeof(buf), "prio ");
	x += draw_plain(y, x, buf, COLS - x, base);
	snprintf(buf, sizeof(buf), "%3d", risk_value);
	x += draw_plain(y, x, it ? buf : "rsk", COLS - x, base | risk);
	if (c->bar) {
		char bar[8];
		int filled = it ? (risk_value + 19) / 20 : 0;

		for (int i = 0; i < c->bar; i++)
			bar[i] = !it ? ' ' : i < filled ? '#' : '.';
		bar[c->bar] = '\0';
		x += draw_plain(y, x, " ", 1, base);
		x += draw_plain(y, x, bar, COLS - x, base | risk);
	}
	snprintf(buf, sizeof(buf), "%-9s", it ? status : "status");
	x += draw_plain(y, x, " ", 1, base);
	x += draw_plain(y, x, buf, 9, base | (it && it->status == ITEM_REJECTED ? A_BOLD : 0) |
			(it && it->status == ITEM_APPROVED ? A_DIM : 0));
	if (it)
		oid_short_id(id, sizeof(id), &it->id, (size_t)c->id);
	else
		snprintf(id, sizeof(id), "%-*s", c->id, "id");
	x += draw_plain(y, x, " ", 1, base);
	x += draw_plain(y, x, id, COLS - x, base);
	x += draw_plain(y, x, " ", 1, base);
	if (it)
		draw_text_marked(t, y, x, it->author_name, strlen(it->author_name), (size_t)c->author, base);
	else
		draw_plain(y, x, "author", c->author, base);
	x += c->author;
	if (it)
		format_age(age, sizeof(age), t->queue->now - it->commit_time);
	snprintf(buf, sizeof(buf), " %4s  ", it ? age : "wait");
	x += draw_plain(y, x, buf, COLS - x, base);
	if (c->stat) {
		if (it)
			snprintf(buf, sizeof(buf), " +%u -%u", it->added, it->deleted);
		else
			snprintf(buf, sizeof(buf), " +/-");
		right = COLS - (int)strlen(buf);
		draw_plain(y, right, buf, (int)strlen(buf), base);
	}
	if (right <= x)
		return;
	if (!it) {
		draw_plain(y, x, t->repos->nr > 1 ? "[repository] subject  (top risk reason)"
			   : "subject  (top risk reason)", right - x - 1, base);
		return;
	}
	draw_subject_reason(t, y, x, right - x - 1, it, repo, series, base);
}

/*
 * The author column is as wide as the longest name on screen, up to a
 * cap, taken from the subject: names are not cut when a few columns do.
 */
static void fit_authors(struct view *v, struct columns *c, int rows)
{
	struct queue_view *qv = v->data;
	const struct queue *q = v->tui->queue;
	size_t widest = strlen("author"), cap = COLS >= 100 ? 24 : 20;

	for (int r = 0; r < rows && v->top + (size_t)r < qv->shown_nr; r++) {
		const char *name = q->items[qv->shown[v->top + (size_t)r]]->author_name;
		size_t w = escape_width(name, strlen(name), v->tui->escape_flags);

		if (w > widest)
			widest = w;
	}
	c->author = (int)(widest < cap ? widest : cap);
}

/* Why no row is shown, and the key that shows more. */
static void draw_empty(struct view *v)
{
	struct queue_view *qv = v->data;
	struct tui *t = v->tui;
	struct strbuf text = STRBUF_INIT, key = STRBUF_INIT;

	if (!t->queue->nr) {
		strbuf_addstr(&text, "Nothing to review: no pending AI-assisted commits.");
	} else if (qv->filter && *qv->filter) {
		strbuf_addstr(&text, "No item matches the filter; / to change it.");
	} else {
		keymap_describe_in(&key, &t->keymap, IN_QUEUE, ACTION_TOGGLE_VIEW);
		strbuf_addf(&text, "Nothing needs you now; %s shows the whole queue (%zu item%s).",
			    key.len ? key.buf : "toggle-mine", t->queue->nr, t->queue->nr == 1 ? "" : "s");
	}
	draw_plain(2, 2, text.buf, COLS - 2, A_BOLD);
	strbuf_release(&text);
	strbuf_release(&key);
}

static void queue_draw(struct view *v)
{
	struct queue_view *qv = v->data;
	int rows = tui_body_rows();
	struct columns c;

	sync_with_queue(v);
	view_clamp(v);
	if (!qv->shown_nr) {
		draw_empty(v);
		return;
	}
	rows -= (int)v->fixed;
	c = columns_for(COLS);
	fit_authors(v, &c, rows);
	draw_row(v, 1, -1, 0, &c, NULL);   /* the column headings */
	for (int r = 0; r < rows && v->top + (size_t)r < qv->shown_nr; r++) {
		size_t i = v->top + (size_t)r;

		draw_row(v, 1 + (int)v->fixed + r, (long)qv->shown[i], i == v->cursor, &c,
			 series_row(v->tui, qv->shown[i]));
	}
}

static void queue_title(struct view *v, struct strbuf *out)
{
	struct queue_view *qv = v->data;
	const struct queue *q = v->tui->queue;
	time_t now = (time_t)q->now;
	struct tm tm;
	int64_t midnight, oldest = -1;
	size_t todo = 0, approved = 0, rejected = 0;
	struct need_counts counts;
	char age[16];

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	midnight = (int64_t)mktime(&tm);
	for (size_t i = 0; i < q->nr; i++) {
		const struct item *it = q->items[i];

		if (it->status == ITEM_APPROVED || it->status == ITEM_REJECTED) {
			approved += it->status == ITEM_APPROVED && it->decided_at >= midnight;
			rejected += it->status == ITEM_REJECTED && it->decided_at >= midnight;
			continue;
		}
		todo++;
		if (q->now - it->commit_time > oldest)
			oldest = q->now - it->commit_time;
	}
	format_age(age, sizeof(age), oldest > 0 ? oldest : 0);
	/* The view and the filter first, so that 80 columns show them. */
	if (v->tui->need) {
		need_counts_of(&counts, v->tui->need, q->nr);
		need_view_describe(out, v->tui->view, &counts);
		strbuf_addstr(out, " | ");
	}
	if (qv->filter && *qv->filter)
		strbuf_addf(out, "filter: %s | ", qv->filter);
	strbuf_addf(out, "%zu to review | approved today %zu | rejected today %zu | oldest wait %s",
		    todo, approved, rejected, oldest >= 0 ? age : "-");
	if (v->tui->need) {
		strbuf_addstr(out, " | ");
		need_counts_describe_rest(out, &counts);
	}
}

static void queue_position(struct view *v, struct strbuf *out)
{
	struct queue_view *qv = v->data;

	strbuf_addf(out, " %zu/%zu", qv->shown_nr ? v->cursor + 1 : 0, qv->shown_nr);
}

/* ---- actions ---- */

static void on_filter_change(struct tui *t, const char *text, void *data)
{
	struct view *v = data;
	struct queue_view *qv = v->data;

	(void)t;
	free(qv->filter);
	qv->filter = xstrdup(text);
	refilter(v);
	view_clamp(v);
}

static void ask_filter(struct view *v)
{
	struct queue_view *qv = v->data;
	char *old = qv->filter ? xstrdup(qv->filter) : NULL;
	char *text = tui_prompt(v->tui, "Filter (subject, author, path, id, repository): ", on_filter_change, v);

	free(qv->filter);
	qv->filter = text ? text : old;   /* Esc brings the old filter back */
	if (text)
		free(old);
	refilter(v);
}

static void decide(struct view *v, enum verdict verdict, int ask_comment)
{
	struct queue_view *qv = v->data;
	struct tui *t = v->tui;
	long next;

	if (!qv->shown_nr)
		return;
	if (series_row(t, qv->shown[v->cursor])) {
		tui_decide_series(t, series_row(t, qv->shown[v->cursor]), verdict, 0);
		return;
	}
	if (tui_decide_with(t, (long)qv->shown[v->cursor], verdict, ask_comment, NULL))
		return;
	/* On to the next item that still needs a decision, in the filtered order, wrapping. */
	next = tui_next_undecided(t, (long)qv->shown[v->cursor]);
	if (next >= 0)
		view_queue_select(v, (size_t)next);
}

static int queue_handle(struct view *v, enum action a)
{
	struct queue_view *qv = v->data;

	sync_with_queue(v);
	if (view_move(v, a))
		return 1;
	switch (a) {
	case ACTION_OPEN:
		if (qv->shown_nr && series_row(v->tui, qv->shown[v->cursor])) {
			const struct unit *u = series_row(v->tui, qv->shown[v->cursor]);

			tui_push(v->tui, view_item_new_series(v->tui, (size_t)(u - v->tui->units.v)));
		} else if (qv->shown_nr) {
			tui_mark_opened(v->tui, (long)qv->shown[v->cursor]);
			tui_push(v->tui, view_item_new(v->tui, (long)qv->shown[v->cursor]));
		}
		break;
	case ACTION_FILTER: ask_filter(v); break;
	case ACTION_TOGGLE_UNIT:
		v->tui->unit_mode = v->tui->unit_mode == UNIT_SERIES ? UNIT_COMMIT : UNIT_SERIES;
		refilter(v);
		tui_message(v->tui, 0, "%s", v->tui->unit_mode == UNIT_SERIES
			    ? "a branch of several pending commits is one series (s: each commit alone)"
			    : "each commit alone (s: a branch as one series)");
		break;
	case ACTION_TOGGLE_VIEW: tui_toggle_view(v->tui); refilter(v); break;
	case ACTION_STATS: {
		struct view *stats = view_stats_new(v->tui);

		if (stats)
			tui_push(v->tui, stats);
		break;
	}
	case ACTION_APPROVE: decide(v, VERDICT_APPROVE, 0); break;
	case ACTION_APPROVE_COMMENT: decide(v, VERDICT_APPROVE, 1); break;
	case ACTION_REJECT: decide(v, VERDICT_REJECT, 0); break;
	default: return 0;
	}
	view_clamp(v);
	return 1;
}

static void queue_release(struct view *v)
{
	struct queue_view *qv = v->data;

	free(qv->shown);
	free(qv->filter);
}

static const enum action queue_footer[] = {
	ACTION_OPEN, ACTION_APPROVE, ACTION_REJECT, ACTION_TOGGLE_VIEW, ACTION_FILTER, ACTION_HELP, ACTION_BACK,
	ACTION_NONE,
};

static const struct view_ops queue_ops = {
	"queue", sizeof(struct queue_view), VIEW_SELECT, queue_draw, queue_handle, queue_title,
	queue_position, queue_release, IN_QUEUE, queue_footer, NULL,
};

size_t view_queue_shown(struct view *v, const size_t **shown)
{
	struct queue_view *qv = v->data;

	sync_with_queue(v);
	*shown = qv->shown;
	return qv->shown_nr;
}

void view_queue_select(struct view *v, size_t index)
{
	struct queue_view *qv = v->data;

	sync_with_queue(v);
	for (size_t i = 0; i < qv->shown_nr; i++)
		if (qv->shown[i] == index)
			v->cursor = i;
	view_clamp(v);
}

struct view *view_queue_new(struct tui *t)
{
	struct view *v = view_new(t, &queue_ops);

	v->fixed = 1;   /* the column headings */
	refilter(v);
	return v;
}
