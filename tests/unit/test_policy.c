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
	/* one address written twice, with another case and blanks, is one reviewer: the later level */
	assert_int_equal(parse(&p, "[reviewer \"Ann@x.org\"]\nlevel = senior\n"
			       "[reviewer \" ann@X.org \"]\nlevel = mid\n"), 0);
	assert_int_equal(p.reviewers_nr, 1);
	assert_int_equal(policy_level_of(&p, "ann@x.org"), LEVEL_MID);
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
	/* an empty address would match nobody, or anybody with no address: refused */
	expect_error("[reviewer \"\"]\nlevel = senior\n",
		     ORIGIN ": reviewer..level = '': a reviewer is named by an address");
	expect_error("[reviewer \"jane\"]\nlevel = senior\n",
		     ORIGIN ": reviewer.jane.level = 'jane': a reviewer is named by an address");
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

/* ---- people, author levels, teams, require (revq-policy(5)'s first example) ---- */

/* The mission's policy, as revq-policy(5) gives it first. */
static const char mission[] =
	"[revq]\n"
	"\tallowedSigners = .revq/allowed_signers\n"
	"[person \"Jane\"]\n"
	"\temail = jane@example.com\n"
	"\temail = jane.doe@example.com\n"
	"\tlevel = senior\n"
	"[person \"Raj\"]\n"
	"\temail = raj@example.com\n"
	"\tlevel = mid\n"
	"[person \"Mia\"]\n"
	"\temail = mia@example.com\n"
	"\tlevel = mid\n"
	"[person \"Sam\"]\n"
	"\temail = sam@example.com\n"
	"\tlevel = mid\n"
	"[team \"security\"]\n"
	"\tmember = Sam\n"
	"\tmember = ola@example.com\n"
	"[tier \"ai\"]\n"
	"\tminRisk = 0\n"
	"\tauthorLevel = mid\n"
	"\trequire = 1 senior\n"
	"[tier \"ai-senior\"]\n"
	"\tminRisk = 0\n"
	"\trequire = 1 mid\n"
	"[tier \"high\"]\n"
	"\tminRisk = 70\n"
	"\trequire = 1 senior\n"
	"\trequire = 1\n"
	"[path \"infra/**\"]\n"
	"\trequire = 1 senior\n"
	"\trequire = 1\n"
	"[path \"auth/**\"]\n"
	"\trequire = 1 senior\n"
	"\trequire = 1 from security\n";

struct requirement_case {
	const char *name;
	int risk;
	const char *path;           /* one changed path */
	enum level author;
	const char *approvers;      /* addresses, comma-separated */
	int met;
	const char *needs;          /* requirement_describe() */
	const char *missing;        /* "" when met */
};

static const struct requirement_case requirement_cases[] = {
	{ "junior author, low risk: a mid is not enough", 10, "src/a.c", LEVEL_JUNIOR,
	  "raj@example.com", 0, "1 senior", "needs 1 more senior; has: none" },
	{ "junior author, low risk: a senior is", 10, "src/a.c", LEVEL_JUNIOR,
	  "jane@example.com", 1, "1 senior", "" },
	{ "mid author: still a senior", 10, "src/a.c", LEVEL_MID,
	  "raj@example.com,mia@example.com", 0, "1 senior", "needs 1 more senior; has: none" },
	{ "senior author: one mid suffices", 10, "src/a.c", LEVEL_SENIOR,
	  "raj@example.com", 1, "1 mid or senior", "" },
	{ "senior author: an unknown reviewer does not", 10, "src/a.c", LEVEL_SENIOR,
	  "nobody@example.com", 0, "1 mid or senior", "needs 1 more mid or senior; has: none" },
	{ "high risk: one senior is half of it", 80, "src/a.c", LEVEL_MID,
	  "jane@example.com", 0, "1 senior + 1 approval", "needs 1 more approval; has: 1 senior" },
	{ "high risk: a senior and anyone", 80, "src/a.c", LEVEL_SENIOR,
	  "jane@example.com,nobody@example.com", 1, "1 senior + 1 approval", "" },
	{ "high risk: two mids are not a senior", 80, "src/a.c", LEVEL_JUNIOR,
	  "raj@example.com,mia@example.com", 0, "1 senior + 1 approval",
	  "needs 1 more senior; has: 1 approval" },
	{ "infra/ by a senior, low risk: the path rule too", 5, "infra/main.tf", LEVEL_SENIOR,
	  "raj@example.com,mia@example.com", 0, "1 mid or senior and 1 senior + 1 approval",
	  "needs 1 more senior; has: 1 approval" },
	{ "infra/ by a junior: one phrase for both rules", 5, "infra/main.tf", LEVEL_JUNIOR,
	  "", 0, "1 senior and 1 senior + 1 approval", "needs 1 more senior, 1 more approval; has: none" },
	{ "infra/ by a senior: a senior and a mid meet both rules", 5, "infra/main.tf", LEVEL_SENIOR,
	  "jane@example.com,raj@example.com", 1, "1 mid or senior and 1 senior + 1 approval", "" },
	{ "auth/: a senior is not the security team", 10, "auth/login.c", LEVEL_SENIOR,
	  "jane@example.com", 0, "1 mid or senior and 1 senior + 1 from team security",
	  "needs 1 more from team security; has: 1 senior" },
	{ "auth/: one security member is not two people", 10, "auth/login.c", LEVEL_SENIOR,
	  "sam@example.com", 0, "1 mid or senior and 1 senior + 1 from team security",
	  "needs 1 more senior; has: 1 from team security" },
	{ "auth/: a senior and a security member", 10, "auth/login.c", LEVEL_SENIOR,
	  "jane@example.com,sam@example.com", 1, "1 mid or senior and 1 senior + 1 from team security", "" },
	{ "auth/: a team member by bare address counts for the team", 10, "auth/login.c", LEVEL_SENIOR,
	  "jane@example.com,ola@example.com", 1, "1 mid or senior and 1 senior + 1 from team security", "" },
};

