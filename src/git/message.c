/*
 * message.c: commit message structure: the subject line and the trailer
 * blocks that AI tools and humans use for attribution, found the way
 * git finds them (trailer.c and commit.c's ignore_non_trailer(), git
 * 2.39), so that what `git interpret-trailers` calls a trailer revq
 * calls one too.  Checked against git on random messages by
 * tests/unit/test_trailers.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "git/message.h"
#include "base/strbuf.h"

#define COMMENT_CHAR '#'

static const char cut_line[] = "------------------------ >8 ------------------------";

static const char *const git_generated_prefixes[] = {
	"Signed-off-by: ", "(cherry picked from commit ",
};

/* git's own ctype (sane-ctype): ASCII only, and \v \f are not spaces. */
static int git_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int git_isalnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *next_line(const char *s)
{
	const char *nl = strchrnul(s, '\n');

	return nl + !!*nl;
}

/* The start of the last line of buf[0, len), or -1 when len is 0. */
static long last_line(const char *buf, size_t len)
{
	long i;

	if (len == 0)
		return -1;
	if (len == 1)
		return 0;
	for (i = (long)len - 2; i >= 0; i--)
		if (buf[i] == '\n')
			return i + 1;
	return 0;
}

/* Blank up to the end of its line (or of the string). */
static int is_blank_line(const char *s)
{
	while (*s && *s != '\n' && git_isspace((unsigned char)*s))
		s++;
	return !*s || *s == '\n';
}

/*
 * The offset of the ':' of "<token><optional blanks>:", or -1.  A token is
 * letters, digits and '-'; blanks may follow it, nothing else.
 */
