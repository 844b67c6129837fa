/*
 * decision.c: checking, signing and writing review decisions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "revq/decision.h"
#include "revq/error.h"
#include "revq/notes.h"
#include "revq/policy.h"
#include "revq/queue.h"
#include "revq/review.h"
#include "revq/sign.h"

int decision_identity(char **name, char **email, const struct settings *s)
{
	const char *env_name = getenv("GIT_COMMITTER_NAME"), *env_email = getenv("GIT_COMMITTER_EMAIL");
	const char *n = env_name && *env_name ? env_name : s->user_name;
	const char *e = env_email && *env_email ? env_email : s->user_email;
	int rc;

	*name = *email = NULL;
	if (!e || !*e)
		return error_set(REVQ_ERROR, "who are you? set user.email (git config user.email you@example.com)");
	if (!n || !*n)
		return error_set(REVQ_ERROR, "who are you? set user.name (git config user.name \"Your Name\")");
	/* A configuration problem, not a usage one: exit status 3. */
	if ((rc = record_check_text("user.name", n, 0)) || (rc = record_check_text("user.email", e, 0)))
		return error_set(REVQ_ERROR, "%s", error_last());
	if (strchr(n, '<') || strchr(n, '>') || strchr(e, '<') || strchr(e, '>') || strchr(e, ' '))
		return error_set(REVQ_ERROR, "user.name and user.email may not contain '<', '>' "
				 "(nor the email a space)");
	*name = xstrdup(n);
	*email = xstrdup(e);
	return 0;
}

void decision_result_release(struct decision_result *r)
{
	strvec_clear(&r->lines);
	strvec_clear(&r->warnings);
}

/* Everything known about one commit before signing. */
struct pending_decision {
	git_oid id;
	struct item *item;
	struct record record;
	char *line;
};

static int refuse_self_approval(const git_commit *commit, const char *email)
{
	struct strvec authors = STRVEC_INIT;
	char id[16];
	int self = 0;

	item_author_emails(&authors, commit);
	for (size_t i = 0; i < authors.nr; i++)
		self |= !strcasecmp(authors.v[i], email);
	strvec_clear(&authors);
	if (!self)
		return 0;
	oid_short_id(id, sizeof(id), git_commit_id(commit), SHORT_ID_LEN);
	return error_set(REVQ_EDENIED, "refusing to approve %s: %s is its author, committer or "
			 "co-author, and self-approval never counts", id, email);
}

static int prepare(struct pending_decision *d, struct session *s, const struct decision_request *req,
		   const char *name, const char *email)
{
	git_commit *commit;
	int rc;

	if (git_commit_lookup(&commit, s->repo->git, &d->id))
		return error_set_git(REVQ_ENOTFOUND, "cannot read commit %s", git_oid_tostr_s(&d->id));
	rc = req->verdict == VERDICT_APPROVE ? refuse_self_approval(commit, email) : 0;
	git_commit_free(commit);
	if (rc || (rc = queue_load_item(&d->item, s, &d->id)) ||
	    (rc = review_patch_id(&d->record.patch_id, s, &d->id)))
		return rc;
	d->record.verdict = req->verdict;
	git_oid_cpy(&d->record.commit, &d->id);
	git_oid_cpy(&d->record.tree, &d->item->tree);
	d->record.reviewer_name = xstrdup(name);
	d->record.reviewer_email = xstrdup(email);
	d->record.time = queue_now();
	d->record.risk = d->item->risk;
	d->record.comment = xstrdup(req->comment ? req->comment : "");
	return 0;
}

static int sign_record(struct pending_decision *d, const struct signer *signer)
{
	struct strbuf payload = STRBUF_INIT, line = STRBUF_INIT;
	int rc = 0;

	if (signer) {
		record_payload(&payload, &d->record);
		rc = sign_payload(&d->record.sig_format, &d->record.sig, signer, payload.buf, payload.len);
	} else {
		d->record.sig_format = xstrdup("none");
		d->record.sig = xstrdup("");
	}
	if (!rc) {
		record_format(&line, &d->record);
		d->line = strbuf_detach(&line, NULL);
	}
	strbuf_release(&payload);
	return rc;
}

