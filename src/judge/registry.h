/*
 * registry.h: the registry of AI tools, a data file (share/revq/ai-tools)
 * that a user or a distribution updates without a rebuild.  Each entry is
 * one tool and the identities it leaves in commits; detect.c asks which
 * tool, if any, a text belongs to.  The file format is documented in the
 * file's head and in revq(1).
 *
 * Where it is read from, first found wins: the path given (git config
 * revq.aiRegistry), $REVQ_DATADIR/ai-tools, then the installed
 * REVQ_PKGDATADIR/ai-tools.  A registry that cannot be read or parsed is
 * an error, never an empty registry: without it AI commits would pass as
 * unassisted (fail closed).
 */
#ifndef REVQ_REGISTRY_H
#define REVQ_REGISTRY_H

#include <stddef.h>

#include "base/strbuf.h"
#include "base/strvec.h"

enum registry_kind {
	REGISTRY_EMAIL,          /* email ADDRESS: an address only the tool uses */
	REGISTRY_LOGIN,          /* login LOGIN: a bot login (NNN+LOGIN@users.noreply.github.com, or the name) */
	REGISTRY_NAME,           /* name NAME: a whole identity name */
	REGISTRY_NAME_PREFIX,    /* name-prefix TEXT: a name starting with the word(s) TEXT */
	REGISTRY_NAME_SUFFIX,    /* name-suffix TEXT: a name ending with TEXT */
	REGISTRY_MODEL,          /* model WORD: "WORD ... <digit>" names a model (Assisted-by only) */
	REGISTRY_TRAILER,        /* trailer KEY: the trailer's presence marks the tool */
	REGISTRY_TRAILER_VALUE,  /* trailer-value KEY VALUE: KEY: VALUE marks the tool */
	REGISTRY_GENERATOR,      /* generator WORD: "Generated with/by ... WORD" */
	REGISTRY_SUBJECT_PREFIX, /* subject-prefix TEXT: the subject starts with TEXT */
	REGISTRY_KINDS
};

struct registry_rule {
	enum registry_kind kind;
	char *text;          /* owned: the pattern text */
	char *value;         /* owned: trailer-value's VALUE; NULL otherwise */
	const char *tool;    /* not owned: the entry's name, in registry.tools */
};

struct registry {
	struct registry_rule *rules;   /* owned */
	size_t nr, alloc;
	struct strvec tools;           /* owned: the entries' names, in file order */
	char *source;                  /* owned: the path it was read from */
	char *digest;                  /* owned: hash of the contents, for the rules fingerprint */
};

#define REGISTRY_INIT { NULL, 0, 0, STRVEC_INIT, NULL, NULL }

/* Parses text (len bytes) read from source; on a malformed line, fails naming source:line. */
int registry_parse(struct registry *reg, const char *text, size_t len, const char *source);

/* Reads the registry at path, or (path NULL or "") at the default places above. */
int registry_load(struct registry *reg, const char *path);

void registry_release(struct registry *reg);

/*
 * The registry for callers that have no rules of their own (tests, and
 * detect_ai_identity()): loaded once from the default places; NULL, with a
 * warning, when that fails.
 */
const struct registry *registry_default(void);

/* The tool of the first rule of kind whose text equals text (ignoring case), or NULL. */
const char *registry_lookup(const struct registry *reg, enum registry_kind kind, const char *text);

#endif
