/*
 * view_item.c: one item: its header (author, AI markers, risk and every
 * reason, decisions, message, files) above its diff, side by side (old
 * left, new right) or unified.  Only the rows on screen are laid out.
 *
 * The layout is opened with its files listed and none diffed
 * (show/layout.h); a file is diffed when it comes on screen (a screen
 * ahead and behind are diffed too, so that moving is exact), when a risk
 * reason, a comment or the AI note points into it, when the file list's
 * row of it is on screen, or for a search, which diffs them all.
 *
 * Nothing is hidden: header rows fold at the screen's width; a diff line
 * cut by an edge shows '<' or '>' there; until the reviewer scrolls, a
 * changed pair starts where it changes; the wrap mode (w, revq.wrap)
 * folds long lines instead.  / and ? search every file's lines.
 *
 * Review comments (decide/comments.h) show under the line they are on,
 * placed by the line's content (show/anchor.h); general and outdated ones
 * in the header.  c, C, e and x write them through comment_write(), the
 * code path of `revq comment`.  v marks a file viewed (show/viewed.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "decide/comments.h"
#include "git/notes.h"
#include "judge/ainotes.h"
#include "show/anchor.h"
#include "show/format.h"
#include "show/layout.h"
#include "show/viewed.h"
#include "show/worddiff.h"
#include "decide/series.h"
#include "decide/versions.h"
#include "show/earlier.h"
#include "tui.h"

#define HSCROLL_STEP 8
#define MIN_PANE_TEXT 30
#define MESSAGE_FOLD 12    /* messages longer than this many lines fold... */
#define MESSAGE_SHOWN 8    /* ...after this many */
#define FIRST_CHANGE_SCAN 4096   /* bytes compared to find where a pair starts to differ */

struct header_row {
	char *text;        /* owned; may hold untrusted text, escaped when drawn */
	attr_t attr;
	enum tui_color pair;
	size_t target;     /* a risk reason's line (into layout->lines) for Enter, or SIZE_MAX */
	long commit;       /* a series' commit row: the queue item Enter opens, or -1 */
	size_t file;       /* a file row (into layout->files), or SIZE_MAX */
	int stale;         /* a file row written before its file was diffed */
};

/* One screen row of the folded header: which header row, from where. */
struct folded_row {
	size_t header;
	struct spans_at at;
};

/* One match of the search: a line of the layout and the byte it starts at. */
struct match {
	size_t line;
	uint32_t start, len;
};

struct item_view {
	long index;                  /* into the queue (for a series, its lead) */
	long unit;                   /* the series shown (into tui->units), or -1: one commit */
	struct layout *layout;       /* owned */
	struct header_row *header;   /* owned */
	size_t header_nr, header_alloc;
	struct folded_row *folded;   /* owned: the header at folded_cols columns */
	size_t folded_nr, folded_alloc;
	int folded_cols;             /* 0: to be folded again */
	int forced_mode;             /* -1: by terminal width */
	size_t hscroll;
	int hscrolled;               /* the reviewer scrolled: no automatic position per pair */
	int wrap;                    /* fold long diff lines instead of cutting them */
	int ignore_space;            /* whitespace-only changes hidden (W) */
	int full_diff;               /* a new version shows its full diff, not the interdiff (I) */
	struct strvec earlier;       /* owned: header rows about the earlier version, when there is one */
	int whole_message;           /* a long commit message unfolded (m) */
	size_t shown_rows;           /* wrap: rows of the view that began on the last screen */
	struct spans left, right;    /* scratch */
	const struct queue *opened_in;
	unsigned ai_lines;           /* added lines marked 'A': an AI session wrote them (refs/notes/ai) */
	char *search;                /* owned: the last search, or NULL */
	struct match *matches;       /* owned: every match, in the layout's order */
	size_t matches_nr, matches_alloc;
	size_t match_at;             /* the match last jumped to */
	size_t match_top;            /* v->top after that jump; SIZE_MAX when moved since */
	size_t *risky;               /* owned: sorted indices of the lines risk reasons point at */
	size_t risky_nr, risky_alloc;
	struct comment_set comments; /* owned: the item's comments, replies and resolutions */
	struct comment_map placed;   /* owned: where they sit in the layout */
	struct comment_index *comment_index; /* owned: the notes' comment lines, read once per notes tip */
	size_t comment_sel;          /* the entry of placed.v last jumped to (> <) */
	size_t comment_top;          /* v->top after that jump; SIZE_MAX when moved since */
	struct viewed viewed;        /* owned: the reviewer's viewed marks on the layout's files */
	char *reviewer;              /* owned: the reviewer's address, whose marks these are */
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
	iv->header[iv->header_nr].target = SIZE_MAX;
	iv->header[iv->header_nr].commit = -1;
	iv->header[iv->header_nr].file = SIZE_MAX;
	iv->header[iv->header_nr].stale = 0;
	iv->header[iv->header_nr++].pair = pair;
}

/* A long message folds after MESSAGE_SHOWN lines until m unfolds it. */
static void add_message(struct item_view *iv, const git_commit *commit)
{
	char *message = item_message_utf8(commit);
	struct lines it = LINES_INIT(message, strlen(message));
	const char *p;
	size_t n, total = 0, shown = 0;

	while (lines_next(&it, &p, &n))
		total++;
	it = (struct lines)LINES_INIT(message, strlen(message));
	while (lines_next(&it, &p, &n)) {
		if (!iv->whole_message && total > MESSAGE_FOLD && shown == MESSAGE_SHOWN) {
			add_row(iv, A_BOLD, COLOR_PAIR_NONE, "    ... %zu more lines (m: the whole message)",
				total - shown);
			break;
		}
		add_row(iv, p == message ? A_BOLD : A_NORMAL, COLOR_PAIR_NONE, "    %.*s", (int)n, p);
		shown++;
	}
	free(message);
}

static void add_decisions(struct item_view *iv, struct tui *t, const struct item *it)
{
	struct review *review = tui_review_of(t, iv->index);
	struct evaluation ev;
	char when[32];

	if (!review || review_evaluate(&ev, review, it)) {
		if (it->status == ITEM_UNKNOWN && it->status_detail)   /* "unknown: policy error: ..." */
			add_row(iv, A_BOLD, PAIR_HIGH, "Status:  %s", it->status_detail);
		else
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

/* Comments the diff does not show inline: general ones, outdated ones, and their answers. */
static void add_comments(struct item_view *iv)
{
	struct strbuf sb = STRBUF_INIT;
	const struct comment_set *set = &iv->comments;

	if (!set->nr)
		return;
	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Comments: %zu, %zu unresolved%s%zu outdated  (>/<: next/previous on a line, "
		"c/C: comment, e: reply, x: resolve)", set->nr, comments_unresolved(set), ", ", iv->placed.outdated);
	for (size_t i = 0; i < set->nr; i++) {
		if (iv->placed.line_of[i] != SIZE_MAX)
			continue;   /* shown under its line */
		strbuf_reset(&sb);
		strbuf_addstr(&sb, set->v[i].record.kind == COMMENT_NEW ? "    " : "      ");
		comment_describe_anchor(&sb, set, i);
		if (comment_is_outdated(&iv->placed, set, i))
			strbuf_addstr(&sb, " (outdated)");
		strbuf_addstr(&sb, ": ");
		comment_describe(&sb, set, i);
		add_row(iv, set->v[i].resolved ? A_NORMAL : A_BOLD, set->v[i].verified ? COLOR_PAIR_NONE : PAIR_WARN,
			"%s", sb.buf);
	}
	strbuf_release(&sb);
}

/* The text of file i's row in the header; its +/- once it is diffed (blank until then). */
static char *file_row_text(const struct item_view *iv, size_t i)
{
	const struct layout_file *f = &iv->layout->files[i];
	struct strbuf sb = STRBUF_INIT;
	char stat[32] = "";

	if (f->loaded)
		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
	strbuf_addf(&sb, "  %c %c %-12s ", i < iv->viewed.nr && iv->viewed.marks[i] ? 'v' : ' ', f->status, stat);
	format_file_path(&sb, f->status, f->old_path, f->new_path);
	if (f->suspicious)
		strbuf_addstr(&sb, "  ! bidi/invisible characters");
	return strbuf_detach(&sb, NULL);
}

/* A row per file of the layout, its +/- filled in when it comes on screen (fill_file_rows()). */
static void add_file_rows(struct item_view *iv)
{
	const struct layout *l = iv->layout;

	for (size_t i = 0; i < l->files_nr; i++) {
		char *text = file_row_text(iv, i);

		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", text);
		iv->header[iv->header_nr - 1].file = i;
		iv->header[iv->header_nr - 1].stale = !l->files[i].loaded;
		free(text);
	}
}

static void add_files(struct item_view *iv, const struct item *it)
{
	const struct layout *l = iv->layout;

	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Files:   %zu changed, +%u -%u, %zu/%zu files viewed  (f: jump to a file, "
		"]/[ next/previous, v: viewed, V: next unviewed)", l->files_nr, it->added, it->deleted, iv->viewed.count,
		l->files_nr);
	add_file_rows(iv);
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

static size_t reason_line(struct layout *l, const char *key);

static void build_header(struct item_view *iv, struct tui *t, const struct item *it,
			 const git_commit *commit)
{
	char hex[GIT_OID_HEXSZ + 1], date[40], age[16];

	add_row(iv, A_BOLD, PAIR_FILE, "commit %s", git_oid_tostr(hex, sizeof(hex), &it->id));
	format_iso_date(date, sizeof(date), it->author_time, it->author_offset);
	/* The age of the date shown, not of another one. */
	format_age(age, sizeof(age), t->queue->now - it->author_time);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Author:  %s <%s>, %s (%s ago)", it->author_name,
		it->author_email, date, age);
	if (it->refs.nr) {
		char *refs = strvec_join(&it->refs, ", ");

		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Refs:    %s", refs);
		free(refs);
	}
	if (git_commit_parentcount(commit) > 1)
		add_merge(iv, commit);
	for (size_t i = 0; i < iv->earlier.nr; i++)
		add_row(iv, i ? A_NORMAL : A_BOLD, i ? COLOR_PAIR_NONE : PAIR_MEDIUM, "%s", iv->earlier.v[i]);
	add_decisions(iv, t, it);
	add_comments(iv);
	for (size_t i = 0; i < it->markers.nr; i++)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s %s", i ? "        " : "AI:     ", it->markers.v[i]);
	add_row(iv, A_BOLD, risk_pairs[format_risk_band(it->risk)],
		"Risk:    %d/100, priority %d", it->risk, it->priority);
	for (size_t i = 0; i < it->reasons.nr; i++) {
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "    %s", it->reasons.v[i]);
		if (i < it->reason_keys.nr)
			iv->header[iv->header_nr - 1].target = reason_line(iv->layout, it->reason_keys.v[i]);
	}
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
	add_message(iv, commit);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
	add_files(iv, it);
	if (iv->layout && iv->layout->renames_limited)
		add_row(iv, A_BOLD, PAIR_MEDIUM, "Renames: exact only: more files than diff.renameLimit (%d) "
			"allows comparing, as git does; a moved and edited file shows as deleted and added",
			iv->layout->rename_limit);
	if (iv->ai_lines)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "AI lines: %u added line%s marked A in the gutter, "
			"written by an AI session (%s)", iv->ai_lines, iv->ai_lines == 1 ? "" : "s", AINOTES_REF);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
}

