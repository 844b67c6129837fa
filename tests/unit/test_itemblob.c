/*
 * test_itemblob.c: the cache's byte form of an item (itemblob.h) and the
 * pool its decoded items live in (pool.h).  Encoding then decoding gives
 * the same item; anything that is not exactly a well-formed blob is
 * refused, never read past its end.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "store/itemblob.h"
#include "base/pool.h"

static struct item *sample_item(void)
{
	struct item *it = item_new();

	git_oid_fromstr(&it->id, "0123456789abcdef0123456789abcdef01234567");
	git_oid_fromstr(&it->tree, "89abcdef0123456789abcdef0123456789abcdef");
	it->subject = xstrdup("Tear down the staging cluster \xe2\x80\xae");
	it->author_name = xstrdup("J\xc3\xa9r\xc3\xb4me");
	it->author_email = xstrdup("jerome@example.com");
	it->committer_name = xstrdup("");
	it->committer_email = xstrdup("bot@example.com");
	it->author_time = -86400;   /* before the epoch */
	it->author_offset = -330;
	it->commit_time = INT64_C(4102444800);
	strvec_push(&it->markers, "trailer Co-authored-by: Claude");
	it->analyzed = 1;
	it->files = 3;
	it->added = UINT32_MAX;
	it->deleted = 0;
	it->risk = 100;
	strvec_push(&it->reasons, "+40 infrastructure");
	strvec_push(&it->reasons, "+20 destructive: terraform destroy");
	strvec_push(&it->paths, "infra/main.tf");
	strvec_push(&it->paths, "");
	strvec_push(&it->paths, "a b/c");
	return it;
}

static void assert_same_strvec(const struct strvec *a, const struct strvec *b)
{
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++)
		assert_string_equal(a->v[i], b->v[i]);
	assert_null(b->v ? b->v[b->nr] : NULL);
}

static void assert_same_item(const struct item *a, const struct item *b)
{
	assert_true(git_oid_equal(&a->id, &b->id));
	assert_true(git_oid_equal(&a->tree, &b->tree));
	assert_string_equal(a->subject, b->subject);
	assert_string_equal(a->author_name, b->author_name);
	assert_string_equal(a->author_email, b->author_email);
	assert_string_equal(a->committer_name, b->committer_name);
	assert_string_equal(a->committer_email, b->committer_email);
	assert_int_equal(a->author_time, b->author_time);
	assert_int_equal(a->author_offset, b->author_offset);
	assert_int_equal(a->commit_time, b->commit_time);
	assert_int_equal(a->analyzed, b->analyzed);
	assert_int_equal(a->files, b->files);
	assert_int_equal(a->added, b->added);
	assert_int_equal(a->deleted, b->deleted);
	assert_int_equal(a->risk, b->risk);
	assert_same_strvec(&a->markers, &b->markers);
	assert_same_strvec(&a->reasons, &b->reasons);
	assert_same_strvec(&a->paths, &b->paths);
}

static void test_round_trip(void **state)
{
	struct item *it = sample_item(), *back;
	struct strbuf blob = STRBUF_INIT, again = STRBUF_INIT;

	(void)state;
	itemblob_encode(&blob, it);
	assert_int_equal(itemblob_decode(&back, &it->id, blob.buf, blob.len, NULL), 0);
	assert_same_item(it, back);
	assert_non_null(back->strings);
	assert_int_equal(back->pooled, 0);
	/* Canonical: what was read encodes to the same bytes. */
	itemblob_encode(&again, back);
	assert_int_equal(again.len, blob.len);
	assert_memory_equal(again.buf, blob.buf, blob.len);
	item_free(back);   /* one block: ASan's leak check sees it all go */
	item_free(it);
	strbuf_release(&blob);
	strbuf_release(&again);
}

static void test_empty_lists_and_unanalyzed(void **state)
{
	struct item *it = item_new(), *back;
	struct strbuf blob = STRBUF_INIT;

	(void)state;
	it->subject = xstrdup("s");
	it->author_name = xstrdup("a");
	it->author_email = xstrdup("e");
	it->committer_name = xstrdup("c");
	it->committer_email = xstrdup("d");
	itemblob_encode(&blob, it);
	assert_int_equal(itemblob_decode(&back, &it->id, blob.buf, blob.len, NULL), 0);
	assert_same_item(it, back);
	assert_int_equal(back->markers.nr, 0);
	assert_false(item_is_ai(back));
	item_free(back);
	item_free(it);
	strbuf_release(&blob);
}

