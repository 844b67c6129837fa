/*
 * outcomes.c: what judging a queue's decisions came to, kept so that a
 * warm list or console with thousands of decisions reads one row instead
 * of reading and judging every record again (issue 15, "decisions cost
 * what is new").  The cache keeps the answers, never the reasons to
 * trust them: the key (review.c) names the notes, the target, the trust
 * context and the rules, and the reader checks the clock against the
 * span stored with them.
 *
 * A set is one blob, entries sorted by commit, each:
 *   commit (20) | inputs (8) | status (4) | approvals (4) | needed (4)
 *   | decided_at (8) | detail length (4) | detail
 * all integers little-endian.  A blob that does not parse is not found.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "store/cache_int.h"

/* The fixed part of one entry. */
#define ENTRY_FIXED (GIT_OID_RAWSZ + 8 + 4 + 4 + 4 + 8 + 4)
/* A detail longer than this is cut (it is only a message). */
#define DETAIL_MAX (64 * 1024)

void outcomes_init(struct outcomes *o)
{
	memset(o, 0, sizeof(*o));
}

void outcomes_release(struct outcomes *o)
{
	for (size_t i = 0; i < o->nr; i++)
		free(o->v[i].detail);
	free(o->v);
	free(o->context);
	memset(o, 0, sizeof(*o));
}

struct outcome *outcomes_add(struct outcomes *o, const git_oid *commit)
{
	struct outcome *e;

	ALLOC_GROW(o->v, o->nr + 1, o->alloc);
	e = &o->v[o->nr++];
	memset(e, 0, sizeof(*e));
	git_oid_cpy(&e->commit, commit);
	return e;
}

static int compare_outcomes(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct outcome *)a)->commit, &((const struct outcome *)b)->commit);
}

void outcomes_sort(struct outcomes *o)
{
	if (o->nr)   /* qsort of NULL is undefined, even for no elements */
		qsort(o->v, o->nr, sizeof(*o->v), compare_outcomes);
}

struct outcome *outcomes_find(struct outcomes *o, const git_oid *commit)
{
	size_t lo = 0, hi = o->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = git_oid_cmp(&o->v[mid].commit, commit);

		if (!c)
			return &o->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the blob ---- */

static void put_u64(struct strbuf *out, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(out, b, 8);
}

static void put_u32(struct strbuf *out, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(out, b, 4);
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void encode(struct strbuf *out, const struct outcomes *o)
{
	for (size_t i = 0; i < o->nr; i++) {
		const struct outcome *e = &o->v[i];
		size_t len = e->detail ? strlen(e->detail) : 0;

		if (len > DETAIL_MAX)
			len = DETAIL_MAX;
		strbuf_add(out, e->commit.id, GIT_OID_RAWSZ);
		put_u64(out, e->inputs);
		put_u32(out, (uint32_t)e->status);
		put_u32(out, e->approvals);
		put_u32(out, e->approvals_needed);
		put_u64(out, (uint64_t)e->decided_at);
		/* 0: no detail; else its length plus one */
		put_u32(out, e->detail ? (uint32_t)len + 1 : 0);
		if (e->detail)
			strbuf_add(out, e->detail, len);
	}
}

/* 0, or REVQ_ERROR when the blob is not nr entries exactly. */
static int decode(struct outcomes *o, const unsigned char *p, size_t size, size_t nr)
{
	const unsigned char *end = p + size;

	for (size_t i = 0; i < nr; i++) {
		struct outcome *e;
		git_oid commit;
		uint32_t len;

		if ((size_t)(end - p) < ENTRY_FIXED)
			return REVQ_ERROR;
		git_oid_fromraw(&commit, p);
		e = outcomes_add(o, &commit);
		p += GIT_OID_RAWSZ;
		e->inputs = get_u64(p);
		e->status = (int)get_u32(p + 8);
		e->approvals = get_u32(p + 12);
		e->approvals_needed = get_u32(p + 16);
		e->decided_at = (int64_t)get_u64(p + 20);
		len = get_u32(p + 28);
		p += ENTRY_FIXED - GIT_OID_RAWSZ;
		if (len) {
			if (len - 1 > DETAIL_MAX || (size_t)(end - p) < len - 1)
				return REVQ_ERROR;
			e->detail = xstrndup((const char *)p, len - 1);
			p += len - 1;
		}
		if (i && git_oid_cmp(&o->v[i - 1].commit, &e->commit) >= 0)
			return REVQ_ERROR;   /* not sorted: outcomes_find() would miss */
	}
	return p == end ? 0 : REVQ_ERROR;
}

/* ---- the table ---- */

int cache_get_outcomes(struct outcomes *out, struct cache *c, const unsigned char key[CACHE_KEY_SIZE])
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT valid_from, valid_until, context, gpg, entries, body"
					 " FROM outcomes WHERE key = ?");
	int rc = REVQ_ENOTFOUND, step;

	outcomes_init(out);
	if (!st)
		return REVQ_ENOTFOUND;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const void *body = sqlite3_column_blob(st, 5);
		sqlite3_int64 entries = sqlite3_column_int64(st, 4);

		out->valid_from = sqlite3_column_int64(st, 0);
		out->valid_until = sqlite3_column_int64(st, 1);
		out->context = cache_column_text(st, 2);
		out->gpg = sqlite3_column_int(st, 3);
		if (entries >= 0 && (body || !entries) &&
		    !decode(out, body, (size_t)sqlite3_column_bytes(st, 5), (size_t)entries))
			rc = 0;
	} else if (step != SQLITE_DONE) {
		cache_recover(c, "reading decisions' outcomes");
	}
	sqlite3_finalize(st);
	if (rc)
		outcomes_release(out);
	return rc;
}

void cache_put_outcomes(struct cache *c, const unsigned char key[CACHE_KEY_SIZE], const struct outcomes *o)
{
	struct strbuf body = STRBUF_INIT;
	sqlite3_stmt *st;
	int ok;

	if (!(st = cache_prepare(c, "INSERT OR REPLACE INTO outcomes VALUES(?,"
				 " (SELECT IFNULL(MAX(used), 0) + 1 FROM outcomes), ?, ?, ?, ?, ?, ?)")))
		return;
	encode(&body, o);
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, o->valid_from);
	sqlite3_bind_int64(st, 3, o->valid_until);
	sqlite3_bind_text(st, 4, o->context ? o->context : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, o->gpg);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)o->nr);
	sqlite3_bind_blob(st, 7, body.len ? body.buf : "", (int)body.len, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	strbuf_release(&body);
	if (ok)
		/* Each notes tip, target or trust context makes a set: the 8 newest are kept. */
		ok = !cache_exec(c->db, "DELETE FROM outcomes WHERE key NOT IN"
				 " (SELECT key FROM outcomes ORDER BY used DESC LIMIT 8)");
	if (!ok)
		cache_recover(c, "storing decisions' outcomes");
}
