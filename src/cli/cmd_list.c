/*
 * cmd_list.c: `revq list`: the queue in priority order, as columns for
 * people or as one JSON array for scripts.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide/versions.h"
#include "show/format.h"
#include "decide/review.h"
#include "show/needs.h"
#include "queue/repos.h"

static const char list_usage[] =
	"usage: revq list [--json] [--all] [--for-me] [--limit N] [--target REF]\n"
	"                 [--notes-ref REF] [--jobs N] [--quiet] [RANGE...]\n"
	"   or: revq list --repos [options] [PATH...]\n"
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
	"  --repos         one queue over the repositories at PATH... (default: the\n"
	"                  revq.repos settings), each row naming its repository\n"
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

/* One formatted line per item, its repository's label in width columns when there are several. */
static void text_line(struct strbuf *out, const struct item *it, int64_t now, const char *label, size_t width)
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
	if (label) {
		cli_escape_column(out, label, width);
		strbuf_addch(out, ' ');
	}
	if (it->has_earlier)
		strbuf_addstr(out, "[new version] ");
	cli_escape(out, it->subject);
	strbuf_addch(out, '\n');
}

/* What is listed: items in order, each with its repository's label when there are several. */
struct listing {
	struct item **items;        /* not owned */
	const char **labels;        /* owned array (of strings not owned), or NULL: one repository */
	size_t nr;
	int64_t now;
	size_t pending_nr;          /* pending commits before the AI filter */
};

#define LABEL_WIDTH_MAX 24

static size_t label_width(const struct listing *l, size_t limit)
{
	size_t width = strlen("REPO");

	for (size_t i = 0; l->labels && i < l->nr && i < limit; i++) {
		size_t w = escape_width(l->labels[i], strlen(l->labels[i]), cli_term.escape_flags);

		if (w > width)
			width = w;
	}
	return width < LABEL_WIDTH_MAX ? width : LABEL_WIDTH_MAX;
}

static int print_text(const struct listing *l, size_t limit)
{
	struct strbuf out = STRBUF_INIT;
	size_t width = label_width(l, limit);
	int rc = 0;

	/* The header even when nothing is listed: scripts and readers see the columns. */
	strbuf_addf(&out, "PRIO RISK %-*s STATUS    %-16s  AGE  ", SHORT_ID_LEN, "COMMIT", "AUTHOR");
	if (l->labels)
		strbuf_addf(&out, "%-*s ", (int)width, "REPO");
	strbuf_addstr(&out, "SUBJECT\n");
	for (size_t i = 0; i < l->nr && i < limit && !rc; i++) {
		text_line(&out, l->items[i], l->now, l->labels ? l->labels[i] : NULL, width);
		rc = cli_flush(&out);
	}
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	if (!l->nr && cli_term.stdout_tty)
		fprintf(stderr, "revq: nothing to review (%zu pending commit%s without AI markers; "
			"--all shows them)\n", l->pending_nr, l->pending_nr == 1 ? "" : "s");
	return rc;
}

