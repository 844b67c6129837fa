/*
 * layout.c: the console's diff model.  The files are listed when a commit
 * is opened; each is diffed once, when first asked for; every screen
 * costs O(rows shown).
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
	unsigned flags;       /* enum layout_flags */
	size_t first_block;   /* the file's first block after its header */
};

/* Where the files not loaded yet are read from. */
struct layout_source {
	struct review_diff rd;   /* owned: a commit's diff (rd.diff NULL for trees) */
	git_diff *diff;          /* not owned (rd's) or owned (trees: owns_diff) */
	int owns_diff;
	git_repository *contents;/* not owned: where the deltas' blobs are */
	unsigned flags;          /* enum layout_flags */
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
	if (l->blocks_nr <= bld->first_block)
		last = NULL;   /* the last block is another file's */
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
	f->rows[LAYOUT_SPLIT] = f->rows[LAYOUT_UNIFIED] = 1;
	new_block(l, BLOCK_FILE, bld->file);
}

static void add_note(struct builder *bld, enum note_kind note)
{
	new_block(bld->l, BLOCK_NOTE, bld->file)->note = (uint8_t)note;
}

/* Notes say what the lines cannot: renames, modes, binaries, submodules. */
static void add_notes(struct builder *bld)
{
	struct layout_file *f = &bld->l->files[bld->file];
	int nothing = bld->l->blocks_nr == bld->first_block;   /* no hunk: the header alone */

	if (f->status == 'R' || f->status == 'C')
		add_note(bld, NOTE_RENAME);
	if (f->old_mode && f->new_mode && f->old_mode != f->new_mode && !f->submodule)
		add_note(bld, NOTE_MODE);
	if (f->submodule)
		add_note(bld, NOTE_SUBMODULE);
	else if (f->binary)
		add_note(bld, NOTE_BINARY);
	else if (nothing && (bld->flags & LAYOUT_IGNORE_WHITESPACE) &&
		 f->status == 'M' && !git_oid_equal(&f->old_id, &f->new_id))
		add_note(bld, NOTE_WHITESPACE);   /* every change was whitespace, and hidden */
	else if (nothing && !(f->status == 'R' || f->status == 'C'))
		add_note(bld, NOTE_EMPTY);   /* nothing but the header: an empty file, say */
}

/* Notes come right after the file header, before the hunks. */
static void move_notes_up(struct layout *l, size_t first, size_t notes_from, size_t first_line)
{
	size_t notes = l->blocks_nr - notes_from, hunks = notes_from - first;
	struct layout_block *tmp;

	if (!notes || !hunks)
		return;
	tmp = xmalloc(notes * sizeof(*tmp));
	memcpy(tmp, l->blocks + notes_from, notes * sizeof(*tmp));
	memmove(l->blocks + first + notes, l->blocks + first, hunks * sizeof(*tmp));
	memcpy(l->blocks + first, tmp, notes * sizeof(*tmp));
	free(tmp);
	/* Lines keep their order through the blocks (layout_line_row() relies on it). */
	for (size_t i = first; i < first + notes; i++)
		l->blocks[i].first_line = first_line;
}

/* Each file's rows_before, from file `from` on, and the totals. */
static void sum_rows(struct layout *l, size_t from)
{
	size_t split = 0, unified = 0;

	if (from && from <= l->files_nr) {
		split = l->files[from - 1].rows_before[LAYOUT_SPLIT] + l->files[from - 1].rows[LAYOUT_SPLIT];
		unified = l->files[from - 1].rows_before[LAYOUT_UNIFIED] + l->files[from - 1].rows[LAYOUT_UNIFIED];
	}
	for (size_t i = from; i < l->files_nr; i++) {
		l->files[i].rows_before[LAYOUT_SPLIT] = split;
		l->files[i].rows_before[LAYOUT_UNIFIED] = unified;
		split += l->files[i].rows[LAYOUT_SPLIT];
		unified += l->files[i].rows[LAYOUT_UNIFIED];
	}
	l->rows[LAYOUT_SPLIT] = split;
	l->rows[LAYOUT_UNIFIED] = unified;
}

