/*
 * demo.h: the built-in demo repository.
 *
 * A small service with a target branch `main` and pending branches of
 * different risk: an AI-assisted infrastructure teardown, a migration, a
 * session change hiding a Trojan Source comment, a documentation fix, a
 * dependency bump, and a branch written by a human without AI markers.
 */
#ifndef REVQ_DEMO_H
#define REVQ_DEMO_H

#include <stdint.h>

/*
 * Creates the demo repository in dir (which must not exist, or be empty).
 * If dir already holds a revq demo it is left as it is and *existed is 1.
 * Commit dates are relative to now.
 */
int demo_create(const char *dir, int64_t now, int *existed);

#endif
