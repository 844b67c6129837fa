/*
 * units.c: grouping the queue's items by branch into series, so that the
 * console can review a branch as one change (units.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/oidmap.h"
#include "decide/series.h"
#include "show/units.h"

int unit_mode_parse(const char *value)
{
	if (!strcasecmp(value, "series"))
		return UNIT_SERIES;
	if (!strcasecmp(value, "commit"))
		return UNIT_COMMIT;
	return -1;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every ref label of q's items, sorted, each once; the strings are the items' (not owned). */
static size_t ref_labels(const char ***out, const struct queue *q)
{
	size_t nr = 0, alloc = 0, kept = 0;

	*out = NULL;
	for (size_t i = 0; i < q->nr; i++)
		for (size_t k = 0; k < q->items[i]->refs.nr; k++) {
			ALLOC_GROW(*out, nr + 1, alloc);
			(*out)[nr++] = q->items[i]->refs.v[k];
		}
	if (!nr)
		return 0;
	qsort(*out, nr, sizeof(**out), compare_strings);
	for (size_t i = 0; i < nr; i++)
		if (!kept || strcmp((*out)[kept - 1], (*out)[i]))
			(*out)[kept++] = (*out)[i];
	return kept;
}

/*
 * The unit of branch label: its commits base..tip, and the queue items
 * among them that no earlier unit took.  0 with u->members_nr < 2 when
 * it is no series.
 */
static int read_unit(struct unit *u, git_repository *repo, const struct queue *q, const struct oidmap *items,
		     const struct units *taken, const char *label)
{
	git_object *obj = NULL;
	git_revwalk *walk = NULL;
	size_t alloc = 0, at;
	git_oid id;

	memset(u, 0, sizeof(*u));
	if (git_revparse_single(&obj, repo, label) || git_oid_cpy(&u->tip, git_object_id(obj)) ||
	    git_merge_base(&u->base, repo, &u->tip, &q->target.id) || git_oid_equal(&u->base, &u->tip) ||
	    git_revwalk_new(&walk, repo) || git_revwalk_push(walk, &u->tip) || git_revwalk_hide(walk, &u->base)) {
		git_error_clear();
		git_object_free(obj);
		git_revwalk_free(walk);
		return 0;   /* not a branch this repository can walk: its items stay alone */
	}
	git_object_free(obj);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
	while (!git_revwalk_next(&id, walk) && u->commits < SERIES_MAX_COMMITS) {
		u->commits++;
		if (!oidmap_get(items, &id, &at) || taken->of[at])
			continue;
		ALLOC_GROW(u->members, u->members_nr + 1, alloc);
		u->members[u->members_nr++] = at;
		if (u->members_nr == 1 || at < u->lead)
			u->lead = at;
	}
	git_error_clear();
	git_revwalk_free(walk);
	return 0;
}

int units_build(struct units *out, git_repository *repo, const struct queue *q)
{
	struct oidmap items = OIDMAP_INIT;
	const char **labels;
	size_t nr;

	memset(out, 0, sizeof(*out));
	out->of = xcalloc(q->nr ? q->nr : 1, sizeof(*out->of));
	out->of_nr = q->nr;
	for (size_t i = 0; i < q->nr; i++)
		oidmap_put(&items, &q->items[i]->id, i);
	nr = ref_labels(&labels, q);
	for (size_t l = 0; l < nr; l++) {
		struct unit u;

		read_unit(&u, repo, q, &items, out, labels[l]);
		if (u.members_nr < 2) {
			free(u.members);
			continue;
		}
		u.ref = xstrdup(labels[l]);
		for (size_t m = 0; m < u.members_nr; m++)
			out->of[u.members[m]] = out->nr + 1;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = u;
	}
	free(labels);
	oidmap_clear(&items);
	return 0;
}

void units_merge(struct units *out, struct units *part, const size_t *position)
{
	for (size_t i = 0; i < part->nr; i++) {
		struct unit u = part->v[i];

		for (size_t m = 0; m < u.members_nr; m++) {
			u.members[m] = position[u.members[m]];
			if (!m || u.members[m] < u.lead)
				u.lead = u.members[m];
			out->of[u.members[m]] = out->nr + 1;
		}
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = u;
	}
	free(part->v);   /* the units themselves are out's now */
	free(part->of);
	memset(part, 0, sizeof(*part));
}

void units_release(struct units *u)
{
	for (size_t i = 0; i < u->nr; i++) {
		free(u->v[i].ref);
		free(u->v[i].members);
	}
	free(u->v);
	free(u->of);
	memset(u, 0, sizeof(*u));
}

const struct unit *units_of(const struct units *u, size_t index)
{
	return index < u->of_nr && u->of[index] ? &u->v[u->of[index] - 1] : NULL;
}

const struct unit *units_led_by(const struct units *u, size_t index)
{
	const struct unit *unit = units_of(u, index);

	return unit && unit->lead == index ? unit : NULL;
}

void unit_summary(const struct queue *q, const struct unit *u, int *risk, char *status, size_t size)
{
	size_t approved = 0, rejected = 0, unknown = 0;

	*risk = 0;
	for (size_t m = 0; m < u->members_nr; m++) {
		const struct item *it = q->items[u->members[m]];

		if (it->risk > *risk)
			*risk = it->risk;
		approved += it->status == ITEM_APPROVED;
		rejected += it->status == ITEM_REJECTED;
		unknown += it->status == ITEM_UNKNOWN;
	}
	if (unknown)   /* not judged (a broken policy): never shown as anything else */
		snprintf(status, size, "%s", item_status_name(ITEM_UNKNOWN));
	else if (rejected)
		snprintf(status, size, "%s", item_status_name(ITEM_REJECTED));
	else if (approved == u->members_nr)
		snprintf(status, size, "%s", item_status_name(ITEM_APPROVED));
	else if (approved)
		snprintf(status, size, "%u/%u ok", (unsigned)(approved % 10000), (unsigned)(u->members_nr % 10000));
	else
		snprintf(status, size, "%s", item_status_name(ITEM_PENDING));
}
