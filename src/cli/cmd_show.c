/*
 * cmd_show.c: `revq show COMMIT`: one item with every reason, its AI
 * markers, per-file stats (with renames) and its message.  For a merge,
 * its parents and its remerge diff (judge/analyze.h), the diff its
 * score comes from, labelled as such.  When the commit tips a series
 * (its merge base with the target ..it), that series' comments too.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "judge/analyze.h"
#include "judge/detect.h"
#include "show/format.h"
#include "decide/comments.h"
#include "decide/review.h"
#include "decide/versions.h"
#include "show/anchor.h"
#include "show/earlier.h"
#include "show/json.h"
#include "show/layout.h"

static const char show_usage[] =
	"usage: revq show [--json] [--target REF] [--notes-ref REF] COMMIT\n"
	"\n"
	"  --json          print one JSON object\n"
	"  --target REF    the branch pending work lands on (its policy applies)\n"
	"  --notes-ref REF where decisions live (default: revq.notesRef)\n";

struct show {
	struct session *session;
	struct item *item;
	git_commit *commit;
	struct analysis files;    /* with rename detection, for the file list */
	char *message;            /* UTF-8 */
	struct strbuf remerge;    /* owned: a merge's remerge diff as a patch, raw (empty otherwise) */
	struct strvec parents;    /* owned: "<id> <subject>" of each parent */
	struct evaluation ev;
	int evaluated;
	struct comment_set comments;  /* owned: its comments, replies and resolutions */
	struct comment_map placed;    /* owned: where they sit in its diff */
	struct earlier earlier;       /* owned: the version decided before this one, when found */
	struct strbuf interdiff;      /* owned: what changed since it, as a patch, raw */
	struct comment_set earlier_comments;  /* owned: the comments on it */
	struct comment_map earlier_placed;    /* owned: where they sit in its diff */
	git_oid series_base;          /* the series this commit tips: merge base with the target ..it */
	struct comment_set series_comments;   /* owned: that series' comments (decide/comments.h) */
	struct comment_map series_placed;     /* owned: where they sit in its combined diff */
	int pending;
	int64_t now;
};

static void label(struct strbuf *out, const char *name)
{
	strbuf_addf(out, "%-10s ", name);
}

static void list_lines(struct strbuf *out, const char *name, const struct strvec *lines,
		       const char *empty)
{
	label(out, name);
	if (!lines->nr)
		strbuf_addf(out, "%s\n", empty);
	for (size_t i = 0; i < lines->nr; i++) {
		if (i)
			strbuf_addchars(out, ' ', 11);
		cli_escape(out, lines->v[i]);
		strbuf_addch(out, '\n');
	}
}

static void file_lines(struct strbuf *out, const struct analysis *a)
{
	for (size_t i = 0; i < a->files_nr; i++) {
		const struct file_stat *f = &a->files[i];
		char stat[32];

		format_file_stat(stat, sizeof(stat), f->binary, f->submodule, f->added, f->deleted);
		strbuf_addf(out, "    %c %-12s ", f->status, stat);
		if (f->old_path) {
			cli_escape(out, f->old_path);
			strbuf_addstr(out, " -> ");
		}
		cli_escape(out, f->path);
		if (f->old_mode && f->new_mode && f->old_mode != f->new_mode)
			strbuf_addf(out, " (mode %06o -> %06o)", f->old_mode, f->new_mode);
		if (f->old_path)
			strbuf_addf(out, " (%u%% similar)", f->similarity);
		strbuf_addch(out, '\n');
	}
}

static void message_lines(struct strbuf *out, const char *message)
{
	struct lines it = LINES_INIT(message, strlen(message));
	const char *p;
	size_t n;

	while (lines_next(&it, &p, &n)) {
		strbuf_addstr(out, "    ");
		escape_append(out, p, n, cli_term.escape_flags, 4, SIZE_MAX);
		strbuf_addch(out, '\n');
	}
}


/* ---- a merge: its parents and its remerge diff ---- */

