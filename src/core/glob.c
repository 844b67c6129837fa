/*
 * glob.c: matching repository paths against gitignore-style patterns
 * (used by the risk rules and by policy path rules).
 */
#include "config.h"

#include <string.h>

#include "revq/glob.h"

static int match_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	int negate = 0, matched = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	if (*p == ']') {
		matched = c == ']';
		p++;
	}
	for (; *p && *p != ']'; p++) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				matched = 1;
			p += 2;
		} else if (*p == c) {
			matched = 1;
		}
	}
	if (!*p)
		return -1; /* unterminated: treat '[' literally */
	*pp = p;
	return matched != negate;
}

/*
 * match() answers MATCH or NOMATCH, or one of two early answers borrowed
 * from git's wildmatch that keep matching polynomial: ABORT_ALL when the
 * path ran out before the pattern (letting any earlier '*' eat more can
 * only make that worse), ABORT_TO_STARSTAR when a '*' reached a '/' it
 * may not cross (only an earlier "**" can move past that slash).  Without
 * them a pattern like "*a*a*a*a*b" backtracks exponentially.
 */
enum { NOMATCH = 0, MATCH = 1, ABORT_ALL = -1, ABORT_TO_STARSTAR = -2 };

static int match(const char *p, const char *s);

static int match_star(const char *p, const char *s)
{
	int r;

	while (p[1] == '*')
		p++; /* "a**b" inside a component is one '*' */
	for (;; s++) {
		r = match(p + 1, s);
		if (r != NOMATCH)
			return r;
		if (!*s)
			return ABORT_ALL;
		if (*s == '/')
			return ABORT_TO_STARSTAR;
	}
}

static int match_directories(const char *p, const char *s)
{
	int r;

	/* p is "**" followed by '/' or the end of the pattern. */
	if (!p[2])
		return MATCH;
	for (;;) {
		r = match(p + 3, s);
		if (r == MATCH || r == ABORT_ALL)
			return r;
		s = strchr(s, '/');
		if (!s)
			return ABORT_ALL;
		s++;
	}
}

static int match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2]) &&
		    (p[-1] == '/' || p[-1] == '\0'))
			return match_directories(p, s);
		if (*p == '*')
			return match_star(p, s);
		if (!*s)
			return ABORT_ALL;
		switch (*p) {
		case '?':
			if (*s == '/')
				return NOMATCH;
			break;
		case '[': {
			const char *q = p;
			int r;

			if (*s == '/')
				return NOMATCH;
			r = match_class(&q, *s);
			if (r < 0) {
				if (*s != '[')
					return NOMATCH;
				break;
			}
			if (!r)
				return NOMATCH;
			p = q;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return NOMATCH;
		}
	}
	return *s ? NOMATCH : MATCH;
}

int glob_match_path(const char *pattern, const char *path)
{
	/* A sentinel byte before the pattern lets match() look at p[-1]. */
	char buf[1024];
	size_t n = strlen(pattern);
	const char *base;

	if (n + 2 > sizeof(buf))
		return 0;
	buf[0] = '\0';
	if (!strchr(pattern, '/')) {
		memcpy(buf + 1, pattern, n + 1);
		base = strrchr(path, '/');
		return match(buf + 1, base ? base + 1 : path) == MATCH;
	}
	if (pattern[0] == '/') {
		pattern++;
		n--;
	}
	memcpy(buf + 1, pattern, n + 1);
	return match(buf + 1, path) == MATCH;
}
