/*
 * view_item.c: one item: its header (author, AI markers, risk and every
 * reason, decisions, message, files) above its diff, side by side (old
 * left, new right) or unified.  Only the rows on screen are laid out.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "git/notes.h"
#include "judge/ainotes.h"
#include "show/format.h"
#include "show/layout.h"
#include "show/worddiff.h"
#include "tui.h"

#define HSCROLL_STEP 8
#define MIN_PANE_TEXT 30

struct header_row {
	char *text;        /* owned; may hold untrusted text, escaped when drawn */
	attr_t attr;
	enum tui_color pair;
};

struct item_view {
	long index;                  /* into the queue */
	struct layout *layout;       /* owned */
	struct header_row *header;   /* owned */
	size_t header_nr, header_alloc;
	int forced_mode;             /* -1: by terminal width */
	size_t hscroll;
	struct spans left, right;    /* scratch */
	const struct queue *opened_in;
	unsigned ai_lines;           /* added lines marked 'A': an AI session wrote them (refs/notes/ai) */
};

static struct item *current_item(struct view *v)
{
	struct item_view *iv = v->data;
	const struct queue *q = v->tui->queue;

	return iv->index >= 0 && (size_t)iv->index < q->nr ? q->items[iv->index] : NULL;
}

/* ---- the header ---- */

static void add_row(struct item_view *iv, attr_t attr, enum tui_color pair, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_row(struct item_view *iv, attr_t attr, enum tui_color pair, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(iv->header, iv->header_nr + 1, iv->header_alloc);
	iv->header[iv->header_nr].text = strbuf_detach(&sb, NULL);
	iv->header[iv->header_nr].attr = attr;
	iv->header[iv->header_nr++].pair = pair;
}

static void add_message(struct item_view *iv, const git_commit *commit)
{
	char *message = item_message_utf8(commit);
	struct lines it = LINES_INIT(message, strlen(message));
	const char *p;
	size_t n;

	while (lines_next(&it, &p, &n))
		add_row(iv, p == message ? A_BOLD : A_NORMAL, COLOR_PAIR_NONE, "    %.*s", (int)n, p);
	free(message);
}

static void add_decisions(struct item_view *iv, struct tui *t, const struct item *it)
{
	struct evaluation ev;
	char when[32];

	if (!t->review || review_evaluate(&ev, t->review, it)) {
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Status:  %s (decisions not available)",
			item_status_name(it->status));
		return;
	}
	{
		struct strbuf needs = STRBUF_INIT;

		requirement_describe(&needs, &ev.requirement);
		add_row(iv, A_BOLD, ev.status == ITEM_REJECTED ? PAIR_HIGH : COLOR_PAIR_NONE,
			"Status:  %s; needs %s, has %u%s%s", item_status_name(ev.status), needs.buf,
			ev.approvals, ev.requirement.why.nr ? " -- " : "",
			ev.requirement.why.nr ? ev.requirement.why.v[0] : "");
		if (ev.missing)
			add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Missing: %s", ev.missing);
		strbuf_release(&needs);
	}
	for (size_t i = 0; i < ev.records_nr; i++) {
		const struct judged_record *jr = &ev.records[i];
		char id[16];

		record_format_time(when, sizeof(when), jr->record.time);
		oid_short_id(id, sizeof(id), &jr->record.commit, SHORT_ID_LEN);
		add_row(iv, jr->problem ? A_NORMAL : A_BOLD, COLOR_PAIR_NONE,
			"    %s by %s <%s> at %s: %s%s%s%s%s%s%s", verdict_name(jr->record.verdict),
			jr->record.reviewer_name, jr->record.reviewer_email, when, sig_status_text(jr->sig),
			jr->problem ? ", " : "", jr->problem ? problem_text(jr->problem) : "",
			jr->carried ? ", carried over from " : "", jr->carried ? id : "",
			*jr->record.comment ? ": " : "", jr->record.comment);
	}
	evaluation_release(&ev);
}

