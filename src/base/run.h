/*
 * run.h: running helper programs (ssh-keygen, gpg, git) the way git's
 * run_command does: an argv, optional input, captured output, and a
 * timeout after which the whole process group is killed.
 *
 * The caller owns struct child and its strbufs; run_command() fills them.
 */
#ifndef REVQ_RUN_H
#define REVQ_RUN_H

#include "base/strbuf.h"
#include "base/strvec.h"

struct child {
	struct strvec argv;        /* argv[0] is looked up in PATH */
	struct strvec env;         /* "NAME=value" added to the environment */
	const char *dir;           /* working directory, or NULL */
	const char *input;         /* written to stdin, or NULL for /dev/null */
	size_t input_len;
	struct strbuf out;         /* stdout */
	struct strbuf err;         /* stderr */
	int timeout_ms;            /* 0: none */
	int status;                /* exit status; 128+signal; -1 if it could not start */
	int timed_out;
};

#define CHILD_INIT { STRVEC_INIT, STRVEC_INIT, NULL, NULL, 0, STRBUF_INIT, STRBUF_INIT, 0, 0, 0 }

/*
 * Runs the child to completion.  Returns 0 when it ran (check status),
 * or an error (with a message naming the program) when it could not be
 * started or timed out.
 */
int run_command(struct child *child);
void child_release(struct child *child);

/* The first line of the child's stderr, for error messages (static buffer). */
const char *child_error_line(const struct child *child);

#endif
