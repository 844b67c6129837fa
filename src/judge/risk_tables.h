/*
 * risk_tables.h: the tables of the risk model (risk_tables.c), read only
 * by the scanner (risk.c).  Glob lists end with NULL; keyword lists have
 * a count beside them.  Everything here is constant data, owned by no one.
 */
#ifndef REVQ_RISK_TABLES_H
#define REVQ_RISK_TABLES_H

#include <stddef.h>

#include "judge/risk.h"

/* A kind of path a senior must see changed: points once per commit. */
struct risk_category_rule {
	const char *name;           /* for revq.riskWeight.<name> and --json */
	const char *label;
	int points;
	const char *const *globs;   /* NULL-terminated; NULL for revq.sensitivePath */
};

/* A content signal: points once per commit, with what was found. */
struct risk_signal_rule {
	const char *name;           /* for revq.riskWeight.<name> and --json */
	const char *label;
	int points;
	unsigned voided;            /* bit per enum risk_context where it does not count */
};

/* A size or spread term: points per doubling from start, capped. */
struct risk_term_rule {
	const char *name;
	int points;
	unsigned start;
	int cap;
};

/* A token prefix with the tail that makes it a credential. */
struct risk_token_rule {
	const char *prefix;   /* lower case, searched in the lowered line */
	size_t min_tail;      /* characters of [A-Za-z0-9_-] needed after it */
	const char *name;
};

extern const struct risk_category_rule risk_categories[RISK_CAT_MAX];
extern const struct risk_signal_rule risk_signals[RISK_SIGNAL_MAX];
extern const struct risk_term_rule risk_terms[RISK_TERM_MAX];
/* Globs of each context (RISK_CTX_CODE and RISK_CTX_IGNORED have none). */
extern const char *const *const risk_context_globs[RISK_CTX_MAX];
/* Destructive operations, matched case-insensitively (lower case here). */
extern const char *const risk_destructive[];
extern const size_t risk_destructive_nr;
/* Protective settings turned off: "key = false" in any spacing. */
extern const char *const risk_protections[];
extern const size_t risk_protections_nr;
extern const struct risk_token_rule risk_tokens[];
extern const size_t risk_tokens_nr;
/* Keys of a hard-coded credential when a quoted literal follows. */
extern const char *const risk_secret_words[];
extern const size_t risk_secret_words_nr;

#endif
