/*
 * layout.c: the console's diff model.  Everything is computed once per
 * commit in one pass; every screen afterwards costs O(rows shown).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "judge/ainotes.h"
#include "judge/analyze.h"
#include "base/error.h"
#include "show/layout.h"
#include "base/strbuf.h"
#include "base/unicode.h"
#include "base/utf8.h"

#define CONTEXT_LINES 3

struct builder {
	struct layout *l;
	size_t file;
	unsigned flags;   /* enum layout_flags */
};

static struct layout_block *new_block(struct layout *l, enum block_kind kind, size_t file)
{
	struct layout_block *b;

	ALLOC_GROW(l->blocks, l->blocks_nr + 1, l->blocks_alloc);
	b = &l->blocks[l->blocks_nr++];
	memset(b, 0, sizeof(*b));
	b->kind = (uint8_t)kind;
	b->file = (uint32_t)file;
	b->first_line = l->lines_nr;
	return b;
}

static size_t block_rows(const struct layout_block *b, enum layout_mode mode)
{
	switch (b->kind) {
	case BLOCK_CONTEXT:
		return b->deleted;
	case BLOCK_CHANGE:
		if (mode == LAYOUT_UNIFIED)
			return (size_t)b->deleted + b->added;
		return b->deleted > b->added ? b->deleted : b->added;
	default:
		return 1;
	}
}

static uint8_t line_flags(const char *s, size_t len)
{
	uint8_t flags = 0;
	int high = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		high |= c >= 0x80;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			flags |= LINE_CONTROL;
	}
	for (size_t i = 0; high && i < len;) {
		int32_t cp;

		i += utf8_decode(&cp, s + i, len - i);
		if (cp == UTF8_INVALID)
			continue;
		switch (unicode_classify(cp)) {
		case UNICODE_BIDI:
		case UNICODE_INVISIBLE:
		case UNICODE_SPACE:
			flags |= LINE_SUSPICIOUS;
			break;
		case UNICODE_CONTROL:
			flags |= LINE_CONTROL;
			break;
		default:
			break;
		}
	}
	return flags;
}

/* Keeps what follows "@@ -a,b +c,d @@ " in a hunk header: git's function context. */
static void add_function(struct layout *l, struct layout_block *b, const char *header, size_t len)
{
	const char *end = header + len, *p = len > 2 ? memmem(header + 2, len - 2, "@@", 2) : NULL;

	if (!p)
		return;
	p += 2;
	while (p < end && *p == ' ')
		p++;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (p == end)
		return;
	ALLOC_GROW(l->arena, l->arena_len + (size_t)(end - p) + 1, l->arena_alloc);
	memcpy(l->arena + l->arena_len, p, (size_t)(end - p));
	b->func_offset = l->arena_len;
	b->func_len = (uint32_t)(end - p);
	l->arena_len += (size_t)(end - p);
}

static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *h, void *payload)
{
	struct builder *bld = payload;
	struct layout_block *b = new_block(bld->l, BLOCK_HUNK, bld->file);

	(void)delta;
	b->old_start = (uint32_t)h->old_start;
	b->old_lines = (uint32_t)h->old_lines;
	b->new_start = (uint32_t)h->new_start;
	b->new_lines = (uint32_t)h->new_lines;
	add_function(bld->l, b, h->header, h->header_len);
	return 0;
}

/* The block a line of this kind belongs to: the current one, or a new one. */
static struct layout_block *block_for(struct builder *bld, enum line_kind kind)
{
	struct layout *l = bld->l;
	struct layout_block *last = l->blocks_nr ? &l->blocks[l->blocks_nr - 1] : NULL;

	if (kind == LINE_CONTEXT)
		return last && last->kind == BLOCK_CONTEXT ? last : new_block(l, BLOCK_CONTEXT, bld->file);
	/* A deletion after additions starts a new change block. */
	if (last && last->kind == BLOCK_CHANGE && !(kind == LINE_DELETE && last->added))
		return last;
	return new_block(l, BLOCK_CHANGE, bld->file);
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct builder *bld = payload;
	struct layout *l = bld->l;
	struct layout_file *f = &l->files[bld->file];
	struct layout_block *b;
	struct layout_line *ln;
	enum line_kind kind;
	size_t len = line->content_len;

