/*
 * pattern.c: configured regular expressions matched in linear time and
 * over every byte of attacker-controlled text (see pattern.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/pattern.h"
#include "base/utf8.h"

#define PATTERN_FLAGS (REG_EXTENDED | REG_ICASE | REG_NOSUB)

/* The end of a bracket expression starting at p ('['), or NULL when it does not end. */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;   /* a ']' first is literal */
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			char close[3] = { p[1], ']', '\0' };
			const char *end = strstr(p + 2, close);

			if (!end)
				return NULL;
			p = end + 2;
		} else {
			p++;
		}
	}
	return *p ? p : NULL;
}

/* NULL when ere can be wrapped in a group without changing its meaning; else why not. */
static const char *unwrappable(const char *ere)
{
	int depth = 0;

	for (const char *p = ere; *p; p++) {
		if (*p == '\\') {
			if (p[1] >= '1' && p[1] <= '9')
				return "back-references are not supported";
			if (p[1])
				p++;
		} else if (*p == '[') {
			const char *end = bracket_end(p);

			if (!end)
				return NULL;   /* regcomp() says what is wrong */
			p = end;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth < 0) {
			return "unmatched ')' (write \\) for a literal parenthesis)";
		}
	}
	return NULL;
}

int pattern_compile(regex_t *out, const char *ere, const char *setting)
{
	struct strbuf wrapped = STRBUF_INIT;
	const char *why;
	int rc;

	/* Compiled alone first, so that errors are about what the user wrote. */
	if ((rc = regcomp(out, ere, PATTERN_FLAGS))) {
		char msg[256];

		regerror(rc, out, msg, sizeof(msg));
		regfree(out);
		return error_set(REVQ_ERROR, "bad %s '%s': %s", setting, ere, msg);
	}
	regfree(out);
	if ((why = unwrappable(ere)))
		return error_set(REVQ_ERROR, "bad %s '%s': %s", setting, ere, why);
	strbuf_addf(&wrapped, "^.*(%s)", ere);
	rc = regcomp(out, wrapped.buf, PATTERN_FLAGS);
	strbuf_release(&wrapped);
	if (rc) {
		regfree(out);
		return error_set(REVQ_ERROR, "bad %s '%s': cannot be compiled for matching", setting, ere);
	}
	return 0;
}

const char *pattern_text(const char *text, size_t len, struct strbuf *scratch)
{
	strbuf_reset(scratch);
	strbuf_grow(scratch, len);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		int32_t cp;
		size_t n;

		if (c && c < 0x80) {
			strbuf_addch(scratch, (char)c);
			i++;
			continue;
		}
		n = c ? utf8_decode(&cp, text + i, len - i) : 1;
		if (!c || cp == UTF8_INVALID) {
			strbuf_addch(scratch, PATTERN_PLACEHOLDER);
			i += n ? n : 1;
		} else {
			strbuf_add(scratch, text + i, n);
			i += n;
		}
	}
	return scratch->buf;
}

int pattern_matches(const regex_t *re, const char *prepared)
{
	return !regexec(re, prepared, 0, NULL, 0);
}

int pattern_match(const regex_t *re, const char *text, size_t len, struct strbuf *scratch)
{
	return pattern_matches(re, pattern_text(text, len, scratch));
}

int pattern_list_compile(struct pattern_list *out, const struct strvec *eres, const char *setting)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!eres || !eres->nr)
		return 0;
	out->v = xcalloc(eres->nr, sizeof(*out->v));
	for (size_t i = 0; i < eres->nr && !rc; i++) {
		if ((rc = pattern_compile(&out->v[i], eres->v[i], setting)))
			break;
		strvec_push(&out->sources, eres->v[i]);
		out->nr++;
	}
	if (rc)
		pattern_list_release(out);
	return rc;
}

void pattern_list_release(struct pattern_list *list)
{
	for (size_t i = 0; i < list->nr; i++)
		regfree(&list->v[i]);
	free(list->v);
	strvec_clear(&list->sources);
	memset(list, 0, sizeof(*list));
}
