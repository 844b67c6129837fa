/*
 * item.h: one entry of the review queue: a commit's metadata, its AI
 * markers, its diff totals, and its risk score with reasons.
 *
 * An item owns every string and strvec in it; item_free() frees them
 * (an item read from the cache holds them in one block: see `strings`).
 * Items are computed once per commit (item_compute) and then cached.
 */
#ifndef REVQ_ITEM_H
#define REVQ_ITEM_H

#include <git2.h>
#include <stdint.h>

#include "judge/detect.h"
#include "judge/risk.h"
#include "base/strvec.h"

struct settings;
struct strbuf;

enum item_status {
	ITEM_PENDING = 0,   /* no qualifying decision yet */
	ITEM_APPROVED,      /* the policy is satisfied */
	ITEM_REJECTED,      /* a qualified reviewer rejected it */
	ITEM_NEEDS_MORE,    /* approved, but not yet enough under the policy */
	ITEM_UNKNOWN,       /* the decisions could not be judged (a broken policy): never approved */
};

struct item {
	/* The facts about the commit, computed once and cached (itemblob.h encodes these): */
	git_oid id;
	git_oid tree;
	char *subject;
	char *author_name;
	char *author_email;
	int64_t author_time;
	int author_offset;        /* minutes east of UTC */
	char *committer_name;
	char *committer_email;
	int64_t commit_time;
	struct strvec markers;    /* why it counts as AI-assisted; empty when it does not */
	int analyzed;             /* files..paths below are filled */
	unsigned files;
	unsigned added;
	unsigned deleted;
	int risk;                 /* 0-100 */
	struct strvec reasons;    /* "+N why", highest first */
	struct strvec reason_keys; /* one per reason: "signal\tline\tpath" (line 0, path "" when none) */
	struct strvec paths;      /* changed paths, both sides of renames and copies */
	/*
	 * Where the memory came from.  Set for an item read from the cache
	 * (itemblob_decode()): the item,
	 * the markers, reasons and paths arrays and every string above are
	 * one allocation, the item's own, and this points at its strings;
	 * item_free() frees the one block, and nothing above may be changed
	 * in place.  Ten thousand items of a dozen small allocations each made
	 * a warm list slow.  NULL when every string is its own allocation.
	 */
	char *strings;
	int pooled;               /* that block came from a pool (pool.h), which frees it */

	/* The queue's and the review's state, not cached (item_reset_review() forgets the review's): */
	struct strvec refs;       /* short names of candidate refs containing it (may be
	                             borrowed from the queue's pool, strvec.h) */
	int priority;
	enum item_status status;
	unsigned approvals;       /* valid approvals counted under the policy */
	unsigned approvals_needed;
	char *status_detail;      /* owned: e.g. "rejected by jane@example.com", or NULL */
	int64_t decided_at;       /* time of the latest counted decision, 0 when none */
	int gated;                /* no AI markers, but it changes the trust root (.revq/) */
	git_oid earlier;          /* the decided commit this is a new version of (decide/versions.h) */
	int has_earlier;          /* ... earlier is set */
};

/* The rules that turn a commit into an item; built once from settings. */
struct item_rules {
	struct detect_rules detect;
	struct risk_rules risk;
	char *fingerprint;        /* owned: changes when any rule changes */
};

int item_rules_init(struct item_rules *rules, const struct settings *settings);
void item_rules_release(struct item_rules *rules);

enum item_flags {
	ITEM_ANALYZE_ALWAYS = 1 << 0,  /* compute the risk even without AI markers */
};

/*
 * Reads commit `id` and computes its item: metadata and markers always,
 * the diff analysis and risk when it has markers or ITEM_ANALYZE_ALWAYS.
 */
int item_compute(struct item **out, git_repository *repo, const git_oid *id,
		 const struct item_rules *rules, unsigned flags);
