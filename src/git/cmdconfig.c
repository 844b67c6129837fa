/*
 * cmdconfig.c: git's command-line configuration for libgit2
 * (cmdconfig.h): the parsers follow git's config.c (sq_dequote_step,
 * parse_config_env_list, git_config_parse_parameter) and the level is a
 * small read-only git_config_backend holding the entries in memory.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/config.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "git/cmdconfig.h"

#define CMDCONFIG_MAX_COUNT 100000   /* GIT_CONFIG_COUNT beyond this is a mistake, not a list */

/* ---- the entries ---- */

void cmdconfig_release(struct cmdconfig *cc)
{
	for (size_t i = 0; i < cc->nr; i++) {
		free(cc->v[i].name);
		free(cc->v[i].value);
	}
	free(cc->v);
	memset(cc, 0, sizeof(*cc));
}

static int is_section_char(int c)
{
	return isalnum(c) || c == '-' || c == '.';
}

/* git_config_parse_key(): "Section.Sub.Name" -> "section.Sub.name", or REVQ_EUSAGE. */
static int normalize_key(struct strbuf *out, const char *key)
{
	const char *first = strchr(key, '.'), *last = strrchr(key, '.');

	if (!first || first == key || !last[1] || !isalpha((unsigned char)last[1]))
		return error_set(REVQ_EUSAGE, "invalid configuration key '%s' (git -c or GIT_CONFIG_*)", key);
	for (const char *p = key; p < first; p++)
		if (!is_section_char((unsigned char)*p))
			return error_set(REVQ_EUSAGE, "invalid configuration key '%s'", key);
	for (const char *p = last + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return error_set(REVQ_EUSAGE, "invalid configuration key '%s'", key);
	for (const char *p = first; p < last; p++)
		if (*p == '\n')
			return error_set(REVQ_EUSAGE, "invalid configuration key '%s'", key);
	for (const char *p = key; p < first; p++)
		strbuf_addch(out, (char)tolower((unsigned char)*p));
	strbuf_add(out, first, (size_t)(last - first + 1));
	for (const char *p = last + 1; *p; p++)
		strbuf_addch(out, (char)tolower((unsigned char)*p));
	return 0;
}

int cmdconfig_add(struct cmdconfig *out, const char *key, const char *value)
{
	struct strbuf name = STRBUF_INIT;
	int rc;

	if ((rc = normalize_key(&name, key))) {
		strbuf_release(&name);
		return rc;
	}
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	out->v[out->nr].name = strbuf_detach(&name, NULL);
	out->v[out->nr++].value = value ? xstrdup(value) : NULL;
	return 0;
}

/* ---- GIT_CONFIG_PARAMETERS ---- */

/*
 * git's sq_dequote_step(): one single-quoted word at *p ('it'\''s' is
 * "it's"), into out; *p is left after it.  -1 when *p is no such word.
 */
static int dequote_step(struct strbuf *out, const char **p)
{
	const char *s = *p;

	if (*s != '\'')
		return -1;
	s++;
	for (;;) {
		if (!*s)
			return -1;   /* unterminated */
		if (*s != '\'') {
			strbuf_addch(out, *s++);
			continue;
		}
		/* A closing quote: the word goes on only through \' or \! and a new quote. */
		if (s[1] == '\\' && (s[2] == '\'' || s[2] == '!') && s[3] == '\'') {
			strbuf_addch(out, s[2]);
			s += 4;
			continue;
		}
		*p = s + 1;
		return 0;
	}
}

/* git_config_parse_parameter(): "key=value" or a bare "key". */
static int add_old_style(struct cmdconfig *out, const char *text)
{
	const char *eq = strchr(text, '='), *all = text;
	struct strbuf key = STRBUF_INIT;
	int rc;

	size_t len = eq ? (size_t)(eq - text) : strlen(text);

	while (len && isspace((unsigned char)*text))   /* git trims the key */
		text++, len--;
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	strbuf_add(&key, text, len);
	rc = key.len ? cmdconfig_add(out, key.buf, eq ? eq + 1 : NULL)
		     : error_set(REVQ_EUSAGE, "bogus config parameter: %s", all);
	strbuf_release(&key);
	return rc;
}

static int bogus(void)
{
	return error_set(REVQ_EUSAGE, "bogus format in GIT_CONFIG_PARAMETERS");
}

int cmdconfig_parse_parameters(struct cmdconfig *out, const char *text)
{
	struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;
	const char *p = text;
	int rc = 0;

	while (!rc && *p) {
		strbuf_reset(&key);
		strbuf_reset(&value);
		if (dequote_step(&key, &p)) {
			rc = bogus();
		} else if (!*p || isspace((unsigned char)*p)) {
			rc = add_old_style(out, key.buf);                /* 'key=value' */
		} else if (*p == '=') {                                /* 'key'='value' */
			p++;
			if (*p == '\'') {
				if (dequote_step(&value, &p) || (*p && !isspace((unsigned char)*p)))
					rc = bogus();
				else
					rc = cmdconfig_add(out, key.buf, value.buf);
			} else if (!*p || isspace((unsigned char)*p)) {
				rc = cmdconfig_add(out, key.buf, NULL);  /* 'key'= : a bare key */
			} else {
				rc = bogus();
			}
		} else {
			rc = bogus();
		}
		while (*p && isspace((unsigned char)*p))
			p++;
	}
	strbuf_release(&key);
	strbuf_release(&value);
	return rc;
}

/* ---- GIT_CONFIG_COUNT ---- */

static int add_counted(struct cmdconfig *out, const char *count)
{
	char *end;
	long n;
	int rc = 0;

	errno = 0;
	n = strtol(count, &end, 10);
	if (errno || end == count || *end || n < 0 || n > CMDCONFIG_MAX_COUNT)
		return error_set(REVQ_EUSAGE, "bogus count in GIT_CONFIG_COUNT");
	for (long i = 0; i < n && !rc; i++) {
		char name[64];
		const char *key, *value;

		snprintf(name, sizeof(name), "GIT_CONFIG_KEY_%ld", i);
		if (!(key = getenv(name)) || !*key)
			return error_set(REVQ_EUSAGE, "missing config key %s", name);
		snprintf(name, sizeof(name), "GIT_CONFIG_VALUE_%ld", i);
		if (!(value = getenv(name)))
			return error_set(REVQ_EUSAGE, "missing config value %s", name);
		rc = cmdconfig_add(out, key, value);
	}
	return rc;
}

int cmdconfig_from_env(struct cmdconfig *out)
{
	const char *count = getenv("GIT_CONFIG_COUNT"), *params = getenv("GIT_CONFIG_PARAMETERS");
	int rc = 0;

	if (count && *count)
		rc = add_counted(out, count);
	if (!rc && params)
		rc = cmdconfig_parse_parameters(out, params);
	return rc;
}

/* ---- the in-memory level ---- */

struct memory_backend {
	git_config_backend parent;
	git_config_entry *entries;   /* owned: names and values point into cc */
	struct cmdconfig cc;         /* owned */
};

struct memory_iterator {
	git_config_iterator parent;
	size_t next;
};

static void entry_free_nothing(git_config_entry *entry)
{
	(void)entry;   /* the backend owns its entries */
}

static int memory_open(git_config_backend *b, git_config_level_t level, const git_repository *repo)
{
	struct memory_backend *m = (struct memory_backend *)b;

	(void)repo;
	for (size_t i = 0; i < m->cc.nr; i++)
		m->entries[i].level = level;
	return 0;
}

/* The last value of key wins, as in git. */
static int memory_get(git_config_backend *b, const char *key, git_config_entry **out)
{
	struct memory_backend *m = (struct memory_backend *)b;

	for (size_t i = m->cc.nr; i-- > 0;)
		if (!strcmp(m->cc.v[i].name, key)) {
			*out = &m->entries[i];
			return 0;
		}
	return GIT_ENOTFOUND;
}

static int memory_readonly(void)
{
	git_error_set_str(GIT_ERROR_CONFIG, "command-line configuration (git -c) cannot be changed");
	return -1;
}

static int memory_set(git_config_backend *b, const char *key, const char *value)
{
	(void)b, (void)key, (void)value;
	return memory_readonly();
}

static int memory_set_multivar(git_config_backend *b, const char *name, const char *regexp, const char *value)
{
	(void)b, (void)name, (void)regexp, (void)value;
	return memory_readonly();
}

static int memory_del(git_config_backend *b, const char *key)
{
	(void)b, (void)key;
	return memory_readonly();
}

static int memory_del_multivar(git_config_backend *b, const char *key, const char *regexp)
{
	(void)b, (void)key, (void)regexp;
	return memory_readonly();
}

static int memory_next(git_config_entry **out, git_config_iterator *it)
{
	struct memory_iterator *mi = (struct memory_iterator *)it;
	struct memory_backend *m = (struct memory_backend *)it->backend;

	if (mi->next >= m->cc.nr)
		return GIT_ITEROVER;
	*out = &m->entries[mi->next++];
	return 0;
}

static void memory_iterator_free(git_config_iterator *it)
{
	free(it);
}

static int memory_iterator(git_config_iterator **out, git_config_backend *b)
{
	struct memory_iterator *mi = xcalloc(1, sizeof(*mi));

	mi->parent.backend = b;
	mi->parent.next = memory_next;
	mi->parent.free = memory_iterator_free;
	*out = &mi->parent;
	return 0;
}

static int memory_lock(git_config_backend *b)
{
	(void)b;
	return memory_readonly();
}

static int memory_unlock(git_config_backend *b, int success)
{
	(void)b, (void)success;
	return memory_readonly();
}

static void memory_free(git_config_backend *b)
{
	struct memory_backend *m = (struct memory_backend *)b;

	if (!m)
		return;
	cmdconfig_release(&m->cc);
	free(m->entries);
	free(m);
}

static struct memory_backend *memory_new(const struct cmdconfig *cc);

static int memory_snapshot(git_config_backend **out, git_config_backend *b)
{
	struct memory_backend *m = (struct memory_backend *)b, *copy = memory_new(&m->cc);

	copy->parent.readonly = 1;
	*out = &copy->parent;
	return 0;
}

/* A backend holding a copy of cc's entries. */
static struct memory_backend *memory_new(const struct cmdconfig *cc)
{
	struct memory_backend *m = xcalloc(1, sizeof(*m));

	git_config_init_backend(&m->parent, GIT_CONFIG_BACKEND_VERSION);
	m->parent.readonly = 1;
	m->parent.open = memory_open;
	m->parent.get = memory_get;
	m->parent.set = memory_set;
	m->parent.set_multivar = memory_set_multivar;
	m->parent.del = memory_del;
	m->parent.del_multivar = memory_del_multivar;
	m->parent.iterator = memory_iterator;
	m->parent.snapshot = memory_snapshot;
	m->parent.lock = memory_lock;
	m->parent.unlock = memory_unlock;
	m->parent.free = memory_free;
	m->entries = xcalloc(cc->nr ? cc->nr : 1, sizeof(*m->entries));
	for (size_t i = 0; i < cc->nr; i++) {
		cmdconfig_add(&m->cc, cc->v[i].name, cc->v[i].value);   /* already valid: cannot fail */
		m->entries[i].name = m->cc.v[i].name;
		m->entries[i].value = m->cc.v[i].value;
		m->entries[i].level = GIT_CONFIG_LEVEL_APP;
		m->entries[i].free = entry_free_nothing;
	}
	return m;
}

int cmdconfig_attach(git_repository *repo)
{
	struct cmdconfig cc = CMDCONFIG_INIT;
	struct memory_backend *m;
	git_config *cfg;
	int rc;

	if ((rc = cmdconfig_from_env(&cc)) || !cc.nr) {
		cmdconfig_release(&cc);
		return rc;
	}
	m = memory_new(&cc);
	cmdconfig_release(&cc);
	if (git_repository_config(&cfg, repo)) {
		memory_free(&m->parent);
		return error_set_git(REVQ_ERROR, "cannot read git config");
	}
	if (git_config_add_backend(cfg, &m->parent, GIT_CONFIG_LEVEL_APP, repo, 0)) {
		memory_free(&m->parent);
		rc = error_set_git(REVQ_ERROR, "cannot add the command-line configuration (git -c)");
	}
	git_config_free(cfg);
	return rc;
}
