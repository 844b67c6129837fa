/*
 * history.h: the risk's history signals (issue 11, section 2): points
 * when the files a commit touches were fixed often in the year before
 * it, and a little for an author new there.  Only the commits reachable
 * from the commit's parents count: a defect study labels commits by
 * later fixes, and nothing later may leak into the score.
 */
#ifndef REVQ_HISTORY_H
#define REVQ_HISTORY_H

#include <stddef.h>

#include "judge/item.h"
#include "queue/session.h"

/* What counts as a fix, by its message: Fixes: trailers and reverts, then "fix" subjects. */
enum history_fix {
	HISTORY_NOT_FIX = 0,
	HISTORY_FIX_SUBJECT = 1,  /* a word starting with "fix" in the subject */
	HISTORY_FIX_MARKED = 2,   /* a "Fixes: <sha>" line, a "Revert" subject or "This reverts commit" */
};

/* How the message (raw, NUL-terminated) of a non-merge commit counts. */
enum history_fix history_fix_kind(const char *message);

/*
 * Adds the history reasons (item_add_history()) to the analysed items
 * among items[0..nr) (NULL entries and unanalysed items are left alone),
 * with one walk of the history before them; the files of fix commits
 * come from the session's cache and go into it.  Never fails: history
 * that cannot be read counts as none.
 */
void queue_history_apply(struct session *session, struct item **items, size_t nr);

#endif
