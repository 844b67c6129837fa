/*
 * detect.c: AI-assisted commit detection from trailers, identities and
 * the "Generated with ..." lines of AI tools, by the rules of the registry
 * (registry.h).  Bare first names ("Claude", "Devin", "Jules") are also
 * ordinary human names, and a vendor's domain holds its staff, so
 * identities match on a tool's own addresses, bot logins and unambiguous
 * tool names only.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge/detect.h"
#include "base/error.h"
#include "git/message.h"
#include "base/pattern.h"
#include "base/strbuf.h"

int detect_rules_init(struct detect_rules *rules, const struct strvec *patterns,
		      const char *registry_path)
{
	int rc;

	memset(rules, 0, sizeof(*rules));
	if ((rc = registry_load(&rules->registry, registry_path)))
		return rc;
	if ((rc = pattern_list_compile(&rules->patterns, patterns, "revq.aiPattern")))
		detect_rules_release(rules);
	return rc;
}

void detect_rules_release(struct detect_rules *rules)
{
	pattern_list_release(&rules->patterns);
	registry_release(&rules->registry);
	memset(rules, 0, sizeof(*rules));
}

static const struct registry *registry_of(const struct detect_rules *rules)
{
	return rules && rules->registry.tools.nr ? &rules->registry : registry_default();
}

/* "NNN+login@users.noreply.github.com" or "login@users.noreply.github.com". */
static const char *github_bot(const struct registry *reg, const char *email)
{
	static const char suffix[] = "@users.noreply.github.com";
	size_t len = strlen(email), slen = sizeof(suffix) - 1;
	const char *login = email, *plus;
	char buf[128];

	if (len <= slen || strcasecmp(email + len - slen, suffix))
		return NULL;
	plus = memchr(email, '+', len - slen);
	if (plus)
		login = plus + 1;
	if ((size_t)(email + len - slen - login) >= sizeof(buf))
		return NULL;
	memcpy(buf, login, (size_t)(email + len - slen - login));
	buf[email + len - slen - login] = '\0';
	return registry_lookup(reg, REGISTRY_LOGIN, buf);
}

static int ends_with_icase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* 1 when word[0..n) starts at p and ends before a character that is not a letter or digit. */
static int is_word_at(const char *p, const char *word, size_t n)
{
	return !strncasecmp(p, word, n) && !isalnum((unsigned char)p[n]);
}

/* The tool whose name-prefix or name-suffix rule name matches. */
static const char *name_affix_tool(const struct registry *reg, const char *name)
{
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const struct registry_rule *r = &reg->rules[i];
		size_t n = strlen(r->text);

		if (r->kind == REGISTRY_NAME_PREFIX && is_word_at(name, r->text, n))
			return r->tool;
		if (r->kind == REGISTRY_NAME_SUFFIX && ends_with_icase(name, r->text))
			return r->tool;
	}
	return NULL;
}

static const char *identity_tool(const struct registry *reg, const char *name, const char *email)
{
	const char *tool;

	if (email && *email) {
		if ((tool = registry_lookup(reg, REGISTRY_EMAIL, email)))
			return tool;
		if ((tool = github_bot(reg, email)))
			return tool;
	}
	if (name && *name) {
		if ((tool = registry_lookup(reg, REGISTRY_NAME, name)))
			return tool;
		if (strchr(name, '[') && (tool = registry_lookup(reg, REGISTRY_LOGIN, name)))
			return tool;
		if ((tool = name_affix_tool(reg, name)))
			return tool;
	}
	return NULL;
}

const char *detect_identity_tool(const struct detect_rules *rules, const char *name,
				 const char *email)
{
	return identity_tool(registry_of(rules), name, email);
}

const char *detect_ai_identity(const char *name, const char *email)
{
	return identity_tool(registry_default(), name, email);
}

size_t detect_marker_tool(const char *marker, const char **tool)
{
	size_t n = strlen(marker);
	const char *open;

	*tool = NULL;
	if (!n || marker[n - 1] != ')')
		return 0;
	for (open = marker + n - 1; open > marker && *open != '('; open--)
		;
	if (*open != '(' || open == marker || open[-1] != ' ')
		return 0;
	*tool = open + 1;
	return (size_t)(marker + n - 1 - *tool);
}

/* The tool of any identity of "A <a@x>, B <b@x>", or NULL. */
static const char *identities_tool(const struct registry *reg, const char *value)
{
	struct strvec names = STRVEC_INIT, emails = STRVEC_INIT;
	size_t n = message_split_identities(&names, &emails, value);
	const char *tool = NULL;

	for (size_t i = 0; i < n && !tool; i++)
		tool = identity_tool(reg, names.v[i], emails.v[i]);
	strvec_clear(&names);
	strvec_clear(&emails);
	return tool;
}

