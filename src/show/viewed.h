/*
 * viewed.h: which files of a diff the reviewer marked as viewed, for both
 * front ends.  A mark belongs to one version of one file: its key is the
 * paths and the exact blobs on both sides, so a new version of the file
 * (another blob on either side) starts unmarked.  Marks live in the
 * local cache, per reviewer (store/cache.h).
 */
#ifndef REVQ_VIEWED_H
#define REVQ_VIEWED_H

#include <git2.h>

#include "base/strbuf.h"
#include "show/layout.h"
#include "store/cache.h"

struct viewed {
	unsigned char *marks;    /* owned: per file of the layout, 1 when viewed */
	size_t nr;               /* files */
	size_t count;            /* files marked */
};

/* The key of one file version: its paths and its blobs on both sides. */
void viewed_file_key(git_oid *out, const struct layout_file *file);
/* Reads the reviewer's marks for every file of layout. */
void viewed_load(struct viewed *out, struct cache *cache, const char *reviewer, const struct layout *layout);
void viewed_release(struct viewed *v);
/* Marks (or unmarks) file and stores it; returns the new mark. */
int viewed_toggle(struct viewed *v, struct cache *cache, const char *reviewer, const struct layout *layout,
		  size_t file);
/* The first unviewed file after `from` (SIZE_MAX: from the start), wrapping round; SIZE_MAX when none. */
size_t viewed_next_unviewed(const struct viewed *v, size_t from);
/*
 * The value of a decision record's viewed field (revq-notes(5)):
 * "COUNT/FILES" and each viewed file's new path (old path when deleted),
 * separated by blanks, with '%', blanks and control bytes as %XX; at
 * most max_paths paths, then "+N".
 */
void viewed_record_value(struct strbuf *out, const struct viewed *v, const struct layout *layout,
			 size_t max_paths);

#endif