	(void)delta;
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_CONTEXT)
		kind = LINE_CONTEXT;
	else if (line->origin == GIT_DIFF_LINE_DELETION)
		kind = LINE_DELETE;
	else if (line->origin == GIT_DIFF_LINE_ADDITION)
		kind = LINE_ADD;
	else
		return 0;   /* "\ No newline at end of file" and file headers */
	if (len && line->content[len - 1] == '\n')
		len--;
	b = block_for(bld, kind);
	ALLOC_GROW(l->lines, l->lines_nr + 1, l->lines_alloc);
	ln = &l->lines[l->lines_nr++];
	ln->offset = l->arena_len;
	ln->len = (uint32_t)len;
	ln->old_no = line->old_lineno > 0 ? (uint32_t)line->old_lineno : 0;
	ln->new_no = line->new_lineno > 0 ? (uint32_t)line->new_lineno : 0;
	ln->kind = (uint8_t)kind;
	ln->flags = line_flags(line->content, len);
	if (ln->old_no > l->max_line_no)
		l->max_line_no = ln->old_no;
	if (ln->new_no > l->max_line_no)
		l->max_line_no = ln->new_no;
	if (kind == LINE_ADD && (ln->flags & LINE_SUSPICIOUS))
		f->suspicious = 1;
	ALLOC_GROW(l->arena, l->arena_len + len + 1, l->arena_alloc);
	memcpy(l->arena + l->arena_len, line->content, len);
	l->arena_len += len;
	if (kind == LINE_DELETE) {
		b->deleted++;
		f->deleted++;
	} else if (kind == LINE_ADD) {
		b->added++;
		f->added++;
	} else {
		b->deleted++;
	}
	return 0;
}

static int on_binary(const git_diff_delta *delta, const git_diff_binary *binary, void *payload)
{
	struct builder *bld = payload;

	(void)binary;
	bld->l->files[bld->file].binary = 1;
	/* A tree diff leaves sizes at 0; the buffers diffed here have them. */
	bld->l->files[bld->file].old_size = delta->old_file.size;
	bld->l->files[bld->file].new_size = delta->new_file.size;
	return 0;
}

static void add_file(struct builder *bld, const git_diff_delta *d)
{
	struct layout *l = bld->l;
	struct layout_file *f;

	ALLOC_GROW(l->files, l->files_nr + 1, l->files_alloc);
	bld->file = l->files_nr;
	f = &l->files[l->files_nr++];
	memset(f, 0, sizeof(*f));
	f->old_path = xstrdup(d->old_file.path);
	f->new_path = xstrdup(d->new_file.path);
	f->status = d->status == GIT_DELTA_ADDED ? 'A' : d->status == GIT_DELTA_DELETED ? 'D'
		: d->status == GIT_DELTA_RENAMED ? 'R' : d->status == GIT_DELTA_COPIED ? 'C'
		: d->status == GIT_DELTA_TYPECHANGE ? 'T' : 'M';
	f->old_mode = d->old_file.mode;
	f->new_mode = d->new_file.mode;
	f->similarity = d->similarity;
	f->submodule = d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT;
	git_oid_cpy(&f->old_id, &d->old_file.id);
	git_oid_cpy(&f->new_id, &d->new_file.id);
	f->old_size = d->old_file.size;
	f->new_size = d->new_file.size;
	new_block(l, BLOCK_FILE, bld->file);
}

static void add_note(struct builder *bld, enum note_kind note)
{
	new_block(bld->l, BLOCK_NOTE, bld->file)->note = (uint8_t)note;
}

