/*
 * cmd_comment.c: `revq comment` writes a line comment, a general
 * comment, a reply or a resolution through comment_write(), the code
 * path of the console's comment keys; `revq comments` prints the
 * comments of the pending commits (or of the ranges named) for the
 * author and for tools, as text or JSON.  Every byte of a comment is
 * escaped on the way out.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide/comments.h"
#include "show/anchor.h"
#include "show/json.h"
#include "show/layout.h"
#include "show/units.h"

static const char comment_usage[] =
	"usage: revq comment [--path P --line N [--side old|new]] -m TEXT [options] COMMIT\n"
	"   or: revq comment --reply ID -m TEXT [options] COMMIT\n"
	"   or: revq comment --resolve ID [-m TEXT] [options] COMMIT\n"
	"   or: revq comment --series BASE..TIP [--path P --line N ...|--reply ID|--resolve ID] -m TEXT\n"
	"\n"
	"  -m, --message TEXT  the comment: one line, at most 2000 bytes\n"
	"  --path P            the file of a line comment (its new path; the old one with --side old)\n"
	"  --line N            the line number on that side; the line must be in the commit's diff\n"
	"  --side old|new      the side of the diff the line is on (default new)\n"
	"  --reply ID          answer the comment ID (a prefix of its id, as revq comments shows it)\n"
	"  --resolve ID        mark the comment ID resolved\n"
	"  --series BASE..TIP  about the series base..tip as one change (its combined diff), not a commit\n"
	"  --no-sign           an unsigned record, for experiments: it shows as unverified\n"
	"  --notes-ref REF     where decisions and comments live (default: revq.notesRef)\n"
	"  --target REF        the target whose allowed signers verify comments\n";

static const char comments_usage[] =
	"usage: revq comments [--json] [--all] [--target REF] [--notes-ref REF] [RANGE...]\n"
	"\n"
	"  Lists the comments of each pending commit, then of each pending series (a branch\n"
	"  of several pending commits, as the console shows it: \"series REF BASE..TIP\").\n"
	"\n"
	"  --json          print a JSON array of comments\n"
	"  --all           every pending commit, AI-assisted or not\n"
	"  --target REF    the branch pending work lands on (its allowed signers verify)\n"
	"  --notes-ref REF where decisions and comments live (default: revq.notesRef)\n";

/* ---- shared with revq show ---- */

void cli_comments_text(struct strbuf *out, const struct comment_set *set, const struct comment_map *map,
		       const char *indent)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < set->nr; i++) {
		strbuf_reset(&sb);
		comment_describe_anchor(&sb, set, i);
		if (set->v[i].stale)
			strbuf_addstr(&sb, " (outdated: not the series' change now)");
		else if (comment_is_outdated(map, set, i))
			strbuf_addstr(&sb, " (outdated: the line changed)");
		else if (map->number_of[i] && map->number_of[i] != set->v[i].record.line)
			strbuf_addf(&sb, " (now line %u)", (unsigned)map->number_of[i]);
		strbuf_addstr(out, indent);
		cli_escape(out, sb.buf);
		strbuf_addstr(out, "\n");
		strbuf_reset(&sb);
		comment_describe(&sb, set, i);
		strbuf_addf(out, "%s    ", indent);
		cli_escape(out, sb.buf);
		strbuf_addch(out, '\n');
	}
	strbuf_release(&sb);
}

static void json_oid(struct json *j, const char *key, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (git_oid_is_zero(id))
		json_null(j, key);
	else
		json_string(j, key, git_oid_tostr(hex, sizeof(hex), id));
}

