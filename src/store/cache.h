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

#define CACHE_SCHEMA_VERSION 6
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
 * inputs), with a copy of each commit's item, so that a warm list is one
 * read.  A copy may be missing (NULL) or less complete than the commits
 * table's (not analyzed): the queue fills those from the commits table
 * and stores the snapshot again.  Items never go stale otherwise: they
 * depend only on the commit and the rules, and new rules clear the cache.
 */
/*
 * Loads the snapshot stored under key: the pending commits with their
 * refs, and for each its item or NULL.  *items has pending->nr entries;
 * the caller frees it and the items, and the pending set, then *pool,
 * which holds the items' blocks and the refs (borrowed, strvec.h).  With
 * pool NULL everything comes from malloc() instead, for a pending set
 * that must outlive the call; with items NULL only the pending set is
 * read.  REVQ_ENOTFOUND if absent.
 */
int cache_load_snapshot(struct cache *cache, const unsigned char key[CACHE_KEY_SIZE],
			struct pending *pending, struct item ***items, struct pool **pool);
/* Stores pending under key, with copies of items[0..pending->nr) (items or entries may be NULL). */
int cache_store_snapshot(struct cache *cache, const unsigned char key[CACHE_KEY_SIZE],
			 const struct pending *pending, struct item *const *items);

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
 * The reviewer's "viewed" mark on a file version (file: its key, from
 * show/viewed.h): 1 when marked.  The marks are the reviewer's state,
 * kept by cache_clear(); with the cache off nothing is marked.
 */
int cache_get_viewed(struct cache *cache, const char *reviewer, const git_oid *file);
void cache_set_viewed(struct cache *cache, const char *reviewer, const git_oid *file, int viewed, int64_t at);

/*
 * Reports a failed cache operation: a corrupt file is reset, anything
 * else turns the cache off for this process.  Returns 0 so callers can
 * carry on without the cache.
 */
int cache_recover(struct cache *cache, const char *what);

#endif