static int has_digit(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (isdigit((unsigned char)s[k]))
			return 1;
	return 0;
}

/* "GPT-5", "Claude Fable 5": a model word at the start of s[0..n), and a digit in it. */
static const char *model_tool(const struct registry *reg, const char *s, size_t n)
{
	if (!has_digit(s, n))
		return NULL;
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const struct registry_rule *r = &reg->rules[i];
		size_t len = strlen(r->text);

		if (r->kind == REGISTRY_MODEL && len <= n && !strncasecmp(s, r->text, len) &&
		    !isalpha((unsigned char)s[len]))
			return r->tool;
	}
	return NULL;
}

/* A registry name as whole words anywhere in text ("GLM-4.7 via Crush"). */
static const char *named_tool(const struct registry *reg, const char *text)
{
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const struct registry_rule *r = &reg->rules[i];
		size_t n = strlen(r->text);

		if (r->kind != REGISTRY_NAME)
			continue;
		for (const char *hit = strcasestr(text, r->text); hit; hit = strcasestr(hit + 1, r->text))
			if ((hit == text || !isalnum((unsigned char)hit[-1])) && is_word_at(hit, r->text, n))
				return r->tool;
	}
	return NULL;
}

/* The entry an agent's name belongs to: a tool's name, an identity, a model or generator word. */
static const char *agent_tool(const struct registry *reg, const char *agent)
{
	const char *tool;

	for (size_t i = 0; reg && i < reg->tools.nr; i++)
		if (!strcasecmp(reg->tools.v[i], agent))
			return reg->tools.v[i];
	if ((tool = identity_tool(reg, agent, NULL)) || (tool = named_tool(reg, agent)))
		return tool;
	if ((tool = registry_lookup(reg, REGISTRY_MODEL, agent)))
		return tool;
	return registry_lookup(reg, REGISTRY_GENERATOR, agent);
}

/*
 * The kernel's "AGENT:MODEL [TOOL...]": a first word with text on both
 * sides of a colon (not a URL).  The agent's registry entry, or the
 * unnamed tool.
 */
static const char *kernel_form_tool(const struct registry *reg, const char *value)
{
	size_t word = strcspn(value, " \t"), colon = strcspn(value, ":");
	char *agent;
	const char *tool;

	if (colon == 0 || colon + 1 >= word || strstr(value, "//"))
		return NULL;
	agent = xstrndup(value, colon);
	tool = agent_tool(reg, agent);
	free(agent);
	return tool ? tool : "unnamed AI tool";
}

/* Assisted-by names a tool or a model, not a person (detect.h). */
static const char *assisted_by_tool(const struct registry *reg, const char *value)
{
	const char *tool;
	const char *via = strcasestr(value, " via ");

	if ((tool = kernel_form_tool(reg, value)))
		return tool;
	if (via && (tool = named_tool(reg, via + 5)))   /* "MODEL via TOOL": the tool */
		return tool;
	if ((tool = identities_tool(reg, value)))
		return tool;
	if (strchr(value, '<')) {   /* a name and an address: the name may still be a model */
		size_t n = strcspn(value, "<");

		return model_tool(reg, value, n);
	}
	if ((tool = named_tool(reg, value)))
		return tool;
	return model_tool(reg, value, strlen(value));
}

/* The tool a trailer marks, or NULL. */
static const char *trailer_tool(const struct registry *reg, const struct trailer *t)
{
	if (message_trailer_is(t, "Assisted-by"))
		return assisted_by_tool(reg, t->value);
	if (message_trailer_is(t, "Co-authored-by") || message_trailer_is(t, "Co-developed-by"))
		return identities_tool(reg, t->value);
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const struct registry_rule *r = &reg->rules[i];

		if (r->kind == REGISTRY_TRAILER && message_trailer_is(t, r->text))
			return r->tool;
		if (r->kind == REGISTRY_TRAILER_VALUE && message_trailer_is(t, r->text) &&
		    !strcasecmp(t->value, r->value))
			return r->tool;
	}
	return NULL;
}

static int matches_config(const struct detect_rules *rules, const char *text)
{
	struct strbuf scratch = STRBUF_INIT;
	const char *prepared;
	int found = 0;

	if (!rules->patterns.nr)
		return 0;
	prepared = pattern_text(text, strlen(text), &scratch);   /* linear, see pattern.h */
	for (size_t i = 0; i < rules->patterns.nr && !found; i++)
		found = pattern_matches(&rules->patterns.v[i], prepared);
	strbuf_release(&scratch);
	return found;
}

