/*
 * settings.c: reading revq.* and git's signing keys from git config.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "git/repo.h"
#include "git/settings.h"
#include "base/strbuf.h"
#include "base/unicode.h"
#include "base/utf8.h"

/* An environment variable's value, or NULL when unset or empty; the caller frees it. */
static char *env_string(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? xstrdup(v) : NULL;
}

/* 1 when s (valid UTF-8) holds a control character (C0, DEL or C1). */
static int has_control(const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		int32_t cp;

		i += utf8_decode(&cp, s + i, len - i);
		if (unicode_classify(cp) == UNICODE_CONTROL)
			return 1;
	}
	return 0;
}

static char *get_string(git_config *cfg, const char *key)
{
	git_buf buf = GIT_BUF_INIT;
	char *res = NULL;

	if (!git_config_get_string_buf(&buf, cfg, key))
		res = xstrndup(buf.ptr, buf.size);
	git_buf_dispose(&buf);
	return res;
}

static char *get_path(git_config *cfg, const char *key)
{
	git_buf buf = GIT_BUF_INIT;
	char *res = NULL;

	if (!git_config_get_path(&buf, cfg, key))
		res = xstrndup(buf.ptr, buf.size);
	git_buf_dispose(&buf);
	return res;
}

static void get_multivar(struct strvec *out, git_config *cfg, const char *key)
{
	git_config_iterator *it;
	git_config_entry *entry;

	if (git_config_multivar_iterator_new(&it, cfg, key, NULL))
		return;
	while (!git_config_next(&entry, it))
		if (entry->value && *entry->value)
			strvec_push(out, entry->value);
	git_config_iterator_free(it);
}

static int get_color(git_config *cfg)
{
	const char *keys[] = { "revq.color", "color.ui" };

	for (size_t i = 0; i < 2; i++) {
		char *v = get_string(cfg, keys[i]);
		int b, res = -1;

		if (!v)
			continue;
		if (!strcmp(v, "auto"))
			res = -1;
		else if (!strcmp(v, "always"))
			res = 1;
		else if (!git_config_parse_bool(&b, v))
			res = b ? -1 : 0;
		free(v);
		return res;
	}
	return -1;
}

/* Fills out from the snapshot cfg, which it takes. */
static int settings_fill(struct settings *out, git_config *cfg)
{
	int32_t jobs = 0;

	out->snapshot = cfg;
	out->target = get_string(cfg, "revq.target");
	get_multivar(&out->pending, cfg, "revq.pending");
	if (!out->pending.nr) {
		strvec_push(&out->pending, "refs/heads/*");
		strvec_push(&out->pending, "refs/remotes/*/*");
	}
	get_multivar(&out->ai_patterns, cfg, "revq.aipattern");
	out->ai_registry = get_string(cfg, "revq.airegistry");
	get_multivar(&out->sensitive_paths, cfg, "revq.sensitivepath");
	get_multivar(&out->risk_patterns, cfg, "revq.riskpattern");
	get_multivar(&out->repos, cfg, "revq.repos");
	out->notes_ref = get_string(cfg, "revq.notesref");
	if (!out->notes_ref)
		out->notes_ref = xstrdup(SETTINGS_DEFAULT_NOTES_REF);
	if (!git_config_get_int32(&jobs, cfg, "revq.jobs") && jobs > 0)
		out->jobs = jobs;
	out->color = get_color(cfg);
	out->sign_timeout = 60;
	if (!git_config_get_int32(&jobs, cfg, "revq.signtimeout") && jobs > 0)
		out->sign_timeout = jobs;
	out->user_name = get_string(cfg, "user.name");
	out->user_email = get_string(cfg, "user.email");
	out->committer_name = env_string("GIT_COMMITTER_NAME");
	out->committer_email = env_string("GIT_COMMITTER_EMAIL");
	out->signing_key = get_string(cfg, "user.signingkey");
	out->gpg_format = get_string(cfg, "gpg.format");
	out->gpg_program = get_string(cfg, "gpg.openpgp.program");
	if (!out->gpg_program)
		out->gpg_program = get_string(cfg, "gpg.program");
	out->ssh_program = get_string(cfg, "gpg.ssh.program");
	out->allowed_signers = get_path(cfg, "gpg.ssh.allowedsignersfile");
	return 0;
}

