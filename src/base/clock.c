/*
 * clock.c: the current time, or $REVQ_NOW (see clock.h).
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "base/clock.h"

int64_t clock_now(void)
{
	const char *env = getenv("REVQ_NOW");

	if (env && *env) {
		char *end;
		long long v = strtoll(env, &end, 10);

		if (!*end && v > 0)
			return v;
	}
	return (int64_t)time(NULL);
}
