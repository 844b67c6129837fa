/*
 * decision.h: recording an approval or a rejection: the one code path
 * behind both `revq approve`/`revq reject` and the console's a/r keys.
 *
 * A decision is checked (identity, reason, self-approval) and signed for
 * every commit before anything is written; then all records land in one
 * notes commit.  Either every record is written or none is.
 */
#ifndef REVQ_DECISION_H
#define REVQ_DECISION_H

#include <git2.h>

#include "sign/record.h"
#include "decide/review.h"
#include "base/strvec.h"

struct decision_request {
	enum verdict verdict;
	const char *comment;     /* required for a rejection */
	int no_sign;             /* write an unsigned record that verify never accepts */
	const char *viewed;      /* the files viewed (revq.recordViewed, show/viewed.h), or NULL; for one item */
};

struct decision_result {
	struct strvec lines;     /* the records written, one per commit */
	struct strvec warnings;  /* written, but e.g. the record will not count, and why */
	struct strvec undone;    /* VERDICT_WITHDRAW: the verdict each record took back ("approve") */
};

#define DECISION_RESULT_INIT { STRVEC_INIT, STRVEC_INIT, STRVEC_INIT }

/*
 * A withdrawal (VERDICT_WITHDRAW, `revq undo`, the console's u) takes
 * back the reviewer's latest record on each item: it is dated after that
 * record, so it supersedes it, and counts as neither approval nor
 * rejection.  REVQ_ENOTFOUND when the reviewer has no record to take back.
 *
 * Signs and writes one record per item into review's notes ref, in one
 * notes commit, as the user (settings_identity()); then judges each
 * record as `revq verify` will, under review's target and policy, and
 * says in out->warnings which will not count and why.  The caller keeps
 * ownership of review and items; review's notes are reloaded.
 */
int decision_write(struct decision_result *out, struct review *review, struct item *const *items,
		   size_t nr, const struct decision_request *req);
/*
 * The same for a series (series.h): one record on the commits base..tip
 * as one change, noted on tip (the caller's item, not owned), bound to
 * base, tip, the tip's tree and the combined change's identity.  An
 * approval is refused when the reviewer is an author of any commit of
 * the series; out->warnings says when it will not count for the series
 * as a whole (its highest requirement).
 */
int decision_write_series(struct decision_result *out, struct review *review, const struct item *tip,
			  const git_oid *base, const struct decision_request *req);
void decision_result_release(struct decision_result *result);

/*
 * 1 when the record line on commit is already in a remote's copy of
 * review's notes ref (refs/notes/remotes/REMOTE/..., as `revq sync`
 * fetches it): others may have seen it, so taking it back is public.
 */
int decision_is_shared(struct review *review, const git_oid *commit, const char *line);

#endif
