/*
 * test_treediff.c: treediff.h gives exactly the deltas libgit2's
 * git_diff_tree_to_tree() gives (status, paths, ids and modes, in order)
 * for thousands of random pairs of trees: nested directories, files that
 * become directories and back, modes, symlinks, submodules, names that
 * sort around '/', and contents shared between paths.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "git/repo.h"
#include "git/treediff.h"

static git_repository *repo;

/* A tiny deterministic generator: every run tests the same trees. */
static unsigned long long rng_state = 42;

static unsigned next_random(unsigned below)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % below);
}

static const char *const names[] = { "a", "a.c", "a-b", "a0", "b", "B", "z", "\xc3\xa9" };
#define NAMES (sizeof(names) / sizeof(names[0]))

struct file {
	char path[64];
	git_filemode_t mode;
	git_oid id;
};

struct tree_spec {
	struct file files[24];
	size_t nr;
};

static void random_path(char *out, size_t size)
{
	unsigned depth = 1 + next_random(3);

	out[0] = '\0';
	for (unsigned i = 0; i < depth; i++) {
		if (i)
			strncat(out, "/", size - strlen(out) - 1);
		strncat(out, names[next_random(NAMES)], size - strlen(out) - 1);
	}
}

/* One path may not be a directory of another (git_index refuses that). */
static int conflicts(const struct tree_spec *t, const char *path, size_t skip)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < t->nr; i++) {
		size_t other = strlen(t->files[i].path);

		if (i == skip)
			continue;
		if (!strcmp(t->files[i].path, path) ||
		    (other < len && !strncmp(path, t->files[i].path, other) && path[other] == '/') ||
		    (len < other && !strncmp(t->files[i].path, path, len) && t->files[i].path[len] == '/'))
			return 1;
	}
	return 0;
}

static void random_content(struct file *f)
{
	static const git_filemode_t modes[] = {
		GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE,
		GIT_FILEMODE_LINK, GIT_FILEMODE_COMMIT,
	};
	char text[16];

	f->mode = modes[next_random(sizeof(modes) / sizeof(modes[0]))];
	/* Few distinct contents, so that ids repeat across paths and modes. */
	snprintf(text, sizeof(text), "content %u\n", next_random(4));
	if (f->mode == GIT_FILEMODE_COMMIT)
		git_odb_hash(&f->id, text, strlen(text), GIT_OBJECT_COMMIT);   /* a submodule's commit need not exist */
	else
		assert_int_equal(git_blob_create_from_buffer(&f->id, repo, text, strlen(text)), 0);
}

static void add_random_file(struct tree_spec *t)
{
	struct file *f = &t->files[t->nr];

	for (int tries = 0; tries < 20; tries++) {
		random_path(f->path, sizeof(f->path));
		if (!conflicts(t, f->path, (size_t)-1)) {
			random_content(f);
			t->nr++;
			return;
		}
	}
}

static void random_tree(struct tree_spec *t)
{
	unsigned n = next_random(16);

	t->nr = 0;
	for (unsigned i = 0; i < n; i++)
		add_random_file(t);
}

/* Changes some files of t: new contents or modes, moves, deletions, additions. */
static void mutate(struct tree_spec *t)
{
	unsigned changes = 1 + next_random(4);

	for (unsigned c = 0; c < changes; c++) {
		unsigned what = next_random(4);
		size_t i = t->nr ? next_random((unsigned)t->nr) : 0;

		if (what == 0 && t->nr < 24) {
			add_random_file(t);
		} else if (what == 1 && t->nr) {
			t->files[i] = t->files[--t->nr];
		} else if (what == 2 && t->nr) {
			random_content(&t->files[i]);
		} else if (t->nr) {
			char path[64];

			random_path(path, sizeof(path));
			if (!conflicts(t, path, i))
				memcpy(t->files[i].path, path, sizeof(path));
		}
	}
}

