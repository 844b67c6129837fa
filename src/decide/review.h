/*
 * review.h: what the decisions on a commit add up to under the policy.
 *
 * A review reads the notes, the policy of the target and the trust
 * context once; review_evaluate() then judges one item: every record is
 * verified (results cached in SQLite), bound to its reviewer, checked
 * against self-approval and the reviewer's level, and each reviewer's
 * latest valid record wins.  Approvals carry over to a rebased commit
 * with the same patch-id when the policy allows it.
 *
 * review_open() returns a review the caller frees with review_free();
 * an evaluation owns its records and strings (evaluation_release()).
 */
#ifndef REVQ_REVIEW_H
#define REVQ_REVIEW_H

#include "judge/item.h"
#include "git/notes.h"
#include "base/oidmap.h"
#include "decide/policy.h"
#include "sign/record.h"
#include "git/repo.h"
#include "queue/session.h"
#include "sign/sign.h"

struct queue;
struct noted_index;
struct series;
struct series_cache;

enum problem {
	PROBLEM_NONE = 0,
	PROBLEM_UNSIGNED,
	PROBLEM_BAD_SIGNATURE,
	PROBLEM_UNKNOWN_SIGNER,
	PROBLEM_NOT_REVIEWER,
	PROBLEM_OTHER_COMMIT,
	PROBLEM_SELF_APPROVAL,
	PROBLEM_LEVEL,
	PROBLEM_SUPERSEDED,       /* the reviewer's later record wins */
	PROBLEM_UNCHECKED,        /* unsupported format, or the tool failed */
	PROBLEM_FUTURE,           /* dated after now (plus a small clock skew) */
	PROBLEM_TOO_MANY,         /* past the signatures checked per commit */
	PROBLEM_REVERTED,         /* carried over, but the target reverted the approved commit */
	PROBLEM_EXPIRED,          /* the key is not valid at the record's time or now */
};

struct judged_record {
	struct record record;
	git_oid noted_on;         /* the commit whose note holds it */
	int carried;              /* made for another commit with the same patch-id */
	enum sig_status sig;
	char *signer;             /* owned: who actually signed, when known */
	char *key;                /* owned: the verified signing key (sig_identity.key), or NULL */
	struct strvec principals; /* owned: every principal of that key (sig_identity.principals) */
	const char *verifier;     /* not owned (a literal): what checked the signature (sig_identity.verifier) */
	enum problem problem;
	enum level level;         /* the reviewer's level under the policy */
	long person;              /* the reviewer as a person of the policy (by key, else address), or -1 */
	const struct series *series; /* not owned (the review's): for a series record, its series */
};

struct evaluation {
	enum item_status status;
	unsigned approvals;       /* qualified approvals */
	int64_t decided_at;       /* time of the latest counted approval or rejection */
	struct requirement requirement;
	enum level author_level;  /* the author's, from the policy's people (junior when unknown) */
	char *missing;            /* owned: "needs 1 more from team security; has: 1 senior", or NULL */
	struct strvec failures;   /* why the policy is not met; empty when it is */
	struct judged_record *records;
	size_t records_nr, records_alloc;
	size_t malformed;         /* lines that claim to be records but do not parse */
	git_oid patch_id;         /* the item's exact identity, when judging needed it */
	int have_patch_id;
	int used_heads;           /* judging read the tips of the branches being judged (series) */
};

/* Who a commit's author is taken to be (requireSignedCommits). */
struct authorship {
	enum level level;             /* the author's level as judged */
	struct strvec self;           /* owned: principals of the commit's signing key, when the
					 author did not count: "self" too */
	struct strvec identities;     /* owned: every "self" identity of the commit
					 (review_self_identities()), read with the level */
	int identities_failed;        /* ... not read in full (the target's .mailmap): fail closed */
};

