/*
 * test_policy.c: parsing the review policy (policy.h, revq-policy(5))
 * and the requirement it sets for a commit.  policy_parse() only: no
 * repository.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"
#include "base/error.h"
#include "decide/policy.h"
#include "git/repo.h"

#define ORIGIN "main:.revq/policy"

/* The example of revq-policy(5). */
static const char example[] =
	"[revq]\n"
	"\tallowedSigners = .revq/allowed_signers\n"
	"[reviewer \"jane@example.com\"]\n"
	"\tlevel = senior\n"
	"[reviewer \"raj@example.com\"]\n"
	"\tlevel = mid\n"
	"[tier \"high\"]\n"
	"\tminRisk = 50\n"
	"\tlevel = senior\n"
	"\tapprovals = 1\n"
	"[tier \"normal\"]\n"
	"\tminRisk = 0\n"
	"\tlevel = mid\n"
	"\tapprovals = 1\n"
	"[path \"infra/**\"]\n"
	"\tlevel = senior\n";

static int parse(struct policy *p, const char *text)
{
	return policy_parse(p, text, strlen(text), ORIGIN);
}

/* The requirement's reasons joined with " | "; caller frees. */
static char *why(const struct requirement *req)
{
	return strvec_join(&req->why, " | ");
}

static void test_parse_example(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, example), 0);
	assert_true(p.present);
	assert_string_equal(p.origin, ORIGIN);
	assert_string_equal(p.allowed_signers_path, ".revq/allowed_signers");
	assert_null(p.allowed_signers);   /* policy_parse does not read it */
	assert_int_equal(p.carry_over_rebase, 1);
	assert_int_equal(p.reviewers_nr, 2);
	assert_string_equal(p.reviewers[0].email, "jane@example.com");
	assert_int_equal(p.reviewers[0].level, LEVEL_SENIOR);
	assert_string_equal(p.reviewers[1].email, "raj@example.com");
	assert_int_equal(p.reviewers[1].level, LEVEL_MID);
	/* tiers come sorted by minRisk */
	assert_int_equal(p.tiers_nr, 2);
	assert_string_equal(p.tiers[0].name, "normal");
	assert_int_equal(p.tiers[0].min_risk, 0);
	assert_int_equal(p.tiers[0].level, LEVEL_MID);
	assert_int_equal(p.tiers[0].approvals, 1);
	assert_string_equal(p.tiers[1].name, "high");
	assert_int_equal(p.tiers[1].min_risk, 50);
	assert_int_equal(p.tiers[1].level, LEVEL_SENIOR);
	assert_int_equal(p.paths_nr, 1);
	assert_string_equal(p.paths[0].glob, "infra/**");
	assert_int_equal(p.paths[0].level, LEVEL_SENIOR);
	assert_int_equal(p.paths[0].approvals, 0);
	policy_release(&p);
	assert_null(p.tiers);
}

static void test_reviewer_levels(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, example), 0);
	assert_int_equal(policy_level_of(&p, "jane@example.com"), LEVEL_SENIOR);
	assert_int_equal(policy_level_of(&p, "Jane@Example.COM"), LEVEL_SENIOR);
	assert_int_equal(policy_level_of(&p, "raj@example.com"), LEVEL_MID);
	/* reviewers not listed are junior */
	assert_int_equal(policy_level_of(&p, "mallory@example.com"), LEVEL_JUNIOR);
	policy_release(&p);
}

static void test_requirement_from_tiers_and_paths(void **state)
{
	struct policy p;
	struct requirement req;
	struct strvec paths = STRVEC_INIT;
	char *w;

	(void)state;
	assert_int_equal(parse(&p, example), 0);
	strvec_push(&paths, "src/app.c");
	policy_requirement(&req, &p, 10, &paths);
	assert_int_equal(req.level, LEVEL_MID);
	assert_int_equal(req.approvals, 1);
	w = why(&req);
	assert_string_equal(w, "tier normal (risk 10 >= 0)");
	free(w);
	requirement_release(&req);

	policy_requirement(&req, &p, 72, &paths);
	assert_int_equal(req.level, LEVEL_SENIOR);
	w = why(&req);
	assert_string_equal(w, "tier high (risk 72 >= 50)");
	free(w);
	requirement_release(&req);

	policy_requirement(&req, &p, 50, NULL);
	assert_int_equal(req.level, LEVEL_SENIOR);
	requirement_release(&req);

	/* a path rule raises a low-risk commit to senior */
	strvec_push(&paths, "infra/prod/main.tf");
	strvec_push(&paths, "infra/dev/main.tf");
	policy_requirement(&req, &p, 10, &paths);
	assert_int_equal(req.level, LEVEL_SENIOR);
	assert_int_equal(req.approvals, 1);
	w = why(&req);
	assert_string_equal(w, "tier normal (risk 10 >= 0) | path infra/** (infra/prod/main.tf)");
	free(w);
	requirement_release(&req);
	strvec_clear(&paths);
	policy_release(&p);
}

