/*
 * progress.c: the one progress handler of the process (progress.h).
 */
#include "config.h"

#include <stddef.h>

#include "base/progress.h"

static progress_handler *handler;
static void *handler_data;

void progress_set_handler(progress_handler *fn, void *data)
{
	handler = fn;
	handler_data = data;
}

void progress_update(const char *title, uint64_t done, uint64_t total)
{
	if (handler)
		handler(title, done, total, 0, handler_data);
}

void progress_done(const char *title, uint64_t done, uint64_t total)
{
	if (handler)
		handler(title, done, total, 1, handler_data);
}
