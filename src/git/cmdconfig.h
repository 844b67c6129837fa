/*
 * cmdconfig.h: configuration given on git's command line.  `git -c
 * key=value revq ...` passes it in GIT_CONFIG_PARAMETERS, and CI runners
 * set GIT_CONFIG_COUNT with GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n>;
 * libgit2 1.5 reads neither.  They are parsed here as git's config.c
 * parses them (GIT_CONFIG_COUNT first, then GIT_CONFIG_PARAMETERS, both
 * in the new 'key'='value' and the old 'key=value' quoting; the last
 * value wins) and added to a repository's configuration as an in-memory
 * level above every file (GIT_CONFIG_LEVEL_APP), as git gives them the
 * "command" scope.
 */
#ifndef REVQ_CMDCONFIG_H
#define REVQ_CMDCONFIG_H

#include <git2.h>
#include <stddef.h>

struct cmdconfig_entry {
	char *name;    /* owned: section and name in lower case, the subsection as given */
	char *value;   /* owned, or NULL for a bare key (git's implicit "true") */
};

struct cmdconfig {
	struct cmdconfig_entry *v;   /* owned, in the order git reads them */
	size_t nr, alloc;
};

#define CMDCONFIG_INIT { NULL, 0, 0 }

/* Appends the entries of a GIT_CONFIG_PARAMETERS value; REVQ_EUSAGE ("bogus format") on a bad one. */
int cmdconfig_parse_parameters(struct cmdconfig *out, const char *text);
/* Appends one key and value (NULL: a bare key) as git -c does; REVQ_EUSAGE for an invalid key. */
int cmdconfig_add(struct cmdconfig *out, const char *key, const char *value);
/* Appends GIT_CONFIG_COUNT's entries, then GIT_CONFIG_PARAMETERS's, from the environment. */
int cmdconfig_from_env(struct cmdconfig *out);
void cmdconfig_release(struct cmdconfig *cc);

/*
 * Adds the environment's command-line configuration (if any) to repo's
 * configuration, so that every later git_repository_config_snapshot()
 * sees it above the files.  0, or an error naming the variable.
 */
int cmdconfig_attach(git_repository *repo);

#endif
