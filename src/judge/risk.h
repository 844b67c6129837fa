/*
 * risk.h: the risk score (0-100) and the reasons behind it.
 *
 * Scanning collects findings while a diff is walked (paths, added lines,
 * file modes); risk_score() turns findings and totals into points.  Each
 * signal counts once, with its first location as the example; the sum is
 * capped at 100.  The same findings always give the same score and the
 * same reasons in the same order.  The weights are documented in revq(1).
 */
#ifndef REVQ_RISK_H
#define REVQ_RISK_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "base/pattern.h"
#include "base/strvec.h"

enum risk_signal {
	RISK_BIDI,          /* bidi controls in added lines (Trojan Source) */
	RISK_DESTRUCTIVE,   /* rm -rf, DROP TABLE, terraform destroy, ... */
	RISK_SECRET,        /* secret-looking strings in added lines */
	RISK_INVISIBLE,     /* zero-width characters and odd spaces in added lines */
	RISK_PATTERN,       /* revq.riskPattern matched an added line */
	RISK_META,          /* controls or bidi in the message or file names */
	RISK_HOMOGLYPH,     /* an identifier mixing Latin with look-alike scripts */
	RISK_CONTROL,       /* terminal control characters in added lines */
	RISK_LONG_LINE,     /* an added line too long to review (minified, generated) */
	RISK_EXECUTABLE,    /* a file became executable */
	RISK_BINARY,        /* a binary file changed */
	RISK_WIDE_TEXT,     /* UTF-16 or UTF-32 text (binary to git), scanned decoded */
	RISK_SUBMODULE,     /* a submodule pointer moved */
	RISK_SIGNAL_MAX
};

/* Built-in sensitive path categories, plus one for revq.sensitivePath. */
enum risk_category {
	RISK_CAT_INFRA,
	RISK_CAT_POLICY,
	RISK_CAT_CI,
	RISK_CAT_MIGRATION,
	RISK_CAT_CONFIGURED,
	RISK_CAT_DEPENDENCY,
	RISK_CAT_CONTAINER,
	RISK_CAT_SHELL,
	RISK_CAT_MAX
};

#define RISK_WHAT_MAX 4

struct risk_hit {
	unsigned count;        /* how many places (lines, or files) */
	struct strvec what;    /* distinct findings, e.g. "DROP TABLE", at most RISK_WHAT_MAX */
	unsigned more_what;    /* distinct findings beyond those */
	char *path;            /* owned: first place, or NULL */
	unsigned line;         /* line in path, 0 when not about a line */
	const char *last_path; /* not owned: to count each line once */
	unsigned last_line;
};

/*
 * Where a path sits: tests, documentation, translations, fixtures,
 * vendored or generated code, or a revq.riskIgnore glob.  Content signals
 * found there are lowered or voided (risk_tables.c says which).
 */
enum risk_context {
	RISK_CTX_CODE,        /* none of the others: every signal counts */
	RISK_CTX_TEST,
	RISK_CTX_DOC,
	RISK_CTX_TRANSLATION,
	RISK_CTX_FIXTURE,
	RISK_CTX_VENDORED,
	RISK_CTX_GENERATED,
	RISK_CTX_IGNORED,     /* revq.riskIgnore */
	RISK_CTX_MAX
};

/* Terms of the size and spread part, weighed like the signals. */
enum risk_term {
	RISK_TERM_SIZE,       /* points per doubling of lines added, from 8 */
	RISK_TERM_SPREAD,     /* points per doubling of directories touched, from 2 */
	RISK_TERM_NEW_FILES,  /* points per doubling of files added, from 1 */
	RISK_TERM_DELETED_FILES,
	RISK_TERM_FIX_HISTORY, /* points per doubling of the fixes of the files in the year before */
	RISK_TERM_NEW_AUTHOR,  /* flat points: no earlier commit by the author in that year */
	RISK_TERM_MAX
};

/* Every weighable thing: signals, then categories, then terms. */
#define RISK_WEIGHT_MAX (RISK_SIGNAL_MAX + RISK_CAT_MAX + RISK_TERM_MAX)
#define RISK_WEIGHT_CAT(c) (RISK_SIGNAL_MAX + (c))
#define RISK_WEIGHT_TERM(t) (RISK_SIGNAL_MAX + RISK_CAT_MAX + (t))

/* One reason of a score, for --json: what fired, where, for how much. */
struct risk_reason {
	const char *signal;    /* not owned: a stable name (risk_weight_name) */
	int points;
	char *path;            /* owned: first place, or NULL */
	unsigned line;         /* 0 when not about a line */
	char *text;            /* owned: the reason without its "+N " */
};