/* Each of these protected nothing under infra/prod/ before: gitignore's rules. */
static void test_a_path_rule_naming_a_directory_protects_everything_below_it(void **state)
{
	static const char *const globs[] = { "infra/", "infra", "/infra", "infra/*" };
	struct strvec paths = STRVEC_INIT;

	(void)state;
	strvec_push(&paths, "infra/prod/main.tf");
	for (size_t i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		struct strbuf text = STRBUF_INIT;
		struct policy p;
		struct requirement req;

		strbuf_addf(&text, "[path \"%s\"]\n\tlevel = senior\n\tapprovals = 2\n", globs[i]);
		assert_int_equal(parse(&p, text.buf), 0);
		policy_requirement(&req, &p, 0, &paths);
		if (req.level != LEVEL_SENIOR || req.approvals != 2)
			fail_msg("[path \"%s\"] does not protect infra/prod/main.tf", globs[i]);
		requirement_release(&req);
		policy_release(&p);
		strbuf_release(&text);
	}
	/* The control: a path outside infra/ still needs only the default. */
	{
		struct policy p;
		struct requirement req;

		strvec_clear(&paths);
		strvec_push(&paths, "infrastructure.md");
		assert_int_equal(parse(&p, "[path \"infra/\"]\n\tlevel = senior\n"), 0);
		policy_requirement(&req, &p, 0, &paths);
		assert_int_equal(req.level, LEVEL_JUNIOR);
		requirement_release(&req);
		policy_release(&p);
	}
	strvec_clear(&paths);
}

static void test_a_glob_too_long_to_match_is_a_policy_error(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct policy p;

	(void)state;
	strbuf_addstr(&text, "[path \"infra/");
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&text, 'a');
	strbuf_addstr(&text, "\"]\n\tlevel = senior\n");
	assert_int_equal(parse(&p, text.buf), REVQ_ERROR);
	assert_contains(error_last(), "the glob is longer than 4096 bytes");
	policy_release(&p);
	strbuf_release(&text);
}

static void test_approval_counts(void **state)
{
	struct policy p;
	struct requirement req;
	struct strvec paths = STRVEC_INIT;
	char *w;

	(void)state;
	assert_int_equal(parse(&p, "[tier \"high\"]\n minRisk = 60\n approvals = 2\n level = MID\n"
			       "[path \"*.sql\"]\n approvals = 3\n"
			       "[path \"docs/**\"]\n approvals = 1\n level = junior\n"), 0);
	assert_int_equal(p.tiers[0].approvals, 2);
	assert_int_equal(p.tiers[0].level, LEVEL_MID);
	assert_int_equal(p.paths[0].approvals, 3);
	assert_int_equal(p.paths[0].level, LEVEL_NONE);

	/* below every tier: one approval at junior */
	policy_requirement(&req, &p, 59, NULL);
	assert_int_equal(req.level, LEVEL_JUNIOR);
	assert_int_equal(req.approvals, 1);
	assert_int_equal(req.why.nr, 0);
	requirement_release(&req);

	/* a path rule never lowers what the tier asked for */
	strvec_pushl(&paths, "docs/README.md", NULL);
	policy_requirement(&req, &p, 60, &paths);
	assert_int_equal(req.level, LEVEL_MID);
	assert_int_equal(req.approvals, 2);
	w = why(&req);
	assert_string_equal(w, "tier high (risk 60 >= 60) | path docs/** (docs/README.md)");
	free(w);
	requirement_release(&req);

	/* and raises the count */
	strvec_push(&paths, "db/migrate/0001.sql");
	policy_requirement(&req, &p, 60, &paths);
	assert_int_equal(req.level, LEVEL_MID);
	assert_int_equal(req.approvals, 3);
	requirement_release(&req);
	strvec_clear(&paths);
	policy_release(&p);
}

