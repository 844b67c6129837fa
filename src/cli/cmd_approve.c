/*
 * cmd_approve.c: `revq approve`, `revq reject` and `revq undo`: signed
 * decisions in git notes, through the same code path as the console's
 * a, r and u keys.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide/comments.h"
#include "decide/decision.h"
#include "show/viewed.h"
#include "show/format.h"
#include "queue/queue.h"
#include "decide/series.h"

static const char approve_usage[] =
	"usage: revq approve [-m MSG] [--no-sign] [--notes-ref REF] [--target REF] COMMIT|A..B...\n"
	"   or: revq reject (-m MSG | --unresolved) [--no-sign] [--notes-ref REF] [--target REF] COMMIT|A..B...\n"
	"   or: revq undo [-m MSG] [--no-sign] [--notes-ref REF] [--target REF] COMMIT|A..B...\n"
	"   or: revq approve|reject|undo [-m MSG] ... --series BASE..TIP\n"
	"\n"
	"  --series BASE..TIP  one decision on the commits BASE..TIP as one change (revq-notes(5))\n"
	"  -m, --message MSG   a one-line comment (a rejection needs one)\n"
	"  --unresolved        reject: the reason is the commit's unresolved comments (revq comments)\n"
	"  --no-sign           write an unsigned record, for experiments: verify never accepts it\n"
	"  --notes-ref REF     where decisions live (default: revq.notesRef, refs/notes/revq)\n"
	"  --target REF        the target whose policy says whose approval counts\n"
	"\n"
	"undo withdraws my latest decision on each commit with a record that supersedes it\n"
	"(records are never deleted); it fails when I have none.\n";

/* The items being decided: grown as commits and ranges are named. */
struct items {
	struct item **v;   /* owned, each owned */
	size_t nr, alloc;
};

static int add_item(struct items *out, struct session *s, const git_oid *id)
{
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	out->v[out->nr] = NULL;
	if (queue_load_item(&out->v[out->nr], s, id))
		return REVQ_ERROR;
	out->nr++;
	return 0;
}

/* Every commit of a range (A..B or ^A B), as `git rev-list` lists it; none is refused for lack of markers. */
static int add_range(struct items *out, struct session *s, const char *range, const char *target)
{
	const char *ranges[] = { range };
	struct queue_options opts;
	struct pending p;
	struct target t;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.ranges = ranges;
	opts.ranges_nr = 1;
	opts.target = target;
	if ((rc = queue_find_pending(&p, &t, s, &opts)))
		return rc;
	for (size_t i = 0; i < p.nr && !rc; i++)
		rc = add_item(out, s, &p.commits[i].id);
	if (!rc && !p.nr)
		rc = error_set(REVQ_ENOTFOUND, "the range '%s' holds no commit", range);
	pending_release(&p);
	target_release(&t);
	return rc;
}

/* The items of the commits and ranges named, computed (risk included) when the cache lacks them. */
static int load_all(struct items *out, struct session *s, char **specs, size_t nr, const char *target)
{
	int rc = 0;

	for (size_t i = 0; i < nr && !rc; i++) {
		git_commit *commit;

		if (strstr(specs[i], ".."))
			rc = add_range(out, s, specs[i], target);
		else if (!(rc = repo_lookup_commit(&commit, s->repo, specs[i]))) {
			rc = add_item(out, s, git_commit_id(commit));
			git_commit_free(commit);
		}
	}
	return rc;
}

/* --unresolved: the reason names the unresolved comments of the commits (one decision each). */
static int decide_unresolved(struct decision_result *res, struct review *r, struct items *items,
			     struct decision_request *req)
{
	struct comment_index *index = NULL;
	int rc = 0;

	for (size_t i = 0; i < items->nr && !rc; i++) {
		struct comment_set set;
		struct decision_result one = DECISION_RESULT_INIT;
		struct strbuf reason = STRBUF_INIT;
		char id[16];

		if ((rc = comments_load(&set, &index, r, &items->v[i]->id)))
			break;
		comments_unresolved_reason(&reason, &set);
		comment_set_release(&set);
		oid_short_id(id, sizeof(id), &items->v[i]->id, SHORT_ID_LEN);
		if (!reason.len)
			rc = error_set(REVQ_EUSAGE, "%s has no unresolved comment to reject for: give a reason with -m", id);
		req->comment = reason.buf;
		if (!rc && !(rc = decision_write(&one, r, &items->v[i], 1, req))) {
			for (size_t k = 0; k < one.lines.nr; k++)
				strvec_push(&res->lines, one.lines.v[k]);
			for (size_t k = 0; k < one.warnings.nr; k++)
				strvec_push(&res->warnings, one.warnings.v[k]);
		}
		req->comment = NULL;
		decision_result_release(&one);
		strbuf_release(&reason);
	}
	comment_index_free(index);
	return rc;
}

/*
 * revq.recordViewed: one commit's files viewed, as the reviewer marked
 * them in the console (show/viewed.h); NULL when off or not one commit.
 */
static char *viewed_value(struct session *s, const struct items *items)
{
	char *name = NULL, *email = NULL;
	struct strbuf value = STRBUF_INIT;
	struct layout *layout = NULL;
	git_commit *commit = NULL;

	if (settings_get_bool(&s->repo->settings, "revq.recordviewed") && items->nr == 1 && !settings_identity(&name, &email, &s->repo->settings) &&
	    !git_commit_lookup(&commit, s->repo->git, &items->v[0]->id) &&
	    !layout_load(&layout, s->repo->git, commit)) {
		struct viewed v;

		viewed_load(&v, s->cache, email, layout);
		viewed_record_value(&value, &v, layout, 200);
		viewed_release(&v);
	}
	error_clear();
	git_error_clear();
	layout_free(layout);
	git_commit_free(commit);
	free(name);
	free(email);
	return value.len ? strbuf_detach(&value, NULL) : (strbuf_release(&value), NULL);
}

