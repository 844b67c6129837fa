/*
 * test_many_repos.c: one queue over several repositories (revq.repos,
 * `revq list --repos PATH...`): every item of each, labelled with its
 * repository (`repo` in --json), in the one ranking; decisions are read
 * from, and written to, each repository's own notes; --for-me across
 * them; --repos FILE reads the paths from a list; a repository that
 * cannot be opened is named.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static const char *top, *keys;
static char *ids[3][2];
static const char *const names[3] = { "billing", "search", "infra" };

static void make_repo(int r)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "%s", names[r]);
	tl_sh(top, "git init -q -b main %s", dir);
	{
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", top, dir);
		free(tl_commit_file(path.buf, "README", "base\n", 10, "Base"));
		tl_git(path.buf, "checkout -q -b ai/work");
		/* one small change and one riskier one per repository, of different ages */
		ids[r][0] = tl_commit_file(path.buf, "src/a.c", "int a;\n", 1 + r, "Small change" TL_AI_TRAILER);
		ids[r][1] = tl_commit_file(path.buf, ".github/workflows/ci.yml", "run: curl x | sh\n", 4 + r,
					   "Risky change" TL_AI_TRAILER);
		tl_git(path.buf, "checkout -q main");
		tl_git(path.buf, "config gpg.format ssh");
		tl_git(path.buf, "config user.signingkey %s/jane", keys);
		tl_git(path.buf, "config gpg.ssh.allowedSignersFile %s/allowed", keys);
		strbuf_release(&path);
	}
}

static int setup(void **state)
{
	(void)state;
	top = tl_tmpdir();
	keys = tl_tmpdir();
	tl_write(keys, "allowed", "");
	tl_ssh_key(keys, "jane", "jane@example.com");
	for (int r = 0; r < 3; r++)
		make_repo(r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < 2; i++)
			free(ids[r][i]);
	tl_cleanup();
	return 0;
}

/* The PRIO column of each row of `revq list` output, in order; -1 ends it. */
static void priorities(const char *out, int *prio, size_t max)
{
	const char *line = strchr(out, '\n');
	size_t n = 0;

	while (line && line[1] && n + 1 < max) {
		prio[n++] = atoi(line + 1);
		line = strchr(line + 1, '\n');
	}
	prio[n] = -1;
}

static void test_one_queue_over_three_repositories_labels_each_row_in_one_ranking(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int prio[16];

	(void)state;
	assert_int_equal(tl_revq(top, &out, &err, "list --repos billing search infra"), 0);
	assert_contains(out.buf, " REPO ");
	for (int r = 0; r < 3; r++) {
		char line[128];

		snprintf(line, sizeof(line), "%-7s Small change", names[r]);
		assert_contains(out.buf, line);
		snprintf(line, sizeof(line), "%-7s Risky change", names[r]);
		assert_contains(out.buf, line);
	}
	/* the one ranking: priorities never go up down the list, six rows */
	priorities(out.buf, prio, 16);
	for (int i = 0; i < 6; i++) {
		assert_true(prio[i] >= 0);
		if (i)
			assert_true(prio[i] <= prio[i - 1]);
	}
	assert_int_equal(prio[6], -1);
	/* risky ones first, the oldest (infra's, 6 days) ahead of the others */
	assert_true(strstr(out.buf, "infra   Risky change") < strstr(out.buf, "billing Risky change"));
	assert_true(strstr(out.buf, "billing Risky change") < strstr(out.buf, "Small change"));
	/* --json: the repository of each item */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "list --json --repos billing search infra"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 6);
	assert_json_text(out.buf, "$[0].repo", "infra");
	assert_json_text(out.buf, "$[0].subject", "Risky change");
	/* options may come after the paths too */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "list --repos billing search --json --limit 2"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 2);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_revq_repos_adds_the_current_repository_and_works_outside_one(void **state)
{
	struct strbuf out = STRBUF_INIT, dir = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	strbuf_addf(&dir, "%s/billing", top);
	tl_git(dir.buf, "config --add revq.repos ../search");
	tl_git(dir.buf, "config --add revq.repos %s/infra", top);
	assert_int_equal(tl_revq(dir.buf, &out, NULL, "list"), 0);
	assert_contains(out.buf, "billing Small change");
	assert_contains(out.buf, "search  Small change");
	assert_contains(out.buf, "infra   Small change");
	/* ranges name this repository's commits: one repository, as before */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir.buf, &out, NULL, "list main..ai/work"), 0);
	assert_not_contains(out.buf, "REPO");
	assert_contains(out.buf, "Small change");
	tl_git(dir.buf, "config --unset-all revq.repos");
	/* outside any repository: the user's own revq.repos */
	tl_sh(top, "git config --global --add revq.repos '%s/search' && "
		   "git config --global --add revq.repos '~/../nowhere-%d'", top, 1);
	assert_int_equal(tl_revq(top, &out, &err, "list"), 3);
	assert_contains(err.buf, "nowhere-1: not a git repository");
	tl_sh(top, "git config --global --unset-all revq.repos && git config --global --add revq.repos '%s/search'",
	      top);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "list"), 0);
	assert_contains(out.buf, "search Small change");
	assert_not_contains(out.buf, "billing");
	tl_sh(top, "git config --global --unset-all revq.repos");
	/* and with none, outside a repository, the usual error */
	assert_int_equal(tl_revq(top, NULL, &err, "list"), 3);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&dir);
}

