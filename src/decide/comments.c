/*
 * comments.c: review comments in the decisions notes: found for a commit
 * by its lineage, judged by their signatures, and written through one
 * code path for the console and `revq comment` (comments.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/error.h"
#include "decide/comments.h"
#include "git/message.h"
#include "git/notes.h"

/* One comment line of the notes. */
struct stored {
	git_oid id;                    /* the line's blob id */
	git_oid noted_on;
	struct comment_record record;  /* owned */
};

struct comment_index {
	git_oid tip;                   /* the notes commit indexed */
	struct stored *v;              /* owned */
	size_t nr, alloc;
	struct oidmap lineage_of;      /* owned: commit -> index into lineages */
	git_oid *lineages;             /* owned */
	size_t lineages_nr, lineages_alloc;
};

void comment_index_free(struct comment_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nr; i++)
		comment_record_release(&x->v[i].record);
	free(x->v);
	oidmap_clear(&x->lineage_of);
	free(x->lineages);
	free(x);
}

static void index_note(struct comment_index *x, const char *text, size_t len, const git_oid *noted_on)
{
	struct lines it = LINES_INIT(text, len);
	const char *p;
	size_t n;

	while (lines_next(&it, &p, &n)) {
		struct comment_record rec;
		struct stored *s;
		int rc = comment_record_parse(&rec, p, n);

		if (rc) {
			if (rc != REVQ_ENOTFOUND)
				error_clear();   /* a malformed comment is no comment */
			continue;
		}
		ALLOC_GROW(x->v, x->nr + 1, x->alloc);
		s = &x->v[x->nr++];
		git_odb_hash(&s->id, p, n, GIT_OBJECT_BLOB);
		git_oid_cpy(&s->noted_on, noted_on);
		s->record = rec;
	}
}

static struct comment_index *index_build(struct review *r)
{
	struct comment_index *x = xcalloc(1, sizeof(*x));
	struct strbuf text = STRBUF_INIT;

	git_oid_cpy(&x->tip, &r->notes->tip);
	for (size_t i = 0; i < r->notes->nr; i++) {
		const git_oid *object = &r->notes->entries[i].object;

		strbuf_reset(&text);
		if (!notes_read(&text, r->notes, object))
			index_note(x, text.buf, text.len, object);
		error_clear();
	}
	strbuf_release(&text);
	return x;
}

/*
 * The lineage of a commit: its Change-Id trailer, else its author's
 * address and time; the commit id itself when it cannot be read.
 */
static void compute_lineage(git_oid *out, struct review *r, const git_oid *id)
{
	struct strbuf key = STRBUF_INIT;
	struct message msg = MESSAGE_INIT;
	git_commit *commit;

	if (git_commit_lookup(&commit, r->session->repo->git, id)) {
		git_error_clear();
		git_oid_cpy(out, id);
		return;
	}
	message_parse_git(&msg, git_commit_message(commit), 0);
	for (size_t i = 0; i < msg.trailers_nr && !key.len; i++)
		if (message_trailer_is(&msg.trailers[i], "Change-Id") && *msg.trailers[i].value)
			strbuf_addf(&key, "change-id %s", msg.trailers[i].value);
	if (!key.len)
		strbuf_addf(&key, "author %s %lld", git_commit_author(commit)->email,
			    (long long)git_commit_author(commit)->when.time);
	git_odb_hash(out, key.buf, key.len, GIT_OBJECT_BLOB);
	message_release(&msg);
	git_commit_free(commit);
	strbuf_release(&key);
}

static const git_oid *lineage(struct comment_index *x, struct review *r, const git_oid *id)
{
	size_t at;

	if (!oidmap_get(&x->lineage_of, id, &at)) {
		ALLOC_GROW(x->lineages, x->lineages_nr + 1, x->lineages_alloc);
		compute_lineage(&x->lineages[x->lineages_nr], r, id);
		at = x->lineages_nr++;
		oidmap_put(&x->lineage_of, id, at);
	}
	return &x->lineages[at];
}

static char *copy_string(const char *s)
{
	return xstrdup(s ? s : "");
}

static void copy_record(struct comment_record *out, const struct comment_record *c)
{
	*out = *c;
	out->path = copy_string(c->path);
	out->reviewer_name = copy_string(c->reviewer_name);
	out->reviewer_email = copy_string(c->reviewer_email);
	out->text = copy_string(c->text);
	out->sig_format = copy_string(c->sig_format);
	out->sig = copy_string(c->sig);
}

/* The record's signature over its payload, as its reviewer's (review_verify()). */
static enum sig_status verify_comment(struct review *r, const struct stored *s)
{
	struct record shell = RECORD_INIT;
	struct strbuf payload = STRBUF_INIT;
	struct sig_identity id;
	enum sig_status st;

	shell.reviewer_name = s->record.reviewer_name;
	shell.reviewer_email = s->record.reviewer_email;
	shell.time = s->record.time;
	shell.sig_format = s->record.sig_format;
	shell.sig = s->record.sig;
	comment_record_payload(&payload, &s->record);
	st = review_verify(&id, r, &s->id, &shell, payload.buf, payload.len);
	sig_identity_release(&id);
	strbuf_release(&payload);
	return st;
}

