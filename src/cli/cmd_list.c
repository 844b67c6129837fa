/*
 * cmd_list.c: `revq list`: the queue in priority order, as columns for
 * people or as one JSON array for scripts.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "show/format.h"
#include "decide/review.h"

static const char list_usage[] =
	"usage: revq list [--json] [--all] [--for-me] [--limit N] [--target REF]\n"
	"                 [--notes-ref REF] [--jobs N] [--quiet] [RANGE...]\n"
	"\n"
	"  --json          print one JSON array of items\n"
	"  --for-me        only the items my approval would count for (not mine, my\n"
	"                  level or team fills an open need, not decided by me yet)\n"
	"  --all           include pending commits without AI markers\n"
	"  --limit N       show at most N items\n"
	"  --target REF    the branch pending work lands on (default: revq.target,\n"
	"                  origin/HEAD, main, master)\n"
	"  --notes-ref REF where decisions live (default: revq.notesRef, refs/notes/revq)\n"
	"  --jobs N        threads for computing new items (default: one per CPU)\n"
	"  --quiet, -q     no progress on stderr\n"
	"  RANGE           A..B, B (meaning target..B) or ^A, instead of the\n"
	"                  candidate refs (revq.pending)\n";

/* volatile: a store the program never reads back must still happen. */
static struct queue *volatile exiting_queue;

static const char *risk_color(int risk)
{
	static const char *const colors[] = { NULL, "33", "1;31" };

	return colors[format_risk_band(risk)];
}

/* The STATUS column, "%-9s". */
static void status_column(struct strbuf *out, const struct item *it)
{
	const char *text = item_status_name(it->status);
	char buf[32];

	if (it->status == ITEM_NEEDS_MORE) {
		snprintf(buf, sizeof(buf), "needs %u/%u", it->approvals, it->approvals_needed);
		text = buf;
	}
	strbuf_addpadded(out, text, -9);
}

/* One formatted line per item; thousands of them, so no printf. */
static void text_line(struct strbuf *out, const struct item *it, int64_t now)
{
	char id[GIT_OID_HEXSZ + 1], age[16];
	const char *color = risk_color(it->risk);

	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	format_age(age, sizeof(age), now - it->commit_time);
	strbuf_addint(out, it->priority, 4);
	strbuf_addch(out, ' ');
	cli_color_begin(out, color);
	strbuf_addint(out, it->risk, 4);
	cli_color_end(out, color);
	strbuf_addch(out, ' ');
	strbuf_addstr(out, id);
	strbuf_addch(out, ' ');
	status_column(out, it);
	strbuf_addch(out, ' ');
	cli_escape_column(out, it->author_name, 16);
	strbuf_addch(out, ' ');
	strbuf_addpadded(out, age, 4);
	strbuf_addstr(out, "  ");
	cli_escape(out, it->subject);
	strbuf_addch(out, '\n');
}

static int print_text(const struct queue *q, size_t limit)
{
	struct strbuf out = STRBUF_INIT;
	int rc = 0;

	/* The header even when nothing is listed: scripts and readers see the columns. */
	strbuf_addf(&out, "PRIO RISK %-*s STATUS    %-16s  AGE  SUBJECT\n", SHORT_ID_LEN, "COMMIT",
		    "AUTHOR");
	for (size_t i = 0; i < q->nr && i < limit && !rc; i++) {
		text_line(&out, q->items[i], q->now);
		rc = cli_flush(&out);
	}
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	if (!q->nr && cli_term.stdout_tty)
		fprintf(stderr, "revq: nothing to review (%zu pending commit%s without AI markers; "
			"--all shows them)\n", q->pending_nr, q->pending_nr == 1 ? "" : "s");
	return rc;
}

static int print_json(const struct queue *q, size_t limit)
{
	struct strbuf out = STRBUF_INIT;
	struct json j;
	int rc;

	if ((rc = json_init(&j, &out, 1)))
		return rc;
	json_array_begin(&j, NULL);
	for (size_t i = 0; i < q->nr && i < limit && !rc; i++) {
		format_item_json(&j, NULL, q->items[i], q->now);
		rc = cli_flush(&out);
	}
	json_array_end(&j);
	strbuf_addch(&out, '\n');
	json_release(&j);
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	return rc;
}

