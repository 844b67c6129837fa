/*
 * record.c: the one-line decision record: formatting, strict parsing,
 * and the canonical payload that signatures cover.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "sign/record.h"
#include "base/unicode.h"
#include "base/utf8.h"

const char *verdict_name(enum verdict v)
{
	return v == VERDICT_REJECT ? "reject" : v == VERDICT_WITHDRAW ? "withdraw" : "approve";
}

void record_format_time(char *buf, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int record_parse_time(int64_t *out, const char *s)
{
	struct tm tm;
	char canon[32];
	int y, mo, d, h, mi, se;

	if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = (int64_t)timegm(&tm);
	/* Only the canonical spelling of a valid time is accepted. */
	record_format_time(canon, sizeof(canon), *out);
	return strcmp(canon, s) ? -1 : 0;
}

int record_check_text(const char *what, const char *value, int is_comment)
{
	size_t len = 0;

	/* Printable ASCII is always fine (unicode_classify()): most values are nothing else. */
	while ((unsigned char)value[len] >= 0x20 && (unsigned char)value[len] < 0x7f)
		len++;
	if (!value[len])
		return 0;
	len += strlen(value + len);
	if (!utf8_is_valid(value, len))
		return error_set(REVQ_EUSAGE, "%s is not valid UTF-8", what);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		enum unicode_class cls;

		i += utf8_decode(&cp, value + i, len - i);
		cls = unicode_classify(cp);
		if (cls == UNICODE_CONTROL)
			return error_set(REVQ_EUSAGE, "%s contains a control character (U+%04X)",
					 what, (unsigned)cp);
		if (is_comment && (cls == UNICODE_BIDI || cls == UNICODE_INVISIBLE))
			return error_set(REVQ_EUSAGE, "%s contains an invisible or bidi character (U+%04X)",
					 what, (unsigned)cp);
	}
	return 0;
}

static void add_quoted(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

/* " reviewer=\"Name <email>\"", the field every kind of record begins with. */
static void add_reviewer(struct strbuf *out, const char *name, const char *email)
{
	struct strbuf who = STRBUF_INIT;

	strbuf_addf(&who, "%s <%s>", name, email);
	strbuf_addstr(out, " reviewer=");
	add_quoted(out, who.buf);
	strbuf_release(&who);
}

/* " sig=FORMAT:BASE64", the field every kind of record ends with. */
static void add_sig(struct strbuf *out, const char *format, const char *sig)
{
	strbuf_addf(out, " sig=%s:%s", format ? format : "none", sig ? sig : "");
}

/* "TAG VERDICT reviewer=... time=... risk=N comment=...", how both kinds of decision record begin. */
static void add_record_head(struct strbuf *out, const char *tag, const struct record *r)
{
	char when[32];

	record_format_time(when, sizeof(when), r->time);
	strbuf_addf(out, "%s %s", tag, verdict_name(r->verdict));
	add_reviewer(out, r->reviewer_name, r->reviewer_email);
	strbuf_addf(out, " time=%s risk=%d comment=", when, r->risk);
	add_quoted(out, r->comment ? r->comment : "");
}

/* The series record (its block at the end of this file). */
static void series_record_format(struct strbuf *out, const struct record *r);
static void series_record_payload(struct strbuf *out, const struct record *r);

void record_format(struct strbuf *out, const struct record *r)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (r->series) {
		series_record_format(out, r);
		return;
	}

	add_record_head(out, RECORD_TAG, r);
	strbuf_addf(out, " commit=%s", git_oid_tostr(hex, sizeof(hex), &r->commit));
	strbuf_addf(out, " tree=%s", git_oid_tostr(hex, sizeof(hex), &r->tree));
	strbuf_addf(out, " patch-id=%s", git_oid_tostr(hex, sizeof(hex), &r->patch_id));
	if (r->viewed) {
		strbuf_addstr(out, " viewed=");
		add_quoted(out, r->viewed);
	}
	add_sig(out, r->sig_format, r->sig);
}

/* The lines both signed texts end in: who, when, the risk judged and the comment. */
static void add_signed_reviewer(struct strbuf *out, const struct record *r)
{
	char when[32];

	record_format_time(when, sizeof(when), r->time);
	strbuf_addf(out, "reviewer %s <%s>\n", r->reviewer_name, r->reviewer_email);
	strbuf_addf(out, "time %s\n", when);
	strbuf_addf(out, "risk %d\n", r->risk);
	strbuf_addf(out, "comment %s\n", r->comment ? r->comment : "");
}