struct review {
	struct session *session;  /* not owned */
	struct target target;     /* owned */
	char *notes_ref;          /* owned */
	git_oid notes_tip;        /* the notes commit notes_ref names (zero when there are no notes) */
	int notes_exist;
	struct notes *notes;      /* owned: the notes at notes_tip, read on first use; NULL until then */
	struct policy policy;     /* owned */
	struct verifier verifier; /* owned */
	char *context;            /* owned: cache key of the trust context */
	int gpg_context_known;
	struct noted_index *noted; /* owned: every note line parsed once, carry-over candidates indexed
				    * by patch-id and by cheap key; built on first use, NULL until then */
	struct item *const *known; /* not owned: the items review_apply() is judging (their paths are
				    * the cheap keys of records made for them), or NULL */
	size_t known_nr;
	struct oidmap known_index; /* owned: known[] by commit, built on first use */
	git_revwalk *target_walk; /* owned: the target's history, read newest first for reverts */
	int64_t walked_to;        /* reverts are known for commits newer than this */
	struct oidmap reverted;   /* owned: commits a target commit says it reverts */
	struct strvec signer_patterns; /* owned: the allowed signers' principal patterns, read once */
	struct strvec mailmap_pairs;   /* owned: the target's .mailmap (item_mailmap_pairs()) and the
					  policy's people (policy_person_pairs()), read once */
	int mailmap_state;             /* 0 not read yet, 1 read, -1 unreadable */
	struct authorship *authors;    /* owned: under requireSignedCommits, each commit's, judged once */
	size_t authors_nr, authors_alloc;
	struct oidmap author_index;    /* owned: commit -> index into authors */
	int64_t valid_from, valid_until; /* every answer judged so far holds while now is in
					    [valid_from, valid_until): the clock bounds (key windows,
					    records dated ahead) they were judged against */
	int uncacheable;               /* something judged depends on more than the clock bounds (an ssh
					  certificate, a tool that failed): its outcome is not kept */
	struct series_cache *series_read; /* owned: the series read (series.h), or NULL */
	git_oid *heads;                /* owned: the known items no other known item has as a parent
					  (the tips of the branches being judged), once known is set */
	size_t heads_nr;
	int heads_known;
	uint64_t heads_hash;           /* a hash of heads[] (outcomes name it), 0 until computed */
};

/*
 * Opens a review against the target (NULL: the configured one) and the
 * notes at notes_ref (NULL: revq.notesRef; may be any revision).
 */
int review_open(struct review **out, struct session *session, const char *target,
		const char *notes_ref);
void review_free(struct review *review);
/*
 * Appends every "self" identity of commit (item_self_identities()), with
 * the target's .mailmap read once per review.  REVQ_ERROR when that
 * .mailmap cannot be read (out then holds the commit's own identities:
 * the caller fails closed).
 */
int review_self_identities(struct strvec *out, struct review *review, const git_commit *commit);
/*
 * The level a commit's author is judged at: the policy's level for the
 * author's address, lowered by any co-author (Co-authored-by,
 * Co-developed-by, Assisted-by) the policy lists; junior when the author
 * is not listed.
 */
enum level review_author_level(struct review *review, const git_commit *commit);
/*
 * Reads review->notes (the notes at notes_tip) if not read yet: a review
 * reads them only when something must be judged.  0 or an error.
 */
int review_load_notes(struct review *review);
/*
 * Who the author of item is taken to be: the policy's level for them (as
 * review_author_level(), junior under requireSignedCommits unless the
 * commit's signature counts) and the signer's principals that are then
 * "self" too.  Judged once per commit; not owned (the review's).
 */
const struct authorship *review_authorship(struct review *review, const struct item *item);
/* Is email, or any address of the policy's person (-1: none), one of self? */
int review_person_is_self(const struct strvec *self, const struct policy *policy, long person,
			  const char *email);
/*
 * The items being judged (a queue's), so that a series approval can be
 * found for a rebased copy of its branch (their tips); review_forget()
 * drops them.  The items are not owned and must outlive that.
 */
void review_know(struct review *review, struct item *const *items, size_t nr);
void review_forget(struct review *review);
/* The known item of commit id (review_know()), or NULL. */
const struct item *review_known_item(struct review *review, const git_oid *id);

/* Reads the notes ref again (after a decision was written); 0 or an error, review unchanged. */
int review_reload_notes(struct review *review);

