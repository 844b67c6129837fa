/*
 * policy.c: the review policy, the gate's trust root.  It comes from the
 * target ref's tree only, is parsed with libgit2's config parser, and is
 * strict: anything it does not understand fails the gate closed.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/glob.h"
#include "decide/policy.h"
#include "judge/item.h"
#include "base/strbuf.h"
#include "sign/sigparse.h"

const char *level_name(enum level level)
{
	switch (level) {
	case LEVEL_JUNIOR: return "junior";
	case LEVEL_MID: return "mid";
	case LEVEL_SENIOR: return "senior";
	default: return "none";
	}
}

int level_parse(enum level *out, const char *name)
{
	for (enum level l = LEVEL_JUNIOR; l <= LEVEL_SENIOR; l++) {
		if (!strcasecmp(name, level_name(l))) {
			*out = l;
			return 0;
		}
	}
	return -1;
}

static void needs_free(struct policy_need *needs, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(needs[i].team);
	free(needs);
}

void policy_release(struct policy *p)
{
	for (size_t i = 0; i < p->reviewers_nr; i++)
		free(p->reviewers[i].email);
	for (size_t i = 0; i < p->tiers_nr; i++) {
		free(p->tiers[i].name);
		needs_free(p->tiers[i].needs, p->tiers[i].needs_nr);
	}
	for (size_t i = 0; i < p->paths_nr; i++) {
		free(p->paths[i].glob);
		needs_free(p->paths[i].needs, p->paths[i].needs_nr);
	}
	for (size_t i = 0; i < p->persons_nr; i++) {
		free(p->persons[i].name);
		strvec_clear(&p->persons[i].emails);
		strvec_clear(&p->persons[i].keys);
	}
	for (size_t i = 0; i < p->teams_nr; i++) {
		free(p->teams[i].name);
		strvec_clear(&p->teams[i].members);
		free(p->teams[i].people);
	}
	free(p->persons);
	free(p->teams);
	free(p->reviewers);
	free(p->tiers);
	free(p->paths);
	free(p->origin);
	free(p->allowed_signers_path);
	free(p->allowed_signers);
	free(p->allowed_origin);
	memset(p, 0, sizeof(*p));
}

/* ---- parsing ---- */

struct name {
	char section[64];
	char *subsection;   /* owned, may be NULL */
	char key[64];
};

/* Splits "section.sub.section.key" (libgit2 lower-cases section and key). */
static int split_name(struct name *n, const char *full)
{
	const char *first = strchr(full, '.'), *last = strrchr(full, '.');

	if (!first || (size_t)(first - full) >= sizeof(n->section) || strlen(last + 1) >= sizeof(n->key))
		return -1;
	memcpy(n->section, full, (size_t)(first - full));
	n->section[first - full] = '\0';
	strcpy(n->key, last + 1);
	n->subsection = first == last ? NULL : xstrndup(first + 1, (size_t)(last - first - 1));
	return 0;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Two addresses as written, blanks around them aside, without case. */
static int same_address(const char *a, const char *b)
{
	size_t na, nb;

	a = skip_blanks(a);
	b = skip_blanks(b);
	for (na = strlen(a); na && (a[na - 1] == ' ' || a[na - 1] == '\t'); na--)
		;
	for (nb = strlen(b); nb && (b[nb - 1] == ' ' || b[nb - 1] == '\t'); nb--)
		;
	return na && na == nb && !strncasecmp(a, b, na);
}

static struct policy_reviewer *reviewer_for(struct policy *p, const char *email)
{
	for (size_t i = 0; i < p->reviewers_nr; i++)
		if (same_address(p->reviewers[i].email, email))
			return &p->reviewers[i];
	ALLOC_GROW(p->reviewers, p->reviewers_nr + 1, p->reviewers_alloc);
	p->reviewers[p->reviewers_nr].email = xstrdup(email);
	p->reviewers[p->reviewers_nr].level = LEVEL_NONE;
	return &p->reviewers[p->reviewers_nr++];
}

static struct policy_tier *tier_for(struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->tiers_nr; i++)
		if (!strcmp(p->tiers[i].name, name))
			return &p->tiers[i];
	ALLOC_GROW(p->tiers, p->tiers_nr + 1, p->tiers_alloc);
	memset(&p->tiers[p->tiers_nr], 0, sizeof(p->tiers[0]));
	p->tiers[p->tiers_nr].name = xstrdup(name);
	p->tiers[p->tiers_nr].min_risk = -1;
	p->tiers[p->tiers_nr].level = LEVEL_JUNIOR;
	p->tiers[p->tiers_nr].approvals = 1;
	p->tiers[p->tiers_nr].order = (int)p->tiers_nr;
	return &p->tiers[p->tiers_nr++];
}

/* The [person "NAME"] of that name (not a person made from a bare address), or -1. */
static long person_index_by_name(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->persons_nr; i++)
		if (!p->persons[i].legacy && !strcmp(p->persons[i].name, name))
			return (long)i;
	return -1;
}

/* The [team "NAME"] of that name, or -1. */
static long team_index_by_name(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->teams_nr; i++)
		if (!strcmp(p->teams[i].name, name))
			return (long)i;
	return -1;
}

static struct policy_person *person_for(struct policy *p, const char *name)
{
	long i = person_index_by_name(p, name);

	if (i >= 0)
		return &p->persons[i];
	ALLOC_GROW(p->persons, p->persons_nr + 1, p->persons_alloc);
	memset(&p->persons[p->persons_nr], 0, sizeof(p->persons[0]));
	p->persons[p->persons_nr].name = xstrdup(name);
	return &p->persons[p->persons_nr++];
}

static struct policy_team *team_for(struct policy *p, const char *name)
{
	long i = team_index_by_name(p, name);

	if (i >= 0)
		return &p->teams[i];
	ALLOC_GROW(p->teams, p->teams_nr + 1, p->teams_alloc);
	memset(&p->teams[p->teams_nr], 0, sizeof(p->teams[0]));
	p->teams[p->teams_nr].name = xstrdup(name);
	return &p->teams[p->teams_nr++];
}

