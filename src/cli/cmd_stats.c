/*
 * cmd_stats.c: `revq stats`: where the queue waits, for the team and
 * its manager: decisions per reviewer and level, time from commit to
 * decision, the open queue by the level and team it needs, and how much
 * of it the policy keeps away from seniors (stats.h), over one
 * repository or several (--repos, revq.repos).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli.h"
#include "decide/stats.h"
#include "queue/repos.h"
#include "show/format.h"
#include "show/json.h"
#include "show/statsreport.h"
#include "sign/record.h"

static const char stats_usage[] =
	"usage: revq stats [--json] [--since DATE] [--all] [--target REF] [--notes-ref REF] [--quiet]\n"
	"                  [RANGE...]\n"
	"   or: revq stats --repos [options] [PATH...]\n"
	"\n"
	"  --json          one JSON object\n"
	"  --since DATE    only decisions made since DATE (2026-11-01, 2026-11-01T09:00:00Z,\n"
	"                  or 30d for the last 30 days)\n"
	"  --all           the queue includes pending commits without AI markers\n"
	"  --repos         over the repositories at PATH... (default: revq.repos)\n"
	"\n"
	"Senior hours are the changed lines only a senior can move on, at 500 lines\n"
	"an hour (the SmartBear/Cisco review study).\n";

/* DATE as --since takes it: a record time, a day (UTC midnight), or N days ago. */
static int parse_since(int64_t *out, const char *s, int64_t now)
{
	char *end;
	long days = strtol(s, &end, 10);
	struct strbuf day = STRBUF_INIT;
	int rc;

	if (end != s && end[0] == 'd' && !end[1] && days >= 0 && days <= 100000) {
		*out = now - (int64_t)days * 86400;
		return 0;
	}
	if (!record_parse_time(out, s))
		return 0;
	strbuf_addf(&day, "%sT00:00:00Z", s);
	rc = strlen(s) == 10 ? record_parse_time(out, day.buf) : -1;
	strbuf_release(&day);
	return rc ? -1 : 0;
}

/* Seconds from commit to decision; null when nothing was decided. */
static void json_waits(struct json *j, struct wait_list *w)
{
	static const struct { const char *key; unsigned pct; } keys[] = {
		{ "median_wait", 50 }, { "p75_wait", 75 }, { "p90_wait", 90 },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (w->nr)
			json_int(j, keys[i].key, stats_percentile(w, keys[i].pct));
		else
			json_null(j, keys[i].key);
	}
}

