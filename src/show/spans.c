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
	free(s->v);
	strbuf_release(&s->text);
	memset(s, 0, sizeof(*s));
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

void spans_layout(struct spans *out, const char *text, size_t len,
		  const struct byte_range *highlights, size_t highlights_nr,
		  size_t scroll, size_t width, unsigned escape_flags)
{
	size_t i = 0, column = 0, cursor = 0, end = scroll + width;
	/* Wider than any glyph: a tab is at most 8 columns, notation at most 10. */
	static const char spaces[GLYPH_TEXT_MAX + 1] = "                                ";
	struct glyph g;

	spans_reset(out);
	while (i < len) {
		size_t n = escape_next_glyph(&g, text + i, len - i, escape_flags);
		unsigned attr = glyph_attr(&g);
		size_t w = g.kind == GLYPH_TAB ? ESCAPE_TABSTOP - column % ESCAPE_TABSTOP : g.width;

		if (escape_glyph_is_suspicious(g.kind))
			out->suspicious = 1;
		if (highlights && highlighted(highlights, highlights_nr, &cursor, i))
			attr |= SPAN_CHANGED;
		if (column >= end) {
			/* Work stays proportional to the screen, not to the line. */
			out->more_right = 1;
			break;
		}
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
}
