/*
 * lineedit.c: editing one line of text at a cursor, by UTF-8 characters.
 */
#include "config.h"

#include <string.h>

#include "base/utf8.h"
#include "show/lineedit.h"

void lineedit_init(struct lineedit *le)
{
	strbuf_init(&le->text, 0);
	le->cursor = 0;
}

void lineedit_release(struct lineedit *le)
{
	strbuf_release(&le->text);
	le->cursor = 0;
}

static int continuation(const struct lineedit *le, size_t at)
{
	return at < le->text.len && ((unsigned char)le->text.buf[at] & 0xc0) == 0x80;
}

static size_t prev_char(const struct lineedit *le, size_t at)
{
	if (!at)
		return 0;
	at--;
	while (at && continuation(le, at))
		at--;
	return at;
}

static size_t next_char(const struct lineedit *le, size_t at)
{
	if (at >= le->text.len)
		return le->text.len;
	at++;
	while (continuation(le, at))
		at++;
	return at;
}

/* Removes [from, to) and puts the cursor at from; 1 when something went. */
static int cut(struct lineedit *le, size_t from, size_t to)
{
	if (from >= to)
		return 0;
	memmove(le->text.buf + from, le->text.buf + to, le->text.len - to);
	strbuf_setlen(&le->text, le->text.len - (to - from));
	le->cursor = from;
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static size_t word_start(const struct lineedit *le)
{
	size_t at = le->cursor;

	while (at && is_space(le->text.buf[at - 1]))
		at--;
	while (at && !is_space(le->text.buf[at - 1]))
		at--;
	return at;
}

static int insert(struct lineedit *le, int32_t cp)
{
	struct strbuf enc = STRBUF_INIT;
	size_t old_len = le->text.len;

	utf8_encode(&enc, cp);
	strbuf_add(&le->text, enc.buf, enc.len);   /* grows the buffer by enc.len */
	memmove(le->text.buf + le->cursor + enc.len, le->text.buf + le->cursor, old_len - le->cursor);
	memcpy(le->text.buf + le->cursor, enc.buf, enc.len);
	le->cursor += enc.len;
	strbuf_release(&enc);
	return 1;
}

int lineedit_apply(struct lineedit *le, enum lineedit_op op, int32_t cp)
{
	switch (op) {
	case LINEEDIT_INSERT: return insert(le, cp);
	case LINEEDIT_LEFT: le->cursor = prev_char(le, le->cursor); return 0;
	case LINEEDIT_RIGHT: le->cursor = next_char(le, le->cursor); return 0;
	case LINEEDIT_HOME: le->cursor = 0; return 0;
	case LINEEDIT_END: le->cursor = le->text.len; return 0;
	case LINEEDIT_DELETE: return cut(le, le->cursor, next_char(le, le->cursor));
	case LINEEDIT_BACKSPACE: return cut(le, prev_char(le, le->cursor), le->cursor);
	case LINEEDIT_WORD_ERASE: return cut(le, word_start(le), le->cursor);
	case LINEEDIT_KILL: return cut(le, 0, le->cursor);
	}
	return 0;
}
