/*
 * test_cmdconfig.c: `git -c`, GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT
 * honoured as git honours them (cmdconfig.h): the quoting git writes,
 * the order and precedence git gives them, the errors git makes, and a
 * real `git -c ... revq` through git's own command dispatch.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "git/cmdconfig.h"
#include "git/repo.h"

static void assert_entry(const struct cmdconfig *cc, size_t i, const char *name, const char *value)
{
	assert_true(i < cc->nr);
	assert_string_equal(cc->v[i].name, name);
	if (value)
		assert_string_equal(cc->v[i].value, value);
	else
		assert_null(cc->v[i].value);
}

static void test_parameters_parse_as_git_writes_them(void **state)
{
	struct cmdconfig cc = CMDCONFIG_INIT;

	(void)state;
	/* Exactly what git 2.39 exports for: -c a.b=c -c "x.Y.z=it's" -c 'alias.e=!echo' -c core.bare -c k.v= */
	assert_int_equal(cmdconfig_parse_parameters(&cc, "'a.b'='c' 'x.Y.z'='it'\\''s' 'alias.e'=''\\!'echo' "
							 "'core.bare' 'k.v'=''"), 0);
	assert_int_equal(cc.nr, 5);
	assert_entry(&cc, 0, "a.b", "c");
	assert_entry(&cc, 1, "x.Y.z", "it's");      /* the subsection keeps its case */
	assert_entry(&cc, 2, "alias.e", "!echo");
	assert_entry(&cc, 3, "core.bare", NULL);    /* a bare key: implicit true */
	assert_entry(&cc, 4, "k.v", "");
	cmdconfig_release(&cc);
	/* The old style, as git before 2.31 wrote it: 'key=value', the key trimmed and lower-cased. */
	assert_int_equal(cmdconfig_parse_parameters(&cc, "'Revq.NotesRef=refs/notes/x=y'  ' user.Name = Jane'"), 0);
	assert_entry(&cc, 0, "revq.notesref", "refs/notes/x=y");
	assert_entry(&cc, 1, "user.name", " Jane");
	cmdconfig_release(&cc);
}

static void test_bogus_parameters_are_refused_as_git_refuses_them(void **state)
{
	static const char *const bogus[] = { "'unterminated", "a.b=c", "'a.b'x", "'a.b'='c'x", "'a.b'=c",
					     "'nodot'", "'.b=c'", "'a.=c'", "'a.1b=c'", "'a!b.c=d'", "'=x'" };
	struct cmdconfig cc = CMDCONFIG_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
		if (cmdconfig_parse_parameters(&cc, bogus[i]) != REVQ_EUSAGE)
			fail_msg("accepted: %s", bogus[i]);
		cmdconfig_release(&cc);
	}
	/* Legitimate beside them: a subsection may hold anything but a newline. */
	assert_int_equal(cmdconfig_parse_parameters(&cc, "'url.https://x/a b.insteadOf'='y'"), 0);
	assert_entry(&cc, 0, "url.https://x/a b.insteadof", "y");
	cmdconfig_release(&cc);
}

static void test_count_comes_first_and_parameters_win(void **state)
{
	struct cmdconfig cc = CMDCONFIG_INIT;

	(void)state;
	setenv("GIT_CONFIG_COUNT", "2", 1);
	setenv("GIT_CONFIG_KEY_0", "revq.notesRef", 1);
	setenv("GIT_CONFIG_VALUE_0", "refs/notes/from-count", 1);
	setenv("GIT_CONFIG_KEY_1", "revq.jobs", 1);
	setenv("GIT_CONFIG_VALUE_1", "3", 1);
	setenv("GIT_CONFIG_PARAMETERS", "'revq.notesref'='refs/notes/from-c'", 1);
	assert_int_equal(cmdconfig_from_env(&cc), 0);
	assert_int_equal(cc.nr, 3);
	assert_entry(&cc, 0, "revq.notesref", "refs/notes/from-count");
	assert_entry(&cc, 2, "revq.notesref", "refs/notes/from-c");
	cmdconfig_release(&cc);
	/* A missing value, or a count that is not one, is an error, as in git. */
	unsetenv("GIT_CONFIG_VALUE_1");
	assert_int_equal(cmdconfig_from_env(&cc), REVQ_EUSAGE);
	assert_contains(error_last(), "GIT_CONFIG_VALUE_1");
	cmdconfig_release(&cc);
	setenv("GIT_CONFIG_COUNT", "two", 1);
	assert_int_equal(cmdconfig_from_env(&cc), REVQ_EUSAGE);
	cmdconfig_release(&cc);
	unsetenv("GIT_CONFIG_COUNT");
	unsetenv("GIT_CONFIG_KEY_0");
	unsetenv("GIT_CONFIG_VALUE_0");
	unsetenv("GIT_CONFIG_KEY_1");
	unsetenv("GIT_CONFIG_PARAMETERS");
}

