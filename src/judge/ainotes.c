/*
 * ainotes.c: a bounded parser of Git AI Standard authorship logs
 * (ainotes.h): the attestation lines by hand, the JSON metadata by a
 * small depth-limited reader that keeps only what revq shows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "judge/ainotes.h"

#define JSON_MAX_DEPTH 32

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Copies at most AINOTE_MAX_NAME bytes of s, each outside the allowed set shown as '?'. */
static void sanitise(char *out, const char *s, size_t n)
{
	size_t i;

	if (n > AINOTE_MAX_NAME)
		n = AINOTE_MAX_NAME;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 (c && strchr("._:/@+-", c)) ? (char)c : '?';
	}
	out[i] = '\0';
}

/* ---- the attestation section ---- */

struct parser {
	struct ainote *note;
	struct ainote_file *file;   /* not owned: the file being read, or NULL */
};

static struct ainote_session *session(struct ainote *n, const char *key, size_t len)
{
	char k[AINOTE_MAX_NAME + 1];
	struct ainote_session *s;

	sanitise(k, key, len);
	for (size_t i = 0; i < n->sessions_nr; i++)
		if (!strcmp(n->sessions[i].key, k))
			return &n->sessions[i];
	if (n->sessions_nr >= AINOTE_MAX_SESSIONS)
		return NULL;
	ALLOC_GROW(n->sessions, n->sessions_nr + 1, n->sessions_alloc);
	s = &n->sessions[n->sessions_nr++];
	memset(s, 0, sizeof(*s));
	memcpy(s->key, k, sizeof(k));
	strcpy(s->tool, "unknown");
	return s;
}

/* The AI session part of a key: "s_<hex>" of "s_<hex>::t_<hex>", or a legacy bare hex key; 0 for others. */
static size_t ai_key(const char *key, size_t len)
{
	const char *sep;

	if (len > 2 && !memcmp(key, "s_", 2) && (sep = memmem(key, len, "::", 2)) && sep > key + 2)
		return (size_t)(sep - key);
	if (len < 7 || len > 64)
		return 0;   /* h_<hex> (a known human) and unknown forms */
	for (size_t i = 0; i < len; i++)
		if (!is_hex((unsigned char)key[i]))
			return 0;
	return len;
}

