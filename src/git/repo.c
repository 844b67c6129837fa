/*
 * repo.c: repository discovery, libgit2 set-up, and name resolution.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/repository.h>

#include "base/error.h"
#include "git/repo.h"
#include "base/strbuf.h"
#include "base/strvec.h"

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
	if ((rc = finish_open(out, git)))
		return rc;
	/* What libgit2 honoured from the environment, for the other handles. */
	if (getenv("GIT_OBJECT_DIRECTORY") && *getenv("GIT_OBJECT_DIRECTORY"))
		(*out)->object_dir = xstrdup(getenv("GIT_OBJECT_DIRECTORY"));
	if (getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES") && *getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"))
		(*out)->alternates = xstrdup(getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"));
	return 0;
}

int repo_open_path(struct repo **out, const char *path)
{
	git_repository *git;
	int rc;

	*out = NULL;
	repo_library_init();
	rc = git_repository_open_ext(&git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND)
		return error_set(REVQ_ENOTFOUND, "%s: not a git repository", path);
	if (rc)
		return error_set_git(REVQ_ERROR, "%s: cannot open the repository", path);
	return finish_open(out, git);
}

/* As libgit2's GIT_REPOSITORY_OPEN_FROM_ENV does: the object directory, then each alternate. */
static int use_object_dirs(git_repository *git, const struct repo *repo)
{
	git_odb *odb = NULL;
	int rc = 0;

	if (repo->object_dir) {
		if (git_odb_open(&odb, repo->object_dir))
			return error_set_git(REVQ_ERROR, "cannot open object directory %s", repo->object_dir);
		git_repository_set_odb(git, odb);
		git_odb_free(odb);
		odb = NULL;
	}
	if (repo->alternates) {
		char *list = xstrdup(repo->alternates), *save = NULL;

		if (git_repository_odb(&odb, git))
			rc = error_set_git(REVQ_ERROR, "cannot open the object database");
		for (char *dir = rc ? NULL : strtok_r(list, ":", &save); dir && !rc;
		     dir = strtok_r(NULL, ":", &save))
			if (*dir && git_odb_add_disk_alternate(odb, dir))
				rc = error_set_git(REVQ_ERROR, "cannot add alternate object directory %s", dir);
		git_odb_free(odb);
		free(list);
	}
	return rc;
}

int repo_open_handle(git_repository **out, const struct repo *repo)
{
	int rc;

	*out = NULL;
	if (git_repository_open_ext(out, repo->gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))
		return error_set_git(REVQ_ERROR, "cannot open repository %s", repo->gitdir);
	if ((rc = use_object_dirs(*out, repo))) {
		git_repository_free(*out);
		*out = NULL;
	}
	return rc;
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
	free(repo->object_dir);
	free(repo->alternates);
	free(repo);
}

int repo_is_empty(struct repo *repo)
{
	return git_repository_is_empty(repo->git) == 1;
}

/* git's DWIM rules for a short ref name, in git's order (refs.c ref_rev_parse_rules). */
static const struct { const char *prefix, *suffix; } dwim_rules[] = {
	{ "", "" }, { "refs/", "" }, { "refs/tags/", "" }, { "refs/heads/", "" },
	{ "refs/remotes/", "" }, { "refs/remotes/", "/HEAD" },
};

/* The first byte of spec that ends a ref name in a revision (main~2, main^{tree}, main@{1}). */
static size_t ref_part_length(const char *spec)
{
	return strcspn(spec, "~^@:");
}

int repo_ref_candidates(struct strvec *out, struct repo *repo, const char *name)
{
	struct strbuf full = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(dwim_rules); i++) {
		git_reference *ref;

		/* The bare name is a ref only when it is spelled like one (HEAD, refs/...). */
		if (i == 0 && strcmp(name, "HEAD") && strncmp(name, "refs/", 5))
			continue;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s%s", dwim_rules[i].prefix, name, dwim_rules[i].suffix);
		if (git_reference_lookup(&ref, repo->git, full.buf)) {
			git_error_clear();
			continue;
		}
		if (!strvec_contains(out, full.buf))
			strvec_push(out, full.buf);
		git_reference_free(ref);
		/* A fully qualified name that exists means that ref alone (refs/tags/refs/heads/main
		 * cannot stand in for refs/heads/main, nor make it ambiguous). */
		if (i == 0)
			break;
	}
	strbuf_release(&full);
	return (int)out->nr;
}