/* Notes say what the lines cannot: renames, modes, binaries, submodules. */
static void add_notes(struct builder *bld, size_t blocks_before)
{
	struct layout_file *f = &bld->l->files[bld->file];

	if (f->status == 'R' || f->status == 'C')
		add_note(bld, NOTE_RENAME);
	if (f->old_mode && f->new_mode && f->old_mode != f->new_mode && !f->submodule)
		add_note(bld, NOTE_MODE);
	if (f->submodule)
		add_note(bld, NOTE_SUBMODULE);
	else if (f->binary)
		add_note(bld, NOTE_BINARY);
	else if (bld->l->blocks_nr == blocks_before + 1 && (bld->flags & LAYOUT_IGNORE_WHITESPACE) &&
		 f->status == 'M' && !git_oid_equal(&f->old_id, &f->new_id))
		add_note(bld, NOTE_WHITESPACE);   /* every change was whitespace, and hidden */
	else if (bld->l->blocks_nr == blocks_before + 1 && !(f->status == 'R' || f->status == 'C'))
		add_note(bld, NOTE_EMPTY);   /* nothing but the header: an empty file, say */
}

/* Notes come right after the file header, before the hunks. */
static void move_notes_up(struct layout *l, size_t header, size_t notes_from)
{
	size_t notes = l->blocks_nr - notes_from, hunks = notes_from - header - 1;
	struct layout_block *tmp;

	if (!notes || !hunks)
		return;
	tmp = xmalloc(notes * sizeof(*tmp));
	memcpy(tmp, l->blocks + notes_from, notes * sizeof(*tmp));
	memmove(l->blocks + header + 1 + notes, l->blocks + header + 1, hunks * sizeof(*tmp));
	memcpy(l->blocks + header + 1, tmp, notes * sizeof(*tmp));
	free(tmp);
	/* Lines keep their order through the blocks (layout_line_row() relies on it). */
	for (size_t i = header + 1; i < header + 1 + notes; i++)
		l->blocks[i].first_line = l->blocks[header].first_line;
}

static void count_rows(struct layout *l)
{
	size_t split = 0, unified = 0;

	for (size_t i = 0; i < l->blocks_nr; i++) {
		l->blocks[i].rows_before[LAYOUT_SPLIT] = split;
		l->blocks[i].rows_before[LAYOUT_UNIFIED] = unified;
		split += block_rows(&l->blocks[i], LAYOUT_SPLIT);
		unified += block_rows(&l->blocks[i], LAYOUT_UNIFIED);
	}
	l->rows[LAYOUT_SPLIT] = split;
	l->rows[LAYOUT_UNIFIED] = unified;
}

int layout_load(struct layout **out, git_repository *repo, const git_commit *commit)
{
	return layout_load_flags(out, repo, commit, 0);
}

/* Every file of diff (its contents read from contents) into l; then its rows are counted. */
static int fill(struct layout *l, git_diff *diff, git_repository *contents, unsigned flags)
{
	struct builder bld = { l, 0, flags };
	int rc = 0;

	for (size_t i = 0; i < git_diff_num_deltas(diff) && !rc; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		size_t header = l->blocks_nr, notes_from;

		add_file(&bld, d);
		rc = analyze_delta_flags(contents, d, on_binary, on_hunk, on_line, &bld, CONTEXT_LINES,
					 flags & LAYOUT_IGNORE_WHITESPACE ? GIT_DIFF_IGNORE_WHITESPACE_CHANGE : 0);
		notes_from = l->blocks_nr;
		add_notes(&bld, header);
		move_notes_up(l, header, notes_from);
	}
	if (!rc)
		count_rows(l);
	return rc;
}