void record_payload(struct strbuf *out, const struct record *r)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (r->series) {
		series_record_payload(out, r);
		return;
	}

	strbuf_addstr(out, "revq decision v1\n");
	strbuf_addf(out, "verdict %s\n", verdict_name(r->verdict));
	strbuf_addf(out, "commit %s\n", git_oid_tostr(hex, sizeof(hex), &r->commit));
	strbuf_addf(out, "tree %s\n", git_oid_tostr(hex, sizeof(hex), &r->tree));
	strbuf_addf(out, "patch-id %s\n", git_oid_tostr(hex, sizeof(hex), &r->patch_id));
	add_signed_reviewer(out, r);
	if (r->viewed)   /* absent from records made without revq.recordViewed: their payload is unchanged */
		strbuf_addf(out, "viewed %s\n", r->viewed);
}

/* ---- parsing ---- */

struct cursor {
	const char *p, *end;
};

/* The bytes from c->p up to the first stop or other (or the end; a NUL is no stop), added in one piece. */
static void read_run(struct cursor *c, struct strbuf *out, char stop, char other)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p != stop && *c->p != other)
		c->p++;
	strbuf_add(out, start, (size_t)(c->p - start));
}

/* Reads a quoted or bare value into out; 0 on success. */
static int read_value(struct cursor *c, struct strbuf *out)
{
	if (c->p < c->end && *c->p == '"') {
		for (c->p++; c->p < c->end; c->p++) {
			read_run(c, out, '"', '\\');
			if (c->p >= c->end)
				break;
			if (*c->p == '"') {
				c->p++;
				return 0;
			}
			if (++c->p >= c->end || (*c->p != '"' && *c->p != '\\'))
				return -1;
			strbuf_addch(out, *c->p);
		}
		return -1;   /* no closing quote */
	}
	read_run(c, out, ' ', ' ');
	return 0;
}

static int parse_oid(git_oid *out, const char *hex)
{
	if (strlen(hex) != GIT_OID_HEXSZ)
		return -1;
	for (const char *p = hex; *p; p++)
		if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
			return -1;
	return git_oid_fromstr(out, hex);
}

/* "Name <email>" with a non-empty email and nothing after '>'. */
static int parse_reviewer(struct record *r, const char *s)
{
	const char *lt = strrchr(s, '<');
	size_t n;

	if (!lt || s[strlen(s) - 1] != '>' || lt == s || lt[-1] != ' ' || strchr(lt, '>') != s + strlen(s) - 1)
		return -1;
	n = (size_t)(lt - s - 1);
	r->reviewer_name = xstrndup(s, n);
	r->reviewer_email = xstrndup(lt + 1, strlen(lt + 1) - 1);
	return *r->reviewer_email && !strchr(r->reviewer_email, '<') ? 0 : -1;
}

enum field { F_REVIEWER, F_TIME, F_RISK, F_COMMENT, F_COMMIT, F_TREE, F_PATCH, F_SIG, F_VIEWED, F_BASE, F_MAX };

static const char *const field_names[F_MAX] = {
	"reviewer", "time", "risk", "comment", "commit", "tree", "patch-id", "sig", "viewed", NULL,
};

static int set_field(struct record *r, enum field f, const char *v)
{
	char *end;
	long risk;
	const char *colon;

	switch (f) {
	case F_REVIEWER: return parse_reviewer(r, v);
	case F_TIME: return record_parse_time(&r->time, v);
	case F_RISK:
		risk = strtol(v, &end, 10);
		/* Digits only: one spelling per value, so one record has one line. */
		if (!isdigit((unsigned char)v[0]) || *end || risk > 100 || (v[0] == '0' && v[1]))
			return -1;
		r->risk = (int)risk;
		return 0;
	case F_COMMENT:
		r->comment = xstrdup(v);
		return 0;
	case F_COMMIT: return parse_oid(&r->commit, v);
	case F_TREE: return parse_oid(&r->tree, v);
	case F_PATCH: return parse_oid(&r->patch_id, v);
	case F_BASE: return parse_oid(&r->base, v);
	case F_VIEWED:
		r->viewed = xstrdup(v);
		return 0;
	case F_SIG:
		colon = strchr(v, ':');
		if (!colon || colon == v)
			return -1;
		r->sig_format = xstrndup(v, (size_t)(colon - v));
		r->sig = xstrdup(colon + 1);
		for (const char *p = r->sig; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '+' && *p != '/' && *p != '=')
				return -1;
		return 0;
	default:
		return -1;
	}
}

