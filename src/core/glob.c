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

static int match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2]) &&
		    (p[-1] == '/' || p[-1] == '\0')) {
			/* "**" as a whole component: any number of directories. */
			if (!p[2])
				return 1;
			for (;;) {
				if (match(p + 3, s))
					return 1;
				s = strchr(s, '/');
				if (!s)
					return 0;
				s++;
			}
		}
		switch (*p) {
		case '*':
			for (;; s++) {
				if (match(p + 1, s))
					return 1;
				if (!*s || *s == '/')
					return 0;
			}
		case '?':
			if (!*s || *s == '/')
				return 0;
			break;
		case '[': {
			const char *q = p;
			int r;

			if (!*s || *s == '/')
				return 0;
			r = match_class(&q, *s);
			if (r < 0) {
				if (*s != '[')
					return 0;
				break;
			}
			if (!r)
				return 0;
			p = q;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return 0;
		}
	}
	return !*s;
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
		return match(buf + 1, base ? base + 1 : path);
	}
	if (pattern[0] == '/') {
		pattern++;
		n--;
	}
	memcpy(buf + 1, pattern, n + 1);
	return match(buf + 1, path);
}
