/*
 * risk.c: the risk model.  What predicts a risky change (REFERENCE
 * section 2): size beyond a few hundred lines, configuration and
 * infrastructure pushes, destructive operations, secrets, and text that
 * does not read the way it runs (Trojan Source).
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/glob.h"
#include "base/pattern.h"
#include "judge/risk.h"
#include "judge/risk_tables.h"
#include "base/unicode.h"
#include "base/utf8.h"

#define RISK_MAX 100

int risk_rules_init(struct risk_rules *rules, const struct strvec *sensitive_paths,
		    const struct strvec *patterns)
{
	const char *why;

	memset(rules, 0, sizeof(*rules));
	for (size_t i = 0; sensitive_paths && i < sensitive_paths->nr; i++) {
		if (glob_check(sensitive_paths->v[i], &why)) {
			risk_rules_release(rules);
			return error_set(REVQ_ERROR, "bad revq.sensitivePath '%.64s%s': the glob is %s",
					 sensitive_paths->v[i],
					 strlen(sensitive_paths->v[i]) > 64 ? "..." : "", why);
		}
		strvec_push(&rules->sensitive_paths, sensitive_paths->v[i]);
	}
	if (pattern_list_compile(&rules->patterns, patterns, "revq.riskPattern")) {
		risk_rules_release(rules);
		return REVQ_ERROR;
	}
	return 0;
}

void risk_rules_release(struct risk_rules *rules)
{
	pattern_list_release(&rules->patterns);
	strvec_clear(&rules->sensitive_paths);
	strvec_clear(&rules->ignore);
	memset(rules, 0, sizeof(*rules));
}

const char *risk_weight_name(int i)
{
	if (i < 0 || i >= RISK_WEIGHT_MAX)
		return NULL;
	if (i < RISK_SIGNAL_MAX)
		return risk_signals[i].name;
	if (i < RISK_SIGNAL_MAX + RISK_CAT_MAX)
		return risk_categories[i - RISK_SIGNAL_MAX].name;
	return risk_terms[i - RISK_SIGNAL_MAX - RISK_CAT_MAX].name;
}

static int set_weight(struct risk_rules *rules, const char *setting)
{
	const char *eq = strchr(setting, '=');
	char *end;
	long n;

	if (!eq)
		return error_set(REVQ_ERROR, "bad revq.riskWeight setting '%.64s'", setting);
	n = strtol(eq + 1, &end, 10);
	if (end == eq + 1 || *end || n < 0 || n > 100)
		return error_set(REVQ_ERROR, "bad revq.riskWeight.%.*s: '%.16s' is not a number of points "
				 "from 0 to 100", (int)(eq - setting > 64 ? 64 : eq - setting), setting, eq + 1);
	for (int i = 0; i < RISK_WEIGHT_MAX; i++) {
		const char *name = risk_weight_name(i);

		if (strlen(name) == (size_t)(eq - setting) && !strncasecmp(name, setting, (size_t)(eq - setting))) {
			rules->weight[i] = (int)n;
			rules->weight_set[i] = 1;
			return 0;
		}
	}
	return error_set(REVQ_ERROR, "unknown revq.riskWeight.%.*s (see revq(1), RISK SCORE)",
			 (int)(eq - setting > 64 ? 64 : eq - setting), setting);
}

int risk_rules_configure(struct risk_rules *rules, const struct strvec *ignore,
			 const struct strvec *weights)
{
	const char *why;

	for (size_t i = 0; ignore && i < ignore->nr; i++) {
		if (glob_check(ignore->v[i], &why))
			return error_set(REVQ_ERROR, "bad revq.riskIgnore '%.64s%s': the glob is %s",
					 ignore->v[i], strlen(ignore->v[i]) > 64 ? "..." : "", why);
		strvec_push(&rules->ignore, ignore->v[i]);
	}
	for (size_t i = 0; weights && i < weights->nr; i++)
		if (set_weight(rules, weights->v[i]))
			return REVQ_ERROR;
	return 0;
}

/* The points of weight index i: configured, else the table's. */
static int weight_of(const struct risk_rules *rules, int i)
{
	if (rules && rules->weight_set[i])
		return rules->weight[i];
	if (i < RISK_SIGNAL_MAX)
		return risk_signals[i].points;
	if (i < RISK_SIGNAL_MAX + RISK_CAT_MAX)
		return risk_categories[i - RISK_SIGNAL_MAX].points;
	return risk_terms[i - RISK_SIGNAL_MAX - RISK_CAT_MAX].points;
}

