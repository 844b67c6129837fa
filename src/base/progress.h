/*
 * progress.h: how a long core operation (a cold scan, a cold verify, a
 * sync) tells the front end how far it is, as git's progress.c does:
 * the core calls progress_update() and progress_done(); the front end
 * installs the one handler that prints (on stderr, on a terminal, and
 * not with --quiet).  Without a handler nothing is printed.  Only one
 * thread reports (the caller's), so the handler needs no locking.
 */
#ifndef REVQ_PROGRESS_H
#define REVQ_PROGRESS_H

#include <stdint.h>

/* done of total steps of the operation named title ("Scanning commits"); finished is 1 once. */
typedef void progress_handler(const char *title, uint64_t done, uint64_t total, int finished, void *data);

/* Installs fn (NULL: none); data is passed to it, not owned. */
void progress_set_handler(progress_handler *fn, void *data);
/* done of total steps done so far. */
void progress_update(const char *title, uint64_t done, uint64_t total);
/* The operation ended (successfully or not) after done of total steps. */
void progress_done(const char *title, uint64_t done, uint64_t total);

#endif
