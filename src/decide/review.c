/*
 * review.c: judging the decisions recorded on a commit under the policy
 * of the target.  This is what `revq verify` trusts, so every rule fails
 * closed: an unverifiable record counts for nothing.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fnmatch.h>

#include "base/clock.h"
#include "judge/analyze.h"
#include "base/error.h"
#include "base/oidmap.h"
#include "queue/queue.h"
#include "decide/review.h"
#include "decide/series.h"
#include "sign/sigparse.h"

/* A record dated further ahead than this is refused: it would outrank every real one. */
#define RECORD_CLOCK_SKEW (5 * 60)
/* Signatures checked per commit at most; beyond it, records are not counted. */
#define MAX_CHECKS_PER_COMMIT 256

#define NONE ((size_t)-1)

/* One line of a note that is, or claims to be, a record: read and parsed once per notes load. */
struct noted {
	char *line;               /* owned */
	git_oid noted_on;         /* the commit whose note holds it */
	git_oid key;              /* the line's hash: judged once, and the key of its cached verification */
	int malformed;            /* claims to be a record but does not parse; record unset */
	struct record record;     /* owned */
	size_t next_same_patch;   /* the next record (in notes order) with the same patch-id, or NONE */
};

/* Where the records of one cheap key are noted: enough to tell whether any is on another commit. */
struct noted_where {
	int any;
	git_oid first_on;         /* the commit whose note holds the first of them */
	int elsewhere;            /* another of them is noted on another commit */
};

/*
 * Every note line of a review, and the carry-over candidates (every
 * record) found by exact identity, not by a scan per item.  An item's
 * exact identity is worth computing only when a candidate noted on
 * another commit could match it, which the cheap key tells: the set of
 * paths its commit changes (analyze_changed_paths()), read from trees
 * without a blob.  A candidate whose commit cannot be read matches every
 * item, as every candidate did before.
 */
struct noted_index {
	struct noted *v;          /* owned: by notes entry, each entry's lines in note order */
	size_t nr, alloc;
	size_t *first;            /* owned: notes entry i holds v[first[i]] .. v[first[i + 1] - 1] */
	size_t records;           /* lines that parse: the carry-over candidates */
	size_t *series_at;        /* owned: the indices in v of the series records (revq-series1) */
	size_t series_records, series_alloc;
	struct oidmap by_patch;   /* owned: patch-id -> the first record claiming it */
	int keys_built;           /* the three below are filled */
	struct oidmap by_paths;   /* owned: path key -> its index in slots */
	struct noted_where *slots; /* owned: where the records of each path key are noted */
	size_t slots_nr;
	struct noted_where unknown; /* ... the records whose commit's paths cannot be read */
};

const char *problem_text(enum problem p)
{
	switch (p) {
	case PROBLEM_UNSIGNED: return "unsigned";
	case PROBLEM_BAD_SIGNATURE: return "bad signature";
	case PROBLEM_UNKNOWN_SIGNER: return "unknown signer";
	case PROBLEM_NOT_REVIEWER: return "signer is not the reviewer";
	case PROBLEM_OTHER_COMMIT: return "record made for another commit";
	case PROBLEM_SELF_APPROVAL: return "self-approval";
	case PROBLEM_LEVEL: return "level too low";
	case PROBLEM_SUPERSEDED: return "superseded by a later record";
	case PROBLEM_UNCHECKED: return "signature could not be checked";
	case PROBLEM_FUTURE: return "dated in the future";
	case PROBLEM_TOO_MANY: return "too many records to check";
	case PROBLEM_REVERTED: return "the approved commit was reverted";
	case PROBLEM_EXPIRED: return "key not valid at this time";
	default: return "valid";
	}
}

/* ---- the notes, read once ---- */

static void noted_index_free(struct noted_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nr; i++) {
		free(x->v[i].line);
		if (!x->v[i].malformed)
			record_release(&x->v[i].record);
	}
	free(x->v);
	free(x->series_at);
	free(x->first);
	oidmap_clear(&x->by_patch);
	oidmap_clear(&x->by_paths);
	free(x->slots);
	free(x);
}

/* Adds one line of the note on noted_on (lines that are no record at all are left out). */
static void index_line(struct noted_index *x, const char *p, size_t len, const git_oid *noted_on)
{
	struct record rec;
	struct noted *n;
	int rc = record_parse(&rec, p, len);

	if (rc == REVQ_ENOTFOUND)
		return;
	error_clear();
	ALLOC_GROW(x->v, x->nr + 1, x->alloc);
	n = &x->v[x->nr++];
	memset(n, 0, sizeof(*n));
	n->line = xstrndup(p, len);
	git_oid_cpy(&n->noted_on, noted_on);
	git_odb_hash(&n->key, n->line, len, GIT_OBJECT_BLOB);
	n->malformed = rc != 0;
	n->next_same_patch = NONE;
	if (!rc) {
		n->record = rec;
		x->records++;
		if (rec.series) {
			ALLOC_GROW(x->series_at, x->series_records + 1, x->series_alloc);
			x->series_at[x->series_records++] = x->nr - 1;
		}
	}
}

/* Chains every record by patch-id, in notes order (built backwards, each put at the head). */
static void index_patch_ids(struct noted_index *x)
{
	for (size_t i = x->nr; i-- > 0;) {
		struct noted *n = &x->v[i];
		size_t head;

		if (n->malformed)
			continue;
		n->next_same_patch = oidmap_get(&x->by_patch, &n->record.patch_id, &head) ? head : NONE;
		oidmap_put(&x->by_patch, &n->record.patch_id, i);
	}
}

static struct noted_index *noted_index(struct review *r)
{
	struct strbuf text = STRBUF_INIT;
	struct noted_index *x;

	if (r->noted)
		return r->noted;
	x = r->noted = xcalloc(1, sizeof(*x));
	x->first = xcalloc(r->notes->nr + 1, sizeof(*x->first));
	for (size_t i = 0; i < r->notes->nr; i++) {
		const git_oid *object = &r->notes->entries[i].object;
		struct lines it;
		const char *p;
		size_t n;

		x->first[i] = x->nr;
		strbuf_reset(&text);
		if (notes_read(&text, r->notes, object))
			continue;
		it = (struct lines)LINES_INIT(text.buf, text.len);
		while (lines_next(&it, &p, &n))
			index_line(x, p, n, object);
	}
	x->first[r->notes->nr] = x->nr;
	strbuf_release(&text);
	index_patch_ids(x);
	return x;
}

