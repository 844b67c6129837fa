/*
 * tui.c: the console's main loop: the view stack, the title and status
 * lines, key dispatch, SIGWINCH redraws, the one-line prompt, and the
 * decision keys (which call the same decision_write() as `revq approve`).
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "decide/decision.h"
#include "base/error.h"
#include "base/progress.h"
#include "show/fit.h"
#include "show/format.h"
#include "base/utf8.h"
#include "show/lineedit.h"
#include "decide/comments.h"
#include "decide/versions.h"
#include "tui.h"

#define MESSAGE_MS 5000


static int64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tui_body_rows(void)
{
	return LINES > 2 ? LINES - 2 : 1;
}

void tui_push(struct tui *t, struct view *v)
{
	if (t->depth == (int)(sizeof(t->stack) / sizeof(t->stack[0]))) {
		view_free(v);
		return;
	}
	t->stack[t->depth++] = v;
}

void tui_pop(struct tui *t)
{
	struct view *v;

	if (!t->depth)
		return;
	v = t->stack[--t->depth];
	view_free(v);
	if (!t->depth)
		t->quit = 1;
}

void tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&t->message);
	va_start(ap, fmt);
	strbuf_vaddf(&t->message, fmt, ap);
	va_end(ap);
	t->message_error = error;
	t->message_until = clock_ms() + MESSAGE_MS;
	strvec_push(&t->log, t->message.buf);   /* the log keeps the full text (L) */
}

static void on_warning(const char *message, void *data)
{
	tui_message(data, 0, "%s", message);
}

size_t tui_repo_of(const struct tui *t, long index)
{
	return index >= 0 && (size_t)index < t->repos->rows_nr ? t->repos->rows[index].repo : 0;
}

struct session *tui_session_of(const struct tui *t, long index)
{
	return t->repos->repos[tui_repo_of(t, index)].session;
}

struct review *tui_review_of(const struct tui *t, long index)
{
	return t->reviews[tui_repo_of(t, index)];
}

const char *tui_repo_label(const struct tui *t, long index)
{
	return t->repos->nr > 1 ? t->repos->repos[tui_repo_of(t, index)].label : NULL;
}

/* The repositories' rows as one queue (repos.h): the items stay their queues'. */
static struct queue *merged_queue(const struct repo_set *set)
{
	struct queue *q = xcalloc(1, sizeof(*q));

	q->items = xcalloc(set->rows_nr + 1, sizeof(*q->items));
	for (size_t i = 0; i < set->rows_nr; i++)
		q->items[i] = set->rows[i].item;
	q->nr = set->rows_nr;
	q->now = set->now;
	return q;
}

static void merged_queue_free(struct queue *q)
{
	if (q)
		free(q->items);
	free(q);
}

/* Judges repository i's decisions into its items and, with an identity, need (per item of its queue). */
static int judge_repo(struct tui *t, size_t i, enum need_of *need)
{
	const struct repo_entry *e = &t->repos->repos[i];
	struct review *r;
	int rc;

	review_free(t->reviews[i]);
	t->reviews[i] = NULL;
	if ((rc = review_open(&r, e->session, t->opts.queue.target, t->opts.notes_ref)))
		return rc;
	t->reviews[i] = r;
	for (size_t k = 0; k < e->queue->nr; k++)
		item_reset_review(e->queue->items[k]);
	rc = review_apply_for(r, e->queue, t->email, need);
	if (!rc && versions_mark(r, e->queue->items, e->queue->nr, t->email, need))
		tui_message(t, 1, "new versions are not marked: %s", error_last());
	/* What the console judges later (an item opened, a series) is the queue's, as the list was. */
	review_know(r, e->queue->items, e->queue->nr);
	return rc;
}

