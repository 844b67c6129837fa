/*
 * viewed.c: the reviewer's viewed marks on a diff's files, their keys,
 * and their form in a decision record (viewed.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "show/viewed.h"

void viewed_file_key(git_oid *out, const struct layout_file *f)
{
	struct strbuf key = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ];

	/* "viewed OLD NEW\n", written without a format: a wide commit has thousands of keys. */
	strbuf_addstr(&key, "viewed ");
	git_oid_fmt(hex, &f->old_id);
	strbuf_add(&key, hex, sizeof(hex));
	strbuf_addch(&key, ' ');
	git_oid_fmt(hex, &f->new_id);
	strbuf_add(&key, hex, sizeof(hex));
	strbuf_addch(&key, '\n');
	strbuf_add(&key, f->old_path ? f->old_path : "", f->old_path ? strlen(f->old_path) + 1 : 1);
	strbuf_add(&key, f->new_path ? f->new_path : "", f->new_path ? strlen(f->new_path) + 1 : 1);
	git_odb_hash(out, key.buf, key.len, GIT_OBJECT_BLOB);
	strbuf_release(&key);
}

void viewed_load(struct viewed *out, struct cache *c, const char *reviewer, const struct layout *l)
{
	git_oid *keys = xcalloc(l->files_nr ? l->files_nr : 1, sizeof(*keys));

	memset(out, 0, sizeof(*out));
	out->nr = l->files_nr;
	out->marks = xcalloc(l->files_nr ? l->files_nr : 1, 1);
	for (size_t i = 0; i < l->files_nr; i++)
		viewed_file_key(&keys[i], &l->files[i]);
	/* One statement for every file: a commit of 3,000 files opens in one query, not 3,000. */
	cache_get_viewed_many(c, reviewer, keys, l->files_nr, out->marks);
	for (size_t i = 0; i < l->files_nr; i++)
		out->count += out->marks[i];
	free(keys);
}

void viewed_release(struct viewed *v)
{
	free(v->marks);
	memset(v, 0, sizeof(*v));
}

int viewed_toggle(struct viewed *v, struct cache *c, const char *reviewer, const struct layout *l, size_t file)
{
	git_oid key;

	if (file >= v->nr)
		return 0;
	v->marks[file] = !v->marks[file];
	v->count = v->marks[file] ? v->count + 1 : v->count - 1;
	viewed_file_key(&key, &l->files[file]);
	cache_set_viewed(c, reviewer, &key, v->marks[file], clock_now());
	return v->marks[file];
}

size_t viewed_next_unviewed(const struct viewed *v, size_t from)
{
	size_t start = from == SIZE_MAX ? 0 : from + 1;

	for (size_t k = 0; k < v->nr; k++) {
		size_t i = (start + k) % v->nr;

		if (!v->marks[i])
			return i;
	}
	return SIZE_MAX;
}

static void add_encoded_path(struct strbuf *out, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p <= ' ' || *p == '%' || *p == 0x7f || *p == '"' || *p == '\\')
			strbuf_addf(out, "%%%02X", *p);
		else
			strbuf_addch(out, (char)*p);
	}
}

void viewed_record_value(struct strbuf *out, const struct viewed *v, const struct layout *l, size_t max_paths)
{
	size_t listed = 0;

	strbuf_addf(out, "%zu/%zu", v->count, v->nr);
	for (size_t i = 0; i < v->nr; i++) {
		const struct layout_file *f = &l->files[i];

		if (!v->marks[i])
			continue;
		if (listed++ == max_paths) {
			strbuf_addf(out, " +%zu", v->count - max_paths);
			break;
		}
		strbuf_addch(out, ' ');
		add_encoded_path(out, f->status == 'D' ? f->old_path : f->new_path);
	}
}