void risk_rules_fingerprint(struct strbuf *out, const struct risk_rules *rules)
{
	/* v3: log size by lines added, spread, contexts, no auth globs, weights; v4: history */
	strbuf_addstr(out, "risk-v4");
	for (size_t i = 0; i < rules->sensitive_paths.nr; i++)
		strbuf_addf(out, "\npath %s", rules->sensitive_paths.v[i]);
	for (size_t i = 0; i < rules->patterns.sources.nr; i++)
		strbuf_addf(out, "\npattern %s", rules->patterns.sources.v[i]);
	for (size_t i = 0; i < rules->ignore.nr; i++)
		strbuf_addf(out, "\nignore %s", rules->ignore.v[i]);
	for (int i = 0; i < RISK_WEIGHT_MAX; i++)
		if (rules->weight_set[i])
			strbuf_addf(out, "\nweight %s=%d", risk_weight_name(i), rules->weight[i]);
}

void risk_findings_init(struct risk_findings *f)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->scratch, 0);
	strbuf_init(&f->normalised, 0);
}

static void hit_release(struct risk_hit *h)
{
	strvec_clear(&h->what);
	free(h->path);
	memset(h, 0, sizeof(*h));
}

void risk_findings_release(struct risk_findings *f)
{
	for (size_t i = 0; i < RISK_SIGNAL_MAX; i++)
		hit_release(&f->signals[i]);
	for (size_t i = 0; i < RISK_CAT_MAX; i++)
		hit_release(&f->categories[i]);
	strbuf_release(&f->scratch);
	strbuf_release(&f->normalised);
}

/*
 * Counts a hit once per line (or per file when line is 0), keeps the
 * first place, and collects the distinct things found.
 */
static void record(struct risk_hit *h, const char *what, const char *path, unsigned line)
{
	if (!h->count || !line || path != h->last_path || line != h->last_line) {
		if (!h->count) {
			h->path = path ? xstrdup(path) : NULL;
			h->line = line;
		}
		h->count++;
		h->last_path = path;
		h->last_line = line;
	}
	if (what && !strvec_contains(&h->what, what)) {
		if (h->what.nr < RISK_WHAT_MAX)
			strvec_push(&h->what, what);
		else
			h->more_what++;
	}
}

static int matches_any(const char *const *globs, const char *path);

/* The context of path, computed once per file (paths come file by file). */
static enum risk_context context_of(struct risk_findings *f, const struct risk_rules *rules,
				    const char *path)
{
	if (!path)
		return RISK_CTX_CODE;
	if (path == f->ctx_path)
		return f->ctx;
	f->ctx_path = path;
	f->ctx = RISK_CTX_CODE;
	for (size_t i = 0; rules && i < rules->ignore.nr; i++)
		if (glob_match_path(rules->ignore.v[i], path))
			return f->ctx = RISK_CTX_IGNORED;
	for (int c = 0; c < RISK_CTX_MAX; c++)
		if (risk_context_globs[c] && matches_any(risk_context_globs[c], path))
			return f->ctx = (enum risk_context)c;
	return f->ctx;
}

/* Records a signal unless the context of path voids it. */
static void found(struct risk_findings *f, const struct risk_rules *rules, enum risk_signal signal,
		  const char *what, const char *path, unsigned line)
{
	if (risk_signals[signal].voided & (1u << context_of(f, rules, path)))
		return;
	record(&f->signals[signal], what, path, line);
}

/* Records a signal of the line being scanned, unless its context voids it. */
static void sig(struct risk_findings *f, enum risk_signal signal, const char *what,
		const char *path, unsigned line)
{
	if (!(f->voiding & (1u << signal)))
		record(&f->signals[signal], what, path, line);
}

void risk_note(struct risk_findings *f, enum risk_signal signal, const char *path)
{
	record(&f->signals[signal], NULL, path, 0);
}

void risk_note_rules(struct risk_findings *f, const struct risk_rules *rules,
		     enum risk_signal signal, const char *path)
{
	found(f, rules, signal, NULL, path, 0);
}

static int matches_any(const char *const *globs, const char *path)
{
	for (size_t i = 0; globs[i]; i++)
		if (glob_match_path(globs[i], path))
			return 1;
	return 0;
}

static int category_matches(int c, const struct risk_rules *rules, const char *path)
{
	if (c != RISK_CAT_CONFIGURED)
		return matches_any(risk_categories[c].globs, path);
	for (size_t i = 0; i < rules->sensitive_paths.nr; i++)
		if (glob_match_path(rules->sensitive_paths.v[i], path))
			return 1;
	return 0;
}

