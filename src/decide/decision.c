/*
 * decision.c: checking, signing and writing review decisions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "decide/decision.h"
#include "base/error.h"
#include "git/notes.h"
#include "queue/queue.h"
#include "decide/review.h"
#include "decide/series.h"
#include "sign/sign.h"

void decision_result_release(struct decision_result *r)
{
	strvec_clear(&r->lines);
	strvec_clear(&r->warnings);
	strvec_clear(&r->undone);
}

/* Everything known about one commit before signing. */
struct pending_decision {
	const struct item *item;   /* not owned: the caller's */
	struct record record;
	char *line;                /* owned: the signed record line */
};

/* One call of decision_write(): what every step reads and fills. */
struct batch {
	struct review *review;            /* not owned */
	const struct decision_request *req;
	struct pending_decision *d;       /* owned, nr of them */
	struct strvec undone;             /* owned: for a withdrawal, the verdict each one takes back */
	size_t nr;
	char *name, *email;               /* owned: the reviewer */
	struct signer signer;             /* owned when have_signer */
	int have_signer;
};

static int check_request(const struct decision_request *req)
{
	if (req->verdict == VERDICT_REJECT && (!req->comment || !*req->comment))
		return error_set(REVQ_EUSAGE, "a rejection needs a reason (-m MSG)");
	if (req->viewed && record_check_text("the viewed files", req->viewed, 0))
		return REVQ_EUSAGE;
	return req->comment ? record_check_text("the comment", req->comment, 1) : 0;
}

static int open_signer(struct batch *b)
{
	int rc = 0;

	if (!b->req->no_sign && !(rc = signer_init(&b->signer, &b->review->session->repo->settings)))
		b->have_signer = 1;
	return rc;
}

/* The same "self" as verify's: normalised addresses, the target's .mailmap (item.h). */
static int refuse_self_approval(struct batch *b, const struct item *item)
{
	struct strvec self = STRVEC_INIT;
	git_commit *commit;
	char id[16];
	int rc = 0;

	if (b->req->verdict != VERDICT_APPROVE)
		return 0;
	if (git_commit_lookup(&commit, b->review->session->repo->git, &item->id))
		return error_set_git(REVQ_ENOTFOUND, "cannot read commit %s", git_oid_tostr_s(&item->id));
	/* Without a readable .mailmap, verify still judges; this is only the early refusal. */
	review_self_identities(&self, b->review, commit);
	git_commit_free(commit);
	if (item_identity_is_self(&self, b->email)) {
		oid_short_id(id, sizeof(id), &item->id, SHORT_ID_LEN);
		rc = error_set(REVQ_EDENIED, "refusing to approve %s: %s is its author, committer or "
			       "co-author, and self-approval never counts", id, b->email);
	}
	strvec_clear(&self);
	return rc;
}

/*
 * A withdrawal's time: after the reviewer's latest record on the item
 * (their own or carried over), so that it supersedes it even within the
 * same second.  REVQ_ENOTFOUND when there is nothing to take back.
 */
static int withdrawal_time(int64_t *time, struct batch *b, const struct item *item)
{
	const struct judged_record *own;
	struct evaluation ev;
	char id[16];
	int rc;

	*time = clock_now();
	if (b->req->verdict != VERDICT_WITHDRAW)
		return 0;
	if ((rc = review_evaluate(&ev, b->review, item)))
		return rc;
	oid_short_id(id, sizeof(id), &item->id, SHORT_ID_LEN);
	own = review_own_latest(&ev, b->email);
	if (!own)
		rc = error_set(REVQ_ENOTFOUND, "nothing to undo on %s: %s has no decision on it", id, b->email);
	else if (own->record.verdict == VERDICT_WITHDRAW)
		rc = error_set(REVQ_ENOTFOUND, "nothing to undo on %s: %s's decision on it is withdrawn already",
			       id, b->email);
	else {
		if (*time <= own->record.time)
			*time = own->record.time + 1;
		strvec_push(&b->undone, verdict_name(own->record.verdict));
	}
	evaluation_release(&ev);
	return rc;
}

