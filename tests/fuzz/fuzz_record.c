/*
 * fuzz_record.c: the decision record parser and the canonical payload.
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
	       !strcmp(a->sig_format, b->sig_format) && !strcmp(a->sig, b->sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r, again;
	struct strbuf line = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT;
	int rc = record_parse(&r, (const char *)data, size);

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
		if (p1.buf[i] == '\n' && ++lines > 9)
			abort();
	record_release(&r);
	record_release(&again);
	strbuf_release(&line);
	strbuf_release(&p1);
	strbuf_release(&p2);
	return 0;
}
