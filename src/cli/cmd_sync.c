/*
 * cmd_sync.c: `revq sync [REMOTE]`: share decisions through the remote's
 * notes ref without ever losing a record.
 */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "decide/sync.h"

static const char sync_usage[] =
	"usage: revq sync [--quiet] [--notes-ref REF] [REMOTE]\n"
	"\n"
	"Fetches REMOTE's decisions (default: origin) into refs/notes/remotes/REMOTE/,\n"
	"merges them with yours by record union, and pushes the result. Never forces.\n";

int cmd_sync(int argc, char **argv)
{
	static const struct option options[] = {
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *notes_ref = NULL, *remote = "origin";
	struct sync_result res;
	struct session *s;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "+qh", options)) != -1) {
		switch (c) {
		case 'N': notes_ref = optarg; break;
		case 'q': cli_quiet(); break;
		case 'h': return cli_print_usage(stdout, sync_usage);
		default: return cli_print_usage(stderr, sync_usage);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("sync takes at most one remote");
	if (argc - optind == 1)
		remote = argv[optind];
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	rc = sync_notes(&res, s, remote, notes_ref);
	session_free(s);
	if (rc)
		return cli_fail(rc);
	fprintf(stderr, "revq: synced decisions with %s: %s, %s, %s\n", remote,
		res.fetched ? "fetched theirs" : "they had none", res.merged ? "merged" : "nothing to merge",
		res.pushed ? "pushed ours" : "nothing to push");
	return EXIT_OK;
}