/* Calls fn on each record of the reviewer's own in commit's note; the note unread (none) is no record. */
static void each_own_record(struct batch *b, const git_oid *commit, void (*fn)(const struct record *r, void *data),
			    void *data)
{
	struct strbuf note = STRBUF_INIT, mine = STRBUF_INIT, theirs = STRBUF_INIT;
	const char *p, *end;

	if (notes_read(&note, b->review->notes, commit)) {
		error_clear();
		strbuf_release(&note);
		return;
	}
	identity_normalize_email(&mine, b->email);
	for (p = note.buf; *p; p = *end ? end + 1 : end) {
		struct record r;

		end = strchrnul(p, '\n');
		if (record_parse(&r, p, (size_t)(end - p))) {
			error_clear();
			continue;
		}
		strbuf_reset(&theirs);
		identity_normalize_email(&theirs, r.reviewer_email);
		if (!strcmp(mine.buf, theirs.buf))
			fn(&r, data);
		record_release(&r);
	}
	strbuf_release(&note);
	strbuf_release(&mine);
	strbuf_release(&theirs);
}

static void later_than_withdrawal(const struct record *r, void *data)
{
	int64_t *now = data;

	if (r->verdict == VERDICT_WITHDRAW && r->time >= *now)
		*now = r->time + 1;
}

/*
 * After a withdrawal, a new decision must beat it even within the same
 * second (a withdrawal wins ties over an approval): the latest time of
 * the reviewer's own withdrawals in the note of commit, plus one; else
 * now.  Only that note is read, so a batch without notes costs nothing.
 */
static int64_t after_own_withdrawal(struct batch *b, const git_oid *commit, int64_t now)
{
	if (b->req->verdict != VERDICT_WITHDRAW)
		each_own_record(b, commit, later_than_withdrawal, &now);
	return now;
}

static int prepare(struct batch *b, struct pending_decision *d)
{
	struct record *r = &d->record;
	int rc;

	if ((rc = refuse_self_approval(b, d->item)) ||
	    (rc = withdrawal_time(&r->time, b, d->item)) ||
	    (rc = review_patch_id(&r->patch_id, b->review->session, &d->item->id)))
		return rc;
	r->verdict = b->req->verdict;
	git_oid_cpy(&r->commit, &d->item->id);
	git_oid_cpy(&r->tree, &d->item->tree);
	r->reviewer_name = xstrdup(b->name);
	r->reviewer_email = xstrdup(b->email);
	r->time = after_own_withdrawal(b, &d->item->id, r->time);
	r->risk = d->item->risk;
	r->comment = xstrdup(b->req->comment ? b->req->comment : "");
	r->viewed = b->req->viewed && b->nr == 1 ? xstrdup(b->req->viewed) : NULL;
	return 0;
}

/* Every record signed in one signer call (sign_payloads()), then formatted. */
static int sign_all(struct batch *b)
{
	struct strbuf *payloads = xcalloc(b->nr ? b->nr : 1, sizeof(*payloads));
	char **formats = xcalloc(b->nr ? b->nr : 1, sizeof(*formats));
	char **sigs = xcalloc(b->nr ? b->nr : 1, sizeof(*sigs));
	int rc = 0;

	for (size_t i = 0; i < b->nr; i++) {
		strbuf_init(&payloads[i], 0);
		if (b->have_signer)
			record_payload(&payloads[i], &b->d[i].record);
	}
	if (b->have_signer)
		rc = sign_payloads(formats, sigs, &b->signer, payloads, b->nr);
	for (size_t i = 0; i < b->nr; i++) {
		struct strbuf line = STRBUF_INIT;

		if (!rc) {
			b->d[i].record.sig_format = b->have_signer ? formats[i] : xstrdup("none");
			b->d[i].record.sig = b->have_signer ? sigs[i] : xstrdup("");
			record_format(&line, &b->d[i].record);
			b->d[i].line = strbuf_detach(&line, NULL);
		}
		strbuf_release(&payloads[i]);
	}
	free(payloads);
	free(formats);
	free(sigs);
	return rc;
}

static int prepare_and_sign_all(struct batch *b)
{
	int rc = 0;

	for (size_t i = 0; i < b->nr && !rc; i++)
		rc = prepare(b, &b->d[i]);
	return rc ? rc : sign_all(b);
}

/* Every record in one notes commit, or none. */
static int write_all(struct batch *b)
{
	struct notes_line *lines = xcalloc(b->nr, sizeof(*lines));
	git_signature *who;
	int rc;

	if (git_signature_now(&who, b->name, b->email)) {
		free(lines);
		return error_set_git(REVQ_ERROR, "bad identity '%s <%s>'", b->name, b->email);
	}
	for (size_t i = 0; i < b->nr; i++) {
		git_oid_cpy(&lines[i].object, &b->d[i].item->id);
		lines[i].line = b->d[i].line;
	}
	rc = notes_append(b->review->session->repo->git, b->review->notes_ref, lines, b->nr, who,
			  b->req->verdict == VERDICT_APPROVE ? "revq approve" :
			  b->req->verdict == VERDICT_WITHDRAW ? "revq undo" : "revq reject");
	git_signature_free(who);
	free(lines);
	return rc;
}

