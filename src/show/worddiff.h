/*
 * worddiff.h: which words changed inside a modified line.
 *
 * The lines are split into tokens (runs of letters and digits, runs of
 * spaces, single other characters) and the token sequences are diffed
 * with libgit2's diff engine, one token per line.  Work is capped: lines
 * longer than WORDDIFF_MAX_BYTES, or with more than WORDDIFF_MAX_TOKENS
 * tokens, are reported as changed as a whole (delta's pairwise alignment
 * once took 8 GB on a minified file).
 *
 * A worddiff owns its range arrays; worddiff_release() frees them.
 */
#ifndef REVQ_WORDDIFF_H
#define REVQ_WORDDIFF_H

#include <stddef.h>
#include <stdint.h>

#define WORDDIFF_MAX_BYTES 2000
#define WORDDIFF_MAX_TOKENS 400

struct byte_range {
	uint32_t start, end;   /* [start, end) in bytes */
};

struct worddiff {
	struct byte_range *old_changed;  /* owned */
	size_t old_nr;
	struct byte_range *new_changed;  /* owned */
	size_t new_nr;
	int whole_line;                  /* the cap was hit: everything counts as changed */
};

int worddiff_compute(struct worddiff *out, const char *old_text, size_t old_len,
		     const char *new_text, size_t new_len);
void worddiff_release(struct worddiff *wd);

#endif