static int print_json(const struct listing *l, size_t limit)
{
	struct strbuf out = STRBUF_INIT;
	struct json j;
	int rc;

	if ((rc = json_init(&j, &out, 1)))
		return rc;
	json_array_begin(&j, NULL);
	for (size_t i = 0; i < l->nr && i < limit && !rc; i++) {
		json_object_begin(&j, NULL);
		if (l->labels)
			json_string(&j, "repo", l->labels[i]);
		format_item_fields(&j, l->items[i], l->now);
		json_object_end(&j);
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

/* Judges q's items for me (review_apply_for()): of[i] is whose move q->items[i] is; *email is mine. */
static int judge_for_me(struct session *s, struct queue *q, const struct queue_cli *qc, enum need_of *of,
			char **email)
{
	struct review *r = NULL;
	char *name = NULL;
	int rc;

	*email = NULL;
	if (!(rc = settings_identity(&name, email, &s->repo->settings)) &&
	    !(rc = review_open(&r, s, qc->opts.target, qc->notes_ref)))
		rc = review_apply_for(r, q, *email, of);
	if (!rc && versions_mark(r, q->items, q->nr, *email, of))
		error_warn("new versions are not marked: %s", error_last());
	free(name);
	review_free(r);
	return rc;
}

/*
 * --for-me: moves the rows that need me to the front, in their order
 * (labels with them), and says on stderr how the rest wait; returns how
 * many need me.
 */
static size_t for_me_order(struct listing *l, const enum need_of *of, const char *email)
{
	size_t *order = xcalloc(l->nr + 1, sizeof(*order));
	struct item **items = xcalloc(l->nr + 1, sizeof(*items));
	const char **labels = xcalloc(l->nr + 1, sizeof(*labels));
	struct need_counts counts;
	struct strbuf line = STRBUF_INIT;
	size_t shown = needs_order(order, of, l->nr);

	for (size_t i = 0; i < l->nr; i++) {
		items[i] = l->items[order[i]];
		labels[i] = l->labels ? l->labels[order[i]] : NULL;
	}
	if (l->nr) {
		memcpy(l->items, items, l->nr * sizeof(*items));
		if (l->labels)
			memcpy(l->labels, labels, l->nr * sizeof(*labels));
	}
	need_counts_of(&counts, of, l->nr);
	strbuf_addf(&line, "revq: %zu need%s you (", counts.of[NEEDS_ME], counts.of[NEEDS_ME] == 1 ? "s" : "");
	cli_escape(&line, email);
	strbuf_addstr(&line, "), ");
	need_counts_describe_rest(&line, &counts);
	fprintf(stderr, "%s (rejected)\n", line.buf);
	strbuf_release(&line);
	free(order);
	free(items);
	free(labels);
	return shown;
}

static int print_listing(struct listing *l, const struct queue_cli *qc, size_t shown)
{
	size_t limit = qc->limit > 0 ? (size_t)qc->limit : l->nr;

	if (shown < limit)
		limit = shown;
	return qc->json ? print_json(l, limit) : print_text(l, limit);
}

/* The one repository's queue (no revq.repos, no --repos). */
static int list_one(struct session *s, const struct queue_cli *qc)
{
	struct listing l = { NULL, NULL, 0, 0, 0 };
	enum need_of *of = NULL;
	char *email = NULL;
	struct queue *q;
	size_t shown;
	int rc;

	if ((rc = queue_build(&q, s, &qc->opts)))
		return rc;
	if (q->shallow)
		error_warn("shallow history: commits beyond the clone's depth are not considered");
	l.items = q->items;
	l.nr = shown = q->nr;
	l.now = q->now;
	l.pending_nr = q->pending_nr;
	if (qc->for_me) {
		of = xcalloc(q->nr + 1, sizeof(*of));
		if (!(rc = judge_for_me(s, q, qc, of, &email)))
			shown = for_me_order(&l, of, email);
	} else {
		cli_apply_decisions(s, q, qc);
	}
	if (!rc)
		rc = print_listing(&l, qc, shown);
	free(of);
	free(email);
	/*
	 * The process ends here: freeing ten thousand items would only cost
	 * time.  A global keeps them reachable, so leak checkers stay quiet
	 * (git's UNLEAK()).
	 */
	exiting_queue = q;
	return rc;
}

/* One queue over the repositories at paths, each row labelled with its repository. */
static int list_repos(const struct strvec *paths, const struct queue_cli *qc)
{
	struct listing l = { NULL, NULL, 0, 0, 0 };
	struct queue_options opts = qc->opts;
	struct repo_set set;
	enum need_of *of = NULL, **each;
	char *email = NULL;
	size_t shown;
	int rc;

	if (!paths->nr)
		return error_set(REVQ_EUSAGE, "--repos: no repositories (name them, or set revq.repos)");
	if (qc->repos) {
		opts.ranges = NULL;   /* they were the paths */
		opts.ranges_nr = 0;
	}
	if ((rc = repo_set_open(&set, paths, &opts))) {
		repo_set_release(&set);
		return rc;
	}
	each = xcalloc(set.nr + 1, sizeof(*each));
	for (size_t i = 0; i < set.nr && !rc; i++) {
		struct repo_entry *e = &set.repos[i];

		if (e->queue->shallow)
			error_warn("%s: shallow history: commits beyond the clone's depth are not considered",
				   e->label);
		l.pending_nr += e->queue->pending_nr;
		if (!qc->for_me) {
			cli_apply_decisions(e->session, e->queue, qc);
			continue;
		}
		each[i] = xcalloc(e->queue->nr + 1, sizeof(**each));
		free(email);
		if ((rc = judge_for_me(e->session, e->queue, qc, each[i], &email))) {
			char *why = xstrdup(error_last());   /* error_set() rewrites what error_last() shows */

			error_set(rc, "%s: %s", e->label, why);
			free(why);
		}
	}
	l.nr = shown = set.rows_nr;
	l.now = set.now;
	l.items = xcalloc(l.nr + 1, sizeof(*l.items));
	l.labels = xcalloc(l.nr + 1, sizeof(*l.labels));
	of = xcalloc(l.nr + 1, sizeof(*of));
	for (size_t i = 0; i < l.nr; i++) {
		l.items[i] = set.rows[i].item;
		l.labels[i] = set.repos[set.rows[i].repo].label;
		if (qc->for_me && each[set.rows[i].repo])
			of[i] = each[set.rows[i].repo][set.rows[i].index];
	}
	if (!rc && qc->for_me)
		shown = for_me_order(&l, of, email);
	if (!rc)
		rc = print_listing(&l, qc, shown);
	for (size_t i = 0; i < set.nr; i++)
		free(each[i]);
	free(each);
	free(of);
	free(email);
	free(l.items);
	free(l.labels);
	repo_set_release(&set);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	struct strvec paths = STRVEC_INIT;
	struct session *s = NULL;
	struct queue_cli qc;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_ALL | QOPT_LIMIT |
					  QOPT_TARGET | QOPT_JOBS | QOPT_NOTES | QOPT_FOR_ME | QOPT_QUIET | QOPT_REPOS,
					  list_usage)) >= 0)
		return rc;
	if ((rc = cli_open_queue(&s, &paths, &qc))) {
		strvec_clear(&paths);
		return cli_fail(rc);
	}
	rc = paths.nr || qc.repos ? list_repos(&paths, &qc) : list_one(s, &qc);
	strvec_clear(&paths);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