static int compare_comments(const void *a, const void *b)
{
	const struct comment *x = a, *y = b;

	if (x->record.time != y->record.time)
		return x->record.time < y->record.time ? -1 : 1;
	if (x->record.kind != y->record.kind)   /* within a second, a comment before its answers */
		return x->record.kind < y->record.kind ? -1 : 1;
	return git_oid_cmp(&x->id, &y->id);
}

/* Replies and resolutions to their comments; a verified resolution resolves. */
static void link_answers(struct comment_set *set)
{
	struct oidmap by_id = OIDMAP_INIT;

	for (size_t i = 0; i < set->nr; i++)
		if (set->v[i].record.kind == COMMENT_NEW)
			oidmap_put(&by_id, &set->v[i].id, i);
	for (size_t i = 0; i < set->nr; i++) {
		struct comment *c = &set->v[i];
		size_t parent;

		c->parent = SIZE_MAX;
		if (c->record.kind == COMMENT_NEW || !oidmap_get(&by_id, &c->record.re, &parent))
			continue;
		c->parent = parent;
		if (c->record.kind == COMMENT_RESOLVE && c->verified) {
			set->v[parent].resolved = 1;
			free(set->v[parent].resolved_by);
			set->v[parent].resolved_by = xstrdup(c->record.reviewer_email);
		}
	}
	oidmap_clear(&by_id);
}

/* The index of the notes' comment lines, built again when the notes moved. */
static int fresh_index(struct comment_index **index, struct review *r)
{
	int rc = review_load_notes(r);

	if (!rc && *index && !git_oid_equal(&(*index)->tip, &r->notes->tip)) {
		comment_index_free(*index);
		*index = NULL;
	}
	if (!rc && !*index)
		*index = index_build(r);
	return rc;
}

static struct comment *add_comment(struct comment_set *out, struct review *r, const struct stored *s)
{
	struct comment *c;

	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	c = &out->v[out->nr++];
	memset(c, 0, sizeof(*c));
	copy_record(&c->record, &s->record);
	git_oid_cpy(&c->id, &s->id);
	git_oid_cpy(&c->noted_on, &s->noted_on);
	c->sig = verify_comment(r, s);
	c->verified = c->sig == SIG_GOOD;
	return c;
}

/* Oldest first, answers linked to their comments. */
static void finish_set(struct comment_set *out)
{
	if (out->nr)   /* qsort of NULL is undefined, even for no elements */
		qsort(out->v, out->nr, sizeof(*out->v), compare_comments);
	link_answers(out);
}

int comments_load(struct comment_set *out, struct comment_index **index, struct review *r,
		  const git_oid *commit)
{
	struct comment_index *x;
	git_oid mine;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fresh_index(index, r)))
		return rc;
	x = *index;
	git_oid_cpy(&mine, lineage(x, r, commit));   /* a copy: lineage() grows its array */
	for (size_t i = 0; i < x->nr; i++) {
		const struct stored *s = &x->v[i];

		if (s->record.series ||
		    (!git_oid_equal(&s->record.commit, commit) && !git_oid_equal(lineage(x, r, &s->record.commit), &mine)))
			continue;
		add_comment(out, r, s);
	}
	finish_set(out);
	return 0;
}

static int has_series_comments(const struct comment_index *x)
{
	size_t i;

	for (i = 0; i < x->nr && !x->v[i].record.series; i++)
		;
	return i < x->nr;
}

int comments_load_series(struct comment_set *out, struct comment_index **index, struct review *r,
			 const struct series *series)
{
	const git_oid *id = NULL;
	git_oid mine;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fresh_index(index, r)) || !has_series_comments(*index))
		return rc;   /* no series comment at all: no diff of the whole series either */
	if ((rc = series_identity(&id, r, series)))
		return rc;
	git_oid_cpy(&mine, lineage(*index, r, &series->tip));   /* a copy: lineage() grows its array */
	for (size_t i = 0; i < (*index)->nr; i++) {
		const struct stored *s = &(*index)->v[i];
		int same_id, same_bounds;

		if (!s->record.series)
			continue;
		same_id = git_oid_equal(&s->record.series_id, id);
		same_bounds = git_oid_equal(&s->record.base, &series->base) &&
			git_oid_equal(&s->record.commit, &series->tip);
		/* This series, the same change elsewhere, or an earlier version of its tip (by lineage). */
		if (same_id || same_bounds || git_oid_equal(lineage(*index, r, &s->record.commit), &mine))
			add_comment(out, r, s)->stale = same_bounds && !same_id;
	}
	finish_set(out);
	return 0;
}

void comment_set_release(struct comment_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		comment_record_release(&set->v[i].record);
		free(set->v[i].resolved_by);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}

void comment_short_id(char *buf, size_t size, const struct comment *c)
{
	oid_short_id(buf, size, &c->id, SHORT_ID_LEN);
}