static void comment_json(struct json *j, const struct comment_set *set, const struct comment_map *map,
			 size_t i, const git_oid *item)
{
	static const char *const kinds[] = { "comment", "reply", "resolve" };
	const struct comment *c = &set->v[i];
	char when[32];

	record_format_time(when, sizeof(when), c->record.time);
	json_object_begin(j, NULL);
	json_oid(j, "id", &c->id);
	json_string(j, "kind", kinds[c->record.kind]);
	json_oid(j, "item", item);
	json_oid(j, "commit", &c->record.commit);
	json_bool(j, "earlier_version", !git_oid_equal(&c->record.commit, item));
	if (c->record.series) {   /* a series comment: commit is its tip */
		json_oid(j, "series_base", &c->record.base);
		json_oid(j, "series_id", &c->record.series_id);
		json_bool(j, "stale", c->stale);
	}
	json_string(j, "reviewer_name", c->record.reviewer_name);
	json_string(j, "reviewer_email", c->record.reviewer_email);
	json_bool(j, "verified", c->verified);
	json_string(j, "signature", sig_status_text(c->sig));
	json_string(j, "time", when);
	if (c->record.side != SIDE_NONE) {
		json_string(j, "path", c->record.path);
		json_string(j, "side", comment_side_name(c->record.side));
		json_int(j, "line", c->record.line);
		json_oid(j, "line_id", &c->record.line_id);
		json_bool(j, "outdated", comment_is_outdated(map, set, i));
		if (map->number_of[i])
			json_int(j, "current_line", map->number_of[i]);
		else
			json_null(j, "current_line");
	} else {
		json_null(j, "path");
		if (c->record.series && c->record.kind == COMMENT_NEW)   /* stale: not the series' change */
			json_bool(j, "outdated", comment_is_outdated(map, set, i));
	}
	json_oid(j, "re", &c->record.re);
	if (c->record.kind == COMMENT_NEW) {
		json_bool(j, "resolved", c->resolved);
		json_string(j, "resolved_by", c->resolved_by);
	}
	json_string(j, "text", c->record.text);
	json_object_end(j);
}

void cli_comments_json(struct json *j, const char *key, const struct comment_set *set,
		       const struct comment_map *map, const git_oid *item)
{
	json_array_begin(j, key);
	for (size_t i = 0; i < set->nr; i++)
		comment_json(j, set, map, i, item);
	json_array_end(j);
}

int cli_comments_place(struct comment_map *map, struct session *s, const struct comment_set *set,
		       const git_oid *commit)
{
	struct layout *layout = NULL;
	git_commit *c;
	int rc = 0, lines = 0;

	for (size_t i = 0; i < set->nr; i++)
		lines |= set->v[i].record.side != SIDE_NONE;
	if (lines) {   /* the diff only when some comment points at a line */
		if (git_commit_lookup(&c, s->repo->git, commit))
			return error_set_git(REVQ_ERROR, "cannot read commit %s", git_oid_tostr_s(commit));
		rc = layout_load(&layout, s->repo->git, c);
		git_commit_free(c);
	}
	if (!rc) {
		struct layout empty;

		memset(&empty, 0, sizeof(empty));
		comment_map_build(map, layout ? layout : &empty, set);
	}
	layout_free(layout);
	return rc;
}

/* ---- revq comment ---- */

struct comment_args {
	const char *path, *reply, *resolve;   /* not owned: argv */
	const char *series;                   /* not owned: argv, BASE..TIP */
	long line;
	enum comment_side side;
	struct comment_request req;
	const char *notes_ref, *target;       /* not owned: argv */
};

/* The line a --path/--line comment is about, as the diff of commit (or of the series) shows it. */
static int find_line(struct session *s, struct comment_args *a, struct layout **layout, const git_commit *commit)
{
	const struct series *series = a->req.series;
	size_t at;
	int rc;

	if ((rc = series ? layout_load_range(layout, s->repo->git, &series->base, &series->tip, 0) :
	     layout_load(layout, s->repo->git, commit)))
		return rc;
	at = anchor_line_at(*layout, a->path, a->side, (uint32_t)a->line);
	if (at == SIZE_MAX)
		return error_set(REVQ_EUSAGE, "line %ld of %s (%s side) is not in the diff of %s%s", a->line, a->path,
				 comment_side_name(a->side), series ? "the series " : "",
				 series ? a->series : git_oid_tostr_s(git_commit_id(commit)));
	a->req.path = a->path;
	a->req.side = a->side;
	a->req.line = (uint32_t)a->line;
	a->req.line_text = layout_text(*layout, &(*layout)->lines[at]);
	a->req.line_len = (*layout)->lines[at].len;
	return 0;
}

/* The comment --reply or --resolve names, among the commit's. */
static int find_answered(struct review *r, struct comment_args *a, const git_oid *commit)
{
	struct comment_index *index = NULL;
	struct comment_set set;
	const char *prefix = a->reply ? a->reply : a->resolve;
	size_t at;
	int rc = a->req.series ? comments_load_series(&set, &index, r, a->req.series) :
		comments_load(&set, &index, r, commit);

	if (!rc && (at = comment_find(&set, prefix)) == SIZE_MAX)
		rc = error_set(REVQ_EUSAGE, "no single comment of %s has an id starting with '%s' (revq comments)",
			       a->req.series ? a->series : git_oid_tostr_s(commit), prefix);
	if (!rc)
		git_oid_cpy(&a->req.re, &set.v[at].id);
	comment_set_release(&set);
	comment_index_free(index);
	return rc;
}

