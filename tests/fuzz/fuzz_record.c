/*
 * fuzz_record.c: the decision and comment record parsers and their
 * canonical payloads.
 * A record that parses must format back to a line that parses to the
 * same record with the same payload: nothing can be smuggled past the
 * signature by an alternative spelling.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "sign/record.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const struct record *a, const struct record *b)
{
	return a->verdict == b->verdict && git_oid_equal(&a->commit, &b->commit) &&
	       git_oid_equal(&a->tree, &b->tree) && git_oid_equal(&a->patch_id, &b->patch_id) &&
	       !strcmp(a->reviewer_name, b->reviewer_name) && !strcmp(a->reviewer_email, b->reviewer_email) &&
	       a->time == b->time && a->risk == b->risk && !strcmp(a->comment, b->comment) &&
	       !strcmp(a->sig_format, b->sig_format) && !strcmp(a->sig, b->sig) &&
	       !a->viewed == !b->viewed && (!a->viewed || !strcmp(a->viewed, b->viewed));
}

/* The same round trip for a comment record: one line, read back to the same payload, one line per field. */
static void comment_round_trip(const uint8_t *data, size_t size)
{
	struct comment_record c, again;
	struct strbuf line = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT;
	int rc = comment_record_parse(&c, (const char *)data, size);

	if (rc == REVQ_ENOTFOUND || rc == REVQ_EUSAGE) {
		error_clear();
		return;
	}
	if (rc)
		abort();
	comment_record_format(&line, &c);
	if (memchr(line.buf, '\n', line.len) || comment_record_parse(&again, line.buf, line.len))
		abort();
	comment_record_payload(&p1, &c);
	comment_record_payload(&p2, &again);
	if (strcmp(p1.buf, p2.buf) || strcmp(c.sig, again.sig) || strcmp(c.sig_format, again.sig_format))
		abort();
	for (size_t i = 0, lines = 0; i < p1.len; i++)
		if (p1.buf[i] == '\n' && ++lines > 11)
			abort();
	comment_record_release(&c);
	comment_record_release(&again);
	strbuf_release(&line);
	strbuf_release(&p1);
	strbuf_release(&p2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r, again;
	struct strbuf line = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT;
	int rc;

	comment_round_trip(data, size);
	rc = record_parse(&r, (const char *)data, size);
	if (rc == REVQ_ENOTFOUND || rc == REVQ_EUSAGE)
		return 0;
	if (rc)
		abort();
	record_format(&line, &r);
	if (memchr(line.buf, '\n', line.len) || record_parse(&again, line.buf, line.len))
		abort();   /* what we write is one line, and we can read it back */
	if (!same(&r, &again))
		abort();
	record_payload(&p1, &r);
	record_payload(&p2, &again);
	if (strcmp(p1.buf, p2.buf))
		abort();
	/* Every payload line is "key value\n": no value can add a line. */
	for (size_t i = 0, lines = 0; i < p1.len; i++)
		if (p1.buf[i] == '\n' && ++lines > (r.viewed ? 10u : 9u))
			abort();
	record_release(&r);
	record_release(&again);
	strbuf_release(&line);
	strbuf_release(&p1);
	strbuf_release(&p2);
	return 0;
}
