/*
 * test_record.c: the one-line decision record (record.h, revq-notes(5)):
 * formatting, strict parsing, and the signed payload.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "sign/record.h"

#define COMMIT "0123456789abcdef0123456789abcdef01234567"
#define TREE "89abcdef0123456789abcdef0123456789abcdef"
#define PATCH "fedcba9876543210fedcba9876543210fedcba98"

#define LINE_REVIEWER "revq1 approve reviewer=\"Jane Doe <jane@example.com>\""
#define LINE_REST " time=2026-01-01T00:00:00Z risk=72 comment=\"Looks right\" commit=" COMMIT \
	" tree=" TREE " patch-id=" PATCH " sig=ssh:AAAAC3Nz+/="
#define GOOD_LINE LINE_REVIEWER LINE_REST

static void make_record(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->verdict = VERDICT_APPROVE;
	assert_int_equal(git_oid_fromstr(&r->commit, COMMIT), 0);
	assert_int_equal(git_oid_fromstr(&r->tree, TREE), 0);
	assert_int_equal(git_oid_fromstr(&r->patch_id, PATCH), 0);
	r->reviewer_name = xstrdup("Jane Doe");
	r->reviewer_email = xstrdup("jane@example.com");
	r->time = TL_NOW;
	r->risk = 72;
	r->comment = xstrdup("Looks right");
	r->sig_format = xstrdup("ssh");
	r->sig = xstrdup("AAAAC3Nz+/=");
}

static int parse(struct record *r, const char *line)
{
	return record_parse(r, line, strlen(line));
}

static void test_format_exact_line(void **state)
{
	struct record r;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	make_record(&r);
	record_format(&out, &r);
	assert_string_equal(out.buf, GOOD_LINE);
	record_release(&r);
	strbuf_release(&out);
}

static void test_parse_good_line(void **state)
{
	struct record r;
	char hex[GIT_OID_HEXSZ + 1];

	(void)state;
	assert_int_equal(parse(&r, GOOD_LINE), 0);
	assert_int_equal(r.verdict, VERDICT_APPROVE);
	assert_string_equal(r.reviewer_name, "Jane Doe");
	assert_string_equal(r.reviewer_email, "jane@example.com");
	assert_int_equal(r.time, TL_NOW);
	assert_int_equal(r.risk, 72);
	assert_string_equal(r.comment, "Looks right");
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &r.commit), COMMIT);
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &r.tree), TREE);
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &r.patch_id), PATCH);
	assert_string_equal(r.sig_format, "ssh");
	assert_string_equal(r.sig, "AAAAC3Nz+/=");
	record_release(&r);
	assert_null(r.reviewer_name);
}

static void test_round_trip_with_quotes_and_backslashes(void **state)
{
	struct record r, back;
	struct strbuf line = STRBUF_INIT, again = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT;

	(void)state;
	make_record(&r);
	r.verdict = VERDICT_REJECT;
	free(r.comment);
	r.comment = xstrdup("use \"const\" here \\ and \xc3\xa9t\xc3\xa9 \xe6\x97\xa5 = ok");
	free(r.reviewer_name);
	r.reviewer_name = xstrdup("J. \"Jay\" O'Neil \\ Jr");
	free(r.sig_format);
	r.sig_format = xstrdup("none");
	free(r.sig);
	r.sig = xstrdup("");
	r.risk = 0;
	record_format(&line, &r);
	assert_contains(line.buf, "revq1 reject reviewer=\"J. \\\"Jay\\\" O'Neil \\\\ Jr <jane@example.com>\"");
	assert_contains(line.buf, " risk=0 comment=\"use \\\"const\\\" here \\\\ and ");
	assert_contains(line.buf, " sig=none:");
	assert_int_equal(record_parse(&back, line.buf, line.len), 0);
	assert_int_equal(back.verdict, VERDICT_REJECT);
	assert_string_equal(back.reviewer_name, r.reviewer_name);
	assert_string_equal(back.comment, r.comment);
	assert_string_equal(back.sig_format, "none");
	assert_string_equal(back.sig, "");
	assert_int_equal(back.risk, 0);
	assert_true(git_oid_equal(&back.commit, &r.commit));
	record_format(&again, &back);
	assert_string_equal(again.buf, line.buf);
	/* the payload is the same however the line was quoted */
	record_payload(&p1, &r);
	record_payload(&p2, &back);
	assert_string_equal(p1.buf, p2.buf);
	record_release(&r);
	record_release(&back);
	strbuf_release(&line);
	strbuf_release(&again);
	strbuf_release(&p1);
	strbuf_release(&p2);
}