/* What the comment is about: the commit spec names, or the series --series names (then *commit is its tip). */
static int open_subject(git_commit **commit, struct session *s, struct review *r, struct comment_args *a,
			const char *spec)
{
	git_oid base, tip;
	int rc;

	if (a->series) {
		if (!(rc = series_parse_range(&base, &tip, s->repo, a->series)) &&
		    !(rc = review_series(&a->req.series, r, &base, &tip)))
			rc = repo_lookup_commit(commit, s->repo, git_oid_tostr_s(&tip));
	} else {
		rc = repo_lookup_commit(commit, s->repo, spec);
	}
	if (!rc)
		git_oid_cpy(&a->req.commit, git_commit_id(*commit));
	return rc;
}

static int write_comment(struct session *s, struct comment_args *a, const char *spec)
{
	struct layout *layout = NULL;
	struct review *r = NULL;
	git_commit *commit = NULL;
	char *line = NULL, id[16];
	int rc;

	if ((rc = review_open(&r, s, a->target, a->notes_ref)) || (rc = open_subject(&commit, s, r, a, spec)))
		goto done;
	if (a->path && (rc = find_line(s, a, &layout, commit)))
		goto done;
	if ((a->reply || a->resolve) && (rc = find_answered(r, a, &a->req.commit)))
		goto done;
	if (!(rc = comment_write(&line, r, &a->req))) {
		struct strbuf out = STRBUF_INIT;
		git_oid hash;

		git_odb_hash(&hash, line, strlen(line), GIT_OBJECT_BLOB);
		oid_short_id(id, sizeof(id), &hash, SHORT_ID_LEN);
		strbuf_addf(&out, "%s %s on %s%s\n", a->req.kind == COMMENT_NEW ? "comment" :
			    a->req.kind == COMMENT_REPLY ? "reply" : "resolved", id, a->series ? "the series " : "",
			    a->series ? a->series : git_oid_tostr_s(&a->req.commit));
		cli_write(&out);
		strbuf_release(&out);
	}
done:
	free(line);
	layout_free(layout);
	review_free(r);
	git_commit_free(commit);
	return rc;
}