static long find_separator(const char *line)
{
	int whitespace_found = 0;

	for (const char *c = line; *c; c++) {
		if (*c == ':')
			return c - line;
		if (!whitespace_found && (git_isalnum((unsigned char)*c) || *c == '-'))
			continue;
		if (c != line && (*c == ' ' || *c == '\t')) {
			whitespace_found = 1;
			continue;
		}
		break;
	}
	return -1;
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Where the patch part starts: a line "---" followed by a blank. */
static size_t find_patch_start(const char *s)
{
	const char *p;

	for (p = s; *p; p = next_line(p))
		if (starts_with(p, "---") && git_isspace((unsigned char)p[3]))
			return (size_t)(p - s);
	return (size_t)(p - s);
}

/* The end of buf[0, len) before a "# ---- >8 ----" cut line (wt_status_locate_end). */
static size_t locate_cut(const char *buf, size_t len)
{
	size_t n = sizeof(cut_line) - 1;

	if (len >= n + 2 && buf[0] == COMMENT_CHAR && buf[1] == ' ' && !memcmp(buf + 2, cut_line, n))
		return 0;
	for (size_t i = 0; i + n + 3 <= len; i++)
		if (buf[i] == '\n' && buf[i + 1] == COMMENT_CHAR && buf[i + 2] == ' ' &&
		    !memcmp(buf + i + 3, cut_line, n))
			return i + 1;
	return len;
}

/*
 * The end of the log message in buf[0, len): before trailing blank and
 * comment lines, an old "Conflicts:" block and a cut line (git's
 * ignore_non_trailer()).  git looks for the cut line in the whole
 * message, even past len (and then loops forever when a "---" divider
 * came first); revq looks only before len.
 */
static size_t find_trailer_end(const char *buf, size_t len)
{
	size_t boc = 0, bol = 0, cutoff = locate_cut(buf, len);
	int in_old_conflicts_block = 0;

	while (bol < cutoff) {
		const char *nl = memchr(buf + bol, '\n', len - bol);
		size_t next = nl ? (size_t)(nl - buf) + 1 : len;

		if (buf[bol] == COMMENT_CHAR || buf[bol] == '\n') {
			if (!boc)
				boc = bol;
		} else if (starts_with(buf + bol, "Conflicts:\n")) {
			in_old_conflicts_block = 1;
			if (!boc)
				boc = bol;
		} else if (in_old_conflicts_block && buf[bol] == '\t') {
			;   /* a path in the conflicts block */
		} else if (boc) {
			boc = 0;
			in_old_conflicts_block = 0;
		}
		bol = next;
	}
	return boc ? boc : cutoff;
}

static int is_git_generated(const char *line)
{
	for (size_t i = 0; i < sizeof(git_generated_prefixes) / sizeof(git_generated_prefixes[0]); i++)
		if (starts_with(line, git_generated_prefixes[i]))
			return 1;
	return 0;
}

/*
 * The start of the trailer block that ends at len, or len when there is
 * none: the last paragraph after the title whose lines are all trailers,
 * or that has a git-generated one and is at least 25% trailers
 * (find_trailer_start() with no trailer.* configuration).
 */
static size_t find_trailer_start(const char *buf, size_t len)
{
	const char *s;
	long l, end_of_title;
	int only_spaces = 1, recognized_prefix = 0;
	int trailer_lines = 0, non_trailer_lines = 0, possible_continuation_lines = 0;

	/* The first paragraph is the title and cannot be trailers. */
	for (s = buf; s < buf + len; s = next_line(s)) {
		if (s[0] == COMMENT_CHAR)
			continue;
		if (is_blank_line(s))
			break;
	}
	end_of_title = s - buf;

	for (l = last_line(buf, len); l >= end_of_title; l = last_line(buf, (size_t)l)) {
		const char *bol = buf + l;

		if (bol[0] == COMMENT_CHAR) {
			non_trailer_lines += possible_continuation_lines;
			possible_continuation_lines = 0;
			continue;
		}
		if (is_blank_line(bol)) {
			if (only_spaces)
				continue;
			non_trailer_lines += possible_continuation_lines;
			if ((recognized_prefix && trailer_lines * 3 >= non_trailer_lines) ||
			    (trailer_lines && !non_trailer_lines))
				return (size_t)(next_line(bol) - buf);
			return len;
		}
		only_spaces = 0;
		if (is_git_generated(bol)) {
			trailer_lines++;
			possible_continuation_lines = 0;
			recognized_prefix = 1;
		} else if (find_separator(bol) >= 1 && !git_isspace((unsigned char)bol[0])) {
			trailer_lines++;
			possible_continuation_lines = 0;
		} else if (git_isspace((unsigned char)bol[0])) {
			possible_continuation_lines++;
		} else {
			non_trailer_lines += 1 + possible_continuation_lines;
			possible_continuation_lines = 0;
		}
	}
	return len;
}

void message_trailer_block(const char *raw, unsigned flags, size_t *start, size_t *end)
{
	size_t patch_start;

	raw = raw ? raw : "";
	patch_start = (flags & MESSAGE_NO_DIVIDER) ? strlen(raw) : find_patch_start(raw);
	*end = find_trailer_end(raw, patch_start);
	*start = find_trailer_start(raw, *end);
	if (*start >= *end)
		*start = *end;
}

static void trim(const char **s, size_t *len)
{
	while (*len && git_isspace((unsigned char)**s))
		(*s)++, (*len)--;
	while (*len && git_isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* A continuation (newline and the blanks after it) becomes one space (unfold_value()). */
static char *unfolded(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	const char *v;
	size_t i = 0;

	strbuf_grow(&out, len);
	while (i < len) {
		char c = s[i++];

		if (c == '\n') {
			while (i < len && git_isspace((unsigned char)s[i]))
				i++;
			strbuf_addch(&out, ' ');
		} else {
			strbuf_addch(&out, c);
		}
	}
	v = out.buf;
	len = out.len;
	trim(&v, &len);
	memmove(out.buf, v, len);
	strbuf_setlen(&out, len);
	return strbuf_detach(&out, NULL);
}

/* One logical trailer line (continuations included); others are dropped. */
static void add_trailer(struct message *msg, const char *line)
{
	long sep;
	const char *key, *value;
	size_t keylen, valuelen;
	struct trailer *t;

	if (line[0] == COMMENT_CHAR || (sep = find_separator(line)) < 1)
		return;
	key = line;
	keylen = (size_t)sep;
	trim(&key, &keylen);
	value = line + sep + 1;
	valuelen = strlen(value);
	trim(&value, &valuelen);
	ALLOC_GROW(msg->trailers, msg->trailers_nr + 1, msg->trailers_alloc);
	t = &msg->trailers[msg->trailers_nr++];
	t->key = xstrndup(key, keylen);
	t->value = unfolded(value, valuelen);
}

/* The trailers of raw[start, end): a line that starts with a blank continues a "Key:" line. */
static void parse_block(struct message *msg, const char *raw, size_t start, size_t end)
{
	struct strbuf cur = STRBUF_INIT;
	int have = 0, continues = 0;

	for (const char *p = raw + start, *stop = raw + end; p < stop;) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(stop - p);

		if (have && continues && git_isspace((unsigned char)p[0])) {
			strbuf_add(&cur, p, n);
		} else {
			if (have)
				add_trailer(msg, cur.buf);
			strbuf_reset(&cur);
			strbuf_add(&cur, p, n);
			have = 1;
			continues = find_separator(cur.buf) >= 1;
		}
		p += n;
	}
	if (have)
		add_trailer(msg, cur.buf);
	strbuf_release(&cur);
}

void message_parse_git(struct message *out, const char *raw, unsigned flags)
{
	size_t start, end;

	memset(out, 0, sizeof(*out));
	raw = raw ? raw : "";
	message_trailer_block(raw, flags, &start, &end);
	parse_block(out, raw, start, end);
}

struct block {
	size_t start, end;
};

struct blocks {
	struct block *v;
	size_t nr, alloc;
};

/* The chain of trailer blocks ending at end: each one is git's last block of the text before the next. */
static void collect_blocks(struct blocks *b, const char *raw, size_t end)
{
	size_t start = find_trailer_start(raw, end);

	while (start < end) {
		ALLOC_GROW(b->v, b->nr + 1, b->alloc);
		b->v[b->nr].start = start;
		b->v[b->nr++].end = end;
		end = find_trailer_end(raw, start);
		start = find_trailer_start(raw, end);
	}
}

static int by_start(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

/* Lines of every block, each line once: blocks with and without the divider may overlap. */
static void parse_blocks(struct message *msg, const char *raw, struct blocks *b)
{
	size_t done = 0;

	if (b->nr > 1)   /* no qsort() of an empty (NULL) array */
		qsort(b->v, b->nr, sizeof(*b->v), by_start);
	for (size_t i = 0; i < b->nr; i++) {
		if (b->v[i].end <= done)
			continue;
		parse_block(msg, raw, b->v[i].start > done ? b->v[i].start : done, b->v[i].end);
		done = b->v[i].end;
	}
}

static void parse_subject(struct message *msg, const char *raw)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = raw;

	while (*p == '\n')
		p++;
	while (*p) {
		const char *eol = strchrnul(p, '\n');

		if (is_blank_line(p))
			break;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, p, (size_t)(eol - p));
		p = *eol ? eol + 1 : eol;
	}
	strbuf_trim_trailing_newline(&sb);
	msg->subject = strbuf_detach(&sb, NULL);
}

void message_parse(struct message *out, const char *raw)
{
	struct blocks b = { NULL, 0, 0 };
	size_t len, patch_start;

	memset(out, 0, sizeof(*out));
	raw = raw ? raw : "";
	parse_subject(out, raw);
	len = strlen(raw);
	collect_blocks(&b, raw, find_trailer_end(raw, len));
	patch_start = find_patch_start(raw);
	if (patch_start < len)
		collect_blocks(&b, raw, find_trailer_end(raw, patch_start));
	parse_blocks(out, raw, &b);
	free(b.v);
}

static void push_trimmed(struct strvec *sv, const char *s, size_t len)
{
	trim(&s, &len);
	strvec_push_nodup(sv, xstrndup(s, len));
}

static size_t strcspn_bounded(const char *s, size_t len, const char *reject)
{
	size_t i = 0;

	while (i < len && !strchr(reject, s[i]))
		i++;
	return i;
}

/* "name" or "a@x" without brackets, between ',' or ';'. */
static size_t split_bare(struct strvec *names, struct strvec *emails, const char *s, size_t len)
{
	size_t n = 0;

	while (len) {
		size_t piece = strcspn_bounded(s, len, ",;");
		int comma = piece < len;
		const char *p = s;
		size_t plen = piece;

		trim(&p, &plen);
		if (plen) {
			int email = memchr(p, '@', plen) && !memchr(p, ' ', plen) && !memchr(p, '\t', plen);

			push_trimmed(names, email ? "" : p, email ? 0 : plen);
			push_trimmed(emails, email ? p : "", email ? plen : 0);
			n++;
		}
		s += piece + comma;
		len -= piece + comma;
	}
	return n;
}

size_t message_split_identities(struct strvec *names, struct strvec *emails, const char *value)
{
	const char *p = value ? value : "";
	size_t n = 0;

	for (;;) {
		const char *lt = strchr(p, '<'), *gt = lt ? strchr(lt + 1, '>') : NULL;
		const char *name = p;
		size_t name_len;

		if (!lt || !gt)
			return n + split_bare(names, emails, p, strlen(p));
		/* what separates identities: blanks, ',', ';' and a word "and" */
		while (name < lt && (git_isspace((unsigned char)*name) || *name == ',' || *name == ';'))
			name++;
		if (n && !strncasecmp(name, "and ", 4) && name + 4 <= lt)
			name += 4;
		name_len = (size_t)(lt - name);
		push_trimmed(names, name, name_len);
		push_trimmed(emails, lt + 1, (size_t)(gt - lt - 1));
		n++;
		p = gt + 1;
	}
}

void message_release(struct message *msg)
{
	for (size_t i = 0; i < msg->trailers_nr; i++) {
		free(msg->trailers[i].key);
		free(msg->trailers[i].value);
	}
	free(msg->trailers);
	free(msg->subject);
	memset(msg, 0, sizeof(*msg));
}

int message_trailer_is(const struct trailer *t, const char *key)
{
	return !strcasecmp(t->key, key);
}