static void mark_ai_blocks(struct layout *l, const struct ainote *note, size_t from, size_t to);

/* After the file's diff: its notes, its rows, the rows of the files after it. */
static void finish_file(struct builder *bld, size_t first_line)
{
	struct layout *l = bld->l;
	struct layout_file *f = &l->files[bld->file];
	size_t notes_from = l->blocks_nr, split = 1, unified = 1;

	add_notes(bld);
	move_notes_up(l, bld->first_block, notes_from, first_line);
	for (size_t i = bld->first_block; i < l->blocks_nr; i++) {
		l->blocks[i].rows_before[LAYOUT_SPLIT] = split;
		l->blocks[i].rows_before[LAYOUT_UNIFIED] = unified;
		split += block_rows(&l->blocks[i], LAYOUT_SPLIT);
		unified += block_rows(&l->blocks[i], LAYOUT_UNIFIED);
	}
	f->rows[LAYOUT_SPLIT] = split;
	f->rows[LAYOUT_UNIFIED] = unified;
	f->first_block = bld->first_block;
	f->blocks_nr = l->blocks_nr - bld->first_block;
	f->first_line = first_line;
	f->lines_nr = l->lines_nr - first_line;
	f->loaded = 1;
	l->loaded_nr++;
	if (l->ai)
		mark_ai_blocks(l, l->ai, bld->first_block, l->blocks_nr);
	sum_rows(l, bld->file);
}

/* A file that could not be diffed: what it produced is dropped, a note says so. */
static void drop_file(struct builder *bld, size_t first_line, size_t arena_len)
{
	struct layout *l = bld->l;
	struct layout_file *f = &l->files[bld->file];

	l->blocks_nr = bld->first_block;
	l->lines_nr = first_line;
	l->arena_len = arena_len;
	f->added = f->deleted = 0;
	f->binary = f->suspicious = 0;
	add_note(bld, NOTE_UNREADABLE);
}

int layout_load_file(struct layout *l, size_t file)
{
	struct layout_source *src = l->source;
	struct builder bld = { l, file, 0, l->blocks_nr };
	size_t first_line = l->lines_nr, arena_len = l->arena_len;
	int rc;

	if (file >= l->files_nr || l->files[file].loaded || !src)
		return 0;
	bld.flags = src->flags;
	rc = analyze_delta_flags(src->contents, git_diff_get_delta(src->diff, file), on_binary, on_hunk, on_line,
				 &bld, CONTEXT_LINES,
				 src->flags & LAYOUT_IGNORE_WHITESPACE ? GIT_DIFF_IGNORE_WHITESPACE_CHANGE : 0);
	if (rc) {
		error_clear();   /* the note says it where the file is */
		drop_file(&bld, first_line, arena_len);
	}
	finish_file(&bld, first_line);
	return 1;
}

void layout_load_all(struct layout *l, void (*progress)(void *data, size_t done, size_t total), void *data)
{
	for (size_t i = 0; i < l->files_nr && l->loaded_nr < l->files_nr; i++) {
		if (layout_load_file(l, i) && progress)
			progress(data, l->loaded_nr, l->files_nr);
	}
}

void layout_load_path(struct layout *l, const char *path)
{
	for (size_t i = 0; path && i < l->files_nr; i++)
		if (!strcmp(l->files[i].new_path, path) || !strcmp(l->files[i].old_path, path))
			layout_load_file(l, i);
}

/* The file showing row: the last file with rows_before <= row. */
size_t layout_row_file(const struct layout *l, enum layout_mode mode, size_t row)
{
	size_t lo = 0, hi = l->files_nr;

	if (!hi)
		return 0;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->files[mid].rows_before[mode] <= row)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void layout_describe_row(struct strbuf *out, const struct layout *l, enum layout_mode mode, size_t row)
{
	size_t f = layout_row_file(l, mode, row);
	const struct layout_file *file;

	if (!l->files_nr)
		return;
	file = &l->files[f];
	strbuf_addf(out, "file %zu/%zu", f + 1, l->files_nr);
	if (file->loaded)
		strbuf_addf(out, " row %zu/%zu", row - file->rows_before[mode] + 1, file->rows[mode]);
	else
		strbuf_addstr(out, " (not diffed)");
}