static void add_files(struct item_view *iv, const struct item *it)
{
	const struct layout *l = iv->layout;
	struct strbuf path = STRBUF_INIT;

	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Files:   %zu changed, +%u -%u  (f: jump to a file, ]/[ next/previous)",
		l->files_nr, it->added, it->deleted);
	for (size_t i = 0; i < l->files_nr; i++) {
		const struct layout_file *f = &l->files[i];
		char stat[32];

		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
		strbuf_reset(&path);
		format_file_path(&path, f->status, f->old_path, f->new_path);
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "    %c %-12s %s%s", f->status, stat, path.buf,
			f->suspicious ? "  ! bidi/invisible characters" : "");
	}
	strbuf_release(&path);
}

/* A merge: its parents, and which diff is shown (and scored): its remerge diff. */
static void add_merge(struct item_view *iv, const git_commit *commit)
{
	const struct layout *l = iv->layout;

	for (unsigned i = 0; i < git_commit_parentcount(commit); i++) {
		git_commit *p = NULL;
		const char *summary = NULL;
		char id[16];

		if (!git_commit_parent(&p, commit, i))
			summary = git_commit_summary(p);
		git_error_clear();
		oid_short_id(id, sizeof(id), git_commit_parent_id(commit, i), SHORT_ID_LEN);
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s %s %s", i ? "        " : "Merge:  ", id,
			summary ? summary : "(missing)");
		git_commit_free(p);
	}
	if (l->remerged)
		add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Diff:    remerge diff: what the merge changed against "
			"its parents merged again%s (%u path%s in conflict)",
			l->octopus ? " one by one" : "", l->conflicts, l->conflicts == 1 ? " was" : "s were");
	else
		add_row(iv, A_BOLD, PAIR_MEDIUM, "Diff:    first-parent diff (the parents could not be merged again)");
}

/* The colour of each risk band (format_risk_band()). */
static const enum tui_color risk_pairs[] = { COLOR_PAIR_NONE, PAIR_MEDIUM, PAIR_HIGH };

static void build_header(struct item_view *iv, struct tui *t, const struct item *it,
			 const git_commit *commit)
{
	char hex[GIT_OID_HEXSZ + 1], date[40], age[16];

	add_row(iv, A_BOLD, PAIR_FILE, "commit %s", git_oid_tostr(hex, sizeof(hex), &it->id));
	format_iso_date(date, sizeof(date), it->author_time, it->author_offset);
	format_age(age, sizeof(age), t->queue->now - it->commit_time);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Author:  %s <%s>, %s (%s ago)", it->author_name,
		it->author_email, date, age);
	if (it->refs.nr) {
		char *refs = strvec_join(&it->refs, ", ");

		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Refs:    %s", refs);
		free(refs);
	}
	if (git_commit_parentcount(commit) > 1)
		add_merge(iv, commit);
	add_decisions(iv, t, it);
	for (size_t i = 0; i < it->markers.nr; i++)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s %s", i ? "        " : "AI:     ", it->markers.v[i]);
	add_row(iv, A_BOLD, risk_pairs[format_risk_band(it->risk)],
		"Risk:    %d/100, priority %d", it->risk, it->priority);
	for (size_t i = 0; i < it->reasons.nr; i++)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "    %s", it->reasons.v[i]);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
	add_message(iv, commit);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
	add_files(iv, it);
	if (iv->ai_lines)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "AI lines: %u added line%s marked A in the gutter, "
			"written by an AI session (%s)", iv->ai_lines, iv->ai_lines == 1 ? "" : "s", AINOTES_REF);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
}

static void clear_content(struct item_view *iv)
{
	for (size_t i = 0; i < iv->header_nr; i++)
		free(iv->header[i].text);
	iv->header_nr = 0;
	layout_free(iv->layout);
	iv->layout = NULL;
}

/* The added lines an AI session wrote, by the commit's Git AI note (judge/ainotes.h): the 'A' mark. */
static void mark_ai_lines(struct item_view *iv, struct tui *t, const git_commit *commit)
{
	struct strbuf text = STRBUF_INIT;
	struct notes *notes;
	struct ainote note;

	iv->ai_lines = 0;
	if (notes_load(&notes, t->session->repo->git, AINOTES_REF)) {
		error_clear();
		return;
	}
	if (!notes_read(&text, notes, git_commit_id(commit)) && !ainote_parse(&note, text.buf, text.len)) {
		layout_mark_ai(iv->layout, &note);
		for (size_t i = 0; i < iv->layout->lines_nr; i++)
			iv->ai_lines += !!(iv->layout->lines[i].flags & LINE_AI);
		ainote_release(&note);
	}
	strbuf_release(&text);
	notes_free(notes);
}