static void run_requirement_case(const struct policy *p, const struct requirement_case *c)
{
	struct strvec paths = STRVEC_INIT, emails = STRVEC_INIT;
	struct strbuf missing = STRBUF_INIT, needs = STRBUF_INIT;
	struct requirement_result res = { 0, 0, 0, &missing };
	struct approver who[8];
	struct requirement req;
	size_t nr = 0;

	strvec_push(&paths, c->path);
	strvec_split(&emails, c->approvers, ',');
	for (size_t i = 0; i < emails.nr && nr < 8; i++) {
		who[nr].person = policy_person_by_email(p, emails.v[i]);
		who[nr++].level = policy_level_of(p, emails.v[i]);
	}
	policy_requirement_for(&req, p, c->risk, &paths, c->author);
	requirement_describe(&needs, &req);
	requirement_count(&res, &req, p, who, nr);
	if (res.met != c->met || strcmp(needs.buf, c->needs) || strcmp(missing.buf, c->missing))
		fail_msg("%s: met %d needs \"%s\" missing \"%s\"; expected %d \"%s\" \"%s\"", c->name,
			 res.met, needs.buf, missing.buf, c->met, c->needs, c->missing);
	requirement_release(&req);
	strbuf_release(&missing);
	strbuf_release(&needs);
	strvec_clear(&paths);
	strvec_clear(&emails);
}

static void test_requirements_depend_on_who_wrote_it_and_who_approved(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, mission), 0);
	for (size_t i = 0; i < sizeof(requirement_cases) / sizeof(requirement_cases[0]); i++)
		run_requirement_case(&p, &requirement_cases[i]);
	policy_release(&p);
}

static void test_people_have_several_addresses_and_one_level(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, mission), 0);
	assert_int_equal(policy_person_by_email(&p, "jane.doe@example.com"),
			 policy_person_by_email(&p, " Jane@Example.com "));
	assert_int_equal(policy_level_of(&p, "JANE.DOE@example.com"), LEVEL_SENIOR);
	assert_int_equal(policy_level_of(&p, "ola@example.com"), LEVEL_JUNIOR);
	assert_true(policy_person_in_team(&p, policy_person_by_email(&p, "ola@example.com"), "security"));
	assert_false(policy_person_in_team(&p, policy_person_by_email(&p, "jane@example.com"), "security"));
	assert_int_equal(policy_person_by_email(&p, "mallory@example.com"), -1);
	assert_int_equal(p.tiers[p.tiers_nr - 1].needs_nr, 2);
	assert_true(p.gate_all == 0);
	policy_release(&p);
	/* a legacy reviewer is a person of one address */
	assert_int_equal(parse(&p, example), 0);
	assert_int_equal(p.persons_nr, 2);
	assert_true(p.persons[0].legacy);
	assert_int_equal(policy_person_level(&p, 0), LEVEL_SENIOR);
	policy_release(&p);
	assert_int_equal(parse(&p, "[revq]\n\tgate = all\n\trequireSignedCommits = true\n"), 0);
	assert_true(p.gate_all);
	assert_true(p.require_signed_commits);
	policy_release(&p);
}

