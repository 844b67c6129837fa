/*
 * series.c: a branch as one review unit: its commits, its combined
 * change's exact identity, and what the whole of it needs (the union of
 * its authors as self, its strictest commit's requirement).  Both the
 * decision on a series (decision_write_series()) and the judging of one
 * (review.c) read a series only through here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "decide/series.h"
#include "judge/analyze.h"
#include "queue/queue.h"

/* The review's series, each read once (review_series()). */
struct series_cache {
	struct series **v;        /* owned, each owned */
	size_t nr, alloc;
};

int series_parse_range(git_oid *base, git_oid *tip, struct repo *repo, const char *spec)
{
	const char *dots = strstr(spec, "..");
	char *left;
	int rc;

	if (!dots || dots == spec || !dots[2] || dots[2] == '.')
		return error_set(REVQ_EUSAGE, "a series is named BASE..TIP, not '%s'", spec);
	left = xstrndup(spec, (size_t)(dots - spec));
	rc = repo_resolve_commit(base, repo, left);
	if (!rc)
		rc = repo_resolve_commit(tip, repo, dots + 2);
	free(left);
	return rc;
}

int series_contains(const struct series *s, const git_oid *commit)
{
	size_t unused;

	return oidmap_get(&s->index, commit, &unused);
}

/* The commits base..tip, newest first, as `git rev-list base..tip` lists them. */
static int read_commits(struct series *s, git_repository *repo)
{
	git_revwalk *walk;
	git_oid id;
	size_t alloc = 0;
	int rc = 0, next;

	if (git_revwalk_new(&walk, repo) || git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL) ||
	    git_revwalk_push(walk, &s->tip) || git_revwalk_hide(walk, &s->base)) {
		git_revwalk_free(walk);
		return error_set_git(REVQ_ERROR, "cannot walk the series %s..%s", git_oid_tostr_s(&s->base),
				     git_oid_tostr_s(&s->tip));
	}
	while (!rc && !(next = git_revwalk_next(&id, walk))) {
		if (s->commits_nr >= SERIES_MAX_COMMITS) {
			rc = error_set(REVQ_EUSAGE, "the series holds more than %d commits", SERIES_MAX_COMMITS);
			break;
		}
		ALLOC_GROW(s->commits, s->commits_nr + 1, alloc);
		git_oid_cpy(&s->commits[s->commits_nr], &id);
		oidmap_put(&s->index, &id, s->commits_nr++);
	}
	git_revwalk_free(walk);
	git_error_clear();
	if (!rc && !s->commits_nr)
		rc = error_set(REVQ_EUSAGE, "the series %s..%s holds no commit", git_oid_tostr_s(&s->base),
			       git_oid_tostr_s(&s->tip));
	return rc;
}

/* The tip's tree; with id, also the combined change's identity, from base's tree to the tip's. */
static int read_trees(struct series *s, git_repository *repo, int id)
{
	git_commit *base = NULL, *tip = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	int rc = 0;

	if (git_commit_lookup(&base, repo, &s->base) || git_commit_lookup(&tip, repo, &s->tip) ||
	    git_commit_tree(&old_tree, base) || git_commit_tree(&new_tree, tip))
		rc = error_set_git(REVQ_ERROR, "cannot read the series %s..%s", git_oid_tostr_s(&s->base),
				   git_oid_tostr_s(&s->tip));
	if (!rc)
		git_oid_cpy(&s->tree, git_tree_id(new_tree));
	if (!rc && id && !(rc = analyze_trees_patch_id(&s->id, repo, old_tree, new_tree)))
		s->have_id = 1;
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(base);
	git_commit_free(tip);
	return rc;
}

/* Folds one commit into the series' self, risk, paths and author level. */
static int add_commit(struct series *s, struct review *r, size_t at)
{
	const git_oid *id = &s->commits[at];
	int first = !at;
	const struct item *known = review_known_item(r, id);
	const struct authorship *who;
	struct item *loaded = NULL;
	const struct item *item;
	git_commit *commit;

	/* The items being judged are at hand (the queue's); the others come from the cache. */
	if (!(known && known->analyzed) && queue_load_item(&loaded, r->session, id))
		return REVQ_ERROR;
	item = loaded ? loaded : known;
	if (git_commit_lookup(&commit, r->session->repo->git, id)) {
		item_free(loaded);
		return error_set_git(REVQ_ERROR, "cannot read commit %s", git_oid_tostr_s(id));
	}
	if (review_self_identities(&s->self, r, commit))
		s->self_failed = 1;
	git_commit_free(commit);
	who = review_authorship(r, item);
	for (size_t i = 0; i < who->self.nr; i++)
		strvec_push(&s->self, who->self.v[i]);
	if (first || item->risk > s->risk) {
		s->risk = item->risk;
		git_oid_cpy(&s->riskiest, id);
	}
	if (first || who->level < s->author_level) {
		s->author_level = who->level;
		git_oid_cpy(&s->lowest_author, id);
	}
	for (size_t i = 0; i < item->paths.nr; i++) {
		strvec_push(&s->paths_of[at], item->paths.v[i]);
		if (!strvec_contains(&s->paths, item->paths.v[i]))
			strvec_push(&s->paths, item->paths.v[i]);
	}
	s->ai |= item->markers.nr > 0;
	item_free(loaded);
	return 0;
}

