/*
 * needs.c: the queue views by whose move an item is (needs.h).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "show/needs.h"

static const char *const view_names[] = { "needs me", "all" };
static const char *const view_keys[] = { "mine", "all" };

int need_view_parse(enum need_view *out, const char *name)
{
	for (size_t i = 0; name && i < sizeof(view_keys) / sizeof(view_keys[0]); i++) {
		if (!strcasecmp(name, view_keys[i])) {
			*out = (enum need_view)i;
			return 0;
		}
	}
	return -1;
}

const char *need_view_name(enum need_view view)
{
	return view == NEED_VIEW_ALL ? view_names[1] : view_names[0];
}

int need_view_shows(enum need_view view, enum need_of need)
{
	return view == NEED_VIEW_ALL || need == NEEDS_ME;
}

void need_counts_of(struct need_counts *out, const enum need_of *of, size_t nr)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nr; i++)
		if ((unsigned)of[i] <= NEEDS_NOTHING)
			out->of[of[i]]++;
}

size_t needs_order(size_t *out, const enum need_of *of, size_t nr)
{
	size_t front = 0, back;

	for (size_t i = 0; i < nr; i++)
		if (of[i] == NEEDS_ME)
			out[front++] = i;
	back = front;
	for (size_t i = 0; i < nr; i++)
		if (of[i] != NEEDS_ME)
			out[back++] = i;
	return front;
}

void need_view_describe(struct strbuf *out, enum need_view view, const struct need_counts *c)
{
	strbuf_addf(out, "[%s] %zu need%s me", need_view_name(view), c->of[NEEDS_ME],
		    c->of[NEEDS_ME] == 1 ? "s" : "");
}

void need_counts_describe_rest(struct strbuf *out, const struct need_counts *c)
{
	strbuf_addf(out, "%zu need%s someone else, %zu wait%s on the author",
		    c->of[NEEDS_SOMEONE_ELSE], c->of[NEEDS_SOMEONE_ELSE] == 1 ? "s" : "",
		    c->of[NEEDS_AUTHOR], c->of[NEEDS_AUTHOR] == 1 ? "s" : "");
}