#define FOLD_INDENT 4

/* Folds the header at the screen's width (again after a resize). */
static void fold_header(struct item_view *iv, struct tui *t)
{
	size_t width = COLS > 2 * FOLD_INDENT ? (size_t)COLS : 2 * FOLD_INDENT;

	if (iv->folded_cols == COLS)
		return;
	iv->folded_nr = 0;
	for (size_t i = 0; i < iv->header_nr; i++) {
		const char *text = iv->header[i].text;
		size_t len = strlen(text);
		struct spans_at at = { 0, 0 };

		do {
			ALLOC_GROW(iv->folded, iv->folded_nr + 1, iv->folded_alloc);
			iv->folded[iv->folded_nr].header = i;
			iv->folded[iv->folded_nr++].at = at;
			spans_layout_from(&t->spans, text, len, NULL, 0, &at,
					  at.byte ? width - FOLD_INDENT : width, t->escape_flags);
		} while (at.byte < len);
	}
	iv->folded_cols = COLS;
}

static void draw_header_row(struct view *v, int y, const struct folded_row *f, int enter_target)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	const struct header_row *h = &iv->header[f->header];
	struct spans_at at = f->at;
	int indent = at.byte ? FOLD_INDENT : 0;

	spans_layout_from(&t->spans, h->text, strlen(h->text), NULL, 0, &at, (size_t)(COLS - indent),
			  t->escape_flags);
	draw_spans(t, y, indent, &t->spans, draw_attr(t, h->pair, h->attr) | (enter_target ? A_REVERSE : 0), 0);
	if (enter_target && indent + (int)t->spans.width + 12 < COLS)
		draw_plain(y, indent + (int)t->spans.width, "  (Enter: go)", 13, A_BOLD);
}

/* The first folded header row on screen whose risk reason Enter goes to, or SIZE_MAX. */
static size_t enter_target_row(const struct view *v)
{
	const struct item_view *iv = v->data;
	size_t rows = (size_t)tui_body_rows();

	for (size_t r = v->top; r < iv->folded_nr && r < v->top + rows; r++)
		if (!iv->folded[r].at.byte && (iv->header[iv->folded[r].header].target != SIZE_MAX ||
					       iv->header[iv->folded[r].header].commit >= 0))
			return r;
	return SIZE_MAX;
}

static void clear_search(struct item_view *iv)
{
	iv->matches_nr = 0;
	iv->match_at = 0;
	iv->match_top = SIZE_MAX;
}

static void clear_content(struct item_view *iv)
{
	for (size_t i = 0; i < iv->header_nr; i++)
		free(iv->header[i].text);
	iv->header_nr = 0;
	iv->folded_cols = 0;
	clear_search(iv);
	comment_map_release(&iv->placed);
	comment_set_release(&iv->comments);
	viewed_release(&iv->viewed);
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
	if (notes_load(&notes, tui_session_of(t, iv->index)->repo->git, AINOTES_REF)) {
		error_clear();
		return;
	}
	if (!notes_read(&text, notes, git_commit_id(commit)) && !ainote_parse(&note, text.buf, text.len)) {
		/* The files the note names are diffed now: the header counts their marked lines. */
		for (size_t i = 0; i < note.files_nr; i++)
			layout_load_path(iv->layout, note.files[i].path);
		layout_keep_ai(iv->layout, &note);
		for (size_t i = 0; i < iv->layout->lines_nr; i++)
			iv->ai_lines += !!(iv->layout->lines[i].flags & LINE_AI);
		ainote_release(&note);
	}
	strbuf_release(&text);
	notes_free(notes);
}

/* A line and its place in the diff, for sorting lines by where they are shown. */
struct placed_line {
	size_t row, line;
};

static int cmp_placed(const void *a, const void *b)
{
	const struct placed_line *x = a, *y = b;

	return x->row < y->row ? -1 : x->row > y->row ? 1 : (x->line > y->line) - (x->line < y->line);
}

/* Sorts lines (indices into l->lines) in the diff's order: the order of loading is another. */
static void sort_by_place(const struct layout *l, size_t *lines, size_t nr)
{
	struct placed_line *p;

	if (!nr)
		return;
	p = xmalloc(nr * sizeof(*p));
	for (size_t i = 0; i < nr; i++) {
		p[i].line = lines[i];
		p[i].row = layout_line_row(l, LAYOUT_UNIFIED, lines[i]);
	}
	qsort(p, nr, sizeof(*p), cmp_placed);
	for (size_t i = 0; i < nr; i++)
		lines[i] = p[i].line;
	free(p);
}

/* The line a risk reason's key ("signal\tline\tpath") points at, or SIZE_MAX; its file is diffed. */
static size_t reason_line(struct layout *l, const char *key)
{
	const char *tab = strchr(key, '\t'), *path;
	unsigned long no;

	if (!tab)
		return SIZE_MAX;
	no = strtoul(tab + 1, NULL, 10);
	path = strchr(tab + 1, '\t');
	if (!no || !path || !path[1])
		return SIZE_MAX;
	layout_load_path(l, path + 1);
	return anchor_line_at(l, path + 1, SIDE_NEW, (uint32_t)no);
}

/* The lines behind the item's risk reasons, for the gutter and !. */
static void find_risky_lines(struct item_view *iv, const struct item *it)
{
	iv->risky_nr = 0;
	for (size_t i = 0; i < it->reason_keys.nr; i++) {
		size_t line = reason_line(iv->layout, it->reason_keys.v[i]);

		if (line == SIZE_MAX)
			continue;
		ALLOC_GROW(iv->risky, iv->risky_nr + 1, iv->risky_alloc);
		iv->risky[iv->risky_nr++] = line;
	}
	sort_by_place(iv->layout, iv->risky, iv->risky_nr);
}

static const struct unit *current_unit(const struct view *v);

/* The series an item view shows (review_series()), or NULL: one commit, or it cannot be read. */
static const struct series *shown_series(struct item_view *iv, struct tui *t)
{
	struct review *review = tui_review_of(t, iv->index);
	const struct series *s = NULL;

	if (iv->unit < 0 || (size_t)iv->unit >= t->units.nr || !review ||
	    review_series(&s, review, &t->units.v[iv->unit].base, &t->units.v[iv->unit].tip)) {
		error_clear();
		s = NULL;
	}
	return s;
}

/* The item's (or series') comments, placed on its layout (none when decisions are unavailable). */
static void load_comments(struct item_view *iv, struct tui *t, const struct item *it)
{
	struct review *review = tui_review_of(t, iv->index);
	const struct series *series = shown_series(iv, t);
	int rc = 0;

	comment_map_release(&iv->placed);
	comment_set_release(&iv->comments);
	iv->comment_top = SIZE_MAX;
	if (review && series)
		rc = comments_load_series(&iv->comments, &iv->comment_index, review, series);
	else if (review && it && iv->unit < 0)
		rc = comments_load(&iv->comments, &iv->comment_index, review, &it->id);
	if (rc)
		error_clear();
	for (size_t i = 0; i < iv->comments.nr; i++)
		layout_load_path(iv->layout, iv->comments.v[i].record.path);   /* to place them */
	comment_map_build(&iv->placed, iv->layout, &iv->comments);
}

