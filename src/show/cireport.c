/*
 * cireport.c: verify's results for CI systems (see cireport.h).  Each
 * quoting function runs the text through escape_addstr() first, so the
 * format's own quoting only ever sees printable characters; the quoting
 * tables are the formats' rules, nothing more.
 */
#include "config.h"

#include <string.h>

#include "show/cireport.h"
#include "show/escape.h"

/* Visible text first, then each byte through quote(). */
static void quote_visible(struct strbuf *out, const char *s, unsigned flags,
			  void (*quote)(struct strbuf *out, char c, int arg), int arg)
{
	struct strbuf safe = STRBUF_INIT;

	escape_addstr(&safe, s ? s : "", flags);
	for (size_t i = 0; i < safe.len; i++)
		quote(out, safe.buf[i], arg);
	strbuf_release(&safe);
}

/* ---- GitHub workflow commands ---- */

static void quote_github(struct strbuf *out, char c, int property)
{
	if (c == '%' || c == '\r' || c == '\n' || (property && (c == ':' || c == ',')))
		strbuf_addf(out, "%%%02X", (unsigned char)c);
	else
		strbuf_addch(out, c);
}

void ci_github_escape(struct strbuf *out, const char *s, int property, unsigned flags)
{
	quote_visible(out, s, flags, quote_github, property);
}

void ci_github_error(struct strbuf *out, const struct ci_result *r, unsigned flags)
{
	struct strbuf title = STRBUF_INIT;

	strbuf_addf(&title, "revq: %s is not approved", r->short_id);
	strbuf_addstr(out, "::error title=");
	ci_github_escape(out, title.buf, 1, flags);
	strbuf_addstr(out, "::");
	ci_github_escape(out, r->short_id, 0, flags);
	strbuf_addstr(out, ": ");
	ci_github_escape(out, r->reasons, 0, flags);
	strbuf_addstr(out, " (");
	ci_github_escape(out, r->subject, 0, flags);
	strbuf_addstr(out, ")\n");
	strbuf_release(&title);
}

/* ---- markdown (GitHub's job summary) ---- */

static void quote_markdown(struct strbuf *out, char c, int arg)
{
	(void)arg;
	if (c == '<')
		strbuf_addstr(out, "&lt;");
	else if (c == '>')
		strbuf_addstr(out, "&gt;");
	else if (c == '&')
		strbuf_addstr(out, "&amp;");
	else if (c && strchr("\\`*_{}[]()#+-.!|~\"'=:@", c))
		strbuf_addf(out, "\\%c", c);
	else
		strbuf_addch(out, c);
}

void ci_markdown_escape(struct strbuf *out, const char *s, unsigned flags)
{
	quote_visible(out, s, flags, quote_markdown, 0);
}

void ci_summary_begin(struct strbuf *out, const struct ci_run *run, unsigned flags)
{
	strbuf_addstr(out, "### revq verify\n\nTarget ");
	ci_markdown_escape(out, run->target, flags);
	strbuf_addf(out, " at %s, policy ", run->target_id);
	ci_markdown_escape(out, run->policy, flags);
	if (run->failed)
		strbuf_addf(out, ": **%zu of %zu commit%s to judge fail%s**\n", run->failed, run->commits,
			    run->commits == 1 ? "" : "s", run->failed == 1 ? "s" : "");
	else
		strbuf_addf(out, ": all %zu commit%s to judge pass\n", run->commits,
			    run->commits == 1 ? "" : "s");
	strbuf_addch(out, '\n');
}

void ci_summary_result(struct strbuf *out, const struct ci_result *r, unsigned flags)
{
	strbuf_addf(out, "- **%s** ", r->short_id);
	ci_markdown_escape(out, r->subject, flags);
	strbuf_addstr(out, ": ");
	ci_markdown_escape(out, r->reasons, flags);
	strbuf_addch(out, '\n');
}

/* ---- JUnit XML ---- */

static void quote_xml(struct strbuf *out, char c, int arg)
{
	(void)arg;
	switch (c) {
	case '<': strbuf_addstr(out, "&lt;"); break;
	case '>': strbuf_addstr(out, "&gt;"); break;
	case '&': strbuf_addstr(out, "&amp;"); break;
	case '"': strbuf_addstr(out, "&quot;"); break;
	case '\'': strbuf_addstr(out, "&apos;"); break;
	default: strbuf_addch(out, c); break;
	}
}

void ci_xml_escape(struct strbuf *out, const char *s, unsigned flags)
{
	quote_visible(out, s, flags, quote_xml, 0);
}

void ci_junit_testcase(struct strbuf *out, const struct ci_result *r, unsigned flags)
{
	strbuf_addf(out, "    <testcase classname=\"revq.verify\" name=\"%s ", r->short_id);
	ci_xml_escape(out, r->subject, flags);
	strbuf_addch(out, '"');
	if (!r->reasons || !*r->reasons) {
		strbuf_addstr(out, "/>\n");
		return;
	}
	strbuf_addstr(out, ">\n      <failure type=\"not-approved\" message=\"");
	ci_xml_escape(out, r->reasons, flags);
	strbuf_addstr(out, "\">");
	ci_xml_escape(out, r->reasons, flags);
	strbuf_addf(out, "</failure>\n      <system-out>commit %s</system-out>\n    </testcase>\n",
		    r->commit);
}

void ci_junit_document(struct strbuf *out, const struct ci_run *run, const char *cases,
		       unsigned flags)
{
	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<testsuites name=\"revq verify\" tests=\"%zu\" failures=\"%zu\">\n"
		    "  <testsuite name=\"revq verify ", run->commits, run->failed);
	ci_xml_escape(out, run->target, flags);
	strbuf_addf(out, " at %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n"
		    "    <properties>\n      <property name=\"target\" value=\"", run->target_id,
		    run->commits, run->failed);
	ci_xml_escape(out, run->target, flags);
	strbuf_addstr(out, "\"/>\n      <property name=\"policy\" value=\"");
	ci_xml_escape(out, run->policy, flags);
	strbuf_addf(out, "\"/>\n    </properties>\n%s  </testsuite>\n</testsuites>\n", cases);
}
