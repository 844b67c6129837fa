/*
 * view_help.c: every key, generated from the action table, so the help
 * can never disagree with the bindings (including revq.key.* overrides).
 */
#include "config.h"

#include <stdlib.h>

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

static void help_draw(struct view *v)
{
	struct strbuf keys = STRBUF_INIT, line = STRBUF_INIT;
	int rows = tui_body_rows(), y = 1;
	size_t n = 0;

	for (int a = ACTION_NONE + 1; a < ACTION_MAX; a++, n++) {
		if (n < v->top || y > rows)
			continue;
		strbuf_reset(&keys);
		strbuf_reset(&line);
		keymap_describe(&keys, &v->tui->keymap, (enum action)a);
		strbuf_addf(&line, "  %-16s %-18s %s%s", keys.len ? keys.buf : "(unbound)",
			    action_name((enum action)a), action_help((enum action)a), where((enum action)a));
		draw_plain(y++, 0, line.buf, COLS, A_NORMAL);
	}
	if (y + 1 <= rows)
		draw_plain(y + 1, 0,
			   "  Rebind with: git config revq.key.<name> \"KEY [KEY...]\"  (e.g. revq.key.approve A)",
			   COLS, A_BOLD);
	strbuf_release(&keys);
	strbuf_release(&line);
}

static int help_handle(struct view *v, enum action a)
{
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

	v->lines = ACTION_MAX - 1 + 2;   /* one row per action, a blank and the rebinding hint */
	return v;
}
