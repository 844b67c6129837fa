/*
 * cli.c: helpers shared by the batch commands.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct cli_term cli_term;

int cli_fail(int rc)
{
	struct strbuf sb = STRBUF_INIT;

	cli_escape(&sb, error_last());
	fprintf(stderr, "revq: %s\n", sb.buf);
	strbuf_release(&sb);
	return error_exit_code(rc);
}

int cli_usage_error(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, safe = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cli_escape(&safe, sb.buf);
	fprintf(stderr, "revq: %s\n", safe.buf);
	strbuf_release(&sb);
	strbuf_release(&safe);
	return EXIT_USAGE;
}

int cli_open_session(struct session **out)
{
	int rc = session_open(out);

	if (!rc)
		cli_setup_color(&(*out)->repo->settings);
	return rc;
}

void cli_setup_color(const struct settings *settings)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (settings && settings->color == 1)
		cli_term.color = 1;
	else if ((settings && settings->color == 0) || (no_color && *no_color) ||
		 !cli_term.stdout_tty || !term || !strcmp(term, "dumb"))
		cli_term.color = 0;
	else
		cli_term.color = 1;
}

long cli_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	return v;
}

int cli_write(const struct strbuf *out)
{
	size_t done = 0;

	while (done < out->len) {
		ssize_t n = write(STDOUT_FILENO, out->buf + done, out->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EPIPE ? 0 : error_set(REVQ_ERROR, "cannot write output: %s",
							      strerror(errno));
		done += (size_t)n;
	}
	return 0;
}

int cli_print_usage(FILE *to, const char *usage)
{
	fputs(usage, to);
	return to == stdout ? EXIT_OK : EXIT_USAGE;
}

void cli_escape(struct strbuf *out, const char *s)
{
	escape_addstr(out, s ? s : "", cli_term.escape_flags);
}

void cli_escape_column(struct strbuf *out, const char *s, size_t width)
{
	size_t len = strlen(s), used;

	if (escape_width(s, len, cli_term.escape_flags) <= width) {
		used = escape_append(out, s, len, cli_term.escape_flags, 0, width);
	} else {
		used = escape_append(out, s, len, cli_term.escape_flags, 0, width - 1);
		strbuf_addch(out, '~');
		used++;
	}
	strbuf_addchars(out, ' ', width - used);
}

void cli_color_begin(struct strbuf *out, const char *code)
{
	if (cli_term.color && code)
		strbuf_addf(out, "\033[%sm", code);
}

void cli_color_end(struct strbuf *out, const char *code)
{
	if (cli_term.color && code)
		strbuf_addstr(out, "\033[m");
}