static int malformed(struct record *r, const char *why)
{
	record_release(r);
	return error_set(REVQ_EUSAGE, "malformed revq record: %s", why);
}

/* The known fields of one kind of record, and what was seen of them. */
struct field_reader {
	const char *const *names;     /* not owned: the field names, by index */
	int nr;
	unsigned seen;
	int (*set)(void *record, int field, const char *value);
	void *record;                 /* not owned: the record being filled */
};

/* One field: unknown ones are left for newer versions, a field twice is malformed. */
static int take_field(struct field_reader *fr, const char *key, const char *value)
{
	int f;

	for (f = 0; f < fr->nr && (!fr->names[f] || strcmp(key, fr->names[f])); f++)
		;
	if (f == fr->nr)
		return 0;
	if (fr->seen & (1u << f))
		return -1;
	fr->seen |= 1u << f;
	return fr->set(fr->record, f, value);
}

/*
 * Reads " key=value" pairs to the end of the line into fr; a value
 * holding a control character or a NUL, a missing '=' or a missing blank
 * is malformed (-1).
 */
static int each_field(struct cursor *c, struct field_reader *fr)
{
	struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;
	int rc = 0;

	while (!rc && c->p < c->end) {
		const char *eq;

		if (*c->p++ != ' ' || !(eq = memchr(c->p, '=', (size_t)(c->end - c->p)))) {
			rc = -1;
			break;
		}
		strbuf_reset(&key);
		strbuf_add(&key, c->p, (size_t)(eq - c->p));
		c->p = eq + 1;
		strbuf_reset(&value);
		if (read_value(c, &value) || memchr(value.buf, '\0', value.len) ||
		    record_check_text(key.buf, value.buf, 0))
			rc = -1;
		else
			rc = take_field(fr, key.buf, value.buf);
	}
	strbuf_release(&key);
	strbuf_release(&value);
	return rc;
}

static int set_decision_field(void *record, int field, const char *value)
{
	return set_field(record, (enum field)field, value);
}

static int parse_fields(struct record *r, struct cursor *c, const char *const *names)
{
	struct field_reader fr = { names, F_MAX, 0, set_decision_field, r };
	unsigned optional = (1u << F_COMMENT) | (1u << F_VIEWED);
	int rc = each_field(c, &fr);

	for (int f = 0; f < F_MAX; f++)
		if (!names[f])
			optional |= 1u << f;   /* not a field of this kind: counts as present */
	if (!rc && (fr.seen | optional) != (1u << F_MAX) - 1)
		rc = -1;   /* a required field is missing */
	if (!rc && !r->comment)
		r->comment = xstrdup("");
	return rc;
}

static const char *const *series_record_kind(struct record *out, struct cursor *c);

/* The tag of a line, and the field names of its kind; NULL when the line is no record. */
static const char *const *record_kind(struct record *out, struct cursor *c)
{
	static const char tag[] = RECORD_TAG " ";
	size_t n = sizeof(tag) - 1, len = (size_t)(c->end - c->p);

	if (len >= n && !memcmp(c->p, tag, n)) {
		c->p += n;
		return field_names;
	}
	return series_record_kind(out, c);
}

int record_parse(struct record *out, const char *line, size_t len)
{
	struct cursor c = { line, line + len };
	const char *const *names;

	memset(out, 0, sizeof(*out));
	if (!(names = record_kind(out, &c)))
		return REVQ_ENOTFOUND;
	if ((size_t)(c.end - c.p) >= 7 && !memcmp(c.p, "approve", 7))
		out->verdict = VERDICT_APPROVE, c.p += 7;
	else if ((size_t)(c.end - c.p) >= 6 && !memcmp(c.p, "reject", 6))
		out->verdict = VERDICT_REJECT, c.p += 6;
	else if ((size_t)(c.end - c.p) >= 8 && !memcmp(c.p, "withdraw", 8))
		out->verdict = VERDICT_WITHDRAW, c.p += 8;
	else
		return malformed(out, "unknown verdict");
	if (parse_fields(out, &c, names))
		return malformed(out, "bad or missing field");
	return 0;
}