/* Builds the header again (the diff stays): after m. */
static void rebuild_header(struct view *v)
{
	struct item_view *iv = v->data;
	struct item *it = current_item(v);
	git_commit *commit;

	size_t before = iv->folded_nr;

	if (iv->unit >= 0 || !it ||
	    git_commit_lookup(&commit, tui_session_of(v->tui, iv->index)->repo->git, &it->id))
		return;   /* a series has no one message to unfold */
	for (size_t i = 0; i < iv->header_nr; i++)
		free(iv->header[i].text);
	iv->header_nr = 0;
	iv->folded_cols = 0;
	build_header(iv, v->tui, it, commit);
	git_commit_free(commit);
	fold_header(iv, v->tui);
	if (v->top >= before)
		v->top = v->top - before + iv->folded_nr;   /* the same diff row stays on top */
	iv->match_top = SIZE_MAX;
}

static void load_series(struct view *v);

/*
 * A new version (decide/versions.h) opens on its interdiff unless the
 * reviewer asked for the full diff (I); its header says so.  1 when
 * iv->layout is the interdiff.
 */
static int load_interdiff(struct item_view *iv, struct tui *t, struct item *it)
{
	struct review *review = tui_review_of(t, iv->index);
	struct earlier e;
	struct strbuf line = STRBUF_INIT;
	int shown = 0;

	strvec_clear(&iv->earlier);
	if (!it->has_earlier || !review)
		return 0;
	if (versions_earlier(&e, review, it, &it->refs)) {
		tui_message(t, 1, "the earlier version is not shown: %s", error_last());
		return 0;
	}
	if (e.found) {
		strbuf_addstr(&line, "Version: ");
		earlier_sentence(&line, &e, t->queue->now, 0);
		strvec_push(&iv->earlier, line.buf);
		if (!iv->full_diff && e.diff.diff &&
		    !layout_load_diff(&iv->layout, e.diff.diff, e.diff.scratch,
				      iv->ignore_space ? LAYOUT_IGNORE_WHITESPACE : 0))
			shown = 1;
		strvec_pushf(&iv->earlier, "Diff:    %s (I: %s)", shown ? "the interdiff" : "the full diff",
			     shown ? "the full diff" : "the interdiff");
		if (shown)
			strvec_pushf(&iv->earlier, "         %s%s", earlier_diff_basis(&e),
				     iv->layout->files_nr ? "" : "; nothing changed");
	}
	earlier_release(&e);
	strbuf_release(&line);
	return shown;
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
	iv->hscrolled = 0;
	iv->opened_in = t->queue;
	if (iv->unit >= 0) {
		load_series(v);
		return;
	}
	if (!it)
		return;
	tui_mark_opened(t, iv->index);
	if (git_commit_lookup(&commit, tui_session_of(t, iv->index)->repo->git, &it->id)) {
		add_row(iv, A_BOLD, PAIR_ERROR, "cannot read commit: %s", git_error_last() ?
			git_error_last()->message : "unknown error");
		return;
	}
	if (!load_interdiff(iv, t, it) &&
	    layout_open(&iv->layout, tui_session_of(t, iv->index)->repo->git, commit,
			iv->ignore_space ? LAYOUT_IGNORE_WHITESPACE : 0)) {
		tui_message(t, 1, "cannot show the diff: %s", error_last());
		iv->layout = NULL;
	}
	if (!iv->layout)
		iv->layout = xcalloc(1, sizeof(*iv->layout));
	mark_ai_lines(iv, t, commit);
	find_risky_lines(iv, it);
	load_comments(iv, t, it);
	viewed_load(&iv->viewed, tui_session_of(t, iv->index)->cache, iv->reviewer, iv->layout);
	build_header(iv, t, it, commit);
	git_commit_free(commit);
}

/*
 * ---- a series as one item (show/units.h, decide/series.h) ----
 *
 * Its header says which branch and commits it is, what the whole of it
 * needs (and which commit raised it), and lists the commits to review,
 * numbered: 1-9 (or Enter on the row) open one.  Its diff is the
 * combined one, from the base's tree to the tip's.
 */

static const struct unit *current_unit(const struct view *v)
{
	const struct item_view *iv = v->data;
	const struct units *u = &v->tui->units;

	return iv->unit >= 0 && (size_t)iv->unit < u->nr ? &u->v[iv->unit] : NULL;
}

/* The series' requirement, and who raised it, as verify will judge a series approval. */
static void add_series_needs(struct item_view *iv, struct tui *t, const struct unit *u)
{
	struct review *review = tui_review_of(t, iv->index);
	const struct series *s;
	struct requirement req;
	struct strbuf needs = STRBUF_INIT;

	if (!review || review_series(&s, review, &u->base, &u->tip)) {
		error_clear();
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "Needs:   (not available)");
		return;
	}
	series_requirement(&req, review, s);
	requirement_describe(&needs, &req);
	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Needs:   %s for the whole series (an author of any commit is self)",
		needs.buf);
	for (size_t i = 0; i < req.why.nr; i++)
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "    %s", req.why.v[i]);
	add_row(iv, A_BOLD, risk_pairs[format_risk_band(s->risk)], "Risk:    %d/100, its riskiest commit's",
		s->risk);
	requirement_release(&req);
	strbuf_release(&needs);
}

static void build_series_header(struct item_view *iv, struct tui *t, const struct unit *u)
{
	const struct queue *q = t->queue;
	char base[16], tip[16], id[16];
	size_t approved = 0;

	oid_short_id(base, sizeof(base), &u->base, SHORT_ID_LEN);
	oid_short_id(tip, sizeof(tip), &u->tip, SHORT_ID_LEN);
	add_row(iv, A_BOLD, PAIR_FILE, "series %s  %s..%s", u->ref, base, tip);
	for (size_t m = 0; m < u->members_nr; m++)
		approved += q->items[u->members[m]]->status == ITEM_APPROVED;
	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Commits: %zu in the series, %zu to review, %zu approved  "
		"(1-9 or Enter: open one; a/r: decide on all of it)", u->commits, u->members_nr, approved);
	for (size_t m = 0; m < u->members_nr; m++) {
		const struct item *it = q->items[u->members[m]];

		oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
		add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "  %2zu %s %-9s %3d  %s", m + 1, id, item_status_name(it->status),
			it->risk, it->subject);
		iv->header[iv->header_nr - 1].commit = (long)u->members[m];
	}
	add_series_needs(iv, t, u);
	add_comments(iv);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
	/* The combined diff is diffed file by file as it comes on screen: no total before the last. */
	add_row(iv, A_BOLD, COLOR_PAIR_NONE, "Files:   %zu changed  combined, %s..%s, each file's +/- once it is "
		"diffed  (f: jump to a file, ]/[ next/previous)", iv->layout->files_nr, base, tip);
	add_file_rows(iv);
	add_row(iv, A_NORMAL, COLOR_PAIR_NONE, "%s", "");
}

static void load_series(struct view *v)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	const struct unit *u = current_unit(v);

	if (!u) {
		add_row(iv, A_BOLD, PAIR_ERROR, "the series is gone (the queue was reloaded): q to go back");
		iv->layout = xcalloc(1, sizeof(*iv->layout));
		return;
	}
	if (layout_open_range(&iv->layout, tui_session_of(t, iv->index)->repo->git, &u->base, &u->tip,
			      iv->ignore_space ? LAYOUT_IGNORE_WHITESPACE : 0)) {
		tui_message(t, 1, "cannot show the series' diff: %s", error_last());
		iv->layout = NULL;
	}
	if (!iv->layout)
		iv->layout = xcalloc(1, sizeof(*iv->layout));
	iv->risky_nr = 0;
	iv->ai_lines = 0;
	load_comments(iv, t, current_item(v));
	build_series_header(iv, t, u);
}

/* 1-9: open that commit of the series (its own item view, above this one). */
static void open_commit(struct view *v, size_t number)
{
	const struct unit *u = current_unit(v);

	if (!u) {
		tui_message(v->tui, 0, "1-9 open a commit of a series; this item is one commit");
		return;
	}
	if (number < 1 || number > u->members_nr) {
		tui_message(v->tui, 0, "the series has %zu commit%s to review", u->members_nr,
			    u->members_nr == 1 ? "" : "s");
		return;
	}
	tui_mark_opened(v->tui, (long)u->members[number - 1]);
	tui_push(v->tui, view_item_new(v->tui, (long)u->members[number - 1]));
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
	return iv->folded_nr + layout_rows(iv->layout, g->mode);
}

/* ---- drawing diff rows ---- */

static void number(char *buf, int width, uint32_t n)
{
	if (n)
		snprintf(buf, (size_t)width + 1, "%*u", width, n);
	else
		snprintf(buf, (size_t)width + 1, "%*s", width, "");
}

/* 1 when a risk reason points at the line. */
static int is_risky(const struct item_view *iv, const struct layout_line *line)
{
	size_t index = (size_t)(line - iv->layout->lines);

	/* A few lines, one per risk reason, in the diff's order (not the lines' order): a scan. */
	for (size_t i = 0; i < iv->risky_nr; i++)
		if (iv->risky[i] == index)
			return 1;
	return 0;
}