void tui_refresh_decisions(struct tui *t)
{
	enum need_of **need = xcalloc(t->repos->nr + 1, sizeof(*need));
	int failed = 0;

	free(t->need);
	t->need = NULL;   /* until judged, every view shows everything */
	t->routed++;
	for (size_t i = 0; i < t->repos->nr; i++) {
		const struct repo_entry *e = &t->repos->repos[i];

		need[i] = t->email ? xcalloc(e->queue->nr + 1, sizeof(**need)) : NULL;
		if (judge_repo(t, i, need[i])) {
			/* Nothing can be judged: every status is unknown (never approved), and why. */
			char *why = xstrdup(error_last());

			review_mark_unknown(e->queue->items, e->queue->nr, why);
			tui_message(t, 1, "%s%severy status is unknown: %s", t->repos->nr > 1 ? e->label : "",
				    t->repos->nr > 1 ? ": " : "", why);
			free(why);
			failed = 1;
		}
	}
	if (t->email && !failed) {
		t->need = xcalloc(t->queue->nr + 1, sizeof(*t->need));
		for (size_t k = 0; k < t->repos->rows_nr; k++)
			t->need[k] = need[t->repos->rows[k].repo][t->repos->rows[k].index];
	}
	for (size_t i = 0; i < t->repos->nr; i++)
		free(need[i]);
	free(need);
}

int tui_view_shows(const struct tui *t, size_t index)
{
	return !t->need || index >= t->queue->nr || need_view_shows(t->view, t->need[index]);
}

void tui_toggle_view(struct tui *t)
{
	if (!t->email) {
		tui_message(t, 1, "no \"needs me\" view without an identity (git config user.email)");
		return;
	}
	t->view = t->view == NEED_VIEW_MINE ? NEED_VIEW_ALL : NEED_VIEW_MINE;
	t->routed++;
	tui_message(t, 0, "showing %s", t->view == NEED_VIEW_MINE ? "what needs you" : "the whole queue");
}

/* revq.consoleView and the reviewer's identity: no identity, no "needs me". */
static void read_queue_view(struct tui *t, const struct settings *settings, struct strvec *warnings)
{
	char *value = settings_get_string(settings, "revq.consoleview");
	char *name = NULL;

	t->view = NEED_VIEW_MINE;
	if (value && need_view_parse(&t->view, value))
		strvec_pushf(warnings, "revq.consoleView: '%s' is not mine or all", value);
	if (settings_identity(&name, &t->email, settings)) {
		t->email = NULL;
		t->view = NEED_VIEW_ALL;
		strvec_pushf(warnings, "showing the whole queue: %s", error_last());
	}
	free(name);
	free(value);
}

/*
 * Builds the queues as a cold start and R do: the progress screen (items
 * analysed of total; q stops it) while the core works.  On failure every
 * repository keeps the queue it had (repo_set_build()).
 */
static int build_queue(struct tui *t)
{
	int rc;

	tui_show_loading(t, "Finding pending commits...");
	t->progress_held = 0;   /* REVQ_PROGRESS_HOLD: once per build */
	progress_set_handler(tui_progress, t);
	rc = repo_set_build(t->repos, &t->opts.queue);
	progress_set_handler(NULL, NULL);
	if (!rc)
		tui_show_loading(t, "Checking decisions...");
	return rc;
}

/* The series of the queue's branches, each built in its repository (a branch is one repository's). */
static void build_units(struct tui *t)
{
	const struct repo_set *set = t->repos;

	units_release(&t->units);
	t->units.of = xcalloc(t->queue->nr + 1, sizeof(*t->units.of));
	t->units.of_nr = t->queue->nr;
	for (size_t i = 0; i < set->nr; i++) {
		size_t *position = xcalloc(set->repos[i].queue->nr + 1, sizeof(*position));
		struct units part;

		for (size_t k = 0; k < set->rows_nr; k++)
			if (set->rows[k].repo == i)
				position[set->rows[k].index] = k;
		units_build(&part, set->repos[i].session->repo->git, set->repos[i].queue);
		units_merge(&t->units, &part, position);
		free(position);
	}
}

int tui_reload(struct tui *t)
{
	int rc;

	rc = build_queue(t);
	clearok(curscr, TRUE);   /* the progress screen is gone at the next draw */
	if (rc)
		return rc;
	merged_queue_free(t->queue);
	t->queue = merged_queue(t->repos);
	build_units(t);
	/* Indices mean other items now: what was opened is forgotten (asking again is safe). */
	free(t->opened);
	t->opened = NULL;
	t->opened_nr = 0;
	tui_refresh_decisions(t);
	return 0;
}

