/*
 * attest.c: the in-toto Statements of `revq attest` (revq-attest(1)):
 * the review predicate, the SLSA Source VSA, and their DSSE envelope.
 * Every string that came from a repository (names, addresses, subjects,
 * comments) goes through the one JSON writer, which escapes every
 * control byte.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "show/attest.h"
#include "show/json.h"
#include "sign/sigparse.h"

#define HEX_SIZE (GIT_OID_HEXSZ + 1)

/* The blob at path in tree, or a zero id when there is none. */
static void tree_blob(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *entry = NULL;

	memset(out, 0, sizeof(*out));
	if (path && !git_tree_entry_bypath(&entry, tree, path) && git_tree_entry_type(entry) == GIT_OBJECT_BLOB)
		git_oid_cpy(out, git_tree_entry_id(entry));
	git_tree_entry_free(entry);
	git_error_clear();
}

int attest_facts_init(struct attest_facts *out, const struct review *r, const struct item *item,
		      const struct evaluation *ev, const char *repository, int64_t now)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->item = item;
	out->ev = ev;
	out->review = r;
	out->repository = repository;
	out->now = now;
	if (git_commit_lookup(&commit, r->session->repo->git, &r->target.id) || git_commit_tree(&tree, commit))
		rc = error_set_git(REVQ_ERROR, "cannot read the tree of target %s", r->target.name);
	if (!rc && r->policy.present)
		tree_blob(&out->policy_blob, tree, POLICY_PATH);
	if (!rc && r->policy.present)
		tree_blob(&out->signers_blob, tree, r->policy.allowed_signers_path);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int attest_counted(const struct judged_record *jr)
{
	return !jr->problem && jr->record.verdict == VERDICT_APPROVE;
}

unsigned attest_parties(const struct evaluation *ev)
{
	unsigned n = 0;

	for (size_t i = 0; i < ev->records_nr; i++)
		n += attest_counted(&ev->records[i]);
	return n;
}

/* key: {"gitCommit": "<hex>"} (algorithm one of in-toto's DigestSet names). */
static void digest(struct json *j, const char *key, const char *algorithm, const git_oid *id)
{
	char hex[HEX_SIZE];

	json_object_begin(j, key);
	json_string(j, algorithm, git_oid_tostr(hex, sizeof(hex), id));
	json_object_end(j);
}