void risk_scan_path(struct risk_findings *f, const struct risk_rules *rules, const char *path)
{
	for (int c = 0; c < RISK_CAT_MAX; c++)
		if (category_matches(c, rules, path))
			record(&f->categories[c], NULL, path, 0);
	risk_scan_meta(f, path, path, strlen(path));
}

static size_t run_of(const char *s, const char *end, const char *set)
{
	size_t n = 0;

	while (s + n < end && (isalnum((unsigned char)s[n]) || strchr(set, s[n])) && s[n])
		n++;
	return n;
}

static size_t run_upper_digits(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n])))
		n++;
	return n;
}

/* How many different bytes v holds: a cheap measure of its entropy. */
static unsigned variety(const char *v, size_t n)
{
	unsigned char seen[256] = { 0 };
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		if (!seen[(unsigned char)v[i]]++)
			k++;
	return k;
}

/*
 * Is v a made-up value rather than a secret: a documented example or a
 * placeholder ("EXAMPLE", "changeme", "your_api_key", "xxxx", "<token>"),
 * or the name of an environment variable ("DB_PASSWORD")?
 */
static int placeholder(const char *v, size_t n)
{
	static const char *const words[] = {
		"example", "changeme", "change_me", "placeholder", "your_", "your-", "yourkey",
		"xxxx", "dummy", "redacted", "sample", "insert", "replace", "fake", "****", NULL };
	char low[128];
	int upper_name = n > 0;

	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++) {
		low[i] = (char)tolower((unsigned char)v[i]);
		upper_name &= isupper((unsigned char)v[i]) || isdigit((unsigned char)v[i]) || v[i] == '_';
	}
	low[n] = '\0';
	if (upper_name && memchr(v, '_', n))
		return 1;
	for (size_t i = 0; words[i]; i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

/*
 * password = "hunter2hunter2": a quoted literal of 8+ characters with at
 * least 5 different ones, not a placeholder nor a variable's name.
 */
static int quoted_literal_follows(const char *p, const char *end)
{
	const char *start;
	char quote;

	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '"' || *p == '\''))
		p++; /* rest of the key: password_hash, "secret": */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != '=' && *p != ':'))
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return 0;
	quote = *p++;
	start = p;
	while (p < end && *p != quote && *p != ' ')
		p++;
	if (p >= end || *p != quote || p - start < 8)
		return 0;
	if (variety(start, (size_t)(p - start)) < 5 || placeholder(start, (size_t)(p - start)))
		return 0;
	return *start != '$' && *start != '<' && *start != '{' && *start != '%';
}

/* AWS access key id: AKIA/ASIA followed by 16 upper-case letters or digits. */
static int find_aws_key(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while ((p = memchr(p, 'A', (size_t)(end - p))) && end - p >= 20) {
		if ((!memcmp(p, "AKIA", 4) || !memcmp(p, "ASIA", 4)) &&
		    run_upper_digits(p + 4, end) >= 16 && !placeholder(p, 20) && variety(p + 4, 16) >= 8)
			return 1;
		p++;
	}
	return 0;
}

/* p moved past any bytes of set. */
static const char *skip_any(const char *p, const char *end, const char *set)
{
	while (p < end && *p && strchr(set, *p))
		p++;
	return p;
}

/* "= false" (any spacing, quotes, ':' or '=') right after a protection keyword. */
static int disables_protection(const char *p, const char *end)
{
	/* YAML and JSON quote keys, and write the value "false" too. */
	static const char blanks_and_quotes[] = " \t\"'";

	p = skip_any(p, end, blanks_and_quotes);
	if (p < end && (*p == '=' || *p == ':'))
		p++;
	p = skip_any(p, end, blanks_and_quotes);
	return end - p >= 5 && !memcmp(p, "false", 5);
}

/*
 * All literal keywords, bucketed by first byte so that one pass over a
 * lowered line finds every one of them (instead of a memmem() per keyword).
 */
enum keyword_kind { KEYWORD_DESTRUCTIVE, KEYWORD_PROTECTION, KEYWORD_TOKEN, KEYWORD_SECRET_WORD };

struct keyword {
	const char *text;
	size_t len;
	enum keyword_kind kind;
	size_t index;   /* into the table it came from */
};

static struct keyword *keywords;   /* every keyword, sorted into buckets by first byte */
static size_t bucket[257];   /* keywords[bucket[c] .. bucket[c + 1]) start with byte c */
static pthread_once_t keywords_once = PTHREAD_ONCE_INIT;

