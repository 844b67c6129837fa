/*
 * cache.h: the local SQLite cache of computed items and queue snapshots.
 *
 * The cache is disposable: everything in it can be recomputed from the
 * repository.  It lives at $GIT_COMMON_DIR/revq/cache.db, or under
 * $XDG_CACHE_HOME/revq/ when the git dir is not writable, or in memory as
 * a last resort; a corrupt file is deleted and rebuilt.  Each of these is
 * announced once through error_warn().
 *
 * cache_open() returns a cache the caller frees with cache_free().
 * Items returned by cache lookups are owned by the caller (item_free()).
 */
#ifndef REVQ_CACHE_H
#define REVQ_CACHE_H

#include <git2.h>

#include "judge/item.h"
#include "git/pending.h"
#include "base/pool.h"
#include "sign/sign.h"

struct cache;

#define CACHE_SCHEMA_VERSION 7
#define CACHE_KEY_SIZE 20

/*
 * Opens (creating or migrating) the cache for the repository whose common
 * git dir is commondir.  fingerprint names the rules the items were
 * computed with; when it changes, computed items are dropped.
 * Only fails when not even an in-memory database can be opened.
 */
int cache_open(struct cache **out, const char *commondir, const char *fingerprint);
void cache_free(struct cache *cache);

/* Where the cache lives (a path, or ":memory:"). */
const char *cache_path(const struct cache *cache);

/*
 * A snapshot is the result of one pending walk (its key names the walk's
 * inputs): the pending commits in order with their refs, and the graph
 * the walk met, so that the next walk after a ref moved reads from the
 * repository only what changed (git/pending.h).  Its items come from a
 * pack: copies of the items of some earlier pending set, read in one
 * range scan and matched by id.  A new commit does not copy the queue
 * again: a snapshot shares its pack with the one before it until too
 * many of its items are not in it.  Sixteen snapshots and four packs are
 * kept.  An item in a pack may be missing (NULL) or less complete than
 * the commits table's (not analyzed): the queue fills those from the
 * commits table.  Items never go stale otherwise: they depend only on
 * the commit and the rules, and new rules clear the cache.
 */
/*
 * Loads the snapshot stored under key: the pending commits with their
 * refs, and for each its item from the snapshot's pack or NULL.  *items
 * has pending->nr entries; the caller frees it and the items, and the
 * pending set, then *pool, which holds the items' blocks and the refs
 * (borrowed, strvec.h).  With pool NULL everything comes from malloc()
 * instead, for a pending set that must outlive the call; with items NULL
 * only the pending set is read.  *pack says which pack the items came
 * from (0: none).  REVQ_ENOTFOUND if absent or damaged.
 */
int cache_load_snapshot(struct cache *cache, const unsigned char key[CACHE_KEY_SIZE],
			struct pending *pending, struct item ***items, struct pool **pool,
			int64_t *pack);
/*
 * What the most recently stored snapshot knows, for a walk that found no
 * snapshot of its own: its graph into graph (empty), and its pack.
 * REVQ_ENOTFOUND, with graph empty and *pack 0, when there is none or it
 * is damaged.
 */
int cache_load_walk(struct cache *cache, struct pending_graph *graph, int64_t *pack);
/*
 * The items of pending that pack holds, into items (pending->nr entries,
 * NULL where it has none), and a new *pool holding them (or malloc()
 * when pool is NULL).
 */
void cache_load_pack(struct cache *cache, int64_t pack, const struct pending *pending,
		     struct item **items, struct pool **pool);
/*
 * Stores pending under key with graph, the graph its walk met (NULL: a
 * snapshot read under key is stored again, and its walk is kept).  Its
 * items are those of pack, of which misses are missing or replaced: when
 * they are too many (or pack is 0), and items is not NULL, a new pack of
 * items[0..pending->nr) is written (entries may be NULL).
 */
int cache_store_snapshot(struct cache *cache, const unsigned char key[CACHE_KEY_SIZE],
			 const struct pending *pending, const struct pending_graph *graph,
			 struct item *const *items, int64_t pack, size_t misses);

/* One cached item, or REVQ_ENOTFOUND. */
int cache_get_item(struct item **out, struct cache *cache, const git_oid *id);
/* Brackets many lookups in one read transaction (one lock instead of many). */
void cache_read_begin(struct cache *cache);
void cache_read_end(struct cache *cache);
/* Stores items in one transaction. */
int cache_put_items(struct cache *cache, struct item *const *items, size_t nr);
/* Drops every computed row: `revq cache rebuild`. */
int cache_clear(struct cache *cache);

/* Patch-ids of commits (see analyze_patch_id()). */
int cache_get_patch_id(git_oid *out, struct cache *cache, const git_oid *commit);
void cache_put_patch_id(struct cache *cache, const git_oid *commit, const git_oid *patch_id);