/*
 * Written anyway, but the reviewer must know when a record will not
 * count: each one is judged the way `revq verify` will judge it (the
 * signature against the target's allowed signers, the signer against
 * the reviewer, the level and self-approval under the target's policy).
 */
static void report(struct decision_result *out, struct batch *b)
{
	struct strbuf why = STRBUF_INIT;
	const char *what = verdict_name(b->req->verdict);
	char id[16];

	for (size_t i = 0; i < b->nr; i++) {
		strvec_push(&out->lines, b->d[i].line);
		oid_short_id(id, sizeof(id), &b->d[i].item->id, SHORT_ID_LEN);
		if (review_check_record(&why, b->review, b->d[i].item, &b->d[i].record))
			strvec_pushf(&out->warnings, "%s: could not check that this %s will count: %s", id,
				     what, error_last());
		else if (why.len)
			strvec_pushf(&out->warnings, "%s: this %s will not count under %s: %s", id, what,
				     b->review->policy.origin, why.buf);
	}
	strbuf_release(&why);
}

static void batch_release(struct batch *b)
{
	strvec_clear(&b->undone);
	for (size_t i = 0; i < b->nr; i++) {
		record_release(&b->d[i].record);
		free(b->d[i].line);
	}
	free(b->d);
	if (b->have_signer)
		signer_release(&b->signer);
	free(b->name);
	free(b->email);
}

/* The request checked, the reviewer known and the signer open: what every decision starts with. */
static int begin(struct batch *b)
{
	int rc = check_request(b->req);

	if (!rc)
		rc = review_load_notes(b->review);
	if (!rc)
		rc = settings_identity(&b->name, &b->email, &b->review->session->repo->settings);
	if (!rc)
		rc = open_signer(b);
	return rc;
}

/* Writes the signed records, reloads the notes, and judges each record as verify will. */
static int finish(struct decision_result *out, struct batch *b)
{
	int rc = write_all(b);

	if (!rc)
		rc = review_reload_notes(b->review);
	if (!rc) {
		report(out, b);
		for (size_t i = 0; i < b->undone.nr; i++)
			strvec_push(&out->undone, b->undone.v[i]);
	}
	return rc;
}

int decision_write(struct decision_result *out, struct review *review, struct item *const *items,
		   size_t nr, const struct decision_request *req)
{
	struct batch b = { review, req, xcalloc(nr ? nr : 1, sizeof(*b.d)), STRVEC_INIT, nr, NULL, NULL,
			   { 0 }, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nr; i++)
		b.d[i].item = items[i];
	rc = begin(&b);
	if (!rc)
		rc = prepare_and_sign_all(&b);
	if (!rc)
		rc = finish(out, &b);
	batch_release(&b);
	return rc;
}

/* ---- a decision on a series (revq-series1 records) ---- */

/* Self-approval of a series: an author of any of its commits (series.h). */
static int refuse_series_self_approval(struct batch *b, const struct series *s)
{
	long me = policy_person_by_email(&b->review->policy, b->email);
	char base[16], tip[16];

	if (b->req->verdict != VERDICT_APPROVE || !series_is_self(s, &b->review->policy, me, b->email))
		return 0;
	oid_short_id(base, sizeof(base), &s->base, SHORT_ID_LEN);
	oid_short_id(tip, sizeof(tip), &s->tip, SHORT_ID_LEN);
	return error_set(REVQ_EDENIED, "refusing to approve the series %s..%s: %s is an author, committer "
			 "or co-author of a commit in it, and self-approval never counts", base, tip, b->email);
}

/* The reviewer's latest record on one series (its base and tip), as the gate orders them. */
struct own_series {
	const struct series *series;
	int found;
	int64_t time;
	enum verdict verdict;
};

static void latest_series_record(const struct record *r, void *data)
{
	struct own_series *o = data;

	if (!r->series || !git_oid_equal(&r->base, &o->series->base) || !git_oid_equal(&r->commit, &o->series->tip))
		return;
	/* Later wins; within one second the more cautious (review.c): reject, withdraw, approve. */
	if (!o->found || r->time > o->time ||
	    (r->time == o->time && (r->verdict == VERDICT_REJECT ||
				    (r->verdict == VERDICT_WITHDRAW && o->verdict == VERDICT_APPROVE)))) {
		o->found = 1;
		o->time = r->time;
		o->verdict = r->verdict;
	}
}

