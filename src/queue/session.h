/*
 * session.h: what every revq command works with: the repository, the
 * rules built from its settings, and the cache.  session_open() returns
 * a session that owns all three; session_free() releases them.
 */
#ifndef REVQ_SESSION_H
#define REVQ_SESSION_H

#include "store/cache.h"
#include "judge/item.h"
#include "git/repo.h"

struct session {
	struct repo *repo;        /* owned */
	struct item_rules rules;  /* owned */
	struct cache *cache;      /* owned */
};

/* Discovers the repository from the current directory (see repo_open()). */
int session_open(struct session **out);
/* Opens the repository at gitdir exactly (tests, worker threads). */
int session_open_gitdir(struct session **out, const char *gitdir);
/* Opens the repository at path, a work tree or a git dir (revq.repos, --repos). */
int session_open_path(struct session **out, const char *path);
void session_free(struct session *session);

#endif
