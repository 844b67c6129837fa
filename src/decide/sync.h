/*
 * sync.h: sharing decisions with a remote: fetch its notes ref into
 * refs/notes/remotes/REMOTE/..., merge by record union, push; on a
 * rejected push, fetch and merge again.  Never force-pushes, so no
 * record is ever lost.  Transport is git itself, so the user's ssh
 * configuration and credential helpers apply.
 */
#ifndef REVQ_SYNC_H
#define REVQ_SYNC_H

#include "queue/session.h"

struct sync_result {
	int fetched;      /* the remote had decisions */
	int merged;       /* our ref moved */
	int pushed;       /* the remote took ours */
	unsigned rounds;
};

int sync_notes(struct sync_result *out, struct session *session, const char *remote,
	       const char *notes_ref);

#endif
