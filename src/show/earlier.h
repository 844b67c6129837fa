/*
 * earlier.h: a new version of a decided item, as both front ends say it:
 * one sentence ("new version of 1a2b3c4d5e (Fix parser), reviewed by
 * jane@example.com 2d ago (rejected: too broad)") and a diff as a
 * unified patch (the interdiff in `revq show`, a merge's remerge diff).
 * Untrusted text (subjects, addresses, comments) goes through escape.h.
 */
#ifndef REVQ_EARLIER_H
#define REVQ_EARLIER_H

#include <git2.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "decide/versions.h"

/* The sentence for e (found), its text escaped with flags (escape.h); no newline. */
void earlier_sentence(struct strbuf *out, const struct earlier *e, int64_t now, unsigned flags);

/* How the interdiff was made, in one phrase ("the earlier change applied again on the new parent"). */
const char *earlier_diff_basis(const struct earlier *e);

/*
 * Every delta of diff as a unified patch with three lines of context,
 * contents read from repo; raw bytes (the caller escapes them to show).
 */
int earlier_patch(struct strbuf *out, git_diff *diff, git_repository *repo);

#endif
