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
 * (with revq.recordViewed, viewed="3/40 src/a.c ..." before sig),
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
	VERDICT_WITHDRAW,   /* takes back the reviewer's earlier record: neither approves nor rejects */
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
	char *viewed;            /* owned: the files viewed before deciding (revq.recordViewed,
				  * show/viewed.h), or NULL when not recorded */
	/*
	 * A series record (SERIES_RECORD_TAG): commit is the tip, tree the
	 * tip's tree and patch_id the series-id, the exact identity of the
	 * change from base's tree to the tip's (analyze_trees_patch_id()).
	 */
	int series;
	git_oid base;            /* the series' base: its commits are base..commit */
};

#define RECORD_INIT { VERDICT_APPROVE, {{0}}, {{0}}, {{0}}, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, 0, {{0}} }

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


/* ---- comment records (line comments, replies, resolutions) ---- */

/*
 * A review comment is a signed one-line record in the same notes, on the
 * note of the commit it is about, beside the decisions:
 *
 *   revq1-comment reviewer="Jane Doe <jane@example.com>"
 *         time=2026-11-24T10:00:00Z commit=<40 hex> path="src/a.c" side=new
 *         line=12 line-id=<40 hex> re=<40 hex> text="Off by one?" sig=ssh:<base64>
 *
 * (folded here; it is one line).  The tags revq1-reply and revq1-resolve
 * have the same fields.  A comment on a line names the side (old or new),
 * the line number there and line-id, the git blob id of the line's bytes
 * without its newline (`printf %s LINE | git hash-object --stdin`), so it
 * is found again by content.  A general comment has path "", side none,
 * line 0 and a zero line-id; a reply or resolution names the comment it
 * answers in re (the blob id of that comment's line), zero otherwise.  The
 * text is one line of at most COMMENT_TEXT_MAX bytes, without control,
 * bidi or invisible characters.  The tags do not begin with "revq1 ", so
 * readers of decisions never take a comment for a malformed decision.
 */
#define COMMENT_TAG "revq1-comment"
#define COMMENT_REPLY_TAG "revq1-reply"
#define COMMENT_RESOLVE_TAG "revq1-resolve"
#define COMMENT_TEXT_MAX 2000

/*
 * A comment on a series (decide/series.h) is the same record under its
 * own tags, on the note of the series' tip, bound to the series as its
 * decision record is: commit= becomes tip=, and base= and series-id=
 * (the exact identity of the combined change, analyze_trees_patch_id())
 * are added:
 *
 *   revq-series1-comment reviewer="..." time=... base=<40 hex> tip=<40 hex>
 *         series-id=<40 hex> path=... side=... line=... line-id=... re=...
 *         text="..." sig=ssh:<base64>
 *
 * Its signed payload begins "revq series comment v1" and names base, tip
 * and series-id in place of commit.  Older revq skip these lines.
 */
#define SERIES_COMMENT_TAG "revq-series1-comment"
#define SERIES_COMMENT_REPLY_TAG "revq-series1-reply"
#define SERIES_COMMENT_RESOLVE_TAG "revq-series1-resolve"

enum comment_kind {
	COMMENT_NEW,       /* a comment: on a line, or general */
	COMMENT_REPLY,     /* an answer to the comment re */
	COMMENT_RESOLVE,   /* the comment re is resolved (text optional) */
};

enum comment_side {
	SIDE_NONE,         /* a general comment, a reply or a resolution */
	SIDE_OLD,
	SIDE_NEW,
};

struct comment_record {
	enum comment_kind kind;
	git_oid commit;          /* a series comment: the series' tip */
	int series;              /* a series comment: base and series_id hold */
	git_oid base;            /* zero for none */
	git_oid series_id;       /* zero for none */
	char *path;              /* owned, "" for none */
	enum comment_side side;
	uint32_t line;           /* 0 for none */
	git_oid line_id;         /* zero for none */
	git_oid re;              /* zero for none */
	char *reviewer_name;     /* owned */
	char *reviewer_email;    /* owned */
	int64_t time;
	char *text;              /* owned, "" only for a resolution */
	char *sig_format;        /* owned: "ssh", "openpgp", or "none" */
	char *sig;               /* owned: base64 signature body, "" when unsigned */
};

/*
 * Parses one line: REVQ_ENOTFOUND when it is no comment record (a
 * decision, other text), REVQ_EUSAGE when it claims to be one but is
 * malformed.
 */
int comment_record_parse(struct comment_record *out, const char *line, size_t len);
/* Appends the record's line (no newline). */
void comment_record_format(struct strbuf *out, const struct comment_record *c);
/* Appends the canonical payload that the signature covers. */
void comment_record_payload(struct strbuf *out, const struct comment_record *c);
/* Checks a comment's text: one line, bounded, no control, bidi or invisible character. */
int comment_check_text(const char *text, int may_be_empty);
void comment_record_release(struct comment_record *c);
const char *comment_kind_tag(enum comment_kind kind);
const char *comment_side_name(enum comment_side side);
/* The content identity of a line: the git blob id of its bytes. */
void comment_line_id(git_oid *out, const char *text, size_t len);

#endif