static int has_marker(const struct strvec *markers, size_t from, const char *marker)
{
	for (size_t i = from; i < markers->nr; i++)
		if (!strcmp(markers->v[i], marker))
			return 1;
	return 0;
}

static void check_trailers(struct strvec *markers, const struct detect_rules *rules,
			   const struct message *msg, size_t from)
{
	const struct registry *reg = registry_of(rules);
	struct strbuf line = STRBUF_INIT, marker = STRBUF_INIT;

	for (size_t i = 0; i < msg->trailers_nr; i++) {
		const struct trailer *t = &msg->trailers[i];
		const char *tool;

		strbuf_reset(&line);
		strbuf_reset(&marker);
		strbuf_addf(&line, "%s: %s", t->key, t->value);
		if ((tool = trailer_tool(reg, t)))
			strbuf_addf(&marker, "trailer %s (%s)", line.buf, tool);
		else if (matches_config(rules, line.buf))
			strbuf_addf(&marker, "trailer %s (revq.aiPattern)", line.buf);
		if (marker.len && !has_marker(markers, from, marker.buf))
			strvec_push(markers, marker.buf);
	}
	strbuf_release(&line);
	strbuf_release(&marker);
}

static int is_bullet(const char *p, size_t len)
{
	return len > 2 && p[0] == '*' && p[1] == ' ';
}

/* GitHub's squash-merge separator: a line of three or more '-' alone. */
static int is_dash_rule(const char *p, size_t len)
{
	if (len < 3)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] != '-')
			return 0;
	return 1;
}

/*
 * A GitHub squash merge lists its commits as "* subject" paragraphs, each
 * followed by that commit's body and trailers, then "---------" and the
 * co-authors.  Each commit's trailer blocks count as they would have in
 * the commit itself: every "* " paragraph up to the next one (or the
 * rule) is read as a message of its own.
 */
static void check_squash_commits(struct strvec *markers, const struct detect_rules *rules,
				 const char *message, size_t from)
{
	struct lines it = LINES_INIT(message, strlen(message));
	const char *p, *start = NULL;
	size_t len;
	int blank_before = 0, first = 1;

	for (;;) {
		int more = lines_next(&it, &p, &len);
		size_t n = more && len && p[len - 1] == '\r' ? len - 1 : len;
		int ends = !more || (blank_before && is_bullet(p, n)) || is_dash_rule(p, n);

		if (start && ends) {
			struct message part;
			char *text = xstrndup(start, (size_t)((more ? p : message + strlen(message)) - start));

			message_parse(&part, text);
			check_trailers(markers, rules, &part, from);
			message_release(&part);
			free(text);
			start = NULL;
		}
		if (!more)
			break;
		if (!first && blank_before && is_bullet(p, n))
			start = p;
		blank_before = n == 0;
		first = 0;
	}
}

/* A Markdown code fence: "```" or "~~~" after at most three blanks. */
static int is_fence(const char *p, size_t len)
{
	size_t i = 0;

	while (i < 3 && i < len && p[i] == ' ')
		i++;
	return len - i >= 3 && (!strncmp(p + i, "```", 3) || !strncmp(p + i, "~~~", 3));
}

/* Reads paragraph [start, end) of n lines as a message's trailer block, if all of it is trailers. */
static void check_paragraph(struct strvec *markers, const struct detect_rules *rules,
			    const char *start, const char *end, size_t n, size_t from)
{
	struct strbuf text = STRBUF_INIT;
	struct message part;

	strbuf_addstr(&text, "x\n\n");
	strbuf_add(&text, start, (size_t)(end - start));
	message_parse_git(&part, text.buf, MESSAGE_NO_DIVIDER);
	if (part.trailers_nr == n)
		check_trailers(markers, rules, &part, from);
	message_release(&part);
	strbuf_release(&text);
}

/*
 * A paragraph of trailers only, inside the message rather than at its end
 * ("Co-authored-by: Claude <...>" and then a "Resume this session"
 * paragraph, or a PR body's draft in <details> followed by more text),
 * counts as the trailer block it would be at the end.  Paragraphs in a
 * Markdown code fence are examples, not trailers, and so are indented
 * lines (git's continuation lines never start a paragraph).
 */