/* The lines of the note on object: [*from, *to). */
static void noted_lines(size_t *from, size_t *to, struct review *r, const git_oid *object)
{
	struct noted_index *x = noted_index(r);
	size_t entry;

	*from = *to = 0;
	if (oidmap_get(&r->notes->index, object, &entry)) {
		*from = x->first[entry];
		*to = x->first[entry + 1];
	}
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define FNV_OFFSET 14695981039346656037ULL

/* h with the n bytes at p added (64-bit FNV-1a). */
static uint64_t fnv_add(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
	return h;
}

/*
 * The cheap key of a change: a 64-bit FNV-1a hash of the set of paths it
 * changes (sorted, each once).  Two changes with one exact identity have
 * one key; two keys alike only cost computing the identity.
 */
static void path_key(git_oid *out, const struct strvec *paths)
{
	const char **v = xcalloc(paths->nr ? paths->nr : 1, sizeof(*v));
	uint64_t h = FNV_OFFSET;
	size_t distinct = 0;

	if (paths->nr) {   /* memcpy and qsort of NULL are undefined, even for no elements */
		memcpy(v, paths->v, paths->nr * sizeof(*v));
		qsort(v, paths->nr, sizeof(*v), compare_paths);
	}
	for (size_t i = 0; i < paths->nr; i++) {
		if (i && !strcmp(v[i - 1], v[i]))
			continue;
		distinct++;
		h = fnv_add(h, v[i], strlen(v[i]) + 1);
	}
	memset(out, 0, sizeof(*out));
	memcpy(out->id, &h, sizeof(h));
	memcpy(out->id + sizeof(h), &distinct, sizeof(distinct));
	free(v);
}

const struct item *review_known_item(struct review *r, const git_oid *id)
{
	size_t at;

	if (r->known_nr && !r->known_index.nr)
		for (size_t i = 0; i < r->known_nr; i++)
			oidmap_put(&r->known_index, &r->known[i]->id, i);
	return oidmap_get(&r->known_index, id, &at) ? r->known[at] : NULL;
}

/*
 * The cheap key of a commit: from its item when review_apply() holds it
 * analysed, else from its trees; REVQ_ERROR when they cannot be read.
 */
static int commit_path_key(git_oid *out, struct review *r, const git_oid *id)
{
	struct strvec paths = STRVEC_INIT;
	const struct item *known = review_known_item(r, id);
	git_commit *commit;
	int rc;

	if (known && known->analyzed) {
		path_key(out, &known->paths);
		return 0;
	}
	if (git_commit_lookup(&commit, r->session->repo->git, id)) {
		git_error_clear();
		return REVQ_ERROR;
	}
	rc = analyze_changed_paths(&paths, r->session->repo->git, commit);
	git_commit_free(commit);
	if (!rc)
		path_key(out, &paths);
	else
		error_clear();
	strvec_clear(&paths);
	return rc;
}

/* Notes that a record with some cheap key is noted on noted_on. */
static void slot_note(struct noted_where *slot, const git_oid *noted_on)
{
	if (!slot->any) {
		slot->any = 1;
		git_oid_cpy(&slot->first_on, noted_on);
	} else if (!git_oid_equal(&slot->first_on, noted_on)) {
		slot->elsewhere = 1;
	}
}

/* Is some record of the slot noted on another commit than id? */
static int slot_elsewhere(const struct noted_where *slot, const git_oid *id)
{
	return slot->any && (slot->elsewhere || !git_oid_equal(&slot->first_on, id));
}

/* Every candidate's cheap key: the paths its record's commit changes, each commit read once. */
static void index_path_keys(struct noted_index *x, struct review *r)
{
	struct oidmap memo = OIDMAP_INIT;   /* commit -> 1 + its slot, 0 when unreadable */

	x->keys_built = 1;
	x->slots = xcalloc(x->nr ? x->nr : 1, sizeof(*x->slots));
	for (size_t i = 0; i < x->nr; i++) {
		struct noted *n = &x->v[i];
		size_t k;

		if (n->malformed)
			continue;
		if (n->record.series) {
			/* its key would be the combined change's, not its tip's: it may match anything */
			slot_note(&x->unknown, &n->noted_on);
			continue;
		}
		if (!oidmap_get(&memo, &n->record.commit, &k)) {
			git_oid key;

			k = 0;
			if (!commit_path_key(&key, r, &n->record.commit)) {
				if (!oidmap_get(&x->by_paths, &key, &k)) {
					k = x->slots_nr++;
					oidmap_put(&x->by_paths, &key, k);
				}
				k++;
			}
			oidmap_put(&memo, &n->record.commit, k);
		}
		slot_note(k ? &x->slots[k - 1] : &x->unknown, &n->noted_on);
	}
	oidmap_clear(&memo);
}

/* ---- opening ---- */

int review_open(struct review **out, struct session *s, const char *target, const char *notes_ref)
{
	struct review *r = xcalloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	r->session = s;
	r->notes_ref = xstrdup(notes_ref ? notes_ref : s->repo->settings.notes_ref);
	r->valid_from = INT64_MIN;
	r->valid_until = INT64_MAX;
	if ((rc = repo_find_target(&r->target, s->repo, target)) ||
	    (rc = notes_resolve(&r->notes_tip, &r->notes_exist, s->repo->git, r->notes_ref)) ||
	    ((rc = policy_load(&r->policy, s->repo->git, &r->target.id, r->target.name,
			       &s->repo->settings)) &&
	     (rc = error_wrap(rc, "policy error"))) ||
	    (rc = verifier_init(&r->verifier, &s->repo->settings, r->policy.allowed_signers,
				r->policy.allowed_origin))) {
		review_free(r);
		return rc;
	}
	r->context = xstrdup(r->verifier.context_hash);
	allowed_signers_principals(&r->signer_patterns, r->verifier.allowed_signers);
	*out = r;
	return 0;
}

int review_load_notes(struct review *r)
{
	return r->notes ? 0 : notes_load_tip(&r->notes, r->session->repo->git, &r->notes_tip, r->notes_exist);
}

int review_each_record(struct review *r, int (*fn)(const struct record *rec, const git_oid *noted_on, void *data),
		       void *data)
{
	struct noted_index *x;
	int rc;

	if ((rc = review_load_notes(r)))
		return rc;
	x = noted_index(r);
	for (size_t i = 0; i < x->nr && !rc; i++)
		if (!x->v[i].malformed)
			rc = fn(&x->v[i].record, &x->v[i].noted_on, data);
	return rc;
}

void review_mark_unknown(struct item *const *items, size_t nr, const char *why)
{
	for (size_t i = 0; i < nr; i++) {
		struct item *it = items[i];
		struct strbuf detail = STRBUF_INIT;

		item_reset_review(it);
		it->status = ITEM_UNKNOWN;
		strbuf_addf(&detail, "unknown: %s", why);
		it->status_detail = strbuf_detach(&detail, NULL);
	}
}

int review_reload_notes(struct review *r)
{
	struct notes *fresh = NULL;
	git_oid tip;
	int exists, rc = notes_resolve(&tip, &exists, r->session->repo->git, r->notes_ref);

	if (!rc)
		rc = notes_load_tip(&fresh, r->session->repo->git, &tip, exists);
	if (!rc) {
		notes_free(r->notes);
		r->notes = fresh;
		git_oid_cpy(&r->notes_tip, &tip);
		r->notes_exist = exists;
		noted_index_free(r->noted);
		r->noted = NULL;
	}
	return rc;
}

void review_free(struct review *r)
{
	if (!r)
		return;
	noted_index_free(r->noted);
	notes_free(r->notes);
	git_revwalk_free(r->target_walk);
	oidmap_clear(&r->reverted);
	oidmap_clear(&r->known_index);
	strvec_clear(&r->signer_patterns);
	strvec_clear(&r->mailmap_pairs);
	for (size_t i = 0; i < r->authors_nr; i++) {
		strvec_clear(&r->authors[i].self);
		strvec_clear(&r->authors[i].identities);
	}
	free(r->authors);
	oidmap_clear(&r->author_index);
	series_cache_free(r->series_read);
	free(r->heads);
	policy_release(&r->policy);
	verifier_release(&r->verifier);
	target_release(&r->target);
	free(r->notes_ref);
	free(r->context);
	free(r);
}

/* ---- helpers ---- */

int review_patch_id(git_oid *out, struct session *s, const git_oid *id)
{
	git_commit *commit;
	int rc;

	if (!cache_get_patch_id(out, s->cache, id))
		return 0;
	if (git_commit_lookup(&commit, s->repo->git, id))
		return error_set_git(REVQ_ERROR, "cannot read commit %s", git_oid_tostr_s(id));
	rc = analyze_patch_id(out, s->repo->git, commit);
	git_commit_free(commit);
	if (!rc)
		cache_put_patch_id(s->cache, id, out);
	return rc;
}

/*
 * OpenPGP trust lives in the keyring, not in a file we hold: fold a
 * listing of it into the cache context, once, the first time it matters.
 */
static void add_gpg_context(struct review *r)
{
	struct strbuf ctx = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid hash;

	if (r->gpg_context_known)
		return;
	r->gpg_context_known = 1;
	strbuf_addf(&ctx, "%s\n", r->context);
	if (verifier_list_keys(&ctx, &r->verifier, NULL))
		strbuf_addstr(&ctx, "(no keyring)");
	git_odb_hash(&hash, ctx.buf, ctx.len, GIT_OBJECT_BLOB);
	free(r->context);
	r->context = xstrdup(git_oid_tostr(hex, sizeof(hex), &hash));
	strbuf_release(&ctx);
}

/* ---- the clock bounds of what is judged ---- */

/*
 * An answer just judged is one thing while now < t and another from t
 * on: the outcomes hold while now stays on the side of t it is on.
 */
static void note_bound(struct review *r, int64_t t)
{
	int64_t now = clock_now();

	if (t <= now) {
		if (t > r->valid_from)
			r->valid_from = t;
	} else if (t < r->valid_until) {
		r->valid_until = t;
	}
}

/* A key's window as sig_status_now() checks it: counts from valid_after, up to and including valid_before. */
static void note_window(struct review *r, const struct sig_identity *id)
{
	if (id->valid_after)
		note_bound(r, id->valid_after);
	if (id->valid_before)
		note_bound(r, id->valid_before < INT64_MAX ? id->valid_before + 1 : INT64_MAX);
}

enum sig_status review_verify(struct sig_identity *id, struct review *r, const git_oid *key,
			      const struct record *rec, const char *payload, size_t len)
{
	struct strbuf own = STRBUF_INIT;
	int64_t now = clock_now();
	enum sig_status st;
	int status;

	if (rec->sig_format && !strcmp(rec->sig_format, "openpgp"))
		add_gpg_context(r);
	if (!cache_get_verification(&status, id, r->session->cache, key, r->context)) {
		st = sig_status_now((enum sig_status)status, id, now);
		id->verifier = "cache";
	} else {
		if (!payload) {
			record_payload(&own, rec);
			payload = own.buf;
			len = own.len;
		}
		st = verify_signed(id, &r->verifier, rec, payload, len, now);
		/* A tool that could not run says nothing about the record; ask again next time. */
		if (id->timeless != SIG_ERROR && st != SIG_ERROR)
			cache_put_verification(r->session->cache, key, r->context, id->timeless, id);
		if (id->timeless == SIG_ERROR || st == SIG_ERROR || !id->cacheable)
			r->uncacheable = 1;
	}
	if (id->timeless == SIG_GOOD)
		note_window(r, id);
	strbuf_release(&own);
	return st;
}

/* Verifies rec (key: the hash of its line) into jr: the signature status, the signing key and its principals. */
static enum sig_status check_signature(struct judged_record *jr, struct review *r, const git_oid *key,
				       const struct record *rec)
{
	struct sig_identity id;
	enum sig_status st = review_verify(&id, r, key, rec, NULL, 0);

	jr->signer = id.signer;
	jr->key = id.key;
	jr->verifier = id.verifier;
	id.signer = id.key = NULL;
	strvec_move(&jr->principals, &id.principals);
	sig_identity_release(&id);
	return st;
}

static enum problem problem_of(enum sig_status s)
{
	switch (s) {
	case SIG_GOOD: return PROBLEM_NONE;
	case SIG_UNSIGNED: return PROBLEM_UNSIGNED;
	case SIG_BAD: return PROBLEM_BAD_SIGNATURE;
	case SIG_UNKNOWN_SIGNER: return PROBLEM_UNKNOWN_SIGNER;
	case SIG_NOT_REVIEWER: return PROBLEM_NOT_REVIEWER;
	case SIG_EXPIRED: return PROBLEM_EXPIRED;
	default: return PROBLEM_UNCHECKED;
	}
}

/* ---- collecting records ---- */

struct judging {
	struct review *review;
	const struct item *item;
	struct evaluation *ev;
	git_oid patch_id;
	int have_patch_id;
	struct strvec self;       /* author, committer and co-author emails */
	const struct strvec *signer_self; /* not owned: the commit signer's principals (authorship), or NULL */
	int self_loaded;
	int self_failed;          /* the identities could not all be read: everyone is self */
	struct oidmap seen;       /* hashes of the record lines judged, to judge each once */
	size_t checked;           /* signatures checked for this commit */
	int used_heads;           /* the branches being judged were read (next_branch_of()) */
};

static int item_patch_id(struct judging *j)
{
	int rc;

	if (j->have_patch_id)
		return 0;
	if ((rc = review_patch_id(&j->patch_id, j->review->session, &j->item->id)))
		return rc;
	j->have_patch_id = 1;
	return 0;
}

/* The same record can be found twice: in this commit's note and copied elsewhere. */
static int already_judged(struct judging *j, const git_oid *key)
{
	size_t unused;

	if (oidmap_get(&j->seen, key, &unused))
		return 1;
	oidmap_put(&j->seen, key, 1);
	return 0;
}

/*
 * ssh allowed signers name principals by patterns (ssh-keygen(1)): when
 * no pattern could match the reviewer, no signature by that reviewer can
 * verify, and no ssh-keygen need run.  Conservative: negated patterns
 * are left out, so "could match" errs towards checking.
 */
static int allowed_signers_may_name(const struct review *r, const char *email)
{
	for (size_t i = 0; i < r->signer_patterns.nr; i++)
		if (!fnmatch(r->signer_patterns.v[i], email, FNM_CASEFOLD))
			return 1;
	return 0;
}

/*
 * Could this record fill any need?  Its person is known from its address
 * when the address is a person's (a key of another person is refused
 * later), or when no person lists a key; else the key may still name one.
 */
static int record_may_count(const struct judging *j, const struct judged_record *jr)
{
	const struct policy *p = &j->review->policy;
	struct approver who = { jr->person, jr->level };

	if (jr->person < 0)
		for (size_t i = 0; i < p->persons_nr; i++)
			if (p->persons[i].keys.nr)
				return 1;
	return requirement_accepts(&j->ev->requirement, p, &who);
}

/*
 * The person a verified record is: its key's, else its address's.  A key
 * one person lists that signs for another person's address, or a key a
 * person does not list signing for that person (when they list keys), is
 * not the reviewer it names.
 */
static enum problem bind_person(struct judged_record *jr, const struct policy *p)
{
	long by_key = policy_person_by_key(p, jr->key);

	if (by_key >= 0 && jr->person >= 0 && by_key != jr->person)
		return PROBLEM_NOT_REVIEWER;
	if (by_key < 0 && jr->person >= 0 && p->persons[jr->person].keys.nr)
		return PROBLEM_NOT_REVIEWER;
	if (by_key >= 0) {
		jr->person = by_key;
		jr->level = policy_person_level(p, by_key);
	}
	return PROBLEM_NONE;
}

/*
 * What can be known without running a signer: the record's time, the
 * reviewer's level, whether the allowed signers could name them, and
 * how much signature work this commit already cost.  A record that
 * fails here could not count whatever its signature says.
 */
static enum problem cheap_problem(struct judging *j, const struct judged_record *jr)
{
	const struct record *rec = &jr->record;
	const struct review *r = j->review;

	/* rec->time > now + skew, that is now < rec->time - skew */
	note_bound(j->review, rec->time >= INT64_MIN + RECORD_CLOCK_SKEW ? rec->time - RECORD_CLOCK_SKEW : INT64_MIN);
	if (rec->time > clock_now() + RECORD_CLOCK_SKEW)
		return PROBLEM_FUTURE;
	if (!record_may_count(j, jr))
		return PROBLEM_LEVEL;
	if (rec->sig_format && !strcmp(rec->sig_format, "ssh") &&
	    !allowed_signers_may_name(r, rec->reviewer_email))
		return PROBLEM_UNKNOWN_SIGNER;
	if (j->checked >= MAX_CHECKS_PER_COMMIT)
		return PROBLEM_TOO_MANY;
	return PROBLEM_NONE;
}

/* Notes each commit that a message says it reverts, as `git revert` writes it. */
static void note_reverts(struct oidmap *out, const char *message)
{
	static const char marker[] = "This reverts commit ";

	for (const char *p = strstr(message, marker); p; p = strstr(p + 1, marker)) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid id;

		if (strspn(p + sizeof(marker) - 1, "0123456789abcdef") < GIT_OID_HEXSZ)
			continue;
		memcpy(hex, p + sizeof(marker) - 1, GIT_OID_HEXSZ);
		hex[GIT_OID_HEXSZ] = '\0';
		if (!git_oid_fromstr(&id, hex))
			oidmap_put(out, &id, 1);
	}
}