int series_open(struct series *s, struct review *r, const git_oid *base, const git_oid *tip)
{
	git_repository *repo = r->session->repo->git;
	int rc;

	memset(s, 0, sizeof(*s));
	git_oid_cpy(&s->base, base);
	git_oid_cpy(&s->tip, tip);
	if (git_oid_equal(base, tip) || git_graph_descendant_of(repo, tip, base) != 1) {
		git_error_clear();
		char from[GIT_OID_HEXSZ + 1], to[GIT_OID_HEXSZ + 1];

		rc = error_set(REVQ_EUSAGE, "%s is not an ancestor of %s: a series runs from its base to "
			       "its tip", git_oid_tostr(from, sizeof(from), base), git_oid_tostr(to, sizeof(to), tip));
	} else {
		rc = read_commits(s, repo);
	}
	if (!rc)
		rc = read_trees(s, repo, 0);
	if (!rc)
		s->paths_of = xcalloc(s->commits_nr, sizeof(*s->paths_of));
	for (size_t i = 0; i < s->commits_nr && !rc; i++)
		rc = add_commit(s, r, i);
	if (rc)
		series_release(s);
	return rc;
}

void series_release(struct series *s)
{
	free(s->commits);
	oidmap_clear(&s->index);
	strvec_clear(&s->self);
	strvec_clear(&s->paths);
	for (size_t i = 0; s->paths_of && i < s->commits_nr; i++)
		strvec_clear(&s->paths_of[i]);
	free(s->paths_of);
	memset(s, 0, sizeof(*s));
}

/* The first commit that changes path, or NULL when none is known. */
static const git_oid *commit_changing(const struct series *s, const char *path)
{
	for (size_t i = 0; s->paths_of && i < s->commits_nr; i++)
		if (strvec_contains(&s->paths_of[i], path))
			return &s->commits[i];
	return NULL;
}

/* "path G (P)" or "tier T (...)", with the commit that raised it. */
static void annotate(struct strbuf *out, const struct series *s, const char *why)
{
	const git_oid *by = NULL;
	char id[16];
	size_t len = strlen(why);

	strbuf_addstr(out, why);
	if (!strncmp(why, "path ", 5) && len && why[len - 1] == ')' && strrchr(why, '(')) {
		char *path = xstrndup(strrchr(why, '(') + 1, (size_t)(why + len - 1 - strrchr(why, '(') - 1));

		by = commit_changing(s, path);
		free(path);
	} else if (!strncmp(why, "tier ", 5)) {
		by = s->risk >= 0 ? &s->riskiest : NULL;
	}
	if (by) {
		oid_short_id(id, sizeof(id), by, SHORT_ID_LEN);
		strbuf_addf(out, ", raised by %s", id);
	}
}

void series_requirement(struct requirement *out, const struct review *r, const struct series *s)
{
	struct strvec why = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char author[16];

	policy_requirement_for(out, &r->policy, s->risk, &s->paths, s->author_level);
	for (size_t i = 0; i < out->why.nr; i++) {
		strbuf_reset(&sb);
		annotate(&sb, s, out->why.v[i]);
		strvec_push(&why, sb.buf);
	}
	oid_short_id(author, sizeof(author), &s->lowest_author, SHORT_ID_LEN);
	strvec_pushf(&why, "series of %zu commit%s, highest risk %d, lowest author level %s (%s)", s->commits_nr,
		     s->commits_nr == 1 ? "" : "s", s->risk, level_name(s->author_level), author);
	strvec_clear(&out->why);
	strvec_move(&out->why, &why);
	strbuf_release(&sb);
}

int series_is_self(const struct series *s, const struct policy *p, long person, const char *email)
{
	return s->self_failed || review_person_is_self(&s->self, p, person, email);
}

int series_identity(const git_oid **out, struct review *r, const struct series *series)
{
	/* The review's own series (review_series()): its identity is filled in place, once. */
	struct series *s = (struct series *)series;
	int rc = s->have_id ? 0 : read_trees(s, r->session->repo->git, 1);

	*out = rc ? NULL : &s->id;
	return rc;
}

int review_series(const struct series **out, struct review *r, const git_oid *base, const git_oid *tip)
{
	struct series_cache *c;
	struct series *s;
	int rc;

	if (!r->series_read)
		r->series_read = xcalloc(1, sizeof(*r->series_read));
	c = r->series_read;
	for (size_t i = 0; i < c->nr; i++) {
		if (git_oid_equal(&c->v[i]->base, base) && git_oid_equal(&c->v[i]->tip, tip)) {
			*out = c->v[i];
			return 0;
		}
	}
	s = xmalloc(sizeof(*s));
	if ((rc = series_open(s, r, base, tip))) {
		free(s);
		return rc;
	}
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr++] = s;
	*out = s;
	return 0;
}

void series_cache_free(struct series_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr; i++) {
		series_release(c->v[i]);
		free(c->v[i]);
	}
	free(c->v);
	free(c);
}
