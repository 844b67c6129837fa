/*
 * detect.h: deciding whether a commit is AI-assisted, and why.
 *
 * Each reason is a "marker": a short human-readable string saying where
 * the evidence is, e.g. "trailer Co-authored-by: Claude <noreply@anthropic.com>".
 * Built-in rules follow what AI tools actually write (REFERENCE section 1);
 * `git config revq.aiPattern` adds POSIX extended regular expressions,
 * matched case-insensitively against trailer lines and identities.
 */
#ifndef REVQ_DETECT_H
#define REVQ_DETECT_H

#include <regex.h>

#include "base/strvec.h"

struct detect_rules {
	regex_t *patterns;        /* owned, compiled revq.aiPattern values */
	struct strvec sources;    /* owned, the pattern texts */
	size_t nr;
};

#define DETECT_RULES_INIT { NULL, STRVEC_INIT, 0 }

struct detect_identity {
	const char *name;   /* may be NULL */
	const char *email;  /* may be NULL */
};

/* Compiles the patterns; on a bad one, fails naming the pattern and why. */
int detect_rules_init(struct detect_rules *rules, const struct strvec *patterns);
void detect_rules_release(struct detect_rules *rules);

/*
 * Appends every marker found in message and identities to markers.
 * Returns the number of markers found.
 */
size_t detect_markers(struct strvec *markers, const struct detect_rules *rules,
		      const char *message, const struct detect_identity *author,
		      const struct detect_identity *committer);

/* The AI tool an identity belongs to ("Claude", "GitHub Copilot", ...), or NULL. */
const char *detect_ai_identity(const char *name, const char *email);

#endif