static void test_person_pairs_join_every_address(void **state)
{
	struct strvec pairs = STRVEC_INIT;
	struct policy p;
	char *all;

	(void)state;
	assert_int_equal(parse(&p, "[person \"J\"]\nemail = J@x.org\nemail = j+cv@y.org\nemail = k@z.org\n"), 0);
	policy_person_pairs(&pairs, &p);
	all = strvec_join(&pairs, " ");
	assert_string_equal(all, "j@x.org j@y.org j@x.org k@z.org");
	free(all);
	strvec_clear(&pairs);
	policy_release(&p);
}

static void test_keys_are_fingerprints(void **state)
{
	const char *dir = tl_tmpdir();
	struct strbuf pub = STRBUF_INIT, fp = STRBUF_INIT, text = STRBUF_INIT;
	struct policy p;
	char *key;

	(void)state;
	tl_write(dir, "allowed", "");
	tl_ssh_key(dir, "k", "k@example.com");
	assert_int_equal(tl_sh_output(dir, &pub, NULL, "cat k.pub"), 0);
	strbuf_trim_trailing_newline(&pub);
	assert_int_equal(tl_sh_output(dir, &fp, NULL, "ssh-keygen -lf k.pub | cut -d' ' -f2"), 0);
	strbuf_trim_trailing_newline(&fp);
	key = policy_key_normalize(pub.buf);
	assert_non_null(key);
	assert_string_equal(key, fp.buf);
	free(key);
	key = policy_key_normalize(fp.buf);
	assert_string_equal(key, fp.buf);
	free(key);
	key = policy_key_normalize("0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567");
	assert_string_equal(key, "0123456789ABCDEF0123456789ABCDEF01234567");
	free(key);
	assert_null(policy_key_normalize("ssh-ed25519 not-base64!"));
	assert_null(policy_key_normalize("0123"));
	assert_null(policy_key_normalize("SHA256:short"));
	strbuf_addf(&text, "[person \"K\"]\nemail = k@example.com\nkey = %s\n", pub.buf);
	assert_int_equal(parse(&p, text.buf), 0);
	assert_int_equal(policy_person_by_key(&p, fp.buf), 0);
	policy_release(&p);
	strbuf_release(&pub);
	strbuf_release(&fp);
	strbuf_release(&text);
}

static void test_tiers_by_author_level(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(parse(&p, mission), 0);
	assert_string_equal(policy_tier_for(&p, 0, LEVEL_JUNIOR)->name, "ai");
	assert_string_equal(policy_tier_for(&p, 69, LEVEL_MID)->name, "ai");
	assert_string_equal(policy_tier_for(&p, 0, LEVEL_SENIOR)->name, "ai-senior");
	assert_string_equal(policy_tier_for(&p, 70, LEVEL_SENIOR)->name, "high");
	assert_string_equal(policy_tier_for(&p, 100, LEVEL_JUNIOR)->name, "high");
	policy_release(&p);
	/* a tier for juniors only leaves everyone else to the default */
	assert_int_equal(parse(&p, "[tier \"j\"]\nminRisk = 0\nauthorLevel = junior\nlevel = senior\n"), 0);
	assert_non_null(policy_tier_for(&p, 0, LEVEL_JUNIOR));
	assert_null(policy_tier_for(&p, 0, LEVEL_MID));
	policy_release(&p);
}