/*
 * A series withdrawal's time: after the reviewer's latest record on the
 * series, so that it supersedes it.  REVQ_ENOTFOUND when there is none,
 * or it is a withdrawal already.  Any other decision: after the
 * reviewer's own withdrawals on the tip, else now.
 */
static int series_time(int64_t *time, struct batch *b, const struct series *s)
{
	struct own_series own = { s, 0, 0, VERDICT_APPROVE };
	char base[16], tip[16];

	*time = clock_now();
	if (b->req->verdict != VERDICT_WITHDRAW) {
		*time = after_own_withdrawal(b, &s->tip, *time);
		return 0;
	}
	each_own_record(b, &s->tip, latest_series_record, &own);
	oid_short_id(base, sizeof(base), &s->base, SHORT_ID_LEN);
	oid_short_id(tip, sizeof(tip), &s->tip, SHORT_ID_LEN);
	if (!own.found)
		return error_set(REVQ_ENOTFOUND, "nothing to undo on the series %s..%s: %s has no decision on it",
				 base, tip, b->email);
	if (own.verdict == VERDICT_WITHDRAW)
		return error_set(REVQ_ENOTFOUND, "nothing to undo on the series %s..%s: %s's decision on it is "
				 "withdrawn already", base, tip, b->email);
	if (*time <= own.time)
		*time = own.time + 1;
	strvec_push(&b->undone, verdict_name(own.verdict));
	return 0;
}

static void prepare_series(struct batch *b, const struct series *s, const git_oid *id, int64_t time)
{
	struct record *r = &b->d[0].record;

	r->series = 1;
	r->verdict = b->req->verdict;
	git_oid_cpy(&r->base, &s->base);
	git_oid_cpy(&r->commit, &s->tip);
	git_oid_cpy(&r->tree, &s->tree);
	git_oid_cpy(&r->patch_id, id);
	r->reviewer_name = xstrdup(b->name);
	r->reviewer_email = xstrdup(b->email);
	r->time = time;
	r->risk = s->risk;
	r->comment = xstrdup(b->req->comment ? b->req->comment : "");
}

int decision_write_series(struct decision_result *out, struct review *review, const struct item *tip,
			  const git_oid *base, const struct decision_request *req)
{
	struct batch b = { review, req, xcalloc(1, sizeof(*b.d)), STRVEC_INIT, 1, NULL, NULL, { 0 }, 0 };
	const struct series *s;
	const git_oid *id;
	int64_t time = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	b.d[0].item = tip;
	rc = begin(&b);
	if (!rc)
		rc = review_series(&s, review, base, &tip->id);
	if (!rc)
		rc = refuse_series_self_approval(&b, s);
	if (!rc)
		rc = series_time(&time, &b, s);
	if (!rc)
		rc = series_identity(&id, review, s);
	if (!rc) {
		prepare_series(&b, s, id, time);
		rc = sign_all(&b);
	}
	if (!rc)
		rc = finish(out, &b);
	batch_release(&b);
	return rc;
}

/* "refs/notes/revq" -> "/revq": the tail every remote's copy ends in. */
static const char *notes_tail(const char *ref)
{
	static const char prefix[] = "refs/notes";

	return !strncmp(ref, prefix, sizeof(prefix) - 1) ? ref + sizeof(prefix) - 1 : ref;
}

int decision_is_shared(struct review *review, const git_oid *commit, const char *line)
{
	git_repository *repo = review->session->repo->git;
	const char *tail = notes_tail(review->notes_ref);
	git_reference_iterator *it;
	const char *name;
	int shared = 0;

	if (git_reference_iterator_glob_new(&it, repo, "refs/notes/remotes/*")) {
		git_error_clear();
		return 0;
	}
	while (!shared && !git_reference_next_name(&name, it)) {
		size_t n = strlen(name), t = strlen(tail);
		git_note *note;

		if (n <= t || strcmp(name + n - t, tail) || git_note_read(&note, repo, name, commit))
			continue;
		shared = git_note_message(note) && strstr(git_note_message(note), line) != NULL;
		git_note_free(note);
	}
	git_reference_iterator_free(it);
	git_error_clear();
	return shared;
}
