/*
 * cmd_verify.c: `revq verify [RANGE]`: the gate for CI and pre-receive
 * hooks.  Exit 0 when every AI-assisted commit in the range is approved
 * under the target's policy and none is rejected; exit 1 otherwise, with
 * one line per failing commit naming why (or JSON, GitHub annotations,
 * JUnit XML: --format).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/progress.h"
#include "show/cireport.h"
#include "show/format.h"
#include "decide/review.h"

static const char verify_usage[] =
	"usage: revq verify [--format=FORMAT] [--quiet] [--target REF] [--notes-ref REF] [RANGE...]\n"
	"\n"
	"Checks every AI-assisted commit in RANGE (default: TARGET..HEAD) against\n"
	"the policy in TARGET's tree.  Exit status 0: all approved; 1: some are not.\n"
	"\n"
	"  --format=text   one line per failing commit (the default)\n"
	"  --format=json   one JSON object (--json is the same)\n"
	"  --format=github ::error annotations, and a job summary in $GITHUB_STEP_SUMMARY\n"
	"  --format=junit  a JUnit XML report, one testcase per commit\n"
	"  --target REF    the target whose .revq/policy applies\n"
	"  --notes-ref REF where decisions live (a ref, or a notes commit)\n"
	"  --quiet, -q     no progress on stderr\n";

enum verify_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB, FORMAT_JUNIT };

/* What check_all() builds while it judges, in the chosen format. */
struct report {
	enum verify_format format;
	struct strbuf *out;      /* not owned: what goes to stdout */
	struct json json;        /* FORMAT_JSON: writes into out */
	struct strbuf cases;     /* owned: JUnit testcases, wrapped once the counts are known */
	struct strbuf summary;   /* owned: the failing commits for $GITHUB_STEP_SUMMARY */
	size_t nr, failed;
};

/* The report format of --format and --json; -1 to go on, or the usage error's exit status. */
static int parse_format(enum verify_format *out, const struct queue_cli *qc)
{
	static const char *const names[] = { "text", "json", "github", "junit" };

	size_t i = 0;

	*out = qc->json ? FORMAT_JSON : FORMAT_TEXT;
	if (!qc->format)
		return -1;
	while (i < sizeof(names) / sizeof(names[0]) && strcmp(qc->format, names[i]))
		i++;
	if (i == sizeof(names) / sizeof(names[0]))
		return cli_usage_error("--format is text, json, github or junit, not '%s'", qc->format);
	if (qc->json && i != FORMAT_JSON)
		return cli_usage_error("--json and --format=%s disagree", qc->format);
	*out = (enum verify_format)i;
	return -1;
}

/* Why a commit fails, unescaped: the trust-root note, then every failure. */
static void reasons(struct strbuf *out, const struct item *it, const struct evaluation *ev)
{
	if (it->gated && ev->failures.nr)
		strbuf_addstr(out, "changes the trust root (.revq/ or the allowed signers) without AI "
			      "markers; ");
	for (size_t i = 0; i < ev->failures.nr; i++) {
		if (i)
			strbuf_addstr(out, "; ");
		strbuf_addstr(out, ev->failures.v[i]);
	}
}

static void result_json(struct json *j, const struct item *it, const struct evaluation *ev)
{
	char hex[GIT_OID_HEXSZ + 1];

	json_object_begin(j, NULL);
	json_string(j, "commit", git_oid_tostr(hex, sizeof(hex), &it->id));
	json_string(j, "subject", it->subject);
	json_bool(j, "ok", !ev->failures.nr);
	json_string(j, "status", item_status_name(ev->status));
	json_int(j, "risk", it->risk);
	json_bool(j, "trust_root", it->gated);
	cli_evaluation_json(j, ev);
	json_object_end(j);
}

static void result_text(struct strbuf *out, const struct ci_result *res)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "%s: ", res->short_id);
	cli_escape(&line, res->reasons);
	strbuf_addstr(&line, " (");
	cli_escape(&line, res->subject);
	strbuf_addch(&line, ')');
	cli_wrap(out, line.buf);
	strbuf_release(&line);
}