static void add_keyword(struct keyword *all, size_t *nr, enum keyword_kind kind, const char *text,
			size_t index)
{
	all[*nr].text = text;
	all[*nr].len = strlen(text);
	all[*nr].kind = kind;
	all[*nr].index = index;
	(*nr)++;
}

/* Sized from the tables' own counts: a longer table needs no other change. */
static void build_keywords(void)
{
	size_t total = risk_destructive_nr + risk_protections_nr + risk_tokens_nr + risk_secret_words_nr;
	struct keyword *all = xcalloc(total, sizeof(*all));
	size_t nr = 0, k = 0;

	for (size_t i = 0; i < risk_destructive_nr; i++)
		add_keyword(all, &nr, KEYWORD_DESTRUCTIVE, risk_destructive[i], i);
	for (size_t i = 0; i < risk_protections_nr; i++)
		add_keyword(all, &nr, KEYWORD_PROTECTION, risk_protections[i], i);
	for (size_t i = 0; i < risk_tokens_nr; i++)
		add_keyword(all, &nr, KEYWORD_TOKEN, risk_tokens[i].prefix, i);
	for (size_t i = 0; i < risk_secret_words_nr; i++)
		add_keyword(all, &nr, KEYWORD_SECRET_WORD, risk_secret_words[i], i);
	keywords = xcalloc(total ? total : 1, sizeof(*keywords));
	for (unsigned c = 0; c < 256; c++) {
		bucket[c] = k;
		for (size_t i = 0; i < nr; i++)
			if ((unsigned char)all[i].text[0] == c)
				keywords[k++] = all[i];
	}
	bucket[256] = k;
	free(all);
}

/*
 * "rm -rf /var/lib/apt/lists/\*" (any file there) and its kin: the package manager's cache
 * emptied after an install, the idiom of every container image.
 */
static int package_cache_cleanup(const char *p, const char *end)
{
	static const char *const caches[] = {
		"/var/lib/apt/lists", "/var/cache/apt", "/var/cache/apk", "/var/cache/yum",
		"/var/cache/dnf", "/root/.cache", "~/.cache/pip", "/tmp/*", NULL };

	p = skip_any(p, end, " \t");
	for (size_t i = 0; caches[i]; i++) {
		size_t n = strlen(caches[i]);

		if ((size_t)(end - p) >= n && !memcmp(p, caches[i], n))
			return 1;
	}
	return 0;
}

static void on_keyword(struct risk_findings *f, const struct keyword *kw, const char *line,
		       size_t at, size_t len, const char *path, unsigned lineno)
{
	const char *after = line + at + kw->len, *end = line + len;

	switch (kw->kind) {
	case KEYWORD_DESTRUCTIVE:
		if (package_cache_cleanup(after, end))
			break;
		sig(f, RISK_DESTRUCTIVE, kw->text, path, lineno);
		break;
	case KEYWORD_PROTECTION:
		if (disables_protection(after, end)) {
			char what[64];

			snprintf(what, sizeof(what), "%s = false", kw->text);
			sig(f, RISK_DESTRUCTIVE, what, path, lineno);
		}
		break;
	case KEYWORD_TOKEN: {
		size_t tail = run_of(after, end, "_-");

		/* The shape of the vendor's token, and the variety of a random one. */
		if (tail >= risk_tokens[kw->index].min_tail && variety(after, tail) >= 8 &&
		    !placeholder(after, tail))
			sig(f, RISK_SECRET, risk_tokens[kw->index].name, path, lineno);
		break;
	}
	case KEYWORD_SECRET_WORD:
		if (quoted_literal_follows(after, end))
			sig(f, RISK_SECRET, "hard-coded credential", path, lineno);
		break;
	}
}

static void scan_keywords(struct risk_findings *f, const char *line, const char *lower,
			  size_t len, const char *path, unsigned lineno)
{
	pthread_once(&keywords_once, build_keywords);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)lower[i];

		for (size_t k = bucket[c]; k < bucket[c + 1]; k++)
			if (keywords[k].len <= len - i && !memcmp(lower + i, keywords[k].text, keywords[k].len))
				on_keyword(f, &keywords[k], line, i, len, path, lineno);
	}
	if (find_aws_key(line, len))
		sig(f, RISK_SECRET, "AWS access key id", path, lineno);
	if (memmem(lower, len, "-----begin", 10) && memmem(lower, len, "private key", 11))
		sig(f, RISK_SECRET, "private key", path, lineno);
}

/*
 * The lowered line with SQL block comments read as a blank and runs of
 * blanks as one space, so that "drop   table" and "DROP", an empty SQL
 * comment, "TABLE" read "drop table".  Returns 1 when that changed anything.
 */
