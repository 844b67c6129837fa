/*
 * cmd_demo.c: `revq demo [DIR]`: build the demo repository, then open
 * revq on it (the console on a terminal, the list otherwise).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli/demo.h"

static const char demo_usage[] =
	"usage: revq demo [--no-open] [DIR]\n"
	"\n"
	"Creates a demo repository in DIR (default: revq-demo) and opens revq on it.\n"
	"An existing demo in DIR is reused.\n"
	"\n"
	"  --no-open   only create the repository\n";

int cmd_demo(int argc, char **argv)
{
	static const struct option options[] = {
		{ "no-open", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "revq-demo";
	int c, open = 1, existed, rc;

	while ((c = cli_getopt(argc, argv, "+h", options)) != -1) {
		switch (c) {
		case 'n': open = 0; break;
		case 'h': return cli_print_usage(stdout, demo_usage);
		default: return cli_print_usage(stderr, demo_usage);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("demo takes at most one directory");
	if (argc - optind == 1)
		dir = argv[optind];
	if ((rc = demo_create(dir, clock_now(), &existed)))
		return cli_fail(rc);
	fprintf(stderr, "revq: %s demo repository in %s\n", existed ? "using the" : "created a",
		dir);
	if (!open)
		return EXIT_OK;
	if (chdir(dir))
		return cli_usage_error("cannot change to '%s': %s", dir, strerror(errno));
	return cmd_default(0, NULL);
}