static struct policy_path *path_for(struct policy *p, const char *glob)
{
	for (size_t i = 0; i < p->paths_nr; i++)
		if (!strcmp(p->paths[i].glob, glob))
			return &p->paths[i];
	ALLOC_GROW(p->paths, p->paths_nr + 1, p->paths_alloc);
	memset(&p->paths[p->paths_nr], 0, sizeof(p->paths[0]));
	p->paths[p->paths_nr].glob = xstrdup(glob);
	return &p->paths[p->paths_nr++];
}

static int bad(const char *origin, const char *name, const char *value, const char *why)
{
	return error_set(REVQ_ERROR, "%s: %s = '%s': %s", origin, name, value, why);
}

static int parse_count(unsigned *out, const char *v, unsigned max)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 1 || (unsigned long)n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* SHA256 fingerprint of an ssh public key line "TYPE BASE64 [comment]"; NULL when it is not one. */
static char *ssh_key_fingerprint(const char *key)
{
	const char *b64 = strchr(key, ' '), *end;
	unsigned char *blob;
	size_t len;
	char *fp;

	if (!b64 || (strncmp(key, "ssh-", 4) && strncmp(key, "ecdsa-", 6) && strncmp(key, "sk-", 3)))
		return NULL;
	while (*b64 == ' ')
		b64++;
	end = b64 + strcspn(b64, " \t");
	if (!(blob = sigparse_base64_decode(&len, b64, (size_t)(end - b64))) || len < 4) {
		free(blob);
		return NULL;
	}
	fp = sigparse_ssh_fingerprint(blob, len);
	free(blob);
	return fp;
}

char *policy_key_normalize(const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	key = skip_blanks(key);
	if (!strncmp(key, "SHA256:", 7)) {
		size_t n = strcspn(key + 7, " \t");

		if (n < 40 || *skip_blanks(key + 7 + n))
			return NULL;
		return xstrndup(key, 7 + n);
	}
	if (strspn(key, "0123456789abcdefABCDEF \t") != strlen(key))
		return ssh_key_fingerprint(key);
	for (const char *c = key; *c; c++)
		if (*c != ' ' && *c != '\t')
			strbuf_addch(&sb, (char)(*c >= 'a' && *c <= 'f' ? *c - 'a' + 'A' : *c));
	if (sb.len != 40 && sb.len != 64) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* "N [LEVEL] [from|of [team] TEAM]": one need; -1 when it is not one. */
static int parse_need(struct policy_need *out, const char *v)
{
	char word[64];
	const char *s = skip_blanks(v);
	size_t n;

	memset(out, 0, sizeof(*out));
	out->level = LEVEL_JUNIOR;
	n = strspn(s, "0123456789");
	if (!n || n >= sizeof(word))
		return -1;
	memcpy(word, s, n);
	word[n] = '\0';
	if (parse_count(&out->count, word, 20))
		return -1;
	for (s = skip_blanks(s + n); *s; s = skip_blanks(s + n)) {
		n = strcspn(s, " \t");
		if (n >= sizeof(word))
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		if (!out->team && (!strcasecmp(word, "from") || !strcasecmp(word, "of"))) {
			s = skip_blanks(s + n);
			if (!strncasecmp(s, "team", 4) && (s[4] == ' ' || s[4] == '\t'))
				s = skip_blanks(s + 4);
			n = strcspn(s, " \t");
			if (!n || s[n + strspn(s + n, " \t")])
				return -1;
			out->team = xstrndup(s, n);
			return 0;
		}
		if (out->level != LEVEL_JUNIOR || level_parse(&out->level, word)) {
			if (strcasecmp(word, "approval") && strcasecmp(word, "approvals"))
				return -1;
		}
	}
	return 0;
}

static int add_need(struct policy_need **needs, size_t *nr, size_t *alloc, const char *origin,
		    const char *full, const char *v)
{
	struct policy_need need;

	if (parse_need(&need, v)) {
		free(need.team);
		return bad(origin, full, v, "not a requirement (use COUNT [LEVEL] [from TEAM], "
			   "e.g. 1 senior, 1 from security, 2)");
	}
	ALLOC_GROW(*needs, *nr + 1, *alloc);
	(*needs)[(*nr)++] = need;
	return 0;
}

static int apply_person(struct policy *p, const struct name *n, const char *full, const char *v,
			const char *origin)
{
	struct policy_person *who = person_for(p, n->subsection);
	char *key;

	if (!strcmp(n->key, "email")) {
		if (!strchr(v, '@'))
			return bad(origin, full, v, "not an address");
		strvec_push(&who->emails, v);
		return 0;
	}
	if (!strcmp(n->key, "key")) {
		if (!(key = policy_key_normalize(v)))
			return bad(origin, full, v, "not a key (an ssh public key, SHA256:... or an "
				   "OpenPGP fingerprint)");
		strvec_push_nodup(&who->keys, key);
		return 0;
	}
	if (!strcmp(n->key, "level")) {
		if (level_parse(&who->level, v))
			return bad(origin, full, v, "unknown level (use junior, mid or senior)");
		return 0;
	}
	return error_set(REVQ_ERROR, "%s: unknown setting '%s'", origin, full);
}

static int apply_entry(struct policy *p, const struct name *n, const char *full, const char *v,
		       const char *origin)
{
	enum level level;
	unsigned count;

	if (!strcmp(n->section, "revq") && !n->subsection) {
		if (!strcmp(n->key, "allowedsigners")) {
			free(p->allowed_signers_path);
			p->allowed_signers_path = xstrdup(v);
			return 0;
		}
		if (!strcmp(n->key, "carryoverrebase")) {
			int b;

			if (git_config_parse_bool(&b, v))
				return git_error_clear(), bad(origin, full, v, "not a boolean");
			p->carry_over_rebase = b;
			return 0;
		}
		if (!strcmp(n->key, "requiresignedcommits")) {
			int b;

			if (git_config_parse_bool(&b, v))
				return git_error_clear(), bad(origin, full, v, "not a boolean");
			p->require_signed_commits = b;
			return 0;
		}
		if (!strcmp(n->key, "gate")) {
			if (strcasecmp(v, "ai") && strcasecmp(v, "all"))
				return bad(origin, full, v, "gate must be ai or all");
			p->gate_all = !strcasecmp(v, "all");
			return 0;
		}
	} else if (!strcmp(n->section, "person") && n->subsection) {
		return apply_person(p, n, full, v, origin);
	} else if (!strcmp(n->section, "team") && n->subsection && !strcmp(n->key, "member")) {
		if (!*skip_blanks(v))
			return bad(origin, full, v, "a member is a person's name or an address");
		strvec_push(&team_for(p, n->subsection)->members, v);
		return 0;
	} else if (!strcmp(n->section, "reviewer") && n->subsection && !strcmp(n->key, "level")) {
		if (!strchr(n->subsection, '@'))
			return bad(origin, full, n->subsection, "a reviewer is named by an address");
		if (level_parse(&level, v))
			return bad(origin, full, v, "unknown level (use junior, mid or senior)");
		reviewer_for(p, n->subsection)->level = level;
		return 0;
	} else if (!strcmp(n->section, "tier") && n->subsection) {
		struct policy_tier *t = tier_for(p, n->subsection);

		if (!strcmp(n->key, "minrisk")) {
			char *end;
			long r = strtol(v, &end, 10);

			if (!*v || *end || r < 0 || r > 100)
				return bad(origin, full, v, "minRisk must be a number from 0 to 100");
			t->min_risk = (int)r;
			return 0;
		}
		if (!strcmp(n->key, "level")) {
			if (level_parse(&t->level, v))
				return bad(origin, full, v, "unknown level (use junior, mid or senior)");
			t->legacy_keys = 1;
			return 0;
		}
		if (!strcmp(n->key, "approvals")) {
			if (parse_count(&t->approvals, v, 20))
				return bad(origin, full, v, "approvals must be a number from 1 to 20");
			t->legacy_keys = 1;
			return 0;
		}
		if (!strcmp(n->key, "authorlevel")) {
			if (level_parse(&t->author_level, v))
				return bad(origin, full, v, "unknown level (use junior, mid or senior)");
			return 0;
		}
		if (!strcmp(n->key, "require"))
			return add_need(&t->needs, &t->needs_nr, &t->needs_alloc, origin, full, v);
	} else if (!strcmp(n->section, "path") && n->subsection) {
		struct policy_path *pp;
		const char *why;

		/* A rule that can match nothing would protect nothing: refuse it. */
		if (glob_check(n->subsection, &why))
			return error_set(REVQ_ERROR, "%s: [path \"%.64s%s\"]: the glob is %s", origin,
					 n->subsection, strlen(n->subsection) > 64 ? "..." : "", why);
		pp = path_for(p, n->subsection);

		if (!strcmp(n->key, "level")) {
			if (level_parse(&pp->level, v))
				return bad(origin, full, v, "unknown level (use junior, mid or senior)");
			pp->legacy_keys = 1;
			return 0;
		}
		if (!strcmp(n->key, "approvals")) {
			if (parse_count(&count, v, 20))
				return bad(origin, full, v, "approvals must be a number from 1 to 20");
			pp->approvals = count;
			pp->legacy_keys = 1;
			return 0;
		}
		if (!strcmp(n->key, "require"))
			return add_need(&pp->needs, &pp->needs_nr, &pp->needs_alloc, origin, full, v);
	}
	return error_set(REVQ_ERROR, "%s: unknown setting '%s'", origin, full);
}

static int compare_tiers(const void *a, const void *b)
{
	const struct policy_tier *x = a, *y = b;

	if (x->min_risk != y->min_risk)
		return x->min_risk - y->min_risk;
	return x->order - y->order;
}

/* Includes would read files outside the target tree; a trust root must not. */
static int has_include(const char *text, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++)
		if (text[i] == '[' && !strncasecmp(text + i + 1, "include", 7))
			return 1;
	return 0;
}