/*
 * Written anyway, but the reviewer must know when a record will not
 * count: each one is judged the way `revq verify` will judge it (the
 * signature against the target's allowed signers, the signer against
 * the reviewer, the level and self-approval under the target's policy).
 */
static void warn_unless_counted(struct decision_result *out, struct session *s,
				const struct decision_request *req, struct pending_decision *d, size_t nr)
{
	struct strbuf why = STRBUF_INIT;
	struct review *r;
	char id[16];

	if (review_open(&r, s, req->target, req->notes_ref)) {
		strvec_pushf(&out->warnings, "could not check that this %s will count: %s",
			     verdict_name(req->verdict), error_last());
		return;
	}
	for (size_t i = 0; i < nr; i++) {
		oid_short_id(id, sizeof(id), &d[i].id, SHORT_ID_LEN);
		if (review_check_record(&why, r, d[i].item, &d[i].record))
			strvec_pushf(&out->warnings, "%s: could not check that this %s will count: %s", id,
				     verdict_name(req->verdict), error_last());
		else if (why.len)
			strvec_pushf(&out->warnings, "%s: this %s will not count under %s: %s", id,
				     verdict_name(req->verdict), r->policy.origin, why.buf);
	}
	strbuf_release(&why);
	review_free(r);
}

static int write_all(struct session *s, const struct decision_request *req,
		     struct pending_decision *d, size_t nr, const char *name, const char *email)
{
	struct notes_line *lines = xcalloc(nr, sizeof(*lines));
	git_signature *who;
	int rc;

	if (git_signature_now(&who, name, email)) {
		free(lines);
		return error_set_git(REVQ_ERROR, "bad identity '%s <%s>'", name, email);
	}
	for (size_t i = 0; i < nr; i++) {
		git_oid_cpy(&lines[i].object, &d[i].id);
		lines[i].line = d[i].line;
	}
	rc = notes_append(s->repo->git, req->notes_ref ? req->notes_ref : s->repo->settings.notes_ref,
			  lines, nr, who, req->verdict == VERDICT_APPROVE ? "revq approve" : "revq reject");
	git_signature_free(who);
	free(lines);
	return rc;
}

static int check_request(const struct decision_request *req)
{
	if (req->verdict == VERDICT_REJECT && (!req->comment || !*req->comment))
		return error_set(REVQ_EUSAGE, "a rejection needs a reason (-m MSG)");
	return req->comment ? record_check_text("the comment", req->comment, 1) : 0;
}

int decision_write(struct decision_result *out, struct session *s, const git_oid *commits,
		   size_t nr, const struct decision_request *req)
{
	struct pending_decision *d = xcalloc(nr ? nr : 1, sizeof(*d));
	struct signer signer;
	char *name = NULL, *email = NULL;
	int rc, have_signer = 0;

	memset(out, 0, sizeof(*out));
	if (!(rc = check_request(req)) && !(rc = decision_identity(&name, &email, &s->repo->settings)) &&
	    !req->no_sign && !(rc = signer_init(&signer, &s->repo->settings)))
		have_signer = 1;
	for (size_t i = 0; i < nr && !rc; i++) {
		git_oid_cpy(&d[i].id, &commits[i]);
		rc = prepare(&d[i], s, req, name, email);
	}
	for (size_t i = 0; i < nr && !rc; i++)
		rc = sign_record(&d[i], have_signer ? &signer : NULL);
	if (!rc)
		rc = write_all(s, req, d, nr, name, email);
	if (!rc) {
		for (size_t i = 0; i < nr; i++)
			strvec_push(&out->lines, d[i].line);
		warn_unless_counted(out, s, req, d, nr);
	}
	for (size_t i = 0; i < nr; i++) {
		item_free(d[i].item);
		record_release(&d[i].record);
		free(d[i].line);
	}
	free(d);
	if (have_signer)
		signer_release(&signer);
	free(name);
	free(email);
	return rc;
}
