/*
 * test_self_approval.c: a reviewer who is the commit's author, committer
 * or co-author never approves it, however the identity is spelled: a
 * blank inside the brackets, a blank before the trailer's colon, the
 * second identity of one trailer, a +tag address, or an alias that the
 * target's .mailmap maps to the reviewer.  Real repositories and real ssh
 * keys; each attack beside the control that must still pass (another
 * reviewer's approval counts).
 *
 * Each attack is tried twice: `revq approve` by the reviewer must refuse,
 * and an approval of the same change made before the identity appeared
 * (an earlier commit with the same patch, carried over to the new one)
 * must be judged "self-approval" by verify.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct fixture {
	const char *repo;
	const char *keys;
	char *x;   /* ai/orig: the change, nobody's but the default author's */
	char *y;   /* ai/x: the same change, with the identity under test */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "reviewer", "reviewer@example.com");
	tl_ssh_key(f->keys, "tagged", "reviewer+review@example.com");
	tl_ssh_key(f->keys, "laptop", "rev-laptop@example.com");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->x);
	free(f->y);
	free(f);
	return 0;
}

/*
 * X on ai/orig and Y on ai/x: the same change on main, Y with `trailer`
 * in its trailer block and by `author` (NULL: the default author).
 */
static void make_change(struct fixture *f, const char *trailer, const char *author)
{
	struct strbuf msg = STRBUF_INIT;

	tl_git(f->repo, "checkout -q -b ai/orig main");
	f->x = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			      "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q -b ai/x main");
	strbuf_addf(&msg, "Add a feature\n\nBody text.\n\n%s\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
		    trailer ? trailer : "Acked-by: Someone <someone@example.com>");
	if (author)
		setenv("GIT_AUTHOR_EMAIL", author, 1);
	f->y = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 1, msg.buf);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	tl_git(f->repo, "checkout -q main");
	strbuf_release(&msg);
}

/* Y again, authored by `author`. */
static void reauthor(struct fixture *f, const char *author)
{
	setenv("GIT_AUTHOR_EMAIL", author, 1);
	tl_git(f->repo, "checkout -q ai/x");
	tl_sh(f->repo, "git commit -q --amend --no-edit --reset-author");
	free(f->y);
	f->y = tl_git_out(f->repo, "rev-parse HEAD");
	tl_git(f->repo, "checkout -q main");
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
}

/* `revq approve` as NAME <EMAIL> with ssh key `key`; returns its exit status, stderr in err. */
static int approve(struct fixture *f, const char *key, const char *email, const char *commit,
		   struct strbuf *err)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	return tl_sh_output(f->repo, NULL, err,
			    "GIT_COMMITTER_NAME=Someone GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" approve -m ok %s",
			    email, commit);
}

static int verify(struct fixture *f, struct strbuf *out)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "verify --json main..ai/x");
}

/* The reviewer's own approval of Y is refused, and Y stays unapproved. */
static void assert_refused(struct fixture *f, const char *key, const char *email)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	if (approve(f, key, email, f->y, &err) != 3)
		fail_msg("%s approved a commit that is theirs: %s", email, err.buf);
	assert_contains(err.buf, "self-approval never counts");
	assert_int_equal(verify(f, &out), 1);
	assert_contains(out.buf, "not enough approvals: 0 of 1");
	strbuf_release(&err);
	strbuf_release(&out);
}

/* The reviewer's approval of X, carried over to Y, is judged self-approval by verify. */
static void assert_carried_is_self(struct fixture *f, const char *key, const char *email)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	if (approve(f, key, email, f->x, &err))
		fail_msg("approving the earlier commit failed: %s", err.buf);
	if (verify(f, &out) != 1)
		fail_msg("a carried-over self-approval counted:\n%s", out.buf);
	assert_contains(out.buf, "self-approval");
	assert_contains(out.buf, "not enough approvals: 0 of 1");
	strbuf_release(&err);
	strbuf_release(&out);
}

