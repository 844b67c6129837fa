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
#include <time.h>
#include <wchar.h>

#include "decide/decision.h"
#include "base/error.h"
#include "show/format.h"
#include "base/utf8.h"
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
}

static void on_warning(const char *message, void *data)
{
	tui_message(data, 0, "%s", message);
}

void tui_refresh_decisions(struct tui *t)
{
	struct review *r;

	if (review_open(&r, t->session, t->opts.queue.target, t->opts.notes_ref)) {
		tui_message(t, 1, "decisions not shown: %s", error_last());
		return;
	}
	review_free(t->review);
	t->review = r;
	for (size_t i = 0; i < t->queue->nr; i++) {
		item_reset_review(t->queue->items[i]);
	}
	if (review_apply(r, t->queue))
		tui_message(t, 1, "decisions not shown: %s", error_last());
}

int tui_reload(struct tui *t)
{
	struct queue *q;
	int rc;

	if ((rc = queue_build(&q, t->session, &t->opts.queue)))
		return rc;
	queue_free(t->queue);
	t->queue = q;
	tui_refresh_decisions(t);
	return 0;
}

long tui_next_undecided(struct tui *t, long from)
{
	for (size_t i = (size_t)(from + 1); i < t->queue->nr; i++)
		if (t->queue->items[i]->status != ITEM_APPROVED &&
		    t->queue->items[i]->status != ITEM_REJECTED)
			return (long)i;
	return -1;
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

		spans_layout(&t->spans, t->message.buf, t->message.len, NULL, 0, 0,
			     (size_t)(COLS > (int)pos.len + 1 ? COLS - (int)pos.len - 1 : COLS), t->escape_flags);
		draw_spans(t, y, 0, &t->spans, a, 0);
	} else {
		static const enum action shown[] = { ACTION_OPEN, ACTION_APPROVE, ACTION_REJECT,
						     ACTION_FILTER, ACTION_HELP, ACTION_BACK };
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			struct strbuf keys = STRBUF_INIT;

			keymap_describe(&keys, &t->keymap, shown[i]);
			if (keys.len)
				strbuf_addf(&hint, "%s%s:%s", hint.len ? "  " : "", keys.buf,
					    action_name(shown[i]));
			strbuf_release(&keys);
		}
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

/* Removes the last UTF-8 character of text. */
static void erase_last_char(struct strbuf *text)
{
	while (text->len && ((unsigned char)text->buf[text->len - 1] & 0xc0) == 0x80)
		strbuf_setlen(text, text->len - 1);
	if (text->len)
		strbuf_setlen(text, text->len - 1);
}

char *tui_prompt(struct tui *t, const char *label, void (*on_change)(struct tui *, const char *, void *),
		 void *data)
{
	struct strbuf text = STRBUF_INIT;
	int y = LINES - 1, done = 0, cancelled = 0;

	curs_set(1);
	while (!done) {
		size_t label_len = strlen(label), room = COLS > (int)label_len + 1 ? (size_t)COLS - label_len - 1 : 1;
		size_t width = escape_width(text.buf, text.len, t->escape_flags);
		wint_t ch;
		int kind;

		move(y, 0);
		clrtoeol();
		draw_plain(y, 0, label, COLS, A_BOLD);
		spans_layout(&t->spans, text.buf, text.len, NULL, 0, width > room ? width - room : 0, room,
			     t->escape_flags);
		draw_spans(t, y, (int)label_len, &t->spans, A_NORMAL, 0);
		refresh();
		timeout(-1);
		kind = next_key(t, &ch);
		if (kind == ERR)
			continue;
		if (kind == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE || ch == KEY_DC) {
				erase_last_char(&text);
				if (on_change)
					on_change(t, text.buf, data);
			} else if (ch == KEY_ENTER) {
				done = 1;
			} else if (ch == KEY_RESIZE) {
				y = LINES - 1;
				if (on_change)
					on_change(t, text.buf, data);
				draw_all(t);
			}
			continue;
		}
		if (ch == '\n' || ch == '\r') {
			done = 1;
		} else if (ch == 0x1b || ch == KEY_CTRL('c') || ch == KEY_CTRL('g')) {
			done = cancelled = 1;
		} else if (ch == 0x7f || ch == KEY_CTRL('h')) {
			erase_last_char(&text);
		} else if (ch == KEY_CTRL('u')) {
			strbuf_reset(&text);
		} else if (ch >= 0x20 && ch != 0x7f && (ch < 0x80 || ch > 0x9f) && ch <= 0x10ffff &&
			   !(ch >= 0xd800 && ch <= 0xdfff)) {
			utf8_encode(&text, (int32_t)ch);
		} else {
			continue;
		}
		if (on_change && !cancelled)
			on_change(t, text.buf, data);
	}
	curs_set(0);
	if (cancelled) {
		strbuf_release(&text);
		return NULL;
	}
	return strbuf_detach(&text, NULL);
}