static void load_parents(struct show *sh)
{
	for (unsigned i = 0; i < git_commit_parentcount(sh->commit); i++) {
		git_commit *p;
		const char *summary = NULL;

		if (!git_commit_parent(&p, sh->commit, i))
			summary = git_commit_summary(p);
		else
			p = NULL;
		git_error_clear();
		strvec_pushf(&sh->parents, "%s %s", git_oid_tostr_s(git_commit_parent_id(sh->commit, i)),
			     summary ? summary : "(missing)");
		git_commit_free(p);
	}
}

/* A merge's remerge diff as a unified patch with three lines of context, unescaped. */
static int load_remerge(struct show *sh)
{
	struct review_diff rd;
	int rc;

	if (git_commit_parentcount(sh->commit) < 2 || !sh->files.remerged)
		return 0;   /* not a merge, or one scored by its first-parent diff (warned already) */
	if ((rc = analyze_review_diff(&rd, sh->session->repo->git, sh->commit, ANALYZE_RENAMES)))
		return rc;
	rc = earlier_patch(&sh->remerge, rd.diff, rd.contents);
	review_diff_release(&rd);
	return rc;
}

/* What the diff behind the score is, in one phrase. */
static const char *diff_base(const struct analysis *a)
{
	if (a->parents < 2)
		return "first-parent";
	if (!a->remerged)
		return "first-parent (the parents could not be merged again)";
	return a->octopus ? "remerge (octopus: parents merged one by one)" : "remerge";
}

static void merge_text(struct strbuf *out, const struct show *sh)
{
	const struct analysis *a = &sh->files;

	if (a->parents < 2)
		return;
	list_lines(out, "Merge:", &sh->parents, "");
	label(out, "Scored by:");
	strbuf_addf(out, "%s diff", diff_base(a));
	if (a->remerged)
		strbuf_addf(out, ", what the merge changed against its parents merged again "
			    "(git show --remerge-diff); %u path%s in conflict", a->conflicts,
			    a->conflicts == 1 ? " was" : "s were");
	strbuf_addch(out, '\n');
}

/* The earlier version, its decisions and comments (the interdiff comes last). */
static void earlier_text(struct strbuf *out, const struct show *sh)
{
	const struct earlier *e = &sh->earlier;

	if (!e->found)
		return;
	label(out, "Version:");
	earlier_sentence(out, e, sh->now, cli_term.escape_flags);
	strbuf_addch(out, '\n');
	if (e->change_id) {
		label(out, "Change-Id:");
		cli_escape(out, e->change_id);
		strbuf_addch(out, '\n');
	}
	cli_decisions_text(out, "Before:", &e->ev);
	if (sh->earlier_comments.nr) {
		label(out, "Comments before:");
		strbuf_addf(out, "%zu, %zu unresolved\n", sh->earlier_comments.nr,
			    comments_unresolved(&sh->earlier_comments));
		cli_comments_text(out, &sh->earlier_comments, &sh->earlier_placed, "    ");
	}
}

static void interdiff_text(struct strbuf *out, const struct show *sh)
{
	if (!sh->earlier.found)
		return;
	strbuf_addch(out, '\n');
	strbuf_addf(out, "Interdiff (%s):\n", earlier_diff_basis(&sh->earlier));
	if (!sh->interdiff.len && sh->earlier.diff.diff)
		strbuf_addstr(out, "    none: this version changes what the earlier one changed, byte for byte\n");
	message_lines(out, sh->interdiff.buf);
}

