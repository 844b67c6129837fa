/*
 * json.c: a small streaming JSON writer, in the manner of git's
 * json-writer.c: no database, no library, one escaping function.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "show/json.h"
#include "base/utf8.h"

int json_init(struct json *j, struct strbuf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	strbuf_init(&j->scratch, 0);
	return 0;
}

void json_release(struct json *j)
{
	strbuf_release(&j->scratch);
	free(j->count);
	j->count = NULL;
	j->count_alloc = 0;
}

static void newline(struct json *j)
{
	if (!j->pretty)
		return;
	strbuf_addch(j->out, '\n');
	strbuf_addchars(j->out, ' ', (size_t)j->depth * 2);
}

/* Writes the separator and key that come before every value. */
static void value_prefix(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->count[j->depth - 1]++)
			strbuf_addch(j->out, ',');
		newline(j);
	}
	if (key) {
		strbuf_addch(j->out, '"');
		strbuf_addstr(j->out, key);
		strbuf_addstr(j->out, j->pretty ? "\": " : "\":");
	}
}

static void open_container(struct json *j, const char *key, char c)
{
	value_prefix(j, key);
	strbuf_addch(j->out, c);
	ALLOC_GROW(j->count, (size_t)j->depth + 1, j->count_alloc);
	j->count[j->depth] = 0;
	j->depth++;
}

static void close_container(struct json *j, char c)
{
	int had = j->count[j->depth - 1];

	j->depth--;
	if (had)
		newline(j);
	strbuf_addch(j->out, c);
}

void json_object_begin(struct json *j, const char *key) { open_container(j, key, '{'); }
void json_object_end(struct json *j) { close_container(j, '}'); }
void json_array_begin(struct json *j, const char *key) { open_container(j, key, '['); }
void json_array_end(struct json *j) { close_container(j, ']'); }

/*
 * Code points a terminal or a JavaScript reader could act on: C0
 * controls and DEL, C1 controls (U+009B is a one-byte CSI to some
 * terminals), and the line and paragraph separators that end a line in
 * JavaScript.  They are written as \u escapes, never raw.
 */
static int needs_escape(int32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

/* JSON's short escape of cp (n for a newline, ...), or 0 when it has none. */
static char short_escape(int32_t cp)
{
	switch (cp) {
	case '"': return '"';
	case '\\': return '\\';
	case '\n': return 'n';
	case '\t': return 't';
	case '\r': return 'r';
	case '\b': return 'b';
	case '\f': return 'f';
	default: return 0;
	}
}

static void add_quoted(struct strbuf *out, const char *s, size_t len)
{
	strbuf_addch(out, '"');
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t n = utf8_decode(&cp, s + i, len - i);
		char e = short_escape(cp);

		if (e) {
			strbuf_addch(out, '\\');
			strbuf_addch(out, e);
		} else if (needs_escape(cp)) {
			strbuf_addf(out, "\\u%04x", (unsigned)cp);
		} else {
			strbuf_add(out, s + i, n);
		}
		i += n;
	}
	strbuf_addch(out, '"');
}

void json_string_len(struct json *j, const char *key, const char *value, size_t len)
{
	value_prefix(j, key);
	strbuf_reset(&j->scratch);
	utf8_sanitize(&j->scratch, value, len);
	add_quoted(j->out, j->scratch.buf, j->scratch.len);
}

void json_string(struct json *j, const char *key, const char *value)
{
	if (!value)
		json_null(j, key);
	else
		json_string_len(j, key, value, strlen(value));
}

void json_int(struct json *j, const char *key, int64_t value)
{
	value_prefix(j, key);
	strbuf_addf(j->out, "%" PRId64, value);
}

void json_fixed(struct json *j, const char *key, double value, int decimals)
{
	value_prefix(j, key);
	if (value != value || value > 1e15 || value < -1e15)
		strbuf_addstr(j->out, "null");   /* JSON has no NaN nor infinity */
	else
		strbuf_addf(j->out, "%.*f", decimals < 0 ? 0 : decimals > 6 ? 6 : decimals, value);
}

void json_bool(struct json *j, const char *key, int value)
{
	value_prefix(j, key);
	strbuf_addstr(j->out, value ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	value_prefix(j, key);
	strbuf_addstr(j->out, "null");
}

void json_strvec(struct json *j, const char *key, const struct strvec *values)
{
	json_array_begin(j, key);
	for (size_t i = 0; i < values->nr; i++)
		json_string(j, NULL, values->v[i]);
	json_array_end(j);
}