static char gutter_char(const struct item_view *iv, const struct layout_line *line, char mark)
{
	if (line && ((line->flags & LINE_SUSPICIOUS) || is_risky(iv, line)))
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

/*
 * What one pane of a row shows: a line with its number(s) and gutter
 * mark; in split mode a row has two panes, in unified mode one.
 */
struct pane {
	int x;                           /* first column */
	const struct layout_line *line;  /* or NULL: an empty pane */
	int two_numbers;                 /* unified: old and new numbers */
	uint32_t old_no, no;
	char mark;
	enum tui_color pair;
	const struct byte_range *hl;     /* word changes, not owned */
	size_t hl_nr;
	size_t scroll;                   /* cut mode: the first column shown */
	struct spans_at at;              /* wrap mode: where the next screen row starts */
	size_t shown_from;               /* the line's first column on the row laid out last */
	struct spans *sp;                /* scratch, not owned */
};

/* Lays out the pane's next screen row; 0 when a folded line has nothing left. */
static int layout_pane(struct view *v, const struct geometry *g, struct pane *p, int first)
{
	struct item_view *iv = v->data;
	const char *text;

	if (!p->line)
		return 0;
	text = layout_text(iv->layout, p->line);
	p->shown_from = iv->wrap ? p->at.column : p->scroll;
	if (!iv->wrap) {
		spans_layout_marked(p->sp, text, p->line->len, p->hl, p->hl_nr, p->scroll, (size_t)g->text,
				    v->tui->escape_flags);
		return 1;
	}
	if (!first && p->at.byte >= p->line->len)
		return 0;
	spans_layout_from(p->sp, text, p->line->len, p->hl, p->hl_nr, &p->at, (size_t)g->text,
			  v->tui->escape_flags);
	return 1;
}

/* The first match on line (an index into the layout's lines), or matches_nr: they are in line order. */
static size_t first_match_on(const struct item_view *iv, size_t line)
{
	size_t lo = 0, hi = iv->matches_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (iv->matches[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Marks the search's matches within the pane's row as laid out (text
 * from column x on screen, the line's columns from p->shown_from, width
 * columns): underlined and reversed, the match last jumped to also bold.
 * Only the attributes change (chgat): the text stays what spans made safe.
 */
static void mark_matches(struct view *v, int y, int x, const struct geometry *g, const struct pane *p)
{
	struct item_view *iv = v->data;
	size_t line = (size_t)(p->line - iv->layout->lines), width = (size_t)g->text;
	const char *text = layout_text(iv->layout, p->line);
	unsigned tab = v->tui->tabwidth, flags = v->tui->escape_flags;

	for (size_t m = first_match_on(iv, line); m < iv->matches_nr && iv->matches[m].line == line; m++) {
		const struct match *mt = &iv->matches[m];
		size_t from, to;

		if (mt->start > FIRST_CHANGE_SCAN)
			break;   /* a keystroke's cost stays bounded on a minified line */
		from = spans_column(text, p->line->len, mt->start, tab, flags);
		if (from >= p->shown_from + width)
			break;
		to = spans_column(text, p->line->len, mt->start + mt->len, tab, flags);
		if (to <= p->shown_from)
			continue;
		from = from < p->shown_from ? p->shown_from : from;
		to = to > p->shown_from + width ? p->shown_from + width : to;
		mvchgat(y, x + (int)(from - p->shown_from), (int)(to - from),
			A_UNDERLINE | A_REVERSE | (m == iv->match_at ? A_BOLD : 0), 0, NULL);
	}
}

/* Paints a pane laid out by layout_pane() (or, with laid 0, its numbers only on the first row). */
static void draw_pane(struct view *v, int y, const struct geometry *g, const struct pane *p, int first,
		      int laid)
{
	struct tui *t = v->tui;
	attr_t text_attr = p->mark == ' ' ? A_NORMAL : draw_attr(t, p->pair, A_NORMAL);
	char num[16], gut[2] = { 0, 0 };
	int x = p->x;

	if (p->two_numbers) {
		number(num, g->numw, first ? p->old_no : 0);
		draw_plain(y, x, num, g->numw, A_NORMAL);
		x += g->numw + 1;
	}
	number(num, g->numw, first && p->line ? p->no : 0);
	draw_plain(y, x, num, g->numw, A_NORMAL);
	gut[0] = first ? gutter_char(v->data, p->line, p->line ? p->mark : ' ') : p->line && laid ? p->mark : ' ';
	draw_plain(y, x + g->numw, gut, 1, gut[0] == '!' ? draw_attr(t, PAIR_WARN, A_REVERSE | A_BOLD)
							  : draw_attr(t, p->pair, A_BOLD));
	if (laid)
		draw_spans(t, y, x + g->numw + 1, p->sp, text_attr, A_REVERSE | A_BOLD);
	if (laid && p->line && ((struct item_view *)v->data)->matches_nr)
		mark_matches(v, y, x + g->numw + 1, g, p);
}

/*
 * Paints the panes of one row from screen row y, at most max_rows screen
 * rows (folded lines take several); returns the screen rows taken.  With
 * paint 0 only counts them.
 */
static int draw_panes(struct view *v, int y, const struct geometry *g, struct pane *panes, int n,
		      int max_rows, int paint, int divider)
{
	int used = 0;

	for (;;) {
		int laid[2], any = 0;

		for (int i = 0; i < n; i++)
			any |= laid[i] = layout_pane(v, g, &panes[i], !used);
		if (!any && used)
			break;
		if (paint) {
			for (int i = 0; i < n; i++)
				draw_pane(v, y + used, g, &panes[i], !used, laid[i]);
			if (divider)
				draw_plain(y + used, g->pane, "|", 1, A_NORMAL);
		}
		used++;
		if (used >= max_rows || !any || !((struct item_view *)v->data)->wrap)
			break;
	}
	return used;
}

/* The column where a changed pair first differs (the end of their common prefix). */
static size_t first_change_column(const struct view *v, const struct layout_line *old_line,
				  const struct layout_line *new_line)
{
	const struct item_view *iv = v->data;
	const char *a = layout_text(iv->layout, old_line), *b = layout_text(iv->layout, new_line);
	size_t n = old_line->len < new_line->len ? old_line->len : new_line->len, i = 0;

	if (n > FIRST_CHANGE_SCAN)
		n = FIRST_CHANGE_SCAN;   /* a keystroke's cost stays bounded on a minified line */

	while (i < n && a[i] == b[i])
		i++;
	while (i && i < new_line->len && ((unsigned char)b[i] & 0xc0) == 0x80)
		i--;   /* back to the start of the character that differs */
	return spans_column(b, new_line->len, i, v->tui->tabwidth, v->tui->escape_flags);
}

/*
 * The first column a pane shows: where the reviewer scrolled to, or, until
 * then, for a changed pair whose change lies beyond the pane's width, a
 * position that shows the change a third of the way in.
 */
static size_t pane_scroll(const struct view *v, const struct geometry *g,
			  const struct layout_line *old_line, const struct layout_line *new_line)
{
	const struct item_view *iv = v->data;
	size_t column, width = (size_t)g->text;

	if (iv->hscrolled || !old_line || !new_line)
		return iv->hscroll;
	column = first_change_column(v, old_line, new_line);
	if (column + 2 < width)
		return 0;
	return column - width / 3;
}

/* The pair of a unified deletion or addition: the line on the other side, or NULL. */
static const struct layout_line *unified_pair(const struct item_view *iv, const struct layout_row *r)
{
	const struct layout_block *b = r->block;
	size_t k = (size_t)(r->left - &iv->layout->lines[b->first_line]);

	if (r->kind == ROW_DELETE)
		return k < b->added ? &iv->layout->lines[b->first_line + b->deleted + k] : NULL;
	return k - b->deleted < b->deleted ? &iv->layout->lines[b->first_line + (k - b->deleted)] : NULL;
}

static void pane_init(struct pane *p, int x, const struct layout_line *line, uint32_t no, char mark,
		      enum tui_color pair, struct spans *sp)
{
	memset(p, 0, sizeof(*p));
	p->x = x;
	p->line = line;
	p->no = no;
	p->mark = line ? mark : ' ';
	p->pair = pair;
	p->sp = sp;
}

/* Split: a deletion on the left, its addition on the right, words marked. */
static int draw_change(struct view *v, int y, const struct geometry *g, const struct layout_row *r,
		       int max_rows, int paint)
{
	struct item_view *iv = v->data;
	struct worddiff wd;
	struct pane p[2];
	int words = 0, used;
	size_t scroll = pane_scroll(v, g, r->left, r->right);

	memset(&wd, 0, sizeof(wd));
	if (paint && r->left && r->right &&
	    !worddiff_compute(&wd, layout_text(iv->layout, r->left), r->left->len,
			      layout_text(iv->layout, r->right), r->right->len))
		words = worth_highlighting(&wd, r->left->len, r->right->len);
	pane_init(&p[0], 0, r->left, r->left ? r->left->old_no : 0, '-', PAIR_DELETED, &iv->left);
	pane_init(&p[1], g->pane + 1, r->right, r->right ? r->right->new_no : 0, '+', PAIR_ADDED, &iv->right);
	if (words) {
		p[0].hl = wd.old_changed;
		p[0].hl_nr = wd.old_nr;
		p[1].hl = wd.new_changed;
		p[1].hl_nr = wd.new_nr;
	}
	p[0].scroll = p[1].scroll = scroll;
	used = draw_panes(v, y, g, p, 2, max_rows, paint, 1);
	worddiff_release(&wd);
	return used;
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
	case NOTE_WHITESPACE:
		strbuf_addstr(sb, "Only whitespace changed (hidden; W shows it)");
		break;
	case NOTE_UNREADABLE:
		strbuf_addstr(sb, "The contents of this file could not be read");
		break;
	default:
		strbuf_addstr(sb, f->status == 'D' ? "Deleted an empty file" : "Empty file");
		break;
	}
}

static int draw_hunk_row(struct view *v, int y, const struct layout_row *r)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	const char *func = layout_hunk_function(iv->layout, r->block, &len);
	attr_t a = draw_attr(t, PAIR_HUNK, A_BOLD);
	int x;

	strbuf_addf(&sb, "@@ -%u,%u +%u,%u @@", r->block->old_start, r->block->old_lines,
		    r->block->new_start, r->block->new_lines);
	x = draw_plain(y, 0, sb.buf, COLS, a);
	if (len && x + 2 < COLS) {
		/* The enclosing function, as git shows it: text from the file, escaped. */
		spans_layout_marked(&t->spans, func, len, NULL, 0, 0, (size_t)(COLS - x - 1), t->escape_flags);
		draw_spans(t, y, x + 1, &t->spans, draw_attr(t, PAIR_HUNK, A_NORMAL), 0);
	}
	strbuf_release(&sb);
	return 1;
}

/* The selected comment's entry in placed.v, when the view is still where > put it; else SIZE_MAX. */
static size_t selected_comment(const struct view *v)
{
	const struct item_view *iv = v->data;

	return iv->comment_top == v->top && iv->comment_sel < iv->placed.nr ? iv->comment_sel : SIZE_MAX;
}

/* A comment's text from screen row y, folded at the screen's width (nothing cut); the rows taken. */
static int draw_folded(struct view *v, int y, const struct strbuf *text, attr_t a, int max_rows, int paint)
{
	struct tui *t = v->tui;
	struct spans_at at = { 0, 0 };
	size_t width = COLS > 2 * FOLD_INDENT ? (size_t)COLS : 2 * FOLD_INDENT;
	int used = 0;

	do {
		int indent = at.byte ? 2 * FOLD_INDENT : 0;

		spans_layout_from(&t->spans, text->buf, text->len, NULL, 0, &at, width - (size_t)indent, t->escape_flags);
		if (paint) {
			draw_fill(y + used, 0, COLS, A_NORMAL);
			draw_spans(t, y + used, indent, &t->spans, a, 0);
		}
		used++;
	} while (at.byte < text->len && used < max_rows);
	return used;
}

/* The comments on a line, below it, each folded at the screen's width; returns the rows taken (at most max_rows). */
static int draw_line_comments(struct view *v, int y, const struct layout_line *line, int max_rows, int paint)
{
	struct item_view *iv = v->data;
	struct strbuf sb = STRBUF_INIT;
	size_t at, selected = selected_comment(v), index;
	int used = 0;

	if (!line || !iv->placed.nr)
		return 0;
	index = (size_t)(line - iv->layout->lines);
	if ((at = comment_map_find(&iv->placed, iv->layout, index)) == SIZE_MAX)
		return 0;
	for (; at < iv->placed.nr && iv->placed.v[at].line == index && used < max_rows; at++) {
		const struct comment *c = &iv->comments.v[iv->placed.v[at].comment];
		attr_t a = draw_attr(v->tui, c->verified ? PAIR_HUNK : PAIR_WARN, c->resolved ? A_NORMAL : A_BOLD);

		strbuf_reset(&sb);
		strbuf_addstr(&sb, c->record.kind == COMMENT_NEW ? "    # " : "      > ");
		comment_describe(&sb, &iv->comments, iv->placed.v[at].comment);
		used += draw_folded(v, y + used, &sb, a | (at == selected ? A_REVERSE : 0), max_rows - used, paint);
	}
	strbuf_release(&sb);
	return used;
}

/* The comments under a row's lines (a split change has two), after its used screen rows. */
static int draw_row_comments(struct view *v, int y, const struct layout_row *r, int used, int max_rows, int paint)
{
	if (r->kind < ROW_CONTEXT || used >= max_rows)
		return used;
	used += draw_line_comments(v, y + used, r->left, max_rows - used, paint);
	if (r->right && r->right != r->left && used < max_rows)
		used += draw_line_comments(v, y + used, r->right, max_rows - used, paint);
	return used;
}

/* Paints (or with paint 0, measures) one row of the layout; returns the screen rows it takes. */
static int draw_layout_row(struct view *v, int y, const struct geometry *g, size_t row, int max_rows,
			   int paint)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct strbuf sb = STRBUF_INIT;
	struct layout_row r;
	struct pane p[2];
	int used = 1;

	layout_row(&r, iv->layout, g->mode, row);
	switch (r.kind) {
	case ROW_FILE:
		if (paint)
			draw_file_row(v, y, &iv->layout->files[r.file]);
		break;
	case ROW_NOTE:
		if (!paint)
			break;
		note_text(&sb, r.block, &iv->layout->files[r.file]);
		draw_plain(y, 0, "  ", 2, A_NORMAL);
		spans_layout(&t->spans, sb.buf, sb.len, NULL, 0, 0, (size_t)(COLS - 2), t->escape_flags);
		draw_spans(t, y, 2, &t->spans, A_BOLD, 0);
		break;
	case ROW_HUNK:
		if (paint)
			draw_hunk_row(v, y, &r);
		break;
	case ROW_CONTEXT:
		if (g->mode == LAYOUT_SPLIT) {
			pane_init(&p[0], 0, r.left, r.left->old_no, ' ', COLOR_PAIR_NONE, &iv->left);
			pane_init(&p[1], g->pane + 1, r.right, r.right->new_no, ' ', COLOR_PAIR_NONE, &iv->right);
			p[0].scroll = p[1].scroll = iv->hscroll;
			used = draw_panes(v, y, g, p, 2, max_rows, paint, 1);
		} else {
			pane_init(&p[0], 0, r.left, r.left->new_no, ' ', COLOR_PAIR_NONE, &iv->left);
			p[0].two_numbers = 1;
			p[0].old_no = r.left->old_no;
			p[0].scroll = iv->hscroll;
			used = draw_panes(v, y, g, p, 1, max_rows, paint, 0);
		}
		break;
	case ROW_CHANGE:
		used = draw_change(v, y, g, &r, max_rows, paint);
		break;
	case ROW_DELETE:
	case ROW_ADD: {
		int del = r.kind == ROW_DELETE;
		const struct layout_line *pair = unified_pair(iv, &r);

		pane_init(&p[0], 0, r.left, del ? 0 : r.left->new_no, del ? '-' : '+',
			  del ? PAIR_DELETED : PAIR_ADDED, &iv->left);
		p[0].two_numbers = 1;
		p[0].old_no = del ? r.left->old_no : 0;
		p[0].scroll = pane_scroll(v, g, del ? r.left : pair, del ? pair : r.left);
		used = draw_panes(v, y, g, p, 1, max_rows, paint, 0);
		break;
	}
	}
	strbuf_release(&sb);
	return draw_row_comments(v, y, &r, used, max_rows, paint);
}

/*
 * The header's file rows on screen get their +/-: their files are
 * diffed, the rows written again, and the header folded again when that
 * changed how many screen rows one takes.
 */
static void fill_file_rows(struct view *v, size_t rows)
{
	struct item_view *iv = v->data;
	int refold = 0;

	for (size_t r = v->top; r < iv->folded_nr && r < v->top + rows; r++) {
		struct header_row *h = &iv->header[iv->folded[r].header];

		if (!h->stale)
			continue;
		layout_load_file(iv->layout, h->file);
		free(h->text);
		h->text = file_row_text(iv, h->file);
		h->stale = 0;
		refold = 1;
	}
	if (refold) {
		iv->folded_cols = 0;
		fold_header(iv, v->tui);
	}
}

/*
 * Diffs the files with rows on screen, and a screen before and two after
 * it, so that moving a page lands where it should; the top keeps its
 * place (the files above it that grew move it down).
 */
static void load_screen(struct view *v)
{
	struct item_view *iv = v->data;
	struct geometry g = geometry(iv);
	size_t rows = (size_t)tui_body_rows(), row = 0, after = 0;

	fill_file_rows(v, rows);
	if (!iv->layout || iv->layout->loaded_nr == iv->layout->files_nr)
		return;
	if (v->top >= iv->folded_nr) {
		row = v->top - iv->folded_nr;
		layout_show(iv->layout, g.mode, &row, rows, 2 * rows);
		v->top = iv->folded_nr + row;
	} else if (iv->folded_nr - v->top < rows) {
		after = 2 * rows - (iv->folded_nr - v->top);
		layout_show(iv->layout, g.mode, &row, 0, after);
	}
}

/* End: the files at the end are diffed until they fill two screens, so that the last page is the last. */
static void load_end(struct view *v)
{
	struct item_view *iv = v->data;
	struct geometry g = geometry(iv);
	size_t rows = (size_t)tui_body_rows(), last;

	do
		last = layout_rows(iv->layout, g.mode) ? layout_rows(iv->layout, g.mode) - 1 : 0;
	while (layout_show(iv->layout, g.mode, &last, 2 * rows, 1));
}

static void item_draw(struct view *v)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct geometry g;
	size_t total, row = 0, target;
	int rows = tui_body_rows(), y = 0;

	if (iv->opened_in != t->queue)
		load(v);   /* the queue was reloaded: our index may point elsewhere now */
	fold_header(iv, t);
	load_screen(v);
	g = geometry(iv);
	total = total_rows(iv, &g);
	v->lines = total;
	view_clamp(v);
	iv->shown_rows = 0;
	target = enter_target_row(v);
	while (y < rows && v->top + row < total) {
		size_t at = v->top + row;

		if (at < iv->folded_nr) {
			draw_header_row(v, 1 + y, &iv->folded[at], at == target);
			y++;
		} else {
			y += draw_layout_row(v, 1 + y, &g, at - iv->folded_nr, rows - y, 1);
		}
		row++;
	}
	iv->shown_rows = row;
}

