/*
 * cli.c: helpers shared by the batch commands.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "base/progress.h"
#include "show/format.h"
#include "decide/review.h"
#include "decide/versions.h"

struct cli_term cli_term;

void cli_wrap(struct strbuf *out, const char *escaped)
{
	format_wrap(out, escaped, cli_term.wrap, CLI_WRAP_INDENT);
}

void cli_eprint(const char *escaped)
{
	struct strbuf sb = STRBUF_INIT;

	cli_wrap(&sb, escaped);
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

int cli_fail(int rc)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "revq: ");
	cli_escape(&sb, error_last());
	cli_eprint(sb.buf);
	strbuf_release(&sb);
	return error_exit_code(rc);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char *name = argv[0];
	int c;

	argv[0] = (char *)"revq";
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	argv[0] = name;
	return c;
}

void cli_warn(const char *message, void *data)
{
	(void)data;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "revq: warning: ");
	cli_escape(&sb, message);
	cli_eprint(sb.buf);
	strbuf_release(&sb);
}

int cli_usage_error(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, safe = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cli_escape(&safe, sb.buf);
	fprintf(stderr, "revq: %s\n", safe.buf);
	strbuf_release(&sb);
	strbuf_release(&safe);
	return EXIT_USAGE;
}

int cli_open_session(struct session **out)
{
	int rc = session_open(out);

	if (!rc)
		cli_setup_color(&(*out)->repo->settings);
	return rc;
}

/* What is on the progress line now. */
struct progress_line {
	const char *title;       /* not owned: the operation's literal */
	int64_t start_ms;        /* when its first update came */
	int percent;             /* last shown; -1 before the first */
	int shown;
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t progress_delay_ms(void)
{
	const char *v = getenv("REVQ_PROGRESS_DELAY");
	char *end;
	long s;

	if (!v || !*v)
		return 1000;
	s = strtol(v, &end, 10);
	return *end || s < 0 ? 1000 : (int64_t)s * 1000;
}

static void progress_print(const char *title, uint64_t done, uint64_t total, int finished, void *data)
{
	struct progress_line *line = data;
	int percent = total ? (int)(done * 100 / total) : 100;

	if (line->title != title) {
		line->title = title;
		line->start_ms = monotonic_ms();
		line->percent = -1;
		line->shown = 0;
	}
	if (!line->shown && monotonic_ms() - line->start_ms < progress_delay_ms())
		;   /* fast operations print nothing */
	else if (percent != line->percent || finished) {
		fprintf(stderr, "\r%s: %3d%% (%llu/%llu)%s", title, percent, (unsigned long long)done,
			(unsigned long long)total, finished ? ", done.\n" : "");
		fflush(stderr);
		line->percent = percent;
		line->shown = 1;
	}
	if (finished)
		line->title = NULL;
}

void cli_progress_setup(void)
{
	static struct progress_line line;

	cli_term.progress = isatty(STDERR_FILENO);
	progress_set_handler(cli_term.progress ? progress_print : NULL, &line);
}

void cli_quiet(void)
{
	cli_term.progress = 0;
	progress_set_handler(NULL, NULL);
}

void cli_setup_color(const struct settings *settings)
{
	cli_term.color = format_wants_color(settings ? settings->color : -1, cli_term.stdout_tty);
}

long cli_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	return v;
}

