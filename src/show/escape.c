/*
 * escape.c: the one place where untrusted bytes become terminal text.
 * Every front end (list output, the console) draws only what this
 * module produced.
 */
#include "config.h"

#include <langinfo.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "show/escape.h"
#include "base/unicode.h"
#include "base/utf8.h"

/* More combining marks than this on one base are shown as notation (Zalgo text). */
#define MAX_COMBINING 4

static void set_notation(struct glyph *g, enum glyph_kind kind, int32_t cp)
{
	int n;

	g->kind = kind;
	g->cp = cp;
	if (kind == GLYPH_INVALID)
		n = snprintf(g->text, sizeof(g->text), "\\x%02x", (unsigned)cp);
	else if (cp < 0x20)
		n = snprintf(g->text, sizeof(g->text), "^%c", (char)(cp + '@'));
	else if (cp == 0x7f)
		n = snprintf(g->text, sizeof(g->text), "^?");
	else
		n = snprintf(g->text, sizeof(g->text), "<U+%04X>", (unsigned)cp);
	g->len = g->width = (unsigned)n;
}

static enum glyph_kind kind_of_class(enum unicode_class cls)
{
	switch (cls) {
	case UNICODE_CONTROL: return GLYPH_CONTROL;
	case UNICODE_BIDI: return GLYPH_BIDI;
	case UNICODE_INVISIBLE: return GLYPH_INVISIBLE;
	case UNICODE_SPACE: return GLYPH_SPACE;
	default: return GLYPH_TEXT;
	}
}

/* Appends following combining marks (width 0, not flagged) to a text glyph. */
static size_t take_combining(struct glyph *g, const char *s, size_t len)
{
	size_t used = 0;
	int marks = 0;

	while (used < len && marks < MAX_COMBINING) {
		int32_t cp;
		size_t n = utf8_decode(&cp, s + used, len - used);

		if (cp == UTF8_INVALID || cp < 0x300 || unicode_classify(cp) != UNICODE_ORDINARY)
			break;
		if (wcwidth((wchar_t)cp) != 0 || g->len + n >= sizeof(g->text))
			break;
		memcpy(g->text + g->len, s + used, n);
		g->len += (unsigned)n;
		used += n;
		marks++;
	}
	g->text[g->len] = '\0';
	return used;
}

size_t escape_next_glyph(struct glyph *g, const char *s, size_t len, unsigned flags)
{
	unsigned char c = (unsigned char)s[0];
	int32_t cp;
	size_t n;
	int w;

	if (c == '\t' || (c == '\n' && (flags & ESCAPE_KEEP_NEWLINE))) {
		g->kind = c == '\t' ? GLYPH_TAB : GLYPH_TEXT;
		g->cp = c;
		g->text[0] = c == '\t' ? ' ' : '\n';
		g->text[1] = '\0';
		g->len = 1;
		g->width = c == '\t' ? 1 : 0;
		return 1;
	}
	if (c >= 0x20 && c < 0x7f) {
		g->kind = GLYPH_TEXT;
		g->cp = c;
		g->text[0] = (char)c;
		g->len = g->width = 1;
		/* Combining marks may follow an ASCII base letter. */
		if (len > 1 && (unsigned char)s[1] >= 0x80 && !(flags & ESCAPE_ASCII))
			return 1 + take_combining(g, s + 1, len - 1);
		g->text[1] = '\0';
		return 1;
	}
	n = utf8_decode(&cp, s, len);
	if (cp == UTF8_INVALID) {
		set_notation(g, GLYPH_INVALID, c);
		return 1;
	}
	if (unicode_classify(cp) != UNICODE_ORDINARY) {
		set_notation(g, kind_of_class(unicode_classify(cp)), cp);
		return n;
	}
	w = (flags & ESCAPE_ASCII) ? -1 : wcwidth((wchar_t)cp);
	if (w <= 0) {
		/* Unprintable, or a combining mark with no base to sit on. */
		set_notation(g, GLYPH_UNPRINTABLE, cp);
		return n;
	}
	g->kind = GLYPH_TEXT;
	g->cp = cp;
	memcpy(g->text, s, n);
	g->len = (unsigned)n;
	g->width = (unsigned)w;
	return n + take_combining(g, s + n, len - n);
}

int escape_glyph_is_suspicious(enum glyph_kind kind)
{
	return kind == GLYPH_BIDI || kind == GLYPH_INVISIBLE || kind == GLYPH_SPACE;
}

/* The length of the run of printable ASCII at s that fits in room columns. */
static size_t plain_run(const char *s, size_t len, size_t room)
{
	size_t n = 0;

	while (n < len && n < room && (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f)
		n++;
	/* The last byte may carry combining marks; leave it to the slow path. */
	if (n && n < len && (unsigned char)s[n] >= 0x80)
		n--;
	return n;
}

size_t escape_append(struct strbuf *out, const char *s, size_t len, unsigned flags,
		     size_t column, size_t max_width)
{
	size_t i = 0, width = 0;
	struct glyph g;

	while (i < len) {
		size_t n = plain_run(s + i, len - i, max_width - width);

		if (n) {
			/* Most text is plain ASCII: copy it without decoding. */
			strbuf_add(out, s + i, n);
			width += n;
			i += n;
			continue;
		}
		n = escape_next_glyph(&g, s + i, len - i, flags);

		if (g.kind == GLYPH_TAB) {
			size_t spaces = ESCAPE_TABSTOP - (column + width) % ESCAPE_TABSTOP;

			if (width + spaces > max_width)
				break;
			strbuf_addchars(out, ' ', spaces);
			width += spaces;
		} else {
			if (width + g.width > max_width)
				break;
			strbuf_add(out, g.text, g.len);
			width += g.width;
			if (g.cp == '\n' && g.kind == GLYPH_TEXT)
				column = 0, width = 0;
		}
		i += n;
	}
	return width;
}

size_t escape_addstr(struct strbuf *out, const char *s, unsigned flags)
{
	return escape_append(out, s, strlen(s), flags, 0, SIZE_MAX);
}

size_t escape_width(const char *s, size_t len, unsigned flags)
{
	size_t i = 0, width = 0;
	struct glyph g;

	while (i < len) {
		i += escape_next_glyph(&g, s + i, len - i, flags);
		if (g.kind == GLYPH_TAB)
			width += ESCAPE_TABSTOP - width % ESCAPE_TABSTOP;
		else
			width += g.width;
	}
	return width;
}

unsigned escape_flags_for_locale(void)
{
	const char *codeset = nl_langinfo(CODESET);

	return codeset && (!strcmp(codeset, "UTF-8") || !strcmp(codeset, "utf8")) ? 0 : ESCAPE_ASCII;
}

void escape_column(struct strbuf *out, const char *s, size_t width, unsigned flags)
{
	size_t len = strlen(s), used;

	if (escape_width(s, len, flags) <= width) {
		used = escape_append(out, s, len, flags, 0, width);
	} else {
		used = escape_append(out, s, len, flags, 0, width - 1);
		strbuf_addch(out, '~');
		used++;
	}
	strbuf_addchars(out, ' ', width - used);
}