/*
 * The line of a quote left open at the end of its line, or 0.  libgit2 1.5
 * reads 'minRisk = "1' as 1 where git refuses the file; a trust root
 * should not mean something git would not.
 */
static int unclosed_quote_line(const char *text, size_t len)
{
	int quoted = 0, line = 1;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '\\' && i + 1 < len) {
			line += text[++i] == '\n';   /* an escape, or a continued line */
		} else if (c == '"') {
			quoted = !quoted;
		} else if (!quoted && (c == '#' || c == ';')) {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
		} else if (c == '\n') {
			if (quoted)
				return line;
			line++;
		}
	}
	return quoted ? line : 0;
}

static int read_entries(struct policy *p, git_config *cfg, const char *origin)
{
	git_config_iterator *it;
	git_config_entry *e;
	int rc = 0;

	if (git_config_iterator_new(&it, cfg))
		return error_set_git(REVQ_ERROR, "%s: cannot read", origin);
	while (!rc && !git_config_next(&e, it)) {
		struct name n = { "", NULL, "" };

		if (split_name(&n, e->name))
			rc = error_set(REVQ_ERROR, "%s: unknown setting '%s'", origin, e->name);
		else
			rc = apply_entry(p, &n, e->name, e->value ? e->value : "", origin);
		free(n.subsection);
	}
	git_config_iterator_free(it);
	git_error_clear();
	return rc;
}

/* A rule's needs name teams that exist; it says them one way (require) or the other. */
static int check_needs(const struct policy *p, const char *origin, const char *what, const char *name,
		       const struct policy_need *needs, size_t nr, int legacy_keys)
{
	if (nr && legacy_keys)
		return error_set(REVQ_ERROR, "%s: [%s \"%s\"] has both require and level or approvals: "
				 "use one or the other", origin, what, name);
	for (size_t i = 0, total = 0; i < nr; i++)
		if ((total += needs[i].count) > 20)
			return error_set(REVQ_ERROR, "%s: [%s \"%s\"] requires more than 20 approvals",
					 origin, what, name);
	for (size_t i = 0; i < nr; i++)
		if (needs[i].team && team_index_by_name(p, needs[i].team) < 0)
			return error_set(REVQ_ERROR, "%s: [%s \"%s\"] requires team \"%s\", which the "
					 "policy does not define", origin, what, name, needs[i].team);
	return 0;
}