/* ---- actions ---- */

/* Puts a row of the layout at the top of the screen. */
static void jump(struct view *v, size_t layout_row_index)
{
	struct item_view *iv = v->data;

	v->top = iv->folded_nr + layout_row_index;
}

static void find(struct view *v, const struct geometry *g, int direction, int files_only)
{
	struct item_view *iv = v->data;
	size_t rows = layout_rows(iv->layout, g->mode), at, found;

	if (!rows)
		return;
	if (v->top < iv->folded_nr) {
		/* From the header, the first file or hunk is "next". */
		if (direction > 0 && (found = files_only ? 0 : layout_find(iv->layout, g->mode, 0, 1, 0)) != SIZE_MAX)
			jump(v, found);
		return;
	}
	at = v->top - iv->folded_nr;
	found = layout_find(iv->layout, g->mode, at, direction, files_only);
	if (found != SIZE_MAX)
		jump(v, found);
	else if (direction < 0)
		v->top = 0;
}

/* ---- search ---- */

/* Where needle (n bytes) occurs in hay from `from`, case-insensitively unless exact; SIZE_MAX if not. */
static size_t find_text(const char *hay, size_t len, size_t from, const char *needle, size_t n, int exact)
{
	for (size_t i = from; n && i + n <= len; i++) {
		size_t k = 0;

		while (k < n && (exact ? hay[i + k] == needle[k]
				 : tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k])))
			k++;
		if (k == n)
			return i;
	}
	return SIZE_MAX;
}

