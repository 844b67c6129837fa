/*
 * cmd_cache.c: `revq cache rebuild|clear|path`: the cache is disposable,
 * and these are the ways to dispose of it on purpose.
 */
#include "config.h"

#include <string.h>

#include "cli.h"

static const char cache_usage[] =
	"usage: revq cache rebuild [--all]\n"
	"   or: revq cache clear\n"
	"   or: revq cache path\n"
	"\n"
	"  rebuild   drop every computed item, then compute the queue again\n"
	"  clear     drop every computed item\n"
	"  path      print where the cache lives\n";

int cmd_cache(int argc, char **argv)
{
	struct queue_options opts;
	struct session *s;
	struct queue *q;
	const char *sub = argc > 1 ? argv[1] : "";
	int rc;

	if (!strcmp(sub, "-h") || !strcmp(sub, "--help"))
		return cli_print_usage(stdout, cache_usage);
	if (strcmp(sub, "rebuild") && strcmp(sub, "clear") && strcmp(sub, "path"))
		return cli_print_usage(stderr, cache_usage);
	memset(&opts, 0, sizeof(opts));
	if (argc > 2 && !strcmp(sub, "rebuild") && !strcmp(argv[2], "--all"))
		opts.all = 1;
	else if (argc > 2)
		return cli_print_usage(stderr, cache_usage);
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	if (!strcmp(sub, "path")) {
		printf("%s\n", cache_path(s->cache));
		session_free(s);
		return EXIT_OK;
	}
	if ((rc = cache_clear(s->cache))) {
		session_free(s);
		return cli_fail(rc);
	}
	if (!strcmp(sub, "rebuild")) {
		if ((rc = queue_build(&q, s, &opts))) {
			session_free(s);
			return cli_fail(rc);
		}
		fprintf(stderr, "revq: rebuilt %s: %zu pending commits, %zu in the queue\n",
			cache_path(s->cache), q->pending_nr, q->nr);
		queue_free(q);
	} else {
		fprintf(stderr, "revq: cleared %s\n", cache_path(s->cache));
	}
	session_free(s);
	return EXIT_OK;
}