static void print_json(struct strbuf *out, struct stats *st)
{
	struct json j;
	size_t kept = st->open - st->levels[LEVEL_SENIOR].waiting;

	json_init(&j, out, 1);
	json_object_begin(&j, NULL);
	json_int(&j, "since", st->since);
	json_int(&j, "now", st->now);
	json_object_begin(&j, "queue");
	json_int(&j, "open", (int64_t)st->open);
	json_int(&j, "rejected", (int64_t)st->rejected);
	json_int(&j, "approved", (int64_t)st->approved);
	json_object_begin(&j, "waiting_on");
	json_int(&j, "senior", (int64_t)st->levels[LEVEL_SENIOR].waiting);
	json_int(&j, "mid", (int64_t)st->levels[LEVEL_MID].waiting);
	json_int(&j, "anyone", (int64_t)st->levels[LEVEL_JUNIOR].waiting);
	json_int(&j, "team", (int64_t)st->levels[LEVEL_NONE].waiting);
	json_object_end(&j);
	json_int(&j, "kept_from_seniors", (int64_t)kept);
	json_fixed(&j, "kept_from_seniors_share", st->open ? (double)kept / (double)st->open : 0.0, 3);
	json_int(&j, "senior_lines", (int64_t)st->levels[LEVEL_SENIOR].lines);
	json_fixed(&j, "senior_hours", stats_senior_hours(st), 2);
	json_int(&j, "lines_per_hour", STATS_LINES_PER_HOUR);
	json_array_begin(&j, "teams");
	for (size_t i = 0; i < st->teams_nr; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "team", st->teams[i].name);
		json_int(&j, "open", (int64_t)st->teams[i].open);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_array_begin(&j, "history");
	for (size_t k = 0; k < STATS_HISTORY_POINTS; k++) {
		int64_t at = stats_history_time(st, k);

		json_object_begin(&j, NULL);
		json_int(&j, "time", at);
		json_int(&j, "open", (int64_t)stats_open_at(st, at, LEVEL_NONE, -1));
		json_int(&j, "senior", (int64_t)stats_open_at(st, at, LEVEL_SENIOR, -1));
		json_int(&j, "mid", (int64_t)stats_open_at(st, at, LEVEL_MID, -1));
		json_int(&j, "anyone", (int64_t)stats_open_at(st, at, LEVEL_JUNIOR, -1));
		json_object_begin(&j, "teams");
		for (size_t i = 0; i < st->teams_nr; i++)
			json_int(&j, st->teams[i].name, (int64_t)stats_open_at(st, at, LEVEL_NONE, (int)i));
		json_object_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "levels");
	for (int l = LEVEL_SENIOR; l >= LEVEL_JUNIOR; l--) {
		json_object_begin(&j, NULL);
		json_string(&j, "level_needed", level_name((enum level)l));
		json_int(&j, "open", (int64_t)st->levels[l].open);
		json_int(&j, "decided", (int64_t)st->levels[l].decided);
		json_waits(&j, &st->levels[l].waits);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "reviewers");
	for (size_t i = 0; i < st->reviewers_nr; i++) {
		struct reviewer_stats *r = &st->reviewers[i];

		json_object_begin(&j, NULL);
		json_string(&j, "reviewer", r->name);
		json_string(&j, "level", level_name(r->level));
		json_int(&j, "approvals", (int64_t)r->approvals);
		json_int(&j, "rejections", (int64_t)r->rejections);
		json_fixed(&j, "per_day", stats_per_day(st, r->approvals + r->rejections), 2);
		json_waits(&j, &r->waits);
		json_int(&j, "senior_work", (int64_t)r->senior_work);
		json_fixed(&j, "senior_share", st->senior_decisions
			   ? (double)r->senior_work / (double)st->senior_decisions : 0.0, 3);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	strbuf_addch(out, '\n');
	json_release(&j);
}

/* Adds one repository's figures. */
static int collect(struct stats *st, struct session *s, struct queue *q, const struct queue_cli *qc)
{
	struct review *r;
	int rc;

	if ((rc = review_open(&r, s, qc->opts.target, qc->notes_ref)))
		return rc;
	rc = stats_collect(st, r, q);
	review_free(r);
	return rc;
}

static int collect_repos(struct stats *st, const struct strvec *paths, const struct queue_cli *qc)
{
	struct queue_options opts = qc->opts;
	struct repo_set set;
	int rc;

	if (!paths->nr)
		return error_set(REVQ_EUSAGE, "--repos: no repositories (name them, or set revq.repos)");
	if (qc->repos) {
		opts.ranges = NULL;   /* they were the paths */
		opts.ranges_nr = 0;
	}
	opts.now = st->now;
	rc = repo_set_open(&set, paths, &opts);
	for (size_t i = 0; i < set.nr && !rc; i++)
		if ((rc = collect(st, set.repos[i].session, set.repos[i].queue, qc))) {
			char *why = xstrdup(error_last());   /* error_set() rewrites what error_last() shows */

			error_set(rc, "%s: %s", set.repos[i].label, why);
			free(why);
		}
	repo_set_release(&set);
	return rc;
}

static int collect_one(struct stats *st, struct session *s, const struct queue_cli *qc)
{
	struct queue_options opts = qc->opts;
	struct queue *q;
	int rc;

	opts.now = st->now;
	if ((rc = queue_build(&q, s, &opts)))
		return rc;
	rc = collect(st, s, q, qc);
	queue_free(q);
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	struct strvec paths = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	struct session *s = NULL;
	struct queue_cli qc;
	int64_t now = clock_now(), since = 0;
	struct stats st;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_ALL | QOPT_TARGET | QOPT_JOBS |
					  QOPT_NOTES | QOPT_QUIET | QOPT_REPOS | QOPT_SINCE, stats_usage)) >= 0)
		return rc;
	if (qc.since && parse_since(&since, qc.since, now))
		return cli_usage_error("--since takes 2026-11-01, 2026-11-01T09:00:00Z or 30d, not '%s'", qc.since);
	if ((rc = cli_open_queue(&s, &paths, &qc))) {
		strvec_clear(&paths);
		return cli_fail(rc);
	}
	stats_init(&st, since, now);
	rc = paths.nr || qc.repos ? collect_repos(&st, &paths, &qc) : collect_one(&st, s, &qc);
	if (!rc && qc.json) {
		print_json(&out, &st);
	} else if (!rc) {
		stats_report(&out, &st, cli_term.escape_flags);
	}
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	stats_release(&st);
	strvec_clear(&paths);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
