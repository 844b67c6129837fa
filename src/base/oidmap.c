/*
 * oidmap.c: open-addressing hash map keyed by object id.  Object ids are
 * already uniformly distributed, so their first bytes are the hash.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/oidmap.h"
#include "base/strbuf.h"

static size_t slot_of(const struct oidmap *map, const git_oid *key)
{
	size_t h;

	memcpy(&h, key->id, sizeof(h));
	return h & (map->size - 1);
}

static void grow(struct oidmap *map)
{
	struct oidmap_entry *old = map->table;
	size_t old_size = map->size;

	map->size = old_size ? old_size * 2 : 64;
	map->table = xcalloc(map->size, sizeof(*map->table));
	map->nr = 0;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].used)
			oidmap_put(map, &old[i].key, old[i].value);
	free(old);
}

void oidmap_reserve(struct oidmap *map, size_t nr)
{
	size_t size = 64;

	if (map->nr) {
		while ((nr + 1) * 2 > map->size)
			grow(map);
		return;
	}
	while ((nr + 1) * 2 > size)
		size *= 2;
	if (size > map->size) {
		free(map->table);
		map->table = xcalloc(size, sizeof(*map->table));
		map->size = size;
	}
}

void oidmap_put(struct oidmap *map, const git_oid *key, size_t value)
{
	size_t i;

	if ((map->nr + 1) * 2 > map->size)
		grow(map);
	for (i = slot_of(map, key); map->table[i].used; i = (i + 1) & (map->size - 1)) {
		if (git_oid_equal(&map->table[i].key, key)) {
			map->table[i].value = value;
			return;
		}
	}
	git_oid_cpy(&map->table[i].key, key);
	map->table[i].value = value;
	map->table[i].used = 1;
	map->nr++;
}

int oidmap_get(const struct oidmap *map, const git_oid *key, size_t *value)
{
	if (!map->size)
		return 0;
	for (size_t i = slot_of(map, key); map->table[i].used; i = (i + 1) & (map->size - 1)) {
		if (git_oid_equal(&map->table[i].key, key)) {
			*value = map->table[i].value;
			return 1;
		}
	}
	return 0;
}

void oidmap_clear(struct oidmap *map)
{
	free(map->table);
	memset(map, 0, sizeof(*map));
}

void oid_short_id(char *buf, size_t size, const git_oid *id, size_t len)
{
	if (!size)
		return;
	if (len > GIT_OID_HEXSZ)
		len = GIT_OID_HEXSZ;
	if (len > size - 1)
		len = size - 1;
	git_oid_nfmt(buf, len, id);
	buf[len] = '\0';
}