static void print_text(struct strbuf *out, const struct show *sh)
{
	const struct item *it = sh->item;
	char hex[GIT_OID_HEXSZ + 1], date[40], age[16];

	cli_color_begin(out, "33");
	strbuf_addf(out, "commit %s", git_oid_tostr(hex, sizeof(hex), &it->id));
	cli_color_end(out, "33");
	strbuf_addch(out, '\n');
	label(out, "Author:");
	cli_escape(out, it->author_name);
	strbuf_addstr(out, " <");
	cli_escape(out, it->author_email);
	strbuf_addstr(out, ">\n");
	format_iso_date(date, sizeof(date), it->author_time, it->author_offset);
	format_age(age, sizeof(age), sh->now - it->author_time);   /* the age of the date shown */
	label(out, "Date:");
	strbuf_addf(out, "%s (%s ago)\n", date, age);
	merge_text(out, sh);
	label(out, "Refs:");
	if (!sh->pending)
		strbuf_addstr(out, "(not pending: reachable from the target, or from no candidate ref)");
	for (size_t i = 0; i < it->refs.nr; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		cli_escape(out, it->refs.v[i]);
	}
	strbuf_addch(out, '\n');
	label(out, "Status:");
	/* A commit outside the pending set is not "pending", whatever its records say so far. */
	if (it->status == ITEM_UNKNOWN && it->status_detail)
		cli_escape(out, it->status_detail);   /* "unknown: policy error: ..." */
	else
		strbuf_addstr(out, !sh->pending && it->status == ITEM_PENDING ? "not pending"
									    : item_status_name(it->status));
	strbuf_addch(out, '\n');
	if (sh->evaluated)
		cli_evaluation_text(out, &sh->ev);
	earlier_text(out, sh);
	list_lines(out, "AI:", &it->markers, "no AI markers");
	label(out, "Risk:");
	strbuf_addf(out, "%d/100, priority %d\n", it->risk, it->priority);
	if (it->reasons.nr) {
		strbuf_addchars(out, ' ', 11);
		for (size_t i = 0; i < it->reasons.nr; i++) {
			if (i)
				strbuf_addchars(out, ' ', 11);
			cli_escape(out, it->reasons.v[i]);
			strbuf_addch(out, '\n');
		}
	}
	label(out, "Files:");
	strbuf_addf(out, "%u changed, +%u -%u\n", it->files, it->added, it->deleted);
	file_lines(out, &sh->files);
	if (sh->comments.nr) {
		label(out, "Comments:");
		strbuf_addf(out, "%zu, %zu unresolved, %zu outdated\n", sh->comments.nr,
			    comments_unresolved(&sh->comments), sh->placed.outdated);
		cli_comments_text(out, &sh->comments, &sh->placed, "    ");
	}
	if (sh->series_comments.nr) {
		char base[16];

		oid_short_id(base, sizeof(base), &sh->series_base, SHORT_ID_LEN);
		label(out, "Series:");
		strbuf_addf(out, "%zu comment%s on the series %s..this, %zu unresolved, %zu outdated\n",
			    sh->series_comments.nr, sh->series_comments.nr == 1 ? "" : "s", base,
			    comments_unresolved(&sh->series_comments), sh->series_placed.outdated);
		cli_comments_text(out, &sh->series_comments, &sh->series_placed, "    ");
	}
	strbuf_addch(out, '\n');
	message_lines(out, sh->message);
	if (sh->files.parents >= 2 && sh->files.remerged) {
		strbuf_addch(out, '\n');
		strbuf_addstr(out, sh->remerge.len ? "Remerge diff (the merge against its parents merged again):\n"
						  : "Remerge diff: none (the merge is its parents merged cleanly)\n");
		message_lines(out, sh->remerge.buf);
	}
	interdiff_text(out, sh);
}

/* "earlier_version": the version decided before this one, or null. */
static void earlier_json(struct json *j, const struct show *sh)
{
	const struct earlier *e = &sh->earlier;
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf sentence = STRBUF_INIT;

	if (!e->found) {
		json_null(j, "earlier_version");
		return;
	}
	json_object_begin(j, "earlier_version");
	json_string(j, "commit", git_oid_tostr(hex, sizeof(hex), &e->commit));
	json_string(j, "subject", e->subject);
	json_string(j, "matched_by", version_match_name(e->by));
	json_string(j, "change_id", e->change_id);
	earlier_sentence(&sentence, e, sh->now, 0);
	json_string(j, "summary", sentence.buf);
	cli_decisions_json(j, "decisions", &e->ev);
	cli_comments_json(j, "comments", &sh->earlier_comments, &sh->earlier_placed, &sh->item->id);
	json_bool(j, "interdiff_fallback", e->diff.fallback);
	if (e->diff.diff)
		json_string_len(j, "interdiff", sh->interdiff.buf, sh->interdiff.len);
	else
		json_null(j, "interdiff");
	json_object_end(j);
	strbuf_release(&sentence);
}