/*
 * Diffs every file not diffed yet, with progress; the top row keeps its
 * place (it moves by what grew above its file).
 */
static void load_every_file(struct view *v)
{
	struct item_view *iv = v->data;
	struct layout *l = iv->layout;
	enum layout_mode mode = geometry(iv).mode;
	size_t file = 0, offset = 0;

	if (l->loaded_nr == l->files_nr)
		return;
	if (v->top >= iv->folded_nr && l->files_nr) {
		file = layout_row_file(l, mode, v->top - iv->folded_nr);
		offset = v->top - iv->folded_nr - l->files[file].rows_before[mode];
	}
	layout_load_all(l, tui_progress_files, v->tui);
	if (v->top >= iv->folded_nr && l->files_nr)
		v->top = iv->folded_nr + l->files[file].rows_before[mode] + offset;
}

/* Every match of iv->search in every line of every file; smart case, as less -i and vim. */
static void collect_matches(struct view *v)
{
	struct item_view *iv = v->data;
	const char *needle = iv->search;
	size_t n = strlen(needle);
	int exact = 0;

	clear_search(iv);
	load_every_file(v);
	for (size_t i = 0; i < n; i++)
		exact |= isupper((unsigned char)needle[i]) != 0;
	/* Files in the diff's order, each file's lines in order: matches in the order they are shown. */
	for (size_t f = 0; f < iv->layout->files_nr; f++) {
		const struct layout_file *file = &iv->layout->files[f];

		for (size_t line = file->first_line; line < file->first_line + file->lines_nr; line++) {
			const struct layout_line *ln = &iv->layout->lines[line];
			const char *text = layout_text(iv->layout, ln);

			for (size_t at = 0; (at = find_text(text, ln->len, at, needle, n, exact)) != SIZE_MAX; at += n) {
				ALLOC_GROW(iv->matches, iv->matches_nr + 1, iv->matches_alloc);
				iv->matches[iv->matches_nr].line = line;
				iv->matches[iv->matches_nr].start = (uint32_t)at;
				iv->matches[iv->matches_nr++].len = (uint32_t)n;
			}
		}
	}
}

static size_t match_row(const struct item_view *iv, const struct geometry *g, size_t m)
{
	return iv->folded_nr + layout_line_row(iv->layout, g->mode, iv->matches[m].line);
}

/* Shows match m: its row on top, its column on screen. */
static void show_match(struct view *v, const struct geometry *g, size_t m)
{
	struct item_view *iv = v->data;
	const struct match *mt = &iv->matches[m];
	const struct layout_line *ln = &iv->layout->lines[mt->line];
	size_t column = spans_column(layout_text(iv->layout, ln), ln->len, mt->start, v->tui->tabwidth,
				     v->tui->escape_flags);
	size_t width = (size_t)g->text;

	iv->match_at = m;
	v->top = match_row(iv, g, m);
	iv->match_top = v->top;
	if (!iv->wrap && (column < iv->hscroll || column + mt->len + 2 > iv->hscroll + width)) {
		iv->hscroll = column > width / 3 ? column - width / 3 : 0;
		iv->hscrolled = 1;
	}
}

/* The next (direction > 0) or previous match from where the view is, wrapping round. */
static void next_match(struct view *v, const struct geometry *g, int direction)
{
	struct item_view *iv = v->data;
	size_t m, nr = iv->matches_nr;
	int wrapped = 0;

	if (!iv->search) {
		tui_message(v->tui, 0, "no search yet: / or ? to search");
		return;
	}
	if (!nr) {
		tui_message(v->tui, 1, "not found: %s", iv->search);
		return;
	}
	if (iv->match_top == v->top) {
		/* Still where the last match put us: step from it. */
		m = direction > 0 ? iv->match_at + 1 : iv->match_at + nr - 1;
		wrapped = direction > 0 ? m >= nr : iv->match_at == 0;
		m %= nr;
	} else if (direction > 0) {
		for (m = 0; m < nr && match_row(iv, g, m) <= v->top; m++)
			;
		wrapped = m == nr;
		m %= nr;
	} else {
		for (m = nr; m > 0 && match_row(iv, g, m - 1) >= v->top; m--)
			;
		wrapped = m == 0;
		m = (m + nr - 1) % nr;
	}
	show_match(v, g, m);
	if (wrapped)
		tui_message(v->tui, 0, "search wrapped round to the %s", direction > 0 ? "top" : "bottom");
}

static void ask_search(struct view *v, const struct geometry *g, int direction)
{
	struct item_view *iv = v->data;
	char *text = tui_prompt(v->tui, direction > 0 ? "/" : "?", NULL, NULL);

	if (!text)
		return;
	if (!*text) {
		/* An empty search repeats the last one, as in less. */
		free(text);
		if (iv->search)
			next_match(v, g, direction);
		return;
	}
	free(iv->search);
	iv->search = text;
	collect_matches(v);
	iv->match_top = SIZE_MAX;
	next_match(v, g, direction);
}

/* The next line behind a risk reason below the top row, wrapping round. */
static void next_risk(struct view *v, const struct geometry *g)
{
	struct item_view *iv = v->data;
	size_t i;

	if (!iv->risky_nr) {
		tui_message(v->tui, 0, "no risk reason points at a line of this diff");
		return;
	}
	for (i = 0; i < iv->risky_nr; i++)
		if (iv->folded_nr + layout_line_row(iv->layout, g->mode, iv->risky[i]) > v->top)
			break;
	if (i == iv->risky_nr) {
		i = 0;
		tui_message(v->tui, 0, "back to the first risky line");
	}
	v->top = iv->folded_nr + layout_line_row(iv->layout, g->mode, iv->risky[i]);
}

/* ---- moving ---- */

static void show_item(struct view *v, long index)
{
	struct item_view *iv = v->data;
	char *search = iv->search;

	if (index != iv->index)
		iv->unit = -1;   /* next and previous go to commits, as the queue lists them */
	iv->index = index;
	iv->search = NULL;
	load(v);
	iv->search = search;   /* the search carries over: n finds it in this item too */
	if (search)
		collect_matches(v);
	tui_follow(v->tui, index);
}

static void decide(struct view *v, enum verdict verdict, int ask_comment)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct strbuf viewed = STRBUF_INIT;
	long next;
	int rc;

	if (current_unit(v)) {
		/* One record for the whole series; back to the queue, with the confirmation showing. */
		if (!tui_decide_series(t, current_unit(v), verdict, 1))
			tui_pop(t);
		return;
	}
	if (!current_item(v))
		return;
	if (t->record_viewed)
		viewed_record_value(&viewed, &iv->viewed, iv->layout, 200);
	rc = tui_decide_with(t, iv->index, verdict, ask_comment, t->record_viewed ? viewed.buf : NULL);
	strbuf_release(&viewed);
	if (rc)
		return;
	/* The next undecided item, in the queue's filtered order, wrapping round to earlier ones. */
	next = tui_next_undecided(t, iv->index);
	if (next < 0) {
		tui_pop(t);   /* back to the queue, with the confirmation showing */
		return;
	}
	show_item(v, next);
}

/* ---- comments and viewed files ---- */

/*
 * The first diff line from the top of the screen: its side (new, or old
 * for a deletion) and its file; NULL when no line is on screen.
 */
static const struct layout_line *cursor_line(struct view *v, const struct geometry *g, enum comment_side *side,
					     size_t *file)
{
	struct item_view *iv = v->data;
	size_t rows = layout_rows(iv->layout, g->mode), from = v->top > iv->folded_nr ? v->top - iv->folded_nr : 0;

	if (v->top < iv->folded_nr)
		return NULL;
	for (size_t row = from; row < rows && row < from + (size_t)tui_body_rows(); row++) {
		struct layout_row r;

		layout_row(&r, iv->layout, g->mode, row);
		if (r.kind < ROW_CONTEXT)
			continue;
		*file = r.file;
		if (r.kind == ROW_DELETE || (r.kind == ROW_CHANGE && !r.right)) {
			*side = SIDE_OLD;
			return r.left;
		}
		*side = SIDE_NEW;
		return r.kind == ROW_CHANGE ? r.right : r.left;
	}
	return NULL;
}