int cmd_comment(int argc, char **argv)
{
	static const struct option options[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "path", required_argument, NULL, 'p' },
		{ "line", required_argument, NULL, 'l' },
		{ "side", required_argument, NULL, 's' },
		{ "reply", required_argument, NULL, 'r' },
		{ "resolve", required_argument, NULL, 'R' },
		{ "series", required_argument, NULL, 'S' },
		{ "no-sign", no_argument, NULL, 'n' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "target", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct comment_args a;
	struct session *s;
	int c, rc;

	memset(&a, 0, sizeof(a));
	a.side = SIDE_NEW;
	a.line = -1;
	while ((c = cli_getopt(argc, argv, "+m:h", options)) != -1) {
		switch (c) {
		case 'm': a.req.text = optarg; break;
		case 'p': a.path = optarg; break;
		case 'l':
			if ((a.line = cli_parse_count(optarg)) <= 0 || a.line > UINT32_MAX)
				return cli_usage_error("--line needs a line number, not '%s'", optarg);
			break;
		case 's':
			if (strcmp(optarg, "old") && strcmp(optarg, "new"))
				return cli_usage_error("--side is old or new, not '%s'", optarg);
			a.side = !strcmp(optarg, "old") ? SIDE_OLD : SIDE_NEW;
			break;
		case 'r': a.reply = optarg; break;
		case 'R': a.resolve = optarg; break;
		case 'S': a.series = optarg; break;
		case 'n': a.req.no_sign = 1; break;
		case 'N': a.notes_ref = optarg; break;
		case 't': a.target = optarg; break;
		case 'h': return cli_print_usage(stdout, comment_usage);
		default: return cli_print_usage(stderr, comment_usage);
		}
	}
	if (argc - optind != !a.series)
		return cli_usage_error(a.series ? "--series names what the comment is about: no COMMIT" :
				       "comment needs exactly one commit; see 'revq comment --help'");
	if (!!a.path != (a.line > 0))
		return cli_usage_error("--path and --line go together");
	if ((a.reply && a.resolve) || ((a.reply || a.resolve) && a.path))
		return cli_usage_error("a comment is on a line, a reply (--reply) or a resolution (--resolve)");
	if (!a.resolve && (!a.req.text || !*a.req.text))
		return cli_usage_error("a comment needs a text: -m TEXT");
	a.req.kind = a.reply ? COMMENT_REPLY : a.resolve ? COMMENT_RESOLVE : COMMENT_NEW;
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	rc = write_comment(s, &a, a.series ? NULL : argv[optind]);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* ---- revq comments ---- */

static int list_item(struct strbuf *out, struct json *j, struct session *s, struct review *r,
		     struct comment_index **index, const struct item *it)
{
	struct comment_set set;
	struct comment_map map;
	int rc;

	if ((rc = comments_load(&set, index, r, &it->id)))
		return rc;
	memset(&map, 0, sizeof(map));
	if (set.nr && !(rc = cli_comments_place(&map, s, &set, &it->id))) {
		if (j) {
			for (size_t i = 0; i < set.nr; i++)
				comment_json(j, &set, &map, i, &it->id);
		} else {
			char id[16];

			oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
			strbuf_addf(out, "%s ", id);
			cli_escape(out, it->subject);
			strbuf_addch(out, '\n');
			cli_comments_text(out, &set, &map, "    ");
		}
	}
	comment_map_release(&map);
	comment_set_release(&set);
	return rc;
}

/* The comments of one series of the queue, as list_item() prints an item's. */
static int list_series(struct strbuf *out, struct json *j, struct session *s, struct review *r,
		       struct comment_index **index, const struct unit *u)
{
	const struct series *series;
	struct layout *layout = NULL;
	struct comment_set set;
	struct comment_map map;
	int rc;

	memset(&set, 0, sizeof(set));
	memset(&map, 0, sizeof(map));
	if (!(rc = review_series(&series, r, &u->base, &u->tip)) &&
	    !(rc = comments_load_series(&set, index, r, series)) && set.nr &&
	    !(rc = layout_load_range(&layout, s->repo->git, &u->base, &u->tip, 0))) {
		comment_map_build(&map, layout, &set);
		if (j) {
			for (size_t i = 0; i < set.nr; i++)
				comment_json(j, &set, &map, i, &u->tip);
		} else {
			char base[16], tip[16];

			oid_short_id(base, sizeof(base), &u->base, SHORT_ID_LEN);
			oid_short_id(tip, sizeof(tip), &u->tip, SHORT_ID_LEN);
			strbuf_addstr(out, "series ");
			cli_escape(out, u->ref);
			strbuf_addf(out, " %s..%s\n", base, tip);
			cli_comments_text(out, &set, &map, "    ");
		}
	}
	layout_free(layout);
	comment_map_release(&map);
	comment_set_release(&set);
	return rc;
}

static int list_all(struct strbuf *out, struct json *j, struct session *s, struct review *r,
		    const struct queue *q)
{
	struct comment_index *index = NULL;
	struct units units = UNITS_INIT;
	int rc = 0;

	for (size_t i = 0; i < q->nr && !rc; i++)
		rc = list_item(out, j, s, r, &index, q->items[i]);
	if (!rc)
		rc = units_build(&units, s->repo->git, q);
	for (size_t i = 0; i < units.nr && !rc; i++)
		rc = list_series(out, j, s, r, &index, &units.v[i]);
	units_release(&units);
	comment_index_free(index);
	return rc;
}

int cmd_comments(int argc, char **argv)
{
	struct strbuf out = STRBUF_INIT;
	struct review *r = NULL;
	struct queue *q = NULL;
	struct session *s;
	struct queue_cli qc;
	struct json j;
	int rc;

	if ((rc = cli_parse_queue_options(&qc, argc, argv, QOPT_JSON | QOPT_ALL | QOPT_TARGET | QOPT_NOTES,
					  comments_usage)) >= 0)
		return rc;
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	if (!(rc = queue_build(&q, s, &qc.opts)) && !(rc = review_open(&r, s, qc.opts.target, qc.notes_ref)) &&
	    (!qc.json || !(rc = json_init(&j, &out, 1)))) {
		if (qc.json)
			json_array_begin(&j, NULL);
		rc = list_all(&out, qc.json ? &j : NULL, s, r, q);
		if (qc.json) {
			json_array_end(&j);
			strbuf_addch(&out, '\n');
			json_release(&j);
		}
		if (!rc)
			rc = cli_write(&out);
	}
	strbuf_release(&out);
	review_free(r);
	queue_free(q);
	session_free(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
