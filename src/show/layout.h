/*
 * layout.h: a commit's diff as rows for the console, in side-by-side
 * (split) or unified form.
 *
 * layout_open() lists the files of the diff (with rename detection,
 * without attributes) and diffs none: each file is diffed once, when it is
 * first asked for (layout_load_file(), layout_show()), and its lines'
 * text kept in an arena.  Opening a commit of 3,000 files therefore costs
 * the tree diff and the first screen, not 3,000 diffs.  layout_load()
 * opens and loads every file, for the batch commands.
 *
 * A file not loaded yet is one row, its header.  Lines are grouped in
 * blocks (a file header, a note, a hunk header, a run of context, a
 * change: deletions followed by additions).  The first files_nr blocks
 * are the files' headers, in order; each file's other blocks follow, in
 * the order the files were loaded, contiguous per file.  A file knows how
 * many rows precede it, a block how many precede it in its file, in each
 * mode, so any row is found by two binary searches.  A screen of rows
 * therefore costs the same in a 10-line diff and in a 100,000-line one.
 *
 * Line indices (into lines) never change once a file is loaded, but they
 * follow the order of loading, not of the diff: compare positions with
 * layout_line_row().
 *
 * In split mode a change block pairs its i-th deletion with its i-th
 * addition on one row (old on the left, new on the right); the longer
 * side continues alone.  In unified mode every line is a row.
 *
 * A layout owns everything in it; layout_free() frees it.  Rows point
 * into the layout and stay valid while it lives.
 */
#ifndef REVQ_LAYOUT_H
#define REVQ_LAYOUT_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

struct ainote;
struct layout_source;

enum layout_mode {
	LAYOUT_SPLIT = 0,
	LAYOUT_UNIFIED = 1,
};

enum line_kind {
	LINE_CONTEXT,
	LINE_DELETE,
	LINE_ADD,
};

enum line_flags {
	LINE_SUSPICIOUS = 1 << 0,   /* holds a bidi control or an invisible character */
	LINE_CONTROL = 1 << 1,      /* holds a terminal control character */
	LINE_AI = 1 << 2,           /* an added line an AI session wrote, by its note (layout_mark_ai) */
};

struct layout_line {
	size_t offset;        /* of the text in the layout's arena */
	uint32_t len;         /* bytes, without the newline */
	uint32_t old_no;      /* line number in the old file, 0 when none */
	uint32_t new_no;      /* line number in the new file, 0 when none */
	uint8_t kind;         /* enum line_kind */
	uint8_t flags;        /* enum line_flags */
};

struct layout_file {
	char *old_path;       /* owned */
	char *new_path;       /* owned */
	char status;          /* 'A', 'D', 'M', 'R', 'C', 'T' */
	uint32_t old_mode, new_mode;
	unsigned similarity;
	unsigned binary : 1;
	unsigned submodule : 1;
	unsigned suspicious : 1;   /* some added line is suspicious */
	unsigned added, deleted;
	git_oid old_id, new_id;
	uint64_t old_size, new_size;
	unsigned loaded : 1;       /* diffed: the fields above and its blocks are complete */
	size_t rows_before[2];     /* rows of the files before it, per enum layout_mode */
	size_t rows[2];            /* its rows (1, its header, until loaded) */
	size_t first_block;        /* its blocks after the header: [first_block, first_block + blocks_nr) */
	size_t blocks_nr;
	size_t first_line;         /* its lines: [first_line, first_line + lines_nr) */
	size_t lines_nr;
};

enum block_kind {
	BLOCK_FILE,      /* the file's header row */
	BLOCK_NOTE,      /* binary, mode change, submodule, rename, empty */
	BLOCK_HUNK,      /* a hunk header row */
	BLOCK_CONTEXT,   /* unchanged lines */
	BLOCK_CHANGE,    /* deletions, then additions */
};

enum note_kind {
	NOTE_BINARY,
	NOTE_MODE,
	NOTE_SUBMODULE,
	NOTE_RENAME,
	NOTE_EMPTY,
	NOTE_WHITESPACE,   /* changes only whitespace, hidden by LAYOUT_IGNORE_WHITESPACE */
	NOTE_UNREADABLE,   /* its contents could not be read or diffed */
};

struct layout_block {
	uint8_t kind;          /* enum block_kind */
	uint8_t note;          /* enum note_kind, for BLOCK_NOTE */
	uint32_t file;
	size_t first_line;     /* into lines, for context and change blocks */
	uint32_t deleted;      /* change: deletions; context: line count */
	uint32_t added;        /* change: additions */
	uint32_t old_start, old_lines, new_start, new_lines;   /* for hunk headers */
	size_t func_offset;    /* hunk headers: the enclosing function's line, as git shows it, */
	uint32_t func_len;     /* in the arena (func_len 0: none) */
	size_t rows_before[2]; /* rows before this block in its file (a header: 0), per enum layout_mode */
};

struct layout {
	struct layout_file *files;     /* owned */
	size_t files_nr, files_alloc;
	struct layout_line *lines;     /* owned */
	size_t lines_nr, lines_alloc;
	struct layout_block *blocks;   /* owned */
	size_t blocks_nr, blocks_alloc;
	char *arena;                   /* owned: every line's text */
	size_t arena_len, arena_alloc;
	size_t rows[2];                /* total rows per mode */
	uint32_t max_line_no;          /* the widest line number, for the number columns */
	unsigned parents;              /* the commit's; a merge's diff is its remerge diff */
	int remerged;                  /* a merge diffed against its parents merged again */
	int octopus;                   /* ... more than two, merged one by one (git/remerge.h) */
	unsigned conflicts;            /* ... paths that were in conflict */
	int renames_limited;           /* more files than diff.renameLimit: exact renames only, as git */
	int rename_limit;              /* the diff.renameLimit that applied */
	size_t loaded_nr;              /* files loaded */
	struct layout_source *source;  /* owned: where files not loaded yet are diffed from, or NULL */
	struct ainote *ai;             /* owned: the note whose lines are marked LINE_AI, or NULL */
};

