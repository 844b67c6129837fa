/*
 * anchor.h: where review comments (decide/comments.h) sit in a diff
 * (show/layout.h), for both front ends.  A line comment is found again by
 * the content of its line (line-id), on its side and file, at the line
 * nearest to the number it was made on: so it survives a rebase that
 * leaves the line alone and moves it, and is "outdated" when no line of
 * the diff has that content any more.
 */
#ifndef REVQ_ANCHOR_H
#define REVQ_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "decide/comments.h"
#include "show/layout.h"

/* The layout line showing line `no` of path on side (an index into layout->lines), or SIZE_MAX. */
size_t anchor_line_at(const struct layout *layout, const char *path, enum comment_side side, uint32_t no);
/* The line a line comment points at now, by content, or SIZE_MAX (outdated, or not a line comment). */
size_t anchor_locate(const struct layout *layout, const struct comment_record *c);

struct anchored {
	size_t line;        /* into layout->lines */
	size_t row;         /* the line's row (unified) when placed: the diff's order, which the lines' need not be */
	size_t comment;     /* into the comment set */
};

/* The comments of a set placed on a layout. */
struct comment_map {
	size_t *line_of;    /* owned: per comment, its line (a reply: its comment's), or SIZE_MAX */
	uint32_t *number_of; /* owned: per comment, that line's number on its side now, or 0 */
	struct anchored *v; /* owned: the placed ones, in the diff's order, then in the set's order */
	size_t nr;
	size_t outdated;    /* line comments no line of the diff matches now, and stale series comments */
};

void comment_map_build(struct comment_map *map, const struct layout *layout, const struct comment_set *set);
void comment_map_release(struct comment_map *map);
/* The first entry of map->v on line, or SIZE_MAX. */
size_t comment_map_find(const struct comment_map *map, const struct layout *layout, size_t line);
/* Is comment i of the set a line comment that no longer matches a line, or a stale series comment? */
int comment_is_outdated(const struct comment_map *map, const struct comment_set *set, size_t i);

/*
 * One comment as one line of text, unescaped (the caller escapes it):
 * "[abc1234] Jane Doe <jane@example.com> 2026-11-24 10:00: text", with
 * "reply", "resolved" and "unverified (bad signature), claims" marks.
 */
void comment_describe(struct strbuf *out, const struct comment_set *set, size_t i);
/* "src/a.c new line 12", "general", or "reply to abc1234". */
void comment_describe_anchor(struct strbuf *out, const struct comment_set *set, size_t i);

#endif
