/*
 * json.c: a small streaming JSON writer whose string escaping is done
 * by SQLite's json_quote().
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "revq/error.h"
#include "revq/json.h"
#include "revq/utf8.h"

int json_init(struct json *j, struct strbuf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	strbuf_init(&j->scratch, 0);
	if (sqlite3_open_v2(":memory:", &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ||
	    sqlite3_prepare_v2(j->db, "SELECT json_quote(?1)", -1, &j->quote, NULL)) {
		json_release(j);
		return error_set(REVQ_ERROR, "cannot set up the JSON writer");
	}
	return 0;
}

void json_release(struct json *j)
{
	sqlite3_finalize(j->quote);
	sqlite3_close(j->db);
	strbuf_release(&j->scratch);
	free(j->count);
	j->count = NULL;
	j->count_alloc = 0;
	j->quote = NULL;
	j->db = NULL;
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

void json_string_len(struct json *j, const char *key, const char *value, size_t len)
{
	value_prefix(j, key);
	strbuf_reset(&j->scratch);
	utf8_sanitize(&j->scratch, value, len);
	sqlite3_bind_text(j->quote, 1, j->scratch.buf, (int)j->scratch.len, SQLITE_STATIC);
	if (sqlite3_step(j->quote) == SQLITE_ROW)
		strbuf_add(j->out, sqlite3_column_text(j->quote, 0),
			   (size_t)sqlite3_column_bytes(j->quote, 0));
	else
		strbuf_addstr(j->out, "null");
	sqlite3_reset(j->quote);
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