static long person_index_by_email(const struct policy *p, const char *email)
{
	for (size_t i = 0; i < p->persons_nr; i++)
		for (size_t k = 0; k < p->persons[i].emails.nr; k++)
			if (same_address(p->persons[i].emails.v[k], email))
				return (long)i;
	return -1;
}

/* A person of one address, named by it (a [reviewer], or a team's bare address); its index. */
static long add_address_person(struct policy *p, const char *email, enum level level)
{
	struct policy_person *who;

	ALLOC_GROW(p->persons, p->persons_nr + 1, p->persons_alloc);
	who = &p->persons[p->persons_nr];
	memset(who, 0, sizeof(*who));
	who->name = xstrdup(email);
	strvec_push(&who->emails, email);
	who->level = level;
	who->legacy = 1;
	return (long)p->persons_nr++;
}

/* [reviewer "email"] sections become people of one address each; an address belongs to one person. */
static int merge_reviewers(struct policy *p, const char *origin)
{
	for (size_t i = 0; i < p->persons_nr; i++) {
		for (size_t k = 0; k < p->persons[i].emails.nr; k++) {
			long other = person_index_by_email(p, p->persons[i].emails.v[k]);

			if (other >= 0 && (size_t)other != i)
				return error_set(REVQ_ERROR, "%s: address %s belongs to both person \"%s\" "
						 "and person \"%s\"", origin, p->persons[i].emails.v[k],
						 p->persons[other].name, p->persons[i].name);
		}
		if (!p->persons[i].emails.nr && !p->persons[i].keys.nr)
			return error_set(REVQ_ERROR, "%s: person \"%s\" has no email and no key", origin,
					 p->persons[i].name);
	}
	for (size_t i = 0; i < p->reviewers_nr; i++) {
		long other = person_index_by_email(p, p->reviewers[i].email);

		if (other >= 0)
			return error_set(REVQ_ERROR, "%s: reviewer %s is also an address of person \"%s\": "
					 "give the level once, in the person", origin,
					 p->reviewers[i].email, p->persons[other].name);
		add_address_person(p, p->reviewers[i].email, p->reviewers[i].level);
	}
	return 0;
}

/* Team members by person name, else by address; an address nobody has is a junior of its own. */
static int resolve_teams(struct policy *p, const char *origin)
{
	for (size_t t = 0; t < p->teams_nr; t++) {
		struct policy_team *team = &p->teams[t];

		team->people = xcalloc(team->members.nr + 1, sizeof(*team->people));
		for (size_t m = 0; m < team->members.nr; m++) {
			const char *member = team->members.v[m];
			long who = person_index_by_name(p, member);

			if (who < 0)
				who = person_index_by_email(p, member);
			if (who < 0 && !strchr(member, '@'))
				return error_set(REVQ_ERROR, "%s: team \"%s\": member '%s' is neither a person "
						 "nor an address", origin, team->name, member);
			if (who < 0)
				who = add_address_person(p, skip_blanks(member), LEVEL_NONE);
			team->people[team->people_nr++] = (size_t)who;
		}
	}
	return 0;
}

static int check_people(struct policy *p, const char *origin)
{
	int rc;

	if ((rc = merge_reviewers(p, origin)) || (rc = resolve_teams(p, origin)))
		return rc;
	for (size_t i = 0; i < p->persons_nr; i++)
		for (size_t k = 0; k < p->persons[i].keys.nr; k++) {
			long other = policy_person_by_key(p, p->persons[i].keys.v[k]);

			if (other >= 0 && (size_t)other != i)
				return error_set(REVQ_ERROR, "%s: key %s belongs to both person \"%s\" and "
						 "person \"%s\"", origin, p->persons[i].keys.v[k],
						 p->persons[other].name, p->persons[i].name);
		}
	for (size_t i = 0; i < p->tiers_nr; i++)
		if ((rc = check_needs(p, origin, "tier", p->tiers[i].name, p->tiers[i].needs,
				      p->tiers[i].needs_nr, p->tiers[i].legacy_keys)))
			return rc;
	for (size_t i = 0; i < p->paths_nr; i++)
		if ((rc = check_needs(p, origin, "path", p->paths[i].glob, p->paths[i].needs,
				      p->paths[i].needs_nr, p->paths[i].legacy_keys)))
			return rc;
	return 0;
}

static int check_tiers(struct policy *p, const char *origin)
{
	for (size_t i = 0; i < p->tiers_nr; i++)
		if (p->tiers[i].min_risk < 0)
			return error_set(REVQ_ERROR, "%s: tier \"%s\" has no minRisk", origin,
					 p->tiers[i].name);
	if (p->tiers_nr > 1)
		qsort(p->tiers, p->tiers_nr, sizeof(*p->tiers), compare_tiers);
	return 0;
}

/* The one error for a policy that is not git-config syntax; line 0 when unknown. */
static int syntax_error(const char *origin, long line, const char *why, int why_len)
{
	if (line > 0)
		return error_set(REVQ_ERROR, "%s:%ld: not valid git-config syntax: %.*s", origin, line,
				 why_len, why);
	return error_set(REVQ_ERROR, "%s: not valid git-config syntax: %.*s", origin, why_len, why);
}

/*
 * libgit2 names the file it parsed, which here is a temporary copy:
 * report the line in the policy instead of a path that no longer exists.
 */
static int parser_error(const char *origin, const char *temp_path)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "";
	const char *in = strstr(msg, temp_path);
	int cut = (int)strlen(msg);
	long line = 0;

	if (in && in - msg >= 5 && !strncmp(in - 5, " (in ", 5)) {
		cut = (int)(in - msg - 5);
		if (in[strlen(temp_path)] == ':')
			line = strtol(in + strlen(temp_path) + 1, NULL, 10);
	}
	return syntax_error(origin, line, msg, cut);
}