/* (Re)loads everything about the item at iv->index. */
static void load(struct view *v)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct item *it = current_item(v);
	git_commit *commit;

	clear_content(iv);
	v->top = 0;
	iv->hscroll = 0;
	iv->opened_in = t->queue;
	if (!it)
		return;
	if (git_commit_lookup(&commit, t->session->repo->git, &it->id)) {
		add_row(iv, A_BOLD, PAIR_ERROR, "cannot read commit: %s", git_error_last() ?
			git_error_last()->message : "unknown error");
		return;
	}
	if (layout_load(&iv->layout, t->session->repo->git, commit)) {
		tui_message(t, 1, "cannot show the diff: %s", error_last());
		iv->layout = NULL;
	}
	if (!iv->layout)
		iv->layout = xcalloc(1, sizeof(*iv->layout));
	mark_ai_lines(iv, t, commit);
	build_header(iv, t, it, commit);
	git_commit_free(commit);
}

/* ---- geometry ---- */

struct geometry {
	enum layout_mode mode;
	int numw;         /* width of a line number */
	int pane;         /* split: width of each pane */
	int text;         /* columns for text in a pane (split) or the line (unified) */
};

static int digits(uint32_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static struct geometry geometry(const struct item_view *iv)
{
	struct geometry g;

	g.numw = digits(iv->layout->max_line_no);
	if (g.numw < 4)
		g.numw = 4;
	g.pane = (COLS - 1) / 2;
	if (iv->forced_mode >= 0)
		g.mode = (enum layout_mode)iv->forced_mode;
	else
		g.mode = g.pane - g.numw - 1 >= MIN_PANE_TEXT ? LAYOUT_SPLIT : LAYOUT_UNIFIED;
	g.text = g.mode == LAYOUT_SPLIT ? g.pane - g.numw - 1 : COLS - 2 * g.numw - 2;
	if (g.text < 1)
		g.text = 1;
	return g;
}

static size_t total_rows(const struct item_view *iv, const struct geometry *g)
{
	return iv->header_nr + layout_rows(iv->layout, g->mode);
}

/* ---- drawing diff rows ---- */

static void number(char *buf, int width, uint32_t n)
{
	if (n)
		snprintf(buf, (size_t)width + 1, "%*u", width, n);
	else
		snprintf(buf, (size_t)width + 1, "%*s", width, "");
}

static char gutter_char(const struct layout_line *line, char mark)
{
	if (line && (line->flags & LINE_SUSPICIOUS))
		return '!';
	return line && (line->flags & LINE_AI) && mark == '+' ? 'A' : mark;
}

/* Word changes are only worth showing when the two lines are related. */
static int worth_highlighting(const struct worddiff *wd, size_t old_len, size_t new_len)
{
	size_t changed = 0;

	if (wd->whole_line)
		return 0;
	for (size_t i = 0; i < wd->old_nr; i++)
		changed += wd->old_changed[i].end - wd->old_changed[i].start;
	for (size_t i = 0; i < wd->new_nr; i++)
		changed += wd->new_changed[i].end - wd->new_changed[i].start;
	return changed * 10 < (old_len + new_len) * 7;
}

static void draw_side(struct view *v, int y, int x, const struct geometry *g,
		      const struct layout_line *line, uint32_t no, char mark, enum tui_color pair,
		      struct spans *sp)
{
	struct tui *t = v->tui;
	attr_t text_attr = mark == ' ' ? A_NORMAL : draw_attr(t, pair, A_NORMAL);
	attr_t mark_attr = draw_attr(t, pair, A_BOLD);
	char num[16], gut[2] = { 0, 0 };

	number(num, g->numw, no);
	draw_plain(y, x, num, g->numw, A_NORMAL);
	gut[0] = gutter_char(line, mark);
	draw_plain(y, x + g->numw, gut, 1, gut[0] == '!' ? draw_attr(t, PAIR_WARN, A_REVERSE | A_BOLD)
							  : mark_attr);
	if (line)
		draw_spans(t, y, x + g->numw + 1, sp, text_attr, A_REVERSE | A_BOLD);
}

static void layout_side(struct view *v, struct spans *sp, const struct layout_line *line,
			const struct byte_range *hl, size_t hl_nr, int width)
{
	struct item_view *iv = v->data;

	if (line)
		spans_layout(sp, layout_text(iv->layout, line), line->len, hl, hl_nr, iv->hscroll,
			     (size_t)width, v->tui->escape_flags);
}

static void draw_change(struct view *v, int y, const struct geometry *g, const struct layout_row *r)
{
	struct item_view *iv = v->data;
	struct worddiff wd;
	int words = 0;

	memset(&wd, 0, sizeof(wd));
	if (r->left && r->right &&
	    !worddiff_compute(&wd, layout_text(iv->layout, r->left), r->left->len,
			      layout_text(iv->layout, r->right), r->right->len))
		words = worth_highlighting(&wd, r->left->len, r->right->len);
	layout_side(v, &iv->left, r->left, words ? wd.old_changed : NULL, wd.old_nr, g->text);
	layout_side(v, &iv->right, r->right, words ? wd.new_changed : NULL, wd.new_nr, g->text);
	draw_side(v, y, 0, g, r->left, r->left ? r->left->old_no : 0, r->left ? '-' : ' ', PAIR_DELETED,
		  &iv->left);
	draw_side(v, y, g->pane + 1, g, r->right, r->right ? r->right->new_no : 0, r->right ? '+' : ' ',
		  PAIR_ADDED, &iv->right);
	worddiff_release(&wd);
}

static void draw_file_row(struct view *v, int y, const struct layout_file *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct tui *t = v->tui;
	attr_t a = draw_attr(t, PAIR_FILE, A_BOLD | A_UNDERLINE);

	strbuf_addf(&sb, "%c ", f->status);
	format_file_path(&sb, f->status, f->old_path, f->new_path);
	strbuf_addf(&sb, "  +%u -%u", f->added, f->deleted);
	draw_fill(y, 0, COLS, a);
	spans_layout(&t->spans, sb.buf, sb.len, NULL, 0, 0, (size_t)COLS, t->escape_flags);
	draw_spans(t, y, 0, &t->spans, a, 0);
	if (f->suspicious && COLS > 40)
		draw_plain(y, COLS - 32, " ! bidi/invisible characters ", 30,
			   draw_attr(t, PAIR_WARN, A_REVERSE | A_BOLD));
	strbuf_release(&sb);
}

static void note_text(struct strbuf *sb, const struct layout_block *b, const struct layout_file *f)
{
	char a[16], c[16];

	switch (b->note) {
	case NOTE_BINARY:
		strbuf_addf(sb, "Binary file: %llu -> %llu bytes", (unsigned long long)f->old_size,
			    (unsigned long long)f->new_size);
		break;
	case NOTE_MODE:
		strbuf_addf(sb, "Mode changed: %06o -> %06o%s", f->old_mode, f->new_mode,
			    f->new_mode == GIT_FILEMODE_BLOB_EXECUTABLE ? " (now executable)" : "");
		break;
	case NOTE_SUBMODULE:
		oid_short_id(a, sizeof(a), &f->old_id, SHORT_ID_LEN);
		oid_short_id(c, sizeof(c), &f->new_id, SHORT_ID_LEN);
		strbuf_addf(sb, "Submodule: %s -> %s", git_oid_is_zero(&f->old_id) ? "(none)" : a,
			    git_oid_is_zero(&f->new_id) ? "(none)" : c);
		break;
	case NOTE_RENAME:
		strbuf_addf(sb, "%s from %s (%u%% similar)", f->status == 'C' ? "Copied" : "Renamed",
			    f->old_path, f->similarity);
		break;
	default:
		strbuf_addstr(sb, f->status == 'D' ? "Deleted an empty file" : "Empty file");
		break;
	}
}

static void draw_layout_row(struct view *v, int y, const struct geometry *g, size_t row)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct strbuf sb = STRBUF_INIT;
	struct layout_row r;

	layout_row(&r, iv->layout, g->mode, row);
	switch (r.kind) {
	case ROW_FILE:
		draw_file_row(v, y, &iv->layout->files[r.file]);
		break;
	case ROW_NOTE:
		note_text(&sb, r.block, &iv->layout->files[r.file]);
		draw_plain(y, 0, "  ", 2, A_NORMAL);
		spans_layout(&t->spans, sb.buf, sb.len, NULL, 0, 0, (size_t)(COLS - 2), t->escape_flags);
		draw_spans(t, y, 2, &t->spans, A_BOLD, 0);
		break;
	case ROW_HUNK:
		strbuf_addf(&sb, "@@ -%u,%u +%u,%u @@", r.block->old_start, r.block->old_lines,
			    r.block->new_start, r.block->new_lines);
		draw_plain(y, 0, sb.buf, COLS, draw_attr(t, PAIR_HUNK, A_BOLD));
		break;
	case ROW_CONTEXT:
		if (g->mode == LAYOUT_SPLIT) {
			layout_side(v, &iv->left, r.left, NULL, 0, g->text);
			draw_side(v, y, 0, g, r.left, r.left->old_no, ' ', COLOR_PAIR_NONE, &iv->left);
			draw_side(v, y, g->pane + 1, g, r.right, r.right->new_no, ' ', COLOR_PAIR_NONE,
				  &iv->left);
		} else {
			char num[16];

			number(num, g->numw, r.left->old_no);
			draw_plain(y, 0, num, g->numw, A_NORMAL);
			layout_side(v, &iv->left, r.left, NULL, 0, g->text);
			draw_side(v, y, g->numw + 1, g, r.left, r.left->new_no, ' ', COLOR_PAIR_NONE, &iv->left);
		}
		break;
	case ROW_CHANGE:
		draw_change(v, y, g, &r);
		break;
	case ROW_DELETE:
	case ROW_ADD: {
		char num[16];
		int del = r.kind == ROW_DELETE;

		number(num, g->numw, del ? r.left->old_no : 0);
		draw_plain(y, 0, num, g->numw, A_NORMAL);
		layout_side(v, &iv->left, r.left, NULL, 0, g->text);
		draw_side(v, y, g->numw + 1, g, r.left, del ? 0 : r.left->new_no, del ? '-' : '+',
			  del ? PAIR_DELETED : PAIR_ADDED, &iv->left);
		break;
	}
	}
	if (g->mode == LAYOUT_SPLIT && (r.kind == ROW_CONTEXT || r.kind == ROW_CHANGE))
		draw_plain(y, g->pane, "|", 1, A_NORMAL);
	strbuf_release(&sb);
}

