/*
 * spans.h: one line of untrusted text, laid out for a terminal cell row.
 *
 * spans_layout() escapes the text (escape.h), expands tabs, applies
 * highlighted byte ranges (word changes), scrolls horizontally and clips
 * to a width, producing runs of safe ASCII/UTF-8 text with one kind of
 * attribute each.  A glyph cut by either edge becomes spaces, so a wide
 * character never spills over a pane border.  Drawing code only paints
 * these spans; it never sees the original bytes.
 *
 * struct spans owns its text and array; spans_release() frees them.
 */
#ifndef REVQ_SPANS_H
#define REVQ_SPANS_H

#include <stddef.h>

#include "show/escape.h"
#include "base/strbuf.h"
#include "show/worddiff.h"

enum span_attr {
	SPAN_PLAIN = 0,
	SPAN_CHANGED = 1 << 0,     /* inside a highlighted (changed) range */
	SPAN_SUSPICIOUS = 1 << 1,  /* bidi, invisible or odd-space marker */
	SPAN_CONTROL = 1 << 2,     /* control character or invalid byte notation */
	SPAN_CUT = 1 << 3,         /* the '<' or '>' saying the line goes on past this edge */
};

#define SPANS_MAX_TABWIDTH 16

struct span {
	unsigned attr;       /* enum span_attr bits */
	size_t offset;       /* into spans.text */
	size_t len;          /* bytes */
	size_t width;        /* columns */
};

struct spans {
	struct span *v;      /* owned */
	size_t nr, alloc;
	struct strbuf text;  /* owned: all span text, back to back */
	size_t width;        /* columns used (<= the width asked for) */
	int more_left;       /* text was scrolled off to the left */
	int more_right;      /* text continues beyond the right edge */
	int suspicious;      /* the laid-out part holds a bidi or invisible character */
	unsigned tabwidth;   /* set by the caller, kept by spans_reset(): 1..16, 0 means 8 */
};

#define SPANS_INIT { NULL, 0, 0, STRBUF_INIT, 0, 0, 0, 0, 0 }

/* A place in a line being folded: the next byte and the column it starts at. */
struct spans_at {
	size_t byte, column;
};

/*
 * Lays out text[0..len) from column `scroll` over `width` columns.
 * highlights (may be NULL) are byte ranges shown as SPAN_CHANGED.
 */
void spans_layout(struct spans *out, const char *text, size_t len,
		  const struct byte_range *highlights, size_t highlights_nr,
		  size_t scroll, size_t width, unsigned escape_flags);
/*
 * The same, marking every cut edge: a '<' (SPAN_CUT) in the first column
 * when text was scrolled off to the left, a '>' in the last when it goes
 * on past the right edge, so no cut line looks whole.
 */
void spans_layout_marked(struct spans *out, const char *text, size_t len,
			 const struct byte_range *highlights, size_t highlights_nr,
			 size_t scroll, size_t width, unsigned escape_flags);
/*
 * Folding: lays out as many whole glyphs from *at as fit in width (at
 * least one), and advances *at past them; more_right says text remains.
 * Work is proportional to the glyphs laid out.
 */
void spans_layout_from(struct spans *out, const char *text, size_t len,
		       const struct byte_range *highlights, size_t highlights_nr,
		       struct spans_at *at, size_t width, unsigned escape_flags);
/* The column at which byte `byte` of text starts, with tabs of width tabwidth (0: 8). */
size_t spans_column(const char *text, size_t len, size_t byte, unsigned tabwidth, unsigned escape_flags);
void spans_reset(struct spans *s);
void spans_release(struct spans *s);

#endif