static void test_payload_exact(void **state)
{
	struct record r;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	make_record(&r);
	record_payload(&out, &r);
	assert_string_equal(out.buf,
			    "revq decision v1\n"
			    "verdict approve\n"
			    "commit " COMMIT "\n"
			    "tree " TREE "\n"
			    "patch-id " PATCH "\n"
			    "reviewer Jane Doe <jane@example.com>\n"
			    "time 2026-01-01T00:00:00Z\n"
			    "risk 72\n"
			    "comment Looks right\n");
	record_release(&r);
	strbuf_release(&out);
}

static void test_field_order_free_comment_optional_unknown_ignored(void **state)
{
	struct record r;

	(void)state;
	assert_int_equal(parse(&r, "revq1 reject sig=openpgp:iQEz commit=" COMMIT " risk=100 tree=" TREE
			       " x-future=\"anything at all\" patch-id=" PATCH
			       " time=2025-11-24T10:00:00Z reviewer=\"A <a@b>\""), 0);
	assert_int_equal(r.verdict, VERDICT_REJECT);
	assert_string_equal(r.comment, "");
	assert_int_equal(r.risk, 100);
	assert_int_equal(r.time, 1763978400);
	assert_string_equal(r.sig_format, "openpgp");
	assert_string_equal(r.reviewer_name, "A");
	/* quoted values are the same as bare ones */
	record_release(&r);
	assert_int_equal(parse(&r, "revq1 approve reviewer=\"A <a@b>\" time=\"2025-11-24T10:00:00Z\" risk=\"5\""
			       " commit=\"" COMMIT "\" tree=" TREE " patch-id=" PATCH " sig=\"ssh:AA==\""), 0);
	assert_int_equal(r.risk, 5);
	record_release(&r);
}

static void test_not_a_record(void **state)
{
	struct record r;

	(void)state;
	assert_int_equal(parse(&r, "just a note"), REVQ_ENOTFOUND);
	assert_int_equal(parse(&r, ""), REVQ_ENOTFOUND);
	assert_int_equal(parse(&r, "revq1"), REVQ_ENOTFOUND);
	assert_int_equal(parse(&r, "revq2 approve reviewer=\"A <a@b>\""), REVQ_ENOTFOUND);
	assert_int_equal(parse(&r, " revq1 approve"), REVQ_ENOTFOUND);
	/* len is honoured: the tag is cut short */
	assert_int_equal(record_parse(&r, GOOD_LINE, 4), REVQ_ENOTFOUND);
}

static void expect_malformed(const char *line, const char *why)
{
	struct record r;
	int rc = record_parse(&r, line, strlen(line));

	if (rc != REVQ_EUSAGE)
		fail_msg("accepted (%d) malformed record:\n%s", rc, line);
	assert_string_equal(error_last(), why);
	assert_null(r.reviewer_name);
	assert_null(r.comment);
	assert_null(r.sig);
}

#define BAD_FIELD "malformed revq record: bad or missing field"