static int normalise(struct strbuf *out, const char *lower, size_t len)
{
	strbuf_reset(out);
	for (size_t i = 0; i < len; i++) {
		char c = lower[i];

		if (c == '/' && i + 1 < len && lower[i + 1] == '*') {
			const char *end = memmem(lower + i + 2, len - i - 2, "*/", 2);

			if (end) {
				i = (size_t)(end - lower) + 1;
				c = ' ';
			}
		}
		if (c == '\t')
			c = ' ';
		if (c == ' ' && out->len && out->buf[out->len - 1] == ' ')
			continue;
		strbuf_addch(out, c);
	}
	return out->len != len || memcmp(out->buf, lower, len);
}

/* p moved past blanks. */
static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Does a shell token from the list start at p, ending there (not "shasum")? */
static int shell_at(const char *p, const char *end)
{
	static const char *const shells[] = { "sh", "bash", "zsh", "ksh", "dash", NULL };

	if (end - p >= 5 && !memcmp(p, "sudo ", 5))
		p = skip_blanks(p + 5, end);
	for (size_t i = 0; shells[i]; i++) {
		size_t n = strlen(shells[i]);

		if ((size_t)(end - p) >= n && !memcmp(p, shells[i], n) &&
		    (p + n == end || !isalnum((unsigned char)p[n])))
			return 1;
	}
	return 0;
}

/* "curl ... | sh": a download piped into a shell. */
static const char *piped_to_shell(const char *s, const char *end)
{
	static const char *const fetchers[] = { "curl ", "wget ", NULL };

	for (size_t i = 0; fetchers[i]; i++) {
		const char *at = memmem(s, (size_t)(end - s), fetchers[i], strlen(fetchers[i]));

		for (const char *p = at; p && (p = memchr(p, '|', (size_t)(end - p))); p++)
			if (p + 1 < end && p[1] != '|' && shell_at(skip_blanks(p + 1, end), end))
				return i ? "wget | sh" : "curl | sh";
	}
	return NULL;
}

/* "git push origin +main": a refspec with '+' forces the update. */
static int force_refspec(const char *s, const char *end)
{
	const char *p = memmem(s, (size_t)(end - s), "git push ", 9);

	if (!p)
		return 0;
	for (p += 9; p < end && *p != ';' && *p != '|' && *p != '&'; p++)
		if (*p == '+' && p[-1] == ' ' && p + 1 < end && p[1] != ' ')
			return 1;
	return 0;
}

/* Spellings the literal keywords miss, on the normalised line. */
static void scan_spellings(struct risk_findings *f, const char *s, size_t len, const char *path,
			   unsigned lineno)
{
	const char *end = s + len, *what;

	if ((what = piped_to_shell(s, end)))
		sig(f, RISK_DESTRUCTIVE, what, path, lineno);
	if (force_refspec(s, end))
		sig(f, RISK_DESTRUCTIVE, "push +refspec", path, lineno);
	if (memmem(s, len, "find ", 5) && memmem(s, len, " -delete", 8))
		sig(f, RISK_DESTRUCTIVE, "find -delete", path, lineno);
}

/* Destructive keywords again, on the normalised line, when normalising changed it. */
static void scan_normalised(struct risk_findings *f, const char *lower, size_t len,
			    const char *path, unsigned lineno)
{
	struct strbuf *norm = &f->normalised;
	const char *s;

	if (!normalise(norm, lower, len)) {
		scan_spellings(f, lower, len, path, lineno);
		return;
	}
	s = norm->buf;
	for (size_t i = 0; i < norm->len; i++) {
		unsigned char c = (unsigned char)s[i];

		for (size_t k = bucket[c]; k < bucket[c + 1]; k++)
			if (keywords[k].kind == KEYWORD_DESTRUCTIVE && keywords[k].len <= norm->len - i &&
			    !memcmp(s + i, keywords[k].text, keywords[k].len) &&
			    !package_cache_cleanup(s + i + keywords[k].len, s + norm->len))
				sig(f, RISK_DESTRUCTIVE, keywords[k].text, path, lineno);
	}
	scan_spellings(f, s, norm->len, path, lineno);
}