/*
 * 1 when the target reverted commit after time: an approval of a change
 * that was taken back does not carry over to the change applied again.
 * The target's history is read newest first, once, only as far back as
 * the oldest record asked about (less a day of clock skew).
 */
static int reverted_since(struct review *r, const git_oid *commit, int64_t time)
{
	git_oid id;
	size_t unused;

	if (!r->target_walk) {
		r->walked_to = INT64_MAX;
		if (git_revwalk_new(&r->target_walk, r->session->repo->git) ||
		    git_revwalk_sorting(r->target_walk, GIT_SORT_TIME) ||
		    git_revwalk_push(r->target_walk, &r->target.id)) {
			git_error_clear();
			r->uncacheable = 1;   /* unread, not known to be unreverted */
			return 0;
		}
	}
	while (r->walked_to > time - 86400 && !git_revwalk_next(&id, r->target_walk)) {
		git_commit *c;

		if (git_commit_lookup(&c, r->session->repo->git, &id)) {
			r->uncacheable = 1;
			break;
		}
		r->walked_to = git_commit_time(c);
		note_reverts(&r->reverted, git_commit_message(c));
		git_commit_free(c);
	}
	git_error_clear();
	return oidmap_get(&r->reverted, commit, &unused);
}

static int judge_series_record(struct judging *j, struct judged_record *jr);

static int judge_noted(struct judging *j, const struct noted *n, int carried)
{
	struct evaluation *ev = j->ev;
	struct judged_record *jr;
	const struct record *rec;
	int rc = 0;

	if (n->malformed) {
		ev->malformed++;
		return 0;
	}
	if (already_judged(j, &n->key))
		return 0;
	ALLOC_GROW(ev->records, ev->records_nr + 1, ev->records_alloc);
	jr = &ev->records[ev->records_nr++];
	memset(jr, 0, sizeof(*jr));
	record_copy(&jr->record, &n->record);
	rec = &jr->record;
	git_oid_cpy(&jr->noted_on, &n->noted_on);
	jr->carried = carried;
	jr->person = policy_person_by_email(&j->review->policy, rec->reviewer_email);
	jr->level = policy_person_level(&j->review->policy, jr->person);
	if ((jr->problem = cheap_problem(j, jr))) {
		jr->sig = jr->problem == PROBLEM_UNKNOWN_SIGNER ? SIG_UNKNOWN_SIGNER : SIG_ERROR;
		return 0;
	}
	j->checked++;
	jr->sig = check_signature(jr, j->review, &n->key, rec);
	jr->problem = problem_of(jr->sig);
	if (!jr->problem)
		jr->problem = bind_person(jr, &j->review->policy);
	if (jr->problem)
		return 0;
	if (rec->series)
		return judge_series_record(j, jr);
	if (git_oid_equal(&rec->commit, &j->item->id)) {
		if (!git_oid_equal(&rec->tree, &j->item->tree))
			jr->problem = PROBLEM_OTHER_COMMIT;
		return 0;
	}
	/* Made for another commit: only a byte-identical copy of the same change may count. */
	if (!j->review->policy.carry_over_rebase || (rc = item_patch_id(j)))
		jr->problem = PROBLEM_OTHER_COMMIT;
	else if (!git_oid_equal(&rec->patch_id, &j->patch_id))
		jr->problem = PROBLEM_OTHER_COMMIT;
	else if (reverted_since(j->review, &rec->commit, rec->time))
		jr->problem = PROBLEM_REVERTED;
	else
		jr->carried = 1;
	return rc;
}

/* The records of the item's own note, in note order. */
static int judge_own_note(struct judging *j)
{
	struct noted_index *x = noted_index(j->review);
	size_t from, to;
	int rc = 0;

	noted_lines(&from, &to, j->review, &j->item->id);
	for (size_t i = from; i < to && !rc; i++)
		rc = judge_noted(j, &x->v[i], 0);
	return rc;
}

/* The item's cheap key: its cached paths when it was analysed, else read from its trees. */
static int item_path_key(git_oid *out, struct judging *j)
{
	if (j->item->analyzed) {
		path_key(out, &j->item->paths);
		return 0;
	}
	return commit_path_key(out, j->review, &j->item->id);
}

/*
 * Could a record noted on another commit carry over to the item?  Only
 * one whose commit changes the item's paths, or one whose commit cannot
 * be read.  No: the item's identity need not be computed at all.
 */
static int carry_over_possible(struct judging *j, struct noted_index *x)
{
	size_t from, to, slot;
	git_oid key;

	noted_lines(&from, &to, j->review, &j->item->id);
	if (x->records <= to - from) {
		size_t own = 0;

		for (size_t i = from; i < to; i++)
			own += !x->v[i].malformed;
		if (own == x->records)
			return 0;   /* every record is on the item's own note */
	}
	if (j->have_patch_id)
		return 1;
	if (!x->keys_built)
		index_path_keys(x, j->review);
	if (slot_elsewhere(&x->unknown, &j->item->id) || item_path_key(&key, j))
		return 1;
	return oidmap_get(&x->by_paths, &key, &slot) && slot_elsewhere(&x->slots[slot], &j->item->id);
}

