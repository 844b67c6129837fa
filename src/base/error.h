/*
 * error.h: how the core reports failures.
 *
 * Core functions return 0 on success and a negative REVQ_E* code on
 * failure, after recording one human-readable sentence with error_set().
 * Only the front end prints it, once, as "revq: <message>".  The message
 * lives in thread-local storage owned by this module.
 */
#ifndef REVQ_ERROR_H
#define REVQ_ERROR_H

enum revq_error_code {
	REVQ_OK = 0,
	REVQ_ERROR = -1,       /* runtime failure (I/O, git, sqlite, ...) */
	REVQ_ENOTFOUND = -2,   /* a commit, ref or file does not exist */
	REVQ_EUSAGE = -3,      /* the caller asked for something malformed */
	REVQ_ECONFLICT = -4,   /* someone else changed a ref; try again */
	REVQ_EDENIED = -5,     /* refused by a rule (self-approval, ...) */
	REVQ_ECANCELED = -6,   /* the user stopped it (q during the console's cold start) */
};

/* Records a message and returns `code`, so that `return error_set(...)` works. */
int error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like error_set(), appending libgit2's last error message, if any. */
int error_set_git(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefixes the current message with more context ("reading X: <old>"). */
int error_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last recorded message, or "unknown error". Valid until the next error_set(). */
const char *error_last(void);
void error_clear(void);

/*
 * Warnings: things the user should know that do not stop the command
 * (a rebuilt cache, a fallback).  The front end installs a handler; the
 * default prints "revq: warning: <message>" on stderr.
 */
typedef void (*error_warn_fn)(const char *message, void *data);
void error_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fn(message, data) gets every warning from now on; NULL restores the default. */
void error_set_warn_handler(error_warn_fn fn, void *data);

/* Maps a core error code to the documented process exit status. */
int error_exit_code(int code);

#define EXIT_OK 0
#define EXIT_FAILED 1   /* verify found commits that fail the policy */
#define EXIT_USAGE 2
#define EXIT_RUNTIME 3

#endif