static char *copy_field(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void record_copy(struct record *out, const struct record *r)
{
	*out = *r;
	out->reviewer_name = copy_field(r->reviewer_name);
	out->reviewer_email = copy_field(r->reviewer_email);
	out->comment = copy_field(r->comment);
	out->sig_format = copy_field(r->sig_format);
	out->sig = copy_field(r->sig);
	out->viewed = copy_field(r->viewed);
}

void record_release(struct record *r)
{
	free(r->reviewer_name);
	free(r->reviewer_email);
	free(r->comment);
	free(r->sig_format);
	free(r->sig);
	free(r->viewed);
	memset(r, 0, sizeof(*r));
}

/* ---- comment records (line comments, replies, resolutions): record.h ---- */

static const char *const comment_tags[] = { COMMENT_TAG, COMMENT_REPLY_TAG, COMMENT_RESOLVE_TAG };
static const char *const series_comment_tags[] = {
	SERIES_COMMENT_TAG, SERIES_COMMENT_REPLY_TAG, SERIES_COMMENT_RESOLVE_TAG,
};
static const char *const comment_kinds[] = { "comment", "reply", "resolve" };
static const char *const side_names[] = { "none", "old", "new" };

const char *comment_kind_tag(enum comment_kind kind)
{
	return comment_tags[kind];
}

/* The tag of a record's line: a commit's comment records, or a series'. */
static const char *comment_record_tag(const struct comment_record *c)
{
	return c->series ? series_comment_tags[c->kind] : comment_tags[c->kind];
}

const char *comment_side_name(enum comment_side side)
{
	return side_names[side];
}

void comment_line_id(git_oid *out, const char *text, size_t len)
{
	git_odb_hash(out, text, len, GIT_OBJECT_BLOB);
}

int comment_check_text(const char *text, int may_be_empty)
{
	size_t len = strlen(text);

	if (!len && !may_be_empty)
		return error_set(REVQ_EUSAGE, "a comment needs a text (-m TEXT)");
	if (len > COMMENT_TEXT_MAX)
		return error_set(REVQ_EUSAGE, "the comment is %zu bytes long; at most %d are kept", len,
				 COMMENT_TEXT_MAX);
	if (strchr(text, '\n') || strchr(text, '\r'))
		return error_set(REVQ_EUSAGE, "a comment is one line: no newline");
	return record_check_text("the comment", text, 1);
}

void comment_record_format(struct strbuf *out, const struct comment_record *c)
{
	char hex[GIT_OID_HEXSZ + 1], when[32];

	record_format_time(when, sizeof(when), c->time);
	strbuf_addstr(out, comment_record_tag(c));
	add_reviewer(out, c->reviewer_name, c->reviewer_email);
	strbuf_addf(out, " time=%s", when);
	if (c->series) {
		strbuf_addf(out, " base=%s", git_oid_tostr(hex, sizeof(hex), &c->base));
		strbuf_addf(out, " tip=%s", git_oid_tostr(hex, sizeof(hex), &c->commit));
		strbuf_addf(out, " series-id=%s", git_oid_tostr(hex, sizeof(hex), &c->series_id));
	} else {
		strbuf_addf(out, " commit=%s", git_oid_tostr(hex, sizeof(hex), &c->commit));
	}
	strbuf_addstr(out, " path=");
	add_quoted(out, c->path ? c->path : "");
	strbuf_addf(out, " side=%s line=%u", comment_side_name(c->side), (unsigned)c->line);
	strbuf_addf(out, " line-id=%s", git_oid_tostr(hex, sizeof(hex), &c->line_id));
	strbuf_addf(out, " re=%s text=", git_oid_tostr(hex, sizeof(hex), &c->re));
	add_quoted(out, c->text ? c->text : "");
	add_sig(out, c->sig_format, c->sig);
}

void comment_record_payload(struct strbuf *out, const struct comment_record *c)
{
	char hex[GIT_OID_HEXSZ + 1], when[32];

	record_format_time(when, sizeof(when), c->time);
	strbuf_addstr(out, c->series ? "revq series comment v1\n" : "revq comment v1\n");
	strbuf_addf(out, "kind %s\n", comment_kinds[c->kind]);
	if (c->series) {
		strbuf_addf(out, "base %s\n", git_oid_tostr(hex, sizeof(hex), &c->base));
		strbuf_addf(out, "tip %s\n", git_oid_tostr(hex, sizeof(hex), &c->commit));
		strbuf_addf(out, "series-id %s\n", git_oid_tostr(hex, sizeof(hex), &c->series_id));
	} else {
		strbuf_addf(out, "commit %s\n", git_oid_tostr(hex, sizeof(hex), &c->commit));
	}
	strbuf_addf(out, "path %s\n", c->path ? c->path : "");
	strbuf_addf(out, "side %s\n", comment_side_name(c->side));
	strbuf_addf(out, "line %u\n", (unsigned)c->line);
	strbuf_addf(out, "line-id %s\n", git_oid_tostr(hex, sizeof(hex), &c->line_id));
	strbuf_addf(out, "re %s\n", git_oid_tostr(hex, sizeof(hex), &c->re));
	strbuf_addf(out, "reviewer %s <%s>\n", c->reviewer_name, c->reviewer_email);
	strbuf_addf(out, "time %s\n", when);
	strbuf_addf(out, "text %s\n", c->text ? c->text : "");
}

/* A commit's comment records have the fields before C_BASE; a series' all of them, its commit named tip. */
enum comment_field {
	C_REVIEWER, C_TIME, C_COMMIT, C_PATH, C_SIDE, C_LINE, C_LINE_ID, C_RE, C_TEXT, C_SIG,
	C_BASE, C_SERIES_ID, C_MAX
};

static const char *const comment_field_names[C_MAX] = {
	"reviewer", "time", "commit", "path", "side", "line", "line-id", "re", "text", "sig", NULL, NULL,
};

static const char *const series_comment_field_names[C_MAX] = {
	"reviewer", "time", "tip", "path", "side", "line", "line-id", "re", "text", "sig", "base", "series-id",
};

/* A line number: digits only, no leading zero, one spelling per value. */
static int parse_line_number(uint32_t *out, const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!isdigit((unsigned char)v[0]) || *end || n > UINT32_MAX || (v[0] == '0' && v[1]))
		return -1;
	*out = (uint32_t)n;
	return 0;
}

