/*
 * detect.h: deciding whether a commit is AI-assisted, and why.
 *
 * Each reason is a "marker": a short human-readable string saying where
 * the evidence is, e.g. "trailer Co-authored-by: Claude <noreply@anthropic.com>".
 * The tools and what they write come from the registry (registry.h,
 * share/revq/ai-tools); every marker ends with the registry entry it came
 * from in parentheses, "(Claude)", or "(revq.aiPattern)".
 * `git config revq.aiPattern` adds POSIX extended regular expressions,
 * matched case-insensitively against trailer lines and identities.
 *
 * An address at a vendor's domain is a person: only a tool's own address,
 * a bot login or a tool's name counts.  Assisted-by counts when it names a
 * tool or a model (the kernel's "AGENT:MODEL [tools]", a registry name or
 * address, "MODEL via TOOL"), never when it names a person.
 */
#ifndef REVQ_DETECT_H
#define REVQ_DETECT_H

#include <regex.h>

#include "base/pattern.h"
#include "base/strvec.h"
#include "judge/registry.h"

struct detect_rules {
	struct pattern_list patterns;   /* owned: revq.aiPattern, compiled */
	struct registry registry; /* owned; empty (no tools) means registry_default() */
};

#define DETECT_RULES_INIT { PATTERN_LIST_INIT, REGISTRY_INIT }

struct detect_identity {
	const char *name;   /* may be NULL */
	const char *email;  /* may be NULL */
};

/*
 * Reads the registry at registry_path (NULL: the default places, see
 * registry.h) and compiles the patterns; on a bad pattern or registry,
 * fails naming it and why.
 */
int detect_rules_init(struct detect_rules *rules, const struct strvec *patterns,
		      const char *registry_path);
void detect_rules_release(struct detect_rules *rules);

/*
 * Appends every marker found in message and identities to markers.
 * Returns the number of markers found.
 */
size_t detect_markers(struct strvec *markers, const struct detect_rules *rules,
		      const char *message, const struct detect_identity *author,
		      const struct detect_identity *committer);

/* The registry entry an identity belongs to ("Claude", "GitHub Copilot", ...), or NULL. */
const char *detect_identity_tool(const struct detect_rules *rules, const char *name,
				 const char *email);
/* The same with the default registry. */
const char *detect_ai_identity(const char *name, const char *email);

/*
 * The source a marker names at its end, "(Claude)": points *tool at it and
 * returns its length; 0 when the marker names none.
 */
size_t detect_marker_tool(const char *marker, const char **tool);

#endif
