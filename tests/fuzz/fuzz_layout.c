/*
 * fuzz_layout.c: the side-by-side/unified row model and the word diff,
 * given arbitrary old and new texts (split at the first NUL byte).
 * Every row is checked against the invariants the console relies on.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "show/layout.h"
#include "git/repo.h"
#include "show/spans.h"
#include "show/worddiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const struct layout *l, const struct layout_line *line)
{
	if (!line)
		return;
	if (line < l->lines || line >= l->lines + l->lines_nr || line->offset + line->len > l->arena_len)
		abort();
}

static void check_row(const struct layout *l, enum layout_mode mode, size_t row, struct spans *sp)
{
	struct layout_row r;

	layout_row(&r, l, mode, row);
	check_line(l, r.left);
	check_line(l, r.right);
	if (r.file >= l->files_nr)
		abort();
	if ((r.kind == ROW_CONTEXT || r.kind == ROW_DELETE || r.kind == ROW_ADD) && !r.left)
		abort();
	if (r.kind == ROW_CHANGE && !r.left && !r.right)
		abort();
	if (r.kind == ROW_CHANGE && r.left && r.right) {
		struct worddiff wd;

		if (worddiff_compute(&wd, layout_text(l, r.left), r.left->len, layout_text(l, r.right),
				     r.right->len))
			abort();
		for (size_t i = 0; i < wd.old_nr; i++)
			if (wd.old_changed[i].start > wd.old_changed[i].end || wd.old_changed[i].end > r.left->len)
				abort();
		for (size_t i = 0; i < wd.new_nr; i++)
			if (wd.new_changed[i].start > wd.new_changed[i].end || wd.new_changed[i].end > r.right->len)
				abort();
		spans_layout(sp, layout_text(l, r.right), r.right->len, wd.new_changed, wd.new_nr, 3, 40, 0);
		worddiff_release(&wd);
	}
	{
		enum layout_mode other = mode == LAYOUT_SPLIT ? LAYOUT_UNIFIED : LAYOUT_SPLIT;
		size_t there = layout_convert_row(l, mode, row);

		/* The same place exists in the other mode, and converts back inside this one. */
		if (there >= l->rows[other] || layout_convert_row(l, other, there) >= l->rows[mode])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t old_len = nul ? (size_t)(nul - data) : size / 2;
	const char *new_text = (const char *)data + old_len + (nul ? 1 : 0);
	size_t new_len = size - old_len - (nul ? 1 : 0);
	struct spans sp = SPANS_INIT;
	struct layout *l;

	repo_library_init();
	setlocale(LC_ALL, "C.UTF-8");
	if (layout_load_texts(&l, (const char *)data, old_len, new_text, new_len))
		return 0;
	for (int mode = 0; mode < 2; mode++) {
		size_t rows = layout_rows(l, (enum layout_mode)mode);

		for (size_t row = 0; row < rows && row < 4096; row++)
			check_row(l, (enum layout_mode)mode, row, &sp);
		for (size_t row = 0, n = 0; row != SIZE_MAX && n < 1000; n++)
			row = layout_find(l, (enum layout_mode)mode, row, 1, 0);
	}
	spans_release(&sp);
	layout_free(l);
	return 0;
}