static void check_inner_paragraphs(struct strvec *markers, const struct detect_rules *rules,
				   const char *message, size_t from)
{
	size_t size = strlen(message), len, n = 0;
	struct lines it = LINES_INIT(message, size);
	const char *p, *start = NULL, *end = NULL;
	int fenced = 0, title = 1;

	for (;;) {
		int more = lines_next(&it, &p, &len);
		size_t l = more && len && p[len - 1] == '\r' ? len - 1 : len;

		if (more && l && !is_fence(p, l)) {
			if (!start)
				start = p;
			end = p + len < message + size ? p + len + 1 : p + len;
			n++;
			continue;
		}
		/* The end of a paragraph: the title is not one, nor an indented or fenced one. */
		if (start && !title && !fenced && start[0] != ' ' && start[0] != '\t')
			check_paragraph(markers, rules, start, end, n, from);
		title = title && !start;
		start = NULL;
		n = 0;
		if (!more)
			break;
		fenced ^= is_fence(p, l);
	}
}

static void check_identity(struct strvec *markers, const struct detect_rules *rules,
			   const char *role, const struct detect_identity *id)
{
	struct strbuf text = STRBUF_INIT;
	const char *tool;

	if (!id || (!id->name && !id->email))
		return;
	strbuf_addf(&text, "%s <%s>", id->name ? id->name : "", id->email ? id->email : "");
	tool = detect_identity_tool(rules, id->name, id->email);
	if (tool)
		strvec_pushf(markers, "%s %s (%s)", role, text.buf, tool);
	else if (matches_config(rules, text.buf))
		strvec_pushf(markers, "%s %s (revq.aiPattern)", role, text.buf);
	strbuf_release(&text);
}

/* "Generated with [Claude Code](...)", possibly behind an emoji: its tool, or NULL. */
static const char *generator_tool(const struct registry *reg, const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	char buf[512];

	while (p < end && !isalpha((unsigned char)*p))
		p++;
	if ((size_t)(end - p) < 14 || (strncasecmp(p, "Generated with ", 15) &&
				       strncasecmp(p, "Generated by ", 13)))
		return NULL;
	len = (size_t)(end - p) < sizeof(buf) - 1 ? (size_t)(end - p) : sizeof(buf) - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const char *word = reg->rules[i].text;
		size_t n = strlen(word);

		if (reg->rules[i].kind != REGISTRY_GENERATOR)
			continue;
		/* Whole words only ("AI" is not in "MAIL"), at any of its occurrences. */
		for (const char *hit = strcasestr(buf + 13, word); hit; hit = strcasestr(hit + 1, word))
			if (!isalnum((unsigned char)hit[-1]) && is_word_at(hit, word, n))
				return reg->rules[i].tool;
	}
	return NULL;
}

static void check_subject(struct strvec *markers, const struct registry *reg, const char *subject)
{
	for (size_t i = 0; reg && i < reg->nr; i++) {
		const struct registry_rule *r = &reg->rules[i];
		size_t n = strlen(r->text);

		if (r->kind == REGISTRY_SUBJECT_PREFIX && !strncasecmp(subject, r->text, n) &&
		    (subject[n] == ' ' || subject[n] == '\0')) {
			strvec_pushf(markers, "subject prefix \"%s \" (%s)", r->text, r->tool);
			return;
		}
	}
}

static void check_body(struct strvec *markers, const struct detect_rules *rules,
		       const char *message, const struct message *msg)
{
	const struct registry *reg = registry_of(rules);
	struct lines it = LINES_INIT(message, strlen(message));
	const char *p, *tool;
	size_t len;

	check_subject(markers, reg, msg->subject);
	while (lines_next(&it, &p, &len)) {
		if (len && p[len - 1] == '\r')
			len--;
		if ((tool = generator_tool(reg, p, len))) {
			char *line = xstrndup(p, len);

			strvec_pushf(markers, "message %s (%s)", line, tool);
			free(line);
		}
	}
}

size_t detect_markers(struct strvec *markers, const struct detect_rules *rules,
		      const char *message, const struct detect_identity *author,
		      const struct detect_identity *committer)
{
	struct message msg;
	size_t before = markers->nr;

	message_parse(&msg, message);
	check_identity(markers, rules, "author", author);
	check_identity(markers, rules, "committer", committer);
	check_trailers(markers, rules, &msg, before);
	check_squash_commits(markers, rules, message ? message : "", before);
	check_inner_paragraphs(markers, rules, message ? message : "", before);
	check_body(markers, rules, message ? message : "", &msg);
	message_release(&msg);
	return markers->nr - before;
}
