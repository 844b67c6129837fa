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

#include "revq/record.h"
#include "revq/session.h"
#include "revq/strvec.h"

struct decision_request {
	enum verdict verdict;
	const char *comment;     /* required for a rejection */
	int no_sign;             /* write an unsigned record that verify never accepts */
	const char *notes_ref;   /* NULL: revq.notesRef */
	const char *target;      /* NULL: the configured target (for the level warning) */
};

struct decision_result {
	struct strvec lines;     /* the records written, one per commit */
	struct strvec warnings;  /* written, but e.g. the reviewer's level is too low */
};

#define DECISION_RESULT_INIT { STRVEC_INIT, STRVEC_INIT }

/* The reviewer: GIT_COMMITTER_NAME/EMAIL, else user.name/user.email, as git does. */
int decision_identity(char **name, char **email, const struct settings *settings);

int decision_write(struct decision_result *out, struct session *session, const git_oid *commits,
		   size_t nr, const struct decision_request *req);
void decision_result_release(struct decision_result *result);

#endif