static void test_defaults_and_carry_over(void **state)
{
	struct policy p;
	struct requirement req;

	(void)state;
	assert_int_equal(parse(&p, ""), 0);
	assert_int_equal(p.tiers_nr + p.paths_nr + p.reviewers_nr, 0);
	assert_int_equal(p.carry_over_rebase, 1);
	assert_null(p.allowed_signers_path);
	policy_requirement(&req, &p, 100, NULL);
	assert_int_equal(req.level, LEVEL_JUNIOR);
	assert_int_equal(req.approvals, 1);
	requirement_release(&req);
	policy_release(&p);

	assert_int_equal(parse(&p, "# comment\n[revq]\n\tcarryOverRebase = false\n"), 0);
	assert_int_equal(p.carry_over_rebase, 0);
	policy_release(&p);
	assert_int_equal(parse(&p, "[REVQ]\n\tCARRYOVERREBASE = yes\n"), 0);
	assert_int_equal(p.carry_over_rebase, 1);
	policy_release(&p);

	/* a tier names its defaults: junior, one approval */
	assert_int_equal(parse(&p, "[tier \"Any\"]\nminRisk = 0\n"), 0);
	assert_string_equal(p.tiers[0].name, "Any");
	assert_int_equal(p.tiers[0].level, LEVEL_JUNIOR);
	assert_int_equal(p.tiers[0].approvals, 1);
	policy_release(&p);
}

static void expect_error(const char *text, const char *message)
{
	struct policy p;
	int rc = policy_parse(&p, text, strlen(text), ORIGIN);

	if (rc != REVQ_ERROR)
		fail_msg("accepted (%d) the policy:\n%s", rc, text);
	if (strcmp(error_last(), message))
		fail_msg("error is \"%s\", expected \"%s\"", error_last(), message);
	policy_release(&p);
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error("[reviewer \"a@b\"]\nlevel = principal\n",
		     ORIGIN ": reviewer.a@b.level = 'principal': unknown level (use junior, mid or senior)");
	expect_error("[reviewer \"a@b\"]\nlevel = none\n",
		     ORIGIN ": reviewer.a@b.level = 'none': unknown level (use junior, mid or senior)");
	expect_error("[tier \"t\"]\nminRisk = 101\n",
		     ORIGIN ": tier.t.minrisk = '101': minRisk must be a number from 0 to 100");
	expect_error("[tier \"t\"]\nminRisk = -1\n",
		     ORIGIN ": tier.t.minrisk = '-1': minRisk must be a number from 0 to 100");
	expect_error("[tier \"t\"]\nminRisk = high\n",
		     ORIGIN ": tier.t.minrisk = 'high': minRisk must be a number from 0 to 100");
	expect_error("[tier \"t\"]\nminRisk = 0\napprovals = 0\n",
		     ORIGIN ": tier.t.approvals = '0': approvals must be a number from 1 to 20");
	expect_error("[path \"x/**\"]\napprovals = 21\n",
		     ORIGIN ": path.x/**.approvals = '21': approvals must be a number from 1 to 20");
	expect_error("[path \"x/**\"]\nlevel = boss\n",
		     ORIGIN ": path.x/**.level = 'boss': unknown level (use junior, mid or senior)");
	expect_error("[path \"\"]\nlevel = senior\n",
		     ORIGIN ": [path \"\"]: the glob is empty");
	expect_error("[path \"!infra/\"]\nlevel = senior\n",
		     ORIGIN ": [path \"!infra/\"]: the glob is a negated pattern ('!') means nothing here");
	expect_error("[path \"infra//prod\"]\nlevel = senior\n",
		     ORIGIN ": [path \"infra//prod\"]: the glob is an empty path component ('//') matches no path");
	expect_error("[revq]\ncarryOverRebase = maybe\n",
		     ORIGIN ": revq.carryoverrebase = 'maybe': not a boolean");
	expect_error("[tier \"t\"]\nminRisk\n",
		     ORIGIN ": tier.t.minrisk = '': minRisk must be a number from 0 to 100");
}

static void test_structural_errors(void **state)
{
	(void)state;
	expect_error("[tier \"t\"]\nlevel = senior\n", ORIGIN ": tier \"t\" has no minRisk");
	expect_error("[foo]\nbar = 1\n", ORIGIN ": unknown setting 'foo.bar'");
	expect_error("minRisk = 1\n", ORIGIN ": unknown setting 'minrisk'");
	expect_error("[revq]\ntarget = main\n", ORIGIN ": unknown setting 'revq.target'");
	expect_error("[reviewer]\nlevel = senior\n", ORIGIN ": unknown setting 'reviewer.level'");
	expect_error("[reviewer \"a@b\"]\nrole = senior\n", ORIGIN ": unknown setting 'reviewer.a@b.role'");
	expect_error("[tier \"t\"]\nminRisk = 1\nlevels = mid\n", ORIGIN ": unknown setting 'tier.t.levels'");
	expect_error("[include]\npath = /etc/revq\n",
		     ORIGIN ": include sections are not allowed in a policy");
	expect_error("[reviewer \"a@b\"]\nlevel = mid\n[includeIf \"gitdir:/\"]\npath = x\n",
		     ORIGIN ": include sections are not allowed in a policy");
}

