/*
 * cmd_approve.c: `revq approve` and `revq reject`: signed decisions in
 * git notes, through the same code path as the console's a and r keys.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide/decision.h"
#include "show/format.h"
#include "queue/queue.h"

static const char approve_usage[] =
	"usage: revq approve [-m MSG] [--no-sign] [--notes-ref REF] [--target REF] COMMIT...\n"
	"   or: revq reject -m MSG [--no-sign] [--notes-ref REF] [--target REF] COMMIT...\n"
	"\n"
	"  -m, --message MSG   a one-line comment (a rejection needs one)\n"
	"  --no-sign           write an unsigned record, for experiments: verify never accepts it\n"
	"  --notes-ref REF     where decisions live (default: revq.notesRef, refs/notes/revq)\n"
	"  --target REF        the target whose policy says whose approval counts\n";

/* The items of the commits named, computed (risk included) when the cache lacks them. */
static int load_all(struct item ***out, struct session *s, char **specs, size_t nr)
{
	int rc = 0;

	*out = xcalloc(nr ? nr : 1, sizeof(**out));
	for (size_t i = 0; i < nr && !rc; i++) {
		git_commit *commit;

		if (!(rc = repo_lookup_commit(&commit, s->repo, specs[i]))) {
			rc = queue_load_item(&(*out)[i], s, git_commit_id(commit));
			git_commit_free(commit);
		}
	}
	return rc;
}

static void free_all(struct item **items, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		item_free(items[i]);
	free(items);
}

static void report(const struct decision_result *res, struct item *const *items, enum verdict verdict)
{
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < res->lines.nr; i++) {
		char id[16];

		oid_short_id(id, sizeof(id), &items[i]->id, SHORT_ID_LEN);
		strbuf_addf(&out, "%s %s ", verdict == VERDICT_APPROVE ? "approved" : "rejected", id);
		cli_escape(&out, items[i]->subject);
		strbuf_addch(&out, '\n');
	}
	cli_write(&out);
	strbuf_release(&out);
	for (size_t i = 0; i < res->warnings.nr; i++)
		error_warn("%s", res->warnings.v[i]);
}

int cmd_approve(int argc, char **argv)
{
	static const struct option options[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "no-sign", no_argument, NULL, 'n' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "target", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	const char *notes_ref = NULL, *target = NULL;
	struct session *s;
	struct review *r = NULL;
	struct item **items = NULL;
	size_t nr;
	int c, rc;

	memset(&req, 0, sizeof(req));
	req.verdict = !strcmp(argv[0], "reject") ? VERDICT_REJECT : VERDICT_APPROVE;
	while ((c = getopt_long(argc, argv, "+m:h", options, NULL)) != -1) {
		switch (c) {
		case 'm': req.comment = optarg; break;
		case 'n': req.no_sign = 1; break;
		case 'N': notes_ref = optarg; break;
		case 't': target = optarg; break;
		case 'h': return cli_print_usage(stdout, approve_usage);
		default: return cli_print_usage(stderr, approve_usage);
		}
	}
	if (optind == argc)
		return cli_usage_error("%s needs at least one commit; see 'revq %s --help'", argv[0], argv[0]);
	if (req.verdict == VERDICT_REJECT && (!req.comment || !*req.comment))
		return cli_usage_error("a rejection needs a reason: revq reject -m MSG COMMIT");
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	nr = (size_t)(argc - optind);
	if (!(rc = load_all(&items, s, argv + optind, nr)) && !(rc = review_open(&r, s, target, notes_ref)) &&
	    !(rc = decision_write(&res, r, items, nr, &req)))
		report(&res, items, req.verdict);
	decision_result_release(&res);
	review_free(r);
	free_all(items, nr);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