int policy_parse(struct policy *out, const char *text, size_t len, const char *origin)
{
	static const char unclosed[] = "a quote is not closed";
	struct strbuf path = STRBUF_INIT;
	git_config *cfg;
	int rc, line;

	memset(out, 0, sizeof(*out));
	out->carry_over_rebase = 1;
	out->present = 1;
	out->origin = xstrdup(origin);
	if (has_include(text, len))
		return error_set(REVQ_ERROR, "%s: include sections are not allowed in a policy", origin);
	if (memchr(text, '\0', len))
		return error_set(REVQ_ERROR, "%s: not a text file", origin);
	if ((line = unclosed_quote_line(text, len)))
		return syntax_error(origin, line, unclosed, (int)sizeof(unclosed) - 1);
	/* libgit2 parses config only from a file. */
	if ((rc = fs_temp_file(&path, "revq-policy", text, len)))
		return rc;
	if (git_config_open_ondisk(&cfg, path.buf)) {
		rc = parser_error(origin, path.buf);
	} else {
		rc = read_entries(out, cfg, origin);
		git_config_free(cfg);
	}
	unlink(path.buf);
	strbuf_release(&path);
	if (!rc)
		rc = check_tiers(out, origin);
	if (!rc)
		rc = check_people(out, origin);
	return rc;
}

/* ---- loading from the target ---- */

static int read_tree_file(char **out, size_t *len, git_tree *tree, const char *path)
{
	git_tree_entry *e;
	git_blob *blob;
	int rc;

	*out = NULL;
	if (git_tree_entry_bypath(&e, tree, path)) {
		git_error_clear();
		return REVQ_ENOTFOUND;
	}
	rc = git_tree_entry_type(e) == GIT_OBJECT_BLOB
		? git_blob_lookup(&blob, git_tree_owner(tree), git_tree_entry_id(e)) : -1;
	git_tree_entry_free(e);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read %s", path);
	*len = (size_t)git_blob_rawsize(blob);
	*out = xstrndup(git_blob_rawcontent(blob), *len);
	git_blob_free(blob);
	return 0;
}

/* Parses the policy blob, then reads the allowed signers file it names. */
static int load_from_tree(struct policy *out, git_tree *tree, const char *target_name,
			  const char *text, size_t len)
{
	struct strbuf origin = STRBUF_INIT;
	size_t signers_len;
	int rc;

	strbuf_addf(&origin, "%s:%s", target_name, POLICY_PATH);
	rc = policy_parse(out, text, len, origin.buf);
	strbuf_reset(&origin);
	if (rc || !out->allowed_signers_path) {
		strbuf_release(&origin);
		return rc;
	}
	rc = read_tree_file(&out->allowed_signers, &signers_len, tree, out->allowed_signers_path);
	if (rc == REVQ_ENOTFOUND)
		rc = error_set(REVQ_ERROR, "%s names allowedSigners '%s', which is not in %s",
			       out->origin, out->allowed_signers_path, target_name);
	strbuf_addf(&origin, "%s:%s", target_name, out->allowed_signers_path);
	out->allowed_origin = strbuf_detach(&origin, NULL);
	return rc;
}

int policy_load(struct policy *out, git_repository *repo, const git_oid *target,
		const char *target_name, const struct settings *settings)
{
	git_commit *commit;
	git_tree *tree;
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	out->carry_over_rebase = 1;
	if (git_commit_lookup(&commit, repo, target) || git_commit_tree(&tree, commit))
		return error_set_git(REVQ_ERROR, "cannot read the tree of %s", target_name);
	git_commit_free(commit);
	rc = read_tree_file(&text, &len, tree, POLICY_PATH);
	if (!rc) {
		rc = load_from_tree(out, tree, target_name, text, len);
		free(text);
	} else if (rc == REVQ_ENOTFOUND) {
		rc = 0;
		out->origin = xstrdup("no policy (one approval from anyone in the allowed signers)");
		struct strbuf signers = STRBUF_INIT;

		if (settings->allowed_signers && !strbuf_read_file(&signers, settings->allowed_signers)) {
			out->allowed_signers = strbuf_detach(&signers, NULL);
			out->allowed_origin = xstrdup(settings->allowed_signers);
		}
		strbuf_release(&signers);
	}
	git_tree_free(tree);
	if (rc)
		policy_release(out);
	return rc;
}

/* ---- people ---- */

long policy_person_by_email(const struct policy *p, const char *email)
{
	return email ? person_index_by_email(p, email) : -1;
}

long policy_person_by_key(const struct policy *p, const char *key)
{
	if (!key)
		return -1;
	for (size_t i = 0; i < p->persons_nr; i++)
		for (size_t k = 0; k < p->persons[i].keys.nr; k++)
			if (!strcmp(p->persons[i].keys.v[k], key))
				return (long)i;
	return -1;
}

enum level policy_person_level(const struct policy *p, long person)
{
	if (person < 0 || (size_t)person >= p->persons_nr || p->persons[person].level == LEVEL_NONE)
		return LEVEL_JUNIOR;
	return p->persons[person].level;
}

int policy_person_in_team(const struct policy *p, long person, const char *team)
{
	long t = person < 0 ? -1 : team_index_by_name(p, team);

	for (size_t m = 0; t >= 0 && m < p->teams[t].people_nr; m++)
		if (p->teams[t].people[m] == (size_t)person)
			return 1;
	return 0;
}

void policy_person_pairs(struct strvec *pairs, const struct policy *p)
{
	for (size_t i = 0; i < p->persons_nr; i++) {
		const struct strvec *e = &p->persons[i].emails;

		for (size_t k = 1; k < e->nr; k++) {
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

			identity_normalize_email(&a, e->v[0]);
			identity_normalize_email(&b, e->v[k]);
			strvec_push_nodup(pairs, strbuf_detach(&a, NULL));
			strvec_push_nodup(pairs, strbuf_detach(&b, NULL));
		}
	}
}

enum level policy_level_of(const struct policy *p, const char *email)
{
	return policy_person_level(p, policy_person_by_email(p, email));
}

/* ---- requirements ---- */

/*
 * The tier for this risk and author: the highest minRisk reached among
 * the tiers whose authorLevel admits the author; between tiers of the
 * same minRisk the narrower authorLevel, then the later one in the file.
 */
