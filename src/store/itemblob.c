/*
 * itemblob.c: encoding a computed item as one blob for the cache, and
 * decoding it into a single allocation (layout in itemblob.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "store/bytes.h"
#include "store/itemblob.h"

#define HEADER_SIZE 70
#define FIXED_STRINGS 5   /* author name and email, committer name and email, subject */

static void add_string(struct strbuf *out, const char *s)
{
	if (!s)
		s = "";
	strbuf_add(out, s, strlen(s) + 1);
}

static void add_list(struct strbuf *out, const struct strvec *sv)
{
	for (size_t i = 0; i < sv->nr; i++)
		add_string(out, sv->v[i]);
}

void itemblob_encode(struct strbuf *out, const struct item *it)
{
	unsigned char h[HEADER_SIZE];

	h[0] = ITEMBLOB_FORMAT;
	h[1] = it->analyzed ? 1 : 0;
	memcpy(h + 2, it->tree.id, GIT_OID_RAWSZ);
	put_u64(h + 22, (uint64_t)it->author_time);
	put_u64(h + 30, (uint64_t)it->commit_time);
	put_u32(h + 38, (uint32_t)it->author_offset);
	put_u32(h + 42, (uint32_t)it->risk);
	put_u32(h + 46, it->files);
	put_u32(h + 50, it->added);
	put_u32(h + 54, it->deleted);
	put_u32(h + 58, (uint32_t)it->markers.nr);
	put_u32(h + 62, (uint32_t)it->reasons.nr);
	put_u32(h + 66, (uint32_t)it->paths.nr);
	strbuf_add(out, h, sizeof(h));
	add_string(out, it->author_name);
	add_string(out, it->author_email);
	add_string(out, it->committer_name);
	add_string(out, it->committer_email);
	add_string(out, it->subject);
	add_list(out, &it->markers);
	add_list(out, &it->reasons);
	add_list(out, &it->paths);
	/* One key per reason, so the count of reasons serves both lists. */
	for (size_t i = 0; i < it->reasons.nr; i++)
		add_string(out, i < it->reason_keys.nr ? it->reason_keys.v[i] : "");
}

/*
 * Hands out the NUL-terminated strings of [*at, end) one by one; NULL
 * when none is left (a string without its NUL counts as none).
 */
static char *next_string(char **at, const char *end)
{
	char *s = *at, *nul;

	if (s >= end || !(nul = memchr(s, '\0', (size_t)(end - s))))
		return NULL;
	*at = nul + 1;
	return s;
}

/* Points sv at nr strings from [*at, end), its array at *slots. */
static int take_list(struct strvec *sv, char ***slots, size_t nr, char **at, const char *end)
{
	sv->v = *slots;
	sv->nr = nr;
	sv->alloc = 0;   /* borrowed from the item's block (strvec.h) */
	for (size_t i = 0; i < nr; i++)
		if (!(sv->v[i] = next_string(at, end)))
			return -1;
	sv->v[nr] = NULL;
	*slots += nr + 1;
	return 0;
}

static int take_strings(struct item *it, char **slots, size_t counts[3], char *at, const char *end)
{
	if (!(it->author_name = next_string(&at, end)) ||
	    !(it->author_email = next_string(&at, end)) ||
	    !(it->committer_name = next_string(&at, end)) ||
	    !(it->committer_email = next_string(&at, end)) ||
	    !(it->subject = next_string(&at, end)) ||
	    take_list(&it->markers, &slots, counts[0], &at, end) ||
	    take_list(&it->reasons, &slots, counts[1], &at, end) ||
	    take_list(&it->paths, &slots, counts[2], &at, end) ||
	    take_list(&it->reason_keys, &slots, counts[1], &at, end))
		return -1;
	return at == end ? 0 : -1;   /* nothing may follow the last string */
}

/* The entry counts of a blob, or -1 when its header is not well-formed. */
static int read_counts(size_t counts[3], const unsigned char *h, size_t size)
{
	if (size < HEADER_SIZE || h[0] != ITEMBLOB_FORMAT || h[1] > 1)
		return -1;
	counts[0] = get_u32(h + 58);
	counts[1] = get_u32(h + 62);
	counts[2] = get_u32(h + 66);
	/* Every string takes at least its NUL: this bounds the counts. */
	return counts[0] + 2 * counts[1] + counts[2] + FIXED_STRINGS > size - HEADER_SIZE ? -1 : 0;
}

/* The item's block: the struct, then the three arrays, then the strings. */
static size_t block_head(void)
{
	return (sizeof(struct item) + sizeof(char *) - 1) / sizeof(char *) * sizeof(char *);
}

static size_t block_size(const size_t counts[3], size_t size)
{
	return block_head() + (counts[0] + 2 * counts[1] + counts[2] + 4) * sizeof(char *) +
	       (size - HEADER_SIZE);
}

size_t itemblob_decoded_size(const void *data, size_t size)
{
	size_t counts[3];

	return read_counts(counts, data, size) ? 0 : block_size(counts, size);
}

int itemblob_decode(struct item **out, const git_oid *id, const void *data, size_t size,
		    struct pool *pool)
{
	const unsigned char *h = data;
	size_t counts[3], text = size - HEADER_SIZE;
	struct item *it;
	char **slots;

	*out = NULL;
	if (read_counts(counts, h, size))
		return REVQ_EUSAGE;
	it = pool ? pool_alloc(pool, block_size(counts, size)) : xcalloc(1, block_size(counts, size));
	it->pooled = pool != NULL;
	slots = (char **)((char *)it + block_head());
	it->strings = (char *)(slots + counts[0] + 2 * counts[1] + counts[2] + 4);
	memcpy(it->strings, h + HEADER_SIZE, text);
	it->risk = (int32_t)get_u32(h + 42);
	if (take_strings(it, slots, counts, it->strings, it->strings + text) ||
	    it->risk < 0 || it->risk > 100) {
		item_free(it);   /* only the block: nothing else is set yet */
		return REVQ_EUSAGE;
	}
	git_oid_cpy(&it->id, id);
	it->analyzed = h[1];
	memcpy(it->tree.id, h + 2, GIT_OID_RAWSZ);
	it->author_time = (int64_t)get_u64(h + 22);
	it->commit_time = (int64_t)get_u64(h + 30);
	it->author_offset = (int32_t)get_u32(h + 38);
	it->files = get_u32(h + 46);
	it->added = get_u32(h + 50);
	it->deleted = get_u32(h + 54);
	*out = it;
	return 0;
}
