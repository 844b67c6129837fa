/*
 * escape.h: turning untrusted text into something safe to show on a
 * terminal (CWE-150).
 *
 * Allowlist: printable characters pass; everything else becomes visible
 * ASCII notation that cannot be mistaken for content being executed:
 *   C0 controls and DEL    ^@ .. ^_, ^?
 *   C1 controls             <U+009B>
 *   bytes that are not UTF-8 \xff
 *   bidi controls           <U+202E>  (Trojan Source)
 *   invisible characters    <U+200B>
 *   non-ASCII spaces        <U+00A0>
 *   anything wcwidth() refuses, and in ASCII mode every non-ASCII char.
 * Tabs are reported to the caller, who knows the column.  Nothing here
 * allocates except into caller-owned strbufs.
 */
#ifndef REVQ_ESCAPE_H
#define REVQ_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

enum glyph_kind {
	GLYPH_TEXT = 0,    /* printable, shown as is */
	GLYPH_TAB,         /* a tab; text holds one space */
	GLYPH_CONTROL,     /* C0, DEL, C1 */
	GLYPH_INVALID,     /* a byte that is not valid UTF-8 */
	GLYPH_BIDI,        /* a bidi control */
	GLYPH_INVISIBLE,   /* zero-width or format character */
	GLYPH_SPACE,       /* non-ASCII space */
	GLYPH_UNPRINTABLE, /* unassigned, private use, or non-ASCII in ASCII mode */
};

#define GLYPH_TEXT_MAX 32

struct glyph {
	enum glyph_kind kind;
	int32_t cp;        /* the (first) code point, or the byte value for GLYPH_INVALID */
	unsigned width;    /* terminal columns taken by text */
	unsigned len;      /* bytes in text */
	char text[GLYPH_TEXT_MAX]; /* what to draw: ASCII notation unless GLYPH_TEXT */
};

enum escape_flags {
	ESCAPE_ASCII = 1 << 0,        /* the terminal is not UTF-8: show non-ASCII as <U+XXXX> */
	ESCAPE_KEEP_NEWLINE = 1 << 1, /* pass '\n' through (multi-line output) */
};

#define ESCAPE_TABSTOP 8

/*
 * Decodes the next glyph of s (len > 0) into *g and returns the bytes it
 * used (at least 1).  A printable base character carries its combining
 * marks with it.
 */
size_t escape_next_glyph(struct glyph *g, const char *s, size_t len, unsigned flags);

/* 1 when the glyph kind is one a reviewer must notice (bidi, invisible, ...). */
int escape_glyph_is_suspicious(enum glyph_kind kind);

/*
 * Appends the safe rendering of s to out, expanding tabs from column
 * `column`, and stops before the width would exceed max_width (use
 * SIZE_MAX for no limit).  Returns the columns appended.
 */
size_t escape_append(struct strbuf *out, const char *s, size_t len, unsigned flags,
		     size_t column, size_t max_width);

/* Convenience: escape_append() of a NUL-terminated string from column 0. */
size_t escape_addstr(struct strbuf *out, const char *s, unsigned flags);

/* s escaped into exactly width (>= 1) columns: cut with '~', or padded with spaces. */
void escape_column(struct strbuf *out, const char *s, size_t width, unsigned flags);

/* Display width of the safe rendering of s from column 0. */
size_t escape_width(const char *s, size_t len, unsigned flags);

/* The flags for the terminal's character set (LC_CTYPE): 0 in UTF-8, else ESCAPE_ASCII. */
unsigned escape_flags_for_locale(void);

#endif
