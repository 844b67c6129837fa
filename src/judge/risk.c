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
	if (!patterns || !patterns->nr)
		return 0;
	rules->patterns = xcalloc(patterns->nr, sizeof(regex_t));
	for (size_t i = 0; i < patterns->nr; i++) {
		if (pattern_compile(&rules->patterns[i], patterns->v[i], "revq.riskPattern")) {
			risk_rules_release(rules);
			return REVQ_ERROR;
		}
		strvec_push(&rules->pattern_sources, patterns->v[i]);
		rules->patterns_nr++;
	}
	return 0;
}

void risk_rules_release(struct risk_rules *rules)
{
	for (size_t i = 0; i < rules->patterns_nr; i++)
		regfree(&rules->patterns[i]);
	free(rules->patterns);
	strvec_clear(&rules->sensitive_paths);
	strvec_clear(&rules->pattern_sources);
	memset(rules, 0, sizeof(*rules));
}

void risk_rules_fingerprint(struct strbuf *out, const struct risk_rules *rules)
{
	strbuf_addstr(out, "risk-v2");   /* v2: normalised spellings, UTF-16 text */
	for (size_t i = 0; i < rules->sensitive_paths.nr; i++)
		strbuf_addf(out, "\npath %s", rules->sensitive_paths.v[i]);
	for (size_t i = 0; i < rules->pattern_sources.nr; i++)
		strbuf_addf(out, "\npattern %s", rules->pattern_sources.v[i]);
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

void risk_note(struct risk_findings *f, enum risk_signal signal, const char *path)
{
	record(&f->signals[signal], NULL, path, 0);
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

/* password = "hunter2hunter2" (a quoted literal of 8+ characters). */
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
	return *start != '$' && *start != '<' && *start != '{' && *start != '%';
}

/* AWS access key id: AKIA/ASIA followed by 16 upper-case letters or digits. */
static int find_aws_key(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while ((p = memchr(p, 'A', (size_t)(end - p))) && end - p >= 20) {
		if ((!memcmp(p, "AKIA", 4) || !memcmp(p, "ASIA", 4)) &&
		    run_upper_digits(p + 4, end) >= 16)
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

static void on_keyword(struct risk_findings *f, const struct keyword *kw, const char *line,
		       size_t at, size_t len, const char *path, unsigned lineno)
{
	const char *after = line + at + kw->len, *end = line + len;

	switch (kw->kind) {
	case KEYWORD_DESTRUCTIVE:
		record(&f->signals[RISK_DESTRUCTIVE], kw->text, path, lineno);
		break;
	case KEYWORD_PROTECTION:
		if (disables_protection(after, end)) {
			char what[64];

			snprintf(what, sizeof(what), "%s = false", kw->text);
			record(&f->signals[RISK_DESTRUCTIVE], what, path, lineno);
		}
		break;
	case KEYWORD_TOKEN:
		if (run_of(after, end, "_-") >= risk_tokens[kw->index].min_tail)
			record(&f->signals[RISK_SECRET], risk_tokens[kw->index].name, path, lineno);
		break;
	case KEYWORD_SECRET_WORD:
		if (quoted_literal_follows(after, end))
			record(&f->signals[RISK_SECRET], "hard-coded credential", path, lineno);
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
		record(&f->signals[RISK_SECRET], "AWS access key id", path, lineno);
	if (memmem(lower, len, "-----begin", 10) && memmem(lower, len, "private key", 11))
		record(&f->signals[RISK_SECRET], "private key", path, lineno);
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
		record(&f->signals[RISK_DESTRUCTIVE], what, path, lineno);
	if (force_refspec(s, end))
		record(&f->signals[RISK_DESTRUCTIVE], "push +refspec", path, lineno);
	if (memmem(s, len, "find ", 5) && memmem(s, len, " -delete", 8))
		record(&f->signals[RISK_DESTRUCTIVE], "find -delete", path, lineno);
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
			    !memcmp(s + i, keywords[k].text, keywords[k].len))
				record(&f->signals[RISK_DESTRUCTIVE], keywords[k].text, path, lineno);
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
	if (rules->patterns_nr) {
		/* Patterns see the original text, every byte of it, in one pass (pattern.h). */
		const char *text = pattern_text(line, len, &f->scratch);

		for (size_t i = 0; i < rules->patterns_nr; i++)
			if (pattern_matches(&rules->patterns[i], text))
				record(&f->signals[RISK_PATTERN], rules->pattern_sources.v[i],
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
		record(&f->signals[RISK_HOMOGLYPH], NULL, path, lineno);
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
			record(&f->signals[RISK_BIDI], what, path, lineno);
		} else if (cls == UNICODE_INVISIBLE || cls == UNICODE_SPACE) {
			describe_cp(what, sizeof(what), cp);
			record(&f->signals[RISK_INVISIBLE], what, path, lineno);
		} else if (cls == UNICODE_CONTROL && cp >= 0x80) {
			describe_cp(what, sizeof(what), cp);
			record(&f->signals[RISK_CONTROL], what, path, lineno);
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

	if (len > LONG_LINE) {
		char what[32];

		snprintf(what, sizeof(what), "%zu bytes", len);
		record(&f->signals[RISK_LONG_LINE], what, path, lineno);
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
				record(&f->signals[RISK_CONTROL], what, path, lineno);
				break;
			}
		}
	}
	if (high)
		scan_unicode(f, path, lineno, line, len);
	if (len >= 4)
		scan_ascii_rules(f, rules, path, lineno, line, len);
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
	char *text;
};

static void add_reason(struct reason *list, size_t *nr, int points, char *text)
{
	list[*nr].points = points;
	list[*nr].order = (int)*nr;
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

static int size_points(unsigned changed)
{
	return changed >= 1000 ? 30 : changed >= 400 ? 20 : changed >= 200 ? 10 : changed >= 50 ? 5 : 0;
}

static int files_points(unsigned files)
{
	return files >= 100 ? 15 : files >= 30 ? 10 : files >= 10 ? 5 : 0;
}

static void score_totals(struct reason *list, size_t *nr, const struct risk_totals *t)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned changed = t->added + t->deleted;
	int p;

	if ((p = size_points(changed))) {
		strbuf_addf(&sb, "large change: %u lines changed (+%u -%u)", changed, t->added, t->deleted);
		add_reason(list, nr, p, strbuf_detach(&sb, NULL));
	}
	if ((p = files_points(t->files))) {
		strbuf_addf(&sb, "wide change: %u files touched", t->files);
		add_reason(list, nr, p, strbuf_detach(&sb, NULL));
	}
	if (t->deleted >= 20 && t->deleted >= 3 * t->added) {
		strbuf_addf(&sb, "deletion-heavy: %u lines deleted, %u added", t->deleted, t->added);
		if (t->deleted_files)
			strbuf_addf(&sb, ", %u files removed", t->deleted_files);
		add_reason(list, nr, 10, strbuf_detach(&sb, NULL));
	} else if (t->deleted_files) {
		strbuf_addf(&sb, "deletes %u file%s", t->deleted_files, t->deleted_files > 1 ? "s" : "");
		add_reason(list, nr, 5, strbuf_detach(&sb, NULL));
	}
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
	struct reason list[RISK_SIGNAL_MAX + RISK_CAT_MAX + 3];
	size_t nr = 0;
	int total = 0;

	for (int s = 0; s < RISK_SIGNAL_MAX; s++)
		if (f->signals[s].count)
			add_reason(list, &nr, risk_signals[s].points,
				   describe_hit(risk_signals[s].label, &f->signals[s]));
	for (int c = 0; c < RISK_CAT_MAX; c++)
		if (f->categories[c].count)
			add_reason(list, &nr, risk_categories[c].points,
				   describe_hit(risk_categories[c].label, &f->categories[c]));
	score_totals(list, &nr, totals);
	qsort(list, nr, sizeof(list[0]), compare_reasons);
	for (size_t i = 0; i < nr; i++) {
		total += list[i].points;
		if (reasons)
			strvec_pushf(reasons, "+%d %s", list[i].points, list[i].text);
		free(list[i].text);
	}
	return total > RISK_MAX ? RISK_MAX : total;
}
