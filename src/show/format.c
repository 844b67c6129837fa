/*
 * format.c: shared presentation helpers for items.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "show/format.h"
#include "show/escape.h"

/* Called once per line of a list: no snprintf() (see strbuf_addint()). */
void format_age(char *buf, size_t size, int64_t s)
{
	static const struct { int64_t below, unit; const char *suffix; } steps[] = {
		{ 60, 1, "s" }, { 3600, 60, "m" }, { 86400, 3600, "h" },
		{ 14 * 86400, 86400, "d" }, { 60 * 86400, 7 * 86400, "w" },
		{ 365 * 86400, 30 * 86400, "mo" }, { INT64_MAX, 365 * 86400, "y" },
	};
	char digits[DECIMAL_MAX];
	size_t i = 0, n;

	if (s < 0)
		s = 0;
	while (s >= steps[i].below)
		i++;
	n = decimal_format(digits, (unsigned long long)(s / steps[i].unit));
	if (n + strlen(steps[i].suffix) < size) {
		memcpy(buf, digits, n);
		strcpy(buf + n, steps[i].suffix);
	} else if (size) {
		buf[0] = '\0';
	}
}

void format_iso_date(char *buf, size_t size, int64_t t, int offset)
{
	time_t local = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;
	int off = offset < 0 ? -offset : offset;

	gmtime_r(&local, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 offset < 0 ? '-' : '+', off / 60, off % 60);
}

int format_wants_color(int setting, int is_terminal)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (setting == 1 || setting == 0)
		return setting;
	return is_terminal && !(no_color && *no_color) && term && *term && strcmp(term, "dumb");
}

enum risk_band format_risk_band(int risk)
{
	return risk >= 70 ? RISK_BAND_HIGH : risk >= 40 ? RISK_BAND_MEDIUM : RISK_BAND_LOW;
}

void format_file_path(struct strbuf *out, char status, const char *old_path, const char *new_path)
{
	if (status == 'R' || status == 'C')
		strbuf_addf(out, "%s -> %s", old_path, new_path);
	else
		strbuf_addstr(out, status == 'D' ? old_path : new_path);
}

void format_file_stat(char *buf, size_t size, int binary, int submodule, unsigned added,
		      unsigned deleted)
{
	if (binary)
		snprintf(buf, size, "binary");
	else if (submodule)
		snprintf(buf, size, "submodule");
	else
		snprintf(buf, size, "+%u -%u", added, deleted);
}

static void identity_json(struct json *j, const char *key, const char *name, const char *email)
{
	json_object_begin(j, key);
	json_string(j, "name", name);
	json_string(j, "email", email);
	json_object_end(j);
}

void format_item_json(struct json *j, const char *key, const struct item *it, int64_t now)
{
	json_object_begin(j, key);
	format_item_fields(j, it, now);
	json_object_end(j);
}

/*
 * "risk_reasons": each reason as {signal, points, path, line, text}, so
 * that scripts need not parse the English of "reasons" (kept as it was).
 */
