/*
 * format.h: presenting items the same way in every front end: ages,
 * dates, the risk bar, and the JSON form of an item.  Text that comes
 * from commits is passed through escape.h before it reaches a terminal;
 * these helpers only produce revq's own ASCII.
 */
#ifndef REVQ_FORMAT_H
#define REVQ_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "judge/analyze.h"
#include "judge/item.h"
#include "show/json.h"
#include "base/oidmap.h"

/* "45s", "12m", "5h", "3d", "2w", "4mo", "2y" into buf (at least 8 bytes). */
void format_age(char *buf, size_t size, int64_t seconds);
/* ISO 8601 with the commit's own offset: 2026-11-20T10:00:00+01:00 */
void format_iso_date(char *buf, size_t size, int64_t time, int offset_minutes);
/* "+12 -3", "binary" or "submodule": a changed file's size, as every view shows it. */
void format_file_stat(char *buf, size_t size, int binary, int submodule, unsigned added,
		      unsigned deleted);

/*
 * Whether to colour output, as git decides: setting 1 (always) or 0
 * (never) from color.ui/revq.color wins; on auto (-1) colour only a
 * terminal that is not "dumb", and never when NO_COLOR is set.
 */
int format_wants_color(int setting, int is_terminal);

/* How a risk score is shown: the one place its thresholds live. */
enum risk_band {
	RISK_BAND_LOW,       /* below 40 */
	RISK_BAND_MEDIUM,    /* 40 to 69 */
	RISK_BAND_HIGH,      /* 70 and more */
};
enum risk_band format_risk_band(int risk);
/* A changed file as every view names it: "old -> new" for renames and copies, else its path. */
void format_file_path(struct strbuf *out, char status, const char *old_path, const char *new_path);

/*
 * Writes an item as a JSON object (under key, or NULL in an array):
 * commit, subject, author, date, markers, files, added, deleted, risk,
 * priority, reasons, refs, status and friends.
 */
void format_item_json(struct json *j, const char *key, const struct item *item, int64_t now);
/* The same fields, inside an object the caller opened. */
void format_item_fields(struct json *j, const struct item *item, int64_t now);
/* Per-file stats, as an array under key. */
void format_files_json(struct json *j, const char *key, const struct analysis *a);

/*
 * Appends text (already escaped: printable, lines split by '\n') wrapped at
 * spaces into lines of at most width columns, each ending in '\n';
 * continuation lines start with indent.  A word wider than a line is cut
 * where the line is full.  width 0: text as it is, with a final '\n'.
 */
void format_wrap(struct strbuf *out, const char *text, size_t width, const char *indent);

#endif
