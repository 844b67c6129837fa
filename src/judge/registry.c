/*
 * registry.c: reading the AI tool registry (registry.h): one rule a line,
 * "KIND TEXT", under "tool NAME" lines that start each entry.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "judge/registry.h"
#include "base/error.h"
#include "base/fs.h"

#define REGISTRY_FILE "ai-tools"

static const char *const kind_names[REGISTRY_KINDS] = {
	[REGISTRY_EMAIL] = "email",
	[REGISTRY_LOGIN] = "login",
	[REGISTRY_NAME] = "name",
	[REGISTRY_NAME_PREFIX] = "name-prefix",
	[REGISTRY_NAME_SUFFIX] = "name-suffix",
	[REGISTRY_MODEL] = "model",
	[REGISTRY_TRAILER] = "trailer",
	[REGISTRY_TRAILER_VALUE] = "trailer-value",
	[REGISTRY_GENERATOR] = "generator",
	[REGISTRY_SUBJECT_PREFIX] = "subject-prefix",
};

void registry_release(struct registry *reg)
{
	for (size_t i = 0; i < reg->nr; i++) {
		free(reg->rules[i].text);
		free(reg->rules[i].value);
	}
	free(reg->rules);
	strvec_clear(&reg->tools);
	free(reg->source);
	free(reg->digest);
	memset(reg, 0, sizeof(*reg));
}

static int find_kind(const char *word, size_t len)
{
	for (int k = 0; k < REGISTRY_KINDS; k++)
		if (strlen(kind_names[k]) == len && !strncmp(kind_names[k], word, len))
			return k;
	return -1;
}

static void add_rule(struct registry *reg, int kind, const char *text, size_t len,
		     const char *value, size_t vlen)
{
	struct registry_rule *r;

	if (reg->nr == reg->alloc) {
		reg->alloc = reg->alloc ? 2 * reg->alloc : 64;
		reg->rules = xrealloc(reg->rules, reg->alloc * sizeof(*reg->rules));
	}
	r = &reg->rules[reg->nr++];
	r->kind = (enum registry_kind)kind;
	r->text = xstrndup(text, len);
	r->value = value ? xstrndup(value, vlen) : NULL;
	r->tool = reg->tools.v[reg->tools.nr - 1];
}

static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* One non-comment line, trimmed: "KIND TEXT". */
static int parse_line(struct registry *reg, const char *p, size_t len,
		      const char *source, size_t lineno)
{
	size_t wlen = 0, rest;
	const char *text;
	int kind;

	while (wlen < len && !isspace((unsigned char)p[wlen]))
		wlen++;
	text = p + wlen;
	rest = len - wlen;
	while (rest && isspace((unsigned char)*text))
		text++, rest--;
	if (wlen == 4 && !strncmp(p, "tool", 4)) {
		if (!rest || memchr(text, '(', rest) || memchr(text, ')', rest) || has_control(text, rest))
			return error_set(REVQ_EUSAGE, "%s:%zu: a tool needs a name without parentheses",
					 source, lineno);
		strvec_push_nodup(&reg->tools, xstrndup(text, rest));
		return 0;
	}
	if ((kind = find_kind(p, wlen)) < 0)
		return error_set(REVQ_EUSAGE, "%s:%zu: unknown kind '%.*s'", source, lineno,
				 (int)(wlen > 40 ? 40 : wlen), p);
	if (!reg->tools.nr)
		return error_set(REVQ_EUSAGE, "%s:%zu: '%s' before the first 'tool' line",
				 source, lineno, kind_names[kind]);
	if (!rest || has_control(text, rest))
		return error_set(REVQ_EUSAGE, "%s:%zu: '%s' needs a text", source, lineno,
				 kind_names[kind]);
	if (kind == REGISTRY_TRAILER_VALUE) {
		size_t klen = 0;
		const char *v;

		while (klen < rest && !isspace((unsigned char)text[klen]))
			klen++;
		for (v = text + klen; v < text + rest && isspace((unsigned char)*v); v++)
			;
		if (v == text + rest)
			return error_set(REVQ_EUSAGE, "%s:%zu: 'trailer-value' needs a key and a value",
					 source, lineno);
		add_rule(reg, kind, text, klen, v, (size_t)(text + rest - v));
		return 0;
	}
	if ((kind == REGISTRY_TRAILER || kind == REGISTRY_LOGIN || kind == REGISTRY_EMAIL) && (memchr(text, ' ', rest) || memchr(text, '\t', rest)))
		return error_set(REVQ_EUSAGE, "%s:%zu: '%s' takes one word", source, lineno,
				 kind_names[kind]);
	add_rule(reg, kind, text, rest, NULL, 0);
	return 0;
}

/* FNV-1a, 64 bits: names the contents in the rules fingerprint (not a defence). */
static char *digest_of(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[40];

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(buf, sizeof(buf), "%016llx-%zu", (unsigned long long)h, len);
	return xstrdup(buf);
}

int registry_parse(struct registry *reg, const char *text, size_t len, const char *source)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	int rc;

	memset(reg, 0, sizeof(*reg));
	if (memchr(text, '\0', len)) {
		rc = error_set(REVQ_EUSAGE, "%s: a NUL byte in the registry", source);
		goto fail;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *s = p;

		lineno++;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s < e && *s != '#' && (rc = parse_line(reg, s, (size_t)(e - s), source, lineno)))
			goto fail;
		p = nl ? nl + 1 : end;
	}
	if (!reg->tools.nr) {
		rc = error_set(REVQ_EUSAGE, "%s: the registry names no tool", source);
		goto fail;
	}
	reg->source = xstrdup(source);
	reg->digest = digest_of(text, len);
	return 0;
fail:
	registry_release(reg);
	return rc;
}


int registry_load(struct registry *reg, const char *path)
{
	struct strbuf text = STRBUF_INIT, where = STRBUF_INIT;
	int rc;

	memset(reg, 0, sizeof(*reg));
	if (path && *path)
		strbuf_addstr(&where, path);
	else
		fs_data_path(&where, REGISTRY_FILE);
	if (strbuf_read_file(&text, where.buf))
		rc = error_set(REVQ_ERROR, "cannot read the AI tool registry %s: %s "
			       "(set revq.aiRegistry or $REVQ_DATADIR)", where.buf, strerror(errno));
	else
		rc = registry_parse(reg, text.buf ? text.buf : "", text.len, where.buf);
	strbuf_release(&text);
	strbuf_release(&where);
	return rc;
}

const struct registry *registry_default(void)
{
	static struct registry reg;
	static int state;   /* 0 not tried, 1 loaded, -1 failed */

	if (!state) {
		state = registry_load(&reg, NULL) ? -1 : 1;
		if (state < 0)
			error_warn("%s", error_last());
	}
	return state > 0 ? &reg : NULL;
}

const char *registry_lookup(const struct registry *reg, enum registry_kind kind, const char *text)
{
	if (!reg)
		return NULL;
	for (size_t i = 0; i < reg->nr; i++)
		if (reg->rules[i].kind == kind && !strcasecmp(reg->rules[i].text, text))
			return reg->rules[i].tool;
	return NULL;
}
