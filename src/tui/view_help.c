/*
 * view_help.c: every key, generated from the action table, so the help
 * can never disagree with the bindings (including revq.key.* overrides).
 */
#include "config.h"

#include <stdlib.h>

#include "tui.h"

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

static const struct view_ops help_ops = {
	"help", 0, VIEW_SCROLL, help_draw, help_handle, help_title, help_position, NULL,
};

struct view *view_help_new(struct tui *t)
{
	struct view *v = view_new(t, &help_ops);

	v->lines = ACTION_MAX - 1;   /* one row per action */
	return v;
}