static void report_result(struct report *rep, const struct item *it, const struct evaluation *ev)
{
	char hex[GIT_OID_HEXSZ + 1], id[16];
	struct strbuf why = STRBUF_INIT;
	struct ci_result res = { hex, id, it->subject, NULL };

	rep->nr++;
	rep->failed += ev->failures.nr > 0;
	git_oid_tostr(hex, sizeof(hex), &it->id);
	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	reasons(&why, it, ev);
	res.reasons = why.buf;
	if (rep->format == FORMAT_JSON) {
		result_json(&rep->json, it, ev);
	} else if (rep->format == FORMAT_JUNIT) {
		ci_junit_testcase(&rep->cases, &res, 0);
	} else if (ev->failures.nr && rep->format == FORMAT_GITHUB) {
		ci_github_error(rep->out, &res, cli_term.escape_flags);
		ci_summary_result(&rep->summary, &res, 0);
	} else if (ev->failures.nr) {
		result_text(rep->out, &res);
	}
	strbuf_release(&why);
}

static int report_begin(struct report *rep, const struct review *r)
{
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (rep->format != FORMAT_JSON)
		return 0;
	if ((rc = json_init(&rep->json, rep->out, 1)))
		return rc;
	json_object_begin(&rep->json, NULL);
	json_string(&rep->json, "target", r->target.name);
	json_string(&rep->json, "target_commit", git_oid_tostr(hex, sizeof(hex), &r->target.id));
	json_string(&rep->json, "policy", r->policy.origin);
	json_array_begin(&rep->json, "commits");
	return 0;
}

/* Appends the job summary to $GITHUB_STEP_SUMMARY; a file that will not open is only a warning. */
static void write_step_summary(const struct report *rep, const struct ci_run *run)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct strbuf md = STRBUF_INIT;
	FILE *f;

	if (!path || !*path)
		return;
	ci_summary_begin(&md, run, 0);
	strbuf_add(&md, rep->summary.buf, rep->summary.len);
	if (!(f = fopen(path, "a")) || fwrite(md.buf, 1, md.len, f) != md.len)
		error_warn("cannot write the job summary to %s", path);
	if (f && fclose(f))
		error_warn("cannot write the job summary to %s", path);
	strbuf_release(&md);
}

static void report_end(struct report *rep, const struct review *r)
{
	char id[16];
	struct ci_run run = { r->target.name, id, r->policy.origin, rep->nr, rep->failed };

	oid_short_id(id, sizeof(id), &r->target.id, SHORT_ID_LEN);
	if (rep->format == FORMAT_JSON) {
		json_array_end(&rep->json);
		json_bool(&rep->json, "ok", !rep->failed);
		json_object_end(&rep->json);
		strbuf_addch(rep->out, '\n');
		json_release(&rep->json);
	} else if (rep->format == FORMAT_JUNIT) {
		ci_junit_document(rep->out, &run, rep->cases.buf, 0);
	} else if (rep->format == FORMAT_GITHUB) {
		write_step_summary(rep, &run);
	}
}

#define VERIFY_TITLE "Verifying decisions"

static int check_all(struct report *rep, struct review *r, struct queue *q)
{
	int rc;

	if ((rc = report_begin(rep, r)))
		return rc;
	review_know(r, q->items, q->nr);   /* the branches being judged: a rebased series is found by them */
	for (size_t i = 0; i < q->nr && !rc; i++) {
		struct evaluation ev;

		if ((rc = review_evaluate(&ev, r, q->items[i])))
			break;
		report_result(rep, q->items[i], &ev);
		evaluation_release(&ev);
		progress_update(VERIFY_TITLE, i + 1, q->nr);
	}
	review_forget(r);
	if (q->nr)
		progress_done(VERIFY_TITLE, q->nr, q->nr);
	if (rc && rep->format == FORMAT_JSON)
		json_release(&rep->json);
	else if (!rc)
		report_end(rep, r);
	return rc;
}

/* One line on stderr: the resolved target, its commit, and the verdict. */
static void summary(const struct review *r, size_t nr, size_t failed)
{
	struct strbuf sb = STRBUF_INIT;
	char id[16];

	oid_short_id(id, sizeof(id), &r->target.id, SHORT_ID_LEN);
	strbuf_addstr(&sb, "revq: target ");
	cli_escape(&sb, r->target.name);
	strbuf_addf(&sb, " at %s: ", id);
	if (failed)
		strbuf_addf(&sb, "%zu of %zu commit%s to judge fail%s under ", failed, nr, nr == 1 ? "" : "s",
			    failed == 1 ? "s" : "");
	else if (nr == 1)
		strbuf_addstr(&sb, "the 1 commit to judge passes under ");
	else
		strbuf_addf(&sb, "all %zu commits to judge pass under ", nr);
	cli_escape(&sb, r->policy.origin);
	cli_eprint(sb.buf);
	strbuf_release(&sb);
}