static void scan_ascii_rules(struct risk_findings *f, const struct risk_rules *rules,
			     const char *path, unsigned lineno, const char *line, size_t len)
{
	char *lower;

	strbuf_reset(&f->scratch);
	strbuf_add(&f->scratch, line, len);
	lower = f->scratch.buf;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	scan_keywords(f, line, lower, len, path, lineno);
	scan_normalised(f, lower, len, path, lineno);
	if (rules->patterns.nr) {
		/* Patterns see the original text, every byte of it, in one pass (pattern.h). */
		const char *text = pattern_text(line, len, &f->scratch);

		for (size_t i = 0; i < rules->patterns.nr; i++)
			if (pattern_matches(&rules->patterns.v[i], text))
				sig(f, RISK_PATTERN, rules->patterns.sources.v[i],
				       path, lineno);
	}
}

static void describe_cp(char *buf, size_t size, int32_t cp)
{
	const char *name = unicode_name(cp);

	snprintf(buf, size, "U+%04X%s%s", (unsigned)cp, name ? " " : "", name ? name : "");
}

/* Flags letters of several look-alike scripts inside one identifier. */
struct identifier_state {
	unsigned scripts;   /* bit per enum unicode_script */
	int reported;
};

static void identifier_end(struct identifier_state *id, struct risk_findings *f,
			   const char *path, unsigned lineno)
{
	unsigned latin = 1u << SCRIPT_LATIN;

	if (!id->reported && (id->scripts & latin) && (id->scripts & ~latin & ~1u)) {
		sig(f, RISK_HOMOGLYPH, NULL, path, lineno);
		id->reported = 1;
	}
	id->scripts = 0;
}

static void scan_unicode(struct risk_findings *f, const char *path, unsigned lineno,
			 const char *line, size_t len)
{
	struct identifier_state id = { 0, 0 };
	char what[32];
	size_t i = 0;

	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(&cp, line + i, len - i);
		enum unicode_class cls = cp == UTF8_INVALID ? UNICODE_ORDINARY : unicode_classify(cp);
		enum unicode_script script = cp == UTF8_INVALID ? SCRIPT_NONE : unicode_script(cp);

		if (cls == UNICODE_BIDI) {
			describe_cp(what, sizeof(what), cp);
			sig(f, RISK_BIDI, what, path, lineno);
		} else if (cls == UNICODE_INVISIBLE || cls == UNICODE_SPACE) {
			describe_cp(what, sizeof(what), cp);
			sig(f, RISK_INVISIBLE, what, path, lineno);
		} else if (cls == UNICODE_CONTROL && cp >= 0x80) {
			describe_cp(what, sizeof(what), cp);
			sig(f, RISK_CONTROL, what, path, lineno);
		}
		if (script != SCRIPT_NONE)
			id.scripts |= 1u << script;
		else if (!(cp >= '0' && cp <= '9') && cp != '_')
			identifier_end(&id, f, path, lineno);
		i += n;
	}
	identifier_end(&id, f, path, lineno);
}

static int is_terminal_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f;
}

#define LONG_LINE 1000

void risk_scan_line(struct risk_findings *f, const struct risk_rules *rules,
		    const char *path, unsigned lineno, const char *line, size_t len)
{
	int high = 0, control = 0;
	enum risk_context ctx = context_of(f, rules, path);

	f->voiding = 0;
	/* Tests are code too (a test library's bug is a bug); prose is not. */
	f->added_aside += ctx == RISK_CTX_DOC || ctx == RISK_CTX_TRANSLATION ||
			  ctx == RISK_CTX_VENDORED || ctx == RISK_CTX_GENERATED;
	for (int s = 0; s < RISK_SIGNAL_MAX; s++)
		if (risk_signals[s].voided & (1u << ctx))
			f->voiding |= 1u << s;
	if (len > LONG_LINE) {
		char what[32];

		snprintf(what, sizeof(what), "%zu bytes", len);
		sig(f, RISK_LONG_LINE, what, path, lineno);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		high |= c >= 0x80;
		control |= is_terminal_control(c);
	}
	if (control) {
		for (size_t i = 0; i < len; i++) {
			if (is_terminal_control((unsigned char)line[i])) {
				char what[16];

				snprintf(what, sizeof(what), "^%c", line[i] == 0x7f ? '?' : line[i] + '@');
				sig(f, RISK_CONTROL, what, path, lineno);
				break;
			}
		}
	}
	if (high)
		scan_unicode(f, path, lineno, line, len);
	if (len >= 4)
		scan_ascii_rules(f, rules, path, lineno, line, len);
	f->voiding = 0;
}

void risk_scan_meta(struct risk_findings *f, const char *where, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t n = utf8_decode(&cp, text + i, len - i);
		enum unicode_class cls = cp == UTF8_INVALID ? UNICODE_ORDINARY : unicode_classify(cp);

		if (cls == UNICODE_BIDI || (cls == UNICODE_CONTROL && cp != '\n' && cp != '\t' &&
					    cp != '\r')) {
			char what[32];

			describe_cp(what, sizeof(what), cp);
			record(&f->signals[RISK_META], what, where, 0);
			return;
		}
		i += n;
	}
}