static void test_people_and_teams_errors(void **state)
{
	(void)state;
	expect_error("[person \"J\"]\nemail = jane\n",
		     ORIGIN ": person.J.email = 'jane': not an address");
	expect_error("[person \"J\"]\nemail = j@x\nlevel = lead\n",
		     ORIGIN ": person.J.level = 'lead': unknown level (use junior, mid or senior)");
	expect_error("[person \"J\"]\nemail = j@x\nkey = ssh-ed25519 AAAA!\n",
		     ORIGIN ": person.J.key = 'ssh-ed25519 AAAA!': not a key (an ssh public key, "
		     "SHA256:... or an OpenPGP fingerprint)");
	expect_error("[person \"J\"]\nlevel = mid\n", ORIGIN ": person \"J\" has no email and no key");
	expect_error("[person \"J\"]\nemail = j@x\n[person \"K\"]\nemail = J@X\n",
		     ORIGIN ": address J@X belongs to both person \"J\" and person \"K\"");
	expect_error("[person \"J\"]\nemail = j@x\n[reviewer \"j@x\"]\nlevel = senior\n",
		     ORIGIN ": reviewer j@x is also an address of person \"J\": give the level once, in the person");
	expect_error("[person \"J\"]\nwho = me\n", ORIGIN ": unknown setting 'person.J.who'");
	expect_error("[team \"sec\"]\nmember = Nobody\n",
		     ORIGIN ": team \"sec\": member 'Nobody' is neither a person nor an address");
	expect_error("[path \"a/**\"]\nrequire = 1 from sec\n",
		     ORIGIN ": [path \"a/**\"] requires team \"sec\", which the policy does not define");
	expect_error("[tier \"t\"]\nminRisk = 0\nlevel = senior\nrequire = 1 senior\n",
		     ORIGIN ": [tier \"t\"] has both require and level or approvals: use one or the other");
	expect_error("[tier \"t\"]\nminRisk = 0\nrequire = senior\n",
		     ORIGIN ": tier.t.require = 'senior': not a requirement (use COUNT [LEVEL] [from TEAM], "
		     "e.g. 1 senior, 1 from security, 2)");
	expect_error("[tier \"t\"]\nminRisk = 0\nrequire = 21\n",
		     ORIGIN ": tier.t.require = '21': not a requirement (use COUNT [LEVEL] [from TEAM], "
		     "e.g. 1 senior, 1 from security, 2)");
	expect_error("[tier \"t\"]\nminRisk = 0\nrequire = 1 senior mid\n",
		     ORIGIN ": tier.t.require = '1 senior mid': not a requirement (use COUNT [LEVEL] [from TEAM], "
		     "e.g. 1 senior, 1 from security, 2)");
	expect_error("[path \"p\"]\nrequire = 15 senior\nrequire = 6\n",
		     ORIGIN ": [path \"p\"] requires more than 20 approvals");
	expect_error("[tier \"t\"]\nminRisk = 0\nauthorLevel = boss\n",
		     ORIGIN ": tier.t.authorlevel = 'boss': unknown level (use junior, mid or senior)");
	expect_error("[revq]\ngate = some\n", ORIGIN ": revq.gate = 'some': gate must be ai or all");
	expect_error("[revq]\nrequireSignedCommits = perhaps\n",
		     ORIGIN ": revq.requiresignedcommits = 'perhaps': not a boolean");
}

static void test_require_forms(void **state)
{
	static const struct { const char *text; unsigned count; enum level level; const char *team; } ok[] = {
		{ "1", 1, LEVEL_JUNIOR, NULL },
		{ "2 approvals", 2, LEVEL_JUNIOR, NULL },
		{ " 1 senior ", 1, LEVEL_SENIOR, NULL },
		{ "1 Mid from team sec", 1, LEVEL_MID, "sec" },
		{ "3 of sec", 3, LEVEL_JUNIOR, "sec" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct strbuf text = STRBUF_INIT;
		struct policy p;

		strbuf_addf(&text, "[team \"sec\"]\nmember = a@b\n[path \"x/**\"]\nrequire = %s\n", ok[i].text);
		if (parse(&p, text.buf))
			fail_msg("refused require = %s: %s", ok[i].text, error_last());
		assert_int_equal(p.paths[0].needs[0].count, ok[i].count);
		assert_int_equal(p.paths[0].needs[0].level, ok[i].level);
		if (ok[i].team)
			assert_string_equal(p.paths[0].needs[0].team, ok[i].team);
		else
			assert_null(p.paths[0].needs[0].team);
		policy_release(&p);
		strbuf_release(&text);
	}
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
		cmocka_unit_test(test_requirements_depend_on_who_wrote_it_and_who_approved),
		cmocka_unit_test(test_people_have_several_addresses_and_one_level),
		cmocka_unit_test(test_person_pairs_join_every_address),
		cmocka_unit_test(test_keys_are_fingerprints),
		cmocka_unit_test(test_tiers_by_author_level),
		cmocka_unit_test(test_people_and_teams_errors),
		cmocka_unit_test(test_require_forms),
	};

	int rc;

	tl_init();
	repo_library_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
