/*
 * test_oidmap.c: the object-id map of the graph walks: put, replace, get,
 * growth past many resizes, and ids that share their first bytes.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"
#include "base/oidmap.h"

static void make_oid(git_oid *id, unsigned n, unsigned char fill)
{
	memset(id, fill, sizeof(*id));
	/* The low bytes vary last: ids that differ only at the end collide in a naive hash. */
	id->id[GIT_OID_RAWSZ - 4] = (unsigned char)(n >> 24);
	id->id[GIT_OID_RAWSZ - 3] = (unsigned char)(n >> 16);
	id->id[GIT_OID_RAWSZ - 2] = (unsigned char)(n >> 8);
	id->id[GIT_OID_RAWSZ - 1] = (unsigned char)n;
}

static void test_put_get_replace(void **state)
{
	struct oidmap map = OIDMAP_INIT;
	git_oid a, b;
	size_t v = 0;

	(void)state;
	make_oid(&a, 1, 0xab);
	make_oid(&b, 2, 0xab);
	assert_false(oidmap_get(&map, &a, &v));   /* empty map */
	oidmap_put(&map, &a, 10);
	assert_true(oidmap_get(&map, &a, &v));
	assert_int_equal(v, 10);
	assert_false(oidmap_get(&map, &b, &v));
	oidmap_put(&map, &a, 11);
	assert_true(oidmap_get(&map, &a, &v));
	assert_int_equal(v, 11);
	assert_int_equal(map.nr, 1);
	oidmap_clear(&map);
	assert_false(oidmap_get(&map, &a, &v));
}

static void test_many_keys_survive_growth(void **state)
{
	struct oidmap map = OIDMAP_INIT;
	git_oid id;
	size_t v;

	(void)state;
	for (unsigned i = 0; i < 100000; i++) {
		make_oid(&id, i, 0x5a);
		oidmap_put(&map, &id, i * 3);
	}
	assert_int_equal(map.nr, 100000);
	assert_true(map.nr < map.size);
	for (unsigned i = 0; i < 100000; i++) {
		make_oid(&id, i, 0x5a);
		assert_true(oidmap_get(&map, &id, &v));
		assert_int_equal(v, i * 3);
	}
	make_oid(&id, 100000, 0x5a);
	assert_false(oidmap_get(&map, &id, &v));
	make_oid(&id, 7, 0x5b);
	assert_false(oidmap_get(&map, &id, &v));
	oidmap_clear(&map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_replace),
		cmocka_unit_test(test_many_keys_survive_growth),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