static int refuse_ambiguous(const char *spec, const struct strvec *candidates)
{
	char *list = strvec_join(candidates, ", ");
	int rc = error_set(REVQ_EUSAGE, "ambiguous name '%s': it names %s; use the full ref name",
			   spec, list);

	free(list);
	return rc;
}

int repo_check_unambiguous(struct repo *repo, const char *spec)
{
	struct strvec candidates = STRVEC_INIT;
	char *name = xstrndup(spec, ref_part_length(spec));
	int rc = 0;

	if (*name && repo_ref_candidates(&candidates, repo, name) > 1)
		rc = refuse_ambiguous(name, &candidates);
	strvec_clear(&candidates);
	free(name);
	return rc;
}

/* Peels obj to a commit into out. */
static int peel_commit(git_oid *out, git_object *obj, const char *spec)
{
	git_object *commit = NULL;

	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)) {
		git_error_clear();
		return error_set(REVQ_ENOTFOUND, "'%s' does not name a commit", spec);
	}
	git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

int repo_resolve_commit(git_oid *out, struct repo *repo, const char *spec)
{
	git_object *obj = NULL;
	int rc;

	if ((rc = repo_check_unambiguous(repo, spec)))
		return rc;
	if (git_revparse_single(&obj, repo->git, spec)) {
		git_error_clear();
		return error_set(REVQ_ENOTFOUND, "unknown revision '%s'", spec);
	}
	rc = peel_commit(out, obj, spec);
	git_object_free(obj);
	return rc;
}

static int is_full_hex(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == GIT_OID_HEXSZ && !s[n];
}

/*
 * A target is one fully qualified ref (or a full commit id, which no one
 * can move): a short name is taken only when exactly one ref answers to
 * it, so that a pushed tag named origin/main cannot stand in for the
 * remote-tracking branch.
 */
static int use_target(struct target *out, struct repo *repo, const char *spec, const char *origin)
{
	struct strvec candidates = STRVEC_INIT;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int rc = 0;

	repo_ref_candidates(&candidates, repo, spec);
	if (candidates.nr > 1)
		rc = refuse_ambiguous(spec, &candidates);
	else if (candidates.nr == 1) {
		if (git_reference_lookup(&ref, repo->git, candidates.v[0]) ||
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT))
			rc = error_set_git(REVQ_ENOTFOUND, "target '%s' (%s) does not name a commit", spec,
					   candidates.v[0]);
		else {
			git_oid_cpy(&out->id, git_object_id(obj));
			/* A symbolic ref (origin/HEAD) is named by the ref it points to. */
			out->refname = xstrdup(git_reference_name(ref));
			if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
				git_reference *direct;

				if (!git_reference_resolve(&direct, ref)) {
					free(out->refname);
					out->refname = xstrdup(git_reference_name(direct));
					git_reference_free(direct);
				}
			}
		}
	} else if (is_full_hex(spec)) {
		if (git_oid_fromstr(&out->id, spec) || git_object_lookup(&obj, repo->git, &out->id, GIT_OBJECT_ANY))
			rc = error_set(REVQ_ENOTFOUND, "unknown target commit %s", spec);
		else
			rc = peel_commit(&out->id, obj, spec);
	} else if (origin)
		rc = error_set(REVQ_ENOTFOUND, "unknown target '%s' (from %s): the target must be a ref name "
			       "or a full commit id", spec, origin);
	else
		rc = REVQ_ENOTFOUND;
	git_error_clear();
	git_object_free(obj);
	git_reference_free(ref);
	strvec_clear(&candidates);
	if (!rc)
		out->name = xstrdup(out->refname ? out->refname : spec);
	return rc;
}

int repo_find_target(struct target *out, struct repo *repo, const char *spec)
{
	static const char *const fallbacks[] = { "refs/remotes/origin/HEAD", "refs/heads/main",
						 "refs/heads/master" };
	int rc = REVQ_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	if (spec)
		return use_target(out, repo, spec, "--target");
	if (repo->settings.target)
		return use_target(out, repo, repo->settings.target, "revq.target");
	for (size_t i = 0; i < ARRAY_SIZE(fallbacks) && rc == REVQ_ENOTFOUND; i++)
		rc = use_target(out, repo, fallbacks[i], NULL);
	if (rc == REVQ_ENOTFOUND)
		rc = error_set(REVQ_ENOTFOUND,
			       "no target branch: none of origin/HEAD, main or master exists; "
			       "set revq.target or use --target");
	return rc;
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
	if ((rc = repo_resolve_commit(&id, repo, spec)))
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