int layout_show(struct layout *l, enum layout_mode mode, size_t *row, size_t before, size_t after)
{
	size_t at = layout_row_file(l, mode, *row);
	int loaded = 0;

	/* From row's file on: loading them moves nothing before them (an unloaded file's row is its header). */
	for (size_t f = at; f < l->files_nr && l->files[f].rows_before[mode] < *row + after; f++)
		loaded |= layout_load_file(l, f);
	/* Above, nearest first: what grows pushes the files further up out of reach. */
	for (size_t f = at; f-- > 0;) {
		size_t rows = l->files[f].rows[mode];

		if (l->files[f].rows_before[mode] + rows + before <= *row)
			break;
		if (layout_load_file(l, f)) {
			*row += l->files[f].rows[mode] - rows;
			loaded = 1;
		}
	}
	return loaded;
}

/* Every delta of diff as a file, none loaded yet. */
static void list_files(struct layout *l, git_diff *diff)
{
	struct builder bld = { l, 0, 0, 0 };

	for (size_t i = 0; i < git_diff_num_deltas(diff); i++)
		add_file(&bld, git_diff_get_delta(diff, i));
	sum_rows(l, 0);
}

int layout_load(struct layout **out, git_repository *repo, const git_commit *commit)
{
	return layout_load_flags(out, repo, commit, 0);
}

int layout_open(struct layout **out, git_repository *repo, const git_commit *commit, unsigned flags)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct layout_source *src = xcalloc(1, sizeof(*src));
	int rc;

	*out = NULL;
	/* A merge's diff is its remerge diff (analyze.h), read from its scratch repository. */
	if ((rc = analyze_review_diff(&src->rd, repo, commit, ANALYZE_RENAMES))) {
		free(src);
		free(l);
		return rc;
	}
	src->diff = src->rd.diff;
	src->contents = src->rd.contents;
	src->flags = flags;
	l->source = src;
	l->parents = src->rd.parents;
	l->remerged = src->rd.remerge.scratch != NULL;
	l->octopus = src->rd.remerge.octopus;
	l->conflicts = src->rd.remerge.conflicts;
	l->renames_limited = src->rd.renames_limited;
	l->rename_limit = analyze_rename_limit(repo);
	list_files(l, src->diff);
	*out = l;
	return 0;
}

int layout_load_flags(struct layout **out, git_repository *repo, const git_commit *commit, unsigned flags)
{
	int rc = layout_open(out, repo, commit, flags);

	if (!rc)
		layout_load_all(*out, NULL, NULL);
	return rc;
}

int layout_open_trees(struct layout **out, git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		      unsigned flags)
{
	struct layout *l;
	struct layout_source *src;
	git_diff *diff;
	int rc, limit, limited;

	*out = NULL;
	limit = analyze_rename_limit(repo);
	if ((rc = analyze_trees_diff(&diff, repo, old_tree, new_tree, ANALYZE_RENAMES, limit, &limited)))
		return rc;
	l = xcalloc(1, sizeof(*l));
	src = xcalloc(1, sizeof(*src));
	src->diff = diff;
	src->owns_diff = 1;
	src->contents = repo;
	src->flags = flags;
	l->source = src;
	l->parents = 1;
	l->renames_limited = limited;
	l->rename_limit = limit;
	list_files(l, diff);   /* each file diffed when asked for, as layout_open() (the source owns the diff) */
	*out = l;
	return 0;
}