static int undecided(const struct item *it)
{
	return it->status != ITEM_APPROVED && it->status != ITEM_REJECTED;
}

/* The queue view's order (filtered), or the whole queue when there is none. */
static size_t order(struct tui *t, const size_t **shown)
{
	if (t->depth && t->stack[0]->ops->in == IN_QUEUE)
		return view_queue_shown(t->stack[0], shown);
	*shown = NULL;
	return t->queue->nr;
}

/* The place of index in the order, or nr when it is not in it. */
static size_t place_of(const size_t *shown, size_t nr, long index)
{
	for (size_t i = 0; i < nr; i++)
		if ((shown ? (long)shown[i] : (long)i) == index)
			return i;
	return nr;
}

/*
 * The first place in the order after index's queue position: where index
 * would be, once it left the view ("needs me" drops what I decided); nr
 * when none comes after it.
 */
static size_t place_after(const size_t *shown, size_t nr, long index)
{
	for (size_t i = 0; i < nr; i++)
		if ((shown ? (long)shown[i] : (long)i) > index)
			return i;
	return nr;
}

long tui_next_undecided(struct tui *t, long from)
{
	const size_t *shown;
	size_t nr = order(t, &shown), at = place_of(shown, nr, from);
	size_t after = at == nr ? place_after(shown, nr, from) : at;

	for (size_t k = 1; k <= nr; k++) {
		size_t i = at == nr ? (after + k - 1) % nr : (at + k) % nr;
		long index = shown ? (long)shown[i] : (long)i;

		if (index != from && undecided(t->queue->items[index]))
			return index;
	}
	return -1;
}

long tui_step_item(struct tui *t, long index, int step)
{
	const size_t *shown;
	size_t nr = order(t, &shown), at = place_of(shown, nr, index);

	if (at == nr) {
		/* index left the view: its neighbours are the places around where it was */
		at = place_after(shown, nr, index);
		if (step > 0)
			return at < nr ? (shown ? (long)shown[at] : (long)at) : -1;
		return at ? (shown ? (long)shown[at - 1] : (long)at - 1) : -1;
	}
	if ((step < 0 && !at) || (step > 0 && at + 1 >= nr))
		return -1;
	at = step > 0 ? at + 1 : at - 1;
	return shown ? (long)shown[at] : (long)at;
}

void tui_follow(struct tui *t, long index)
{
	if (t->depth && t->stack[0]->ops->in == IN_QUEUE && index >= 0)
		view_queue_select(t->stack[0], (size_t)index);
}

void tui_mark_opened(struct tui *t, long index)
{
	if (index < 0 || (size_t)index >= t->queue->nr)
		return;
	if (t->opened_nr != t->queue->nr) {
		free(t->opened);
		t->opened = xcalloc(t->queue->nr ? t->queue->nr : 1, 1);
		t->opened_nr = t->queue->nr;
	}
	t->opened[index] = 1;
}

/* ---- the title and status lines ---- */

static void draw_title(struct tui *t)
{
	struct strbuf sb = STRBUF_INIT;
	struct view *v = t->stack[t->depth - 1];
	attr_t bar = draw_attr(t, PAIR_BAR, A_REVERSE);

	draw_fill(0, 0, COLS, bar);
	strbuf_addstr(&sb, " revq  ");
	v->ops->title(v, &sb);
	spans_layout(&t->spans, sb.buf, sb.len, NULL, 0, 0, (size_t)COLS, t->escape_flags);
	draw_spans(t, 0, 0, &t->spans, bar, 0);
	strbuf_release(&sb);
}

/*
 * The view's key hints that fit in width columns, whole ones only: its
 * footer lists them most important first, and the last go first (fit.h).
 */
static void footer_hints(struct tui *t, struct view *v, struct strbuf *out, size_t width)
{
	struct strvec hints = STRVEC_INIT;

	for (const enum action *a = v->ops->footer; a && *a != ACTION_NONE; a++) {
		struct strbuf keys = STRBUF_INIT;

		keymap_describe_in(&keys, &t->keymap, v->ops->in, *a);
		if (keys.len)
			strvec_pushf(&hints, "%s:%s", keys.buf, action_name(*a));
		strbuf_release(&keys);
	}
	fit_hints(out, &hints, "  ", width);
	strvec_clear(&hints);
}

