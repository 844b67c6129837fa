/*
 * pattern.h: the regular expressions users configure (revq.aiPattern,
 * revq.riskPattern), matched against text an attacker writes: added
 * lines, trailers, identities.
 *
 * They are POSIX extended regular expressions, matched case-insensitively.
 * glibc's regexec() tries every start position, so "eval.*decode" on one
 * 200 KB line took a minute; compiled here as "^.*(P)" it is one pass of
 * glibc's DFA over the text (linear).  That is exact because the patterns
 * may not use back-references (not POSIX ERE, and exponential) or an
 * unbalanced ')', which would change meaning inside the added group.
 * Matching sees every byte: a NUL or a byte that is not UTF-8 (which
 * regexec would stop at or never match with '.') is replaced by 0x1A.
 */
#ifndef REVQ_PATTERN_H
#define REVQ_PATTERN_H

#include <regex.h>
#include <stddef.h>

#include "base/strbuf.h"
#include "base/strvec.h"

/* The byte that stands for a NUL or an invalid UTF-8 byte while matching. */
#define PATTERN_PLACEHOLDER '\x1a'

/*
 * Compiles ere into *out; on a bad pattern fails with
 * "bad SETTING 'ERE': why" (out is then not to be freed).
 */
int pattern_compile(regex_t *out, const char *ere, const char *setting);

/*
 * text[0..len) as patterns see it (NULs and invalid bytes replaced, NUL
 * terminated), in scratch; to match several patterns against one text.
 */
const char *pattern_text(const char *text, size_t len, struct strbuf *scratch);
/* 1 when the compiled pattern matches a text from pattern_text(). */
int pattern_matches(const regex_t *re, const char *prepared);
/* The compiled patterns of one multi-valued setting, with their texts. */
struct pattern_list {
	regex_t *v;               /* owned: nr compiled patterns */
	struct strvec sources;    /* owned: the pattern texts, sources.v[i] for v[i] */
	size_t nr;
};

#define PATTERN_LIST_INIT { NULL, STRVEC_INIT, 0 }

/* Compiles every value of setting in eres (may be NULL); on a bad one, fails and out is left empty. */
int pattern_list_compile(struct pattern_list *out, const struct strvec *eres, const char *setting);
void pattern_list_release(struct pattern_list *list);

/* Both at once: 1 when re matches text[0..len). */
int pattern_match(const regex_t *re, const char *text, size_t len, struct strbuf *scratch);

#endif
