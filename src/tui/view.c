/*
 * view.c: what every view of the console shares, as tig's view.c does:
 * the framework owns each view's memory (ops->private_size bytes of
 * state, zeroed, freed after ops->release), and one cursor model moves
 * every view (move_view in tig): a view either selects a row (the
 * cursor, with the top row following it) or scrolls (the top row is the
 * position).  Views only say how many rows they have.
 */
#include "config.h"

#include <stdlib.h>

#include "tui.h"

struct view *view_new(struct tui *t, const struct view_ops *ops)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->ops = ops;
	v->tui = t;
	v->data = ops->private_size ? xcalloc(1, ops->private_size) : NULL;
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->release)
		v->ops->release(v);
	free(v->data);
	free(v);
}

static size_t last_row(const struct view *v)
{
	return v->lines ? v->lines - 1 : 0;
}

/* The rows the moving part of the view has on screen. */
static size_t page_rows(const struct view *v)
{
	size_t body = (size_t)tui_body_rows();

	return body > v->fixed + 1 ? body - v->fixed : 1;
}

void view_clamp(struct view *v)
{
	size_t rows = page_rows(v);

	if (v->ops->mode == VIEW_SCROLL) {
		if (v->top > last_row(v))
			v->top = last_row(v);
		return;
	}
	if (v->cursor > last_row(v))
		v->cursor = last_row(v);
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (rows && v->cursor >= v->top + rows)
		v->top = v->cursor - rows + 1;
}

/* The position the movement keys act on: the cursor, or the top row. */
static size_t *position(struct view *v)
{
	return v->ops->mode == VIEW_SCROLL ? &v->top : &v->cursor;
}

/*
 * The furthest the movement keys take the position: the last row for a
 * cursor; for a scrolling view, the top row of the last screenful (a
 * jump may still put the top further, up to the last row).
 */
static size_t furthest(const struct view *v, size_t page)
{
	if (v->ops->mode == VIEW_SELECT)
		return last_row(v);
	return v->lines > page ? v->lines - page : 0;
}

int view_move(struct view *v, enum action a)
{
	size_t *at = position(v), page = page_rows(v), last = furthest(v, page);

	switch (a) {
	case ACTION_MOVE_DOWN: if (*at < last) (*at)++; break;
	case ACTION_MOVE_UP: if (*at) (*at)--; break;
	case ACTION_PAGE_DOWN: *at = *at + page < last ? *at + page : last; break;
	case ACTION_PAGE_UP: *at = *at > page ? *at - page : 0; break;
	case ACTION_FIRST: *at = 0; break;
	case ACTION_LAST: *at = last; break;
	default: return 0;
	}
	view_clamp(v);
	return 1;
}
