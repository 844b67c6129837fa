/*
 * utf8.h: a strict UTF-8 decoder for untrusted bytes.
 *
 * Overlong forms, surrogates, code points above U+10FFFF and truncated
 * sequences are invalid.  Nothing here allocates except utf8_sanitize(),
 * which appends to a caller-owned strbuf.
 */
#ifndef REVQ_UTF8_H
#define REVQ_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

#define UTF8_INVALID (-1)

/*
 * Decodes the sequence at s (len > 0).  Returns the number of bytes it
 * uses and stores the code point in *cp; an invalid byte uses 1 byte and
 * stores UTF8_INVALID.
 */
size_t utf8_decode(int32_t *cp, const char *s, size_t len);
/* 1 when all of s is valid UTF-8. */
int utf8_is_valid(const char *s, size_t len);
/* Appends the UTF-8 encoding of cp (which must be a valid scalar value). */
void utf8_encode(struct strbuf *out, int32_t cp);
/* Appends s with every invalid byte replaced by U+FFFD. */
void utf8_sanitize(struct strbuf *out, const char *s, size_t len);

#endif
