/*
 * view_log.c: every status-line message of the session in full, oldest
 * first, folded at the screen's width: a message cut on the status line
 * (a long rejection reason, a signing error) is read here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* The rows of the folded log; with draw, paints those on screen (a * starts each message). */
static size_t fold(struct view *v, int draw)
{
	struct tui *t = v->tui;
	size_t n = 0, width = COLS > 4 ? (size_t)COLS - 2 : 1;
	int rows = tui_body_rows();

	for (size_t i = 0; i < t->log.nr; i++) {
		const char *m = t->log.v[i];
		size_t len = strlen(m);
		struct spans_at at = { 0, 0 };

		do {
			spans_layout_from(&t->spans, m, len, NULL, 0, &at, width, t->escape_flags);
			if (draw && n >= v->top && n < v->top + (size_t)rows) {
				if (t->spans.width == at.column)   /* the message's first row */
					draw_plain(1 + (int)(n - v->top), 0, "*", 1, A_BOLD);
				draw_spans(t, 1 + (int)(n - v->top), 2, &t->spans, A_NORMAL, 0);
			}
			n++;
		} while (at.byte < len);
	}
	return n;
}

static void log_draw(struct view *v)
{
	v->lines = fold(v, 0);
	view_clamp(v);
	if (!v->lines)
		draw_plain(2, 2, "No messages yet.", COLS - 2, A_BOLD);
	fold(v, 1);
}

static int log_handle(struct view *v, enum action a)
{
	v->lines = fold(v, 0);
	return view_move(v, a);
}

static void log_title(struct view *v, struct strbuf *out)
{
	strbuf_addf(out, "messages of this session (%zu)", v->tui->log.nr);
}

static void log_position(struct view *v, struct strbuf *out)
{
	strbuf_addf(out, " %zu/%zu", v->lines ? v->top + 1 : 0, v->lines);
}

static const enum action log_footer[] = { ACTION_PAGE_DOWN, ACTION_LAST, ACTION_BACK, ACTION_NONE };

static const struct view_ops log_ops = {
	"log", 0, VIEW_SCROLL, log_draw, log_handle, log_title, log_position, NULL, IN_LOG, log_footer,
	NULL,
};

struct view *view_log_new(struct tui *t)
{
	struct view *v = view_new(t, &log_ops);

	v->lines = fold(v, 0);
	if (v->lines > (size_t)tui_body_rows())
		v->top = v->lines - (size_t)tui_body_rows();   /* the newest at the bottom, on screen */
	return v;
}
