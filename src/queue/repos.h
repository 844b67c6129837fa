/*
 * repos.h: one queue over several repositories (revq.repos, --repos): a
 * session and a queue per repository, each with its own cache and notes,
 * and their items merged into one order by the same ranking as one
 * queue's (queue.h), each item labelled with its repository.
 *
 * repo_set_open() fills a set the caller releases with repo_set_release().
 */
#ifndef REVQ_REPOS_H
#define REVQ_REPOS_H

#include <stddef.h>

#include "base/strvec.h"
#include "queue/queue.h"
#include "queue/session.h"

struct repo_entry {
	char *path;                 /* owned: as configured, ~ expanded */
	char *label;                /* owned: the name rows show (the directory's name, or the path when
				       two repositories share a name) */
	struct session *session;    /* owned */
	struct queue *queue;        /* owned */
};

struct repo_row {
	struct item *item;          /* not owned: repos[repo].queue's */
	size_t repo;                /* index into repos */
	size_t index;               /* the item's index in its own queue */
};

struct repo_set {
	struct repo_entry *repos;   /* owned */
	size_t nr;
	struct repo_row *rows;      /* owned: every queue's items, merged by priority (repo_set_merge()) */
	size_t rows_nr;
	int64_t now;                /* one time for every queue's ageing */
};

/*
 * Opens every repository of paths (each once) and builds its queue with
 * opts (ranges are not allowed); fails naming the first repository that
 * cannot be opened.  repo_set_open_paths() and repo_set_build() are its
 * two steps, for a front end that builds (and rebuilds) the queues later.
 */
int repo_set_open(struct repo_set *set, const struct strvec *paths, const struct queue_options *opts);
/* Opens the sessions of paths (each repository once) into an empty set; no queues yet. */
int repo_set_open_paths(struct repo_set *set, const struct strvec *paths);
/* Adds an open session (the set owns it from now on), found at path. */
void repo_set_add(struct repo_set *set, struct session *session, const char *path);
/*
 * Builds every repository's queue with opts (again: the new queues replace
 * the old ones) and merges them; ranges only with one repository.  On
 * failure the queues built before are kept.
 */
int repo_set_build(struct repo_set *set, const struct queue_options *opts);
/* Merges the queues' items into rows, in the one ranking; call again after a queue changed. */
void repo_set_merge(struct repo_set *set);
void repo_set_release(struct repo_set *set);

#endif