static int set_comment_field(struct comment_record *c, enum comment_field f, const char *v)
{
	struct record shell;
	int rc;

	switch (f) {
	case C_REVIEWER:
		memset(&shell, 0, sizeof(shell));
		rc = parse_reviewer(&shell, v);
		c->reviewer_name = shell.reviewer_name;
		c->reviewer_email = shell.reviewer_email;
		return rc;
	case C_TIME: return record_parse_time(&c->time, v);
	case C_COMMIT: return parse_oid(&c->commit, v);
	case C_PATH:
		c->path = xstrdup(v);
		return 0;
	case C_SIDE:
		for (int s = SIDE_NONE; s <= SIDE_NEW; s++)
			if (!strcmp(v, side_names[s])) {
				c->side = (enum comment_side)s;
				return 0;
			}
		return -1;
	case C_LINE: return parse_line_number(&c->line, v);
	case C_LINE_ID: return parse_oid(&c->line_id, v);
	case C_RE: return parse_oid(&c->re, v);
	case C_BASE: return parse_oid(&c->base, v);
	case C_SERIES_ID: return parse_oid(&c->series_id, v);
	case C_TEXT:
		c->text = xstrdup(v);
		return strlen(v) > COMMENT_TEXT_MAX || record_check_text("text", v, 1) ? -1 : 0;
	case C_SIG:
		memset(&shell, 0, sizeof(shell));
		rc = set_field(&shell, F_SIG, v);
		c->sig_format = shell.sig_format;
		c->sig = shell.sig;
		return rc;
	default:
		return -1;
	}
}

static int set_comment_field_of(void *record, int field, const char *value)
{
	return set_comment_field(record, (enum comment_field)field, value);
}

/* What each kind must hold: a line comment all of its anchor, a general one none of it. */
static int comment_consistent(const struct comment_record *c)
{
	int anchored = c->side != SIDE_NONE, zero_re = git_oid_is_zero(&c->re);

	if (c->kind == COMMENT_NEW) {
		if (!zero_re || (!*c->text))
			return -1;
		if (anchored)
			return *c->path && c->line && !git_oid_is_zero(&c->line_id) ? 0 : -1;
		return !*c->path && !c->line && git_oid_is_zero(&c->line_id) ? 0 : -1;
	}
	if (zero_re || anchored || *c->path || c->line || !git_oid_is_zero(&c->line_id))
		return -1;
	return c->kind == COMMENT_REPLY && !*c->text ? -1 : 0;
}