static void draw_status(struct tui *t)
{
	struct strbuf pos = STRBUF_INIT, hint = STRBUF_INIT;
	struct view *v = t->stack[t->depth - 1];
	int y = LINES - 1, used;

	move(y, 0);
	clrtoeol();
	v->ops->position(v, &pos);
	if (t->message.len && clock_ms() < t->message_until) {
		attr_t a = t->message_error ? draw_attr(t, PAIR_ERROR, A_BOLD | A_REVERSE) : A_BOLD;
		size_t room = (size_t)(COLS > (int)pos.len + 1 ? COLS - (int)pos.len - 1 : COLS);
		static const char more[] = " [L: full text]";

		if (escape_width(t->message.buf, t->message.len, t->escape_flags) > room) {
			/* A message comes before the position, which is back once the message goes. */
			room = (size_t)COLS;
			strbuf_reset(&pos);
		}

		spans_layout(&t->spans, t->message.buf, t->message.len, NULL, 0, 0, room, t->escape_flags);
		if (t->spans.more_right && room > 2 * sizeof(more)) {
			/* Cut: say so, and where the rest is. */
			spans_layout(&t->spans, t->message.buf, t->message.len, NULL, 0, 0,
				     room - sizeof(more) + 1, t->escape_flags);
			draw_plain(y, (int)(room - sizeof(more) + 1), more, (int)sizeof(more) - 1, A_REVERSE | A_BOLD);
		}
		draw_spans(t, y, 0, &t->spans, a, 0);
	} else {
		footer_hints(t, v, &hint, COLS > (int)pos.len + 1 ? (size_t)(COLS - (int)pos.len - 1) : 0);
		draw_plain(y, 0, hint.buf, COLS - (int)pos.len - 1, A_NORMAL);
	}
	used = (int)pos.len;
	if (used < COLS)
		draw_plain(y, COLS - used, pos.buf, used, A_BOLD);
	strbuf_release(&pos);
	strbuf_release(&hint);
}

static void draw_all(struct tui *t)
{
	struct view *v = t->stack[t->depth - 1];

	erase();
	if (LINES < 3 || COLS < 20) {
		draw_plain(0, 0, "revq: terminal too small", COLS, A_BOLD);
		refresh();
		return;
	}
	draw_title(t);
	v->ops->draw(v);
	draw_status(t);
	refresh();
}

/*
 * The next key, like get_wch(): keys from $REVQ_KEYS ("Enter j j PgDn q")
 * come before the terminal's, as tig's test scripts do, for repeatable UI
 * tests and instruction counts.
 */
static int next_key(struct tui *t, wint_t *ch)
{
	while (t->script_next < t->script.nr) {
		int key = keymap_parse_key(t->script.v[t->script_next++]);

		if (key >= 0) {
			*ch = (wint_t)key;
			return key >= KEY_MIN ? KEY_CODE_YES : OK;
		}
	}
	return get_wch(ch);
}

/* ---- the prompt ---- */

int tui_edit_op(int kind, wint_t ch)
{
	if (kind == KEY_CODE_YES) {
		switch (ch) {
		case KEY_LEFT: return LINEEDIT_LEFT;
		case KEY_RIGHT: return LINEEDIT_RIGHT;
		case KEY_HOME: return LINEEDIT_HOME;
		case KEY_END: return LINEEDIT_END;
		case KEY_DC: return LINEEDIT_DELETE;
		case KEY_BACKSPACE: return LINEEDIT_BACKSPACE;
		default: return -1;
		}
	}
	switch (ch) {
	case KEY_CTRL('b'): return LINEEDIT_LEFT;
	case KEY_CTRL('f'): return LINEEDIT_RIGHT;
	case KEY_CTRL('a'): return LINEEDIT_HOME;
	case KEY_CTRL('e'): return LINEEDIT_END;
	case KEY_CTRL('d'): return LINEEDIT_DELETE;
	case 0x7f: case KEY_CTRL('h'): return LINEEDIT_BACKSPACE;
	case KEY_CTRL('w'): return LINEEDIT_WORD_ERASE;
	case KEY_CTRL('u'): return LINEEDIT_KILL;
	default: break;
	}
	if (ch >= 0x20 && (ch < 0x80 || ch > 0x9f) && ch <= 0x10ffff && !(ch >= 0xd800 && ch <= 0xdfff))
		return LINEEDIT_INSERT;
	return -1;
}