static void sha256_hex(char out[65], const char *data, size_t len)
{
	unsigned char md[32];

	sigparse_sha256(md, data, len);
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The SHA-256 of a record's line as revq-notes(5) writes it: which record counted. */
static void record_digest(char out[65], const struct record *rec)
{
	struct strbuf line = STRBUF_INIT;

	record_format(&line, rec);
	sha256_hex(out, line.buf, line.len);
	strbuf_release(&line);
}

static void subject(struct json *j, const struct attest_facts *f)
{
	json_array_begin(j, "subject");
	json_object_begin(j, NULL);
	json_string(j, "name", f->repository);
	/* Only the commit: digests match when ANY field does, and a tree is shared by many commits. */
	digest(j, "digest", "gitCommit", &f->item->id);
	json_object_end(j);
	json_array_end(j);
}

static void statement_begin(struct json *j, const struct attest_facts *f, const char *type)
{
	json_object_begin(j, NULL);
	json_string(j, "_type", ATTEST_STATEMENT_TYPE);
	subject(j, f);
	json_string(j, "predicateType", type);
	json_object_begin(j, "predicate");
}

static void statement_end(struct json *j)
{
	json_object_end(j);
	json_object_end(j);
}

static void verifier(struct json *j)
{
	json_object_begin(j, "verifier");
	json_string(j, "id", ATTEST_VERIFIER_ID);
	json_object_begin(j, "version");
	json_string(j, "revq", PACKAGE_VERSION);
	json_object_end(j);
	json_object_end(j);
}

static void requirement(struct json *j, const struct evaluation *ev)
{
	struct strbuf needs = STRBUF_INIT;

	requirement_describe(&needs, &ev->requirement);
	json_object_begin(j, "requirement");
	json_string(j, "needs", needs.buf);
	json_int(j, "approvals", ev->requirement.approvals);
	json_string(j, "level", level_name(ev->requirement.level));
	json_strvec(j, "reasons", &ev->requirement.why);
	json_bool(j, "met", 1);
	json_object_end(j);
	strbuf_release(&needs);
}

static void approval(struct json *j, const struct attest_facts *f, const struct judged_record *jr)
{
	const struct policy *p = &f->review->policy;
	char when[32], hex[HEX_SIZE], sha[65];

	json_object_begin(j, NULL);
	json_object_begin(j, "reviewer");
	json_string(j, "name", jr->record.reviewer_name);
	json_string(j, "email", jr->record.reviewer_email);
	json_string(j, "person", jr->person >= 0 && (size_t)jr->person < p->persons_nr
				 ? p->persons[jr->person].name : NULL);
	json_object_end(j);
	json_string(j, "level", level_name(jr->level));
	json_string(j, "key", jr->key);
	json_string(j, "signatureFormat", jr->record.sig_format);
	record_format_time(when, sizeof(when), jr->record.time);
	json_string(j, "time", when);
	if (jr->carried)
		json_string(j, "carriedFrom", git_oid_tostr(hex, sizeof(hex), &jr->record.commit));
	if (jr->record.series) {
		json_object_begin(j, "series");
		json_string(j, "base", git_oid_tostr(hex, sizeof(hex), &jr->record.base));
		json_string(j, "tip", git_oid_tostr(hex, sizeof(hex), &jr->record.commit));
		json_object_end(j);
	}
	record_digest(sha, &jr->record);
	json_object_begin(j, "record");
	json_string(j, "sha256", sha);
	json_object_end(j);
	json_object_end(j);
}

/* A file of the target's tree: where it came from and its blob. */
static void tree_file(struct json *j, const char *key, const char *origin, const git_oid *blob)
{
	json_object_begin(j, key);
	json_string(j, "origin", origin);
	if (!git_oid_is_zero(blob))
		digest(j, "digest", "gitBlob", blob);
	json_object_end(j);
}

void attest_review(struct strbuf *out, const struct attest_facts *f)
{
	const struct review *r = f->review;
	const struct evaluation *ev = f->ev;
	char hex[HEX_SIZE];
	struct json j;

	json_init(&j, out, 0);
	statement_begin(&j, f, ATTEST_REVIEW_TYPE);
	json_string(&j, "commit", git_oid_tostr(hex, sizeof(hex), &f->item->id));
	json_string(&j, "tree", git_oid_tostr(hex, sizeof(hex), &f->item->tree));
	json_string(&j, "subject", f->item->subject);
	json_object_begin(&j, "target");
	json_string(&j, "ref", r->target.refname ? r->target.refname : r->target.name);
	json_string(&j, "commit", git_oid_tostr(hex, sizeof(hex), &r->target.id));
	json_object_end(&j);
	tree_file(&j, "policy", r->policy.origin, &f->policy_blob);
	/* Not from the tree: a path of this machine, named by its setting instead. */
	if (r->policy.allowed_origin)
		tree_file(&j, "allowedSigners", git_oid_is_zero(&f->signers_blob) ? "gpg.ssh.allowedSignersFile"
			  : r->policy.allowed_origin, &f->signers_blob);
	json_object_begin(&j, "decisions");
	json_string(&j, "ref", r->notes_ref);
	if (r->notes_exist)
		digest(&j, "digest", "gitCommit", &r->notes_tip);
	json_object_end(&j);
	json_int(&j, "risk", f->item->risk);
	json_string(&j, "authorLevel", level_name(ev->author_level));
	requirement(&j, ev);
	json_array_begin(&j, "approvals");
	for (size_t i = 0; i < ev->records_nr; i++)
		if (attest_counted(&ev->records[i]))
			approval(&j, f, &ev->records[i]);
	json_array_end(&j);
	json_int(&j, "parties", attest_parties(ev));
	verifier(&j);
	statement_end(&j);
	json_release(&j);
}

static void vsa_policy(struct json *j, const struct attest_facts *f)
{
	struct strbuf uri = STRBUF_INIT;
	char hex[HEX_SIZE];

	json_object_begin(j, "policy");
	if (git_oid_is_zero(&f->policy_blob)) {
		json_string(j, "uri", "https://revq.dev/policy/default");
	} else {
		strbuf_addf(&uri, "%s@%s#%s", f->repository,
			    git_oid_tostr(hex, sizeof(hex), &f->review->target.id), POLICY_PATH);
		json_string(j, "uri", uri.buf);
		digest(j, "digest", "gitBlob", &f->policy_blob);
	}
	json_object_end(j);
	strbuf_release(&uri);
}

/* Each counted decision record, by the SHA-256 of its line, named by the note that holds it. */
static void vsa_inputs(struct json *j, const struct attest_facts *f)
{
	struct strbuf name = STRBUF_INIT;
	char hex[HEX_SIZE], sha[65];

	json_array_begin(j, "inputAttestations");
	for (size_t i = 0; i < f->ev->records_nr; i++) {
		const struct judged_record *jr = &f->ev->records[i];

		if (!attest_counted(jr))
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "%s:%s", f->review->notes_ref, git_oid_tostr(hex, sizeof(hex), &jr->noted_on));
		record_digest(sha, &jr->record);
		json_object_begin(j, NULL);
		json_string(j, "name", name.buf);
		json_object_begin(j, "digest");
		json_string(j, "sha256", sha);
		json_object_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	strbuf_release(&name);
}

/*
 * SLSA v1.2's Source track: revq verifies neither the history controls
 * of level 2 nor the enforced branch controls of level 3, so it claims
 * level 1 (a git revision) and, as a verified property, two-party review.
 */
static void vsa_levels(struct json *j, const struct evaluation *ev)
{
	json_array_begin(j, "verifiedLevels");
	json_string(j, NULL, "SLSA_SOURCE_LEVEL_1");
	if (attest_parties(ev) >= 2)
		json_string(j, NULL, "SLSA_SOURCE_TWO_PARTY_REVIEWED");
	json_string(j, NULL, "ORG_SOURCE_REVQ_POLICY_MET");
	json_array_end(j);
}

static void vsa_properties(struct json *j, const struct attest_facts *f)
{
	const struct review *r = f->review;
	struct strbuf needs = STRBUF_INIT;
	char hex[HEX_SIZE];

	json_string(j, ATTEST_PROPERTY_PREFIX "targetRef", r->target.refname ? r->target.refname : r->target.name);
	json_string(j, ATTEST_PROPERTY_PREFIX "targetCommit", git_oid_tostr(hex, sizeof(hex), &r->target.id));
	requirement_describe(&needs, &f->ev->requirement);
	json_string(j, ATTEST_PROPERTY_PREFIX "requirement", needs.buf);
	json_int(j, ATTEST_PROPERTY_PREFIX "approvals", attest_parties(f->ev));
	json_array_begin(j, ATTEST_PROPERTY_PREFIX "reviewerKeys");
	for (size_t i = 0; i < f->ev->records_nr; i++)
		if (attest_counted(&f->ev->records[i]))
			json_string(j, NULL, f->ev->records[i].key);
	json_array_end(j);
	json_int(j, ATTEST_PROPERTY_PREFIX "risk", f->item->risk);
	strbuf_release(&needs);
}

void attest_vsa(struct strbuf *out, const struct attest_facts *f)
{
	char when[32];
	struct json j;

	json_init(&j, out, 0);
	statement_begin(&j, f, ATTEST_VSA_TYPE);
	verifier(&j);
	record_format_time(when, sizeof(when), f->now);
	json_string(&j, "timeVerified", when);
	json_string(&j, "resourceUri", f->repository);
	vsa_policy(&j, f);
	vsa_inputs(&j, f);
	json_string(&j, "verificationResult", "PASSED");
	vsa_levels(&j, f->ev);
	json_string(&j, "slsaVersion", "1.2");
	vsa_properties(&j, f);
	statement_end(&j);
	json_release(&j);
}

void attest_pae(struct strbuf *out, const char *type, const char *body, size_t len)
{
	strbuf_addf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
	strbuf_add(out, body, len);
}

void attest_envelope(struct strbuf *out, const char *statement, size_t len, const char *keyid,
		     const char *sig)
{
	char *payload = sigparse_base64_encode((const unsigned char *)statement, len, 1);
	struct json j;

	json_init(&j, out, 0);
	json_object_begin(&j, NULL);
	json_string(&j, "payloadType", ATTEST_PAYLOAD_TYPE);
	json_string(&j, "payload", payload);
	json_array_begin(&j, "signatures");
	json_object_begin(&j, NULL);
	json_string(&j, "keyid", keyid);
	json_string(&j, "sig", sig);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_release(&j);
	free(payload);
}

/* Appends s[0, len) in lower case. */
static void add_lower(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		strbuf_addch(out, (char)tolower((unsigned char)s[i]));
}

/* "scheme://[user[:password]@]host/path": credentials dropped (a user name is kept for ssh). */
static void add_url(struct strbuf *out, const char *url, const char *authority)
{
	size_t scheme = (size_t)(authority - url);
	const char *end = authority + strcspn(authority, "/?#");
	const char *at = memchr(authority, '@', (size_t)(end - authority));
	const char *host = at ? at + 1 : authority;

	add_lower(out, url, scheme);
	if (at && !strncmp(url, "ssh:", 4)) {
		const char *colon = memchr(authority, ':', (size_t)(at - authority));

		strbuf_add(out, authority, (size_t)((colon ? colon : at) - authority));
		strbuf_addch(out, '@');
	}
	add_lower(out, host, (size_t)(end - host));
	strbuf_addstr(out, end);
}

void attest_repository_uri(struct strbuf *out, const char *url, const char *path)
{
	const char *authority = url ? strstr(url, "://") : NULL;
	const char *colon = url ? strchr(url, ':') : NULL;

	if (!url || !*url) {
		size_t len = strlen(path);

		strbuf_addstr(out, "git+file://");
		strbuf_add(out, path, len > 1 && path[len - 1] == '/' ? len - 1 : len);
		return;
	}
	if (strncmp(url, "git+", 4))
		strbuf_addstr(out, "git+");
	if (authority) {
		add_url(out, url, authority + 3);
	} else if (colon && !memchr(url, '/', (size_t)(colon - url))) {
		/* scp-like user@host:path, as git reads it */
		strbuf_addstr(out, "ssh://");
		add_lower(out, url, (size_t)(colon - url));
		strbuf_addch(out, '/');
		strbuf_addstr(out, colon + 1);
	} else {
		strbuf_addstr(out, "file://");
		strbuf_addstr(out, url);
	}
}