/* The kind a line's tag names (a commit's or a series' record), or -1 when it is no comment record. */
static int comment_tag_kind(int *series, const char *line, size_t len)
{
	for (int k = COMMENT_NEW; k <= COMMENT_RESOLVE; k++)
		for (int s = 0; s < 2; s++) {
			const char *tag = s ? series_comment_tags[k] : comment_tags[k];
			size_t n = strlen(tag);

			if (len > n && !memcmp(line, tag, n) && line[n] == ' ') {
				*series = s;
				return k;
			}
		}
	return -1;
}

int comment_record_parse(struct comment_record *out, const char *line, size_t len)
{
	struct cursor c = { line, line + len };
	struct field_reader fr = { comment_field_names, C_MAX, 0, set_comment_field_of, out };
	unsigned needed = (1u << C_BASE) - 1;
	int series = 0, kind;

	memset(out, 0, sizeof(*out));
	if ((kind = comment_tag_kind(&series, line, len)) < 0)
		return REVQ_ENOTFOUND;
	out->kind = (enum comment_kind)kind;
	out->series = series;
	if (series) {
		fr.names = series_comment_field_names;
		needed = (1u << C_MAX) - 1;
	}
	c.p += strlen(comment_record_tag(out));
	if (each_field(&c, &fr) || fr.seen != needed || comment_consistent(out)) {
		comment_record_release(out);
		return error_set(REVQ_EUSAGE, "malformed revq comment record: bad or missing field");
	}
	return 0;
}

void comment_record_release(struct comment_record *c)
{
	free(c->path);
	free(c->reviewer_name);
	free(c->reviewer_email);
	free(c->text);
	free(c->sig_format);
	free(c->sig);
	memset(c, 0, sizeof(*c));
}

/*
 * ---- the series record (revq-notes(5), "SERIES RECORDS") ----
 *
 * One decision on a branch reviewed as one change: the commits from base
 * (exclusive) to tip, whose combined change (base's tree to tip's tree)
 * has the exact identity series-id.  It reuses the fields of a commit's
 * record: commit is the tip, tree the tip's tree, patch_id the series-id,
 * plus base (no viewed field).  Its own tag keeps older revq from reading
 * it as a decision on the tip alone (they skip lines that are not
 * theirs), and its own payload header keeps a signature over one kind
 * from verifying as the other.
 */

static const char *const series_field_names[F_MAX] = {
	"reviewer", "time", "risk", "comment", "tip", "tree", "series-id", "sig", NULL, "base",
};

static const char *const *series_record_kind(struct record *out, struct cursor *c)
{
	static const char tag[] = SERIES_RECORD_TAG " ";
	size_t n = sizeof(tag) - 1;

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, tag, n))
		return NULL;
	c->p += n;
	out->series = 1;
	return series_field_names;
}

static void series_record_format(struct strbuf *out, const struct record *r)
{
	char hex[GIT_OID_HEXSZ + 1];

	add_record_head(out, SERIES_RECORD_TAG, r);
	strbuf_addf(out, " base=%s", git_oid_tostr(hex, sizeof(hex), &r->base));
	strbuf_addf(out, " tip=%s", git_oid_tostr(hex, sizeof(hex), &r->commit));
	strbuf_addf(out, " tree=%s", git_oid_tostr(hex, sizeof(hex), &r->tree));
	strbuf_addf(out, " series-id=%s", git_oid_tostr(hex, sizeof(hex), &r->patch_id));
	add_sig(out, r->sig_format, r->sig);
}

static void series_record_payload(struct strbuf *out, const struct record *r)
{
	char hex[GIT_OID_HEXSZ + 1];

	strbuf_addstr(out, "revq series decision v1\n");
	strbuf_addf(out, "verdict %s\n", verdict_name(r->verdict));
	strbuf_addf(out, "base %s\n", git_oid_tostr(hex, sizeof(hex), &r->base));
	strbuf_addf(out, "tip %s\n", git_oid_tostr(hex, sizeof(hex), &r->commit));
	strbuf_addf(out, "tree %s\n", git_oid_tostr(hex, sizeof(hex), &r->tree));
	strbuf_addf(out, "series-id %s\n", git_oid_tostr(hex, sizeof(hex), &r->patch_id));
	add_signed_reviewer(out, r);
}