int review_evaluate(struct evaluation *out, struct review *review, const struct item *item);
void evaluation_release(struct evaluation *ev);

enum need_of {
	NEEDS_ME = 0,             /* my approval would fill a need that is still open */
	NEEDS_SOMEONE_ELSE,       /* open, but not for me: my level or team does not fit, it is mine, or
				     I decided this version already */
	NEEDS_AUTHOR,             /* rejected: waiting on its author */
	NEEDS_NOTHING,            /* approved */
};

/*
 * Whose move item is, for the reviewer with address email (the person
 * the policy gives that address, else an unknown junior), given ev, its
 * evaluation.
 */
enum need_of review_need_of(struct review *review, const struct item *item, const struct evaluation *ev,
			    const char *email);

/*
 * The latest record in ev (its own or carried over) made by the reviewer
 * with address email, counted or not (but not one signed by someone else
 * or dated in the future), as beats() orders them; NULL when there is
 * none.  ev keeps ownership.
 */
const struct judged_record *review_own_latest(const struct evaluation *ev, const char *email);

/*
 * When the decisions cannot be judged (review_open() failed; why is its
 * one-line error, "policy error: ..." for a broken policy): each item is
 * ITEM_UNKNOWN, never approved, its status_detail "unknown: " and why.
 */
void review_mark_unknown(struct item *const *items, size_t nr, const char *why);

/*
 * The lowest level at which one more approval (by someone who has not
 * approved yet and is in no team) would fill a need still open on ev's
 * item: LEVEL_SENIOR when only a senior can move it on.  LEVEL_NONE when
 * it is approved or rejected, or when only a team member can.
 */
enum level review_open_level(struct review *review, const struct evaluation *ev);

/*
 * Sets status, approvals and status_detail of every item in the queue.
 * The outcomes are cached (cache_put_outcomes()) under a key naming the
 * target, the trust context, the rules and revq's version, with the
 * notes commit they were judged at and the span of time in which no
 * clock bound is crossed: a warm queue with unchanged decisions reads
 * them back without reading the notes; after new decisions only the
 * notes that changed are read, and only the items they can touch (their
 * own note, their identity, a series) and those not judged before are
 * judged.
 */
int review_apply(struct review *review, struct queue *queue);
/*
 * review_apply(), and with of (queue->nr entries) each item's
 * review_need_of() for the reviewer with address email: one evaluation
 * per item for both.  With of, the outcomes cached are a set of their
 * own for that reviewer (email is in its key), each with its need_of.
 */
int review_apply_for(struct review *review, struct queue *queue, const char *email, enum need_of *of);
/* Sets an item's status, approvals, decision time and status_detail from its evaluation. */
void review_set_state(struct item *item, const struct evaluation *ev);

/* "unsigned", "bad signature", ... as used in verify's reasons. */
const char *problem_text(enum problem p);

/*
 * Judges rec, just written on item, exactly as `revq verify` will; why is
 * left empty when it counts, else says in one phrase why it will not
 * (unknown signer, signer not the reviewer, level too low, ...).
 */
int review_check_record(struct strbuf *why, struct review *review, const struct item *item,
			const struct record *rec);

/*
 * Verifies a signed record whose line hashes to key, through the cache
 * (keyed by key and the trust context): rec gives the reviewer, time and
 * signature; payload (len bytes) is what was signed, or NULL for rec's
 * decision payload.  *id is the caller's to release.
 */
enum sig_status review_verify(struct sig_identity *id, struct review *review, const git_oid *key,
			      const struct record *rec, const char *payload, size_t len);

/*
 * Calls fn(rec, noted_on, data) for every record that parses, in notes
 * order (read once per review, not verified: the caller judges what it
 * shows); stops at the first non-zero return, which it returns.
 */
int review_each_record(struct review *review, int (*fn)(const struct record *rec, const git_oid *noted_on,
							void *data), void *data);

/* The patch-id of a commit, from the cache or computed (and cached). */
int review_patch_id(git_oid *out, struct session *session, const git_oid *commit);

#endif