int layout_load_flags(struct layout **out, git_repository *repo, const git_commit *commit, unsigned flags)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct review_diff rd;
	int rc;

	*out = NULL;
	/* A merge's diff is its remerge diff (analyze.h), read from its scratch repository. */
	if ((rc = analyze_review_diff(&rd, repo, commit, ANALYZE_RENAMES))) {
		free(l);
		return rc;
	}
	l->parents = rd.parents;
	l->remerged = rd.remerge.scratch != NULL;
	l->octopus = rd.remerge.octopus;
	l->conflicts = rd.remerge.conflicts;
	l->renames_limited = rd.renames_limited;
	l->rename_limit = analyze_rename_limit(repo);
	rc = fill(l, rd.diff, rd.contents, flags);
	review_diff_release(&rd);
	if (rc) {
		layout_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

int layout_load_trees(struct layout **out, git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		      unsigned flags)
{
	struct layout *l;
	git_diff *diff;
	int rc, limit, limited;

	*out = NULL;
	limit = analyze_rename_limit(repo);
	if ((rc = analyze_trees_diff(&diff, repo, old_tree, new_tree, ANALYZE_RENAMES, limit, &limited)))
		return rc;
	l = xcalloc(1, sizeof(*l));
	l->parents = 1;
	l->renames_limited = limited;
	l->rename_limit = limit;
	rc = fill(l, diff, repo, flags);
	git_diff_free(diff);
	if (rc) {
		layout_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

int layout_load_diff(struct layout **out, git_diff *diff, git_repository *repo, unsigned flags)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	int rc;

	*out = NULL;
	l->parents = 1;
	if ((rc = fill(l, diff, repo, flags)))
		layout_free(l);
	else
		*out = l;
	return rc;
}

int layout_load_texts(struct layout **out, const char *old_text, size_t old_len,
		      const char *new_text, size_t new_len)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct builder bld = { l, 0, 0 };
	git_diff_delta delta;
	git_diff_options opts;
	size_t header;

	*out = NULL;
	memset(&delta, 0, sizeof(delta));
	delta.status = GIT_DELTA_MODIFIED;
	delta.old_file.path = delta.new_file.path = "text";
	delta.old_file.mode = delta.new_file.mode = GIT_FILEMODE_BLOB;
	delta.old_file.size = old_len;
	delta.new_file.size = new_len;
	header = l->blocks_nr;
	add_file(&bld, &delta);
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = CONTEXT_LINES;
	if (git_diff_buffers(old_text, old_len, NULL, new_text, new_len, NULL, &opts, NULL, on_binary,
			     on_hunk, on_line, &bld)) {
		layout_free(l);
		return error_set_git(REVQ_ERROR, "cannot diff the texts");
	}
	{
		size_t notes_from = l->blocks_nr;

		add_notes(&bld, header);
		move_notes_up(l, header, notes_from);
	}
	count_rows(l);
	*out = l;
	return 0;
}

void layout_free(struct layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->files_nr; i++) {
		free(l->files[i].old_path);
		free(l->files[i].new_path);
	}
	free(l->files);
	free(l->lines);
	free(l->blocks);
	free(l->arena);
	free(l);
}

size_t layout_rows(const struct layout *l, enum layout_mode mode)
{
	return l->rows[mode];
}

const char *layout_text(const struct layout *l, const struct layout_line *line)
{
	return l->arena ? l->arena + line->offset : "";
}

/* The block holding row: the last block with rows_before <= row. */
static size_t block_of_row(const struct layout *l, enum layout_mode mode, size_t row)
{
	size_t lo = 0, hi = l->blocks_nr;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->blocks[mid].rows_before[mode] <= row)
			lo = mid;
		else
			hi = mid;
	}
	/* Blocks with no rows share rows_before with their successor; skip them. */
	while (lo + 1 < l->blocks_nr && l->blocks[lo + 1].rows_before[mode] <= row)
		lo++;
	return lo;
}

void layout_row(struct layout_row *out, const struct layout *l, enum layout_mode mode, size_t row)
{
	size_t bi = block_of_row(l, mode, row);
	const struct layout_block *b = &l->blocks[bi];
	size_t k = row - b->rows_before[mode];

	memset(out, 0, sizeof(*out));
	out->block = b;
	out->file = b->file;
	switch (b->kind) {
	case BLOCK_FILE: out->kind = ROW_FILE; return;
	case BLOCK_NOTE: out->kind = ROW_NOTE; return;
	case BLOCK_HUNK: out->kind = ROW_HUNK; return;
	case BLOCK_CONTEXT:
		out->kind = ROW_CONTEXT;
		out->left = out->right = &l->lines[b->first_line + k];
		return;
	default:
		break;
	}
	if (mode == LAYOUT_UNIFIED) {
		out->kind = k < b->deleted ? ROW_DELETE : ROW_ADD;
		out->left = &l->lines[b->first_line + k];
		return;
	}
	out->kind = ROW_CHANGE;
	out->left = k < b->deleted ? &l->lines[b->first_line + k] : NULL;
	out->right = k < b->added ? &l->lines[b->first_line + b->deleted + k] : NULL;
}

