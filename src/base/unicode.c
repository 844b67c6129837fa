/*
 * unicode.c: explicit tables of the characters that can hide or reorder
 * code (REFERENCE section 3), and a coarse script classifier for
 * spotting identifiers that mix look-alike alphabets.
 */
#include "config.h"

#include <stddef.h>

#include "base/unicode.h"

struct range {
	int32_t first, last;
	enum unicode_class cls;
};

/* Sorted by first code point. */
static const struct range flagged[] = {
	{ 0x0000, 0x001f, UNICODE_CONTROL },
	{ 0x007f, 0x009f, UNICODE_CONTROL },
	{ 0x00a0, 0x00a0, UNICODE_SPACE },
	{ 0x00ad, 0x00ad, UNICODE_INVISIBLE },
	{ 0x034f, 0x034f, UNICODE_INVISIBLE },
	{ 0x061c, 0x061c, UNICODE_BIDI },
	{ 0x115f, 0x1160, UNICODE_INVISIBLE },
	{ 0x1680, 0x1680, UNICODE_SPACE },
	{ 0x17b4, 0x17b5, UNICODE_INVISIBLE },
	{ 0x180e, 0x180e, UNICODE_INVISIBLE },
	{ 0x2000, 0x200a, UNICODE_SPACE },
	{ 0x200b, 0x200d, UNICODE_INVISIBLE },
	{ 0x200e, 0x200f, UNICODE_BIDI },
	{ 0x2028, 0x2029, UNICODE_INVISIBLE },
	{ 0x202a, 0x202e, UNICODE_BIDI },
	{ 0x202f, 0x202f, UNICODE_SPACE },
	{ 0x205f, 0x205f, UNICODE_SPACE },
	{ 0x2060, 0x2064, UNICODE_INVISIBLE },
	{ 0x2066, 0x2069, UNICODE_BIDI },
	{ 0x206a, 0x206f, UNICODE_INVISIBLE },
	{ 0x3000, 0x3000, UNICODE_SPACE },
	{ 0x3164, 0x3164, UNICODE_INVISIBLE },
	{ 0xfeff, 0xfeff, UNICODE_INVISIBLE },
	{ 0xffa0, 0xffa0, UNICODE_INVISIBLE },
	{ 0xfff9, 0xfffc, UNICODE_INVISIBLE },
	{ 0x1d173, 0x1d17a, UNICODE_INVISIBLE },
	{ 0xe0000, 0xe01ef, UNICODE_INVISIBLE },
};

enum unicode_class unicode_classify(int32_t cp)
{
	size_t lo = 0, hi = sizeof(flagged) / sizeof(flagged[0]);

	if (cp >= 0x20 && cp < 0x7f)
		return UNICODE_ORDINARY;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < flagged[mid].first)
			hi = mid;
		else if (cp > flagged[mid].last)
			lo = mid + 1;
		else
			return flagged[mid].cls;
	}
	return UNICODE_ORDINARY;
}

const char *unicode_name(int32_t cp)
{
	static const struct { int32_t cp; const char *name; } names[] = {
		{ 0x00a0, "NBSP" }, { 0x00ad, "SHY" }, { 0x061c, "ALM" },
		{ 0x200b, "ZWSP" }, { 0x200c, "ZWNJ" }, { 0x200d, "ZWJ" },
		{ 0x200e, "LRM" }, { 0x200f, "RLM" }, { 0x2028, "LSEP" },
		{ 0x2029, "PSEP" }, { 0x202a, "LRE" }, { 0x202b, "RLE" },
		{ 0x202c, "PDF" }, { 0x202d, "LRO" }, { 0x202e, "RLO" },
		{ 0x2060, "WJ" }, { 0x2066, "LRI" }, { 0x2067, "RLI" },
		{ 0x2068, "FSI" }, { 0x2069, "PDI" }, { 0xfeff, "BOM" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cp == cp)
			return names[i].name;
	return NULL;
}

enum unicode_script unicode_script(int32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
		return SCRIPT_LATIN;
	if (cp < 0xc0)
		return SCRIPT_NONE;
	if ((cp <= 0x24f && cp != 0xd7 && cp != 0xf7) || (cp >= 0x1e00 && cp <= 0x1eff))
		return SCRIPT_LATIN;
	if ((cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x1f00 && cp <= 0x1fff))
		return SCRIPT_GREEK;
	if (cp >= 0x400 && cp <= 0x52f)
		return SCRIPT_CYRILLIC;
	if (cp >= 0x531 && cp <= 0x58f)
		return SCRIPT_ARMENIAN;
	if (cp >= 0x13a0 && cp <= 0x13ff)
		return SCRIPT_CHEROKEE;
	return SCRIPT_NONE;
}
