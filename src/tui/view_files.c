/*
 * view_files.c: a list of the item's files with their +/-; Enter jumps
 * to the file's diff in the item view.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "revq/format.h"
#include "revq/layout.h"
#include "tui.h"

struct files_view {
	struct view *item;   /* not owned: the item view below us */
	size_t cursor, top;
};

static void files_draw(struct view *v)
{
	struct files_view *fv = v->data;
	const struct layout *l = view_item_layout(fv->item);
	struct strbuf sb = STRBUF_INIT;
	int rows = tui_body_rows();

	if (fv->cursor < fv->top)
		fv->top = fv->cursor;
	if (fv->cursor >= fv->top + (size_t)rows)
		fv->top = fv->cursor - (size_t)rows + 1;
	for (int r = 0; r < rows && fv->top + (size_t)r < l->files_nr; r++) {
		size_t i = fv->top + (size_t)r;
		const struct layout_file *f = &l->files[i];
		attr_t a = i == fv->cursor ? A_REVERSE : A_NORMAL;

		char stat[32];

		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
		strbuf_reset(&sb);
		strbuf_addf(&sb, " %c %-13s ", f->status, stat);
		if (f->status == 'R' || f->status == 'C')
			strbuf_addf(&sb, "%s -> ", f->old_path);
		strbuf_addstr(&sb, f->status == 'D' ? f->old_path : f->new_path);
		if (f->suspicious)
			strbuf_addstr(&sb, "  ! bidi/invisible characters");
		draw_fill(1 + r, 0, COLS, a);
		draw_text(v->tui, 1 + r, 0, sb.buf, sb.len, (size_t)COLS, a);
	}
	strbuf_release(&sb);
}

static int files_handle(struct view *v, enum action a)
{
	struct files_view *fv = v->data;
	size_t n = view_item_layout(fv->item)->files_nr;

	switch (a) {
	case ACTION_MOVE_DOWN: if (fv->cursor + 1 < n) fv->cursor++; break;
	case ACTION_MOVE_UP: if (fv->cursor) fv->cursor--; break;
	case ACTION_FIRST: fv->cursor = 0; break;
	case ACTION_LAST: fv->cursor = n ? n - 1 : 0; break;
	case ACTION_PAGE_DOWN: fv->cursor = fv->cursor + (size_t)tui_body_rows() < n
			? fv->cursor + (size_t)tui_body_rows() : (n ? n - 1 : 0); break;
	case ACTION_PAGE_UP: fv->cursor = fv->cursor > (size_t)tui_body_rows()
			? fv->cursor - (size_t)tui_body_rows() : 0; break;
	case ACTION_OPEN:
		if (n)
			view_item_jump_to_file(fv->item, fv->cursor);
		tui_pop(v->tui);
		break;
	default:
		return 0;
	}
	return 1;
}

static void files_title(struct view *v, struct strbuf *out)
{
	strbuf_addf(out, "files of this item (Enter: jump, q: back)");
	(void)v;
}

static void files_position(struct view *v, struct strbuf *out)
{
	struct files_view *fv = v->data;

	strbuf_addf(out, " %zu/%zu", fv->cursor + 1, view_item_layout(fv->item)->files_nr);
}

static void files_close(struct view *v)
{
	free(v->data);
	free(v);
}

static const struct view_ops files_ops = {
	"files", files_draw, files_handle, files_title, files_position, files_close,
};

struct view *view_files_new(struct tui *t, struct view *item)
{
	struct files_view *fv = xcalloc(1, sizeof(*fv));

	fv->item = item;
	return view_new(t, &files_ops, fv);
}