/* Counts of lines saturate rather than wrap: a hostile note may claim 10^13 of them. */
static unsigned add_lines(unsigned a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static void add_range(struct parser *p, struct ainote_session *s, uint32_t first, uint32_t last)
{
	struct ainote_file *f = p->file;

	if (p->note->ranges >= AINOTE_MAX_RANGES)
		return;
	ALLOC_GROW(f->ranges, f->nr + 1, f->alloc);
	f->ranges[f->nr].first = first;
	f->ranges[f->nr++].last = last;
	p->note->ranges++;
	if (s)
		s->lines = add_lines(s->lines, last - first + 1);
}

/* A decimal line number from *s (below end), advancing it; 0 when there is none or it is too large. */
static uint32_t line_number(const char **s, const char *end)
{
	uint64_t v = 0;
	const char *p = *s;

	while (p < end && *p >= '0' && *p <= '9' && v <= AINOTE_MAX_LINE)
		v = v * 10 + (uint64_t)(*p++ - '0');
	*s = p;
	return v <= AINOTE_MAX_LINE ? (uint32_t)v : 0;
}

/* "1-4,9,12-20": stops at the first malformed part. */
static void add_ranges(struct parser *p, struct ainote_session *s, const char *r, const char *end)
{
	while (r < end) {
		uint32_t first = line_number(&r, end), last = first;

		if (r < end && *r == '-') {
			r++;
			last = line_number(&r, end);
		}
		if (!first || last < first || (r < end && *r != ','))
			return;
		add_range(p, s, first, last);
		r += r < end;
	}
}

static void file_line(struct parser *p, const char *line, size_t len)
{
	struct ainote *n = p->note;
	const char *path = line, *close;
	size_t plen = len;

	p->file = NULL;
	if (n->files_nr >= AINOTE_MAX_FILES)
		return;
	if (len >= 2 && *line == '"' && (close = memchr(line + 1, '"', len - 1))) {
		path = line + 1;
		plen = (size_t)(close - path);
	}
	if (!plen || memchr(path, '\0', plen))
		return;
	ALLOC_GROW(n->files, n->files_nr + 1, n->files_alloc);
	p->file = &n->files[n->files_nr++];
	memset(p->file, 0, sizeof(*p->file));
	p->file->path = xstrndup(path, plen);
}

static void entry_line(struct parser *p, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t key;

	if (!p->file || !sp || !(key = ai_key(line, (size_t)(sp - line))))
		return;
	/* Past AINOTE_MAX_SESSIONS the lines still count, under no name. */
	add_ranges(p, session(p->note, line, key), sp + 1, line + len);
}

static int compare_ranges(const void *a, const void *b)
{
	const struct ainote_range *x = a, *y = b;

	return x->first != y->first ? (x->first < y->first ? -1 : 1) : (x->last > y->last) - (x->last < y->last);
}

/* Sorts and joins each file's ranges; counts the lines they cover. */
static void normalise(struct ainote *n)
{
	n->ai_lines = 0;
	for (size_t i = 0; i < n->files_nr; i++) {
		struct ainote_file *f = &n->files[i];
		size_t out = 0;

		if (f->nr > 1)
			qsort(f->ranges, f->nr, sizeof(*f->ranges), compare_ranges);
		for (size_t j = 0; j < f->nr; j++) {
			if (out && f->ranges[j].first <= f->ranges[out - 1].last + 1) {
				if (f->ranges[j].last > f->ranges[out - 1].last)
					f->ranges[out - 1].last = f->ranges[j].last;
				continue;
			}
			f->ranges[out++] = f->ranges[j];
		}
		f->nr = out;
		for (size_t j = 0; j < out; j++)
			n->ai_lines = add_lines(n->ai_lines, f->ranges[j].last - f->ranges[j].first + 1);
	}
}

/* ---- the metadata section: a small JSON reader ---- */

struct json_in {
	const char *p, *end;
	int depth;
	int bad;
};

static void ws(struct json_in *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int eat(struct json_in *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

/* A string into out (cap bytes, cut; escapes other than \" and \\ become '?'); 0 on success. */
static int string(struct json_in *j, char *out, size_t cap)
{
	size_t n = 0;

	if (!eat(j, '"'))
		return j->bad = -1;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;

		if (c == '\\') {
			if (j->p >= j->end)
				break;
			c = *j->p++;
			if (c == 'u') {
				for (int k = 0; k < 4 && j->p < j->end && is_hex((unsigned char)*j->p); k++)
					j->p++;
				c = '?';
			} else if (c != '"' && c != '\\' && c != '/') {
				c = '?';
			}
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	if (cap)
		out[n] = '\0';
	if (j->p >= j->end)
		return j->bad = -1;
	j->p++;
	return 0;
}

static int skip_value(struct json_in *j);

static int skip_container(struct json_in *j, char open, char close)
{
	char scratch[2];

	if (++j->depth > JSON_MAX_DEPTH)
		return j->bad = -1;
	j->p++;
	if (eat(j, close)) {
		j->depth--;
		return 0;
	}
	do {
		if (open == '{' && (string(j, scratch, sizeof(scratch)) || !eat(j, ':')))
			return j->bad = -1;
		if (skip_value(j))
			return -1;
	} while (eat(j, ','));
	j->depth--;
	return eat(j, close) ? 0 : (j->bad = -1);
}

static int skip_value(struct json_in *j)
{
	char scratch[2];

	ws(j);
	if (j->p >= j->end)
		return j->bad = -1;
	if (*j->p == '{')
		return skip_container(j, '{', '}');
	if (*j->p == '[')
		return skip_container(j, '[', ']');
	if (*j->p == '"')
		return string(j, scratch, sizeof(scratch));
	while (j->p < j->end && !strchr(",}] \t\r\n", *j->p))
		j->p++;   /* a number, true, false or null */
	return 0;
}

/*
 * Calls fn(j, key, data) for each member of the object at j; fn reads the
 * value.  Stops on malformed input.
 */
typedef int (*member_fn)(struct json_in *j, const char *key, void *data);

static int members(struct json_in *j, member_fn fn, void *data)
{
	char key[AINOTE_MAX_NAME + 1];

	if (!eat(j, '{') || ++j->depth > JSON_MAX_DEPTH)
		return j->bad = -1;
	if (eat(j, '}')) {
		j->depth--;
		return 0;
	}
	do {
		if (string(j, key, sizeof(key)) || !eat(j, ':') || fn(j, key, data))
			return j->bad = -1;
	} while (eat(j, ','));
	j->depth--;
	return eat(j, '}') ? 0 : (j->bad = -1);
}

static int agent_member(struct json_in *j, const char *key, void *data)
{
	struct ainote_session *s = data;
	char value[AINOTE_MAX_NAME + 1];

	ws(j);
	if ((strcmp(key, "tool") && strcmp(key, "model")) || j->p >= j->end || *j->p != '"')
		return skip_value(j);
	if (string(j, value, sizeof(value)))
		return -1;
	sanitise(!strcmp(key, "tool") ? s->tool : s->model, value, strlen(value));
	return 0;
}

static int record_member(struct json_in *j, const char *key, void *data)
{
	ws(j);
	if (strcmp(key, "agent_id") || j->p >= j->end || *j->p != '{')
		return skip_value(j);
	return members(j, agent_member, data);
}

static int session_member(struct json_in *j, const char *key, void *data)
{
	struct ainote *n = data;
	char k[AINOTE_MAX_NAME + 1];

	sanitise(k, key, strlen(key));
	ws(j);
	for (size_t i = 0; i < n->sessions_nr; i++)
		if (!strcmp(n->sessions[i].key, k) && j->p < j->end && *j->p == '{')
			return members(j, record_member, &n->sessions[i]);
	return skip_value(j);
}

struct meta {
	struct ainote *note;
	int schema;   /* schema_version is "authorship/..." */
};

static int top_member(struct json_in *j, const char *key, void *data)
{
	struct meta *m = data;
	char value[AINOTE_MAX_NAME + 1];

	ws(j);
	if (!strcmp(key, "schema_version") && j->p < j->end && *j->p == '"') {
		if (string(j, value, sizeof(value)))
			return -1;
		m->schema = !strncmp(value, "authorship/", 11);
		return 0;
	}
	if ((!strcmp(key, "sessions") || !strcmp(key, "prompts")) && j->p < j->end && *j->p == '{')
		return members(j, session_member, m->note);
	return skip_value(j);
}

/* ---- the note ---- */

int ainote_parse(struct ainote *out, const char *text, size_t len)
{
	struct parser p = { out, NULL };
	const char *at = text, *end = text + len;
	struct meta m = { out, 0 };
	struct json_in j;

	memset(out, 0, sizeof(*out));
	if (len > AINOTE_MAX_BYTES)
		return 1;
	while (at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t n = (size_t)((nl ? nl : end) - at);

		if (n && at[n - 1] == '\r')
			n--;
		if (n == 3 && !memcmp(at, "---", 3))
			break;
		if (n > 2 && at[0] == ' ' && at[1] == ' ' && at[2] != ' ')
			entry_line(&p, at + 2, n - 2);
		else if (n && at[0] != ' ' && at[0] != '\t')
			file_line(&p, at, n);
		at = nl ? nl + 1 : end;
	}
	if (at >= end) {
		ainote_release(out);
		return 1;
	}
	j.p = at + 3;
	j.end = end;
	j.depth = 0;
	j.bad = 0;
	members(&j, top_member, &m);
	if (!m.schema) {
		ainote_release(out);
		return 1;
	}
	normalise(out);
	/* Only sessions that wrote lines are worth naming. */
	{
		size_t kept = 0;

		for (size_t i = 0; i < out->sessions_nr; i++)
			if (out->sessions[i].lines)
				out->sessions[kept++] = out->sessions[i];
		out->sessions_nr = kept;
	}
	return 0;
}

void ainote_release(struct ainote *note)
{
	for (size_t i = 0; i < note->files_nr; i++) {
		free(note->files[i].path);
		free(note->files[i].ranges);
	}
	free(note->files);
	free(note->sessions);
	memset(note, 0, sizeof(*note));
}

const struct ainote_file *ainote_file(const struct ainote *note, const char *path)
{
	for (size_t i = 0; i < note->files_nr; i++)
		if (!strcmp(note->files[i].path, path))
			return &note->files[i];
	return NULL;
}

int ainote_file_has_line(const struct ainote_file *file, uint32_t line)
{
	size_t lo = 0, hi = file ? file->nr : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (line < file->ranges[mid].first)
			hi = mid;
		else if (line > file->ranges[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}