int layout_open_range(struct layout **out, git_repository *repo, const git_oid *base, const git_oid *tip,
		      unsigned flags)
{
	git_commit *old_commit = NULL, *new_commit = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	char from[GIT_OID_HEXSZ + 1], to[GIT_OID_HEXSZ + 1];
	int rc;

	*out = NULL;
	if (git_commit_lookup(&old_commit, repo, base) || git_commit_lookup(&new_commit, repo, tip) ||
	    git_commit_tree(&old_tree, old_commit) || git_commit_tree(&new_tree, new_commit))
		rc = error_set_git(REVQ_ERROR, "cannot read the series %s..%s", git_oid_tostr(from, sizeof(from), base),
				   git_oid_tostr(to, sizeof(to), tip));
	else
		rc = layout_open_trees(out, repo, old_tree, new_tree, flags);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(old_commit);
	git_commit_free(new_commit);
	return rc;
}

int layout_load_range(struct layout **out, git_repository *repo, const git_oid *base, const git_oid *tip,
		      unsigned flags)
{
	int rc = layout_open_range(out, repo, base, tip, flags);

	if (!rc)
		layout_load_all(*out, NULL, NULL);
	return rc;
}

int layout_load_diff(struct layout **out, git_diff *diff, git_repository *repo, unsigned flags)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct layout_source src;

	/* Loaded now, every file: the diff is the caller's and may go once this returns. */
	memset(&src, 0, sizeof(src));
	src.diff = diff;
	src.contents = repo;
	src.flags = flags;
	l->source = &src;
	l->parents = 1;
	list_files(l, diff);
	layout_load_all(l, NULL, NULL);
	l->source = NULL;
	*out = l;
	return 0;
}

int layout_load_texts(struct layout **out, const char *old_text, size_t old_len,
		      const char *new_text, size_t new_len)
{
	struct layout *l = xcalloc(1, sizeof(*l));
	struct builder bld = { l, 0, 0, 0 };
	git_diff_delta delta;
	git_diff_options opts;

	*out = NULL;
	memset(&delta, 0, sizeof(delta));
	delta.status = GIT_DELTA_MODIFIED;
	delta.old_file.path = delta.new_file.path = "text";
	delta.old_file.mode = delta.new_file.mode = GIT_FILEMODE_BLOB;
	delta.old_file.size = old_len;
	delta.new_file.size = new_len;
	add_file(&bld, &delta);
	bld.first_block = l->blocks_nr;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = CONTEXT_LINES;
	if (git_diff_buffers(old_text, old_len, NULL, new_text, new_len, NULL, &opts, NULL, on_binary,
			     on_hunk, on_line, &bld)) {
		layout_free(l);
		return error_set_git(REVQ_ERROR, "cannot diff the texts");
	}
	finish_file(&bld, 0);
	*out = l;
	return 0;
}

static void source_free(struct layout_source *src)
{
	if (!src)
		return;
	if (src->owns_diff)
		git_diff_free(src->diff);
	else
		review_diff_release(&src->rd);
	free(src);
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
	source_free(l->source);
	if (l->ai) {
		ainote_release(l->ai);
		free(l->ai);
	}
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

/* The block of file f holding rel, a row counted from the file's header. */
static size_t block_in_file(const struct layout *l, enum layout_mode mode, size_t f, size_t rel)
{
	const struct layout_file *file = &l->files[f];
	size_t lo = file->first_block, hi = file->first_block + file->blocks_nr;

	if (!rel || !file->blocks_nr)
		return f;   /* its header */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->blocks[mid].rows_before[mode] <= rel)
			lo = mid;
		else
			hi = mid;
	}
	/* Blocks with no rows share rows_before with their successor; skip them. */
	while (lo + 1 < file->first_block + file->blocks_nr && l->blocks[lo + 1].rows_before[mode] <= rel)
		lo++;
	return lo;
}

/* The block holding row, and the row's index in it. */
static const struct layout_block *block_of_row(const struct layout *l, enum layout_mode mode, size_t row,
					       size_t *k)
{
	size_t f = layout_row_file(l, mode, row), rel = row - l->files[f].rows_before[mode];
	const struct layout_block *b = &l->blocks[block_in_file(l, mode, f, rel)];

	*k = rel - b->rows_before[mode];
	return b;
}

/* The row of block b (of its file, after the file's rows_before). */
static size_t block_row(const struct layout *l, enum layout_mode mode, const struct layout_block *b)
{
	return l->files[b->file].rows_before[mode] + b->rows_before[mode];
}

