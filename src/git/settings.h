/*
 * settings.h: revq's configuration, read from git config (system, global,
 * repository, worktree, and GIT_CONFIG_* from the environment) the way
 * git reads it.  settings_load() fills a struct whose strings it owns;
 * settings_release() frees them.
 */
#ifndef REVQ_SETTINGS_H
#define REVQ_SETTINGS_H

#include <git2.h>

#include "base/strvec.h"

struct settings {
	char *target;                  /* revq.target, or NULL */
	struct strvec pending;         /* revq.pending globs, defaults applied */
	struct strvec ai_patterns;     /* revq.aiPattern */
	char *ai_registry;             /* revq.aiRegistry: the AI tool registry's path, or NULL */
	struct strvec sensitive_paths; /* revq.sensitivePath */
	struct strvec risk_patterns;   /* revq.riskPattern */
	char *notes_ref;               /* revq.notesRef, default refs/notes/revq */
	int jobs;                      /* revq.jobs; 0 means one per CPU */
	int color;                     /* color.ui / revq.color: -1 auto, 0 never, 1 always */
	int sign_timeout;              /* revq.signTimeout: seconds for ssh-keygen/gpg; default 60 */
	struct strvec repos;           /* revq.repos: the repositories of one queue, as written */

	/* git's own identity and signing configuration */
	char *user_name;
	char *user_email;
	char *committer_name;          /* $GIT_COMMITTER_NAME, which wins over user.name */
	char *committer_email;         /* $GIT_COMMITTER_EMAIL, which wins over user.email */
	char *signing_key;             /* user.signingkey */
	char *gpg_format;              /* gpg.format: openpgp (default), ssh, x509 */
	char *gpg_program;             /* gpg.program or gpg.openpgp.program */
	char *ssh_program;             /* gpg.ssh.program */
	char *allowed_signers;         /* gpg.ssh.allowedSignersFile, ~ expanded */
	git_config *snapshot;          /* owned: for keys read on demand (revq.key.*) */
};

#define SETTINGS_DEFAULT_NOTES_REF "refs/notes/revq"

int settings_load(struct settings *out, git_repository *repo);
/* The same outside any repository: system, global and XDG config, as git reads them there. */
int settings_load_global(struct settings *out);
void settings_release(struct settings *settings);

/* revq.repos of the user's own configuration (global, XDG, system), for use outside a repository. */
void settings_default_repos(struct strvec *out);

/*
 * The user's identity as git takes a committer's: GIT_COMMITTER_NAME and
 * GIT_COMMITTER_EMAIL, else user.name and user.email.  Fails (REVQ_ERROR,
 * naming the setting) when either is missing or could not stand in a
 * record ("Name <email>"); *name and *email are the caller's to free.
 */
int settings_identity(char **name, char **email, const struct settings *settings);

/*
 * Appends to out the rest of the name of every setting that starts with
 * prefix ("revq.key." gives "approve", ...), as git config spells it in
 * lower case, each once.
 */
void settings_names(struct strvec *out, const struct settings *settings, const char *prefix);

/* A string setting read on demand; the caller frees the result. NULL if unset. */
char *settings_get_string(const struct settings *settings, const char *key);
/* A boolean setting read on demand, as git parses it; 0 when unset or not a boolean. */
int settings_get_bool(const struct settings *settings, const char *key);

#endif
