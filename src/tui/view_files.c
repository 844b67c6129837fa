/*
 * view_files.c: a list of the item's files with their +/-; Enter jumps
 * to the file's diff in the item view.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "show/format.h"
#include "show/layout.h"
#include "tui.h"

struct files_view {
	struct view *item;   /* not owned: the item view below us */
};

static void files_draw(struct view *v)
{
	struct files_view *fv = v->data;
	const struct layout *l = view_item_layout(fv->item);
	struct strbuf sb = STRBUF_INIT;
	int rows = tui_body_rows();

	v->lines = l->files_nr;
	view_clamp(v);
	for (int r = 0; r < rows && v->top + (size_t)r < l->files_nr; r++) {
		size_t i = v->top + (size_t)r;
		const struct layout_file *f = &l->files[i];
		attr_t a = i == v->cursor ? A_REVERSE : A_NORMAL;

		char stat[32];

		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
		strbuf_reset(&sb);
		strbuf_addf(&sb, " %c %-13s ", f->status, stat);
		format_file_path(&sb, f->status, f->old_path, f->new_path);
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

	v->lines = view_item_layout(fv->item)->files_nr;
	if (view_move(v, a))
		return 1;
	if (a != ACTION_OPEN)
		return 0;
	if (v->lines)
		view_item_jump_to_file(fv->item, v->cursor);
	tui_pop(v->tui);
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

	strbuf_addf(out, " %zu/%zu", v->cursor + 1, view_item_layout(fv->item)->files_nr);
}

static const struct view_ops files_ops = {
	"files", sizeof(struct files_view), VIEW_SELECT, files_draw, files_handle, files_title,
	files_position, NULL,
};

struct view *view_files_new(struct tui *t, struct view *item)
{
	struct view *v = view_new(t, &files_ops);

	((struct files_view *)v->data)->item = item;
	v->lines = view_item_layout(item)->files_nr;
	return v;
}