/* Records on other commits' notes that claim the item's exact identity, in notes order. */
static int add_carried(struct judging *j)
{
	struct review *r = j->review;
	struct noted_index *x;
	size_t i;
	int rc;

	if (!r->policy.carry_over_rebase || !r->notes->nr)
		return 0;
	x = noted_index(r);
	if (!x->records || !carry_over_possible(j, x))
		return 0;
	if ((rc = item_patch_id(j)))
		return rc;
	if (!oidmap_get(&x->by_patch, &j->patch_id, &i))
		return 0;
	for (; i != NONE && !rc; i = x->v[i].next_same_patch)
		if (!git_oid_equal(&x->v[i].noted_on, &j->item->id))
			rc = judge_noted(j, &x->v[i], 1);
	return rc;
}

/* ---- the rules ---- */

int review_self_identities(struct strvec *out, struct review *r, const git_commit *commit)
{
	if (!r->mailmap_state) {
		r->mailmap_state = item_mailmap_pairs(&r->mailmap_pairs, r->session->repo->git,
						      &r->target.id) ? -1 : 1;
		policy_person_pairs(&r->mailmap_pairs, &r->policy);
	}
	item_self_identities(out, commit, &r->mailmap_pairs);
	return r->mailmap_state < 0 ? REVQ_ERROR : 0;
}

static void load_self(struct judging *j)
{
	const struct authorship *a;
	git_commit *commit;

	if (j->self_loaded)
		return;
	j->self_loaded = 1;
	a = review_authorship(j->review, j->item);
	if (a->identities.nr || a->identities_failed) {   /* read with the author's level */
		for (size_t i = 0; i < a->identities.nr; i++)
			strvec_push(&j->self, a->identities.v[i]);
		j->self_failed = a->identities_failed;
		return;
	}
	if (git_commit_lookup(&commit, j->review->session->repo->git, &j->item->id)) {
		j->self_failed = 1;
		j->review->uncacheable = 1;
		return;
	}
	if (review_self_identities(&j->self, j->review, commit))
		j->self_failed = j->review->uncacheable = 1;
	git_commit_free(commit);
}

static int is_self(struct judging *j, const char *email)
{
	load_self(j);
	return j->self_failed || item_identity_is_self(&j->self, email);
}

/* Is email, or any address of the policy's person (-1: none), one of self? */
static int person_is_self(const struct strvec *self, const struct policy *p, long person, const char *email)
{
	int is = item_identity_is_self(self, email);

	for (size_t k = 0; !is && person >= 0 && k < p->persons[person].emails.nr; k++)
		is = item_identity_is_self(self, p->persons[person].emails.v[k]);
	return is;
}

int review_person_is_self(const struct strvec *self, const struct policy *p, long person, const char *email)
{
	return person_is_self(self, p, person, email);
}

/* Does a principal (an address, or an ssh pattern) name identity (an address, or a pattern)? */
static int names_identity(const char *principal, const char *identity)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int same;

	if (strpbrk(principal, "*?[") || strpbrk(identity, "*?["))
		return !fnmatch(principal, identity, FNM_CASEFOLD) || !fnmatch(identity, principal, FNM_CASEFOLD);
	identity_normalize_email(&a, principal);
	identity_normalize_email(&b, identity);
	same = a.len && !strcmp(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	return same;
}

/* Does a principal of the key that signed jr name one of self? */
static int principals_name_self(const struct strvec *self, const struct judged_record *jr)
{
	for (size_t p = 0; p < jr->principals.nr; p++) {
		const char *principal = jr->principals.v[p];

		if (!strpbrk(principal, "*?[")) {
			if (item_identity_is_self(self, principal))
				return 1;
			continue;
		}
		for (size_t i = 0; i < self->nr; i++)
			if (!fnmatch(principal, self->v[i], FNM_CASEFOLD))
				return 1;
	}
	return 0;
}

/*
 * A reviewer is a key: the record is the author's own when its address
 * or any principal of the key that signed it names an author, the
 * committer or a co-author (principals are ssh patterns; an OpenPGP
 * address with pattern characters only widens what counts as self).
 */
static int record_is_self(struct judging *j, const struct judged_record *jr)
{
	const struct policy *pol = &j->review->policy;

	/* The reviewer's address, or any address of the person the key or address names. */
	if (is_self(j, jr->record.reviewer_email) ||
	    person_is_self(&j->self, pol, jr->person, jr->record.reviewer_email))
		return 1;
	/* The principals of the key that signed a commit whose author did not count. */
	for (size_t i = 0; j->signer_self && i < j->signer_self->nr; i++) {
		const char *who = j->signer_self->v[i];

		if (names_identity(who, jr->record.reviewer_email))
			return 1;
		for (size_t k = 0; k < jr->principals.nr; k++)
			if (names_identity(who, jr->principals.v[k]))
				return 1;
		for (size_t k = 0; jr->person >= 0 && k < pol->persons[jr->person].emails.nr; k++)
			if (names_identity(who, pol->persons[jr->person].emails.v[k]))
				return 1;
	}
	if (principals_name_self(&j->self, jr))
		return 1;
	/* A series record: every author of every commit of the series is self. */
	return jr->series && (series_is_self(jr->series, pol, jr->person, jr->record.reviewer_email) ||
			      principals_name_self(&jr->series->self, jr));
}

/* Does one record's key name the other's reviewer (by address or principal)? */
static int key_names(const struct judged_record *a, const struct judged_record *b)
{
	for (size_t i = 0; i < a->principals.nr; i++) {
		if (!fnmatch(a->principals.v[i], b->record.reviewer_email, FNM_CASEFOLD))
			return 1;
		for (size_t k = 0; k < b->principals.nr; k++)
			if (!strcasecmp(a->principals.v[i], b->principals.v[k]))
				return 1;
	}
	return 0;
}

/*
 * Two records are one reviewer's when they were signed by the same key,
 * are one person of the policy (any of their addresses or keys),
 * name the same reviewer, or when either key names the other's reviewer:
 * a key listed under two principals is still one person.
 */
static int same_reviewer(const struct judged_record *a, const struct judged_record *b)
{
	if (a->key && b->key && !strcmp(a->key, b->key))
		return 1;
	if (a->person >= 0 && a->person == b->person)
		return 1;
	if (!strcasecmp(a->record.reviewer_email, b->record.reviewer_email))
		return 1;
	return key_names(a, b) || key_names(b, a);
}

static size_t group_root(size_t *group, size_t i)
{
	while (group[i] != i)
		i = group[i] = group[group[i]];
	return i;
}

/* Within one second, the verdict that approves least wins: reject, then withdraw, then approve. */
static int caution(enum verdict v)
{
	return v == VERDICT_REJECT ? 2 : v == VERDICT_WITHDRAW ? 1 : 0;
}

/*
 * Does b beat a as the reviewer's word?  Later wins; within one second
 * the more cautious verdict wins (the order of lines in a note is no
 * one's to trust: a merge sorts them), and between two of a kind the
 * later line.
 */
static int beats(const struct judged_record *b, size_t bi, const struct judged_record *a, size_t ai)
{
	if (b->record.time != a->record.time)
		return b->record.time > a->record.time;
	if (b->record.verdict != a->record.verdict)
		return caution(b->record.verdict) > caution(a->record.verdict);
	return bi > ai;
}

/*
 * Each reviewer's latest valid record wins, reviewers being the groups
 * of records that same_reviewer() joins (transitively): approvals are
 * counted by distinct keys and distinct people, never by addresses.
 */
static void keep_latest(struct evaluation *ev)
{
	size_t n = ev->records_nr, *group, *best;

	if (!n)
		return;
	group = xmalloc(n * sizeof(*group));
	best = xmalloc(n * sizeof(*best));
	for (size_t i = 0; i < n; i++)
		group[i] = best[i] = i;
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (!ev->records[i].problem && !ev->records[k].problem &&
			    same_reviewer(&ev->records[i], &ev->records[k]))
				group[group_root(group, k)] = group_root(group, i);
	for (size_t i = 0; i < n; i++) {
		size_t root = group_root(group, i);

		if (!ev->records[i].problem && beats(&ev->records[i], i, &ev->records[best[root]], best[root]))
			best[root] = i;
	}
	for (size_t i = 0; i < n; i++)
		if (!ev->records[i].problem && best[group_root(group, i)] != i)
			ev->records[i].problem = PROBLEM_SUPERSEDED;
	free(group);
	free(best);
}

static void apply_rules(struct judging *j)
{
	struct evaluation *ev = j->ev;

	for (size_t i = 0; i < ev->records_nr; i++) {
		struct judged_record *jr = &ev->records[i];

		if (!jr->problem && jr->record.verdict == VERDICT_APPROVE && record_is_self(j, jr))
			jr->problem = PROBLEM_SELF_APPROVAL;
	}
	keep_latest(ev);
	for (size_t i = 0; i < ev->records_nr; i++) {
		struct judged_record *jr = &ev->records[i];
		struct approver who = { jr->person, jr->level };

		/* A withdrawal counts for nothing whatever the level: it only ends the reviewer's word. */
		if (!jr->problem && jr->record.verdict != VERDICT_WITHDRAW &&
		    !requirement_accepts(&ev->requirement, &j->review->policy, &who))
			jr->problem = PROBLEM_LEVEL;
	}
}

