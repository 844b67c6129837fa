/*
 * spans.c: laying out untrusted text as attributed runs for one screen
 * row: the bridge between escape.c and the console's drawing code.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "show/spans.h"

void spans_reset(struct spans *s)
{
	s->nr = 0;
	strbuf_reset(&s->text);
	s->width = 0;
	s->more_left = s->more_right = s->suspicious = 0;
}

void spans_release(struct spans *s)
{
	unsigned tabwidth = s->tabwidth;

	free(s->v);
	strbuf_release(&s->text);
	memset(s, 0, sizeof(*s));
	s->tabwidth = tabwidth;
}

static void emit(struct spans *s, unsigned attr, const char *text, size_t len, size_t width)
{
	struct span *last = s->nr ? &s->v[s->nr - 1] : NULL;

	if (last && last->attr == attr && last->offset + last->len == s->text.len) {
		last->len += len;
		last->width += width;
	} else {
		ALLOC_GROW(s->v, s->nr + 1, s->alloc);
		s->v[s->nr].attr = attr;
		s->v[s->nr].offset = s->text.len;
		s->v[s->nr].len = len;
		s->v[s->nr++].width = width;
	}
	strbuf_add(&s->text, text, len);
	s->width += width;
}

static unsigned glyph_attr(const struct glyph *g)
{
	switch (g->kind) {
	case GLYPH_BIDI:
	case GLYPH_INVISIBLE:
	case GLYPH_SPACE:
		return SPAN_SUSPICIOUS;
	case GLYPH_CONTROL:
	case GLYPH_INVALID:
	case GLYPH_UNPRINTABLE:
		return SPAN_CONTROL;
	default:
		return SPAN_PLAIN;
	}
}

static int highlighted(const struct byte_range *h, size_t nr, size_t *cursor, size_t at)
{
	while (*cursor < nr && h[*cursor].end <= at)
		(*cursor)++;
	return *cursor < nr && h[*cursor].start <= at && at < h[*cursor].end;
}

static size_t tab_stop(unsigned tabwidth)
{
	return tabwidth >= 1 && tabwidth <= SPANS_MAX_TABWIDTH ? tabwidth : ESCAPE_TABSTOP;
}

/* Wider than any glyph: a tab is at most 16 columns, notation at most 10. */
static const char spaces[GLYPH_TEXT_MAX + 1] = "                                ";

/*
 * Appends the glyphs of text from *at that fall in columns [scroll, scroll
 * + width).  With whole, a glyph that does not fit ends the row instead of
 * being cut (folding); *at is left at the first glyph not laid out.
 */
static void layout_run(struct spans *out, const char *text, size_t len,
		       const struct byte_range *highlights, size_t highlights_nr,
		       struct spans_at *at, size_t scroll, size_t width, unsigned escape_flags, int whole)
{
	size_t i = at->byte, column = at->column, cursor = 0, end = scroll + width, tab = tab_stop(out->tabwidth);
	struct glyph g;

	while (i < len) {
		size_t n = escape_next_glyph(&g, text + i, len - i, escape_flags);
		unsigned attr = glyph_attr(&g);
		size_t w = g.kind == GLYPH_TAB ? tab - column % tab : g.width;

		if (highlights && highlighted(highlights, highlights_nr, &cursor, i))
			attr |= SPAN_CHANGED;
		if (column >= end || (whole && column + w > end && column > scroll)) {
			/* Work stays proportional to the screen, not to the line. */
			out->more_right = 1;
			break;
		}
		if (escape_glyph_is_suspicious(g.kind))
			out->suspicious = 1;
		if (column + w <= scroll) {
			out->more_left = 1;
		} else if (column < scroll || column + w > end) {
			/* Cut by an edge: show the visible part as spaces. */
			size_t from = column < scroll ? scroll : column;
			size_t to = column + w > end ? end : column + w;

			emit(out, attr, spaces, to - from, to - from);
			if (column < scroll)
				out->more_left = 1;
			if (column + w > end)
				out->more_right = 1;
		} else if (g.kind == GLYPH_TAB) {
			emit(out, attr, spaces, w, w);
		} else {
			emit(out, attr, g.text, g.len, g.width);
		}
		column += w;
		i += n;
	}
	at->byte = i;
	at->column = column;
}

void spans_layout(struct spans *out, const char *text, size_t len,
		  const struct byte_range *highlights, size_t highlights_nr,
		  size_t scroll, size_t width, unsigned escape_flags)
{
	struct spans_at at = { 0, 0 };

	spans_reset(out);
	layout_run(out, text, len, highlights, highlights_nr, &at, scroll, width, escape_flags, 0);
}

void spans_layout_marked(struct spans *out, const char *text, size_t len,
			 const struct byte_range *highlights, size_t highlights_nr,
			 size_t scroll, size_t width, unsigned escape_flags)
{
	struct spans_at at = { 0, 0 };
	int left, right;

	spans_layout(out, text, len, highlights, highlights_nr, scroll, width, escape_flags);
	left = out->more_left;
	right = out->more_right;
	if ((!left && !right) || width < 3)
		return;
	spans_reset(out);
	if (left)
		emit(out, SPAN_CUT, "<", 1, 1);
	layout_run(out, text, len, highlights, highlights_nr, &at, scroll + (size_t)left,
		   width - (size_t)left - (size_t)right, escape_flags, 0);
	if (right) {
		emit(out, SPAN_CUT, ">", 1, 1);
		out->more_right = 1;
	}
	out->more_left = left;
}

void spans_layout_from(struct spans *out, const char *text, size_t len,
		       const struct byte_range *highlights, size_t highlights_nr,
		       struct spans_at *at, size_t width, unsigned escape_flags)
{
	spans_reset(out);
	layout_run(out, text, len, highlights, highlights_nr, at, at->column, width, escape_flags, 1);
	out->more_left = 0;
}

size_t spans_column(const char *text, size_t len, size_t byte, unsigned tabwidth, unsigned escape_flags)
{
	size_t i = 0, column = 0, tab = tab_stop(tabwidth);
	struct glyph g;

	while (i < len && i < byte) {
		i += escape_next_glyph(&g, text + i, len - i, escape_flags);
		column += g.kind == GLYPH_TAB ? tab - column % tab : g.width;
	}
	return column;
}
