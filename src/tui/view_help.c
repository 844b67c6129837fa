/*
 * view_help.c: every key, generated from the action table, so the help
 * can never disagree with the bindings (including revq.key.* overrides).
 */
#include "config.h"

#include <stdlib.h>

#include "tui.h"

struct help_view {
	size_t top;
};

static void help_draw(struct view *v)
{
	struct help_view *hv = v->data;
	struct strbuf keys = STRBUF_INIT, line = STRBUF_INIT;
	int rows = tui_body_rows(), y = 1;
	size_t n = 0;

	for (int a = ACTION_NONE + 1; a < ACTION_MAX; a++, n++) {
		if (n < hv->top || y > rows)
			continue;
		strbuf_reset(&keys);
		strbuf_reset(&line);
		keymap_describe(&keys, &v->tui->keymap, (enum action)a);
		strbuf_addf(&line, "  %-16s %-14s %s", keys.len ? keys.buf : "(unbound)",
			    action_name((enum action)a), action_help((enum action)a));
		draw_plain(y++, 0, line.buf, COLS, A_NORMAL);
	}
	if (y <= rows)
		draw_plain(y + 1 > rows ? rows : y + 1, 0,
			   "  Rebind with: git config revq.key.<name> \"KEY [KEY...]\"  (e.g. revq.key.approve A)",
			   COLS, A_BOLD);
	strbuf_release(&keys);
	strbuf_release(&line);
}

static int help_handle(struct view *v, enum action a)
{
	struct help_view *hv = v->data;

	switch (a) {
	case ACTION_MOVE_DOWN:
	case ACTION_PAGE_DOWN:
		if (hv->top + 1 < ACTION_MAX - 1)
			hv->top++;
		return 1;
	case ACTION_MOVE_UP:
	case ACTION_PAGE_UP:
		if (hv->top)
			hv->top--;
		return 1;
	case ACTION_HELP:
		tui_pop(v->tui);
		return 1;
	default:
		return 0;
	}
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

static void help_close(struct view *v)
{
	free(v->data);
	free(v);
}

static const struct view_ops help_ops = {
	"help", help_draw, help_handle, help_title, help_position, help_close,
};

struct view *view_help_new(struct tui *t)
{
	return view_new(t, &help_ops, xcalloc(1, sizeof(struct help_view)));
}