static void item_draw(struct view *v)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct geometry g;
	size_t total;
	int rows = tui_body_rows();

	if (iv->opened_in != t->queue)
		load(v);   /* the queue was reloaded: our index may point elsewhere now */
	g = geometry(iv);
	total = total_rows(iv, &g);
	v->lines = total;
	view_clamp(v);
	for (int r = 0; r < rows && v->top + (size_t)r < total; r++) {
		size_t row = v->top + (size_t)r;

		if (row < iv->header_nr) {
			const struct header_row *h = &iv->header[row];
			attr_t a = draw_attr(t, h->pair, h->attr);

			draw_text(t, 1 + r, 0, h->text, strlen(h->text), (size_t)COLS, a);
		} else {
			draw_layout_row(v, 1 + r, &g, row - iv->header_nr);
		}
	}
}

/* ---- actions ---- */

/* Puts a row of the layout at the top of the screen. */
static void jump(struct view *v, size_t layout_row_index)
{
	struct item_view *iv = v->data;

	v->top = iv->header_nr + layout_row_index;
}

static void find(struct view *v, const struct geometry *g, int direction, int files_only)
{
	struct item_view *iv = v->data;
	size_t rows = layout_rows(iv->layout, g->mode), at, found;

	if (!rows)
		return;
	if (v->top < iv->header_nr) {
		/* From the header, the first file or hunk is "next". */
		if (direction > 0)
			jump(v, 0);
		return;
	}
	at = v->top - iv->header_nr;
	found = layout_find(iv->layout, g->mode, at, direction, files_only);
	if (found != SIZE_MAX)
		jump(v, found);
	else if (direction < 0)
		v->top = 0;
}