struct reason {
	int points;
	int order;
	int weight;            /* index: risk_weight_name() */
	const struct risk_hit *hit;   /* not owned: where, or NULL */
	char *text;
};

static void add_reason(struct reason *list, size_t *nr, int points, int weight,
		       const struct risk_hit *hit, char *text)
{
	list[*nr].points = points;
	list[*nr].order = (int)*nr;
	list[*nr].weight = weight;
	list[*nr].hit = hit;
	list[*nr].text = text;
	(*nr)++;
}

static char *describe_hit(const char *label, const struct risk_hit *h)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, label);
	for (size_t i = 0; i < h->what.nr; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : ": ", h->what.v[i]);
	if (h->more_what)
		strbuf_addf(&sb, " and %u more", h->more_what);
	if (h->path) {
		strbuf_addf(&sb, " (%s", h->path);
		if (h->line)
			strbuf_addf(&sb, ":%u", h->line);
		if (h->count > 1)
			strbuf_addf(&sb, ", %u %s", h->count, h->line ? "lines" : "files");
		strbuf_addch(&sb, ')');
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * per points for each doubling of n from start (per at start, 2 per at
 * twice start, ...), log2 read linearly between powers of two; capped.
 */
static int doubling_points(unsigned n, unsigned start, int per, int cap)
{
	unsigned doublings = 0, low;
	long points;

	if (!per || !start || n < start)
		return 0;
	while (doublings < 31 && (unsigned long)start << (doublings + 1) <= n)
		doublings++;
	low = start << doublings;
	points = (long)per * (1 + doublings) + (long)per * (n - low) / low;
	return points > cap ? cap : (int)points;
}

static int term_points(const struct risk_rules *rules, enum risk_term t, unsigned n)
{
	const struct risk_term_rule *r = &risk_terms[t];
	int per = weight_of(rules, RISK_WEIGHT_TERM(t));

	/* A configured weight scales the cap with the points per doubling. */
	return doubling_points(n, r->start, per, r->points ? r->cap * per / r->points : r->cap);
}

/* Lines added outside code (docs, translations, ...) count ASIDE_SHARE-th as much. */
#define ASIDE_SHARE 4

static void score_totals(struct reason *list, size_t *nr, const struct risk_findings *f,
			 const struct risk_totals *t, const struct risk_rules *rules)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned aside = f->added_aside < t->added ? f->added_aside : t->added;
	unsigned size = t->added - aside + aside / ASIDE_SHARE;
	int p;

	if ((p = term_points(rules, RISK_TERM_SIZE, size))) {
		/* Review studies: defect detection falls beyond 200-400 lines. */
		strbuf_addf(&sb, "%s: %u line%s added", t->added >= 200 ? "large change" : "size", t->added,
			    t->added == 1 ? "" : "s");
		if (aside)
			strbuf_addf(&sb, ", %u of them documentation, translations, vendored or generated", aside);
		add_reason(list, nr, p, RISK_WEIGHT_TERM(RISK_TERM_SIZE), NULL, strbuf_detach(&sb, NULL));
	}
	if ((p = term_points(rules, RISK_TERM_SPREAD, t->dirs))) {
		strbuf_addf(&sb, "wide change: %u directories, %u files touched", t->dirs, t->files);
		add_reason(list, nr, p, RISK_WEIGHT_TERM(RISK_TERM_SPREAD), NULL, strbuf_detach(&sb, NULL));
	}
	if ((p = term_points(rules, RISK_TERM_NEW_FILES, t->new_files))) {
		strbuf_addf(&sb, "adds %u file%s", t->new_files, t->new_files > 1 ? "s" : "");
		add_reason(list, nr, p, RISK_WEIGHT_TERM(RISK_TERM_NEW_FILES), NULL, strbuf_detach(&sb, NULL));
	}
	if ((p = term_points(rules, RISK_TERM_DELETED_FILES, t->deleted_files))) {
		strbuf_addf(&sb, "deletes %u file%s", t->deleted_files, t->deleted_files > 1 ? "s" : "");
		add_reason(list, nr, p, RISK_WEIGHT_TERM(RISK_TERM_DELETED_FILES), NULL,
			   strbuf_detach(&sb, NULL));
	}
}