/* "ai_tools": the registry entry of each marker, in the order of "markers". */
static void marker_tools_json(struct json *j, const struct strvec *markers)
{
	json_array_begin(j, "ai_tools");
	for (size_t i = 0; i < markers->nr; i++) {
		const char *tool;
		size_t n = detect_marker_tool(markers->v[i], &tool);

		if (n)
			json_string_len(j, NULL, tool, n);
		else
			json_null(j, NULL);
	}
	json_array_end(j);
}

static int print_json(struct strbuf *out, const struct show *sh)
{
	struct json j;
	int rc;

	if ((rc = json_init(&j, out, 1)))
		return rc;
	json_object_begin(&j, NULL);
	format_item_fields(&j, sh->item, sh->now);
	marker_tools_json(&j, &sh->item->markers);
	json_bool(&j, "pending", sh->pending);
	if (sh->evaluated)
		cli_evaluation_json(&j, &sh->ev);
	json_string(&j, "message", sh->message);
	json_strvec(&j, "parents", &sh->parents);
	json_string(&j, "diff_base", diff_base(&sh->files));
	if (sh->files.parents >= 2) {
		json_int(&j, "conflicts", sh->files.conflicts);
		json_string_len(&j, "remerge_diff", sh->remerge.buf, sh->remerge.len);
	}
	format_files_json(&j, "file_stats", &sh->files);
	cli_comments_json(&j, "comments", &sh->comments, &sh->placed, &sh->item->id);
	cli_comments_json(&j, "series_comments", &sh->series_comments, &sh->series_placed, &sh->item->id);
	earlier_json(&j, sh);
	json_object_end(&j);
	strbuf_addch(out, '\n');
	json_release(&j);
	return 0;
}

static int locate(struct show *sh, const struct queue_options *opts)
{
	struct pending pending;
	struct target target;
	int rc;

	if ((rc = queue_find_pending(&pending, &target, sh->session, opts)))
		return rc;
	for (size_t i = 0; i < pending.nr; i++) {
		if (!git_oid_equal(&pending.commits[i].id, &sh->item->id))
			continue;
		sh->pending = 1;
		strvec_move(&sh->item->refs, &pending.commits[i].refs);
	}
	pending_release(&pending);
	target_release(&target);
	sh->item->priority = sh->pending ? item_priority(sh->item, sh->now) : sh->item->risk;
	return 0;
}

/* The version decided before this one, its comments and the interdiff; a failure is a warning. */
static void find_earlier(struct show *sh, struct review *r)
{
	struct comment_index *index = NULL;
	struct earlier *e = &sh->earlier;

	if (versions_earlier(e, r, sh->item, &sh->item->refs)) {
		error_warn("the earlier version is not shown: %s", error_last());
		return;
	}
	if (!e->found)
		return;
	if (e->diff_failed)
		error_warn("no interdiff: %s", error_last());
	else if (earlier_patch(&sh->interdiff, e->diff.diff, e->diff.scratch))
		error_warn("no interdiff: %s", error_last());
	if (comments_load(&sh->earlier_comments, &index, r, &e->commit) ||
	    cli_comments_place(&sh->earlier_placed, sh->session, &sh->earlier_comments, &e->commit))
		error_warn("earlier comments not shown: %s", error_last());
	comment_index_free(index);
}

/*
 * The comments of the series this commit tips (from its merge base with
 * the target), placed on the combined diff; none when it tips no series.
 */
