/*
 * view_files.c: a list of the item's files with their +/-, filtered as
 * you type (a case-insensitive substring of the path); Enter jumps to the
 * file's diff in the item view.  Letters go to the filter, so movement is
 * on the arrows, PgUp/PgDn, Home/End; Esc goes back.  The list needs only
 * the files' names; the files on screen are diffed for their +/-
 * (show/layout.h), so a screen of the list costs a screen of files.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "show/format.h"
#include "show/layout.h"
#include "show/viewed.h"
#include "show/lineedit.h"
#include "tui.h"

struct files_view {
	struct view *item;     /* not owned: the item view below us */
	struct lineedit filter;/* owned */
	size_t *shown;         /* owned: indices into the layout's files that match */
	size_t shown_nr;
};

static struct layout *files_of(struct view *v)
{
	return view_item_layout(((struct files_view *)v->data)->item);
}

static void refilter(struct view *v)
{
	struct files_view *fv = v->data;
	const struct layout *l = files_of(v);

	fv->shown = xrealloc(fv->shown, (l->files_nr ? l->files_nr : 1) * sizeof(*fv->shown));
	fv->shown_nr = 0;
	for (size_t i = 0; i < l->files_nr; i++) {
		const struct layout_file *f = &l->files[i];

		if (!fv->filter.text.len || strcasestr(f->new_path, fv->filter.text.buf) ||
		    strcasestr(f->old_path, fv->filter.text.buf))
			fv->shown[fv->shown_nr++] = i;
	}
	v->lines = fv->shown_nr;
	v->cursor = 0;
	v->top = 0;
}

static void files_draw(struct view *v)
{
	struct files_view *fv = v->data;
	struct layout *l = files_of(v);
	const struct viewed *seen = view_item_viewed(fv->item);
	struct strbuf sb = STRBUF_INIT;
	int rows = tui_body_rows();

	v->lines = fv->shown_nr;
	view_clamp(v);
	for (int r = 0; r < rows && v->top + (size_t)r < fv->shown_nr; r++) {
		size_t i = v->top + (size_t)r;
		const struct layout_file *f = &l->files[fv->shown[i]];
		attr_t a = i == v->cursor ? A_REVERSE : A_NORMAL;
		char stat[32];

		layout_load_file(l, fv->shown[i]);   /* its +/- */
		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%c%c %-13s ", fv->shown[i] < seen->nr && seen->marks[fv->shown[i]] ? 'v' : ' ',
			    f->status, stat);
		format_file_path(&sb, f->status, f->old_path, f->new_path);
		if (f->suspicious)
			strbuf_addstr(&sb, "  ! bidi/invisible characters");
		draw_fill(1 + r, 0, COLS, a);
		draw_text(v->tui, 1 + r, 0, sb.buf, sb.len, (size_t)COLS, a);
	}
	if (!fv->shown_nr)
		draw_plain(2, 2, "No file matches; Backspace to change the filter.", COLS - 2, A_BOLD);
	strbuf_release(&sb);
}

/*
 * Printable characters and the erasing keys go to the filter, as in any
 * prompt (tui_edit_op()); the arrows and space still move the list, and
 * Delete erases like Backspace (the cursor is always at the end).
 */
static int files_key(struct view *v, int kind, wint_t ch)
{
	struct files_view *fv = v->data;
	int op = kind == KEY_CODE_YES && ch == KEY_DC ? LINEEDIT_BACKSPACE : tui_edit_op(kind, ch);

	if (op == LINEEDIT_INSERT && ch == ' ')
		op = -1;
	if (op != LINEEDIT_BACKSPACE && op != LINEEDIT_WORD_ERASE && op != LINEEDIT_KILL &&
	    op != LINEEDIT_INSERT)
		return 0;
	if (lineedit_apply(&fv->filter, (enum lineedit_op)op, (int32_t)ch))
		refilter(v);
	return 1;
}

static int files_handle(struct view *v, enum action a)
{
	struct files_view *fv = v->data;

	v->lines = fv->shown_nr;
	if (view_move(v, a))
		return 1;
	if (a != ACTION_OPEN)
		return 0;
	if (fv->shown_nr)
		view_item_jump_to_file(fv->item, fv->shown[v->cursor]);
	tui_pop(v->tui);
	return 1;
}

static void files_title(struct view *v, struct strbuf *out)
{
	struct files_view *fv = v->data;

	strbuf_addf(out, "files: type to filter: %s", fv->filter.text.buf);
}

static void files_position(struct view *v, struct strbuf *out)
{
	struct files_view *fv = v->data;

	strbuf_addf(out, " %zu/%zu of %zu", fv->shown_nr ? v->cursor + 1 : 0, fv->shown_nr, files_of(v)->files_nr);
}

static void files_release(struct view *v)
{
	struct files_view *fv = v->data;

	lineedit_release(&fv->filter);
	free(fv->shown);
}

static const enum action files_footer[] = { ACTION_OPEN, ACTION_CANCEL, ACTION_NONE };

static const struct view_ops files_ops = {
	"files", sizeof(struct files_view), VIEW_SELECT, files_draw, files_handle, files_title,
	files_position, files_release, IN_FILES, files_footer, files_key,
};

struct view *view_files_new(struct tui *t, struct view *item)
{
	struct view *v = view_new(t, &files_ops);
	struct files_view *fv = v->data;

	fv->item = item;
	lineedit_init(&fv->filter);
	refilter(v);
	return v;
}
