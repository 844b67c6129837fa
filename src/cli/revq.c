/*
 * revq.c: the revq program: global options in git's style, then one
 * subcommand.  Every command is a thin front end over the core library.
 * Installed also as git-revq (a symlink), so that `git revq ...` runs
 * it: argv[0] does not change what it does.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "console", cmd_console, "the interactive review console (the default on a terminal)" },
	{ "list", cmd_list, "list the review queue in priority order" },
	{ "show", cmd_show, "show one commit with its risk reasons and files" },
	{ "demo", cmd_demo, "create the demo repository and open it" },
	{ "approve", cmd_approve, "approve commits: a signed record in git notes" },
	{ "reject", cmd_approve, "reject commits, with a reason" },
	{ "undo", cmd_approve, "withdraw my decision on commits (a superseding signed record)" },
	{ "comment", cmd_comment, "comment on a line of a commit, reply, or resolve a comment" },
	{ "comments", cmd_comments, "print the review comments of pending commits" },
	{ "verify", cmd_verify, "check that AI-assisted commits are approved under the policy" },
	{ "attest", cmd_attest, "in-toto attestations (review, SLSA VSA) of approved commits" },
	{ "policy", cmd_policy, "check the review policy of a ref (policy check)" },
	{ "stats", cmd_stats, "where the queue waits: decisions, waits, the narrow gate" },
	{ "sync", cmd_sync, "fetch, merge and push decisions with a remote" },
	{ "cache", cmd_cache, "inspect or rebuild the local cache" },
	{ "hook", cmd_hook, "the server's pre-receive gate (hook pre-receive)" },
	{ "setup", cmd_setup, "set up your ssh signing key for review signatures" },
	{ "init", cmd_init, "write a commented .revq/policy and allowed signers" },
	{ "doctor", cmd_doctor, "check signing, policy, notes refspecs, hook and clone" },
};

#define COMMANDS_NR (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *to)
{
	fprintf(to,
		"usage: revq [-C DIR] [--git-dir DIR] [-q|--quiet] [--version] [--help] [COMMAND [ARGS]]\n"
		"\n"
		"Reviews AI-assisted commits: a prioritized queue, side-by-side diffs and\n"
		"signed decisions stored in git notes.  Without a command, revq opens the\n"
		"console on a terminal and prints the queue otherwise.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < COMMANDS_NR; i++)
		fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(to,
		"\n"
		"Exit status: 0 ok, 1 verification failed, 2 usage error, 3 runtime error.\n"
		"See revq(1) for everything else.\n");
}

static void setup_terminal(void)
{
	/*
	 * Only the character set comes from the environment, as in git:
	 * widths and escaping need it, while numbers, dates and messages stay
	 * in the C locale that scripts reading our output expect.  (It also
	 * spares a dozen locale files at every start.)
	 */
	setlocale(LC_CTYPE, "");
	cli_term.escape_flags = escape_flags_for_locale();
	cli_term.stdout_tty = isatty(STDOUT_FILENO);
	cli_setup_color(NULL);
}

static int change_directory(const char *dir)
{
	if (!*dir)
		return 0;   /* git treats -C "" as "stay here" */
	if (chdir(dir)) {
		/* Not a usage error: the command was right, the directory is not there. */
		error_set(REVQ_ERROR, "cannot change to '%s': %s", dir, strerror(errno));
		cli_fail(REVQ_ERROR);
		return -1;
	}
	return 0;
}

/* Returns -1 to go on with the command at argv[*first], or an exit status. */
static int parse_global_options(int argc, char **argv, int *first)
{
	static const struct option options[] = {
		{ "git-dir", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+" stops at the first non-option: the command name. */
	while ((c = getopt_long(argc, argv, "+C:qh", options, NULL)) != -1) {
		switch (c) {
		case 'C':
			if (change_directory(optarg))
				return EXIT_RUNTIME;
			break;
		case 'g':
			setenv("GIT_DIR", optarg, 1);
			break;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		case 'q':
			cli_quiet();
			break;
		case 'V':
			printf("revq %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	*first = optind;
	return -1;
}

int main(int argc, char **argv)
{
	int first = 1, status;

	setup_terminal();
	cli_progress_setup();
	error_set_warn_handler(cli_warn, NULL);
	if ((status = parse_global_options(argc, argv, &first)) >= 0)
		return status;
	argc -= first;
	argv += first;
	optind = 0;   /* each command parses its own options from scratch */
	if (!argc)
		return cmd_default(argc, argv);
	if (!strcmp(argv[0], "help")) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "__complete"))
		return cmd_complete(argc, argv, commands, COMMANDS_NR);
	for (size_t i = 0; i < COMMANDS_NR; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].run(argc, argv);
	cli_usage_error("'%s' is not a revq command; see 'revq --help'", argv[0]);
	return EXIT_USAGE;
}