/* Fails closed when the range may hold commits this repository does not have. */
static int check_history(const struct queue *q)
{
	if (q->incomplete)
		return error_set(REVQ_ERROR, "shallow history: the range reaches past what this "
				 "clone has, so commits in it cannot be judged; fetch the full history "
				 "(git fetch --unshallow) and verify again");
	return 0;
}

/*
 * Fails closed when git would show other commits than the ones judged:
 * a replace ref of a commit in the range or of the target, or grafts.
 */
static int check_replacements(struct session *s, const struct queue *q,
			      const struct queue_options *opts)
{
	struct strbuf why = STRBUF_INIT;
	struct pending p;
	struct target t;
	git_oid *ids;
	int rc;

	if (!pending_has_replacements(s->repo->git))
		return 0;
	/* The whole range, not only its AI-assisted commits: from the snapshot just stored. */
	if ((rc = queue_find_pending(&p, &t, s, opts)))
		return rc;
	ids = xcalloc(p.nr + 1, sizeof(*ids));
	for (size_t i = 0; i < p.nr; i++)
		git_oid_cpy(&ids[i], &p.commits[i].id);
	git_oid_cpy(&ids[p.nr], &q->target.id);
	rc = pending_replaced(&why, s->repo->git, ids, p.nr + 1);
	if (rc > 0)
		rc = error_set(REVQ_EDENIED, "%s", why.buf);
	free(ids);
	strbuf_release(&why);
	pending_release(&p);
	target_release(&t);
	return rc;
}

int cli_open_range(struct session **s, struct queue_cli *qc, const char *verb)
{
	static const char *const head[] = { "HEAD" };
	int rc;

	if (!qc->opts.ranges_nr) {
		qc->opts.ranges = head;
		qc->opts.ranges_nr = 1;
	}
	rc = cli_open_session(s);
	if (!rc && qc->opts.ranges == head && repo_is_empty((*s)->repo)) {
		fprintf(stderr, "revq: nothing to %s: the repository has no commits yet\n", verb);
		session_free(*s);
		*s = NULL;
		rc = 1;
	}
	return rc;
}

int cli_judge_range(struct review **r, struct queue **q, struct session *s, struct queue_cli *qc)
{
	int rc;

	*r = NULL;
	*q = NULL;
	/* The policy first: what it trusts (.revq/, its allowed signers) is gated, marked or not. */
	if (!(rc = review_open(r, s, qc->opts.target, qc->notes_ref))) {
		const char *gated[] = { POLICY_DIR, (*r)->policy.allowed_signers_path };

		qc->opts.gated = gated;
		qc->opts.gated_nr = (*r)->policy.allowed_signers_path ? 2 : 1;
		/* revq.gate = all: every commit of the range needs its approval, marked or not. */
		if ((*r)->policy.gate_all)
			qc->opts.all = 1;
		if (!(rc = queue_build(q, s, &qc->opts)) && !(rc = check_history(*q)))
			rc = check_replacements(s, *q, &qc->opts);
		qc->opts.gated = NULL;   /* gated[] ends here */
		qc->opts.gated_nr = 0;
	}
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct strbuf out = STRBUF_INIT;
	struct report rep;
	struct queue_cli qc;
	struct session *s;
	struct review *r = NULL;
	struct queue *q = NULL;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_TARGET | QOPT_NOTES | QOPT_QUIET |
					  QOPT_FORMAT, verify_usage)) >= 0)
		return rc;
	memset(&rep, 0, sizeof(rep));
	rep.cases = (struct strbuf)STRBUF_INIT;
	rep.summary = (struct strbuf)STRBUF_INIT;
	rep.out = &out;
	if ((rc = parse_format(&rep.format, &qc)) >= 0)
		return rc;
	if ((rc = cli_open_range(&s, &qc, "verify")))
		return rc > 0 ? EXIT_OK : cli_fail(rc);
	if (!(rc = cli_judge_range(&r, &q, s, &qc)))
		rc = check_all(&rep, r, q);
	if (!rc)
		rc = cli_write(&out);
	if (!rc && rep.format != FORMAT_JSON)
		summary(r, q->nr, rep.failed);
	strbuf_release(&out);
	strbuf_release(&rep.cases);
	strbuf_release(&rep.summary);
	review_free(r);
	queue_free(q);
	session_free(s);
	if (rc)
		return cli_fail(rc);
	return rep.failed ? EXIT_FAILED : EXIT_OK;
}
