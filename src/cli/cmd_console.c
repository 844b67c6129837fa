/*
 * cmd_console.c: `revq console` and plain `revq` on a terminal: the
 * interactive review console.  Off a terminal, plain `revq` lists.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "queue/repos.h"
#include "tui.h"

static const char console_usage[] =
	"usage: revq console [--all] [--target REF] [--notes-ref REF] [RANGE...]\n"
	"   or: revq console --repos [options] [PATH...]\n"
	"\n"
	"The review console: the queue, side-by-side diffs, one-key decisions.\n"
	"  --repos   one queue over the repositories at PATH... (default: the\n"
	"            revq.repos settings), each row naming its repository\n"
	"Press ? inside for every key.\n";

/*
 * The repositories the console shows: those of --repos or revq.repos
 * (the current one first), else the current one alone.
 */
static int open_repos(struct repo_set *set, struct queue_cli *qc)
{
	struct strvec paths = STRVEC_INIT;
	struct session *s = NULL;
	int rc;

	memset(set, 0, sizeof(*set));
	if ((rc = cli_open_queue(&s, &paths, qc)))
		goto done;
	if (qc->repos) {
		qc->opts.ranges = NULL;   /* they were the paths */
		qc->opts.ranges_nr = 0;
	}
	if (!paths.nr && qc->repos) {
		rc = error_set(REVQ_EUSAGE, "--repos: no repositories (name them, or set revq.repos)");
	} else if (!paths.nr) {
		repo_set_add(set, s, s->repo->commondir);   /* the set owns it now */
		s = NULL;
	} else {
		rc = repo_set_open_paths(set, &paths);
	}
done:
	session_free(s);
	strvec_clear(&paths);
	return rc;
}

int cmd_console(int argc, char **argv)
{
	struct console_options opts;
	struct queue_cli qc;
	struct repo_set set;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_ALL | QOPT_TARGET | QOPT_NOTES |
					  QOPT_JOBS | QOPT_REPOS, console_usage)) >= 0)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_usage_error("the console needs a terminal; use 'revq list' in scripts");
	cli_quiet();   /* the screen is the console's: no progress lines under curses */
	if ((rc = open_repos(&set, &qc))) {
		repo_set_release(&set);
		return cli_fail(rc);
	}
	opts.queue = qc.opts;
	opts.notes_ref = qc.notes_ref;
	rc = tui_run(&set, &opts);
	repo_set_release(&set);
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