static void history_reason(struct risk_reason *r, enum risk_term t, int points, const char *path,
			   char *text)
{
	r->signal = risk_weight_name(RISK_WEIGHT_TERM(t));
	r->points = points;
	r->path = path ? xstrdup(path) : NULL;
	r->line = 0;
	r->text = text;
}

size_t risk_history_score(struct risk_reason out[RISK_HISTORY_REASONS], const struct risk_history *h,
			  const struct risk_rules *rules)
{
	const struct risk_term_rule *fix = &risk_terms[RISK_TERM_FIX_HISTORY];
	int per = weight_of(rules, RISK_WEIGHT_TERM(RISK_TERM_FIX_HISTORY)), p;
	size_t nr = 0;

	/*
	 * per * log2(1 + fixes), a fix of a Fixes: trailer or revert being
	 * two units and of a "fix" subject one: doubling from start units,
	 * less the points of none.
	 */
	p = doubling_points(h->units + fix->start, fix->start, per,
			    (fix->points ? fix->cap * per / fix->points : fix->cap) + per) - per;
	if (p > 0 && h->fixes && h->paths[0]) {
		struct strbuf sb = STRBUF_INIT;
		size_t n = 0;

		while (n < RISK_HISTORY_PATHS && h->paths[n])
			n++;
		strbuf_addf(&sb, "%s fixed %u time%s in the last year:", n > 1 || h->more_paths ? "files" : "file",
			    h->fixes, h->fixes == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++)
			if (n > 1 || h->more_paths)
				strbuf_addf(&sb, "%s %s (%u)", i ? "," : "", h->paths[i], h->counts[i]);
			else
				strbuf_addf(&sb, " %s", h->paths[i]);
		if (h->more_paths)
			strbuf_addf(&sb, " and %u more", h->more_paths);
		history_reason(&out[nr++], RISK_TERM_FIX_HISTORY, p, h->paths[0], strbuf_detach(&sb, NULL));
	}
	p = weight_of(rules, RISK_WEIGHT_TERM(RISK_TERM_NEW_AUTHOR));
	if (p > 0 && h->new_author) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "new author: no earlier commit by %s in the last year",
			    h->author && *h->author ? h->author : "them");
		history_reason(&out[nr++], RISK_TERM_NEW_AUTHOR, p, NULL, strbuf_detach(&sb, NULL));
	}
	return nr;
}

static int compare_reasons(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	if (x->points != y->points)
		return y->points - x->points;
	return x->order - y->order;
}

int risk_score(struct strvec *reasons, const struct risk_findings *f,
	       const struct risk_totals *totals)
{
	return risk_score_rules(reasons, NULL, NULL, f, totals, NULL);
}

int risk_score_rules(struct strvec *reasons, struct risk_reason **detail, size_t *detail_nr,
		     const struct risk_findings *f, const struct risk_totals *totals,
		     const struct risk_rules *rules)
{
	struct reason list[RISK_WEIGHT_MAX];
	size_t nr = 0;
	int total = 0, p;

	for (int s = 0; s < RISK_SIGNAL_MAX; s++)
		if (f->signals[s].count && (p = weight_of(rules, s)))
			add_reason(list, &nr, p, s, &f->signals[s],
				   describe_hit(risk_signals[s].label, &f->signals[s]));
	for (int c = 0; c < RISK_CAT_MAX; c++)
		if (f->categories[c].count && (p = weight_of(rules, RISK_WEIGHT_CAT(c))))
			add_reason(list, &nr, p, RISK_WEIGHT_CAT(c), &f->categories[c],
				   describe_hit(risk_categories[c].label, &f->categories[c]));
	score_totals(list, &nr, f, totals, rules);
	qsort(list, nr, sizeof(list[0]), compare_reasons);
	if (detail) {
		*detail = nr ? xcalloc(nr, sizeof(**detail)) : NULL;
		*detail_nr = nr;
	}
	for (size_t i = 0; i < nr; i++) {
		total += list[i].points;
		if (reasons)
			strvec_pushf(reasons, "+%d %s", list[i].points, list[i].text);
		if (detail) {
			struct risk_reason *r = &(*detail)[i];

			r->signal = risk_weight_name(list[i].weight);
			r->points = list[i].points;
			r->path = list[i].hit && list[i].hit->path ? xstrdup(list[i].hit->path) : NULL;
			r->line = list[i].hit ? list[i].hit->line : 0;
			r->text = list[i].text;
		} else {
			free(list[i].text);
		}
	}
	return total > RISK_MAX ? RISK_MAX : total;
}

void risk_reasons_free(struct risk_reason *detail, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(detail[i].path);
		free(detail[i].text);
	}
	free(detail);
}