/*
 * The files a fix commit touched (queue/history.c), one row per file:
 * appends them to paths, or REVQ_ENOTFOUND when the commit is not
 * stored.  The reads of one list go in one cache_read_begin() bracket;
 * cache_put_fix_files() stores many commits in one transaction.
 */
int cache_get_fix_files(struct strvec *paths, struct cache *cache, const git_oid *commit);
int cache_put_fix_files(struct cache *cache, const git_oid *commits, const struct strvec *paths,
			size_t nr);

/*
 * Signature verification results, keyed by the hash of the record line
 * and the verifier's trust context (allowed signers, trust settings): a
 * result is reused only while both are unchanged.  What is kept is the
 * timeless answer (sig_identity.timeless) with the key, its principals
 * and its validity window, so that the reader checks the window against
 * the clock (sig_status_now()) exactly as a fresh verification does.
 * *id is the caller's to release (sig_identity_release()); a result
 * that is not cacheable is not stored.
 */
int cache_get_verification(int *status, struct sig_identity *id, struct cache *cache,
			   const git_oid *record, const char *context);
void cache_put_verification(struct cache *cache, const git_oid *record, const char *context,
			    int status, const struct sig_identity *id);

/*
 * The outcome of judging one item's decisions (review_apply()), kept so
 * that a queue whose notes, target, policy and trust are unchanged is
 * not judged again.  A set of outcomes is stored under a key that names
 * everything the answers depend on (review.c says what), with the span
 * of time [valid_from, valid_until) in which the clock changes none of
 * them, and the trust context they were judged in (gpg's keyring folded
 * in when an OpenPGP signature was checked).
 */
struct outcome {
	git_oid commit;
	uint64_t inputs;          /* a hash of what the item gave the judgement (risk, paths) */
	int status;               /* enum item_status */
	unsigned approvals, approvals_needed;
	int64_t decided_at;
	char *detail;             /* owned: item.status_detail, or NULL */
	int need;                 /* enum need_of for the reviewer the set is for, or -1 */
	/* What a change in the notes must touch to change the outcome (review.c): */
	git_oid patch_id;         /* the commit's exact identity, when judging computed it; else zero */
	git_oid path_key;         /* the cheap key of the paths it changes; zero when unknown */
	uint64_t heads;           /* a hash of the branch tips judging consulted (series), or 0 */
};

struct outcomes {
	struct outcome *v;        /* owned: by commit once sorted (outcomes_sort()) */
	size_t nr, alloc;
	int64_t valid_from, valid_until;
	char *context;            /* owned: the trust context, or NULL */
	int gpg;                  /* context includes the gpg keyring's listing */
	git_oid notes;            /* the notes commit they were judged at (zero: no notes) */
};

void outcomes_init(struct outcomes *o);
void outcomes_release(struct outcomes *o);
/* A new zeroed outcome for commit at the end (sort before finding). */
struct outcome *outcomes_add(struct outcomes *o, const git_oid *commit);
void outcomes_sort(struct outcomes *o);
/* The outcome of commit in a sorted set, or NULL. */
struct outcome *outcomes_find(struct outcomes *o, const git_oid *commit);
/*
 * A stored set, read entry by entry in commit order without holding it
 * in memory: *head gets its span, context and gpg flag (no entries).
 * The reader holds a read transaction: free it before writing to the
 * cache.  REVQ_ENOTFOUND when no set is stored under key.
 */
struct outcome_reader;
int cache_outcomes_open(struct outcome_reader **out, struct outcomes *head, struct cache *cache,
			const unsigned char key[CACHE_KEY_SIZE]);
/* 1 with the next entry in *o (its detail the caller's), 0 after the last, REVQ_ERROR when damaged. */
int outcome_reader_next(struct outcome_reader *r, struct outcome *o);
void outcome_reader_free(struct outcome_reader *r);
/* Stores a sorted set under key (replacing any), keeping only the few newest sets. */
void cache_put_outcomes(struct cache *cache, const unsigned char key[CACHE_KEY_SIZE], const struct outcomes *o);

/*
 * The reviewer's "viewed" mark on a file version (file: its key, from
 * show/viewed.h): 1 when marked.  The marks are the reviewer's state,
 * kept by cache_clear(); with the cache off nothing is marked.
 */
int cache_get_viewed(struct cache *cache, const char *reviewer, const git_oid *file);
/* The marks of n file versions at once (one statement): marks[i] 1 when files[i] is marked, else 0. */
void cache_get_viewed_many(struct cache *cache, const char *reviewer, const git_oid *files, size_t n,
			   unsigned char *marks);
void cache_set_viewed(struct cache *cache, const char *reviewer, const git_oid *file, int viewed, int64_t at);

/*
 * Reports a failed cache operation: a corrupt file is reset, anything
 * else turns the cache off for this process.  Returns 0 so callers can
 * carry on without the cache.
 */
int cache_recover(struct cache *cache, const char *what);

#endif