static void find_series_comments(struct show *sh, struct review *r)
{
	struct comment_index *index = NULL;
	struct layout *layout = NULL;
	const struct series *series;
	git_repository *repo = sh->session->repo->git;
	const git_oid *tip = &sh->item->id;

	if (git_merge_base(&sh->series_base, repo, tip, &r->target.id) || git_oid_equal(&sh->series_base, tip) ||
	    review_series(&series, r, &sh->series_base, tip)) {
		git_error_clear();
		error_clear();   /* no series: no merge base with the target, or the commit is on it */
		return;
	}
	if (comments_load_series(&sh->series_comments, &index, r, series) ||
	    (sh->series_comments.nr && layout_load_range(&layout, repo, &sh->series_base, tip, 0))) {
		error_warn("series comments not shown: %s", error_last());
		comment_set_release(&sh->series_comments);   /* none shown: none without their places */
	} else if (sh->series_comments.nr)
		comment_map_build(&sh->series_placed, layout, &sh->series_comments);
	layout_free(layout);
	comment_index_free(index);
}

/* Decisions count under the target's policy; without one, show the rest anyway. */
static void evaluate(struct show *sh, const struct queue_options *opts, const char *notes_ref)
{
	struct review *r;

	if (!review_open(&r, sh->session, opts->target, notes_ref) && !review_evaluate(&sh->ev, r, sh->item)) {
		sh->evaluated = 1;
		sh->item->status = sh->ev.status;
	} else {
		char *why = xstrdup(error_last());

		review_mark_unknown(&sh->item, 1, why);
		error_warn("the status is unknown: %s", why);
		free(why);
	}
	if (r) {   /* no review (a broken policy): no comments either */
		struct comment_index *index = NULL;

		if (comments_load(&sh->comments, &index, r, &sh->item->id) ||
		    cli_comments_place(&sh->placed, sh->session, &sh->comments, &sh->item->id))
			error_warn("comments not shown: %s", error_last());
		comment_index_free(index);
		find_series_comments(sh, r);
		find_earlier(sh, r);
	}
	review_free(r);
}

static int run(struct show *sh, const char *spec, const struct queue_options *opts,
	       const char *notes_ref, int json)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	if ((rc = repo_lookup_commit(&sh->commit, sh->session->repo, spec)) ||
	    (rc = queue_load_item(&sh->item, sh->session, git_commit_id(sh->commit))) ||
	    !(sh->message = item_message_utf8(sh->commit)) ||
	    (rc = locate(sh, opts)) ||
	    (rc = analyze_commit(&sh->files, sh->session->repo->git, sh->commit,
				 &sh->session->rules.risk, ANALYZE_RENAMES)) ||
	    (rc = load_remerge(sh)))
		return rc;
	load_parents(sh);
	evaluate(sh, opts, notes_ref);
	if (json)
		rc = print_json(&out, sh);
	else
		print_text(&out, sh);
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "target", required_argument, NULL, 't' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct queue_options opts;
	struct show sh;
	const char *notes_ref = NULL;
	int c, json = 0, rc;

	memset(&opts, 0, sizeof(opts));
	while ((c = cli_getopt(argc, argv, "+h", options)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 't': opts.target = optarg; break;
		case 'N': notes_ref = optarg; break;
		case 'h': return cli_print_usage(stdout, show_usage);
		default: return cli_print_usage(stderr, show_usage);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("show needs exactly one commit; see 'revq show --help'");
	memset(&sh, 0, sizeof(sh));
	strbuf_init(&sh.remerge, 0);
	strbuf_init(&sh.interdiff, 0);
	sh.now = clock_now();
	if ((rc = cli_open_session(&sh.session)))
		return cli_fail(rc);
	rc = run(&sh, argv[optind], &opts, notes_ref, json);
	if (sh.evaluated)
		evaluation_release(&sh.ev);
	comment_set_release(&sh.comments);
	comment_map_release(&sh.placed);
	comment_set_release(&sh.earlier_comments);
	comment_map_release(&sh.earlier_placed);
	comment_set_release(&sh.series_comments);
	comment_map_release(&sh.series_placed);
	earlier_release(&sh.earlier);
	strbuf_release(&sh.interdiff);
	analysis_release(&sh.files);
	item_free(sh.item);
	free(sh.message);
	strbuf_release(&sh.remerge);
	strvec_clear(&sh.parents);
	git_commit_free(sh.commit);
	session_free(sh.session);
	return rc ? cli_fail(rc) : EXIT_OK;
}