static void test_repos_may_name_a_file_that_lists_the_repositories(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	/* comments, blanks, a path relative to the list's directory and an absolute one */
	tl_sh(top, "mkdir -p lists");
	tl_sh(top, "printf '# the services I own\\n\\n  ../billing  \\n%s/search\\r\\n' >lists/mine", top);
	assert_int_equal(tl_revq(top, &out, &err, "list --repos lists/mine"), 0);
	assert_contains(out.buf, "billing Small change");
	assert_contains(out.buf, "search  Small change");
	assert_not_contains(out.buf, "infra");
	/* a list and a path together, one repository named twice counts once */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(top, &out, NULL, "list --json --repos lists/mine infra billing"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 6);
	/* a line naming no repository fails, naming it; an unreadable list too */
	tl_sh(top, "printf '../billing\\n../nowhere\\n' >lists/bad");
	assert_int_equal(tl_revq(top, NULL, &err, "list --repos lists/bad"), 3);
	assert_contains(err.buf, "nowhere: not a git repository");
	strbuf_reset(&err);
	tl_sh(top, "mkdir -p lists/locked && printf 'x\\n' >lists/locked/l && chmod 0 lists/locked/l");
	strbuf_reset(&out);
	strbuf_addf(&out, "%s/lists/locked/l", top);
	if (access(out.buf, R_OK)) {   /* not as root, who reads it anyway */
		assert_int_equal(tl_revq(top, NULL, &err, "list --repos lists/locked/l"), 3);
		assert_contains(err.buf, "cannot read the list of repositories");
	}
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_a_decision_counts_in_its_own_repository_only(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, dir = STRBUF_INIT;

	(void)state;
	/* the same commit in a second repository: a clone of search */
	tl_sh(top, "git clone -q search fork && git -C fork branch -q ai/work origin/ai/work");
	tl_sh(top, "cd fork && git config gpg.format ssh && git config gpg.ssh.allowedSignersFile %s/allowed",
	      keys);
	strbuf_addf(&dir, "%s/search", top);
	if (tl_sh(dir.buf, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com \"$REVQ_BIN\" "
		  "approve -m ok %s >/dev/null 2>&1", ids[1][0]))
		fail_msg("approve failed");
	assert_int_equal(tl_sh(top, "git -C fork rev-parse -q --verify refs/notes/revq >/dev/null"), 1);
	assert_int_equal(tl_sh(top, "git -C billing rev-parse -q --verify refs/notes/revq >/dev/null"), 1);
	assert_int_equal(tl_revq(top, &out, NULL, "list --repos search fork billing"), 0);
	assert_contains(out.buf, "approved  ");
	{
		/* approved in search; the fork's copy of the same commit is still pending */
		const char *approved = strstr(out.buf, "approved  ");
		const char *eol = strchr(approved, '\n');
		char *row = strndup(approved, (size_t)(eol - approved));

		assert_contains(row, "search  Small change");
		free(row);
		assert_contains(out.buf, "fork    Small change");
	}
	/* --for-me across them: the one in search is approved; the 5 others need Jane */
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(top, &out, &err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
				      "\"$REVQ_BIN\" list --for-me --repos search fork billing"), 0);
	assert_contains(err.buf, "revq: 5 need you (jane@example.com), 0 need someone else");
	assert_not_contains(out.buf, "approved");
	assert_contains(out.buf, "fork    Small change");
	assert_contains(out.buf, "billing Risky change");
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&dir);
}

static void test_two_repositories_of_one_name_are_told_apart_by_their_paths(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_sh(top, "mkdir -p other && git clone -q billing other/billing && "
		   "git -C other/billing branch -q ai/work origin/ai/work");
	assert_int_equal(tl_revq(top, &out, NULL, "list --repos billing other/billing billing/.git"), 0);
	assert_contains(out.buf, "other/billing Small change");
	assert_contains(out.buf, "billing       Small change");
	/* billing and billing/.git are one repository, listed once */
	{
		size_t n = 0;

		for (const char *p = out.buf; (p = strstr(p, "billing       Small change")); p++)
			n++;
		assert_int_equal(n, 1);
	}
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_queue_over_three_repositories_labels_each_row_in_one_ranking),
		cmocka_unit_test(test_revq_repos_adds_the_current_repository_and_works_outside_one),
		cmocka_unit_test(test_repos_may_name_a_file_that_lists_the_repositories),
		cmocka_unit_test(test_a_decision_counts_in_its_own_repository_only),
		cmocka_unit_test(test_two_repositories_of_one_name_are_told_apart_by_their_paths),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
