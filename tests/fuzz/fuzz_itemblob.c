/*
 * fuzz_itemblob.c: decoding cache blobs (itemblob.h).  The cache is a
 * file anyone with access to the repository can damage, so the decoder
 * must refuse whatever is not exactly a blob, never read past the end,
 * and read back what it accepts byte for byte: decode, then encode, gives
 * the input.  Decoding into a pool gives the same item as into malloc().
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/itemblob.h"
#include "base/pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf again = STRBUF_INIT, pooled = STRBUF_INIT;
	struct item *it, *in_pool;
	struct pool *pool;
	git_oid id;
	/* A copy of exactly size bytes, so that ASan sees any read past the end. */
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	memset(&id, 0x5a, sizeof(id));
	if (itemblob_decode(&it, &id, copy, size, NULL)) {
		if (itemblob_decoded_size(copy, size) && size >= 70 && it)
			abort();
		free(copy);
		return 0;
	}
	itemblob_encode(&again, it);
	if (again.len != size || memcmp(again.buf, copy, size))
		abort();   /* what is accepted is canonical */
	pool = pool_new(itemblob_decoded_size(copy, size), 1);
	if (itemblob_decode(&in_pool, &id, copy, size, pool))
		abort();
	itemblob_encode(&pooled, in_pool);
	if (pooled.len != size || memcmp(pooled.buf, copy, size))
		abort();
	item_free(in_pool);
	pool_free(pool);
	item_free(it);
	strbuf_release(&again);
	strbuf_release(&pooled);
	free(copy);
	return 0;
}
