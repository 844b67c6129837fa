/*
 * record.h: one review decision, as it is stored in git notes.
 *
 * A record is one line of a note, so that `git notes merge -s
 * cat_sort_uniq` keeps every reviewer's records:
 *
 *   revq1 approve reviewer="Jane Doe <jane@example.com>"
 *         time=2026-11-24T10:00:00Z risk=72 comment="Looks right"
 *         commit=<40 hex> tree=<40 hex> patch-id=<40 hex> sig=ssh:<base64>
 *
 * (shown folded here; it is one line).  Quoted values escape only '"'
 * and '\' with a backslash, and may not hold control characters.  The
 * signature covers the canonical payload built by record_payload(), so a
 * record can be neither edited nor moved to another commit.  The format
 * is specified in revq-notes(5).  A decision on a series of commits is
 * one line too, tagged revq-series1 (see the series fields below).
 *
 * A parsed record owns its strings; record_release() frees them.
 */
#ifndef REVQ_RECORD_H
#define REVQ_RECORD_H

#include <git2.h>
#include <stdint.h>

#include "base/strbuf.h"

#define RECORD_TAG "revq1"
/* A decision on a series (base..tip as one change): see the series fields below. */
#define SERIES_RECORD_TAG "revq-series1"

enum verdict {
	VERDICT_APPROVE,
	VERDICT_REJECT,
};

struct record {
	enum verdict verdict;
	git_oid commit;
	git_oid tree;
	git_oid patch_id;
	char *reviewer_name;     /* owned */
	char *reviewer_email;    /* owned */
	int64_t time;            /* seconds since the epoch, UTC */
	int risk;                /* 0-100, at decision time */
	char *comment;           /* owned, "" when none */
	char *sig_format;        /* owned: "ssh", "openpgp", "x509", or "none" */
	char *sig;               /* owned: base64 signature body, "" when unsigned */
	/*
	 * A series record (SERIES_RECORD_TAG): commit is the tip, tree the
	 * tip's tree and patch_id the series-id, the exact identity of the
	 * change from base's tree to the tip's (analyze_trees_patch_id()).
	 */
	int series;
	git_oid base;            /* the series' base: its commits are base..commit */
};

#define RECORD_INIT { VERDICT_APPROVE, {{0}}, {{0}}, {{0}}, NULL, NULL, 0, 0, NULL, NULL, NULL, 0, {{0}} }

/*
 * Parses one line (no newline).  Returns REVQ_ENOTFOUND when the line is
 * not a revq record at all (notes may hold other text), REVQ_EUSAGE with
 * a message when it claims to be one but is malformed.
 */
int record_parse(struct record *out, const char *line, size_t len);
/* Appends the record's line (no newline). */
void record_format(struct strbuf *out, const struct record *r);
/* Appends the canonical payload that the signature covers. */
void record_payload(struct strbuf *out, const struct record *r);
/*
 * Checks that a value may go into a record: valid UTF-8, no control
 * characters; for comments also no bidi or invisible characters.
 */
int record_check_text(const char *what, const char *value, int is_comment);
void record_release(struct record *r);
/* A deep copy of a parsed record, released with record_release(). */
void record_copy(struct record *out, const struct record *r);

const char *verdict_name(enum verdict v);
/* 2026-11-24T10:00:00Z */
void record_format_time(char *buf, size_t size, int64_t t);
int record_parse_time(int64_t *out, const char *s);

#endif