struct risk_findings {
	struct risk_hit signals[RISK_SIGNAL_MAX];
	struct risk_hit categories[RISK_CAT_MAX];
	struct strbuf scratch;   /* owned working buffer for line scans */
	struct strbuf normalised; /* owned: the line with blanks and SQL comments normalised */
	unsigned voiding;         /* bit per signal voided for the line being scanned */
	unsigned added_aside;     /* added lines in tests, docs, translations, ... */
	const char *ctx_path;     /* not owned: the path ctx was computed for */
	enum risk_context ctx;
};

struct risk_totals {
	unsigned files;
	unsigned added;
	unsigned deleted;
	unsigned deleted_files;
	unsigned new_files;
	unsigned dirs;        /* distinct directories of the changed paths */
};

struct risk_rules {
	struct strvec sensitive_paths;  /* owned: revq.sensitivePath globs */
	struct pattern_list patterns;   /* owned: revq.riskPattern, compiled */
	struct strvec ignore;           /* owned: revq.riskIgnore globs */
	int weight[RISK_WEIGHT_MAX];    /* revq.riskWeight.<name>, when weight_set */
	unsigned char weight_set[RISK_WEIGHT_MAX];
};

#define RISK_RULES_INIT { STRVEC_INIT, NULL, STRVEC_INIT, 0, STRVEC_INIT, { 0 }, { 0 } }

/* Compiles the configured rules; fails naming a bad revq.riskPattern. */
int risk_rules_init(struct risk_rules *rules, const struct strvec *sensitive_paths,
		    const struct strvec *patterns);
void risk_rules_release(struct risk_rules *rules);
/*
 * Adds revq.riskIgnore globs and revq.riskWeight.<name> = N settings
 * (weights as "name=N", name as risk_weight_name() gives it, N 0-100);
 * fails naming a bad glob, an unknown name or a bad number.
 */
int risk_rules_configure(struct risk_rules *rules, const struct strvec *ignore,
			 const struct strvec *weights);
/* The stable name of weight index i ("bidi", "ci", "size", ...). */
const char *risk_weight_name(int i);

void risk_findings_init(struct risk_findings *f);
void risk_findings_release(struct risk_findings *f);

/* Checks a changed path against the sensitive path categories. */
void risk_scan_path(struct risk_findings *f, const struct risk_rules *rules, const char *path);
/* Checks one added line (not NUL-terminated, no newline). */
void risk_scan_line(struct risk_findings *f, const struct risk_rules *rules,
		    const char *path, unsigned lineno, const char *line, size_t len);
/* Checks metadata text (message, file name) for controls and bidi. */
void risk_scan_meta(struct risk_findings *f, const char *where, const char *text, size_t len);
/* Records a file-level signal (binary, executable, submodule) at path. */
void risk_note(struct risk_findings *f, enum risk_signal signal, const char *path);
/* The same, unless the context of path (tests, docs, ...) voids the signal. */
void risk_note_rules(struct risk_findings *f, const struct risk_rules *rules,
		     enum risk_signal signal, const char *path);

/*
 * Computes the score and appends one reason per contributing signal to
 * reasons, highest points first, each starting with "+N ".
 */
int risk_score(struct strvec *reasons, const struct risk_findings *f,
	       const struct risk_totals *totals);
/*
 * The same with the configured weights (rules may be NULL for the
 * defaults); when detail is not NULL it gets one struct risk_reason per
 * reason, in the same order, to free with risk_reasons_free().
 */
int risk_score_rules(struct strvec *reasons, struct risk_reason **detail, size_t *detail_nr,
		     const struct risk_findings *f, const struct risk_totals *totals,
		     const struct risk_rules *rules);
void risk_reasons_free(struct risk_reason *detail, size_t nr);

/*
 * What the repository's history says of a commit (queue/history.c finds
 * it, from the commits reachable from the commit's parents only): the
 * fixes that touched its files in the year before it, and whether its
 * author is new there.
 */
#define RISK_HISTORY_PATHS 3

struct risk_history {
	unsigned fixes;        /* distinct fix commits that touched the commit's files */
	unsigned units;        /* 2 per Fixes: trailer or revert among them, 1 per "fix" subject */
	const char *paths[RISK_HISTORY_PATHS];  /* not owned: the most fixed files, most first */
	unsigned counts[RISK_HISTORY_PATHS];    /* fixes of each */
	unsigned more_paths;   /* other files that were fixed */
	int new_author;        /* no earlier commit by the author in that year */
	const char *author;    /* not owned: the author's address, for the reason */
};

#define RISK_HISTORY_REASONS 2

/*
 * The reasons history gives, with the configured weights (rules may be
 * NULL): fills out[0..n) and returns n; each reason's path and text are
 * owned by out (risk_reasons_free() frees an allocated array; for this
 * fixed one free path and text).
 */
size_t risk_history_score(struct risk_reason out[RISK_HISTORY_REASONS], const struct risk_history *h,
			  const struct risk_rules *rules);

/* A stable text naming the configured rules, for cache invalidation. */
void risk_rules_fingerprint(struct strbuf *out, const struct risk_rules *rules);

#endif