static void describe_problem(struct strbuf *out, const struct judging *j, const struct judged_record *jr)
{
	const char *who = jr->record.reviewer_email;
	const char *what = jr->record.verdict == VERDICT_APPROVE ? "approval" :
			   jr->record.verdict == VERDICT_WITHDRAW ? "withdrawal" : "rejection";
	char id[16];

	strbuf_addf(out, "%s: %s by %s", problem_text(jr->problem), what, who);
	switch (jr->problem) {
	case PROBLEM_UNKNOWN_SIGNER:
		if (jr->record.sig_format && !strcmp(jr->record.sig_format, "openpgp"))
			strbuf_addstr(out, " is not signed by a key in the gpg keyring that is trusted "
				      "at gpg.minTrustLevel");
		else
			strbuf_addf(out, " is not signed by an allowed signer (%s)",
				    j->review->verifier.allowed_origin);
		break;
	case PROBLEM_EXPIRED:
		strbuf_addstr(out, " was signed by a key outside its validity (valid-after, valid-before, "
			      "certificate or key expiry) at the record's time or now");
		break;
	case PROBLEM_NOT_REVIEWER:
		strbuf_addf(out, " was signed by %s", jr->signer ? jr->signer : "someone else");
		break;
	case PROBLEM_OTHER_COMMIT:
		oid_short_id(id, sizeof(id), &jr->record.commit, SHORT_ID_LEN);
		strbuf_addf(out, " was made for %s", id);
		break;
	case PROBLEM_SELF_APPROVAL:
		strbuf_addstr(out, jr->series ? ", an author of a commit of the series" : ", an author of the commit");
		break;
	case PROBLEM_LEVEL:
		strbuf_addf(out, " (%s, needs ", level_name(jr->level));
		requirement_describe(out, &j->ev->requirement);
		strbuf_addch(out, ')');
		break;
	default:
		break;
	}
}

/* The approvers of ev's records that count (no problem, an approval), with one slot to spare.  Caller frees. */
static struct approver *counted_approvers(const struct evaluation *ev, size_t *nr)
{
	struct approver *who = xcalloc(ev->records_nr + 1, sizeof(*who));

	*nr = 0;
	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		if (!jr->problem && jr->record.verdict == VERDICT_APPROVE) {
			who[*nr].person = jr->person;
			who[(*nr)++].level = jr->level;
		}
	}
	return who;
}

static void decide(struct judging *j)
{
	struct evaluation *ev = j->ev;
	struct strbuf sb = STRBUF_INIT, missing = STRBUF_INIT;
	struct requirement_result res = { 0, 0, 0, &missing };
	struct approver *who;
	size_t rejects = 0, nr;

	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		if (jr->problem || jr->record.verdict == VERDICT_WITHDRAW)
			continue;
		if (jr->record.time > ev->decided_at)
			ev->decided_at = jr->record.time;
		if (jr->record.verdict == VERDICT_APPROVE)
			continue;
		rejects++;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "rejected by %s", jr->record.reviewer_email);
		if (*jr->record.comment)
			strbuf_addf(&sb, ": %s", jr->record.comment);
		strvec_push(&ev->failures, sb.buf);
	}
	/* Each approver here is a distinct person: keep_latest() joined each one's records. */
	who = counted_approvers(ev, &nr);
	requirement_count(&res, &ev->requirement, &j->review->policy, who, nr);
	free(who);
	ev->approvals = res.counted;
	if (rejects)
		ev->status = ITEM_REJECTED;
	else if (res.met)
		ev->status = ITEM_APPROVED;
	else
		ev->status = ev->approvals ? ITEM_NEEDS_MORE : ITEM_PENDING;
	if (!res.met) {
		ev->missing = xstrdup(missing.buf);
		for (size_t i = 0; i < ev->records_nr; i++) {
			const struct judged_record *jr = &ev->records[i];

			if (!jr->problem || jr->problem == PROBLEM_SUPERSEDED)
				continue;
			strbuf_reset(&sb);
			describe_problem(&sb, j, jr);
			if (!strvec_contains(&ev->failures, sb.buf))
				strvec_push(&ev->failures, sb.buf);
		}
		if (ev->malformed)
			strvec_pushf(&ev->failures, "malformed record: %zu line%s in the note", ev->malformed,
				     ev->malformed == 1 ? "" : "s");
		strvec_pushf(&ev->failures, "not enough approvals: %u of %u: %s", ev->approvals,
			     ev->requirement.approvals, missing.buf);
	}
	strbuf_release(&missing);
	strbuf_release(&sb);
}

enum level review_author_level(struct review *r, const git_commit *commit)
{
	struct strvec people = STRVEC_INIT;
	const struct policy *p = &r->policy;
	long author = policy_person_by_email(p, git_commit_author(commit)->email);
	enum level level = policy_person_level(p, author);

	item_author_emails(&people, commit);
	/* v[0] is the author, v[1] the committer: the rest are co-authors. */
	for (size_t i = 2; i < people.nr; i++) {
		long co = policy_person_by_email(p, people.v[i]);

		if (co >= 0 && policy_person_level(p, co) < level)
			level = policy_person_level(p, co);
	}
	strvec_clear(&people);
	return author < 0 ? LEVEL_JUNIOR : level;
}

/*
 * requireSignedCommits: does the author count?  Only when the commit's
 * ssh signature verifies for the author's address against the allowed
 * signers and the key is the author's person's (one they list, when they
 * list any).  When not, the signing key's principals go to self.
 */
static int author_signed(struct review *r, const git_commit *commit, struct strvec *self)
{
	const struct policy *p = &r->policy;
	const git_signature *author = git_commit_author(commit);
	long person = policy_person_by_email(p, author->email), by_key;
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	struct sig_identity id;
	enum sig_status st;

	if (git_commit_extract_signature(&sig, &data, r->session->repo->git, (git_oid *)git_commit_id(commit),
					 NULL)) {
		git_error_clear();
		return 0;
	}
	st = verify_commit_ssh(&id, &r->verifier, sig.ptr, data.ptr, data.size, author->email,
			       git_commit_time(commit), clock_now());
	note_window(r, &id);
	if (st == SIG_ERROR)
		r->uncacheable = 1;
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	by_key = policy_person_by_key(p, id.key);
	if (st == SIG_GOOD && person >= 0 && (by_key == person || (by_key < 0 && !p->persons[person].keys.nr))) {
		sig_identity_release(&id);
		return 1;
	}
	for (size_t i = 0; i < id.principals.nr; i++)
		strvec_push(self, id.principals.v[i]);
	sig_identity_release(&id);
	return 0;
}

/*
 * The author's level for item, and under requireSignedCommits the extra
 * "self" of its signer; junior when the commit cannot be read (the
 * strictest tiers).  Judged once per commit and review.
 */
const struct authorship *review_authorship(struct review *r, const struct item *item)
{
	static const struct authorship unknown = { LEVEL_JUNIOR, STRVEC_INIT, STRVEC_INIT, 0 };
	struct authorship *a;
	git_commit *commit;
	size_t at;

	if (!r->policy.persons_nr && !r->policy.require_signed_commits)
		return &unknown;
	if (oidmap_get(&r->author_index, &item->id, &at))
		return &r->authors[at];
	if (git_commit_lookup(&commit, r->session->repo->git, &item->id)) {
		git_error_clear();
		return &unknown;
	}
	ALLOC_GROW(r->authors, r->authors_nr + 1, r->authors_alloc);
	a = &r->authors[r->authors_nr];
	memset(a, 0, sizeof(*a));
	a->level = review_author_level(r, commit);
	if (r->policy.require_signed_commits && !author_signed(r, commit, &a->self))
		a->level = LEVEL_JUNIOR;
	/* the commit is read now: who is "self" comes with it (one lookup, not one per question) */
	a->identities_failed = review_self_identities(&a->identities, r, commit) != 0;
	git_commit_free(commit);
	oidmap_put(&r->author_index, &item->id, r->authors_nr);
	return &r->authors[r->authors_nr++];
}

/*
 * ---- series records (revq-notes(5), "SERIES RECORDS") ----
 *
 * A series record counts for a commit of its series base..tip; for a
 * commit whose own change is byte-identical to the series' combined
 * change (a squash, or a single merge: carried, as by patch identity);
 * and for every commit of a branch being judged whose combined change
 * from its merge base with the target to its tip is byte-identical (the
 * series rebased: carried).  Never for anything else.
 */

/* The known items no other known item has as a parent: the tips of the branches judged. */
static void known_heads(struct review *r)
{
	struct oidmap parents = OIDMAP_INIT;
	size_t unused, alloc = 0;

	if (r->heads_known)
		return;
	r->heads_known = 1;
	for (size_t i = 0; i < r->known_nr; i++) {
		git_commit *c;

		if (git_commit_lookup(&c, r->session->repo->git, &r->known[i]->id))
			continue;
		for (unsigned p = 0; p < git_commit_parentcount(c); p++)
			oidmap_put(&parents, git_commit_parent_id(c, p), 1);
		git_commit_free(c);
	}
	git_error_clear();
	for (size_t i = 0; i < r->known_nr; i++) {
		if (oidmap_get(&parents, &r->known[i]->id, &unused))
			continue;
		ALLOC_GROW(r->heads, r->heads_nr + 1, alloc);
		git_oid_cpy(&r->heads[r->heads_nr++], &r->known[i]->id);
	}
	oidmap_clear(&parents);
}

/*
 * The next branch being judged that holds the item, from head *at on:
 * the series from its merge base with the target to a known head.  0
 * with *out NULL when there is none.
 */