/* Paints the label and the text, scrolled so that the cursor is on screen. */
static void draw_prompt(struct tui *t, const char *label, const struct lineedit *le)
{
	int y = LINES - 1;
	size_t label_len = strlen(label), room = COLS > (int)label_len + 1 ? (size_t)COLS - label_len - 1 : 1;
	size_t at = spans_column(le->text.buf, le->text.len, le->cursor, 0, t->escape_flags);
	size_t scroll = at >= room ? at - room + 1 : 0;

	move(y, 0);
	clrtoeol();
	draw_plain(y, 0, label, COLS, A_BOLD);
	spans_layout(&t->spans, le->text.buf, le->text.len, NULL, 0, scroll, room, t->escape_flags);
	draw_spans(t, y, (int)label_len, &t->spans, A_NORMAL, 0);
	move(y, (int)(label_len + at - scroll));
	refresh();
}

static void draw_all(struct tui *t);

char *tui_prompt(struct tui *t, const char *label, void (*on_change)(struct tui *, const char *, void *),
		 void *data)
{
	struct lineedit le;
	int done = 0, cancelled = 0;

	lineedit_init(&le);
	curs_set(1);
	while (!done) {
		wint_t ch;
		int kind, op;

		draw_prompt(t, label, &le);
		timeout(-1);
		kind = next_key(t, &ch);
		if (kind == ERR)
			continue;
		if (kind == KEY_CODE_YES && ch == KEY_RESIZE) {
			draw_all(t);
			continue;
		}
		if ((kind == KEY_CODE_YES && ch == KEY_ENTER) || (kind == OK && (ch == '\n' || ch == '\r'))) {
			done = 1;
		} else if (kind == OK && (ch == 0x1b || ch == KEY_CTRL('c') || ch == KEY_CTRL('g'))) {
			done = cancelled = 1;
		} else if ((op = tui_edit_op(kind, ch)) >= 0 &&
			   lineedit_apply(&le, (enum lineedit_op)op, (int32_t)ch) && on_change) {
			on_change(t, le.text.buf, data);
			draw_all(t);   /* a live filter shows its effect at once */
		}
	}
	curs_set(0);
	if (cancelled) {
		lineedit_release(&le);
		return NULL;
	}
	return strbuf_detach(&le.text, NULL);
}

int tui_confirm(struct tui *t, const char *question)
{
	int y = LINES - 1, kind;
	wint_t ch;
	attr_t a = draw_attr(t, PAIR_ERROR, A_BOLD | A_REVERSE);

	do {
		move(y, 0);
		clrtoeol();
		draw_text(t, y, 0, question, strlen(question), (size_t)COLS, a);
		refresh();
		timeout(-1);
		kind = next_key(t, &ch);
	} while (kind == ERR || (kind == KEY_CODE_YES && ch == KEY_RESIZE));
	return kind == OK && (ch == 'y' || ch == 'Y');
}

/* ---- decisions ---- */

/* The reviewer's own latest record on the item, or NULL (ev owns it). */
static const struct judged_record *own_record(struct tui *t, long index, const struct evaluation *ev)
{
	const struct judged_record *last = NULL;
	char *name = NULL, *email = NULL;

	if (settings_identity(&name, &email, &tui_session_of(t, index)->repo->settings)) {
		error_clear();
		return NULL;
	}
	for (size_t i = 0; i < ev->records_nr; i++)
		if (!ev->records[i].carried && !strcasecmp(ev->records[i].record.reviewer_email, email) &&
		    (!last || ev->records[i].record.time >= last->record.time))
			last = &ev->records[i];
	free(name);
	free(email);
	return last;
}

/*
 * One key must not lose work: approving unseen an item that needs a
 * senior, or overturning one's own decision, asks first.  1 to go on.
 */