static void test_malformed_records(void **state)
{
	(void)state;
	expect_malformed("revq1 maybe" LINE_REST, "malformed revq record: unknown verdict");
	expect_malformed("revq1 ", "malformed revq record: unknown verdict");
	expect_malformed("revq1 approved reviewer=\"A <a@b>\"" LINE_REST, BAD_FIELD);
	expect_malformed("revq1 approve", BAD_FIELD);
	/* a required field missing */
	expect_malformed(LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=72 commit=" COMMIT
			 " patch-id=" PATCH " sig=ssh:AA==", BAD_FIELD);
	expect_malformed("revq1 approve" LINE_REST, BAD_FIELD);
	/* a field twice */
	expect_malformed(GOOD_LINE " risk=72", BAD_FIELD);
	/* trailing or doubled spaces, no '=' */
	expect_malformed(GOOD_LINE " ", BAD_FIELD);
	expect_malformed(GOOD_LINE " garbage", BAD_FIELD);
	expect_malformed("revq1 approve  reviewer=\"A <a@b>\"" LINE_REST, BAD_FIELD);
	/* quoting */
	expect_malformed(LINE_REVIEWER " comment=\"no end" LINE_REST, BAD_FIELD);
	expect_malformed(LINE_REVIEWER " x=\"bad \\n escape\"" LINE_REST, BAD_FIELD);
	expect_malformed(LINE_REVIEWER " x=\"ends in backslash\\", BAD_FIELD);
}

