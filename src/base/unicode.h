/*
 * unicode.h: which code points a reviewer must see.
 *
 * An explicit list, because iswprint()/wcwidth() let bidi controls
 * through (glibc's C.UTF-8 says iswprint(U+202E) is 1).  See Trojan
 * Source, CVE-2021-42574 and CVE-2021-42694.
 */
#ifndef REVQ_UNICODE_H
#define REVQ_UNICODE_H

#include <stdint.h>

enum unicode_class {
	UNICODE_ORDINARY = 0,
	UNICODE_CONTROL,     /* C0, DEL, C1 */
	UNICODE_BIDI,        /* embeddings, overrides, isolates, direction marks */
	UNICODE_INVISIBLE,   /* zero-width and format characters, tags */
	UNICODE_SPACE,       /* spaces other than U+0020 */
};

enum unicode_script {
	SCRIPT_NONE = 0,     /* digits, punctuation, symbols, unknown */
	SCRIPT_LATIN,
	SCRIPT_GREEK,
	SCRIPT_CYRILLIC,
	SCRIPT_ARMENIAN,
	SCRIPT_CHEROKEE,
};

enum unicode_class unicode_classify(int32_t cp);
/* A short name for flagged characters ("RLO", "ZWSP"), or NULL. */
const char *unicode_name(int32_t cp);
/* The script of a letter, for the mixed-script (homoglyph) check. */
enum unicode_script unicode_script(int32_t cp);

#endif
