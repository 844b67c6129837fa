/*
 * draw.c: painting spans and revq's own text with attributes.  Meaning
 * never depends on colour alone: bold, reverse and underline carry it
 * when there is no colour (NO_COLOR, vt100, old ncurses with tmux).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"

void draw_setup_colors(struct tui *t)
{
	if (!t->color || !has_colors() || start_color() == ERR) {
		t->color = 0;
		return;
	}
	use_default_colors();
	init_pair(PAIR_ADDED, COLOR_GREEN, -1);
	init_pair(PAIR_DELETED, COLOR_RED, -1);
	init_pair(PAIR_HUNK, COLOR_CYAN, -1);
	init_pair(PAIR_FILE, COLOR_YELLOW, -1);
	init_pair(PAIR_WARN, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_HIGH, COLOR_RED, -1);
	init_pair(PAIR_MEDIUM, COLOR_YELLOW, -1);
	init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
}

attr_t draw_attr(const struct tui *t, enum tui_color pair, attr_t plain)
{
	return t->color && pair ? (plain | COLOR_PAIR(pair)) : plain;
}

int draw_plain(int y, int x, const char *text, int width, attr_t attr)
{
	int n = (int)strlen(text);

	if (width <= 0)
		return 0;
	if (n > width)
		n = width;
	attrset(attr);
	mvaddnstr(y, x, text, n);
	attrset(A_NORMAL);
	return n;
}

void draw_fill(int y, int x, int width, attr_t attr)
{
	attrset(attr);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

int draw_spans(const struct tui *t, int y, int x, const struct spans *s, attr_t base,
	       attr_t changed)
{
	int col = x;

	move(y, x);
	for (size_t i = 0; i < s->nr; i++) {
		const struct span *sp = &s->v[i];
		attr_t a = base;

		if (sp->attr & SPAN_CHANGED)
			a |= changed;
		if (sp->attr & SPAN_SUSPICIOUS)
			a = draw_attr(t, PAIR_WARN, A_REVERSE | A_BOLD);
		else if (sp->attr & SPAN_CONTROL)
			a |= A_UNDERLINE | A_BOLD;
		if (sp->attr & SPAN_CUT)
			a = A_REVERSE | A_BOLD;
		attrset(a);
		addnstr(s->text.buf + sp->offset, (int)sp->len);
		col += (int)sp->width;
	}
	attrset(A_NORMAL);
	return col - x;
}

int draw_text(struct tui *t, int y, int x, const char *text, size_t len, size_t width, attr_t base)
{
	spans_layout(&t->spans, text, len, NULL, 0, 0, width, t->escape_flags);
	return draw_spans(t, y, x, &t->spans, base, 0);
}

int draw_text_marked(struct tui *t, int y, int x, const char *text, size_t len, size_t width, attr_t base)
{
	spans_layout_marked(&t->spans, text, len, NULL, 0, 0, width, t->escape_flags);
	return draw_spans(t, y, x, &t->spans, base, 0);
}
