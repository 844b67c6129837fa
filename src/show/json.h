/*
 * json.h: writing JSON for scripts.
 *
 * Strings are escaped in one place (json.c): bytes that are not UTF-8
 * become U+FFFD first, so the output is always valid JSON, and every
 * control character (C0, DEL, C1) and U+2028/U+2029 is written as a \u
 * escape, so that no output of revq carries a raw control byte.  Keys are
 * the caller's ASCII literals.  A json writer appends to a caller-owned
 * strbuf and owns only its scratch buffer and counters (json_release()).
 */
#ifndef REVQ_JSON_H
#define REVQ_JSON_H

#include <stdint.h>

#include "base/strbuf.h"
#include "base/strvec.h"

struct json {
	struct strbuf *out;      /* not owned */
	struct strbuf scratch;   /* owned */
	int depth;
	int *count;              /* owned: values written at each open level */
	size_t count_alloc;
	int pretty;
};

int json_init(struct json *j, struct strbuf *out, int pretty);
void json_release(struct json *j);

/* key is NULL inside arrays and at the top level. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);  /* NULL -> null */
void json_string_len(struct json *j, const char *key, const char *value, size_t len);
void json_int(struct json *j, const char *key, int64_t value);
/* A number with a fixed count of decimals (0 to 6); null when it is not finite. */
void json_fixed(struct json *j, const char *key, double value, int decimals);
void json_bool(struct json *j, const char *key, int value);
void json_null(struct json *j, const char *key);
void json_strvec(struct json *j, const char *key, const struct strvec *values);

#endif
