/*
 * error.c: one thread-local error message, set where a failure is found
 * and printed once by the front end.
 */
#include "config.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

static _Thread_local char last_error[1024];

static void set_message(const char *prefix, const char *fmt, va_list ap, const char *suffix)
	__attribute__((format(printf, 2, 0)));

static void set_message(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	char msg[sizeof(last_error)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(last_error, sizeof(last_error), "%s%s%s", prefix, msg, suffix);
}

int error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message("", fmt, ap, "");
	va_end(ap);
	return code;
}

int error_set_git(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char suffix[512] = "";
	va_list ap;

	if (e && e->message && *e->message)
		snprintf(suffix, sizeof(suffix), ": %s", e->message);
	va_start(ap, fmt);
	set_message("", fmt, ap, suffix);
	va_end(ap);
	return code;
}

int error_wrap(int code, const char *fmt, ...)
{
	char old[sizeof(last_error)];
	char prefix[512];
	va_list ap;
	size_t n;

	memcpy(old, last_error, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	n = strlen(prefix);
	snprintf(last_error, sizeof(last_error), "%s%s%s", prefix,
		 n && *old ? ": " : "", old);
	return code;
}

const char *error_last(void)
{
	return *last_error ? last_error : "unknown error";
}

void error_clear(void)
{
	last_error[0] = '\0';
}

int error_exit_code(int code)
{
	return code == REVQ_EUSAGE ? EXIT_USAGE : code ? EXIT_RUNTIME : EXIT_OK;
}

static void default_warn(const char *message, void *data)
{
	(void)data;
	fprintf(stderr, "revq: warning: %s\n", message);
}

static error_warn_fn warn_handler = default_warn;
static void *warn_data;

void error_set_warn_handler(error_warn_fn fn, void *data)
{
	warn_handler = fn ? fn : default_warn;
	warn_data = fn ? data : NULL;
}

void error_warn(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn_handler(msg, warn_data);
}