/* ---- decisions ---- */

int tui_decide(struct tui *t, struct item *item, enum verdict verdict)
{
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	char id[16], *reason = NULL;
	int rc;

	oid_short_id(id, sizeof(id), &item->id, SHORT_ID_LEN);
	memset(&req, 0, sizeof(req));
	req.verdict = verdict;
	if (!t->review) {
		tui_message(t, 1, "%s not %s: decisions are unavailable (see the message above)", id,
			    verdict == VERDICT_APPROVE ? "approved" : "rejected");
		return -1;
	}
	if (verdict == VERDICT_REJECT) {
		reason = tui_prompt(t, "Reject reason: ", NULL, NULL);
		if (!reason || !*reason) {
			free(reason);
			tui_message(t, 1, "not rejected: a rejection needs a reason");
			return -1;
		}
		req.comment = reason;
	}
	/* Signing tools may ask for a passphrase on the terminal: give it back meanwhile. */
	def_prog_mode();
	endwin();
	rc = decision_write(&res, t->review, &item, 1, &req);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc) {
		tui_message(t, 1, "%s not %s: %s", id, verdict == VERDICT_APPROVE ? "approved" : "rejected",
			    error_last());
	} else if (res.warnings.nr) {
		/* Written, but it will not count: say so as an error, not as a success. */
		tui_message(t, 1, "%s", res.warnings.v[0]);
		tui_refresh_decisions(t);
	} else {
		tui_message(t, 0, "%s %s: signed record written to %s", id,
			    verdict == VERDICT_APPROVE ? "approved" : "rejected",
			    t->opts.notes_ref ? t->opts.notes_ref : t->session->repo->settings.notes_ref);
		tui_refresh_decisions(t);
	}
	decision_result_release(&res);
	free(reason);
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
		if (kind == OK && ch >= KEY_MIN)
			continue;   /* a character no key can be bound to */
		a = keymap_lookup(&t->keymap, (int)ch);
		if (a == ACTION_NONE)
			continue;
		v = t->stack[t->depth - 1];
		if (!v->ops->handle(v, a))
			handle_global(t, a);
	}
}

int tui_run(struct session *s, const struct console_options *opts)
{
	struct strvec warnings = STRVEC_INIT;
	struct tui t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.session = s;
	t.opts = *opts;
	strbuf_init(&t.message, 0);
	if ((rc = queue_build(&t.queue, s, &opts->queue)))
		return rc;
	keymap_init(&t.keymap, &s->repo->settings, &warnings);
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
	tui_refresh_decisions(&t);
	if (warnings.nr) {
		char *all = strvec_join(&warnings, "; ");   /* every bad binding, not only the first */

		tui_message(&t, 1, "%s", all);
		free(all);
	}
	tui_push(&t, view_queue_new(&t));
	loop(&t);
	while (t.depth)
		tui_pop(&t);
	endwin();
	error_set_warn_handler(NULL, NULL);
	review_free(t.review);
	queue_free(t.queue);
	spans_release(&t.spans);
	strbuf_release(&t.message);
	strvec_clear(&warnings);
	strvec_clear(&t.script);
	return 0;
}