static void show_item(struct view *v, long index)
{
	struct item_view *iv = v->data;

	iv->index = index;
	load(v);
}

static void decide(struct view *v, enum verdict verdict)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct item *it = current_item(v);
	long next;

	if (!it || tui_decide(t, it, verdict))
		return;
	next = tui_next_undecided(t, iv->index);
	if (next < 0) {
		tui_pop(t);   /* back to the queue, with the confirmation showing */
		return;
	}
	show_item(v, next);
}

static int item_handle(struct view *v, enum action a)
{
	struct item_view *iv = v->data;
	struct geometry g = geometry(iv);

	v->lines = total_rows(iv, &g);
	if (view_move(v, a))
		return 1;
	switch (a) {
	case ACTION_NEXT_HUNK: find(v, &g, 1, 0); break;
	case ACTION_PREV_HUNK: find(v, &g, -1, 0); break;
	case ACTION_NEXT_FILE: find(v, &g, 1, 1); break;
	case ACTION_PREV_FILE: find(v, &g, -1, 1); break;
	case ACTION_SCROLL_LEFT: iv->hscroll = iv->hscroll > HSCROLL_STEP ? iv->hscroll - HSCROLL_STEP : 0; break;
	case ACTION_SCROLL_RIGHT: iv->hscroll += HSCROLL_STEP; break;
	case ACTION_FILES: tui_push(v->tui, view_files_new(v->tui, v)); break;
	case ACTION_TOGGLE_SPLIT:
		if (v->top >= iv->header_nr)
			v->top = iv->header_nr + layout_convert_row(iv->layout, g.mode, v->top - iv->header_nr);
		iv->forced_mode = g.mode == LAYOUT_SPLIT ? LAYOUT_UNIFIED : LAYOUT_SPLIT;
		break;
	case ACTION_APPROVE: decide(v, VERDICT_APPROVE); break;
	case ACTION_REJECT: decide(v, VERDICT_REJECT); break;
	case ACTION_NEXT_ITEM:
		if ((size_t)iv->index + 1 < v->tui->queue->nr)
			show_item(v, iv->index + 1);
		break;
	case ACTION_PREV_ITEM:
		if (iv->index > 0)
			show_item(v, iv->index - 1);
		break;
	default:
		return 0;
	}
	return 1;
}