static git_tree *write_tree(const struct tree_spec *t)
{
	git_index *index;
	git_tree *tree;
	git_oid id;

	assert_int_equal(git_index_new(&index), 0);
	for (size_t i = 0; i < t->nr; i++) {
		git_index_entry e;

		memset(&e, 0, sizeof(e));
		e.path = t->files[i].path;
		e.mode = t->files[i].mode;
		git_oid_cpy(&e.id, &t->files[i].id);
		assert_int_equal(git_index_add(index, &e), 0);
	}
	assert_int_equal(git_index_write_tree_to(&id, index, repo), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &id), 0);
	git_index_free(index);
	return tree;
}

static void describe(struct strbuf *out, git_delta_t status, const git_diff_file *a,
		     const git_diff_file *b)
{
	char x[GIT_OID_HEXSZ + 1], y[GIT_OID_HEXSZ + 1];

	strbuf_addf(out, "%d %s %s %o %s %s %o\n", (int)status, a->path,
		    git_oid_tostr(x, sizeof(x), &a->id), a->mode, b->path,
		    git_oid_tostr(y, sizeof(y), &b->id), b->mode);
}

static void assert_same_as_libgit2(git_tree *a, git_tree *b)
{
	struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT;
	struct treediff d = TREEDIFF_INIT;
	unsigned added = 0, deleted = 0;
	git_diff *diff;

	assert_int_equal(treediff_trees(&d, repo, a, b), 0);
	for (size_t i = 0; i < d.nr; i++)
		describe(&ours, d.deltas[i].status, &d.deltas[i].old_file, &d.deltas[i].new_file);
	assert_int_equal(git_diff_tree_to_tree(&diff, repo, a, b, NULL), 0);
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);

		describe(&theirs, delta->status, &delta->old_file, &delta->new_file);
		added += delta->status == GIT_DELTA_ADDED;
		deleted += delta->status == GIT_DELTA_DELETED;
	}
	if (strcmp(ours.buf, theirs.buf))
		fail_msg("treediff:\n%slibgit2:\n%s", ours.buf, theirs.buf);
	assert_int_equal(d.added, added);
	assert_int_equal(d.deleted, deleted);
	git_diff_free(diff);
	treediff_release(&d);
	strbuf_release(&ours);
	strbuf_release(&theirs);
}

static void test_random_trees_match_libgit2(void **state)
{
	struct tree_spec before, after;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		git_tree *a, *b;

		random_tree(&before);
		after = before;
		mutate(&after);
		a = write_tree(&before);
		b = write_tree(&after);
		assert_same_as_libgit2(a, b);
		assert_same_as_libgit2(b, a);
		assert_same_as_libgit2(NULL, b);   /* a root commit */
		assert_same_as_libgit2(a, NULL);
		git_tree_free(a);
		git_tree_free(b);
	}
}

static void test_same_tree_has_no_changes(void **state)
{
	struct treediff d = TREEDIFF_INIT;
	struct tree_spec t;
	git_tree *a;

	(void)state;
	random_tree(&t);
	a = write_tree(&t);
	assert_int_equal(treediff_trees(&d, repo, a, a), 0);
	assert_int_equal(d.nr, 0);
	assert_int_equal(treediff_trees(&d, repo, NULL, NULL), 0);
	assert_int_equal(d.nr, 0);
	git_tree_free(a);
}

static void test_missing_subtree_is_an_error(void **state)
{
	struct treediff d = TREEDIFF_INIT;
	git_treebuilder *tb;
	git_tree *a, *b;
	git_oid missing, id;

	(void)state;
	/* A tree naming a subtree that is not in the repository. */
	git_odb_hash(&missing, "nothing", 7, GIT_OBJECT_TREE);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "dir", &missing, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&id, tb), 0);
	git_treebuilder_free(tb);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
	assert_int_equal(git_tree_lookup(&b, repo, &id), 0);
	a = NULL;
	assert_int_not_equal(treediff_trees(&d, repo, a, b), 0);
	assert_int_equal(d.nr, 0);   /* released on error */
	git_tree_free(b);
}

static int setup(void **state)
{
	(void)state;
	repo_library_init();
	return git_repository_init(&repo, tl_tmpdir(), 1);
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(repo);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_trees_match_libgit2),
		cmocka_unit_test(test_same_tree_has_no_changes),
		cmocka_unit_test(test_missing_subtree_is_an_error),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
