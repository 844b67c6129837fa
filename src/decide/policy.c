/*
 * policy.c: the review policy, the gate's trust root.  It comes from the
 * target ref's tree only, is parsed with libgit2's config parser, and is
 * strict: anything it does not understand fails the gate closed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"
#include "base/glob.h"
#include "decide/policy.h"
#include "base/strbuf.h"

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

void policy_release(struct policy *p)
{
	for (size_t i = 0; i < p->reviewers_nr; i++)
		free(p->reviewers[i].email);
	for (size_t i = 0; i < p->tiers_nr; i++)
		free(p->tiers[i].name);
	for (size_t i = 0; i < p->paths_nr; i++)
		free(p->paths[i].glob);
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

static struct policy_reviewer *reviewer_for(struct policy *p, const char *email)
{
	for (size_t i = 0; i < p->reviewers_nr; i++)
		if (!strcasecmp(p->reviewers[i].email, email))
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
	return &p->tiers[p->tiers_nr++];
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
	} else if (!strcmp(n->section, "reviewer") && n->subsection && !strcmp(n->key, "level")) {
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
			return 0;
		}
		if (!strcmp(n->key, "approvals")) {
			if (parse_count(&t->approvals, v, 20))
				return bad(origin, full, v, "approvals must be a number from 1 to 20");
			return 0;
		}
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
			return 0;
		}
		if (!strcmp(n->key, "approvals")) {
			if (parse_count(&count, v, 20))
				return bad(origin, full, v, "approvals must be a number from 1 to 20");
			pp->approvals = count;
			return 0;
		}
	}
	return error_set(REVQ_ERROR, "%s: unknown setting '%s'", origin, full);
}

static int compare_tiers(const void *a, const void *b)
{
	return ((const struct policy_tier *)a)->min_risk - ((const struct policy_tier *)b)->min_risk;
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

/* ---- requirements ---- */

enum level policy_level_of(const struct policy *p, const char *email)
{
	for (size_t i = 0; i < p->reviewers_nr; i++)
		if (!strcasecmp(p->reviewers[i].email, email))
			return p->reviewers[i].level;
	return LEVEL_JUNIOR;
}

void policy_requirement(struct requirement *out, const struct policy *p, int risk,
			const struct strvec *paths)
{
	const struct policy_tier *tier = NULL;

	memset(out, 0, sizeof(*out));
	out->level = LEVEL_JUNIOR;
	out->approvals = 1;
	for (size_t i = 0; i < p->tiers_nr; i++)
		if (risk >= p->tiers[i].min_risk)
			tier = &p->tiers[i];
	if (tier) {
		out->level = tier->level;
		out->approvals = tier->approvals;
		strvec_pushf(&out->why, "tier %s (risk %d >= %d)", tier->name, risk, tier->min_risk);
	}
	for (size_t i = 0; i < p->paths_nr; i++) {
		const struct policy_path *rule = &p->paths[i];

		for (size_t j = 0; paths && j < paths->nr; j++) {
			if (!glob_match_path(rule->glob, paths->v[j]))
				continue;
			if (rule->level > out->level)
				out->level = rule->level;
			if (rule->approvals > out->approvals)
				out->approvals = rule->approvals;
			strvec_pushf(&out->why, "path %s (%s)", rule->glob, paths->v[j]);
			break;
		}
	}
}

void requirement_release(struct requirement *req)
{
	strvec_clear(&req->why);
}
