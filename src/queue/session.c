/*
 * session.c: opening the repository, its rules and its cache together.
 */
#include "config.h"

#include <stdlib.h>

#include "base/error.h"
#include "queue/session.h"
#include "base/strbuf.h"

static int finish(struct session **out, struct repo *repo)
{
	struct session *s = xcalloc(1, sizeof(*s));
	int rc;

	s->repo = repo;
	if ((rc = item_rules_init(&s->rules, &repo->settings))) {
		repo_free(repo);
		free(s);
		return rc;
	}
	if ((rc = cache_open(&s->cache, repo->commondir, s->rules.fingerprint))) {
		session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int session_open(struct session **out)
{
	struct repo *repo;
	int rc;

	*out = NULL;
	if ((rc = repo_open(&repo)))
		return rc;
	return finish(out, repo);
}

int session_open_gitdir(struct session **out, const char *gitdir)
{
	struct repo *repo;
	int rc;

	*out = NULL;
	if ((rc = repo_open_gitdir(&repo, gitdir)))
		return rc;
	return finish(out, repo);
}

int session_open_path(struct session **out, const char *path)
{
	struct repo *repo;
	int rc;

	*out = NULL;
	if ((rc = repo_open_path(&repo, path)))
		return rc;
	return finish(out, repo);
}

void session_free(struct session *s)
{
	if (!s)
		return;
	cache_free(s->cache);
	item_rules_release(&s->rules);
	repo_free(s->repo);
	free(s);
}