static void test_decoded_size_is_what_decode_takes(void **state)
{
	struct item *it = sample_item(), *back;
	struct strbuf blob = STRBUF_INIT;
	struct pool *pool;
	size_t size;
	char *after;

	(void)state;
	itemblob_encode(&blob, it);
	size = itemblob_decoded_size(blob.buf, blob.len);
	assert_true(size > sizeof(struct item) + blob.len - 70);
	pool = pool_new(size + 1, 2);   /* room for the item and one byte after it */
	assert_int_equal(itemblob_decode(&back, &it->id, blob.buf, blob.len, pool), 0);
	assert_int_equal(back->pooled, 1);
	/* The next allocation starts right after the item's block, rounded up. */
	after = pool_alloc(pool, 1);
	assert_true(after >= (char *)back + size && after < (char *)back + size + 16);
	assert_same_item(it, back);
	item_free(back);   /* frees nothing of the pool's */
	pool_free(pool);
	assert_int_equal(itemblob_decoded_size("junk", 4), 0);
	item_free(it);
	strbuf_release(&blob);
}

/* Every malformed variant is refused with REVQ_EUSAGE and no item. */
static void assert_refused(const struct strbuf *blob, const char *why)
{
	struct item *back = (struct item *)1;
	git_oid id;

	memset(&id, 0, sizeof(id));
	if (itemblob_decode(&back, &id, blob->buf, blob->len, NULL) != REVQ_EUSAGE)
		fail_msg("accepted a blob with %s", why);
	assert_null(back);
}

static void test_malformed_blobs_are_refused(void **state)
{
	struct item *it = sample_item();
	struct strbuf good = STRBUF_INIT, bad = STRBUF_INIT;

	(void)state;
	itemblob_encode(&good, it);
	for (size_t n = 0; n < good.len; n++) {
		strbuf_reset(&bad);
		strbuf_add(&bad, good.buf, n);
		assert_refused(&bad, "its end cut off");
	}
	strbuf_reset(&bad);
	strbuf_add(&bad, good.buf, good.len);
	strbuf_addch(&bad, 'x');
	assert_refused(&bad, "a byte after the last string");
	strbuf_addch(&bad, '\0');
	assert_refused(&bad, "an extra string");

	strbuf_reset(&bad);
	strbuf_add(&bad, good.buf, good.len);
	bad.buf[0] = ITEMBLOB_FORMAT + 1;
	assert_refused(&bad, "another format");
	bad.buf[0] = ITEMBLOB_FORMAT;
	bad.buf[1] = 2;
	assert_refused(&bad, "analyzed = 2");
	bad.buf[1] = 1;
	bad.buf[42] = 101;   /* risk */
	assert_refused(&bad, "a risk above 100");
	bad.buf[42] = (char)0xff;
	bad.buf[43] = bad.buf[44] = bad.buf[45] = (char)0xff;   /* -1 */
	assert_refused(&bad, "a negative risk");
	memcpy(bad.buf + 42, good.buf + 42, 4);
	bad.buf[66] = 4;   /* four paths, three present */
	assert_refused(&bad, "a count above the strings present");
	bad.buf[66] = 2;   /* two paths: one string left over */
	assert_refused(&bad, "a count below the strings present");
	bad.buf[66] = bad.buf[67] = bad.buf[68] = bad.buf[69] = (char)0xff;
	assert_refused(&bad, "a count of four billion");
	item_free(it);
	strbuf_release(&good);
	strbuf_release(&bad);
}

static void test_pool_alignment_zeroing_and_growth(void **state)
{
	struct pool *pool = pool_new(100, 10);
	char *big;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		size_t size = (size_t)(i % 97) + 1;
		unsigned char *p = pool_alloc(pool, size);

		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t j = 0; j < size; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xab, size);   /* ASan: every byte is ours to write */
	}
	big = pool_alloc(pool, 5 * 1024 * 1024);   /* more than any block so far */
	big[5 * 1024 * 1024 - 1] = 1;
	pool_free(pool);
	pool_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_lists_and_unanalyzed),
		cmocka_unit_test(test_decoded_size_is_what_decode_takes),
		cmocka_unit_test(test_malformed_blobs_are_refused),
		cmocka_unit_test(test_pool_alignment_zeroing_and_growth),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
