/*
 * cli.h: what the batch commands share: the command table, opening a
 * session, reporting errors once, and safe terminal output.
 */
#ifndef REVQ_CLI_H
#define REVQ_CLI_H

#include <stdio.h>

#include "revq/error.h"
#include "revq/escape.h"
#include "revq/queue.h"
#include "revq/session.h"
#include "revq/strbuf.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Terminal facts decided once at start-up. */
struct cli_term {
	unsigned escape_flags;   /* ESCAPE_ASCII when the locale is not UTF-8 */
	int color;               /* use colour on stdout */
	int stdout_tty;
};

extern struct cli_term cli_term;

/* Prints "revq: <last error>" (escaped) and returns the exit code for rc. */
int cli_fail(int rc);
/* Prints "revq: <message>" and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Opens the session for the current directory, or prints why not. */
int cli_open_session(struct session **out);
/* Decides colour for stdout once the repository's settings are known. */
void cli_setup_color(const struct settings *settings);
/* Parses a positive integer option value, or returns -1. */
long cli_parse_count(const char *s);
/* Writes out to stdout; a closed pipe is not an error. */
int cli_write(const struct strbuf *out);
/* The usage text of a command, for --help and usage errors. */
int cli_print_usage(FILE *to, const char *usage);

/* Escapes untrusted s into out with the terminal's flags. */
void cli_escape(struct strbuf *out, const char *s);
/* Escapes s into exactly `width` columns (truncated with '~' or padded). */
void cli_escape_column(struct strbuf *out, const char *s, size_t width);

/* ANSI colour (only when cli_term.color); code like "31" or "1;33". */
void cli_color_begin(struct strbuf *out, const char *code);
void cli_color_end(struct strbuf *out, const char *code);

/* Shared by the queue commands: --target, --all, --jobs. */
struct queue_cli {
	struct queue_options opts;
	int json;
	long limit;
};

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/* Runs the console if stdout and stdin are terminals, else the list. */
int cmd_default(int argc, char **argv);

#endif
