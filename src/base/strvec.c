/*
 * strvec.c: growable arrays of owned strings.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/strvec.h"

/* Turns a borrowed strvec (see strvec.h) into an owned copy. */
static void own(struct strvec *sv)
{
	char **v;

	if (sv->alloc || !sv->v)
		return;
	v = xmalloc((sv->nr + 2) * sizeof(*v));
	for (size_t i = 0; i < sv->nr; i++)
		v[i] = xstrdup(sv->v[i]);
	v[sv->nr] = NULL;
	sv->v = v;
	sv->alloc = sv->nr + 2;
}

void strvec_push_nodup(struct strvec *sv, char *s)
{
	own(sv);
	ALLOC_GROW(sv->v, sv->nr + 2, sv->alloc);
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
}

const char *strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_nodup(sv, xstrdup(s));
	return sv->v[sv->nr - 1];
}

const char *strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push_nodup(sv, strbuf_detach(&sb, NULL));
	return sv->v[sv->nr - 1];
}

void strvec_pushl(struct strvec *sv, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, sv);
	while ((s = va_arg(ap, const char *)))
		strvec_push(sv, s);
	va_end(ap);
}

int strvec_contains(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->nr; i++)
		if (!strcmp(sv->v[i], s))
			return 1;
	return 0;
}

void strvec_clear(struct strvec *sv)
{
	if (sv->alloc) {
		for (size_t i = 0; i < sv->nr; i++)
			free(sv->v[i]);
		free(sv->v);
	}
	sv->v = NULL;
	sv->nr = sv->alloc = 0;
}

void strvec_split(struct strvec *sv, const char *s, char sep)
{
	while (*s) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len)
			strvec_push_nodup(sv, xstrndup(s, len));
		if (!end)
			break;
		s = end + 1;
	}
}

char *strvec_join(const struct strvec *sv, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sv->nr; i++) {
		if (i)
			strbuf_addstr(&sb, sep);
		strbuf_addstr(&sb, sv->v[i]);
	}
	return strbuf_detach(&sb, NULL);
}

void strvec_move(struct strvec *out, struct strvec *from)
{
	strvec_clear(out);
	*out = *from;
	memset(from, 0, sizeof(*from));
}
