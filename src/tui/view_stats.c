/*
 * view_stats.c: where the queue waits, from the queue (S): the report of
 * `revq stats` (show/statsreport.c) over the console's queue and the
 * other noted commits of each of its repositories, with its bars, scrolled like the
 * message log.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "decide/stats.h"
#include "show/statsreport.h"
#include "tui.h"

struct stats_view {
	struct strvec lines;   /* owned: the report, one row each */
};

static void stats_draw(struct view *v)
{
	struct stats_view *sv = v->data;
	int rows = tui_body_rows();

	v->lines = sv->lines.nr;
	view_clamp(v);
	for (int r = 0; r < rows && v->top + (size_t)r < sv->lines.nr; r++) {
		const char *line = sv->lines.v[v->top + (size_t)r];
		const char *bar = strpbrk(line, "#");

		draw_text(v->tui, 1 + r, 0, line, strlen(line), (size_t)COLS, A_NORMAL);
		/* the bars in reverse video too: their length reads without colour */
		if (bar && (bar == line || bar[-1] == ' ') && bar - line < COLS)
			mvchgat(1 + r, (int)(bar - line), (int)strspn(bar, "#"), A_REVERSE, 0, NULL);
	}
}

static int stats_handle(struct view *v, enum action a)
{
	return view_move(v, a);
}

static void stats_title(struct view *v, struct strbuf *out)
{
	(void)v;
	strbuf_addstr(out, "where the queue waits (revq stats)");
}

static void stats_position(struct view *v, struct strbuf *out)
{
	strbuf_addf(out, " %zu/%zu", v->lines ? v->top + 1 : 0, v->lines);
}

static void stats_release_view(struct view *v)
{
	struct stats_view *sv = v->data;

	strvec_clear(&sv->lines);
}

static const enum action stats_footer[] = { ACTION_PAGE_DOWN, ACTION_LAST, ACTION_BACK, ACTION_NONE };

/* A scrolling text view: the keys of the message log. */
static const struct view_ops stats_ops = {
	"stats", sizeof(struct stats_view), VIEW_SCROLL, stats_draw, stats_handle, stats_title,
	stats_position, stats_release_view, IN_LOG, stats_footer, NULL,
};

struct view *view_stats_new(struct tui *t)
{
	struct view *v;
	struct stats_view *sv;
	struct strbuf report = STRBUF_INIT;
	struct stats st;

	stats_init(&st, 0, t->queue->now);
	for (size_t i = 0; i < t->repos->nr; i++) {
		if (!t->reviews[i]) {
			tui_message(t, 1, "no stats: the decisions could not be read%s%s", t->repos->nr > 1 ? " in " : "",
				    t->repos->nr > 1 ? t->repos->repos[i].label : "");
			stats_release(&st);
			return NULL;
		}
		if (stats_collect(&st, t->reviews[i], t->repos->repos[i].queue)) {
			tui_message(t, 1, "no stats: %s", error_last());
			stats_release(&st);
			return NULL;
		}
	}
	stats_report(&report, &st, t->escape_flags);
	stats_release(&st);
	v = view_new(t, &stats_ops);
	sv = v->data;
	strvec_split(&sv->lines, report.buf, '\n');
	v->lines = sv->lines.nr;
	strbuf_release(&report);
	return v;
}