const struct policy_tier *policy_tier_for(const struct policy *p, int risk, enum level author_level)
{
	const struct policy_tier *best = NULL;

	for (size_t i = 0; i < p->tiers_nr; i++) {
		const struct policy_tier *t = &p->tiers[i];
		enum level limit = t->author_level ? t->author_level : LEVEL_SENIOR + 1;
		enum level best_limit;

		if (risk < t->min_risk || author_level > limit)
			continue;
		best_limit = best && best->author_level ? best->author_level : LEVEL_SENIOR + 1;
		if (!best || t->min_risk > best->min_risk || limit <= best_limit)
			best = t;
	}
	return best;
}

static void push_need(struct requirement *out, unsigned count, enum level level, const char *team,
		      unsigned group)
{
	ALLOC_GROW(out->needs, out->needs_nr + 1, out->needs_alloc);
	out->needs[out->needs_nr].count = count;
	out->needs[out->needs_nr].level = level;
	out->needs[out->needs_nr].team = team;
	out->needs[out->needs_nr].group = group;
	out->needs_nr++;
}

/* A rule's require lines as a group of their own. */
static void push_group(struct requirement *out, const struct policy_need *needs, size_t nr)
{
	unsigned group = out->groups++;

	for (size_t i = 0; i < nr; i++)
		push_need(out, needs[i].count, needs[i].level, needs[i].team, group);
}

/* The level and approvals of every group: the lowest level counting for anything, the largest group. */
static void summarise(struct requirement *out)
{
	out->level = LEVEL_SENIOR;
	out->approvals = 0;
	for (unsigned g = 0; g < out->groups; g++) {
		unsigned total = 0;

		for (size_t i = 0; i < out->needs_nr; i++) {
			if (out->needs[i].group != g)
				continue;
			total += out->needs[i].count;
			if (out->needs[i].level < out->level)
				out->level = out->needs[i].level;
		}
		if (total > out->approvals)
			out->approvals = total;
	}
}

void policy_requirement_for(struct requirement *out, const struct policy *p, int risk,
			    const struct strvec *paths, enum level author_level)
{
	const struct policy_tier *tier = policy_tier_for(p, risk, author_level);
	enum level base_level = LEVEL_JUNIOR;
	unsigned base_approvals = 1;
	int base = tier && !tier->needs_nr;   /* without a tier, only legacy path rules make one */

	memset(out, 0, sizeof(*out));
	if (tier) {
		if (tier->needs_nr) {
			push_group(out, tier->needs, tier->needs_nr);
		} else {
			base_level = tier->level;
			base_approvals = tier->approvals;
		}
		if (tier->author_level)
			strvec_pushf(&out->why, "tier %s (risk %d >= %d, author %s)", tier->name, risk,
				     tier->min_risk, level_name(author_level));
		else
			strvec_pushf(&out->why, "tier %s (risk %d >= %d)", tier->name, risk, tier->min_risk);
	}
	for (size_t i = 0; i < p->paths_nr; i++) {
		const struct policy_path *rule = &p->paths[i];

		for (size_t j = 0; paths && j < paths->nr; j++) {
			if (!glob_match_path(rule->glob, paths->v[j]))
				continue;
			if (rule->needs_nr) {
				push_group(out, rule->needs, rule->needs_nr);
			} else {
				base = 1;
				if (rule->level > base_level)
					base_level = rule->level;
				if (rule->approvals > base_approvals)
					base_approvals = rule->approvals;
			}
			strvec_pushf(&out->why, "path %s (%s)", rule->glob, paths->v[j]);
			break;
		}
	}
	if (base || !out->groups)
		push_need(out, base_approvals, base_level, NULL, out->groups++);
	summarise(out);
}

void policy_requirement(struct requirement *out, const struct policy *p, int risk,
			const struct strvec *paths)
{
	policy_requirement_for(out, p, risk, paths, LEVEL_JUNIOR);
}

void requirement_release(struct requirement *req)
{
	free(req->needs);
	strvec_clear(&req->why);
	memset(req, 0, sizeof(*req));
}

static int need_accepts(const struct requirement_need *need, const struct policy *p,
			const struct approver *who)
{
	return who->level >= need->level &&
	       (!need->team || policy_person_in_team(p, who->person, need->team));
}

int requirement_accepts(const struct requirement *req, const struct policy *p, const struct approver *who)
{
	for (size_t i = 0; i < req->needs_nr; i++)
		if (need_accepts(&req->needs[i], p, who))
			return 1;
	return 0;
}

/* One group's needs as slots, one per approval needed. */
struct slots {
	const struct requirement_need **need;   /* not owned: req's */
	long *taken_by;                         /* the approver in each slot, or -1 */
	size_t nr;
};

/* Kuhn's augmenting path: can approver a take a slot, moving others along? */
static int augment(struct slots *s, const struct policy *p, const struct approver *ap, size_t a,
		   unsigned char *seen)
{
	for (size_t k = 0; k < s->nr; k++) {
		if (seen[k] || !need_accepts(s->need[k], p, &ap[a]))
			continue;
		seen[k] = 1;
		if (s->taken_by[k] < 0 || augment(s, p, ap, (size_t)s->taken_by[k], seen)) {
			s->taken_by[k] = (long)a;
			return 1;
		}
	}
	return 0;
}

/* "1 senior", "2 approvals", "1 mid or senior from team security". */
static void need_phrase(struct strbuf *out, unsigned n, enum level level, const char *team, int more)
{
	strbuf_addf(out, "%u%s", n, more ? " more" : "");
	if (level == LEVEL_SENIOR)
		strbuf_addstr(out, " senior");
	else if (level == LEVEL_MID)
		strbuf_addstr(out, " mid or senior");
	else if (!team)
		strbuf_addstr(out, n == 1 ? " approval" : " approvals");
	if (team)
		strbuf_addf(out, " from team %s", team);
}

