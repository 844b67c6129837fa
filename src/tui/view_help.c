/*
 * view_help.c: every key, generated from the action table, so the help
 * can never disagree with the bindings (including revq.key.* overrides),
 * folded at the screen's width so that nothing is cut at 80 columns.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* Where an action works, when not everywhere. */
static const char *where(enum action a)
{
	switch (action_views(a)) {
	case IN_ALL: return "";
	case IN_ITEM: return " (item view)";
	case IN_QUEUE: return " (queue)";
	case IN_QUEUE | IN_ITEM: return " (queue, item view)";
	case IN_QUEUE | IN_FILES: return " (queue, file picker)";
	case IN_QUEUE | IN_ITEM | IN_FILES: return " (queue, item view, file picker)";
	default: return "";
	}
}

#define HELP_INDENT 38   /* where the description starts */

/* Appends line to rows, folded at spaces to the screen's width, continuations indented. */
static void fold(struct strvec *rows, const char *line, size_t indent)
{
	size_t width = COLS > 20 ? (size_t)COLS : 20, len = strlen(line), at = 0;

	if (indent + 20 > width)
		indent = 4;
	while (len - at > (at ? width - indent : width)) {
		size_t room = at ? width - indent : width, cut = room;

		while (cut > room / 2 && line[at + cut] != ' ')
			cut--;
		if (line[at + cut] != ' ')
			cut = room;
		strvec_pushf(rows, "%*s%.*s", at ? (int)indent : 0, "", (int)cut, line + at);
		at += cut;
		while (line[at] == ' ')
			at++;
	}
	strvec_pushf(rows, "%*s%s", at ? (int)indent : 0, "", line + at);
}

/* Every row of the help at the screen's width: one action or more per row, folded. */
static void help_rows(struct view *v, struct strvec *rows)
{
	struct strbuf keys = STRBUF_INIT, line = STRBUF_INIT;

	for (int a = ACTION_NONE + 1; a < ACTION_MAX; a++) {
		strbuf_reset(&keys);
		strbuf_reset(&line);
		keymap_describe(&keys, &v->tui->keymap, (enum action)a);
		strbuf_addf(&line, "  %-16s %-18s %s%s", keys.len ? keys.buf : "(unbound)",
			    action_name((enum action)a), action_help((enum action)a), where((enum action)a));
		fold(rows, line.buf, HELP_INDENT);
	}
	strvec_push(rows, "");
	fold(rows, "  Rebind with: git config revq.key.<name> \"KEY [KEY...]\"  (e.g. revq.key.approve A)", 4);
	strbuf_release(&keys);
	strbuf_release(&line);
}

static void help_draw(struct view *v)
{
	struct strvec rows = STRVEC_INIT;
	int body = tui_body_rows();

	help_rows(v, &rows);
	v->lines = rows.nr;
	view_clamp(v);
	for (int y = 0; y < body && v->top + (size_t)y < rows.nr; y++)
		draw_plain(1 + y, 0, rows.v[v->top + (size_t)y], COLS,
			   v->top + (size_t)y + 1 == rows.nr ? A_BOLD : A_NORMAL);
	strvec_clear(&rows);
}

static int help_handle(struct view *v, enum action a)
{
	struct strvec rows = STRVEC_INIT;

	help_rows(v, &rows);
	v->lines = rows.nr;
	strvec_clear(&rows);
	if (view_move(v, a))
		return 1;
	if (a != ACTION_HELP)
		return 0;
	tui_pop(v->tui);
	return 1;
}

static void help_title(struct view *v, struct strbuf *out)
{
	(void)v;
	strbuf_addstr(out, "keys (q: back)");
}

static void help_position(struct view *v, struct strbuf *out)
{
	(void)v;
	(void)out;
}

static const enum action help_footer[] = { ACTION_PAGE_DOWN, ACTION_FIRST, ACTION_LAST, ACTION_BACK, ACTION_NONE };

static const struct view_ops help_ops = {
	"help", 0, VIEW_SCROLL, help_draw, help_handle, help_title, help_position, NULL, IN_HELP,
	help_footer, NULL,
};

struct view *view_help_new(struct tui *t)
{
	struct view *v = view_new(t, &help_ops);

	v->lines = ACTION_MAX - 1 + 2;   /* at least: one row per action, a blank and the rebinding hint */
	return v;
}