static int next_branch_of(const struct series **out, struct judging *j, size_t *at)
{
	struct review *r = j->review;
	git_repository *repo = r->session->repo->git;

	*out = NULL;
	/* the answer now depends on the branches being judged: its outcome names their tips */
	j->used_heads = 1;
	known_heads(r);
	for (; *at < r->heads_nr; (*at)++) {
		const git_oid *head = &r->heads[*at];
		git_oid base;

		if (!git_oid_equal(head, &j->item->id) && git_graph_descendant_of(repo, head, &j->item->id) != 1)
			continue;
		if (git_merge_base(&base, repo, head, &r->target.id) || git_oid_equal(&base, head) ||
		    review_series(out, r, &base, head)) {
			git_error_clear();
			error_clear();
			*out = NULL;
			continue;
		}
		if (series_contains(*out, &j->item->id)) {
			(*at)++;
			return 0;
		}
		*out = NULL;
	}
	git_error_clear();
	return 0;
}

/* Is the item in a branch being judged whose combined change has the identity id? */
static int in_rebased_copy(struct judging *j, const git_oid *id)
{
	const struct series *branch;
	size_t at = 0;

	const git_oid *branch_id;

	while (!next_branch_of(&branch, j, &at) && branch)
		if (!series_identity(&branch_id, j->review, branch) && git_oid_equal(branch_id, id))
			return 1;
	error_clear();
	return 0;
}

/* A verified series record: does its series hold the item, or a byte-identical copy of it? */
static int judge_series_record(struct judging *j, struct judged_record *jr)
{
	const struct record *rec = &jr->record;
	const struct series *s;
	const git_oid *id;
	int rc = 0;

	if (review_series(&s, j->review, &rec->base, &rec->commit) || series_identity(&id, j->review, s)) {
		error_clear();   /* a series this repository cannot read counts for nothing */
		jr->problem = PROBLEM_OTHER_COMMIT;
		return 0;
	}
	/* The record names its series exactly: base, tip, the tip's tree and the combined change. */
	if (!git_oid_equal(id, &rec->patch_id) || !git_oid_equal(&s->tree, &rec->tree)) {
		jr->problem = PROBLEM_OTHER_COMMIT;
		return 0;
	}
	jr->series = s;
	jr->carried = 0;
	if (series_contains(s, &j->item->id))
		return 0;
	if (!j->review->policy.carry_over_rebase || (rc = item_patch_id(j)))
		jr->problem = PROBLEM_OTHER_COMMIT;
	else if (!git_oid_equal(&rec->patch_id, &j->patch_id) && !in_rebased_copy(j, &rec->patch_id))
		jr->problem = PROBLEM_OTHER_COMMIT;
	else if (reverted_since(j->review, &rec->commit, rec->time))
		jr->problem = PROBLEM_REVERTED;
	else
		jr->carried = 1;
	return rc;
}

/* The series records of every note that name a series holding the item, or a rebased copy of it. */
static int add_series(struct judging *j)
{
	struct noted_index *x = noted_index(j->review);
	const struct series *branch;
	const git_oid *id;
	size_t at = 0, i;
	int rc = 0;

	if (!x->series_records)
		return 0;
	for (size_t k = 0; k < x->series_records && !rc; k++) {
		const struct noted *n = &x->v[x->series_at[k]];
		const struct series *s;

		if (git_oid_equal(&n->noted_on, &j->item->id))
			continue;
		if (review_series(&s, j->review, &n->record.base, &n->record.commit)) {
			error_clear();
			continue;
		}
		if (series_contains(s, &j->item->id))
			rc = judge_noted(j, n, 0);
	}
	/* A rebased copy: the series records claiming the identity of a branch that holds the item. */
	while (!rc && j->review->policy.carry_over_rebase && x->records && !next_branch_of(&branch, j, &at) &&
	       branch)
		if (!series_identity(&id, j->review, branch) && oidmap_get(&x->by_patch, id, &i))
			for (; i != NONE && !rc; i = x->v[i].next_same_patch)
				if (x->v[i].record.series)
					rc = judge_noted(j, &x->v[i], 1);
	return rc;
}

/*
 * A commit a series record counts for needs what the whole series needs:
 * its requirement is raised to that of the highest risk, every path and
 * the lowest author level of the series and of the commit itself.
 */
static void raise_for_series(struct judging *j)
{
	struct evaluation *ev = j->ev;
	const struct series *only = NULL;
	struct series merged;
	int any = 0, several = 0;

	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct series *s = ev->records[i].series;

		if (s && !ev->records[i].problem) {
			several |= only && only != s;
			only = s;
		}
	}
	if (!only)
		return;
	/* One series that holds the item: it knows which of its commits raised what. */
	if (!several && series_contains(only, &j->item->id)) {
		requirement_release(&ev->requirement);
		series_requirement(&ev->requirement, j->review, only);
		return;
	}
	memset(&merged, 0, sizeof(merged));
	merged.risk = j->item->risk;
	git_oid_cpy(&merged.riskiest, &j->item->id);
	merged.author_level = ev->author_level;
	git_oid_cpy(&merged.lowest_author, &j->item->id);
	for (size_t i = 0; i < j->item->paths.nr; i++)
		strvec_push(&merged.paths, j->item->paths.v[i]);
	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct series *s = ev->records[i].series;

		if (!s || ev->records[i].problem)
			continue;
		any = 1;
		if (s->commits_nr > merged.commits_nr)
			merged.commits_nr = s->commits_nr;
		if (s->risk > merged.risk) {
			merged.risk = s->risk;
			git_oid_cpy(&merged.riskiest, &s->riskiest);
		}
		if (s->author_level < merged.author_level) {
			merged.author_level = s->author_level;
			git_oid_cpy(&merged.lowest_author, &s->lowest_author);
		}
		for (size_t k = 0; k < s->paths.nr; k++)
			if (!strvec_contains(&merged.paths, s->paths.v[k]))
				strvec_push(&merged.paths, s->paths.v[k]);
	}
	if (any) {
		requirement_release(&ev->requirement);
		series_requirement(&ev->requirement, j->review, &merged);
	}
	strvec_clear(&merged.paths);
}

int review_evaluate(struct evaluation *ev, struct review *r, const struct item *item)
{
	struct judging j;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if ((rc = review_load_notes(r)))
		return rc;
	memset(&j, 0, sizeof(j));
	j.review = r;
	j.item = item;
	j.ev = ev;
	{
		const struct authorship *a = review_authorship(r, item);

		ev->author_level = a->level;
		j.signer_self = a->self.nr ? &a->self : NULL;
	}
	policy_requirement_for(&ev->requirement, &r->policy, item->risk, &item->paths, ev->author_level);
	rc = judge_own_note(&j);
	if (!rc)
		rc = add_carried(&j);
	if (!rc)
		rc = add_series(&j);
	if (!rc) {
		raise_for_series(&j);
		apply_rules(&j);
		decide(&j);
	}
	git_oid_cpy(&ev->patch_id, &j.patch_id);
	ev->have_patch_id = j.have_patch_id;
	ev->used_heads = j.used_heads;
	strvec_clear(&j.self);
	oidmap_clear(&j.seen);
	if (rc)
		evaluation_release(ev);
	return rc;
}

void evaluation_release(struct evaluation *ev)
{
	for (size_t i = 0; i < ev->records_nr; i++) {
		record_release(&ev->records[i].record);
		free(ev->records[i].signer);
		free(ev->records[i].key);
		strvec_clear(&ev->records[i].principals);
	}
	free(ev->records);
	requirement_release(&ev->requirement);
	free(ev->missing);
	strvec_clear(&ev->failures);
	memset(ev, 0, sizeof(*ev));
}

int review_check_record(struct strbuf *why, struct review *r, const struct item *item,
			const struct record *rec)
{
	struct evaluation ev;
	struct judging j;
	int rc, found = 0;

	strbuf_reset(why);
	if ((rc = review_evaluate(&ev, r, item)))
		return rc;
	memset(&j, 0, sizeof(j));
	j.review = r;
	j.item = item;
	j.ev = &ev;
	for (size_t i = 0; i < ev.records_nr; i++) {
		const struct judged_record *jr = &ev.records[i];

		if (jr->record.time != rec->time || strcmp(jr->record.sig, rec->sig) ||
		    jr->record.verdict != rec->verdict)
			continue;
		found = 1;
		if (jr->problem)
			describe_problem(why, &j, jr);
		break;
	}
	if (!found)
		strbuf_addstr(why, "the record is not found where verify looks for it");
	evaluation_release(&ev);
	return 0;
}

/* Is email, or any address of its person, one of the commit's people? */
static int reviewer_is_self(struct review *r, const struct item *item, const char *email, long me)
{
	const struct authorship *a = review_authorship(r, item);
	struct strvec self = STRVEC_INIT;
	git_commit *commit;
	int is = 1;   /* unreadable: take it as mine, it is not mine to approve then */

	if (a->identities.nr || a->identities_failed)   /* read with the author's level */
		return a->identities_failed || person_is_self(&a->identities, &r->policy, me, email);
	if (!git_commit_lookup(&commit, r->session->repo->git, &item->id)) {
		if (!review_self_identities(&self, r, commit))
			is = person_is_self(&self, &r->policy, me, email);
		else
			r->uncacheable = 1;
		git_commit_free(commit);
	} else {
		r->uncacheable = 1;
	}
	git_error_clear();
	strvec_clear(&self);
	return is;
}