/* The control: another reviewer's approval of Y counts. */
static void assert_bob_counts(struct fixture *f)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	if (approve(f, "bob", "bob@example.com", f->y, &err))
		fail_msg("bob could not approve: %s", err.buf);
	if (verify(f, &out))
		fail_msg("bob's approval did not count:\n%s", out.buf);
	assert_json_text(out.buf, "$.ok", "1");
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_a_blank_inside_the_brackets_is_still_the_reviewer(void **state)
{
	struct fixture *f = *state;

	make_change(f, "Co-authored-by: Reviewer <reviewer@example.com >", NULL);
	assert_refused(f, "reviewer", "reviewer@example.com");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

static void test_a_blank_before_the_colon_is_still_a_co_author(void **state)
{
	struct fixture *f = *state;

	make_change(f, "Co-authored-by : Reviewer <reviewer@example.com>", NULL);
	assert_refused(f, "reviewer", "reviewer@example.com");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

static void test_the_second_identity_of_a_trailer_is_a_co_author(void **state)
{
	struct fixture *f = *state;

	make_change(f, "Co-authored-by: Alice <alice@example.com>, Reviewer <reviewer@example.com>", NULL);
	assert_refused(f, "reviewer", "reviewer@example.com");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

static void test_a_co_author_paragraph_before_the_sign_offs_counts(void **state)
{
	struct fixture *f = *state;

	make_change(f, "Co-authored-by: Reviewer <reviewer@example.com>\n\n"
		    "Signed-off-by: A U Thor <author@example.com>", NULL);
	assert_refused(f, "reviewer", "reviewer@example.com");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

static void test_a_plus_tag_is_the_same_address(void **state)
{
	struct fixture *f = *state;

	/* authored as reviewer+wip@, approved as reviewer@ */
	make_change(f, NULL, "Reviewer+wip@Example.com");
	assert_refused(f, "reviewer", "reviewer@example.com");
	/* and authored as reviewer@, approved as reviewer+review@ */
	reauthor(f, "reviewer@example.com");
	assert_refused(f, "tagged", "reviewer+review@example.com");
	assert_bob_counts(f);
}

static void test_a_mailmap_alias_of_the_reviewer_is_the_reviewer(void **state)
{
	struct fixture *f = *state;

	/* The target's .mailmap: old-alias@ is the reviewer, and so is rev-laptop@. */
	free(tl_commit_file(f->repo, ".mailmap",
			    "# people\nReviewer <reviewer@example.com> <Old-Alias@example.org>\n"
			    "Reviewer <reviewer@example.com> Laptop Name <rev-laptop@example.com>\n", 3,
			    "Mailmap"));
	make_change(f, NULL, "old-alias@example.org");
	assert_refused(f, "reviewer", "reviewer@example.com");
	/* the other direction: authored as reviewer@, approved from the laptop's alias */
	reauthor(f, "reviewer@example.com");
	assert_refused(f, "laptop", "rev-laptop@example.com");
	assert_bob_counts(f);
}

/* The commit under review cannot make someone else "self" with its own .mailmap. */
static void test_a_mailmap_in_the_change_itself_is_not_the_targets(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	tl_git(f->repo, "checkout -q -b ai/x main");
	free(tl_commit_file(f->repo, ".mailmap", "Author <author@example.com> <reviewer@example.com>\n", 1,
			    "Add a mailmap" TL_AI_TRAILER));
	f->y = tl_git_out(f->repo, "rev-parse HEAD");
	tl_git(f->repo, "checkout -q main");
	if (approve(f, "reviewer", "reviewer@example.com", f->y, &err))
		fail_msg("the reviewer could not approve: %s", err.buf);
	if (verify(f, &out))
		fail_msg("the reviewer's approval did not count:\n%s", out.buf);
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_verify_judges_a_carried_plus_tag_approval_as_self(void **state)
{
	struct fixture *f = *state;

	make_change(f, NULL, "reviewer+wip@example.com");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

static void test_verify_judges_a_carried_mailmap_alias_approval_as_self(void **state)
{
	struct fixture *f = *state;

	free(tl_commit_file(f->repo, ".mailmap", "Reviewer <reviewer@example.com> <old-alias@example.org>\n", 3,
			    "Mailmap"));
	make_change(f, NULL, "old-alias@example.org");
	assert_carried_is_self(f, "reviewer", "reviewer@example.com");
	assert_bob_counts(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_blank_inside_the_brackets_is_still_the_reviewer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_blank_before_the_colon_is_still_a_co_author, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_second_identity_of_a_trailer_is_a_co_author, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_co_author_paragraph_before_the_sign_offs_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_plus_tag_is_the_same_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_mailmap_alias_of_the_reviewer_is_the_reviewer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_mailmap_in_the_change_itself_is_not_the_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_judges_a_carried_plus_tag_approval_as_self, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_judges_a_carried_mailmap_alias_approval_as_self, setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
