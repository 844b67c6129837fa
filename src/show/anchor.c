/*
 * anchor.c: placing review comments on a diff by the content of their
 * lines, and their one-line descriptions (anchor.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "show/anchor.h"

/* Does layout line ln show a line of `side` in file f, and which number? */
static uint32_t side_number(const struct layout_line *ln, enum comment_side side)
{
	if (side == SIDE_NEW)
		return ln->kind != LINE_DELETE ? ln->new_no : 0;
	return ln->kind != LINE_ADD ? ln->old_no : 0;
}

static const char *side_path(const struct layout_file *f, enum comment_side side)
{
	return side == SIDE_NEW ? f->new_path : f->old_path;
}

/* The lines [*from, *to) of a context or change block. */
static int block_lines(const struct layout_block *b, size_t *from, size_t *to)
{
	size_t n = b->kind == BLOCK_CHANGE ? (size_t)b->deleted + b->added : b->kind == BLOCK_CONTEXT ? b->deleted : 0;

	*from = b->first_line;
	*to = b->first_line + n;
	return n != 0;
}

/*
 * The line of path on side closest to `no` that matches: by number when
 * id is NULL, else by content; SIZE_MAX when none does.
 */
static size_t search(const struct layout *l, const char *path, enum comment_side side, uint32_t no,
		     const git_oid *id)
{
	size_t best = SIZE_MAX;
	uint32_t best_distance = UINT32_MAX;

	if (side == SIDE_NONE || !path)
		return SIZE_MAX;
	for (size_t b = 0; b < l->blocks_nr; b++) {
		const struct layout_block *blk = &l->blocks[b];
		size_t from, to;

		if (!block_lines(blk, &from, &to) || strcmp(side_path(&l->files[blk->file], side), path))
			continue;
		for (size_t i = from; i < to; i++) {
			uint32_t at = side_number(&l->lines[i], side), distance;
			git_oid content;

			if (!at)
				continue;
			if (!id) {
				if (at == no)
					return i;
				continue;
			}
			comment_line_id(&content, layout_text(l, &l->lines[i]), l->lines[i].len);
			distance = at > no ? at - no : no - at;
			if (git_oid_equal(&content, id) && distance < best_distance) {
				best = i;
				best_distance = distance;
			}
		}
	}
	return best;
}

size_t anchor_line_at(const struct layout *l, const char *path, enum comment_side side, uint32_t no)
{
	return search(l, path, side, no, NULL);
}

size_t anchor_locate(const struct layout *l, const struct comment_record *c)
{
	if (c->kind != COMMENT_NEW || c->side == SIDE_NONE)
		return SIZE_MAX;
	return search(l, c->path, c->side, c->line, &c->line_id);
}

static int compare_anchored(const void *a, const void *b)
{
	const struct anchored *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->comment < y->comment ? -1 : x->comment > y->comment;
}

void comment_map_build(struct comment_map *m, const struct layout *l, const struct comment_set *set)
{
	memset(m, 0, sizeof(*m));
	m->line_of = xcalloc(set->nr ? set->nr : 1, sizeof(*m->line_of));
	m->number_of = xcalloc(set->nr ? set->nr : 1, sizeof(*m->number_of));
	m->v = xcalloc(set->nr ? set->nr : 1, sizeof(*m->v));
	/* Comments first, then their answers where their comment is (an answer's clock may be behind). */
	for (int answers = 0; answers < 2; answers++)
		for (size_t i = 0; i < set->nr; i++) {
			const struct comment *c = &set->v[i];

			if ((c->record.kind != COMMENT_NEW) != answers)
				continue;
			m->line_of[i] = c->parent != SIZE_MAX ? m->line_of[c->parent] :
				c->stale ? SIZE_MAX : anchor_locate(l, &c->record);
			if (m->line_of[i] != SIZE_MAX && c->record.kind == COMMENT_NEW)
				m->number_of[i] = side_number(&l->lines[m->line_of[i]], c->record.side);
			if (comment_is_outdated(m, set, i))
				m->outdated++;
			if (m->line_of[i] != SIZE_MAX) {
				m->v[m->nr].line = m->line_of[i];
				m->v[m->nr].row = layout_line_row(l, LAYOUT_UNIFIED, m->line_of[i]);
				m->v[m->nr++].comment = i;
			}
		}
	if (m->nr)
		qsort(m->v, m->nr, sizeof(*m->v), compare_anchored);
}

void comment_map_release(struct comment_map *m)
{
	free(m->line_of);
	free(m->number_of);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

size_t comment_map_find(const struct comment_map *m, const struct layout *l, size_t line)
{
	size_t lo = 0, hi = m->nr, row = m->nr ? layout_line_row(l, LAYOUT_UNIFIED, line) : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		/* Rows now: files diffed since the map was built moved them, never reordered them. */
		if (layout_line_row(l, LAYOUT_UNIFIED, m->v[mid].line) < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nr && m->v[lo].line == line ? lo : SIZE_MAX;
}

int comment_is_outdated(const struct comment_map *m, const struct comment_set *set, size_t i)
{
	const struct comment *c = &set->v[i];

	return c->record.kind == COMMENT_NEW && (c->stale || (c->record.side != SIDE_NONE && m->line_of[i] == SIZE_MAX));
}

void comment_describe(struct strbuf *out, const struct comment_set *set, size_t i)
{
	const struct comment *c = &set->v[i];
	char id[16], when[32];

	comment_short_id(id, sizeof(id), c);
	record_format_time(when, sizeof(when), c->record.time);
	when[10] = ' ';
	when[16] = '\0';   /* "2026-11-24 10:00" */
	strbuf_addf(out, "[%s] ", id);
	if (!c->verified)
		strbuf_addf(out, "unverified (%s), claims ", sig_status_text(c->sig));
	strbuf_addf(out, "%s <%s> %s", c->record.reviewer_name, c->record.reviewer_email, when);
	if (c->record.kind == COMMENT_REPLY)
		strbuf_addstr(out, " replied");
	else if (c->record.kind == COMMENT_RESOLVE)
		strbuf_addstr(out, " resolved it");
	if (c->resolved)
		strbuf_addf(out, " (resolved by %s)", c->resolved_by);
	if (*c->record.text)
		strbuf_addf(out, ": %s", c->record.text);
}

void comment_describe_anchor(struct strbuf *out, const struct comment_set *set, size_t i)
{
	const struct comment *c = &set->v[i];
	char id[16];

	if (c->record.kind != COMMENT_NEW) {
		if (c->parent != SIZE_MAX)
			comment_short_id(id, sizeof(id), &set->v[c->parent]);
		else
			oid_short_id(id, sizeof(id), &c->record.re, SHORT_ID_LEN);
		strbuf_addf(out, "%s %s", c->record.kind == COMMENT_REPLY ? "reply to" : "resolves", id);
	} else if (c->record.side != SIDE_NONE) {
		strbuf_addf(out, "%s %s line %u", c->record.path, comment_side_name(c->record.side),
			    (unsigned)c->record.line);
	} else {
		strbuf_addstr(out, "general");
	}
}
