/*
 * cmd_verify.c: `revq verify [RANGE]`: the gate for CI and pre-receive
 * hooks.  Exit 0 when every AI-assisted commit in the range is approved
 * under the target's policy and none is rejected; exit 1 otherwise, with
 * one line per failing commit naming why.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/progress.h"
#include "show/format.h"
#include "decide/review.h"

static const char verify_usage[] =
	"usage: revq verify [--json] [--quiet] [--target REF] [--notes-ref REF] [RANGE...]\n"
	"\n"
	"Checks every AI-assisted commit in RANGE (default: TARGET..HEAD) against\n"
	"the policy in TARGET's tree.  Exit status 0: all approved; 1: some are not.\n"
	"\n"
	"  --json          print one JSON object\n"
	"  --target REF    the target whose .revq/policy applies\n"
	"  --notes-ref REF where decisions live (a ref, or a notes commit)\n"
	"  --quiet, -q     no progress on stderr\n";

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

static void result_text(struct strbuf *out, const struct item *it, const struct evaluation *ev)
{
	char id[16];

	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	strbuf_addf(out, "%s: ", id);
	if (it->gated)
		strbuf_addstr(out, "changes the trust root (.revq/ or the allowed signers) without AI "
			      "markers; ");
	for (size_t i = 0; i < ev->failures.nr; i++) {
		if (i)
			strbuf_addstr(out, "; ");
		cli_escape(out, ev->failures.v[i]);
	}
	strbuf_addstr(out, " (");
	cli_escape(out, it->subject);
	strbuf_addstr(out, ")\n");
}

#define VERIFY_TITLE "Verifying decisions"

static int check_all(struct strbuf *out, size_t *failed, struct review *r, struct queue *q, int json)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct json j;
	int rc = 0;

	if (json && (rc = json_init(&j, out, 1)))
		return rc;
	if (json) {
		json_object_begin(&j, NULL);
		json_string(&j, "target", r->target.name);
		json_string(&j, "target_commit", git_oid_tostr(hex, sizeof(hex), &r->target.id));
		json_string(&j, "policy", r->policy.origin);
		json_array_begin(&j, "commits");
	}
	review_know(r, q->items, q->nr);   /* the branches being judged: a rebased series is found by them */
	for (size_t i = 0; i < q->nr && !rc; i++) {
		struct evaluation ev;

		if ((rc = review_evaluate(&ev, r, q->items[i])))
			break;
		*failed += ev.failures.nr > 0;
		if (json)
			result_json(&j, q->items[i], &ev);
		else if (ev.failures.nr)
			result_text(out, q->items[i], &ev);
		evaluation_release(&ev);
		progress_update(VERIFY_TITLE, i + 1, q->nr);
	}
	review_forget(r);
	if (q->nr)
		progress_done(VERIFY_TITLE, q->nr, q->nr);
	if (json) {
		json_array_end(&j);
		json_bool(&j, "ok", !*failed);
		json_object_end(&j);
		strbuf_addch(out, '\n');
		json_release(&j);
	}
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
	fprintf(stderr, "%s\n", sb.buf);
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
	struct queue_cli qc;
	struct session *s;
	struct review *r = NULL;
	struct queue *q = NULL;
	size_t failed = 0;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_TARGET | QOPT_NOTES | QOPT_QUIET,
					  verify_usage)) >= 0)
		return rc;
	if ((rc = cli_open_range(&s, &qc, "verify")))
		return rc > 0 ? EXIT_OK : cli_fail(rc);
	if (!(rc = cli_judge_range(&r, &q, s, &qc)))
		rc = check_all(&out, &failed, r, q, qc.json);
	if (!rc)
		rc = cli_write(&out);
	if (!rc && !qc.json)
		summary(r, q->nr, failed);
	strbuf_release(&out);
	review_free(r);
	queue_free(q);
	session_free(s);
	if (rc)
		return cli_fail(rc);
	return failed ? EXIT_FAILED : EXIT_OK;
}
