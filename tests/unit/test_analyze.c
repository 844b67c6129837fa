/*
 * test_analyze.c: the exact patch identity (analyze.h), which carry-over
 * of a decision trusts.  Differential against git: two commits have the
 * same identity exactly when `git diff-tree -p` prints the same patch for
 * them, hunk line numbers and blob ids aside; so a byte-identical rebase
 * keeps it and a change of one space, one tab or a final newline does not.
 */
#include "config.h"

#include <stdio.h>

#include "testlib.h"
#include "judge/analyze.h"
#include "base/error.h"
#include "git/repo.h"

static const char *dir;
static git_repository *git;
static uint32_t seed = 7;

static uint32_t next_random(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed >> 8;
}

static int setup(void **state)
{
	(void)state;
	dir = tl_repo_new();
	repo_library_init();
	return git_repository_open(&git, dir) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(git);
	tl_cleanup();
	return 0;
}

static void exact_id(git_oid *out, const char *rev)
{
	char *hex = tl_git_out(dir, "rev-parse %s", rev);
	git_commit *commit;
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(git_commit_lookup(&commit, git, &id), 0);
	if (analyze_patch_id(out, git, commit))
		fail_msg("patch id of %s: %s", rev, error_last());
	git_commit_free(commit);
	free(hex);
}

/* git's patch, without what a rebase changes: blob ids and hunk line numbers. */
static char *patch_by_git(const char *rev)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(dir, &out, NULL, "git diff-tree -p --no-renames --no-color -U3 %s | "
		     "sed -e 1d -e '/^index /d' -e 's/^@@ [^@]* @@.*/@@/'", rev);
	return strbuf_detach(&out, NULL);
}

/* One line of a made-up file: words, sometimes indented with spaces or a tab. */
static void add_line(struct strbuf *sb, unsigned n)
{
	static const char *const words[] = { "if", "x", "rm", "-rf", "/tmp", "call()", "{", "}" };

	strbuf_addstr(sb, (const char *[]){ "", "    ", "\t", "  " }[next_random() % 4]);
	strbuf_addf(sb, "%s %s %u\n", words[next_random() % 8], words[next_random() % 8], n);
}

/* A mutation of an edit (0: none): a space for a tab, a lost newline, or a space inside a word. */
static void mutate(struct strbuf *edit, int how)
{
	char *p;

	switch (how) {
	case 1:   /* a space becomes a tab, or the first line gains an indent */
		if ((p = strchr(edit->buf, ' ')))
			*p = '\t';
		else
			strbuf_addstr(edit, " ");
		break;
	case 2:   /* no newline at the end */
		if (edit->len && edit->buf[edit->len - 1] == '\n')
			strbuf_setlen(edit, edit->len - 1);
		break;
	case 3:   /* a space inside a line: "rm -rf /tmp" becomes "rm -rf / tmp" */
		if ((p = strstr(edit->buf, "/tmp"))) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_add(&sb, edit->buf, (size_t)(p - edit->buf) + 1);
			strbuf_addstr(&sb, " ");
			strbuf_addstr(&sb, p + 1);
			strbuf_reset(edit);
			strbuf_add(edit, sb.buf, sb.len);
			strbuf_release(&sb);
		}
		break;
	default:
		break;
	}
}

static void test_the_identity_is_exact_where_git_patches_are_identical(void **state)
{
	int agreements = 0, same = 0, different = 0;

	(void)state;
	for (int trial = 0; trial < 120; trial++) {
		struct strbuf top = STRBUF_INIT, edit = STRBUF_INIT, bottom = STRBUF_INIT;
		struct strbuf x = STRBUF_INIT, y = STRBUF_INIT, base2 = STRBUF_INIT;
		git_oid idx, idy;
		char *px, *py;
		unsigned n = 0;
		int how = (int)(next_random() % 4), ids_equal, patches_equal;

		for (int i = 0; i < 6; i++)
			add_line(&top, n++);
		for (int i = 0; i < 1 + (int)(next_random() % 3); i++)
			add_line(&edit, n++);
		for (int i = 0; i < 8; i++)
			add_line(&bottom, n++);
		/* X: the edit between top and bottom, on a base of top + bottom. */
		strbuf_addf(&x, "%s%s%s", top.buf, edit.buf, bottom.buf);
		/* Y: maybe a mutated edit, on a base changed far below the edit. */
		strbuf_addf(&base2, "%s%sfar away\n", top.buf, bottom.buf);
		mutate(&edit, how);
		strbuf_addf(&y, "%s%s%sfar away\n", top.buf, edit.buf, bottom.buf);
		tl_git(dir, "checkout -q -B x main");
		tl_write(dir, "f.txt", top.buf);
		tl_sh(dir, "printf '%%s' '%s' >> f.txt && git add f.txt && git commit -q -m base", bottom.buf);
		tl_write(dir, "f.txt", x.buf);
		tl_git(dir, "commit -q -a -m x");
		tl_git(dir, "checkout -q -B y main");
		tl_write(dir, "f.txt", base2.buf);
		tl_git(dir, "add f.txt");
		tl_git(dir, "commit -q -m base2");
		tl_write(dir, "f.txt", y.buf);
		tl_git(dir, "commit -q -a -m y");
		exact_id(&idx, "x");
		exact_id(&idy, "y");
		px = patch_by_git("x");
		py = patch_by_git("y");
		ids_equal = git_oid_equal(&idx, &idy);
		patches_equal = !strcmp(px, py);
		if (ids_equal != patches_equal)
			fail_msg("trial %d (mutation %d): ids %s but git's patches %s:\n%s\n---\n%s", trial, how,
				 ids_equal ? "equal" : "differ", patches_equal ? "equal" : "differ", px, py);
		agreements++;
		same += ids_equal;
		different += !ids_equal;
		free(px);
		free(py);
		strbuf_release(&top);
		strbuf_release(&edit);
		strbuf_release(&bottom);
		strbuf_release(&x);
		strbuf_release(&y);
		strbuf_release(&base2);
	}
	/* Both answers were seen often enough for the comparison to mean something. */
	assert_true(same >= 20 && different >= 20);
	assert_int_equal(agreements, 120);
}

static void test_mode_and_binary_contents_count(void **state)
{
	git_oid a, b;

	(void)state;
	tl_git(dir, "checkout -q -B m main");
	tl_write(dir, "tool.sh", "echo hi\n");
	tl_git(dir, "add tool.sh");
	tl_git(dir, "commit -q -m a");
	exact_id(&a, "m");
	tl_git(dir, "checkout -q -B m2 main");
	tl_write(dir, "tool.sh", "echo hi\n");
	tl_sh(dir, "chmod +x tool.sh && git add tool.sh && git commit -q -m b");
	exact_id(&b, "m2");
	assert_false(git_oid_equal(&a, &b));
	tl_git(dir, "checkout -q -B b1 main");
	tl_write_bytes(dir, "blob.bin", "a\0b", 3);
	tl_git(dir, "add blob.bin");
	tl_git(dir, "commit -q -m b1");
	exact_id(&a, "b1");
	tl_git(dir, "checkout -q -B b2 main");
	tl_write_bytes(dir, "blob.bin", "a\0c", 3);
	tl_git(dir, "add blob.bin");
	tl_git(dir, "commit -q -m b2");
	exact_id(&b, "b2");
	assert_false(git_oid_equal(&a, &b));
	tl_git(dir, "checkout -q main");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_identity_is_exact_where_git_patches_are_identical),
		cmocka_unit_test(test_mode_and_binary_contents_count),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
