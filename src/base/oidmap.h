/*
 * oidmap.h: a hash map from object id to an index, for the commit graph
 * walks.  The map owns its table only; oidmap_clear() frees it.
 */
#ifndef REVQ_OIDMAP_H
#define REVQ_OIDMAP_H

#include <git2.h>
#include <stddef.h>

struct oidmap_entry {
	git_oid key;
	int used;       /* beside the key's 20 bytes: an entry is 32 bytes, not 40 */
	size_t value;
};

struct oidmap {
	struct oidmap_entry *table;   /* owned */
	size_t size;                  /* a power of two, or 0 */
	size_t nr;
};

#define OIDMAP_INIT { NULL, 0, 0 }

/* Makes room for nr entries in all, so that filling it never grows it again. */
void oidmap_reserve(struct oidmap *map, size_t nr);
/* Stores value under key (replacing any old value). */
void oidmap_put(struct oidmap *map, const git_oid *key, size_t value);
/* 1 and *value when key is present, else 0. */
int oidmap_get(const struct oidmap *map, const git_oid *key, size_t *value);
void oidmap_clear(struct oidmap *map);

/* The length of the short commit ids revq prints. */
#define SHORT_ID_LEN 10

/* The first len hex digits of id into buf (NUL-terminated, cut to fit size). */
void oid_short_id(char *buf, size_t size, const git_oid *id, size_t len);

#endif