/* Sets the review state of it from ev, as review_apply() does. */
static void set_review_state(struct item *it, const struct evaluation *ev)
{
	it->status = ev->status;
	it->approvals = ev->approvals;
	it->approvals_needed = ev->requirement.approvals;
	it->decided_at = ev->decided_at;
	free(it->status_detail);
	it->status_detail = ev->failures.nr && ev->status != ITEM_APPROVED
		? strvec_join(&ev->failures, "; ") : NULL;
}

/*
 * --for-me: moves the items that need me to the front, in their order,
 * and says on stderr how the rest wait; *shown is how many need me.
 */
static int for_me(struct session *s, struct queue *q, const struct queue_cli *qc, size_t *shown)
{
	struct item **order = xcalloc(q->nr + 1, sizeof(*order));
	size_t counts[NEEDS_NOTHING + 1] = { 0 }, front = 0, back = 0;
	struct strbuf line = STRBUF_INIT;
	char *name = NULL, *email = NULL;
	struct review *r = NULL;
	int rc;

	if ((rc = settings_identity(&name, &email, &s->repo->settings)) ||
	    (rc = review_open(&r, s, qc->opts.target, qc->notes_ref)))
		goto done;
	review_know(r, q->items, q->nr);
	for (size_t i = 0; i < q->nr && !rc; i++) {
		struct evaluation ev;
		enum need_of need;

		if ((rc = review_evaluate(&ev, r, q->items[i])))
			break;
		set_review_state(q->items[i], &ev);
		need = review_need_of(r, q->items[i], &ev, email);
		counts[need]++;
		if (need == NEEDS_ME)
			order[front++] = q->items[i];
		evaluation_release(&ev);
	}
	review_forget(r);
	back = front;
	for (size_t i = 0; i < q->nr && !rc; i++) {
		size_t k;

		for (k = 0; k < front && order[k] != q->items[i]; k++)
			;
		if (k == front)
			order[back++] = q->items[i];
	}
	if (!rc) {
		memcpy(q->items, order, q->nr * sizeof(*order));
		*shown = front;
		strbuf_addf(&line, "revq: %zu need%s you (", counts[NEEDS_ME], counts[NEEDS_ME] == 1 ? "s" : "");
		cli_escape(&line, email);
		strbuf_addf(&line, "), %zu need%s someone else, %zu wait%s on the author (rejected)",
			    counts[NEEDS_SOMEONE_ELSE], counts[NEEDS_SOMEONE_ELSE] == 1 ? "s" : "",
			    counts[NEEDS_AUTHOR], counts[NEEDS_AUTHOR] == 1 ? "s" : "");
		fprintf(stderr, "%s\n", line.buf);
	}
done:
	free(order);
	free(name);
	free(email);
	review_free(r);
	strbuf_release(&line);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	struct session *s;
	struct queue_cli qc;
	struct queue *q;
	size_t limit;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_ALL | QOPT_LIMIT |
					  QOPT_TARGET | QOPT_JOBS | QOPT_NOTES | QOPT_FOR_ME | QOPT_QUIET, list_usage)) >= 0)
		return rc;
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	if ((rc = queue_build(&q, s, &qc.opts))) {
		session_free(s);
		return cli_fail(rc);
	}
	if (q->shallow)
		error_warn("shallow history: commits beyond the clone's depth are not considered");
	limit = qc.limit > 0 ? (size_t)qc.limit : q->nr;
	if (qc.for_me) {
		size_t shown = 0;

		if ((rc = for_me(s, q, &qc, &shown))) {
			exiting_queue = q;
			session_free(s);
			return cli_fail(rc);
		}
		if (shown < limit)
			limit = shown;
	} else {
		cli_apply_decisions(s, q, &qc);
	}
	rc = qc.json ? print_json(q, limit) : print_text(q, limit);
	/*
	 * The process ends here: freeing ten thousand items would only cost
	 * time.  A global keeps them reachable, so leak checkers stay quiet
	 * (git's UNLEAK()).
	 */
	exiting_queue = q;
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