int cli_write(const struct strbuf *out)
{
	size_t done = 0;

	while (done < out->len) {
		ssize_t n = write(STDOUT_FILENO, out->buf + done, out->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EPIPE ? 0 : error_set(REVQ_ERROR, "cannot write output: %s",
							      strerror(errno));
		done += (size_t)n;
	}
	return 0;
}

int cli_flush(struct strbuf *out)
{
	int rc;

	if (out->len < CLI_FLUSH_SIZE)
		return 0;
	rc = cli_write(out);
	strbuf_reset(out);
	return rc;
}

int cli_print_usage(FILE *to, const char *usage)
{
	fputs(usage, to);
	return to == stdout ? EXIT_OK : EXIT_USAGE;
}

void cli_escape(struct strbuf *out, const char *s)
{
	escape_addstr(out, s ? s : "", cli_term.escape_flags);
}

void cli_escape_column(struct strbuf *out, const char *s, size_t width)
{
	escape_column(out, s, width, cli_term.escape_flags);
}

void cli_color_begin(struct strbuf *out, const char *code)
{
	if (cli_term.color && code)
		strbuf_addf(out, "\033[%sm", code);
}

void cli_color_end(struct strbuf *out, const char *code)
{
	if (cli_term.color && code)
		strbuf_addstr(out, "\033[m");
}

int cli_parse_queue_options(struct queue_cli *qc, int argc, char **argv, unsigned allowed,
			    const char *usage)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' },
		{ "target", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "for-me", no_argument, NULL, 'm' },
		{ "repos", no_argument, NULL, 'R' },
		{ "since", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct { int c; unsigned flag; } needs[] = {
		{ 'j', QOPT_JSON }, { 'a', QOPT_ALL }, { 'n', QOPT_LIMIT }, { 't', QOPT_TARGET },
		{ 'J', QOPT_JOBS }, { 'N', QOPT_NOTES }, { 'm', QOPT_FOR_ME }, { 'q', QOPT_QUIET },
		{ 'R', QOPT_REPOS }, { 'S', QOPT_SINCE }, { 'F', QOPT_FORMAT },
	};
	int c;

	memset(qc, 0, sizeof(*qc));
	qc->limit = -1;
	/* Where paths may follow --repos, options may follow them too (getopt permutes, as git's do). */
	while ((c = cli_getopt(argc, argv, allowed & QOPT_REPOS ? "n:qh" : "+n:qh", options)) != -1) {
		for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
			if (needs[i].c == c && !(allowed & needs[i].flag))
				return cli_print_usage(stderr, usage);
		switch (c) {
		case 'j': qc->json = 1; break;
		case 'a': qc->opts.all = 1; break;
		case 't': qc->opts.target = optarg; break;
		case 'N': qc->notes_ref = optarg; break;
		case 'm': qc->for_me = 1; break;
		case 'q': cli_quiet(); break;
		case 'R': qc->repos = 1; break;
		case 'S': qc->since = optarg; break;
		case 'F': qc->format = optarg; break;
		case 'n':
			if ((qc->limit = cli_parse_count(optarg)) < 0)
				return cli_usage_error("--limit needs a positive number, not '%s'", optarg);
			break;
		case 'J': {
			long jobs = cli_parse_count(optarg);

			if (jobs < 0 || jobs > 64)
				return cli_usage_error("--jobs needs a number from 1 to 64, not '%s'", optarg);
			qc->opts.jobs = (unsigned)jobs;
			break;
		}
		case 'h': return cli_print_usage(stdout, usage);
		default: return cli_print_usage(stderr, usage);
		}
	}
	qc->opts.ranges = (const char *const *)argv + optind;
	qc->opts.ranges_nr = (size_t)(argc - optind);
	return -1;
}

void cli_queue_repos(struct strvec *out, const struct queue_cli *qc, const struct session *here)
{
	if (qc->repos && qc->opts.ranges_nr) {
		for (size_t i = 0; i < qc->opts.ranges_nr; i++)
			strvec_push(out, qc->opts.ranges[i]);
		return;
	}
	if (!qc->repos && qc->opts.ranges_nr)
		return;   /* ranges: commits of this repository */
	if (here && !qc->repos && here->repo->settings.repos.nr)
		strvec_push(out, here->repo->commondir);   /* first; repo_set_open() keeps one of each */
	if (here)
		for (size_t i = 0; i < here->repo->settings.repos.nr; i++)
			strvec_push(out, here->repo->settings.repos.v[i]);
	else
		settings_default_repos(out);
}

int cli_open_queue(struct session **out, struct strvec *paths, const struct queue_cli *qc)
{
	int rc = 0;

	*out = NULL;
	/* With --repos PATH... no repository here is needed; without, one may be (revq.repos). */
	if (!(qc->repos && qc->opts.ranges_nr) && (rc = session_open(out)) &&
	    (rc != REVQ_ENOTFOUND || qc->opts.ranges_nr))
		return rc;
	cli_setup_color(*out ? &(*out)->repo->settings : NULL);
	cli_queue_repos(paths, qc, *out);
	return *out || paths->nr || qc->repos ? 0 : rc;
}

void cli_apply_decisions(struct session *s, struct queue *q, const struct queue_cli *qc)
{
	struct review *r;

	if (!q->nr)
		return;
	if (review_open(&r, s, qc->opts.target, qc->notes_ref) || review_apply(r, q)) {
		/* Never "pending" or "approved" when nothing could be judged: unknown, and why. */
		char *why = xstrdup(error_last());

		review_mark_unknown(q->items, q->nr, why);
		error_warn("every status is unknown: %s", why);
		free(why);
	} else if (versions_mark(r, q->items, q->nr, NULL, NULL)) {
		error_warn("new versions are not marked: %s", error_last());
	}
	review_free(r);
}

void cli_evaluation_json(struct json *j, const struct evaluation *ev)
{
	json_int(j, "approvals", ev->approvals);
	json_int(j, "approvals_needed", ev->requirement.approvals);
	json_string(j, "level_needed", level_name(ev->requirement.level));
	{
		struct strbuf needs = STRBUF_INIT;

		requirement_describe(&needs, &ev->requirement);
		json_string(j, "needs", needs.buf);
		strbuf_release(&needs);
	}
	json_string(j, "missing", ev->missing);
	json_string(j, "author_level", level_name(ev->author_level));
	json_strvec(j, "requirement", &ev->requirement.why);
	json_strvec(j, "failures", &ev->failures);
	cli_decisions_json(j, "decisions", ev);
}

void cli_decisions_json(struct json *j, const char *key, const struct evaluation *ev)
{
	char hex[GIT_OID_HEXSZ + 1], when[32];

	json_array_begin(j, key);
	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		json_object_begin(j, NULL);
		json_string(j, "verdict", verdict_name(jr->record.verdict));
		json_string(j, "reviewer", jr->record.reviewer_email);
		json_string(j, "reviewer_name", jr->record.reviewer_name);
		record_format_time(when, sizeof(when), jr->record.time);
		json_string(j, "time", when);
		json_int(j, "risk", jr->record.risk);
		json_string(j, "comment", jr->record.comment);
		json_string(j, "signature", sig_status_text(jr->sig));
		json_string(j, "signer", jr->signer);
		json_string(j, "key", jr->key);
		json_string(j, "verifier", jr->verifier);
		json_string(j, "problem", jr->problem ? problem_text(jr->problem) : NULL);
		json_string(j, "level", level_name(jr->level));
		if (jr->carried)
			json_string(j, "carried_from", git_oid_tostr(hex, sizeof(hex), &jr->record.commit));
		if (jr->record.series) {   /* a series record: the series it was made for */
			json_string(j, "series_base", git_oid_tostr(hex, sizeof(hex), &jr->record.base));
			json_string(j, "series_tip", git_oid_tostr(hex, sizeof(hex), &jr->record.commit));
		}
		json_object_end(j);
	}
	json_array_end(j);
}

