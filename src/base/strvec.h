/*
 * strvec.h: a growable, NULL-terminated array of owned strings.
 *
 * The strvec owns every string in it; strvec_clear() frees them all.
 * Except a borrowed one: alloc 0 with v set means the array and strings
 * belong to something else that outlives the strvec (an item's block, a
 * pool); strvec_clear() only forgets them, and the first push copies them
 * into memory of its own.
 */
#ifndef REVQ_STRVEC_H
#define REVQ_STRVEC_H

#include <stddef.h>

struct strvec {
	char **v;     /* NULL-terminated once anything was pushed; owned unless borrowed */
	size_t nr;
	size_t alloc; /* 0 while v is borrowed */
};

#define STRVEC_INIT { NULL, 0, 0 }

/* Copies s; returns the copy, which stays owned by the strvec. */
const char *strvec_push(struct strvec *sv, const char *s);
const char *strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Pushes every string up to a NULL. */
void strvec_pushl(struct strvec *sv, ...);
/* Takes ownership of s, which must come from malloc. */
void strvec_push_nodup(struct strvec *sv, char *s);
int strvec_contains(const struct strvec *sv, const char *s);
void strvec_clear(struct strvec *sv);
/* Splits s at every sep and pushes the pieces (empty pieces are skipped). */
void strvec_split(struct strvec *sv, const char *s, char sep);
/* Joins the strings with sep into a new string the caller frees. */
char *strvec_join(const struct strvec *sv, const char *sep);

/* Clears out and moves from's contents into it (owned or borrowed alike); from is left empty. */
void strvec_move(struct strvec *out, struct strvec *from);

#endif