static int confirmed(struct tui *t, long index, enum verdict verdict, const char *id)
{
	struct evaluation ev;
	const struct judged_record *own;
	struct strbuf q = STRBUF_INIT;
	int ok = 1;

	if (review_evaluate(&ev, tui_review_of(t, index), t->queue->items[index])) {
		error_clear();
		return 1;   /* decision_write() judges again and reports */
	}
	own = own_record(t, index, &ev);
	if (own && own->record.verdict != VERDICT_WITHDRAW && own->record.verdict != verdict)
		strbuf_addf(&q, "You %s %s earlier; %s it now? (y/n)",
			    own->record.verdict == VERDICT_APPROVE ? "approved" : "rejected", id,
			    verdict == VERDICT_APPROVE ? "approve" : "reject");
	else if (verdict == VERDICT_APPROVE && ev.requirement.level >= LEVEL_SENIOR &&
		 !(t->opened_nr == t->queue->nr && t->opened[index]))
		strbuf_addf(&q, "Approve %s without opening it? Its risk needs a senior reviewer. (y/n)", id);
	if (q.len) {
		ok = tui_confirm(t, q.buf);
		if (!ok)
			tui_message(t, 0, "%s: nothing written", id);
	}
	evaluation_release(&ev);
	strbuf_release(&q);
	return ok;
}

/* "unresolved comments: ..." for the item, or NULL when it has none. */
static char *unresolved_reason(struct tui *t, long index, const struct item *item)
{
	struct comment_index *comments = NULL;
	struct comment_set set;
	struct strbuf sb = STRBUF_INIT;

	if (!comments_load(&set, &comments, tui_review_of(t, index), &item->id) && comments_unresolved(&set))
		comments_unresolved_reason(&sb, &set);
	comment_set_release(&set);
	comment_index_free(comments);
	return sb.len ? strbuf_detach(&sb, NULL) : (strbuf_release(&sb), NULL);
}

int tui_decide_with(struct tui *t, long index, enum verdict verdict, int ask_comment, const char *viewed)
{
	struct item *item = t->queue->items[index];
	struct review *review = tui_review_of(t, index);
	const char *label = tui_repo_label(t, index);
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	char id[16], *reason = NULL;
	int rc;

	oid_short_id(id, sizeof(id), &item->id, SHORT_ID_LEN);
	memset(&req, 0, sizeof(req));
	req.verdict = verdict;
	req.viewed = viewed;
	if (!review) {
		tui_message(t, 1, "%s not %s: decisions are unavailable (see the message above)", id,
			    verdict == VERDICT_APPROVE ? "approved" : "rejected");
		return -1;
	}
	if (!confirmed(t, index, verdict, id))
		return -1;
	if (verdict == VERDICT_REJECT) {
		reason = tui_prompt(t, "Reject reason: ", NULL, NULL);
		if (!reason)
			return -1;   /* Esc: the reviewer changed their mind; nothing to say */
		if (!*reason) {
			free(reason);
			if (!(reason = unresolved_reason(t, index, item))) {
				tui_message(t, 1, "not rejected: a rejection needs a reason");
				return -1;
			}
		}
		req.comment = reason;
	} else if (ask_comment) {
		if (!(reason = tui_prompt(t, "Approve with comment: ", NULL, NULL)))
			return -1;
		req.comment = reason;
	}
	/* Signing tools may ask for a passphrase on the terminal: give it back meanwhile. */
	def_prog_mode();
	endwin();
	rc = decision_write(&res, review, &item, 1, &req);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (!rc && res.lines.nr)
		tui_undo_push(t, tui_repo_of(t, index), &item->id, verdict, res.lines.v[0]);
	if (rc) {
		tui_message(t, 1, "%s not %s: %s", id, verdict == VERDICT_APPROVE ? "approved" : "rejected",
			    error_last());
	} else if (res.warnings.nr) {
		/* Written, but it will not count: say so as an error, not as a success. */
		tui_message(t, 1, "%s", res.warnings.v[0]);
		tui_refresh_decisions(t);
	} else {
		tui_message(t, 0, "%s %s: signed record written to %s%s%s", id,
			    verdict == VERDICT_APPROVE ? "approved" : "rejected", review->notes_ref,
			    label ? " of " : "", label ? label : "");
		tui_refresh_decisions(t);
	}
	decision_result_release(&res);
	free(reason);
	return rc;
}