/* Writes req through comment_write() (the code path of revq comment) and shows the comments again. */
static void write_comment(struct view *v, struct comment_request *req)
{
	struct item_view *iv = v->data;
	struct tui *t = v->tui;
	struct item *it = current_item(v);
	int rc;

	def_prog_mode();   /* the signer may ask for a passphrase on the terminal */
	endwin();
	rc = comment_write(NULL, tui_review_of(t, iv->index), req);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc) {
		tui_message(t, 1, "not written: %s", error_last());
		return;
	}
	tui_message(t, 0, "%s signed and written to %s", req->kind == COMMENT_NEW ? "comment" :
		    req->kind == COMMENT_REPLY ? "reply" : "resolution", tui_review_of(t, iv->index)->notes_ref);
	if (iv->unit >= 0) {   /* a series' header lists its comments: build it all again, here */
		size_t top = v->top;

		load(v);
		v->top = top;
		return;
	}
	load_comments(iv, t, it);
	rebuild_header(v);
}

static void ask_comment(struct view *v, const struct geometry *g, int general)
{
	struct item_view *iv = v->data;
	struct item *it = current_item(v);
	struct comment_request req;
	struct strbuf label = STRBUF_INIT;
	const struct layout_line *line = NULL;
	enum comment_side side = SIDE_NONE;
	size_t file = 0;
	char *text;

	if (!it || !tui_review_of(v->tui, iv->index)) {
		tui_message(v->tui, 1, "comments are unavailable here (see the messages: L)");
		return;
	}
	if (!general && !(line = cursor_line(v, g, &side, &file))) {
		tui_message(v->tui, 1, "no diff line on screen: scroll to one (C: a general comment)");
		return;
	}
	memset(&req, 0, sizeof(req));
	req.kind = COMMENT_NEW;
	git_oid_cpy(&req.commit, &it->id);
	if (iv->unit >= 0 && !(req.series = shown_series(iv, v->tui))) {
		tui_message(v->tui, 1, "the series cannot be read: no comment on it");
		return;
	}
	if (line) {
		const struct layout_file *f = &iv->layout->files[file];

		req.path = side == SIDE_NEW ? f->new_path : f->old_path;
		req.side = side;
		req.line = side == SIDE_NEW ? line->new_no : line->old_no;
		req.line_text = layout_text(iv->layout, line);
		req.line_len = line->len;
		strbuf_addf(&label, "Comment on %s line %u: ", side == SIDE_NEW ? "new" : "old", (unsigned)req.line);
	} else {
		strbuf_addstr(&label, "Comment on the change: ");
	}
	text = tui_prompt(v->tui, label.buf, NULL, NULL);
	if (text && *text) {
		req.text = text;
		write_comment(v, &req);
	}
	free(text);
	strbuf_release(&label);
}

static size_t placed_row(const struct item_view *iv, const struct geometry *g, size_t entry)
{
	return iv->folded_nr + layout_line_row(iv->layout, g->mode, iv->placed.v[entry].line);
}

/* > and <: the next (previous) comment under a line, which becomes the selected one. */
static void step_comment(struct view *v, const struct geometry *g, int direction)
{
	struct item_view *iv = v->data;
	size_t nr = iv->placed.nr, k, selected = selected_comment(v);

	if (!nr) {
		tui_message(v->tui, 0, "no comment on a line of this diff%s", iv->comments.nr ? " (see the header)" : "");
		return;
	}
	if (selected != SIZE_MAX)
		k = direction > 0 ? (selected + 1) % nr : (selected + nr - 1) % nr;
	else if (direction > 0)
		for (k = 0; k < nr && placed_row(iv, g, k) <= v->top; k++)
			;
	else
		for (k = nr; k > 0 && placed_row(iv, g, k - 1) >= v->top; k--)
			;
	if (direction > 0)
		k %= nr;
	else if (selected == SIZE_MAX)
		k = (k + nr - 1) % nr;
	v->top = placed_row(iv, g, k);
	iv->comment_sel = k;
	iv->comment_top = v->top;
}

/* e and x: the selected comment, else the first one at or below the top row; its thread's comment. */
static void answer_comment(struct view *v, const struct geometry *g, enum comment_kind kind)
{
	struct item_view *iv = v->data;
	struct comment_request req;
	size_t entry = selected_comment(v), c;
	char *text = NULL, id[16];
	struct strbuf label = STRBUF_INIT;

	for (size_t k = 0; entry == SIZE_MAX && k < iv->placed.nr; k++)
		if (placed_row(iv, g, k) >= v->top)
			entry = k;
	if (entry == SIZE_MAX || !tui_review_of(v->tui, iv->index)) {
		tui_message(v->tui, 1, "no comment on screen: > goes to the next one (or revq comment --%s)",
			    kind == COMMENT_REPLY ? "reply" : "resolve");
		return;
	}
	c = iv->placed.v[entry].comment;
	if (iv->comments.v[c].parent != SIZE_MAX)
		c = iv->comments.v[c].parent;
	comment_short_id(id, sizeof(id), &iv->comments.v[c]);
	memset(&req, 0, sizeof(req));
	req.kind = kind;
	git_oid_cpy(&req.commit, &current_item(v)->id);
	req.series = shown_series(iv, v->tui);
	git_oid_cpy(&req.re, &iv->comments.v[c].id);
	strbuf_addf(&label, "%s %s: ", kind == COMMENT_REPLY ? "Reply to" : "Resolve (optional note)", id);
	text = tui_prompt(v->tui, label.buf, NULL, NULL);
	if (text && (*text || kind == COMMENT_RESOLVE)) {
		req.text = text;
		write_comment(v, &req);
	}
	free(text);
	strbuf_release(&label);
}

/* The file of the row at the top of the screen, or SIZE_MAX in the header. */
static size_t file_on_screen(struct view *v, const struct geometry *g)
{
	struct item_view *iv = v->data;
	struct layout_row r;

	if (v->top < iv->folded_nr || v->top - iv->folded_nr >= layout_rows(iv->layout, g->mode))
		return SIZE_MAX;
	layout_row(&r, iv->layout, g->mode, v->top - iv->folded_nr);
	return r.file;
}

static void mark_viewed(struct view *v, const struct geometry *g)
{
	struct item_view *iv = v->data;
	size_t file = file_on_screen(v, g);
	int on;

	if (file == SIZE_MAX) {
		tui_message(v->tui, 1, "no file at the top of the screen: ] goes to the next file");
		return;
	}
	on = viewed_toggle(&iv->viewed, tui_session_of(v->tui, iv->index)->cache, iv->reviewer, iv->layout,
			   file);
	tui_message(v->tui, 0, "%s %s; %zu/%zu files viewed", on ? "viewed:" : "not viewed:", iv->layout->files[file].new_path,
		    iv->viewed.count, iv->viewed.nr);
	rebuild_header(v);
}

static void next_unviewed(struct view *v, const struct geometry *g)
{
	struct item_view *iv = v->data;
	size_t file = viewed_next_unviewed(&iv->viewed, file_on_screen(v, g));

	if (file == SIZE_MAX)
		tui_message(v->tui, 0, "every file is viewed (%zu/%zu)", iv->viewed.count, iv->viewed.nr);
	else
		jump(v, layout_file_row(iv->layout, g->mode, file));
}

/* Wrap mode: a page is the rows that were on screen; back, as many as fill one. */
static void wrapped_page(struct view *v, const struct geometry *g, int direction)
{
	struct item_view *iv = v->data;
	int rows = tui_body_rows(), used = 0;

	if (direction > 0) {
		size_t step = iv->shown_rows > 1 ? iv->shown_rows - 1 : 1;

		v->top = v->top + step < v->lines ? v->top + step : v->lines ? v->lines - 1 : 0;
		return;
	}
	while (v->top > 0) {
		size_t row = v->top - 1;
		int h = row < iv->folded_nr ? 1 : draw_layout_row(v, 0, g, row - iv->folded_nr, rows, 0);

		if (used + h > rows)
			break;
		used += h;
		v->top--;
	}
}