int settings_load(struct settings *out, git_repository *repo)
{
	git_config *cfg;

	memset(out, 0, sizeof(*out));
	if (git_repository_config_snapshot(&cfg, repo))
		return error_set_git(REVQ_ERROR, "cannot read git config");
	return settings_fill(out, cfg);
}

int settings_load_global(struct settings *out)
{
	git_config *cfg, *snapshot;
	int rc;

	memset(out, 0, sizeof(*out));
	repo_library_init();   /* no repository opened libgit2 */
	if (git_config_open_default(&cfg))
		return error_set_git(REVQ_ERROR, "cannot read git config");
	rc = git_config_snapshot(&snapshot, cfg);
	git_config_free(cfg);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read git config");
	return settings_fill(out, snapshot);
}

int settings_identity(char **name, char **email, const struct settings *s)
{
	const char *n = s->committer_name ? s->committer_name : s->user_name;
	const char *e = s->committer_email ? s->committer_email : s->user_email;
	int rc = 0;

	*name = *email = NULL;
	if (!e || !*e)
		rc = error_set(REVQ_ERROR, "who are you? set user.email (git config user.email you@example.com)");
	else if (!n || !*n)
		rc = error_set(REVQ_ERROR, "who are you? set user.name (git config user.name \"Your Name\")");
	else if (!utf8_is_valid(n, strlen(n)) || !utf8_is_valid(e, strlen(e)) || has_control(n) ||
		 has_control(e))
		rc = error_set(REVQ_ERROR, "user.name and user.email must be UTF-8 without control characters");
	else if (strpbrk(n, "<>") || strpbrk(e, "<> "))
		rc = error_set(REVQ_ERROR, "user.name and user.email may not contain '<', '>' "
			       "(nor the email a space)");
	if (!rc) {
		*name = xstrdup(n);
		*email = xstrdup(e);
	}
	return rc;
}

void settings_default_repos(struct strvec *out)
{
	git_config *cfg;

	if (git_config_open_default(&cfg))
		return;
	get_multivar(out, cfg, "revq.repos");
	git_config_free(cfg);
}

void settings_names(struct strvec *out, const struct settings *settings, const char *prefix)
{
	git_config_iterator *it;
	git_config_entry *e;
	size_t n = strlen(prefix);

	if (!settings->snapshot || git_config_iterator_new(&it, settings->snapshot)) {
		git_error_clear();
		return;
	}
	while (!git_config_next(&e, it))
		if (!strncasecmp(e->name, prefix, n) && e->name[n] && !strvec_contains(out, e->name + n))
			strvec_push(out, e->name + n);
	git_config_iterator_free(it);
	git_error_clear();
}

char *settings_get_string(const struct settings *settings, const char *key)
{
	return settings->snapshot ? get_string(settings->snapshot, key) : NULL;
}

int settings_get_bool(const struct settings *settings, const char *key)
{
	char *v = settings_get_string(settings, key);
	int b = 0;

	/* git's spelling of true and false; a key without a value is true. */
	if (v && git_config_parse_bool(&b, v))
		b = 0;
	free(v);
	return b;
}

void settings_release(struct settings *s)
{
	free(s->target);
	strvec_clear(&s->pending);
	strvec_clear(&s->repos);
	strvec_clear(&s->ai_patterns);
	free(s->ai_registry);
	strvec_clear(&s->sensitive_paths);
	strvec_clear(&s->risk_patterns);
	free(s->notes_ref);
	free(s->user_name);
	free(s->user_email);
	free(s->committer_name);
	free(s->committer_email);
	free(s->signing_key);
	free(s->gpg_format);
	free(s->gpg_program);
	free(s->ssh_program);
	free(s->allowed_signers);
	git_config_free(s->snapshot);
	memset(s, 0, sizeof(*s));
}