const struct judged_record *review_own_latest(const struct evaluation *ev, const char *email)
{
	const struct judged_record *last = NULL;
	struct strbuf mine = STRBUF_INIT, theirs = STRBUF_INIT;

	identity_normalize_email(&mine, email);
	for (size_t i = 0; i < ev->records_nr && mine.len; i++) {
		const struct judged_record *jr = &ev->records[i];

		/* Someone else's record in my name is not my word. */
		if (jr->problem == PROBLEM_BAD_SIGNATURE || jr->problem == PROBLEM_UNKNOWN_SIGNER ||
		    jr->problem == PROBLEM_NOT_REVIEWER || jr->problem == PROBLEM_FUTURE)
			continue;
		strbuf_reset(&theirs);
		identity_normalize_email(&theirs, jr->record.reviewer_email);
		if (!strcmp(mine.buf, theirs.buf) && (!last || beats(jr, i, last, (size_t)(last - ev->records))))
			last = jr;
	}
	strbuf_release(&mine);
	strbuf_release(&theirs);
	return last;
}

enum need_of review_need_of(struct review *r, const struct item *item, const struct evaluation *ev,
			    const char *email)
{
	const struct policy *p = &r->policy;
	long me = policy_person_by_email(p, email);
	struct approver *who;
	struct requirement_result before = { 0, 0, 0, NULL }, after = { 0, 0, 0, NULL };
	size_t nr;

	if (ev->status == ITEM_REJECTED)
		return NEEDS_AUTHOR;
	if (ev->status == ITEM_APPROVED)
		return NEEDS_NOTHING;
	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		/* decided already: a record of mine on this very commit, counted or not (not taken back) */
		if (jr->record.verdict == VERDICT_WITHDRAW || jr->problem == PROBLEM_SUPERSEDED)
			continue;
		if (git_oid_equal(&jr->record.commit, &item->id) &&
		    ((me >= 0 && jr->person == me) || names_identity(jr->record.reviewer_email, email)))
			return NEEDS_SOMEONE_ELSE;
	}
	if (reviewer_is_self(r, item, email, me))
		return NEEDS_SOMEONE_ELSE;
	who = counted_approvers(ev, &nr);
	requirement_count(&before, &ev->requirement, p, who, nr);
	who[nr].person = me;
	who[nr++].level = policy_person_level(p, me);
	requirement_count(&after, &ev->requirement, p, who, nr);
	free(who);
	return after.filled > before.filled ? NEEDS_ME : NEEDS_SOMEONE_ELSE;
}

enum level review_open_level(struct review *r, const struct evaluation *ev)
{
	struct requirement_result before = { 0, 0, 0, NULL };
	enum level open = LEVEL_NONE;
	struct approver *who;
	size_t nr;

	if (ev->status == ITEM_APPROVED || ev->status == ITEM_REJECTED)
		return LEVEL_NONE;
	who = counted_approvers(ev, &nr);
	requirement_count(&before, &ev->requirement, &r->policy, who, nr);
	for (int level = LEVEL_JUNIOR; level <= LEVEL_SENIOR && open == LEVEL_NONE; level++) {
		struct requirement_result after = { 0, 0, 0, NULL };

		who[nr].person = -1;   /* someone not counted yet, in no team */
		who[nr].level = (enum level)level;
		requirement_count(&after, &ev->requirement, &r->policy, who, nr + 1);
		if (after.filled > before.filled)
			open = (enum level)level;
	}
	free(who);
	return open;
}

void review_set_state(struct item *it, const struct evaluation *ev)
{
	it->status = ev->status;
	it->approvals = ev->approvals;
	it->approvals_needed = ev->requirement.approvals;
	it->decided_at = ev->decided_at;
	free(it->status_detail);
	it->status_detail = ev->failures.nr && ev->status != ITEM_APPROVED
		? strvec_join(&ev->failures, "; ") : NULL;
}

/* ---- outcomes, cached ---- */

/* Bump when judging changes in a way the key below does not name. */
#define OUTCOMES_VERSION "outcomes-v2"

/*
 * The key of a review's outcomes: everything judging reads besides the
 * items (whose inputs each outcome checks), the notes (the set names
 * the notes commit it was judged at, and each outcome what a change of
 * the notes must touch to change it: outcome_holds()), the branches
 * being judged (named by the outcomes that read them) and the clock
 * (whose span is stored beside): revq's version and rules, the target
 * (its policy, .mailmap and the history reverts are read from), and the
 * trust context (allowed signers, minimum trust, GNUPGHOME, the tools,
 * the ssh verifier).  gpg's keyring is checked on reading when the
 * outcomes used it.
 */
static void outcomes_key(unsigned char out[CACHE_KEY_SIZE], const struct review *r, const char *email)
{
	struct strbuf sb = STRBUF_INIT;
	char target[GIT_OID_HEXSZ + 1];
	git_oid hash;

	strbuf_addf(&sb, "%s\n%s\nrules %s\ntarget %s %s\ncontext %s\ngpg %s\nssh %s %d\n",
		    OUTCOMES_VERSION, PACKAGE_VERSION, r->session->rules.fingerprint,
		    git_oid_tostr(target, sizeof(target), &r->target.id), r->target.name,
		    r->verifier.context_hash, r->verifier.gpg_program, r->verifier.ssh_program,
		    r->verifier.ssh_in_process);
	if (email)   /* whose move each item is: for one reviewer */
		strbuf_addf(&sb, "for %s\n", email);
	git_odb_hash(&hash, sb.buf, sb.len, GIT_OBJECT_BLOB);
	memcpy(out, hash.id, CACHE_KEY_SIZE);
	strbuf_release(&sb);
}

/* What an item gives its judgement besides its commit: the risk and paths its requirement comes from. */
static uint64_t item_inputs(const struct item *it)
{
	int64_t fields[2] = { it->risk, it->analyzed };
	uint64_t h = fnv_add(FNV_OFFSET, fields, sizeof(fields));

	for (size_t i = 0; i < it->paths.nr; i++)
		h = fnv_add(h, it->paths.v[i], strlen(it->paths.v[i]) + 1);
	return h;
}

static void set_outcome(struct item *it, struct outcome *o)
{
	it->status = (enum item_status)o->status;
	it->approvals = o->approvals;
	it->approvals_needed = o->approvals_needed;
	it->decided_at = o->decided_at;
	free(it->status_detail);
	it->status_detail = o->detail ? xstrdup(o->detail) : NULL;
}

/*
 * What changed in the notes since a set of outcomes was judged: the
 * objects whose note changed, and the exact identities and cheap keys
 * of the records added or removed.  A series record, a record whose
 * commit cannot be read, or notes that cannot be compared change
 * everything.
 */
struct notes_change {
	int everything;
	struct oidmap on;         /* annotated objects whose note changed */
	struct oidmap patches;    /* patch-ids of the records added or removed */
	struct oidmap path_keys;  /* cheap keys of their commits (path_key()) */
};

/* The records of one note blob (zero: none) added to or removed from the notes. */
static void note_records_changed(struct notes_change *c, struct review *r, const git_oid *blob)
{
	struct strbuf text = STRBUF_INIT;
	struct lines it;
	const char *p;
	size_t n;

	if (git_oid_is_zero(blob))
		return;
	if (notes_read_blob(&text, r->session->repo->git, blob)) {
		error_clear();
		c->everything = 1;
	}
	it = (struct lines)LINES_INIT(text.buf, text.len);
	while (!c->everything && lines_next(&it, &p, &n)) {
		struct record rec;
		git_oid key;

		if (record_parse(&rec, p, n)) {
			error_clear();   /* no record, or a malformed one: it counts only on its own note */
			continue;
		}
		oidmap_put(&c->patches, &rec.patch_id, 1);
		/* a series record may count for any commit of a series, or any rebased copy */
		if (rec.series || commit_path_key(&key, r, &rec.commit))
			c->everything = 1;
		else
			oidmap_put(&c->path_keys, &key, 1);
		record_release(&rec);
	}
	strbuf_release(&text);
}

struct change_reading {
	struct notes_change *change;  /* not owned */
	struct review *review;        /* not owned */
};

static int read_changed_copy(const git_oid *object, const git_oid *old_blob, const git_oid *new_blob, void *data)
{
	struct change_reading *cr = data;

	oidmap_put(&cr->change->on, object, 1);
	note_records_changed(cr->change, cr->review, old_blob);
	note_records_changed(cr->change, cr->review, new_blob);
	return cr->change->everything;   /* nothing more to learn */
}

/* What changed from the notes commit judged_at (zero: no notes) to the review's. */
static void notes_change_read(struct notes_change *c, struct review *r, const git_oid *judged_at)
{
	struct change_reading cr = { c, r };

	if (git_oid_equal(judged_at, &r->notes_tip))
		return;
	if (notes_diff(r->session->repo->git, judged_at, &r->notes_tip, read_changed_copy, &cr)) {
		error_clear();
		c->everything = 1;
	}
}

static void notes_change_release(struct notes_change *c)
{
	oidmap_clear(&c->on);
	oidmap_clear(&c->patches);
	oidmap_clear(&c->path_keys);
}

static int compare_oids(const void *a, const void *b)
{
	return memcmp(((const git_oid *)a)->id, ((const git_oid *)b)->id, GIT_OID_RAWSZ);
}

/* A hash of the tips of the branches being judged (known_heads()), in commit order; never 0. */
static uint64_t heads_hash(struct review *r)
{
	git_oid *sorted;
	uint64_t h = FNV_OFFSET;

	if (r->heads_hash)
		return r->heads_hash;
	known_heads(r);
	sorted = xmalloc((r->heads_nr ? r->heads_nr : 1) * sizeof(*sorted));
	if (r->heads_nr) {   /* memcpy and qsort of NULL are undefined, even for no elements */
		memcpy(sorted, r->heads, r->heads_nr * sizeof(*sorted));
		qsort(sorted, r->heads_nr, sizeof(*sorted), compare_oids);
	}
	for (size_t i = 0; i < r->heads_nr; i++)
		h = fnv_add(h, sorted[i].id, GIT_OID_RAWSZ);
	free(sorted);
	return r->heads_hash = h ? h : 1;
}