static int item_handle(struct view *v, enum action a)
{
	struct item_view *iv = v->data;
	struct geometry g;
	long step;

	fold_header(iv, v->tui);
	if (a == ACTION_LAST)
		load_end(v);
	g = geometry(iv);
	v->lines = total_rows(iv, &g);
	if ((iv->wrap || iv->placed.nr) && (a == ACTION_PAGE_DOWN || a == ACTION_PAGE_UP)) {
		wrapped_page(v, &g, a == ACTION_PAGE_DOWN ? 1 : -1);
		return 1;
	}
	if (view_move(v, a))
		return 1;
	switch (a) {
	case ACTION_NEXT_HUNK: find(v, &g, 1, 0); break;
	case ACTION_PREV_HUNK: find(v, &g, -1, 0); break;
	case ACTION_NEXT_FILE: find(v, &g, 1, 1); break;
	case ACTION_PREV_FILE: find(v, &g, -1, 1); break;
	case ACTION_SEARCH: ask_search(v, &g, 1); break;
	case ACTION_SEARCH_BACK: ask_search(v, &g, -1); break;
	case ACTION_NEXT_MATCH: next_match(v, &g, 1); break;
	case ACTION_NEXT_RISK: next_risk(v, &g); break;
	case ACTION_TOGGLE_MESSAGE:
		iv->whole_message = !iv->whole_message;
		rebuild_header(v);
		break;
	case ACTION_OPEN: {
		/* Enter on a risk reason (the highlighted one): to the line it is about. */
		size_t r = enter_target_row(v);

		if (r != SIZE_MAX && iv->header[iv->folded[r].header].commit >= 0) {
			long at = iv->header[iv->folded[r].header].commit;

			tui_mark_opened(v->tui, at);
			tui_push(v->tui, view_item_new(v->tui, at));   /* a series' commit row: open it */
		} else if (r != SIZE_MAX) {
			v->top = iv->folded_nr + layout_line_row(iv->layout, g.mode, iv->header[iv->folded[r].header].target);
		}
		break;
	}
	case ACTION_PREV_MATCH: next_match(v, &g, -1); break;
	case ACTION_SCROLL_LEFT:
		iv->hscroll = iv->hscroll > HSCROLL_STEP ? iv->hscroll - HSCROLL_STEP : 0;
		iv->hscrolled = 1;
		break;
	case ACTION_SCROLL_RIGHT:
		iv->hscroll += HSCROLL_STEP;
		iv->hscrolled = 1;
		break;
	case ACTION_FILES: tui_push(v->tui, view_files_new(v->tui, v)); break;
	case ACTION_TOGGLE_SPLIT:
		if (v->top >= iv->folded_nr)
			v->top = iv->folded_nr + layout_convert_row(iv->layout, g.mode, v->top - iv->folded_nr);
		iv->forced_mode = g.mode == LAYOUT_SPLIT ? LAYOUT_UNIFIED : LAYOUT_SPLIT;
		iv->match_top = SIZE_MAX;
		break;
	case ACTION_TOGGLE_WRAP:
		iv->wrap = !iv->wrap;
		tui_message(v->tui, 0, "%s", iv->wrap ? "long lines fold (w: cut them)" : "long lines are cut (w: fold them)");
		break;
	case ACTION_TOGGLE_INTERDIFF:
		if (!current_item(v) || !current_item(v)->has_earlier || iv->unit >= 0) {
			tui_message(v->tui, 0, "%s", "not a new version of a decided commit: no interdiff");
			break;
		}
		iv->full_diff = !iv->full_diff;
		show_item(v, iv->index);
		tui_message(v->tui, 0, "%s", iv->full_diff ? "the full diff (I: the interdiff)"
							   : "the interdiff (I: the full diff)");
		break;
	case ACTION_TOGGLE_WHITESPACE:
		iv->ignore_space = !iv->ignore_space;
		show_item(v, iv->index);
		tui_message(v->tui, 0, "%s", iv->ignore_space ? "whitespace-only changes hidden (W: show them)"
							       : "whitespace changes shown (W: hide them)");
		break;
	case ACTION_APPROVE: decide(v, VERDICT_APPROVE, 0); break;
	case ACTION_APPROVE_COMMENT: decide(v, VERDICT_APPROVE, 1); break;
	case ACTION_REJECT: decide(v, VERDICT_REJECT, 0); break;
	case ACTION_COMMENT: ask_comment(v, &g, 0); break;
	case ACTION_COMMENT_GENERAL: ask_comment(v, &g, 1); break;
	case ACTION_NEXT_COMMENT: step_comment(v, &g, 1); break;
	case ACTION_PREV_COMMENT: step_comment(v, &g, -1); break;
	case ACTION_REPLY: answer_comment(v, &g, COMMENT_REPLY); break;
	case ACTION_RESOLVE: answer_comment(v, &g, COMMENT_RESOLVE); break;
	case ACTION_MARK_VIEWED: mark_viewed(v, &g); break;
	case ACTION_NEXT_UNVIEWED: next_unviewed(v, &g); break;
	case ACTION_COMMIT_1: case ACTION_COMMIT_2: case ACTION_COMMIT_3:
	case ACTION_COMMIT_4: case ACTION_COMMIT_5: case ACTION_COMMIT_6:
	case ACTION_COMMIT_7: case ACTION_COMMIT_8: case ACTION_COMMIT_9:
		open_commit(v, (size_t)(a - ACTION_COMMIT_1) + 1);
		break;
	case ACTION_NEXT_ITEM:
	case ACTION_PREV_ITEM:
		/* In the queue's filtered order; the queue's cursor follows. */
		step = tui_step_item(v->tui, iv->index, a == ACTION_NEXT_ITEM ? 1 : -1);
		if (step >= 0)
			show_item(v, step);
		else
			tui_message(v->tui, 0, "%s item of the queue", a == ACTION_NEXT_ITEM ? "the last" : "the first");
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
	if (current_unit(v)) {
		const struct unit *u = current_unit(v);

		strbuf_addf(out, "series  %s  %zu commits, %zu to review", u->ref, u->commits, u->members_nr);
		return;
	}
	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	strbuf_addf(out, "%ld/%zu  ", iv->index + 1, v->tui->queue->nr);
	if (tui_repo_label(v->tui, iv->index))
		strbuf_addf(out, "%s  ", tui_repo_label(v->tui, iv->index));   /* the title is drawn escaped */
	strbuf_addf(out, "%s  risk %d  %s  ", id, it->risk, item_status_name(it->status));
	strbuf_addstr(out, it->subject);
}

static void item_position(struct view *v, struct strbuf *out)
{
	struct item_view *iv = v->data;
	struct geometry g = geometry(iv);

	if (iv->search && iv->matches_nr && iv->match_top == v->top)
		strbuf_addf(out, " match %zu of %zu ", iv->match_at + 1, iv->matches_nr);
	else if (iv->search)
		strbuf_addf(out, " %zu matches ", iv->matches_nr);
	strbuf_addf(out, " %s%s%s  ", g.mode == LAYOUT_SPLIT ? "split" : "unified", iv->wrap ? " wrap" : "",
		    iv->ignore_space ? " -b" : "");
	/* Not a row of the whole: that total grows as files are diffed (layout_describe_row()). */
	if (v->top < iv->folded_nr || !iv->layout->files_nr)
		strbuf_addf(out, "header %zu/%zu", v->top + 1, iv->folded_nr);
	else
		layout_describe_row(out, iv->layout, g.mode, v->top - iv->folded_nr);
	if (iv->hscroll)
		strbuf_addf(out, "  +%zu cols", iv->hscroll);
	/* Where there is room: at 80 columns the header's Files: line says it, and messages need the space. */
	if (iv->layout && iv->layout->files_nr && COLS >= 120)
		strbuf_addf(out, "  %zu/%zu viewed", iv->viewed.count, iv->viewed.nr);
}

static void item_release(struct view *v)
{
	struct item_view *iv = v->data;

	clear_content(iv);
	free(iv->header);
	free(iv->folded);
	free(iv->matches);
	free(iv->search);
	free(iv->risky);
	comment_index_free(iv->comment_index);
	free(iv->reviewer);
	strvec_clear(&iv->earlier);
	spans_release(&iv->left);
	spans_release(&iv->right);
}

static const enum action item_footer[] = {
	/* Most important first: at 80 columns the last ones are dropped whole (help stays: it lists the rest). */
	ACTION_APPROVE, ACTION_REJECT, ACTION_HELP, ACTION_COMMENT, ACTION_MARK_VIEWED, ACTION_SEARCH, ACTION_NEXT_HUNK,
	ACTION_FILES, ACTION_TOGGLE_WRAP, ACTION_BACK, ACTION_NONE,
};

static const struct view_ops item_ops = {
	"item", sizeof(struct item_view), VIEW_SCROLL, item_draw, item_handle, item_title,
	item_position, item_release, IN_ITEM, item_footer, NULL,
};

/* An item view of the queue item at index, or with unit >= 0 of that series (led by index). */
static struct view *item_view_new(struct tui *t, long index, long unit)
{
	struct view *v = view_new(t, &item_ops);
	struct item_view *iv = v->data;

	iv->index = index;
	iv->unit = unit;
	iv->forced_mode = -1;
	iv->wrap = t->wrap;
	iv->match_top = SIZE_MAX;
	iv->comment_top = SIZE_MAX;
	{
		char *name = NULL;

		if (settings_identity(&name, &iv->reviewer, &tui_session_of(t, iv->index)->repo->settings))
			error_clear();
		free(name);
		if (!iv->reviewer)
			iv->reviewer = xstrdup("");
	}
	strbuf_init(&iv->left.text, 0);
	strbuf_init(&iv->right.text, 0);
	iv->left.tabwidth = iv->right.tabwidth = t->tabwidth;
	load(v);
	return v;
}

struct view *view_item_new(struct tui *t, long index)
{
	return item_view_new(t, index, -1);
}

struct view *view_item_new_series(struct tui *t, size_t unit)
{
	return item_view_new(t, unit < t->units.nr ? (long)t->units.v[unit].lead : -1, (long)unit);
}

const struct viewed *view_item_viewed(struct view *item)
{
	return &((struct item_view *)item->data)->viewed;
}

struct layout *view_item_layout(struct view *item)
{
	return ((struct item_view *)item->data)->layout;
}

void view_item_jump_to_file(struct view *item, size_t file)
{
	struct item_view *iv = item->data;
	struct geometry g = geometry(iv);

	jump(item, layout_file_row(iv->layout, g.mode, file));
}