/* The needs of slots whose taken state is `taken`, counted per need, as phrases. */
static void slots_phrase(struct strbuf *out, const struct slots *s, int taken, int more)
{
	size_t start = out->len;

	for (size_t k = 0; k < s->nr; k++) {
		unsigned n = 0;
		size_t first;

		for (first = 0; first < k && s->need[first] != s->need[k]; first++)
			;
		if (first < k || (s->taken_by[k] >= 0) != taken)
			continue;
		for (size_t m = k; m < s->nr; m++)
			n += s->need[m] == s->need[k] && (s->taken_by[m] >= 0) == taken;
		if (out->len > start)
			strbuf_addstr(out, ", ");
		need_phrase(out, n, s->need[k]->level, s->need[k]->team, more);
	}
	if (out->len == start)
		strbuf_addstr(out, "none");
}

/* The slots of group g, none taken yet. */
static void group_slots(struct slots *s, const struct requirement *req, unsigned g)
{
	size_t alloc = 0;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < req->needs_nr; i++)
		for (unsigned c = 0; req->needs[i].group == g && c < req->needs[i].count; c++) {
			if (s->nr == alloc) {
				alloc = alloc ? 2 * alloc : 8;
				s->need = xrealloc(s->need, alloc * sizeof(*s->need));
				s->taken_by = xrealloc(s->taken_by, alloc * sizeof(*s->taken_by));
			}
			s->need[s->nr] = &req->needs[i];
			s->taken_by[s->nr++] = -1;
		}
}

/* Does whoever fills need `strong` also fill need `weak`? */
static int need_covers(const struct requirement_need *strong, const struct requirement_need *weak)
{
	return strong->level >= weak->level &&
	       (!weak->team || (strong->team && !strcmp(strong->team, weak->team)));
}

static int cover_augment(const struct slots *g, const struct slots *h, size_t k, long *owner,
			 unsigned char *seen)
{
	for (size_t m = 0; m < h->nr; m++) {
		if (h->taken_by[m] >= 0 || seen[m] || !need_covers(h->need[m], g->need[k]))
			continue;
		seen[m] = 1;
		if (owner[m] < 0 || cover_augment(g, h, (size_t)owner[m], owner, seen)) {
			owner[m] = (long)k;
			return 1;
		}
	}
	return 0;
}

/*
 * 1 when the people who would fill h's open slots fill g's too (they are
 * new people to g as well): saying what g misses would say nothing more.
 */
static int open_slots_cover(const struct slots *h, const struct slots *g)
{
	long *owner = xmalloc((h->nr + 1) * sizeof(*owner));
	unsigned char *seen = xmalloc(h->nr + 1);
	int all = 1;

	for (size_t m = 0; m < h->nr; m++)
		owner[m] = -1;
	for (size_t k = 0; k < g->nr && all; k++) {
		if (g->taken_by[k] >= 0)
			continue;
		memset(seen, 0, h->nr + 1);
		all = cover_augment(g, h, k, owner, seen);
	}
	free(owner);
	free(seen);
	return all;
}

static size_t open_count(const struct slots *s)
{
	size_t n = 0;

	for (size_t k = 0; k < s->nr; k++)
		n += s->taken_by[k] < 0;
	return n;
}

static void missing_phrase(struct strbuf *out, const struct slots *groups, unsigned nr)
{
	for (unsigned g = 0; g < nr; g++) {
		int said = 0;

		if (!open_count(&groups[g]))
			continue;
		/* Left out when another open group's slots fill it (of two alike, the first is said). */
		for (unsigned h = 0; h < nr && !said; h++)
			said = h != g && open_count(&groups[h]) && open_slots_cover(&groups[h], &groups[g]) &&
			       (h < g || !open_slots_cover(&groups[g], &groups[h]));
		if (said)
			continue;
		if (out->len)
			strbuf_addstr(out, "; ");
		strbuf_addstr(out, "needs ");
		slots_phrase(out, &groups[g], 0, 1);
		strbuf_addstr(out, "; has: ");
		slots_phrase(out, &groups[g], 1, 0);
	}
}

void requirement_count(struct requirement_result *res, const struct requirement *req,
		       const struct policy *p, const struct approver *ap, size_t nr)
{
	struct slots *groups = xcalloc(req->groups + 1, sizeof(*groups));

	res->met = 1;
	res->counted = res->filled = 0;
	for (size_t a = 0; a < nr; a++)
		res->counted += requirement_accepts(req, p, &ap[a]);
	for (unsigned g = 0; g < req->groups; g++) {
		struct slots *s = &groups[g];
		unsigned char *seen;
		size_t filled = 0;

		group_slots(s, req, g);
		seen = xmalloc(s->nr + 1);
		for (size_t a = 0; a < nr && filled < s->nr; a++) {
			memset(seen, 0, s->nr + 1);
			filled += augment(s, p, ap, a, seen);
		}
		free(seen);
		res->filled += (unsigned)filled;
		if (filled < s->nr)
			res->met = 0;
	}
	if (!res->met && res->missing)
		missing_phrase(res->missing, groups, req->groups);
	for (unsigned g = 0; g < req->groups; g++) {
		free(groups[g].need);
		free(groups[g].taken_by);
	}
	free(groups);
}

void requirement_describe(struct strbuf *out, const struct requirement *req)
{
	for (unsigned g = 0; g < req->groups; g++) {
		int first = 1;

		if (g)
			strbuf_addstr(out, " and ");
		for (size_t i = 0; i < req->needs_nr; i++) {
			if (req->needs[i].group != g)
				continue;
			if (!first)
				strbuf_addstr(out, " + ");
			first = 0;
			need_phrase(out, req->needs[i].count, req->needs[i].level, req->needs[i].team, 0);
		}
	}
}

/* ---- policy check ---- */

/* The next blank-separated token of an allowed-signers line, quotes kept whole; 0 at the end. */
static size_t next_token(const char **s)
{
	const char *p = skip_blanks(*s);
	size_t n = 0;
	int quoted = 0;

	*s = p;
	while (p[n] && (quoted || (p[n] != ' ' && p[n] != '\t'))) {
		if (p[n] == '"')
			quoted = !quoted;
		n++;
	}
	return n;
}