static void free_all(struct items *items)
{
	for (size_t i = 0; i < items->nr; i++)
		item_free(items->v[i]);
	free(items->v);
}

static void report(const struct decision_result *res, struct item *const *items, enum verdict verdict)
{
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < res->lines.nr; i++) {
		char id[16];

		oid_short_id(id, sizeof(id), &items[i]->id, SHORT_ID_LEN);
		if (verdict == VERDICT_WITHDRAW)
			strbuf_addf(&out, "withdrew %s of %s ", i < res->undone.nr &&
				    !strcmp(res->undone.v[i], "reject") ? "rejection" : "approval", id);
		else
			strbuf_addf(&out, "%s %s ", verdict == VERDICT_APPROVE ? "approved" : "rejected", id);
		cli_escape(&out, items[i]->subject);
		strbuf_addch(&out, '\n');
	}
	cli_write(&out);
	strbuf_release(&out);
	for (size_t i = 0; i < res->warnings.nr; i++)
		error_warn("%s", res->warnings.v[i]);
}

/* --series BASE..TIP: one record on the series, noted on its tip. */
static int decide_series(struct session *s, const char *spec, const char *target, const char *notes_ref,
			 const struct decision_request *req)
{
	struct decision_result res = DECISION_RESULT_INIT;
	struct review *r = NULL;
	struct item *tip = NULL;
	git_oid base, tip_id;
	int rc;

	if (!(rc = series_parse_range(&base, &tip_id, s->repo, spec)) &&
	    !(rc = queue_load_item(&tip, s, &tip_id)) &&
	    !(rc = review_open(&r, s, target, notes_ref)) &&
	    !(rc = decision_write_series(&res, r, tip, &base, req))) {
		struct strbuf out = STRBUF_INIT;
		const struct series *series;
		char a[16], b[16];

		oid_short_id(a, sizeof(a), &base, SHORT_ID_LEN);
		oid_short_id(b, sizeof(b), &tip_id, SHORT_ID_LEN);
		if (req->verdict == VERDICT_WITHDRAW)
			strbuf_addf(&out, "withdrew %s of the series %s..%s", res.undone.nr &&
				    !strcmp(res.undone.v[0], "reject") ? "rejection" : "approval", a, b);
		else
			strbuf_addf(&out, "%s the series %s..%s", req->verdict == VERDICT_APPROVE ? "approved" : "rejected",
				    a, b);
		if (!review_series(&series, r, &base, &tip_id))
			strbuf_addf(&out, " (%zu commit%s)", series->commits_nr, series->commits_nr == 1 ? "" : "s");
		strbuf_addch(&out, '\n');
		cli_write(&out);
		strbuf_release(&out);
		for (size_t i = 0; i < res.warnings.nr; i++)
			error_warn("%s", res.warnings.v[i]);
	}
	decision_result_release(&res);
	review_free(r);
	item_free(tip);
	return rc;
}

int cmd_approve(int argc, char **argv)
{
	static const struct option options[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "no-sign", no_argument, NULL, 'n' },
		{ "unresolved", no_argument, NULL, 'u' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "target", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	const char *notes_ref = NULL, *target = NULL, *series = NULL;
	struct session *s;
	struct review *r = NULL;
	struct items items = { NULL, 0, 0 };
	char *viewed = NULL;
	int c, rc, unresolved = 0;

	memset(&req, 0, sizeof(req));
	req.verdict = !strcmp(argv[0], "reject") ? VERDICT_REJECT :
		      !strcmp(argv[0], "undo") ? VERDICT_WITHDRAW : VERDICT_APPROVE;
	while ((c = cli_getopt(argc, argv, "+m:h", options)) != -1) {
		switch (c) {
		case 'm': req.comment = optarg; break;
		case 'n': req.no_sign = 1; break;
		case 'u': unresolved = 1; break;
		case 'N': notes_ref = optarg; break;
		case 't': target = optarg; break;
		case 'S': series = optarg; break;
		case 'h': return cli_print_usage(stdout, approve_usage);
		default: return cli_print_usage(stderr, approve_usage);
		}
	}
	if (series && optind != argc)
		return cli_usage_error("--series takes one BASE..TIP and no other commit; see 'revq %s --help'",
				       argv[0]);
	if (optind == argc && !series)
		return cli_usage_error("%s needs at least one commit; see 'revq %s --help'", argv[0], argv[0]);
	if (unresolved && (req.verdict != VERDICT_REJECT || req.comment))
		return cli_usage_error("--unresolved is a rejection's reason, instead of -m");
	if (req.verdict == VERDICT_REJECT && !unresolved && (!req.comment || !*req.comment))
		return cli_usage_error("a rejection needs a reason: revq reject -m MSG COMMIT (or --unresolved)");
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	if (series) {
		rc = decide_series(s, series, target, notes_ref, &req);
		session_free(s);
		return rc ? cli_fail(rc) : EXIT_OK;
	}
	if (!(rc = load_all(&items, s, argv + optind, (size_t)(argc - optind), target)) &&
	    !(rc = review_open(&r, s, target, notes_ref))) {
		req.viewed = viewed = viewed_value(s, &items);
		rc = unresolved ? decide_unresolved(&res, r, &items, &req) : decision_write(&res, r, items.v, items.nr, &req);
		if (!rc)
			report(&res, items.v, req.verdict);
	}
	free(viewed);
	decision_result_release(&res);
	review_free(r);
	free_all(&items);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
