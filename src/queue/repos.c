/*
 * repos.c: several repositories' queues as one (repos.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "queue/repos.h"

/* path with a leading "~/" taken from $HOME, as git config's path values are; caller frees. */
static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	struct strbuf out = STRBUF_INIT;

	if (!strncmp(path, "~/", 2) && home && *home) {
		strbuf_addstr(&out, home);
		strbuf_addstr(&out, path + 1);
	} else {
		strbuf_addstr(&out, path);
	}
	return strbuf_detach(&out, NULL);
}

/* The last component of the work tree (or of the git dir, for a bare repository). */
static char *name_of(const struct repo *repo)
{
	const char *dir = git_repository_workdir(repo->git);
	size_t len;
	const char *start;

	if (!dir)
		dir = repo->commondir;
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len > 5 && !strncmp(dir + len - 5, "/.git", 5))
		len -= 5;
	for (start = dir + len; start > dir && start[-1] != '/'; start--)
		;
	return xstrndup(start, (size_t)(dir + len - start));
}

/* 1 when s's repository is in the set already (the same common git dir). */
static int already_open(const struct repo_set *set, const struct session *s)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->repos[i].session->repo->commondir, s->repo->commondir))
			return 1;
	return 0;
}

/* Two repositories of one name are told apart by their paths. */
static void disambiguate(struct repo_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		int shared = 0;

		for (size_t k = 0; k < set->nr; k++)
			shared |= k != i && !strcmp(set->repos[i].label, set->repos[k].label);
		if (shared) {
			char *label = xstrdup(set->repos[i].path);

			free(set->repos[i].label);
			set->repos[i].label = label;
		}
	}
}

void repo_set_add(struct repo_set *set, struct session *session, const char *path)
{
	set->repos = xrealloc(set->repos, (set->nr + 1) * sizeof(*set->repos));
	memset(&set->repos[set->nr], 0, sizeof(*set->repos));
	set->repos[set->nr].path = xstrdup(path);
	set->repos[set->nr].label = name_of(session->repo);
	set->repos[set->nr++].session = session;
	disambiguate(set);
}

/* Opens the repository at path into set, unless it is there already. */
static int open_one(struct repo_set *set, const char *path)
{
	struct session *s;
	int rc;

	if (!(rc = session_open_path(&s, path))) {
		if (already_open(set, s))
			session_free(s);
		else
			repo_set_add(set, s, path);
	}
	return rc;
}

/*
 * Opens the repositories a list file names: one path a line, blanks
 * around it ignored, blank lines and "#" comments skipped, "~/" from
 * $HOME, a relative path from the list's directory.  Lists do not nest.
 */
static int open_list(struct repo_set *set, const char *file)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	const char *slash = strrchr(file, '/'), *line;
	struct lines it;
	size_t len;
	int rc = 0;

	if (strbuf_read_file(&text, file) < 0)
		rc = error_set(REVQ_ERROR, "%s: cannot read the list of repositories", file);
	it = (struct lines)LINES_INIT(text.buf, text.len);
	while (!rc && lines_next(&it, &line, &len)) {
		char *entry;

		while (len && (*line == ' ' || *line == '\t'))
			line++, len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		if (!len || *line == '#')
			continue;
		strbuf_reset(&path);
		if (*line != '/' && *line != '~' && slash)
			strbuf_add(&path, file, (size_t)(slash - file) + 1);
		strbuf_add(&path, line, len);
		entry = expand_home(path.buf);
		rc = open_one(set, entry);
		free(entry);
	}
	strbuf_release(&path);
	strbuf_release(&text);
	return rc;
}

int repo_set_open_paths(struct repo_set *set, const struct strvec *paths)
{
	int rc = 0;

	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < paths->nr && !rc; i++) {
		char *path = expand_home(paths->v[i]);
		struct stat st;

		rc = !stat(path, &st) && S_ISREG(st.st_mode) ? open_list(set, path) : open_one(set, path);
		free(path);
	}
	return rc;
}

int repo_set_build(struct repo_set *set, const struct queue_options *opts)
{
	struct queue_options each = *opts;
	struct queue **built;
	int rc = 0;

	if (opts->ranges_nr && set->nr > 1)
		return error_set(REVQ_EUSAGE, "ranges name commits of one repository; not with several");
	each.now = opts->now ? opts->now : clock_now();
	built = xcalloc(set->nr + 1, sizeof(*built));
	for (size_t i = 0; i < set->nr && !rc; i++) {
		if ((rc = queue_build(&built[i], set->repos[i].session, &each)) && set->nr > 1) {
			char *why = xstrdup(error_last());   /* error_set() rewrites the message error_last() shows */

			error_set(rc, "%s: %s", set->repos[i].path, why);
			free(why);
		}
	}
	/* all or nothing: the rows point into the queues */
	for (size_t i = 0; i < set->nr; i++) {
		struct queue **keep = rc ? &set->repos[i].queue : &built[i];

		queue_free(rc ? built[i] : set->repos[i].queue);
		set->repos[i].queue = *keep;
	}
	free(built);
	if (!rc) {
		set->now = each.now;
		repo_set_merge(set);
	}
	return rc;
}

int repo_set_open(struct repo_set *set, const struct strvec *paths, const struct queue_options *opts)
{
	int rc;

	if (opts->ranges_nr) {
		memset(set, 0, sizeof(*set));
		return error_set(REVQ_EUSAGE, "ranges name commits of one repository; not with several");
	}
	if (!(rc = repo_set_open_paths(set, paths)))
		rc = repo_set_build(set, opts);
	return rc;
}

static int compare_rows(const void *a, const void *b)
{
	const struct repo_row *x = a, *y = b;
	int c = queue_compare_items(x->item, y->item);

	/* one commit in two repositories (a fork): the repository order decides */
	return c ? c : x->repo < y->repo ? -1 : x->repo > y->repo;
}

void repo_set_merge(struct repo_set *set)
{
	size_t nr = 0;

	for (size_t i = 0; i < set->nr; i++)
		nr += set->repos[i].queue->nr;
	free(set->rows);
	set->rows = xcalloc(nr + 1, sizeof(*set->rows));
	set->rows_nr = 0;
	for (size_t i = 0; i < set->nr; i++) {
		const struct queue *q = set->repos[i].queue;

		for (size_t k = 0; k < q->nr; k++) {
			struct repo_row *row = &set->rows[set->rows_nr++];

			row->item = q->items[k];
			row->repo = i;
			row->index = k;
		}
	}
	if (set->rows_nr > 1)
		qsort(set->rows, set->rows_nr, sizeof(*set->rows), compare_rows);
}

void repo_set_release(struct repo_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		queue_free(set->repos[i].queue);
		session_free(set->repos[i].session);
		free(set->repos[i].path);
		free(set->repos[i].label);
	}
	free(set->repos);
	free(set->rows);
	memset(set, 0, sizeof(*set));
}