/* One allowed-signers line: its principals token and its key's fingerprint (NULL for none). */
static int signer_line(struct strvec *principals, char **fingerprint, const char *line)
{
	const char *s = line;
	size_t n = next_token(&s);
	char *principal_token;

	*fingerprint = NULL;
	if (!n || *s == '#')
		return -1;
	principal_token = xstrndup(s, n);
	strvec_split(principals, principal_token, ',');
	free(principal_token);
	for (s += n; (n = next_token(&s)); s += n) {
		if (!strncmp(s, "ssh-", 4) || !strncmp(s, "ecdsa-", 6) || !strncmp(s, "sk-", 3)) {
			*fingerprint = policy_key_normalize(s);
			break;
		}
	}
	return 0;
}

static int any_person_named(const struct policy *p, const char *pattern)
{
	for (size_t i = 0; i < p->persons_nr; i++)
		for (size_t k = 0; k < p->persons[i].emails.nr; k++)
			if (!fnmatch(pattern, skip_blanks(p->persons[i].emails.v[k]), FNM_CASEFOLD))
				return 1;
	return 0;
}

/* People against the allowed signers: who cannot sign, which keys are nobody's. */
static void check_signers(struct strvec *errors, struct strvec *warnings, const struct policy *p)
{
	struct strvec fingerprints = STRVEC_INIT, principals = STRVEC_INIT;
	struct lines it = LINES_INIT(p->allowed_signers ? p->allowed_signers : "",
				     p->allowed_signers ? strlen(p->allowed_signers) : 0);
	unsigned char *named = xcalloc(p->persons_nr + 1, 1);
	const char *line;
	size_t len;

	while (lines_next(&it, &line, &len)) {
		char *copy = xstrndup(line, len), *fp;
		int someone = 0;

		strvec_clear(&principals);
		if (!signer_line(&principals, &fp, copy)) {
			for (size_t i = 0; i < principals.nr; i++) {
				someone |= any_person_named(p, principals.v[i]);
				for (size_t k = 0; k < p->persons_nr; k++)
					for (size_t e = 0; e < p->persons[k].emails.nr; e++)
						if (!fnmatch(principals.v[i], skip_blanks(p->persons[k].emails.v[e]),
							     FNM_CASEFOLD))
							named[k] = 1;
			}
			if (!someone)
				strvec_pushf(warnings, "the key of %s in the allowed signers is no person's: its "
					     "approvals count as an unknown junior's", principals.nr ?
					     principals.v[0] : "(no principal)");
			if (fp)
				strvec_push_nodup(&fingerprints, fp);
		}
		free(copy);
	}
	for (size_t i = 0; i < p->persons_nr; i++) {
		const struct policy_person *who = &p->persons[i];

		for (size_t k = 0; k < who->keys.nr; k++)
			if (!strncmp(who->keys.v[k], "SHA256:", 7) && p->allowed_signers &&
			    !strvec_contains(&fingerprints, who->keys.v[k]))
				strvec_pushf(errors, "person \"%s\": key %s is not in the allowed signers, so "
					     "nothing signed with it verifies", who->name, who->keys.v[k]);
		if (!named[i] && p->allowed_signers)
			strvec_pushf(warnings, "person \"%s\" has no key: the allowed signers name none of "
				     "their addresses, so no approval of theirs can count", who->name);
		if (who->level == LEVEL_NONE && !who->legacy)
			strvec_pushf(warnings, "person \"%s\" has no level: junior", who->name);
	}
	if (!p->allowed_signers)
		strvec_push(warnings, "no allowed signers: no ssh signature can verify");
	free(named);
	strvec_clear(&fingerprints);
	strvec_clear(&principals);
}

/* Tiers no risk and no author level selects. */
static void check_reachable(struct strvec *warnings, const struct policy *p)
{
	for (size_t i = 0; i < p->tiers_nr; i++) {
		int reached = 0;

		for (int risk = 0; risk <= 100 && !reached; risk++)
			for (enum level l = LEVEL_JUNIOR; l <= LEVEL_SENIOR && !reached; l++)
				reached = policy_tier_for(p, risk, l) == &p->tiers[i];
		if (!reached)
			strvec_pushf(warnings, "tier \"%s\" is unreachable: another tier always applies "
				     "instead", p->tiers[i].name);
	}
}

struct glob_walk {
	const struct policy *policy;
	unsigned char *matched;   /* one per path rule */
	struct strbuf path;
};

static int glob_walk_cb(const char *root, const git_tree_entry *entry, void *data)
{
	struct glob_walk *w = data;

	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		return 0;
	strbuf_reset(&w->path);
	strbuf_addf(&w->path, "%s%s", root, git_tree_entry_name(entry));
	for (size_t i = 0; i < w->policy->paths_nr; i++)
		if (!w->matched[i] && glob_match_path(w->policy->paths[i].glob, w->path.buf))
			w->matched[i] = 1;
	return 0;
}

static void check_globs(struct strvec *warnings, const struct policy *p, git_repository *repo,
			const git_oid *target)
{
	struct glob_walk w = { p, xcalloc(p->paths_nr + 1, 1), STRBUF_INIT };
	git_commit *commit = NULL;
	git_tree *tree = NULL;

	if (!p->paths_nr || git_commit_lookup(&commit, repo, target) || git_commit_tree(&tree, commit) ||
	    git_tree_walk(tree, GIT_TREEWALK_PRE, glob_walk_cb, &w)) {
		git_error_clear();
		memset(w.matched, 1, p->paths_nr);
	}
	for (size_t i = 0; i < p->paths_nr; i++)
		if (!w.matched[i])
			strvec_pushf(warnings, "[path \"%s\"] matches no file in the tree (yet)",
				     p->paths[i].glob);
	git_tree_free(tree);
	git_commit_free(commit);
	strbuf_release(&w.path);
	free(w.matched);
}

void policy_problems(struct strvec *errors, struct strvec *warnings, const struct policy *p,
		     git_repository *repo, const git_oid *target)
{
	if (!p->present) {
		strvec_pushf(errors, "no %s in the tree: one approval from anyone in the allowed signers "
			     "suffices", POLICY_PATH);
		return;
	}
	check_signers(errors, warnings, p);
	check_reachable(warnings, p);
	check_globs(warnings, p, repo, target);
	if (p->require_signed_commits && !p->allowed_signers)
		strvec_push(errors, "requireSignedCommits without allowed signers: no author counts, "
			    "every commit is an unknown junior's");
}