static void test_malformed_values(void **state)
{
	static const char *const bad[] = {
		/* reviewer */
		"revq1 approve reviewer=\"Jane Doe\"" LINE_REST,
		"revq1 approve reviewer=\"Jane Doe <>\"" LINE_REST,
		"revq1 approve reviewer=\"<jane@example.com>\"" LINE_REST,
		"revq1 approve reviewer=\"Jane<jane@example.com>\"" LINE_REST,
		"revq1 approve reviewer=\"Jane <jane@example.com> x\"" LINE_REST,
		/* time: only the canonical spelling of a valid time */
		LINE_REVIEWER " time=2026-02-29T00:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-1-01T00:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00+00:00 risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T24:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		/* risk */
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=101 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=-1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=07 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=7x commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk= commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		/* object ids: 40 lower-case hex digits */
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=0123456789ABCDEF0123456789abcdef01234567 tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=0123456789abcdef tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=" COMMIT "0 tree=" TREE " patch-id=" PATCH " sig=ssh:AA==",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=" COMMIT " tree=g123456789abcdef0123456789abcdef01234567 patch-id=" PATCH " sig=ssh:AA==",
		/* signature */
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=AAAA",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=:AAAA",
		LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=1 commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA!A",
		/* control characters and bytes that are not UTF-8, in any value */
		LINE_REVIEWER " comment=\"tab\there\"" LINE_REST,
		LINE_REVIEWER " comment=\"esc\x1b[2J\"" LINE_REST,
		LINE_REVIEWER " comment=\"c1 \xc2\x9b\"" LINE_REST,
		LINE_REVIEWER " comment=\"latin1 \xe9\"" LINE_REST,
		LINE_REVIEWER " x-unknown=\"bell\x07\"" LINE_REST,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_malformed(bad[i], BAD_FIELD);
}

static void test_embedded_nul_is_malformed(void **state)
{
	static const char line[] = LINE_REVIEWER " comment=\"a\0b\"" LINE_REST;
	struct record r;

	(void)state;
	assert_int_equal(record_parse(&r, line, sizeof(line) - 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), BAD_FIELD);
}

static void test_check_text(void **state)
{
	(void)state;
	assert_int_equal(record_check_text("comment", "Looks good \xe2\x9c\x93 caf\xc3\xa9", 1), 0);
	assert_int_equal(record_check_text("comment", "", 1), 0);
	assert_int_equal(record_check_text("comment", "bad\x07", 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), "comment contains a control character (U+0007)");
	assert_int_equal(record_check_text("comment", "two\nlines", 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), "comment contains a control character (U+000A)");
	assert_int_equal(record_check_text("reviewer", "x\xc2\x85", 0), REVQ_EUSAGE);
	assert_string_equal(error_last(), "reviewer contains a control character (U+0085)");
	assert_int_equal(record_check_text("comment", "ok\xe2\x80\xae", 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), "comment contains an invisible or bidi character (U+202E)");
	assert_int_equal(record_check_text("comment", "zero\xe2\x80\x8bwidth", 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), "comment contains an invisible or bidi character (U+200B)");
	/* bidi is refused in comments only */
	assert_int_equal(record_check_text("reviewer", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\x8f", 0), 0);
	assert_int_equal(record_check_text("comment", "caf\xe9", 1), REVQ_EUSAGE);
	assert_string_equal(error_last(), "comment is not valid UTF-8");
}

static void test_time_format_and_parse(void **state)
{
	char buf[32];
	int64_t t = 0;

	(void)state;
	record_format_time(buf, sizeof(buf), TL_NOW);
	assert_string_equal(buf, "2026-01-01T00:00:00Z");
	record_format_time(buf, sizeof(buf), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(record_parse_time(&t, "2026-01-01T00:00:00Z"), 0);
	assert_int_equal(t, TL_NOW);
	assert_int_equal(record_parse_time(&t, "2024-02-29T23:59:59Z"), 0);
	assert_int_equal(t, 1709251199);
	assert_int_equal(record_parse_time(&t, "2025-02-29T00:00:00Z"), -1);
	assert_int_equal(record_parse_time(&t, "2026-13-01T00:00:00Z"), -1);
	assert_int_equal(record_parse_time(&t, "2026-01-01T00:00:60Z"), -1);
	assert_int_equal(record_parse_time(&t, "2026-01-01 00:00:00Z"), -1);
	assert_int_equal(record_parse_time(&t, "2026-01-01T00:00:00z"), -1);
	assert_int_equal(record_parse_time(&t, "2026-01-01T00:00:00"), -1);
	assert_int_equal(record_parse_time(&t, ""), -1);
	assert_string_equal(verdict_name(VERDICT_APPROVE), "approve");
	assert_string_equal(verdict_name(VERDICT_REJECT), "reject");
}

/*
 * Regression (found by this test, since fixed):
 * revq-notes(5) says risk is "0 to 100, without leading zeros", but
 * set_field() uses strtol(), which also takes a sign and leading blanks.
 */
static void test_regression_risk_other_spellings(void **state)
{
	(void)state;
	expect_malformed(LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=+5 commit=" COMMIT " tree=" TREE
			 " patch-id=" PATCH " sig=ssh:AA==", BAD_FIELD);
	expect_malformed(LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=-0 commit=" COMMIT " tree=" TREE
			 " patch-id=" PATCH " sig=ssh:AA==", BAD_FIELD);
	expect_malformed(LINE_REVIEWER " time=2026-01-01T00:00:00Z risk=\" 5\" commit=" COMMIT " tree=" TREE
			 " patch-id=" PATCH " sig=ssh:AA==", BAD_FIELD);
}

static void test_viewed_field_is_signed_and_absent_from_old_payloads(void **state)
{
	struct record r, back;
	struct strbuf line = STRBUF_INIT, payload = STRBUF_INIT;

	(void)state;
	make_record(&r);
	r.viewed = xstrdup("1/3 src/a%20b.c");
	record_format(&line, &r);
	assert_non_null(strstr(line.buf, " viewed=\"1/3 src/a%20b.c\" sig="));
	assert_int_equal(parse(&back, line.buf), 0);
	assert_string_equal(back.viewed, "1/3 src/a%20b.c");
	record_payload(&payload, &r);
	assert_non_null(strstr(payload.buf, "comment Looks right\nviewed 1/3 src/a%20b.c\n"));
	record_release(&back);
	/* A record without the field parses as before, and its payload has no viewed line. */
	assert_int_equal(parse(&back, GOOD_LINE), 0);
	assert_null(back.viewed);
	strbuf_reset(&payload);
	record_payload(&payload, &back);
	assert_null(strstr(payload.buf, "viewed"));
	record_release(&back);
	record_release(&r);
	strbuf_release(&line);
	strbuf_release(&payload);
}

#define ZERO "0000000000000000000000000000000000000000"
#define COMMENT_LINE "revq1-comment reviewer=\"Jane Doe <jane@example.com>\" time=2026-01-01T00:00:00Z commit=" \
	COMMIT " path=\"src/a.c\" side=new line=12 line-id=" TREE " re=" ZERO " text=\"Off \\\"by\\\" one?\" sig=ssh:AAAA"

static void test_comment_record_round_trip_and_payload(void **state)
{
	struct comment_record c;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(comment_record_parse(&c, COMMENT_LINE, strlen(COMMENT_LINE)), 0);
	assert_int_equal(c.kind, COMMENT_NEW);
	assert_int_equal(c.side, SIDE_NEW);
	assert_int_equal(c.line, 12);
	assert_string_equal(c.text, "Off \"by\" one?");
	comment_record_format(&out, &c);
	assert_string_equal(out.buf, COMMENT_LINE);
	strbuf_reset(&out);
	comment_record_payload(&out, &c);
	assert_string_equal(out.buf, "revq comment v1\nkind comment\ncommit " COMMIT "\npath src/a.c\nside new\n"
			    "line 12\nline-id " TREE "\nre " ZERO "\nreviewer Jane Doe <jane@example.com>\n"
			    "time 2026-01-01T00:00:00Z\ntext Off \"by\" one?\n");
	comment_record_release(&c);
	/* A decision is no comment, and a comment no decision. */
	assert_int_equal(comment_record_parse(&c, GOOD_LINE, strlen(GOOD_LINE)), REVQ_ENOTFOUND);
	{
		struct record r;

		assert_int_equal(record_parse(&r, COMMENT_LINE, strlen(COMMENT_LINE)), REVQ_ENOTFOUND);
	}
	strbuf_release(&out);
}

#define SERIES_COMMENT_LINE "revq-series1-reply reviewer=\"Jane Doe <jane@example.com>\" time=2026-01-01T00:00:00Z " \
	"base=" TREE " tip=" COMMIT " series-id=" COMMIT " path=\"\" side=none line=0 line-id=" ZERO " re=" TREE \
	" text=\"Agreed\" sig=ssh:AAAA"

static void test_a_series_comment_record_round_trips_and_is_no_other_kind(void **state)
{
	struct comment_record c;
	struct record r;
	struct strbuf out = STRBUF_INIT, line = STRBUF_INIT;

	(void)state;
	assert_int_equal(comment_record_parse(&c, SERIES_COMMENT_LINE, strlen(SERIES_COMMENT_LINE)), 0);
	assert_int_equal(c.kind, COMMENT_REPLY);
	assert_true(c.series);
	comment_record_format(&out, &c);
	assert_string_equal(out.buf, SERIES_COMMENT_LINE);
	strbuf_reset(&out);
	comment_record_payload(&out, &c);
	assert_string_equal(out.buf, "revq series comment v1\nkind reply\nbase " TREE "\ntip " COMMIT "\nseries-id "
			    COMMIT "\npath \nside none\nline 0\nline-id " ZERO "\nre " TREE
			    "\nreviewer Jane Doe <jane@example.com>\ntime 2026-01-01T00:00:00Z\ntext Agreed\n");
	comment_record_release(&c);
	/* No decision of either kind, and without its series-id (or with commit= instead of tip=) malformed. */
	assert_int_equal(record_parse(&r, SERIES_COMMENT_LINE, strlen(SERIES_COMMENT_LINE)), REVQ_ENOTFOUND);
	strbuf_addstr(&line, SERIES_COMMENT_LINE);
	memcpy(strstr(line.buf, " series-id="), " xeries-id=", 11);
	assert_int_equal(comment_record_parse(&c, line.buf, line.len), REVQ_EUSAGE);
	strbuf_reset(&line);
	strbuf_addstr(&line, SERIES_COMMENT_LINE);
	memcpy(strstr(line.buf, " tip="), " cmt=", 5);
	assert_int_equal(comment_record_parse(&c, line.buf, line.len), REVQ_EUSAGE);
	/* A commit's comment record stays a commit's. */
	assert_int_equal(comment_record_parse(&c, COMMENT_LINE, strlen(COMMENT_LINE)), 0);
	assert_false(c.series);
	comment_record_release(&c);
	strbuf_release(&out);
	strbuf_release(&line);
}

static void test_malformed_comment_records(void **state)
{
	static const char *const bad[] = {
		/* a line comment without its line-id */
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"a\" side=new "
		"line=1 line-id=" ZERO " re=" ZERO " text=\"x\" sig=none:",
		/* a general comment with a line */
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"\" side=none "
		"line=3 line-id=" ZERO " re=" ZERO " text=\"x\" sig=none:",
		/* a reply that answers nothing */
		"revq1-reply reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"\" side=none "
		"line=0 line-id=" ZERO " re=" ZERO " text=\"x\" sig=none:",
		/* an escape in the text */
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"\" side=none "
		"line=0 line-id=" ZERO " re=" ZERO " text=\"\x1b[2J\" sig=none:",
		/* a bidi override in the text */
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"\" side=none "
		"line=0 line-id=" ZERO " re=" ZERO " text=\"\xe2\x80\xae\" sig=none:",
		/* a line number with a leading zero, and a missing sig */
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"a\" side=old "
		"line=01 line-id=" TREE " re=" ZERO " text=\"x\" sig=none:",
		"revq1-comment reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT " path=\"\" side=none "
		"line=0 line-id=" ZERO " re=" ZERO " text=\"x\"",
	};
	struct comment_record c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (comment_record_parse(&c, bad[i], strlen(bad[i])) != REVQ_EUSAGE)
			fail_msg("accepted: %s", bad[i]);
		error_clear();
	}
	/* The legitimate resolution: no text needed. */
	{
		const char *ok = "revq1-resolve reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z commit=" COMMIT
				 " path=\"\" side=none line=0 line-id=" ZERO " re=" TREE " text=\"\" sig=none:";

		assert_int_equal(comment_record_parse(&c, ok, strlen(ok)), 0);
		assert_int_equal(c.kind, COMMENT_RESOLVE);
		comment_record_release(&c);
	}
	assert_int_equal(comment_check_text("two\nlines", 0), REVQ_EUSAGE);
	assert_int_equal(comment_check_text("", 0), REVQ_EUSAGE);
	assert_int_equal(comment_check_text("fine", 0), 0);
	error_clear();
}

/* ---- series records ---- */

#define BASE "1111111111111111111111111111111111111111"
#define SERIES_LINE "revq-series1 approve reviewer=\"Jane Doe <jane@example.com>\" time=2026-01-01T00:00:00Z " \
	"risk=72 comment=\"Looks right\" base=" BASE " tip=" COMMIT " tree=" TREE " series-id=" PATCH \
	" sig=ssh:AAAAC3Nz+/="

static void test_a_series_record_round_trips_exactly(void **state)
{
	struct record r, back;
	struct strbuf line = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT;

	(void)state;
	make_record(&r);
	r.series = 1;
	assert_int_equal(git_oid_fromstr(&r.base, BASE), 0);
	record_format(&line, &r);
	assert_string_equal(line.buf, SERIES_LINE);
	assert_int_equal(record_parse(&back, line.buf, line.len), 0);
	assert_int_equal(back.series, 1);
	assert_true(git_oid_equal(&back.base, &r.base));
	assert_true(git_oid_equal(&back.commit, &r.commit));
	assert_true(git_oid_equal(&back.patch_id, &r.patch_id));
	record_payload(&p1, &r);
	record_payload(&p2, &back);
	assert_string_equal(p1.buf, p2.buf);
	assert_string_equal(p1.buf, "revq series decision v1\nverdict approve\nbase " BASE "\ntip " COMMIT
			    "\ntree " TREE "\nseries-id " PATCH "\nreviewer Jane Doe <jane@example.com>\n"
			    "time 2026-01-01T00:00:00Z\nrisk 72\ncomment Looks right\n");
	record_release(&r);
	record_release(&back);
	strbuf_release(&line);
	strbuf_release(&p1);
	strbuf_release(&p2);
}

static void test_a_series_payload_never_equals_a_commit_payload(void **state)
{
	struct record r;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	make_record(&r);
	record_payload(&a, &r);
	r.series = 1;
	record_payload(&b, &r);
	assert_string_not_equal(a.buf, b.buf);
	assert_true(!strncmp(a.buf, "revq decision v1\n", 17));
	record_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_a_series_record_needs_every_series_field(void **state)
{
	static const char *const bad[] = {
		/* no base */
		"revq-series1 approve reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z risk=1 tip=" COMMIT
		" tree=" TREE " series-id=" PATCH " sig=ssh:AA",
		/* a commit's field names are not a series record's */
		"revq-series1 approve reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z risk=1 base=" BASE
		" commit=" COMMIT " tree=" TREE " patch-id=" PATCH " sig=ssh:AA",
		/* two bases */
		"revq-series1 approve reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z risk=1 base=" BASE " base=" BASE
		" tip=" COMMIT " tree=" TREE " series-id=" PATCH " sig=ssh:AA",
		/* upper-case hex */
		"revq-series1 approve reviewer=\"J <j@x>\" time=2026-01-01T00:00:00Z risk=1 base=" BASE
		" tip=0123456789ABCDEF0123456789abcdef01234567 tree=" TREE " series-id=" PATCH " sig=ssh:AA",
		"revq-series1 merge reviewer=\"J <j@x>\"",
	};
	struct record r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (parse(&r, bad[i]) != REVQ_EUSAGE)
			fail_msg("accepted: %s", bad[i]);
		error_clear();
	}
	/* A commit's record with a base field: the field is unknown to it, and left alone. */
	assert_int_equal(parse(&r, GOOD_LINE " base=" BASE), 0);
	assert_int_equal(r.series, 0);
	assert_true(git_oid_is_zero(&r.base));
	record_release(&r);
	/* Not a record at all: another tool's line. */
	assert_int_equal(parse(&r, "revq-series2 approve x=y"), REVQ_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_series_record_round_trips_exactly),
		cmocka_unit_test(test_a_series_payload_never_equals_a_commit_payload),
		cmocka_unit_test(test_a_series_record_needs_every_series_field),
		cmocka_unit_test(test_a_series_comment_record_round_trips_and_is_no_other_kind),
		cmocka_unit_test(test_format_exact_line),
		cmocka_unit_test(test_parse_good_line),
		cmocka_unit_test(test_round_trip_with_quotes_and_backslashes),
		cmocka_unit_test(test_payload_exact),
		cmocka_unit_test(test_field_order_free_comment_optional_unknown_ignored),
		cmocka_unit_test(test_not_a_record),
		cmocka_unit_test(test_malformed_records),
		cmocka_unit_test(test_malformed_values),
		cmocka_unit_test(test_embedded_nul_is_malformed),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_time_format_and_parse),
		cmocka_unit_test(test_regression_risk_other_spellings),
		cmocka_unit_test(test_viewed_field_is_signed_and_absent_from_old_payloads),
		cmocka_unit_test(test_comment_record_round_trip_and_payload),
		cmocka_unit_test(test_malformed_comment_records),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