size_t layout_file_row(const struct layout *l, enum layout_mode mode, size_t file)
{
	for (size_t i = 0; i < l->blocks_nr; i++)
		if (l->blocks[i].kind == BLOCK_FILE && l->blocks[i].file == file)
			return l->blocks[i].rows_before[mode];
	return 0;
}

size_t layout_find(const struct layout *l, enum layout_mode mode, size_t row, int direction,
		   int files_only)
{
	size_t bi;

	if (!l->blocks_nr)
		return SIZE_MAX;
	bi = block_of_row(l, mode, row < l->rows[mode] ? row : l->rows[mode] - 1);
	for (;;) {
		const struct layout_block *b;

		if (direction > 0 ? ++bi >= l->blocks_nr : bi-- == 0)
			return SIZE_MAX;
		b = &l->blocks[bi];
		if (b->rows_before[mode] == row)
			continue;
		if (files_only ? b->kind == BLOCK_FILE : b->kind == BLOCK_HUNK)
			return b->rows_before[mode];
	}
}

size_t layout_convert_row(const struct layout *l, enum layout_mode from, size_t row)
{
	enum layout_mode to = from == LAYOUT_SPLIT ? LAYOUT_UNIFIED : LAYOUT_SPLIT;
	const struct layout_block *b;
	size_t k;

	if (!l->blocks_nr)
		return 0;
	b = &l->blocks[block_of_row(l, from, row)];
	k = row - b->rows_before[from];
	if (b->kind == BLOCK_CHANGE && from == LAYOUT_UNIFIED && k >= b->deleted)
		k -= b->deleted;   /* an addition: its pair row in split mode */
	if (k >= block_rows(b, to))
		k = block_rows(b, to) ? block_rows(b, to) - 1 : 0;
	return b->rows_before[to] + k;
}

void layout_mark_ai(struct layout *l, const struct ainote *note)
{
	for (size_t b = 0; b < l->blocks_nr; b++) {
		const struct layout_block *blk = &l->blocks[b];
		const struct ainote_file *f;

		if (blk->kind != BLOCK_CHANGE || !blk->added ||
		    !(f = ainote_file(note, l->files[blk->file].new_path)))
			continue;
		for (size_t i = 0; i < blk->added; i++) {
			struct layout_line *line = &l->lines[blk->first_line + blk->deleted + i];

			if (ainote_file_has_line(f, line->new_no))
				line->flags |= LINE_AI;
		}
	}
}

size_t layout_line_row(const struct layout *l, enum layout_mode mode, size_t line)
{
	size_t lo = 0, hi = l->blocks_nr, k;
	const struct layout_block *b;

	if (!l->blocks_nr)
		return 0;
	/* The last block starting at or before line holds it: blocks keep the lines' order. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->blocks[mid].first_line <= line)
			lo = mid;
		else
			hi = mid;
	}
	b = &l->blocks[lo];
	k = line - b->first_line;
	if (b->kind == BLOCK_CHANGE && mode == LAYOUT_SPLIT && k >= b->deleted)
		k -= b->deleted;   /* an addition shares its row with the deletion it pairs with */
	if (b->kind != BLOCK_CHANGE && b->kind != BLOCK_CONTEXT)
		k = 0;
	return b->rows_before[mode] + k;
}

const char *layout_hunk_function(const struct layout *l, const struct layout_block *hunk, size_t *len)
{
	*len = hunk->func_len;
	return hunk->func_len ? l->arena + hunk->func_offset : "";
}
