/*
 * cireport.h: verify's results in the forms CI systems read: GitHub's
 * workflow commands (::error annotations) and job summary markdown, and
 * JUnit XML test reports.  Every piece of commit data is untrusted: it is
 * first made visible text by escape.h (no control byte survives), then
 * quoted by the rules of the target format.
 */
#ifndef REVQ_CIREPORT_H
#define REVQ_CIREPORT_H

#include <stddef.h>

#include "base/strbuf.h"

/* One judged commit, as a report shows it. */
struct ci_result {
	const char *commit;    /* not owned: the full hex id */
	const char *short_id;  /* not owned */
	const char *subject;   /* not owned: untrusted */
	const char *reasons;   /* not owned: untrusted; NULL or "" when the commit passes */
};

/* The run as a whole, for headers and summaries. */
struct ci_run {
	const char *target;        /* not owned: the resolved target ref (untrusted) */
	const char *target_id;     /* not owned: its short id */
	const char *policy;        /* not owned: where the policy came from (untrusted) */
	size_t commits, failed;
};

/* s as a workflow command's message (property 0) or property value (1): %XX for % CR LF (: ,). */
void ci_github_escape(struct strbuf *out, const char *s, int property, unsigned flags);
/* "::error title=...::SHORT: REASONS (SUBJECT)\n" for a failing result. */
void ci_github_error(struct strbuf *out, const struct ci_result *r, unsigned flags);

/* s as markdown text: HTML specials as entities, markdown punctuation backslashed. */
void ci_markdown_escape(struct strbuf *out, const char *s, unsigned flags);
/* The job summary's heading and verdict line. */
void ci_summary_begin(struct strbuf *out, const struct ci_run *run, unsigned flags);
/* One failing commit as a list item of the summary. */
void ci_summary_result(struct strbuf *out, const struct ci_result *r, unsigned flags);

/* s as XML 1.0 character data or attribute value. */
void ci_xml_escape(struct strbuf *out, const char *s, unsigned flags);
/* One <testcase>, with a <failure> when the result has reasons. */
void ci_junit_testcase(struct strbuf *out, const struct ci_result *r, unsigned flags);
/* The whole document around the testcases already rendered into cases. */
void ci_junit_document(struct strbuf *out, const struct ci_run *run, const char *cases,
		       unsigned flags);

#endif
