/*
 * lineedit.h: the console's one-line editor as a model, computed without
 * a terminal: a text and a cursor (a byte offset on a UTF-8 character
 * boundary) edited by operations (left, right, home, end, delete,
 * backspace, word erase, kill, insert), so the prompt's editing is
 * tested without curses.  The console maps keys to operations.
 *
 * struct lineedit owns its text; lineedit_release() frees it.
 */
#ifndef REVQ_LINEEDIT_H
#define REVQ_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

enum lineedit_op {
	LINEEDIT_INSERT,      /* the character cp at the cursor */
	LINEEDIT_LEFT,
	LINEEDIT_RIGHT,
	LINEEDIT_HOME,
	LINEEDIT_END,
	LINEEDIT_DELETE,      /* the character under the cursor */
	LINEEDIT_BACKSPACE,   /* the character before the cursor */
	LINEEDIT_WORD_ERASE,  /* spaces before the cursor, then the word before them (C-w) */
	LINEEDIT_KILL,        /* everything before the cursor (C-u) */
};

struct lineedit {
	struct strbuf text;   /* owned: valid UTF-8 */
	size_t cursor;        /* byte offset into text, on a character boundary */
};

void lineedit_init(struct lineedit *le);
void lineedit_release(struct lineedit *le);
/* Applies op (cp only for LINEEDIT_INSERT); 1 when the text changed. */
int lineedit_apply(struct lineedit *le, enum lineedit_op op, int32_t cp);

#endif