/* The level sits above the repository's own config, in snapshots and multivars too. */
static void test_the_level_wins_over_the_files_in_every_snapshot(void **state)
{
	const char *dir = tl_repo_new();
	git_repository *repo;
	git_config *cfg;
	git_config_iterator *it;
	git_config_entry *e;
	git_buf buf = { NULL, 0, 0 };
	int32_t jobs;
	int n = 0;

	(void)state;
	repo_library_init();
	tl_git(dir, "config revq.notesRef refs/notes/local");
	tl_git(dir, "config revq.jobs 2");
	tl_git(dir, "config --add revq.pending refs/heads/*");
	setenv("GIT_CONFIG_PARAMETERS", "'revq.notesRef'='refs/notes/cli' 'revq.pending'='refs/cli/*'", 1);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(cmdconfig_attach(repo), 0);
	assert_int_equal(git_repository_config_snapshot(&cfg, repo), 0);
	assert_int_equal(git_config_get_string_buf(&buf, cfg, "revq.notesref"), 0);
	assert_string_equal(buf.ptr, "refs/notes/cli");
	assert_int_equal(git_config_get_int32(&jobs, cfg, "revq.jobs"), 0);   /* untouched keys: the file's */
	assert_int_equal(jobs, 2);
	assert_int_equal(git_config_multivar_iterator_new(&it, cfg, "revq.pending", NULL), 0);
	while (!git_config_next(&e, it))
		n++;
	git_config_iterator_free(it);
	assert_int_equal(n, 2);   /* the file's value and the command line's */
	git_buf_dispose(&buf);
	git_config_free(cfg);
	git_repository_free(repo);
	unsetenv("GIT_CONFIG_PARAMETERS");
}

/* End to end: git's own -c reaches `git revq` (git-revq on PATH). */
static void test_git_dash_c_reaches_git_revq(void **state)
{
	const char *dir = tl_repo_new(), *bin = tl_tmpdir();
	struct strbuf err = STRBUF_INIT;

	(void)state;
	free(tl_commit(dir, 1, "base"));
	tl_sh(bin, "ln -s \"$REVQ_BIN\" git-revq");
	tl_sh_output(dir, NULL, &err, "PATH='%s':\"$PATH\" git -c gpg.format=bogus revq approve HEAD", bin);
	assert_contains(err.buf, "unknown gpg.format 'bogus'");
	strbuf_reset(&err);
	/* Without -c, the repository's own setting. */
	tl_git(dir, "config gpg.format alsobogus");
	tl_sh_output(dir, NULL, &err, "PATH='%s':\"$PATH\" git revq approve HEAD", bin);
	assert_contains(err.buf, "unknown gpg.format 'alsobogus'");
	strbuf_reset(&err);
	tl_sh_output(dir, NULL, &err, "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gpg.format GIT_CONFIG_VALUE_0=counted "
				      "\"$REVQ_BIN\" approve HEAD");
	assert_contains(err.buf, "unknown gpg.format 'counted'");
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parameters_parse_as_git_writes_them),
		cmocka_unit_test(test_bogus_parameters_are_refused_as_git_refuses_them),
		cmocka_unit_test(test_count_comes_first_and_parameters_win),
		cmocka_unit_test(test_the_level_wins_over_the_files_in_every_snapshot),
		cmocka_unit_test(test_git_dash_c_reaches_git_revq),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
