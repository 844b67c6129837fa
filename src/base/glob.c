/*
 * glob.c: matching repository paths against gitignore-style patterns
 * (used by the risk rules and by policy path rules).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/glob.h"
#include "base/strbuf.h"

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
		if (*p == '*') {
			const char *last = p;

			while (last[1] == '*')
				last++;
			/* Two or more stars that are a whole component are "**", as in git. */
			if (last > p && (p[-1] == '/' || p[-1] == '\0') && (last[1] == '/' || !last[1]))
				return match_directories(last - 1, s);
			return match_star(p, s);
		}
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

/* The pattern's length without trailing blanks, which gitignore drops unless escaped. */
static size_t trimmed_length(const char *pattern)
{
	size_t n = strlen(pattern);

	while (n && pattern[n - 1] == ' ' && !(n >= 2 && pattern[n - 2] == '\\'))
		n--;
	return n;
}

int glob_check(const char *pattern, const char **why)
{
	size_t n = strlen(pattern);

	*why = NULL;
	if (n > GLOB_MAX)
		*why = "longer than 4096 bytes";
	else if (!trimmed_length(pattern) || !strcmp(pattern, "/"))
		*why = "empty";
	else if (strstr(pattern, "//"))
		*why = "an empty path component ('//') matches no path";
	else if (pattern[0] == '!')
		*why = "a negated pattern ('!') means nothing here";
	return *why ? -1 : 0;
}

/*
 * One gitignore pattern, prepared: the text to match (after a NUL
 * sentinel, so that match() may look at p[-1]), whether it is anchored
 * (it has a slash other than a trailing one), and whether it names only
 * directories (a trailing slash).
 */
struct prepared {
	char *text;   /* sentinel NUL, then the pattern: small, or owned when not */
	char small[256];
	int anchored;
	int dir_only;
};

static void prepare(struct prepared *g, const char *pattern)
{
	size_t n = trimmed_length(pattern);

	g->dir_only = n > 1 && pattern[n - 1] == '/';
	if (g->dir_only)
		n--;
	g->anchored = memchr(pattern, '/', n) != NULL;
	if (pattern[0] == '/') {
		pattern++;
		n--;
	}
	g->text = n + 2 <= sizeof(g->small) ? g->small : xmalloc(n + 2);
	g->text[0] = '\0';
	memcpy(g->text + 1, pattern, n);
	g->text[n + 1] = '\0';
}

/*
 * Does the pattern match path[0..end) (the whole path, or one of its
 * leading directories)?  path is writable: the byte at end is a '/' that
 * is briefly made the end of the string.
 */
static int matches_prefix(const struct prepared *g, char *path, size_t end)
{
	char saved = path[end];
	const char *subject = path;
	int r;

	path[end] = '\0';
	if (!g->anchored) {
		const char *slash = strrchr(path, '/');

		subject = slash ? slash + 1 : path;
	}
	r = match(g->text + 1, subject);
	path[end] = saved;
	return r == MATCH;
}

int glob_match_path(const char *pattern, const char *path)
{
	struct prepared g;
	char small[256], *copy = small;
	size_t len = strlen(path);
	int matched = 0;
	const char *why;

	if (glob_check(pattern, &why))
		return 1;   /* policy and risk refuse such patterns; if one gets here, fail closed */
	prepare(&g, pattern);
	if (len + 1 > sizeof(small))
		copy = xmalloc(len + 1);
	memcpy(copy, path, len + 1);
	/* A pattern that matches a directory covers everything below it. */
	for (size_t i = 0; i < len && !matched; i++)
		if (copy[i] == '/' && i > 0)
			matched = matches_prefix(&g, copy, i);
	if (!matched && !g.dir_only)
		matched = matches_prefix(&g, copy, len);
	if (copy != small)
		free(copy);
	if (g.text != g.small)
		free(g.text);
	return matched;
}
