/*
 * cmd_console.c: `revq console` and plain `revq` on a terminal: the
 * interactive review console.  Off a terminal, plain `revq` lists.
 */
#include "config.h"

#include <unistd.h>

#include "cli.h"
#include "tui.h"

static const char console_usage[] =
	"usage: revq console [--all] [--target REF] [--notes-ref REF] [RANGE...]\n"
	"\n"
	"The review console: the queue, side-by-side diffs, one-key decisions.\n"
	"Press ? inside for every key.\n";

int cmd_console(int argc, char **argv)
{
	struct console_options opts;
	struct queue_cli qc;
	struct session *s;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_ALL | QOPT_TARGET | QOPT_NOTES |
					  QOPT_JOBS, console_usage)) >= 0)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_usage_error("the console needs a terminal; use 'revq list' in scripts");
	cli_quiet();   /* the screen is the console's: no progress lines under curses */
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	opts.queue = qc.opts;
	opts.notes_ref = qc.notes_ref;
	rc = tui_run(s, &opts);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cmd_default(int argc, char **argv)
{
	char *console_argv[] = { "console", NULL };
	char *list_argv[] = { "list", NULL };

	(void)argc;
	(void)argv;
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return cmd_console(1, console_argv);
	return cmd_list(1, list_argv);
}