size_t comment_find(const struct comment_set *set, const char *prefix)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t found = SIZE_MAX, n = strlen(prefix);

	if (n < 4 || n > GIT_OID_HEXSZ)
		return SIZE_MAX;
	for (size_t i = 0; i < set->nr; i++) {
		git_oid_tostr(hex, sizeof(hex), &set->v[i].id);
		if (set->v[i].record.kind != COMMENT_NEW || strncasecmp(hex, prefix, n))
			continue;
		if (found != SIZE_MAX)
			return SIZE_MAX;   /* ambiguous */
		found = i;
	}
	return found;
}

size_t comments_unresolved(const struct comment_set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < set->nr; i++)
		n += set->v[i].record.kind == COMMENT_NEW && !set->v[i].resolved;
	return n;
}

void comments_unresolved_reason(struct strbuf *out, const struct comment_set *set)
{
	size_t listed = 0;

	for (size_t i = 0; i < set->nr; i++) {
		const struct comment *c = &set->v[i];
		char id[16];

		if (c->record.kind != COMMENT_NEW || c->resolved)
			continue;
		comment_short_id(id, sizeof(id), c);
		strbuf_addstr(out, listed++ ? ", " : "unresolved comments: ");
		if (listed > 20) {
			strbuf_addstr(out, "...");
			break;
		}
		if (*c->record.path)
			strbuf_addf(out, "%s (%s:%u)", id, c->record.path, (unsigned)c->record.line);
		else
			strbuf_addstr(out, id);
	}
}

/* ---- writing ---- */

static int check_request(const struct comment_request *req)
{
	int rc = comment_check_text(req->text ? req->text : "", req->kind == COMMENT_RESOLVE);

	if (!rc && req->kind != COMMENT_NEW && git_oid_is_zero(&req->re))
		rc = error_set(REVQ_EUSAGE, "a reply or a resolution names the comment it answers");
	if (!rc && req->path) {
		if (!*req->path || req->side == SIDE_NONE || !req->line || !req->line_text)
			rc = error_set(REVQ_EUSAGE, "a line comment needs a path, a side and a line");
		else
			rc = record_check_text("the path", req->path, 0);
	}
	return rc;
}

static void fill_record(struct comment_record *c, const struct comment_request *req, const git_oid *series_id,
			char *name, char *email)
{
	memset(c, 0, sizeof(*c));
	c->kind = req->kind;
	git_oid_cpy(&c->commit, req->series ? &req->series->tip : &req->commit);
	if (req->series) {
		c->series = 1;
		git_oid_cpy(&c->base, &req->series->base);
		git_oid_cpy(&c->series_id, series_id);
	}
	c->path = xstrdup(req->kind == COMMENT_NEW && req->path ? req->path : "");
	if (req->kind == COMMENT_NEW && req->path) {
		c->side = req->side;
		c->line = req->line;
		comment_line_id(&c->line_id, req->line_text, req->line_len);
	}
	if (req->kind != COMMENT_NEW)
		git_oid_cpy(&c->re, &req->re);
	c->reviewer_name = name;
	c->reviewer_email = email;
	c->time = clock_now();
	c->text = xstrdup(req->text ? req->text : "");
}

static int sign_record(struct comment_record *c, const struct settings *settings, int no_sign)
{
	struct strbuf payload = STRBUF_INIT;
	struct signer signer;
	char *format = NULL, *sig = NULL;
	int rc = 0;

	if (no_sign) {
		c->sig_format = xstrdup("none");
		c->sig = xstrdup("");
		return 0;
	}
	if ((rc = signer_init(&signer, settings)))
		return rc;
	comment_record_payload(&payload, c);
	rc = sign_payloads(&format, &sig, &signer, &payload, 1);
	if (!rc) {
		c->sig_format = format;
		c->sig = sig;
	}
	signer_release(&signer);
	strbuf_release(&payload);
	return rc;
}

int comment_write(char **line, struct review *r, const struct comment_request *req)
{
	struct strbuf out = STRBUF_INIT;
	struct comment_record c;
	struct notes_line note;
	git_signature *who = NULL;
	const git_oid *series_id = NULL;
	char *name = NULL, *email = NULL;
	int rc;

	if (line)
		*line = NULL;
	memset(&c, 0, sizeof(c));
	if ((rc = check_request(req)) || (req->series && (rc = series_identity(&series_id, r, req->series))) ||
	    (rc = settings_identity(&name, &email, &r->session->repo->settings)))
		return rc;
	fill_record(&c, req, series_id, name, email);
	if (!(rc = sign_record(&c, &r->session->repo->settings, req->no_sign)) &&
	    git_signature_now(&who, name, email))
		rc = error_set_git(REVQ_ERROR, "bad identity '%s <%s>'", name, email);
	if (!rc) {
		comment_record_format(&out, &c);
		git_oid_cpy(&note.object, &c.commit);
		note.line = out.buf;
		rc = notes_append(r->session->repo->git, r->notes_ref, &note, 1, who, "revq comment");
	}
	if (!rc)
		rc = review_reload_notes(r);
	if (!rc && line)
		*line = strbuf_detach(&out, NULL);
	git_signature_free(who);
	comment_record_release(&c);
	strbuf_release(&out);
	return rc;
}
