/*
 * fuzz_escape.c: the untrusted-text escaper and the span layout built on
 * it.  Nothing they output may contain a control character, a C1
 * control, a bidi control or an invisible character, or invalid UTF-8,
 * and spans never exceed the width they were given.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "show/escape.h"
#include "show/spans.h"
#include "base/unicode.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const char *s, size_t len, int newlines_ok)
{
	if (!utf8_is_valid(s, len))
		abort();
	for (size_t i = 0; i < len;) {
		int32_t cp;

		i += utf8_decode(&cp, s + i, len - i);
		if (cp == '\n' && newlines_ok)
			continue;
		if (unicode_classify(cp) != UNICODE_ORDINARY)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct strbuf out = STRBUF_INIT;
	struct spans sp = SPANS_INIT;
	unsigned flags, scroll, width;
	size_t total = 0;

	if (!ready) {
		setlocale(LC_ALL, "C.UTF-8");
		ready = 1;
	}
	if (size < 3)
		return 0;
	flags = data[0] & (ESCAPE_ASCII | ESCAPE_KEEP_NEWLINE);
	scroll = data[1] % 64;
	width = 1u + data[2] % 120;
	data += 3;
	size -= 3;
	escape_append(&out, (const char *)data, size, flags, 0, SIZE_MAX);
	check_safe(out.buf, out.len, flags & ESCAPE_KEEP_NEWLINE);
	spans_layout(&sp, (const char *)data, size, NULL, 0, scroll, width, flags & ESCAPE_ASCII);
	check_safe(sp.text.buf, sp.text.len, 0);
	for (size_t i = 0; i < sp.nr; i++)
		total += sp.v[i].width;
	if (total != sp.width || sp.width > width)
		abort();
	strbuf_release(&out);
	spans_release(&sp);
	return 0;
}