/* Fills an item's metadata and markers from a commit (no diff). */
void item_fill_metadata(struct item *item, const git_commit *commit, const struct item_rules *rules);
/* Computes the risk of item from its commit (fills analyzed..paths). */
int item_analyze(struct item *item, git_repository *repo, const git_commit *commit,
		 const struct item_rules *rules);

/*
 * Adds the reasons of the commit's history (risk_history_score()) to an
 * analysed item that owns its strings (a computed one, not one read from
 * the cache), each after the reasons of as many points or more, and
 * their points to its risk (capped at 100).
 */
void item_add_history(struct item *item, const struct item_rules *rules, const struct risk_history *h);

/*
 * A Git AI authorship note (ainotes.h) on the commit: computes its item
 * with one marker per AI session that wrote lines ("note refs/notes/ai:
 * ..."), analysed, into *out.  Returns 1, *out NULL, when the note is no
 * authorship log or names no AI session with lines.  The item is cached
 * like any other; a note added later is applied by the queue (queue.c).
 */
int item_compute_noted(struct item **out, git_repository *repo, const git_oid *id,
		       const struct item_rules *rules, const char *note, size_t len);
/* 1 when item carries a marker from an AI authorship note. */
int item_has_ai_note(const struct item *item);
/*
 * 1 when item's note markers are exactly those note (len bytes; NULL: the
 * commit has no note) gives: a note rewritten or removed after the item
 * was cached makes it 0, and the item must be computed again.
 */
int item_ai_note_current(const struct item *item, const struct item_rules *rules, const char *note,
			 size_t len);

/* The commit message in UTF-8 (re-encoded per its encoding header); caller frees. */
char *item_message_utf8(const git_commit *commit);

/*
 * The people a commit belongs to, who can never approve it: its author,
 * its committer and the address of every identity of every
 * Co-authored-by/Co-developed-by/Assisted-by trailer (message.h's trailer
 * blocks; "A <a@x>, B <b@x>" is two), as written but trimmed: v[0] is the
 * author, v[1] the committer.
 */
void item_author_emails(struct strvec *out, const git_commit *commit);

/*
 * An address as an identity: blanks trimmed, ASCII lower-cased, and a
 * "+tag" dropped from the local part: " Jane+CI@Example.COM " is
 * "jane@example.com".  Appends to out.
 */
void identity_normalize_email(struct strbuf *out, const char *email);

/*
 * The address pairs of the .mailmap of mailmap_commit's tree (a regular
 * file at the root), normalised, flattened: pairs->v[2i] and [2i + 1]
 * are one person ("Proper <proper@x> <alias@x>"), whatever the names.
 * Use the target's commit: the commit under review is the author's to
 * write.  Appends nothing when there is no .mailmap; REVQ_ERROR when the
 * commit or its .mailmap cannot be read.
 */
int item_mailmap_pairs(struct strvec *pairs, git_repository *repo, const git_oid *mailmap_commit);

/*
 * Every "self" identity of commit, normalised (identity_normalize_email),
 * each once: item_author_emails(), plus every address that mailmap_pairs
 * (item_mailmap_pairs(); NULL: none) joins with one of them, in either
 * direction and transitively.  Appends to out.
 */
void item_self_identities(struct strvec *out, const git_commit *commit, const struct strvec *mailmap_pairs);

/* 1 when email, normalised, is in self (as filled by item_self_identities()). */
int item_identity_is_self(const struct strvec *self, const char *email);

struct item *item_new(void);
void item_free(struct item *item);

int item_is_ai(const struct item *item);
/*
 * The queue's order: priority = risk + ageing, ageing = min(100, 10
 * points per whole day waited since commit_time), the formula in one
 * place (queue.h says why).
 */
int item_priority(const struct item *item, int64_t now);
/* Forgets the review state (status, approvals, detail) before decisions are judged again. */
void item_reset_review(struct item *item);
const char *item_status_name(enum item_status status);

#endif
