/*
 * message.h: splitting a commit message into subject, body and trailers.
 *
 * Trailers are found by git's own rules (git's trailer.c, as of git
 * 2.39): the last paragraph after the title that is all "Key: value"
 * lines, or that holds a git-generated line ("Signed-off-by: ", "(cherry
 * picked from commit ") and is at least 25% trailers; "Key : value" with
 * blanks before the colon is a trailer too; continuation lines start
 * with a blank; '#' lines are comments; a "# --- >8 ---" cut line and a
 * "Conflicts:" block end the message; a "---" line ends it for
 * interpret-trailers, never for git log's %(trailers).
 *
 * revq's rule on top (message_parse): every trailer block at the end of
 * the message counts, where each paragraph, read back from the end, is
 * itself a trailer block by git's rules for the message cut just before
 * the block after it.  "Co-authored-by: ...\n\nSigned-off-by: ..." are
 * two blocks and both count.  Blocks are taken both with and without
 * the "---" divider.  Finding more trailers can only add AI markers and
 * "self" identities, so this errs on the safe side.
 *
 * A message_parse() result owns all its strings; message_release() frees
 * them.
 */
#ifndef REVQ_MESSAGE_H
#define REVQ_MESSAGE_H

#include <stddef.h>

#include "base/strvec.h"

struct trailer {
	char *key;    /* owned: as written, trimmed, e.g. "Co-authored-by" */
	char *value;  /* owned: trimmed, continuation lines joined with a space */
};

struct message {
	char *subject;              /* owned: first paragraph, lines joined with a space */
	struct trailer *trailers;   /* owned: in message order */
	size_t trailers_nr, trailers_alloc;
};

#define MESSAGE_INIT { NULL, NULL, 0, 0 }

enum message_flags {
	MESSAGE_NO_DIVIDER = 1 << 0,  /* a "---" line is text (git log), not the end */
};

/* Parses raw (NUL-terminated, may be any bytes) by revq's rule above; never fails. */
void message_parse(struct message *out, const char *raw);
/*
 * Only git's last trailer block, exactly as `git interpret-trailers
 * --parse` (flags 0) or `--parse --no-divider` (MESSAGE_NO_DIVIDER)
 * prints it with no trailer.* configuration.  The subject is not set.
 */
void message_parse_git(struct message *out, const char *raw, unsigned flags);
/* git's last trailer block of raw as offsets [*start, *end); empty when there is none. */
void message_trailer_block(const char *raw, unsigned flags, size_t *start, size_t *end);
void message_release(struct message *msg);
/*
 * Splits an identity trailer's value into its identities: "A <a@x>, B
 * <b@x>" is two, and so is "a@x, b@x".  Pushes one name and one email
 * per identity (trimmed; "" when absent: a bare "Claude Code" has no
 * email, a bare "a@x" no name).  Returns how many.
 */
size_t message_split_identities(struct strvec *names, struct strvec *emails, const char *value);
/* Case-insensitive key comparison, as git does for trailers. */
int message_trailer_is(const struct trailer *t, const char *key);

#endif