void cli_evaluation_text(struct strbuf *out, const struct evaluation *ev)
{

	strbuf_addf(out, "%-10s ", "Needs:");
	requirement_describe(out, &ev->requirement);
	strbuf_addf(out, ", has %u (author %s", ev->approvals, level_name(ev->author_level));
	for (size_t i = 0; i < ev->requirement.why.nr; i++) {
		strbuf_addstr(out, "; ");
		cli_escape(out, ev->requirement.why.v[i]);
	}
	strbuf_addstr(out, ")\n");
	if (ev->missing) {
		strbuf_addf(out, "%-10s ", "Missing:");
		cli_escape(out, ev->missing);
		strbuf_addch(out, '\n');
	}
	cli_decisions_text(out, "Decisions:", ev);
}

void cli_decisions_text(struct strbuf *out, const char *label, const struct evaluation *ev)
{
	char when[32], id[16];

	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		record_format_time(when, sizeof(when), jr->record.time);
		strbuf_addf(out, "%-10s %s by ", i ? "" : label, verdict_name(jr->record.verdict));
		cli_escape(out, jr->record.reviewer_name);
		strbuf_addstr(out, " <");
		cli_escape(out, jr->record.reviewer_email);
		strbuf_addf(out, "> (%s) at %s: %s", level_name(jr->level), when, sig_status_text(jr->sig));
		if (jr->problem)
			strbuf_addf(out, ", %s", problem_text(jr->problem));
		if (jr->record.series) {
			char tip[16];

			oid_short_id(id, sizeof(id), &jr->record.base, SHORT_ID_LEN);
			oid_short_id(tip, sizeof(tip), &jr->record.commit, SHORT_ID_LEN);
			strbuf_addf(out, ", on the series %s..%s%s", id, tip,
				    jr->carried ? " (a byte-identical copy of its change)" : "");
		} else if (jr->carried) {
			oid_short_id(id, sizeof(id), &jr->record.commit, SHORT_ID_LEN);
			strbuf_addf(out, ", carried over from %s", id);
		}
		strbuf_addch(out, '\n');
		if (*jr->record.comment) {
			strbuf_addchars(out, ' ', 13);
			cli_escape(out, jr->record.comment);
			strbuf_addch(out, '\n');
		}
	}
	if (!ev->records_nr)
		strbuf_addf(out, "%-10s none\n", label);
	if (ev->malformed)
		strbuf_addf(out, "%-10s %zu malformed record line%s ignored\n", "", ev->malformed,
			    ev->malformed == 1 ? "" : "s");
}