static void risk_reasons_json(struct json *j, const struct item *it)
{
	json_array_begin(j, "risk_reasons");
	for (size_t i = 0; i < it->reasons.nr; i++) {
		const char *r = it->reasons.v[i], *key = i < it->reason_keys.nr ? it->reason_keys.v[i] : "";
		const char *tab1 = strchr(key, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		const char *text = strchr(r, ' ');
		unsigned long line = tab1 ? strtoul(tab1 + 1, NULL, 10) : 0;

		json_object_begin(j, NULL);
		if (tab1)
			json_string_len(j, "signal", key, (size_t)(tab1 - key));
		else
			json_null(j, "signal");
		json_int(j, "points", atoi(r[0] == '+' ? r + 1 : r));
		if (tab2 && tab2[1])
			json_string(j, "path", tab2 + 1);
		else
			json_null(j, "path");
		if (line)
			json_int(j, "line", (int64_t)line);
		else
			json_null(j, "line");
		json_string(j, "text", text ? text + 1 : r);
		json_object_end(j);
	}
	json_array_end(j);
}

void format_item_fields(struct json *j, const struct item *it, int64_t now)
{
	char hex[GIT_OID_HEXSZ + 1], date[40];

	json_string(j, "commit", git_oid_tostr(hex, sizeof(hex), &it->id));
	json_string(j, "subject", it->subject);
	identity_json(j, "author", it->author_name, it->author_email);
	format_iso_date(date, sizeof(date), it->author_time, it->author_offset);
	json_string(j, "date", date);
	identity_json(j, "committer", it->committer_name, it->committer_email);
	format_iso_date(date, sizeof(date), it->commit_time, 0);
	json_string(j, "committed", date);
	json_int(j, "age_seconds", now > it->commit_time ? now - it->commit_time : 0);
	json_bool(j, "ai_assisted", item_is_ai(it));
	json_strvec(j, "markers", &it->markers);
	json_int(j, "files", it->files);
	json_int(j, "added", it->added);
	json_int(j, "deleted", it->deleted);
	json_int(j, "risk", it->risk);
	json_int(j, "priority", it->priority);
	json_strvec(j, "reasons", &it->reasons);
	risk_reasons_json(j, it);
	json_strvec(j, "refs", &it->refs);
	json_string(j, "status", item_status_name(it->status));
	if (it->approvals_needed) {
		json_int(j, "approvals", it->approvals);
		json_int(j, "approvals_needed", it->approvals_needed);
	}
	if (it->status_detail)
		json_string(j, "status_detail", it->status_detail);
	if (it->has_earlier)
		json_string(j, "new_version_of", git_oid_tostr(hex, sizeof(hex), &it->earlier));
}

static const char *status_word(char status)
{
	switch (status) {
	case 'A': return "added";
	case 'D': return "deleted";
	case 'R': return "renamed";
	case 'C': return "copied";
	case 'T': return "typechange";
	default: return "modified";
	}
}

void format_files_json(struct json *j, const char *key, const struct analysis *a)
{
	char mode[16];

	json_array_begin(j, key);
	for (size_t i = 0; i < a->files_nr; i++) {
		const struct file_stat *f = &a->files[i];

		json_object_begin(j, NULL);
		json_string(j, "path", f->path);
		if (f->old_path)
			json_string(j, "old_path", f->old_path);
		json_string(j, "status", status_word(f->status));
		json_int(j, "added", f->added);
		json_int(j, "deleted", f->deleted);
		json_bool(j, "binary", f->binary);
		if (f->submodule)
			json_bool(j, "submodule", 1);
		if (f->old_mode && f->new_mode && f->old_mode != f->new_mode) {
			snprintf(mode, sizeof(mode), "%06o", f->old_mode);
			json_string(j, "old_mode", mode);
			snprintf(mode, sizeof(mode), "%06o", f->new_mode);
			json_string(j, "new_mode", mode);
		}
		if (f->similarity)
			json_int(j, "similarity", f->similarity);
		json_object_end(j);
	}
	json_array_end(j);
}

/* Appends one word of text, cut into pieces that fit; *column is the current line's width. */
static void wrap_word(struct strbuf *out, const char *word, size_t len, size_t width,
		      const char *indent, size_t *column)
{
	size_t indent_width = strlen(indent);

	while (len) {
		struct glyph g;
		size_t n = escape_next_glyph(&g, word, len, 0);

		if (*column + g.width > width && *column > indent_width) {
			strbuf_addch(out, '\n');
			strbuf_addstr(out, indent);
			*column = indent_width;
		}
		strbuf_add(out, word, n);
		*column += g.width;
		word += n;
		len -= n;
	}
}

static void wrap_line(struct strbuf *out, const char *line, size_t len, size_t width, const char *indent)
{
	size_t column = 0, i = 0, indent_width = strlen(indent);

	while (i < len) {
		size_t start, spaces = 0, word;

		while (i < len && line[i] == ' ')
			i++, spaces++;
		start = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i == start)
			break;   /* trailing spaces */
		word = escape_width(line + start, i - start, 0);
		/* A word that fits no line is cut where it stands; another one moves down whole. */
		if (column > indent_width && column + spaces + word > width &&
		    (word <= width - indent_width || column + spaces >= width)) {
			strbuf_addch(out, '\n');
			strbuf_addstr(out, indent);
			column = indent_width;
		} else if (column || spaces) {
			strbuf_addchars(out, ' ', spaces);
			column += spaces;
		}
		wrap_word(out, line + start, i - start, width, indent, &column);
	}
	strbuf_addch(out, '\n');
}

void format_wrap(struct strbuf *out, const char *text, size_t width, const char *indent)
{
	const char *line = text;

	if (width <= strlen(indent) + 1) {
		strbuf_addstr(out, text);
		strbuf_addch(out, '\n');
		return;
	}
	for (;;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		wrap_line(out, line, len, width, indent);
		if (!end || !end[1])
			break;
		line = end + 1;
	}
}