/*
 * Does a stored outcome still hold after the notes changed by c?  Not
 * when its commit's note changed, nor when a record added or removed
 * could be one of its carry-over candidates: one of its exact identity
 * when judging computed it, else one whose commit changes the same
 * paths (only such a record makes judging compute the identity: see
 * carry_over_possible()).  Not when it read the branches being judged
 * and they are others now.
 */
static int outcome_holds(struct review *r, const struct notes_change *c, const struct outcome *o)
{
	size_t unused;

	if (o->heads && o->heads != heads_hash(r))
		return 0;
	if (c->everything || oidmap_get(&c->on, &o->commit, &unused))
		return 0;
	if (!git_oid_is_zero(&o->patch_id))
		return !oidmap_get(&c->patches, &o->patch_id, &unused);
	if (!c->patches.nr)
		return 1;
	return !git_oid_is_zero(&o->path_key) && !oidmap_get(&c->path_keys, &o->path_key, &unused);
}

/*
 * A reader of the outcomes stored for this review, or NULL: those of
 * another span of time, or of a gpg keyring that changed since, are
 * not read.  *head gets the set's span (and is left empty with NULL).
 */
static struct outcome_reader *open_outcomes(struct outcomes *head, struct review *r,
					    const unsigned char key[CACHE_KEY_SIZE])
{
	struct outcome_reader *reader;
	int64_t now = clock_now();

	if (cache_outcomes_open(&reader, head, r->session->cache, key))
		return NULL;
	if (head->gpg)
		add_gpg_context(r);   /* one gpg --list-keys, as judging would */
	if (now < head->valid_from || now >= head->valid_until || !head->context ||
	    strcmp(head->context, r->context)) {
		outcome_reader_free(reader);
		outcomes_release(head);
		outcomes_init(head);
		return NULL;
	}
	return reader;
}

/*
 * The next stored outcome after *have (1: o holds one) for a commit at
 * or after id, or *have 0 when there is none, the set ends or breaks
 * off (a damaged or unsorted set is read no further).
 */
static void outcome_seek(struct outcome_reader *reader, struct outcome *o, int *have, const git_oid *id)
{
	while (*have >= 0 && (!*have || git_oid_cmp(&o->commit, id) < 0)) {
		git_oid last;
		int was = *have;

		git_oid_cpy(&last, &o->commit);
		free(o->detail);
		if (outcome_reader_next(reader, o) <= 0 || (was && git_oid_cmp(&o->commit, &last) <= 0)) {
			free(o->detail);
			memset(o, 0, sizeof(*o));
			*have = -1;   /* no more */
			return;
		}
		*have = 1;
	}
}

/* An item of the queue by its place in it, to sort by commit. */
struct placed_item {
	struct item *item;        /* not owned */
	size_t index;
};

static int compare_items_by_id(const void *a, const void *b)
{
	/* git_oid_cmp()'s order, without a call into libgit2 per comparison */
	return memcmp(((const struct placed_item *)a)->item->id.id, ((const struct placed_item *)b)->item->id.id,
		      GIT_OID_RAWSZ);
}

/*
 * Sets each item whose outcome is stored for its inputs (and of[i], when
 * of is given and the set is for a reviewer), reading the set once in
 * commit order beside the items sorted the same way; the indices of the
 * others go to todo[] (caller frees), their number returned.  *head:
 * the span; *change: what changed in the notes since the set was judged
 * (the caller releases it).
 */
static size_t apply_stored(size_t **todo, struct outcomes *head, struct notes_change *change, struct review *r,
			   struct queue *q, const unsigned char key[CACHE_KEY_SIZE], enum need_of *of)
{
	struct placed_item *sorted = xmalloc((q->nr ? q->nr : 1) * sizeof(*sorted));
	size_t *left = xmalloc((q->nr ? q->nr : 1) * sizeof(*left));
	struct outcome_reader *reader = open_outcomes(head, r, key);
	struct outcome o;
	size_t nr = 0;
	int have = reader ? 0 : -1;

	memset(&o, 0, sizeof(o));
	memset(change, 0, sizeof(*change));
	if (reader)
		notes_change_read(change, r, &head->notes);
	for (size_t i = 0; i < q->nr; i++) {
		sorted[i].item = q->items[i];
		sorted[i].index = i;
	}
	if (q->nr)   /* qsort of NULL is undefined, even for no elements */
		qsort(sorted, q->nr, sizeof(*sorted), compare_items_by_id);
	for (size_t i = 0; i < q->nr; i++) {
		struct item *it = sorted[i].item;

		outcome_seek(reader, &o, &have, &it->id);
		if (have > 0 && git_oid_equal(&o.commit, &it->id) && o.inputs == item_inputs(it) &&
		    (!of || o.need >= 0) && outcome_holds(r, change, &o)) {
			set_outcome(it, &o);
			if (of)
				of[sorted[i].index] = (enum need_of)o.need;
		} else {
			left[nr++] = sorted[i].index;
		}
	}
	free(o.detail);
	free(sorted);
	outcome_reader_free(reader);
	*todo = left;
	return nr;
}

/* Judges it, setting its state (and *need for email, when need is given) and adding its outcome to set. */
static int judge_item(struct outcomes *set, struct review *r, struct item *it, const char *email,
		      enum need_of *need)
{
	struct evaluation ev;
	struct outcome *o;
	int rc;

	if ((rc = review_evaluate(&ev, r, it)))
		return rc;
	o = outcomes_add(set, &it->id);
	o->inputs = item_inputs(it);
	o->status = (int)ev.status;
	o->approvals = ev.approvals;
	o->approvals_needed = ev.requirement.approvals;
	o->decided_at = ev.decided_at;
	review_set_state(it, &ev);
	o->detail = it->status_detail ? xstrdup(it->status_detail) : NULL;
	if (ev.have_patch_id)
		git_oid_cpy(&o->patch_id, &ev.patch_id);
	if (it->analyzed)
		path_key(&o->path_key, &it->paths);
	else if (commit_path_key(&o->path_key, r, &it->id))
		memset(&o->path_key, 0, sizeof(o->path_key));   /* unknown: any change of the notes may touch it */
	if (ev.used_heads)
		o->heads = heads_hash(r);
	if (need)
		o->need = (int)(*need = review_need_of(r, it, &ev, email));
	evaluation_release(&ev);
	return 0;
}

/*
 * Stores the outcomes judged now with those stored before under the
 * same key (judged in the same context, in a span that holds now): the
 * span kept is where both hold.
 */
static void store_outcomes(struct review *r, const unsigned char key[CACHE_KEY_SIZE], const struct outcomes *head,
			   const struct notes_change *change, struct outcomes *fresh)
{
	size_t judged = fresh->nr;
	struct outcomes old;
	struct outcome_reader *reader = head->context ? open_outcomes(&old, r, key) : NULL;
	int had_old = reader != NULL;
	struct outcome o;

	outcomes_sort(fresh);
	while (reader && outcome_reader_next(reader, &o) > 0) {
		struct outcomes judged_now = *fresh;   /* the sorted ones judged now, not those added here */

		judged_now.nr = judged;
		if (!outcomes_find(&judged_now, &o.commit) && outcome_holds(r, change, &o))
			*outcomes_add(fresh, &o.commit) = o;
		else
			free(o.detail);
	}
	outcome_reader_free(reader);
	fresh->valid_from = r->valid_from;
	fresh->valid_until = r->valid_until;
	if (had_old) {
		if (old.valid_from > fresh->valid_from)
			fresh->valid_from = old.valid_from;
		if (old.valid_until < fresh->valid_until)
			fresh->valid_until = old.valid_until;
		outcomes_release(&old);
	}
	fresh->gpg = r->gpg_context_known;
	fresh->context = xstrdup(r->context);
	git_oid_cpy(&fresh->notes, &r->notes_tip);
	outcomes_sort(fresh);
	cache_put_outcomes(r->session->cache, key, fresh);
}

int review_apply_for(struct review *r, struct queue *q, const char *email, enum need_of *of)
{
	unsigned char key[CACHE_KEY_SIZE];
	struct outcomes head, fresh;
	struct notes_change change;
	size_t *todo, nr;
	int rc = 0;

	if (!r->notes_exist && !of)
		return 0;   /* no decisions anywhere: everything is pending */
	outcomes_key(key, r, of ? email : NULL);
	review_know(r, q->items, q->nr);
	nr = apply_stored(&todo, &head, &change, r, q, key, of);
	outcomes_init(&fresh);
	for (size_t i = 0; i < nr && !rc; i++)
		rc = judge_item(&fresh, r, q->items[todo[i]], email, of ? &of[todo[i]] : NULL);
	if (!rc && fresh.nr && !r->uncacheable)
		store_outcomes(r, key, &head, &change, &fresh);
	review_forget(r);
	free(todo);
	notes_change_release(&change);
	outcomes_release(&head);
	outcomes_release(&fresh);
	return rc;
}

void review_know(struct review *r, struct item *const *items, size_t nr)
{
	r->known = items;
	r->known_nr = nr;
	free(r->heads);
	r->heads = NULL;
	r->heads_nr = 0;
	r->heads_known = 0;
	r->heads_hash = 0;
}

void review_forget(struct review *r)
{
	review_know(r, NULL, 0);
	oidmap_clear(&r->known_index);
}

int review_apply(struct review *r, struct queue *q)
{
	return review_apply_for(r, q, NULL, NULL);
}
