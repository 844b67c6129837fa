/*
 * clock.h: what time it is, in one place.  Tests and reproducible runs
 * fix the clock with $REVQ_NOW (seconds since the epoch); nothing else in
 * revq reads the time from the environment.  The value stamps decision
 * records, so it is read here and only here.
 */
#ifndef REVQ_CLOCK_H
#define REVQ_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch: $REVQ_NOW when set to a positive number, else the system clock. */
int64_t clock_now(void);

#endif