static void item_title(struct view *v, struct strbuf *out)
{
	struct item_view *iv = v->data;
	struct item *it = current_item(v);
	char id[16];

	if (!it)
		return;
	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	strbuf_addf(out, "%ld/%zu  %s  risk %d  %s  ", iv->index + 1, v->tui->queue->nr, id, it->risk,
		    item_status_name(it->status));
	strbuf_addstr(out, it->subject);
}

static void item_position(struct view *v, struct strbuf *out)
{
	struct item_view *iv = v->data;
	struct geometry g = geometry(iv);

	strbuf_addf(out, " %s  %zu/%zu", g.mode == LAYOUT_SPLIT ? "split" : "unified", v->top + 1,
		    total_rows(iv, &g));
	if (iv->hscroll)
		strbuf_addf(out, "  +%zu cols", iv->hscroll);
}

static void item_release(struct view *v)
{
	struct item_view *iv = v->data;

	clear_content(iv);
	free(iv->header);
	spans_release(&iv->left);
	spans_release(&iv->right);
}

static const struct view_ops item_ops = {
	"item", sizeof(struct item_view), VIEW_SCROLL, item_draw, item_handle, item_title,
	item_position, item_release,
};

struct view *view_item_new(struct tui *t, long index)
{
	struct view *v = view_new(t, &item_ops);
	struct item_view *iv = v->data;

	iv->index = index;
	iv->forced_mode = -1;
	strbuf_init(&iv->left.text, 0);
	strbuf_init(&iv->right.text, 0);
	load(v);
	return v;
}

const struct layout *view_item_layout(struct view *item)
{
	return ((struct item_view *)item->data)->layout;
}

void view_item_jump_to_file(struct view *item, size_t file)
{
	struct item_view *iv = item->data;
	struct geometry g = geometry(iv);

	jump(item, layout_file_row(iv->layout, g.mode, file));
}
