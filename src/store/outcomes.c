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
 *   | decided_at (8) | need (4) | patch-id (20) | path key (20)
 *   | heads (8) | detail length (4) | detail
 * all integers little-endian.  The row names the notes commit the set
 * was judged at.  It is read an entry at a time, in order
 * (outcome_reader_next()): an entry that does not parse, or out of
 * order, ends the reading, and the items not read yet are judged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "store/cache_int.h"

/* The fixed part of one entry. */
#define ENTRY_FIXED (GIT_OID_RAWSZ + 8 + 4 + 4 + 4 + 8 + 4 + GIT_OID_RAWSZ + GIT_OID_RAWSZ + 8 + 4)
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
	e->need = -1;
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
		put_u32(out, (uint32_t)e->need);
		strbuf_add(out, e->patch_id.id, GIT_OID_RAWSZ);
		strbuf_add(out, e->path_key.id, GIT_OID_RAWSZ);
		put_u64(out, e->heads);
		/* 0: no detail; else its length plus one */
		put_u32(out, e->detail ? (uint32_t)len + 1 : 0);
		if (e->detail)
			strbuf_add(out, e->detail, len);
	}
}

/* ---- reading, one entry at a time ---- */

/* Bytes read from the blob at a time: the one buffer a read needs, however many entries. */
#define READ_CHUNK (64 * 1024)

/*
 * A stored set read in commit order straight from the database, in one
 * read transaction, through a buffer of READ_CHUNK bytes: a warm list
 * of 10,000 items touches no memory of the set's size (on these
 * machines a fresh page costs more than the instructions reading it).
 */
struct outcome_reader {
	struct cache *cache;      /* not owned */
	sqlite3_blob *blob;       /* owned */
	int began;                /* the read transaction is ours to end */
	int size, offset;         /* the blob's bytes, and how many are in or before buf */
	size_t left;              /* entries not read yet */
	size_t buf_len, buf_pos;
	unsigned char buf[READ_CHUNK];
};

/* Copies the next n bytes of the blob to dst; REVQ_ERROR past its end or when it cannot be read. */
static int take(struct outcome_reader *r, void *dst, size_t n)
{
	unsigned char *to = dst;

	while (n) {
		size_t part;

		if (r->buf_pos == r->buf_len) {
			int chunk = r->size - r->offset < READ_CHUNK ? r->size - r->offset : READ_CHUNK;

			if (chunk <= 0 || sqlite3_blob_read(r->blob, r->buf, chunk, r->offset))
				return REVQ_ERROR;
			r->offset += chunk;
			r->buf_len = (size_t)chunk;
			r->buf_pos = 0;
		}
		part = r->buf_len - r->buf_pos < n ? r->buf_len - r->buf_pos : n;
		memcpy(to, r->buf + r->buf_pos, part);
		r->buf_pos += part;
		to += part;
		n -= part;
	}
	return 0;
}

int cache_outcomes_open(struct outcome_reader **out, struct outcomes *head, struct cache *c,
			const unsigned char key[CACHE_KEY_SIZE])
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT rowid, valid_from, valid_until, context, gpg, entries, notes"
					 " FROM outcome_sets WHERE key = ?");
	sqlite3_int64 rowid = 0, entries = -1;
	sqlite3_blob *blob = NULL;
	int began, step;

	outcomes_init(head);
	*out = NULL;
	if (!st)
		return REVQ_ENOTFOUND;
	/* The row and its blob read in one transaction: a writer replacing it in between is not seen. */
	began = sqlite3_get_autocommit(c->db) && !cache_exec(c->db, "BEGIN");
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		rowid = sqlite3_column_int64(st, 0);
		head->valid_from = sqlite3_column_int64(st, 1);
		head->valid_until = sqlite3_column_int64(st, 2);
		head->context = cache_column_text(st, 3);
		head->gpg = sqlite3_column_int(st, 4);
		entries = sqlite3_column_int64(st, 5);
		if (sqlite3_column_bytes(st, 6) == GIT_OID_RAWSZ)
			git_oid_fromraw(&head->notes, sqlite3_column_blob(st, 6));
	} else if (step != SQLITE_DONE) {
		cache_recover(c, "reading decisions' outcomes");
	}
	sqlite3_finalize(st);
	if (entries >= 0 && c->db && !sqlite3_blob_open(c->db, "main", "outcome_sets", "body", rowid, 0, &blob)) {
		struct outcome_reader *r = xcalloc(1, sizeof(*r));

		r->cache = c;
		r->blob = blob;
		r->began = began;
		r->size = sqlite3_blob_bytes(blob);
		r->left = (size_t)entries;
		*out = r;
		return 0;
	}
	sqlite3_blob_close(blob);
	if (began && c->db)
		cache_exec(c->db, "COMMIT");
	outcomes_release(head);
	return REVQ_ENOTFOUND;
}

int outcome_reader_next(struct outcome_reader *r, struct outcome *o)
{
	unsigned char fixed[ENTRY_FIXED];
	uint32_t len;

	memset(o, 0, sizeof(*o));
	if (!r->left)
		return 0;
	if (take(r, fixed, ENTRY_FIXED))
		return REVQ_ERROR;
	git_oid_fromraw(&o->commit, fixed);
	o->inputs = get_u64(fixed + 20);
	o->status = (int)get_u32(fixed + 28);
	o->approvals = get_u32(fixed + 32);
	o->approvals_needed = get_u32(fixed + 36);
	o->decided_at = (int64_t)get_u64(fixed + 40);
	o->need = (int)get_u32(fixed + 48);
	git_oid_fromraw(&o->patch_id, fixed + 52);
	git_oid_fromraw(&o->path_key, fixed + 72);
	o->heads = get_u64(fixed + 92);
	len = get_u32(fixed + 100);
	if (len) {
		if (len - 1 > DETAIL_MAX)
			return REVQ_ERROR;
		o->detail = xmalloc(len);
		if (take(r, o->detail, len - 1)) {
			free(o->detail);
			o->detail = NULL;
			return REVQ_ERROR;
		}
		o->detail[len - 1] = '\0';
	}
	r->left--;
	return 1;
}

void outcome_reader_free(struct outcome_reader *r)
{
	if (!r)
		return;
	sqlite3_blob_close(r->blob);
	if (r->began && r->cache->db)
		cache_exec(r->cache->db, "COMMIT");
	free(r);
}

void cache_put_outcomes(struct cache *c, const unsigned char key[CACHE_KEY_SIZE], const struct outcomes *o)
{
	struct strbuf body = STRBUF_INIT;
	sqlite3_stmt *st;
	int ok;

	if (!(st = cache_prepare(c, "INSERT OR REPLACE INTO outcome_sets VALUES(?,"
				 " (SELECT IFNULL(MAX(used), 0) + 1 FROM outcome_sets), ?, ?, ?, ?, ?, ?, ?)")))
		return;
	encode(&body, o);
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_SIZE, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, o->valid_from);
	sqlite3_bind_int64(st, 3, o->valid_until);
	sqlite3_bind_text(st, 4, o->context ? o->context : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, o->gpg);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)o->nr);
	sqlite3_bind_blob(st, 7, body.len ? body.buf : "", (int)body.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, o->notes.id, GIT_OID_RAWSZ, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	strbuf_release(&body);
	if (ok)
		/* Each target, trust context or reviewer makes a set: the 8 newest are kept. */
		ok = !cache_exec(c->db, "DELETE FROM outcome_sets WHERE key NOT IN"
				 " (SELECT key FROM outcome_sets ORDER BY used DESC LIMIT 8)");
	if (!ok)
		cache_recover(c, "storing decisions' outcomes");
}