void layout_row(struct layout_row *out, const struct layout *l, enum layout_mode mode, size_t row)
{
	size_t k;
	const struct layout_block *b = block_of_row(l, mode, row, &k);

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
	return file < l->files_nr ? l->files[file].rows_before[mode] : 0;
}

/* The first (direction > 0) or last hunk of file f after/before row, loading it; SIZE_MAX: none. */
static size_t hunk_in_file(struct layout *l, enum layout_mode mode, size_t f, size_t row, int direction)
{
	const struct layout_file *file = &l->files[f];
	size_t found = SIZE_MAX;

	layout_load_file(l, f);
	for (size_t i = file->first_block; i < file->first_block + file->blocks_nr; i++) {
		size_t at = block_row(l, mode, &l->blocks[i]);

		if (l->blocks[i].kind != BLOCK_HUNK)
			continue;
		if (direction > 0 && at > row)
			return at;
		if (direction < 0 && at < row)
			found = at;
	}
	return found;
}

size_t layout_find(struct layout *l, enum layout_mode mode, size_t row, int direction, int files_only)
{
	size_t f, found = SIZE_MAX;

	if (!l->files_nr)
		return SIZE_MAX;
	if (row >= l->rows[mode])
		row = l->rows[mode] - 1;
	f = layout_row_file(l, mode, row);
	if (files_only) {
		if (direction > 0)
			return f + 1 < l->files_nr ? l->files[f + 1].rows_before[mode] : SIZE_MAX;
		if (l->files[f].rows_before[mode] < row)
			return l->files[f].rows_before[mode];
		return f ? l->files[f - 1].rows_before[mode] : SIZE_MAX;
	}
	/* Files after (before) row's are searched whole; loading them does not move what they find. */
	for (size_t g = f;; g = direction > 0 ? g + 1 : g - 1) {
		found = hunk_in_file(l, mode, g, g == f ? row : direction > 0 ? 0 : SIZE_MAX, direction);
		if (found != SIZE_MAX || (direction > 0 ? g + 1 >= l->files_nr : g == 0))
			break;
	}
	return found;
}

size_t layout_convert_row(const struct layout *l, enum layout_mode from, size_t row)
{
	enum layout_mode to = from == LAYOUT_SPLIT ? LAYOUT_UNIFIED : LAYOUT_SPLIT;
	const struct layout_block *b;
	size_t k;

	if (!l->files_nr)
		return 0;
	b = block_of_row(l, from, row, &k);
	if (b->kind == BLOCK_CHANGE && from == LAYOUT_UNIFIED && k >= b->deleted)
		k -= b->deleted;   /* an addition: its pair row in split mode */
	if (k >= block_rows(b, to))
		k = block_rows(b, to) ? block_rows(b, to) - 1 : 0;
	return block_row(l, to, b) + k;
}

/* LINE_AI on the added lines of blocks [from, to) that note names. */
static void mark_ai_blocks(struct layout *l, const struct ainote *note, size_t from, size_t to)
{
	for (size_t b = from; b < to; b++) {
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

void layout_mark_ai(struct layout *l, const struct ainote *note)
{
	mark_ai_blocks(l, note, 0, l->blocks_nr);
}

void layout_keep_ai(struct layout *l, struct ainote *note)
{
	if (l->ai) {
		ainote_release(l->ai);
		free(l->ai);
	}
	l->ai = xmalloc(sizeof(*l->ai));
	*l->ai = *note;
	memset(note, 0, sizeof(*note));
	layout_mark_ai(l, l->ai);
}

size_t layout_line_row(const struct layout *l, enum layout_mode mode, size_t line)
{
	size_t lo = l->files_nr, hi = l->blocks_nr, k;
	const struct layout_block *b;

	if (l->blocks_nr <= l->files_nr)
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
	return block_row(l, mode, b) + k;
}

const char *layout_hunk_function(const struct layout *l, const struct layout_block *hunk, size_t *len)
{
	*len = hunk->func_len;
	return hunk->func_len ? l->arena + hunk->func_offset : "";
}