/* ---- a series as one change ---- */

int tui_decide_series(struct tui *t, const struct unit *u, enum verdict verdict, int opened)
{
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	const char *what = verdict == VERDICT_APPROVE ? "approved" : "rejected";
	struct strbuf name = STRBUF_INIT;
	struct review *review = tui_review_of(t, (long)u->lead);
	struct item *tip = NULL;
	char *reason = NULL;
	int rc = -1;

	strbuf_addstr(&name, "the series ");
	strbuf_addstr(&name, u->ref);   /* escaped where the status line is drawn */
	memset(&req, 0, sizeof(req));
	req.verdict = verdict;
	if (!review) {
		tui_message(t, 1, "%s not %s: decisions are unavailable (see the message above)", name.buf, what);
		goto done;
	}
	if (verdict == VERDICT_APPROVE && !opened) {
		struct strbuf q = STRBUF_INIT;
		int ok;

		strbuf_addf(&q, "Approve %s (%zu commits) without opening it? (y/n)", name.buf, u->commits);
		ok = tui_confirm(t, q.buf);
		strbuf_release(&q);
		if (!ok) {
			tui_message(t, 0, "%s: nothing written", name.buf);
			goto done;
		}
	}
	if (verdict == VERDICT_REJECT) {
		reason = tui_prompt(t, "Reject reason (the whole series): ", NULL, NULL);
		if (!reason)
			goto done;
		if (!*reason) {
			tui_message(t, 1, "not rejected: a rejection needs a reason");
			goto done;
		}
		req.comment = reason;
	}
	if (queue_load_item(&tip, tui_session_of(t, (long)u->lead), &u->tip)) {
		tui_message(t, 1, "%s not %s: %s", name.buf, what, error_last());
		goto done;
	}
	def_prog_mode();
	endwin();
	rc = decision_write_series(&res, review, tip, &u->base, &req);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc)
		tui_message(t, 1, "%s not %s: %s", name.buf, what, error_last());
	else if (res.warnings.nr)
		tui_message(t, 1, "%s", res.warnings.v[0]);
	else
		tui_message(t, 0, "%s %s: one signed record on its tip, in %s", name.buf, what, review->notes_ref);
	if (!rc) {
		tui_undo_push_series(t, tui_repo_of(t, (long)u->lead), &u->base, &u->tip, verdict,
				     res.lines.nr ? res.lines.v[0] : "");
		tui_refresh_decisions(t);
	}
	decision_result_release(&res);
done:
	item_free(tip);
	free(reason);
	strbuf_release(&name);
	return rc;
}

/* ---- the loop ---- */

static void handle_global(struct tui *t, enum action a)
{
	switch (a) {
	case ACTION_QUIT:
		t->quit = 1;
		break;
	case ACTION_HELP:
		tui_push(t, view_help_new(t));
		break;
	case ACTION_MESSAGES:
		tui_push(t, view_log_new(t));
		break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACTION_REFRESH:
		if (tui_reload(t))
			tui_message(t, 1, "reload failed: %s", error_last());
		else
			tui_message(t, 0, "reloaded: %zu items", t->queue->nr);
		break;
	case ACTION_BACK:
		tui_pop(t);
		break;
	case ACTION_UNDO:
		tui_undo(t);
		break;
	case ACTION_CANCEL:
		/* Some terminals send a key (Home in tmux) as a bare Esc: it must not quit revq. */
		if (t->depth > 1)
			tui_pop(t);
		else
			tui_message(t, 0, "q quits");
		break;
	default:
		break;
	}
}

static void loop(struct tui *t)
{
	while (!t->quit && t->depth) {
		struct view *v;
		enum action a;
		wint_t ch;
		int kind;

		draw_all(t);
		timeout(t->message.len && clock_ms() < t->message_until
			? (int)(t->message_until - clock_ms() + 10) : -1);
		kind = next_key(t, &ch);
		if (kind == ERR || (kind == KEY_CODE_YES && ch == KEY_RESIZE))
			continue;   /* a message expired, or the terminal changed size */
		v = t->stack[t->depth - 1];
		if (v->ops->key && v->ops->key(v, kind, ch))
			continue;   /* typed into the view (the file picker's filter) */
		if (kind == OK && ch >= KEY_MIN)
			continue;   /* a character no key can be bound to */
		a = keymap_lookup(&t->keymap, v->ops->in, (int)ch);
		if (a == ACTION_NONE)
			continue;
		if (!v->ops->handle(v, a))
			handle_global(t, a);
	}
}