enum row_kind {
	ROW_FILE,
	ROW_NOTE,
	ROW_HUNK,
	ROW_CONTEXT,   /* left and right are the same line */
	ROW_CHANGE,    /* split: a deletion on the left and/or an addition on the right */
	ROW_DELETE,    /* unified */
	ROW_ADD,       /* unified */
};

struct layout_row {
	enum row_kind kind;
	size_t file;                       /* index into layout->files */
	const struct layout_block *block;
	const struct layout_line *left;    /* old side (unified: the line), or NULL */
	const struct layout_line *right;   /* new side, or NULL */
};

enum layout_flags {
	LAYOUT_IGNORE_WHITESPACE = 1 << 0,   /* hide changes of whitespace only (git diff -b) */
};

/*
 * The layout of commit's diff, its files listed and none diffed yet; repo
 * must outlive it.  flags: enum layout_flags.
 */
int layout_open(struct layout **out, git_repository *repo, const git_commit *commit, unsigned flags);
/* layout_open() and every file loaded. */
int layout_load(struct layout **out, git_repository *repo, const git_commit *commit);
/* The same with enum layout_flags. */
int layout_load_flags(struct layout **out, git_repository *repo, const git_commit *commit, unsigned flags);
/*
 * Diffs file (an index into files) when it is not loaded yet.  A file
 * that cannot be read shows NOTE_UNREADABLE; returns 1 when the file was
 * loaded now, else 0.  Rows after the file move by its growth.
 */
int layout_load_file(struct layout *layout, size_t file);
/* Loads every file, calling progress (when set) with the files done and the total. */
void layout_load_all(struct layout *layout, void (*progress)(void *data, size_t done, size_t total), void *data);
/* Loads every file whose old or new path is path. */
void layout_load_path(struct layout *layout, const char *path);
/*
 * Loads every file with a row in [*row - before, *row + after) in mode;
 * *row keeps showing the same place (it moves by what grew before it).
 * Returns 1 when a file was loaded.
 */
int layout_show(struct layout *layout, enum layout_mode mode, size_t *row, size_t before, size_t after);
/*
 * Where row is, in words that do not change as other files are diffed:
 * "file 3/12 row 45/120", the row counted within its file (its header is
 * row 1), or "file 3/12 (not diffed)" while its file is not.  (Rows of
 * the whole layout grow as files are diffed; a file's, once diffed, not.)
 */
void layout_describe_row(struct strbuf *out, const struct layout *layout, enum layout_mode mode, size_t row);
/* The file showing row. */
size_t layout_row_file(const struct layout *layout, enum layout_mode mode, size_t row);
/*
 * The layout of the change from old_tree to new_tree, a series' combined
 * diff (decide/series.h): its files listed and none diffed, as layout_open().
 */
int layout_open_trees(struct layout **out, git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		      unsigned flags);
/* The same from base's tree to tip's (commits): a series base..tip, none diffed yet. */
int layout_open_range(struct layout **out, git_repository *repo, const git_oid *base, const git_oid *tip,
		      unsigned flags);
/* layout_open_range() with every file diffed (what places a comment from the command line). */
int layout_load_range(struct layout **out, git_repository *repo, const git_oid *base, const git_oid *tip,
		      unsigned flags);
/* The layout of a diff already made (an interdiff, decide/versions.h), contents read from repo. */
int layout_load_diff(struct layout **out, git_diff *diff, git_repository *repo, unsigned flags);
/* The layout of one file changing from old_text to new_text (for tests and fuzzing). */
int layout_load_texts(struct layout **out, const char *old_text, size_t old_len,
		      const char *new_text, size_t new_len);
void layout_free(struct layout *layout);

/* Flags LINE_AI on each added line that note (judge/ainotes.h) says an AI session wrote. */
void layout_mark_ai(struct layout *layout, const struct ainote *note);
/* The same, and for every file loaded later: the layout takes note's contents (note is left empty). */
void layout_keep_ai(struct layout *layout, struct ainote *note);

size_t layout_rows(const struct layout *layout, enum layout_mode mode);
/* Fills out for row (which must be < layout_rows()); O(log blocks). */
void layout_row(struct layout_row *out, const struct layout *layout, enum layout_mode mode,
		size_t row);
/* The text of a line; not NUL-terminated. */
const char *layout_text(const struct layout *layout, const struct layout_line *line);
/* The row of a file's header. */
size_t layout_file_row(const struct layout *layout, enum layout_mode mode, size_t file);
/*
 * The next (direction > 0) or previous hunk header (file header when
 * files_only), strictly after/before row; SIZE_MAX when there is none.
 * Files on the way are loaded to find their hunks.
 */
size_t layout_find(struct layout *layout, enum layout_mode mode, size_t row, int direction,
		   int files_only);
/* The row that shows line (an index into layout->lines) in mode. */
size_t layout_line_row(const struct layout *layout, enum layout_mode mode, size_t line);
/* The text of a hunk header's function context; not NUL-terminated, *len may be 0. */
const char *layout_hunk_function(const struct layout *layout, const struct layout_block *hunk, size_t *len);
/* The row in the other mode that shows the same place. */
size_t layout_convert_row(const struct layout *layout, enum layout_mode from, size_t row);

#endif