static void test_nul_byte_is_not_text(void **state)
{
	static const char text[] = "[revq]\nallowedSigners = a\0b\n";
	struct policy p;

	(void)state;
	assert_int_equal(policy_parse(&p, text, sizeof(text) - 1, ORIGIN), REVQ_ERROR);
	assert_string_equal(error_last(), ORIGIN ": not a text file");
	policy_release(&p);
}

static void test_invalid_syntax(void **state)
{
	struct policy p;
	static const char *const bad[] = {
		"[tier \"t\"\nminRisk = 1\n",
		"[tier t]\nminRisk = 1\n",
		"[tier \"t\"]\n= 1\n",
		"[tier \"t\"]\nmin risk = 1\n",
		"[]\nx = 1\n",
		"[tier \"t\"]\nminRisk = 1 \\q\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&p, bad[i]) != REVQ_ERROR)
			fail_msg("accepted the policy:\n%s", bad[i]);
		assert_contains(error_last(), "not valid git-config syntax");
		assert_int_equal(strncmp(error_last(), ORIGIN ":", strlen(ORIGIN) + 1), 0);
		/* The temporary copy libgit2 parsed is not named. */
		assert_not_contains(error_last(), "revq-policy-");
		policy_release(&p);
	}
}

static void test_syntax_error_names_the_line(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "[revq]\n\tcarryOverRebase = true\n[tier t]\n"), REVQ_ERROR);
	assert_contains(error_last(), ORIGIN ":3: not valid git-config syntax");
	policy_release(&p);
	/* libgit2 alone would read this as minRisk = 1; git refuses it, and so does revq. */
	assert_int_equal(parse(&p, "# a \"comment\n[tier \"t\"]\n\tminRisk = \"1\n"), REVQ_ERROR);
	assert_contains(error_last(), ORIGIN ":3: not valid git-config syntax: a quote is not closed");
	policy_release(&p);
	/* Quotes, escaped quotes, comment characters inside quotes and continued lines are fine. */
	assert_int_equal(parse(&p, "[path \"docs/#1;x\"]\n\tlevel = \"mid\" ; why\n"
			       "[reviewer \"a@b\"]\n\tlevel = se\\\nnior\n"), 0);
	policy_release(&p);
}

static void test_levels(void **state)
{
	enum level l = LEVEL_NONE;

	(void)state;
	assert_string_equal(level_name(LEVEL_JUNIOR), "junior");
	assert_string_equal(level_name(LEVEL_MID), "mid");
	assert_string_equal(level_name(LEVEL_SENIOR), "senior");
	assert_string_equal(level_name(LEVEL_NONE), "none");
	assert_int_equal(level_parse(&l, "Senior"), 0);
	assert_int_equal(l, LEVEL_SENIOR);
	assert_int_equal(level_parse(&l, "mid"), 0);
	assert_int_equal(l, LEVEL_MID);
	assert_int_equal(level_parse(&l, "none"), -1);
	assert_int_equal(level_parse(&l, "senior "), -1);
	assert_int_equal(level_parse(&l, ""), -1);
	assert_int_equal(l, LEVEL_MID);
	assert_true(LEVEL_JUNIOR < LEVEL_MID && LEVEL_MID < LEVEL_SENIOR);
}

static void test_subsections_as_written_and_merged(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, "[path \"Infra/**\"]\nlevel = mid\n[reviewer \"a@b\"]\nlevel = junior\n"
			       "[path \"Infra/**\"]\napprovals = 2\n[reviewer \"A@B\"]\nlevel = senior\n"), 0);
	assert_int_equal(p.paths_nr, 1);
	assert_string_equal(p.paths[0].glob, "Infra/**");
	assert_int_equal(p.paths[0].level, LEVEL_MID);
	assert_int_equal(p.paths[0].approvals, 2);
	/* addresses compare without case: the later section wins */
	assert_int_equal(p.reviewers_nr, 1);
	assert_int_equal(policy_level_of(&p, "a@b"), LEVEL_SENIOR);
	policy_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_example),
		cmocka_unit_test(test_reviewer_levels),
		cmocka_unit_test(test_requirement_from_tiers_and_paths),
		cmocka_unit_test(test_a_path_rule_naming_a_directory_protects_everything_below_it),
		cmocka_unit_test(test_a_glob_too_long_to_match_is_a_policy_error),
		cmocka_unit_test(test_approval_counts),
		cmocka_unit_test(test_defaults_and_carry_over),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_structural_errors),
		cmocka_unit_test(test_nul_byte_is_not_text),
		cmocka_unit_test(test_invalid_syntax),
		cmocka_unit_test(test_syntax_error_names_the_line),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_subsections_as_written_and_merged),
	};

	tl_init();
	repo_library_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
