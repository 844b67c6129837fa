/*
 * message.h: splitting a commit message into subject, body and trailers.
 *
 * The trailers are the "Key: value" lines of the message's last
 * paragraph, as git interpret-trailers sees them.  A message_parse()
 * result owns all its strings; message_release() frees them.
 */
#ifndef REVQ_MESSAGE_H
#define REVQ_MESSAGE_H

#include <stddef.h>

struct trailer {
	char *key;    /* as written, e.g. "Co-authored-by" */
	char *value;  /* trimmed, continuation lines joined with a space */
};

struct message {
	char *subject;              /* first paragraph, lines joined with a space */
	struct trailer *trailers;
	size_t trailers_nr, trailers_alloc;
};

#define MESSAGE_INIT { NULL, NULL, 0, 0 }

/* Parses raw (NUL-terminated, may be any bytes); never fails. */
void message_parse(struct message *out, const char *raw);
void message_release(struct message *msg);
/* Case-insensitive key comparison, as git does for trailers. */
int message_trailer_is(const struct trailer *t, const char *key);

#endif
