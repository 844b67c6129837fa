/*
 * message.c: commit message structure: the subject line and the trailer
 * block that AI tools and humans use for attribution.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "revq/message.h"
#include "revq/strbuf.h"

static int is_blank_line(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Length of the "Key" of a "Key: value" line, or 0 when it is not one. */
static size_t trailer_key_length(const char *s, size_t len)
{
	size_t i = 0;

	if (!len || !isalnum((unsigned char)s[0]))
		return 0;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
		i++;
	if (i >= len || s[i] != ':')
		return 0;
	return i;
}

static char *trimmed_copy(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void add_trailer(struct message *msg, const char *line, size_t len, size_t keylen)
{
	struct trailer *t;

	ALLOC_GROW(msg->trailers, msg->trailers_nr + 1, msg->trailers_alloc);
	t = &msg->trailers[msg->trailers_nr++];
	t->key = xstrndup(line, keylen);
	t->value = trimmed_copy(line + keylen + 1, len - keylen - 1);
}

static void continue_trailer(struct message *msg, const char *line, size_t len)
{
	struct trailer *t = &msg->trailers[msg->trailers_nr - 1];
	struct strbuf sb = STRBUF_INIT;
	char *more = trimmed_copy(line, len);

	strbuf_addstr(&sb, t->value);
	strbuf_addch(&sb, ' ');
	strbuf_addstr(&sb, more);
	free(more);
	free(t->value);
	t->value = strbuf_detach(&sb, NULL);
}

/* Parses the paragraph [start, end) as a trailer block, if it is one. */
static void parse_trailer_block(struct message *msg, const char *start, const char *end)
{
	size_t trailers = 0, others = 0;
	const char *p;

	for (p = start; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (trailer_key_length(p, len))
			trailers++;
		else if (len && !isspace((unsigned char)*p) && *p != '#')
			others++;
		p += len + 1;
	}
	/* git accepts a block that is mostly trailers; so do we. */
	if (!trailers || others > trailers)
		return;
	for (p = start; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		size_t keylen = trailer_key_length(p, len);

		if (len && len > 0 && p[len - 1] == '\r')
			len--;
		if (keylen)
			add_trailer(msg, p, len, keylen);
		else if (len && isspace((unsigned char)*p) && msg->trailers_nr)
			continue_trailer(msg, p, len);
		p += (eol ? (size_t)(eol - p) : len) + 1;
	}
}

static void parse_subject(struct message *msg, const char *raw, const char **rest)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = raw;

	while (*p == '\n')
		p++;
	while (*p) {
		const char *eol = strchrnul(p, '\n');

		if (is_blank_line(p, (size_t)(eol - p)))
			break;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, p, (size_t)(eol - p));
		p = *eol ? eol + 1 : eol;
	}
	strbuf_trim_trailing_newline(&sb);
	msg->subject = strbuf_detach(&sb, NULL);
	*rest = p;
}

void message_parse(struct message *out, const char *raw)
{
	const char *rest, *end, *para;

	memset(out, 0, sizeof(*out));
	parse_subject(out, raw ? raw : "", &rest);
	end = rest + strlen(rest);
	/* Find the last paragraph: skip trailing blank lines, then back up to a blank line. */
	while (end > rest && isspace((unsigned char)end[-1]))
		end--;
	if (end == rest)
		return;
	para = end;
	while (para > rest) {
		const char *line = para - 1;

		while (line > rest && line[-1] != '\n')
			line--;
		if (is_blank_line(line, (size_t)(para - line)))
			break;
		para = line;
	}
	parse_trailer_block(out, para, end);
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