/* revq.tabWidth, else git's core.whitespace tabwidth=N; revq.wrap; revq.recordViewed. */
static void read_view_settings(struct tui *t, const struct settings *settings)
{
	char *tab = settings_get_string(settings, "revq.tabwidth");
	char *ws = tab ? NULL : settings_get_string(settings, "core.whitespace");
	char *wrap = settings_get_string(settings, "revq.wrap");
	char *unit = settings_get_string(settings, "revq.reviewunit");
	const char *p = ws ? strstr(ws, "tabwidth=") : NULL;
	long n = tab ? strtol(tab, NULL, 10) : p ? strtol(p + strlen("tabwidth="), NULL, 10) : 8;

	t->tabwidth = n >= 1 && n <= SPANS_MAX_TABWIDTH ? (unsigned)n : 8;
	t->wrap = wrap && (!strcasecmp(wrap, "true") || !strcasecmp(wrap, "yes") || !strcasecmp(wrap, "on") ||
			   !strcmp(wrap, "1") || !*wrap);
	t->record_viewed = settings_get_bool(settings, "revq.recordviewed");
	t->spans.tabwidth = t->tabwidth;
	t->unit_mode = unit && unit_mode_parse(unit) >= 0 ? (enum unit_mode)unit_mode_parse(unit) : UNIT_SERIES;
	if (unit && unit_mode_parse(unit) < 0)
		error_warn("revq.reviewUnit must be series or commit, not '%s': series it is", unit);
	free(unit);
	free(tab);
	free(ws);
	free(wrap);
}

int tui_run(struct repo_set *repos, const struct console_options *opts)
{
	struct strvec warnings = STRVEC_INIT;
	struct session *s = repos->repos[0].session;
	struct tui t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.repos = repos;
	t.reviews = xcalloc(repos->nr + 1, sizeof(*t.reviews));
	t.session = s;
	t.opts = *opts;
	strbuf_init(&t.message, 0);
	read_view_settings(&t, &s->repo->settings);
	keymap_init(&t.keymap, &s->repo->settings, &warnings);
	read_queue_view(&t, &s->repo->settings, &warnings);
	if (getenv("REVQ_KEYS"))
		strvec_split(&t.script, getenv("REVQ_KEYS"), ' ');
	t.escape_flags = escape_flags_for_locale();
	t.color = format_wants_color(s->repo->settings.color, 1);
	error_set_warn_handler(on_warning, &t);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	draw_setup_colors(&t);
	/* A cold start analyses every pending commit: the screen says so meanwhile, and q stops it. */
	rc = build_queue(&t);
	if (!rc) {
		t.queue = merged_queue(repos);
		build_units(&t);
		tui_refresh_decisions(&t);
	}
	if (warnings.nr) {
		char *all = strvec_join(&warnings, "; ");   /* every bad binding, not only the first */

		tui_message(&t, 1, "%s", all);
		free(all);
	}
	if (!rc) {
		tui_push(&t, view_queue_new(&t));
		loop(&t);
	}
	while (t.depth)
		tui_pop(&t);
	endwin();
	error_set_warn_handler(NULL, NULL);
	for (size_t i = 0; i < repos->nr; i++)
		review_free(t.reviews[i]);
	free(t.reviews);
	merged_queue_free(t.queue);
	units_release(&t.units);
	spans_release(&t.spans);
	strbuf_release(&t.message);
	strvec_clear(&t.log);
	free(t.opened);
	tui_undo_release(&t);
	free(t.need);
	free(t.email);
	strvec_clear(&warnings);
	strvec_clear(&t.script);
	return rc == REVQ_ECANCELED ? 0 : rc;   /* q during the cold start: quitting is no error */
}
