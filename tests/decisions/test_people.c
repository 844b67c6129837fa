/*
 * test_people.c: the policy's people, author levels and teams, end to
 * end: revq-policy(5)'s first example (the mission's policy) committed to
 * main with an allowed signers file of real ssh keys, AI-assisted commits
 * by juniors, seniors, bots and aliases, and `revq verify` judging real
 * signed approvals.  Each attack (one person under two addresses, the
 * author under an alias, the human who prompted the tool, two mids for a
 * senior, one team member counted twice, another key speaking for a
 * person, a commit without markers under gate = all) sits beside the
 * legitimate case that must pass.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* revq-policy(5)'s first example, with the people and the team of this test. */
#define PEOPLE \
	"[person \"Jane\"]\n" \
	"\temail = jane@example.com\n" \
	"\temail = jane.doe@example.com\n" \
	"\tlevel = senior\n" \
	"[person \"Sol\"]\n" \
	"\temail = sol@example.com\n" \
	"\tlevel = senior\n" \
	"[person \"Raj\"]\n" \
	"\temail = raj@example.com\n" \
	"\tlevel = mid\n" \
	"[reviewer \"mia@example.com\"]\n" \
	"\tlevel = mid\n" \
	"[person \"Sam\"]\n" \
	"\temail = sam@example.com\n" \
	"\temail = sam.k@example.com\n" \
	"\tlevel = senior\n" \
	"[team \"security\"]\n" \
	"\tmember = Sam\n"

#define TIERS \
	"[tier \"ai\"]\n" \
	"\tminRisk = 0\n" \
	"\tauthorLevel = mid\n" \
	"\trequire = 1 senior\n" \
	"[tier \"ai-senior\"]\n" \
	"\tminRisk = 0\n" \
	"\trequire = 1 mid\n" \
	"[tier \"high\"]\n" \
	"\tminRisk = 70\n" \
	"\trequire = 1 senior\n" \
	"\trequire = 1\n" \
	"[path \"infra/**\"]\n" \
	"\trequire = 1 senior\n" \
	"\trequire = 1\n" \
	"[path \"auth/**\"]\n" \
	"\trequire = 1 senior\n" \
	"\trequire = 1 from security\n"

static const char mission_policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n" PEOPLE TIERS;

struct fixture {
	const char *repo;
	const char *keys;
	char *commit;      /* the commit under review, on ai/x */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_ssh_key(f->keys, "jane2", "jane.doe@example.com");
	tl_ssh_key(f->keys, "sol", "sol@example.com");
	tl_ssh_key(f->keys, "raj", "raj@example.com");
	tl_ssh_key(f->keys, "mia", "mia@example.com");
	tl_ssh_key(f->keys, "sam", "sam@example.com");
	tl_ssh_key(f->keys, "sam2", "sam.k@example.com");
	tl_ssh_key(f->keys, "jun", "jun@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->commit);
	free(f);
	return 0;
}

/* Commits .revq/policy and the allowed signers on main. */
static void set_policy(struct fixture *f, const char *policy)
{
	tl_write(f->repo, ".revq/policy", policy);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 5, "Review policy"));
}

/* ai/x: one commit changing path, by author (an address, or "Name <address>"), with message. */
static void make_change(struct fixture *f, const char *path, const char *author_name,
			const char *author_email, const char *message)
{
	setenv("GIT_AUTHOR_NAME", author_name, 1);
	setenv("GIT_AUTHOR_EMAIL", author_email, 1);
	tl_git(f->repo, "checkout -q -b ai/x main");
	free(f->commit);
	f->commit = tl_commit_file(f->repo, path, "int change(void) { return 2; }\n", 1, message);
	tl_git(f->repo, "checkout -q main");
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
}

/* `revq approve` as EMAIL with ssh key `key`; the exit status, stderr in err (may be NULL). */
static int approve(struct fixture *f, const char *key, const char *email, struct strbuf *err)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	return tl_sh_output(f->repo, NULL, err,
			    "GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" approve -m ok %s",
			    email, f->commit);
}

static void approve_ok(struct fixture *f, const char *key, const char *email)
{
	struct strbuf err = STRBUF_INIT;

	if (approve(f, key, email, &err))
		fail_msg("%s could not approve: %s", email, err.buf);
	strbuf_release(&err);
}

/* The author's own approval, under whatever address, is refused up front. */
static void approve_refused_as_self(struct fixture *f, const char *key, const char *email)
{
	struct strbuf err = STRBUF_INIT;

	if (approve(f, key, email, &err) != 3)
		fail_msg("%s approved a commit that is theirs: %s", email, err.buf);
	assert_contains(err.buf, "self-approval never counts");
	strbuf_release(&err);
}

static void assert_fails_with(struct fixture *f, const char *failure)
{
	struct strbuf out = STRBUF_INIT;

	if (tl_revq(f->repo, &out, NULL, "verify --json main..ai/x") != 1)
		fail_msg("verify passed, expected \"%s\":\n%s", failure, out.buf);
	assert_contains(out.buf, failure);
	strbuf_release(&out);
}

static void assert_passes(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;

	if (tl_revq(f->repo, &out, NULL, "verify --json main..ai/x"))
		fail_msg("verify failed:\n%s", out.buf);
	assert_json_text(out.buf, "$.ok", "1");
	strbuf_release(&out);
}

static void test_a_junior_authors_ai_change_needs_a_senior(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "A U Thor", "author@example.com", "Change a" TL_AI_TRAILER);
	approve_ok(f, "raj", "raj@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");
	assert_fails_with(f, "level too low: approval by raj@example.com (mid, needs 1 senior)");
	/* show says the same, in words */
	assert_int_equal(tl_revq(f->repo, &out, NULL, "show %s", f->commit), 0);
	assert_contains(out.buf, "Missing:   needs 1 more senior; has: none");
	assert_contains(out.buf, "author junior");
	approve_ok(f, "jane", "jane@example.com");
	assert_passes(f);
	strbuf_release(&out);
}

static void test_a_senior_authors_ai_change_needs_one_mid_who_is_not_them(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "Sol", "sol@example.com", "Change a" TL_AI_TRAILER);
	approve_refused_as_self(f, "sol", "sol@example.com");
	approve_ok(f, "jun", "jun@example.com");   /* a junior the policy does not list */
	assert_fails_with(f, "needs 1 more mid or senior; has: none");
	/* the control: a mid suffices for a senior's change (a legacy [reviewer] is a person too) */
	approve_ok(f, "mia", "mia@example.com");
	assert_passes(f);
}

static void test_a_senior_required_item_is_not_met_by_two_mids(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "infra/main.tf", "Sol", "sol@example.com", "Change infra" TL_AI_TRAILER);
	approve_ok(f, "raj", "raj@example.com");
	approve_ok(f, "mia", "mia@example.com");
	assert_fails_with(f, "needs 1 more senior; has: 1 approval");
	approve_ok(f, "jane", "jane@example.com");
	assert_passes(f);
}

static void test_one_person_under_two_addresses_counts_once(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "infra/main.tf", "A U Thor", "author@example.com", "Change infra" TL_AI_TRAILER);
	approve_ok(f, "jane", "jane@example.com");
	approve_ok(f, "jane2", "jane.doe@example.com");
	assert_fails_with(f, "not enough approvals: 1 of 2: needs 1 more approval; has: 1 senior");
	/* the control: a second person */
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
}

static void test_the_author_cannot_approve_under_another_address_of_theirs(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "Jane Doe", "jane.doe@example.com", "Change a" TL_AI_TRAILER);
	approve_refused_as_self(f, "jane", "jane@example.com");
	assert_fails_with(f, "needs 1 more mid or senior; has: none");
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
}

static void test_the_human_who_prompted_the_bot_cannot_approve_its_commit(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	/* The Copilot agent's commit, the human who drove it as co-author. */
	make_change(f, "src/a.c", "Copilot", "198982749+Copilot@users.noreply.github.com",
		    "Fix the parser\n\nCo-authored-by: Jane Doe <jane.doe@example.com>\n");
	approve_refused_as_self(f, "jane", "jane@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");   /* a bot author is an unknown junior */
	approve_ok(f, "sol", "sol@example.com");
	assert_passes(f);
}

static void test_the_human_named_by_assisted_by_cannot_approve(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "A U Thor", "author@example.com",
		    "Change a\n\nAssisted-by: Jane <jane@example.com>\n"
		    "Co-Authored-By: Claude <noreply@anthropic.com>\n");
	approve_refused_as_self(f, "jane2", "jane.doe@example.com");
	approve_refused_as_self(f, "jane", "jane@example.com");
	assert_fails_with(f, "not enough approvals: 0 of 1");
	approve_ok(f, "sol", "sol@example.com");
	assert_passes(f);
}

static void test_a_team_requirement_counts_distinct_people(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "auth/login.c", "Sol", "sol@example.com", "Change auth" TL_AI_TRAILER);
	/* Sam is senior and in security, under two addresses: still one person. */
	approve_ok(f, "sam", "sam@example.com");
	approve_ok(f, "sam2", "sam.k@example.com");
	assert_fails_with(f, "not enough approvals: 1 of 2: needs 1 more");
	approve_ok(f, "jane", "jane@example.com");
	assert_passes(f);
}

static void test_a_senior_is_not_the_security_team(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "auth/login.c", "Sol", "sol@example.com", "Change auth" TL_AI_TRAILER);
	approve_ok(f, "jane", "jane@example.com");
	assert_fails_with(f, "needs 1 more from team security; has: 1 senior");
	approve_ok(f, "sam", "sam@example.com");
	assert_passes(f);
}

/* "key = ..." pins a person to their keys: another key the allowed signers list for them says nothing. */
static void test_a_persons_key_is_the_only_one_that_speaks_for_them(void **state)
{
	struct fixture *f = *state;
	struct strbuf policy = STRBUF_INIT, pub = STRBUF_INIT;

	/* mallory's key is (wrongly) listed for raj@ as well */
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C mallory -f mallory");
	tl_sh(f->keys, "printf 'raj@example.com namespaces=\"revq\" %%s\\n' \"$(cut -d' ' -f1,2 mallory.pub)\" "
	      ">> allowed");
	tl_sh_output(f->keys, &pub, NULL, "cut -d' ' -f1,2 raj.pub");
	strbuf_trim_trailing_newline(&pub);
	strbuf_addf(&policy, "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		    "[person \"Raj\"]\n\temail = raj@example.com\n\tkey = %s\n\tlevel = mid\n"
		    "[tier \"all\"]\n\tminRisk = 0\n\trequire = 1 mid\n", pub.buf);
	set_policy(f, policy.buf);
	make_change(f, "src/a.c", "A U Thor", "author@example.com", "Change a" TL_AI_TRAILER);
	approve_ok(f, "mallory", "raj@example.com");
	assert_fails_with(f, "signer is not the reviewer: approval by raj@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
	strbuf_release(&policy);
	strbuf_release(&pub);
}

static void test_gate_all_judges_commits_without_ai_markers(void **state)
{
	struct fixture *f = *state;

	set_policy(f, "[revq]\n\tallowedSigners = .revq/allowed_signers\n\tgate = all\n" PEOPLE TIERS);
	make_change(f, "src/a.c", "A U Thor", "author@example.com", "A change by hand");
	assert_fails_with(f, "needs 1 more senior; has: none");
	approve_ok(f, "jane", "jane@example.com");
	assert_passes(f);
}

static void test_gate_ai_leaves_commits_without_markers_alone(void **state)
{
	struct fixture *f = *state;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "A U Thor", "author@example.com", "A change by hand");
	assert_passes(f);
}

/* Lets key `name` sign git commits for email (namespace "git"). */
static void allow_commit_key(struct fixture *f, const char *name, const char *email)
{
	tl_sh(f->keys, "printf '%%s namespaces=\"git\" %%s\\n' '%s' \"$(cut -d' ' -f1,2 %s.pub)\" >> allowed",
	      email, name);
}

/* make_change(), the commit signed with ssh key `key` (NULL: unsigned). */
static void make_signed_change(struct fixture *f, const char *key, const char *author_name,
			       const char *author_email)
{
	if (key) {
		tl_git(f->repo, "config commit.gpgsign true");
		tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	}
	make_change(f, "src/a.c", author_name, author_email, "Change a" TL_AI_TRAILER);
	tl_git(f->repo, "config commit.gpgsign false");
}

static const char signed_policy[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n\trequireSignedCommits = true\n" PEOPLE TIERS;

static void test_an_unsigned_claim_of_seniority_is_a_junior_under_require_signed_commits(void **state)
{
	struct fixture *f = *state;

	allow_commit_key(f, "sol", "sol@example.com");
	/* Without the option, authorship is what the commit says: a mid suffices for "Sol". */
	set_policy(f, mission_policy);
	make_signed_change(f, NULL, "Sol", "sol@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
	/* With it, the unsigned claim is an unknown junior's: a senior is needed. */
	set_policy(f, signed_policy);
	tl_git(f->repo, "branch -q -D ai/x");
	make_signed_change(f, NULL, "Sol", "sol@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");
	/* and so is one signed by someone else's key */
	tl_git(f->repo, "branch -q -D ai/x");
	allow_commit_key(f, "jun", "jun@example.com");
	set_policy(f, signed_policy);
	make_signed_change(f, "jun", "Sol", "sol@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");
	/* The control: Sol's own signature makes Sol the author, and Raj suffices. */
	tl_git(f->repo, "branch -q -D ai/x");
	make_signed_change(f, "sol", "Sol", "sol@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
}

static void test_the_signer_of_a_commit_is_self_under_require_signed_commits(void **state)
{
	struct fixture *f = *state;

	allow_commit_key(f, "jane", "jane@example.com");
	set_policy(f, signed_policy);
	/* Jane signs a commit that names someone else as its author. */
	make_signed_change(f, "jane", "A U Thor", "author@example.com");
	approve_ok(f, "jane2", "jane.doe@example.com");
	assert_fails_with(f, "self-approval: approval by jane.doe@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");
	approve_ok(f, "sol", "sol@example.com");
	assert_passes(f);
}

/* The first .EX block of man/revq-policy.5, with groff's escapes undone. */
static void first_man_example(struct strbuf *out)
{
	struct strbuf man = STRBUF_INIT, path = STRBUF_INIT;
	const char *start, *end;

	strbuf_addf(&path, "%s/man/revq-policy.5", getenv("REVQ_SRCDIR"));
	if (strbuf_read_file(&man, path.buf))
		fail_msg("cannot read %s", path.buf);
	start = strstr(man.buf, "\n.EX\n");
	end = start ? strstr(start, "\n.EE\n") : NULL;
	if (!end)
		fail_msg("no example in %s", path.buf);
	for (const char *p = start + 5; p < end + 1; p++) {
		if (!strncmp(p, "\\-", 2))
			strbuf_addch(out, '-'), p++;
		else if (!strncmp(p, "\\(dq", 4))
			strbuf_addch(out, '"'), p += 3;
		else
			strbuf_addch(out, *p);
	}
	strbuf_release(&man);
	strbuf_release(&path);
}

static void test_the_first_example_of_revq_policy_5_is_the_missions_rule(void **state)
{
	struct fixture *f = *state;
	struct strbuf policy = STRBUF_INIT;

	first_man_example(&policy);
	assert_contains(policy.buf, "authorLevel = mid");
	set_policy(f, policy.buf);
	/* a junior's AI-assisted change: a mid is not enough, Jane is */
	make_change(f, "src/a.c", "A U Thor", "author@example.com", "Change a" TL_AI_TRAILER);
	approve_ok(f, "raj", "raj@example.com");
	assert_fails_with(f, "needs 1 more senior; has: none");
	approve_ok(f, "jane2", "jane.doe@example.com");
	assert_passes(f);
	/* Jane's own: never Jane, under either address; Raj suffices */
	tl_git(f->repo, "branch -q -D ai/x");
	make_change(f, "src/b.c", "Jane", "jane@example.com", "Change b" TL_AI_TRAILER);
	approve_refused_as_self(f, "jane2", "jane.doe@example.com");
	approve_ok(f, "raj", "raj@example.com");
	assert_passes(f);
	/* infra/, whoever wrote it: Jane and one more, and Jane twice is once */
	tl_git(f->repo, "branch -q -D ai/x");
	make_change(f, "infra/main.tf", "Raj", "raj@example.com", "Change infra" TL_AI_TRAILER);
	approve_ok(f, "jane", "jane@example.com");
	approve_ok(f, "jane2", "jane.doe@example.com");
	assert_fails_with(f, "needs 1 more approval; has: 1 senior");
	approve_ok(f, "mia", "mia@example.com");
	assert_passes(f);
	strbuf_release(&policy);
}

/* A branch with one AI-assisted commit changing path, by author_email; returns its id. */
static char *make_branch(struct fixture *f, const char *branch, const char *path, const char *author_email,
			 const char *subject)
{
	struct strbuf msg = STRBUF_INIT;
	char *id;

	strbuf_addf(&msg, "%s" TL_AI_TRAILER, subject);
	setenv("GIT_AUTHOR_EMAIL", author_email, 1);
	tl_git(f->repo, "checkout -q -b %s main", branch);
	id = tl_commit_file(f->repo, path, subject, 1, msg.buf);
	tl_git(f->repo, "checkout -q main");
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	strbuf_release(&msg);
	return id;
}

/* `revq VERB -m why COMMIT` as EMAIL with key. */
static void decide_on(struct fixture *f, const char *verb, const char *key, const char *email, const char *id)
{
	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh(f->repo, "GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" %s -m why %s", email,
		  verb, id))
		fail_msg("%s %s failed", email, verb);
}

/* `revq list --for-me` as email: stdout in out, stderr in err. */
static void list_for(struct fixture *f, const char *email, struct strbuf *out, struct strbuf *err)
{
	strbuf_reset(out);
	strbuf_reset(err);
	if (tl_sh_output(f->repo, out, err, "GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" "
			 "list --for-me", email))
		fail_msg("list --for-me failed: %s", err->buf);
}

static void test_list_for_me_shows_what_my_approval_would_count_for(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *a, *b, *c, *d;

	set_policy(f, mission_policy);
	a = make_branch(f, "ai/a", "src/a.c", "author@example.com", "Junior change");
	b = make_branch(f, "ai/b", "src/b.c", "jane.doe@example.com", "Jane change");
	c = make_branch(f, "ai/c", "infra/c.tf", "author@example.com", "Infra change");
	d = make_branch(f, "ai/d", "src/d.c", "author@example.com", "Rejected change");
	decide_on(f, "approve", "jane", "jane@example.com", c);
	decide_on(f, "reject", "sol", "sol@example.com", d);

	/* Jane: the junior's change needs a senior; hers is not hers to approve; infra has her word */
	list_for(f, "jane@example.com", &out, &err);
	assert_contains(out.buf, "Junior change");
	assert_not_contains(out.buf, "Jane change");
	assert_not_contains(out.buf, "Infra change");
	assert_not_contains(out.buf, "Rejected change");
	assert_contains(err.buf, "revq: 1 needs you (jane@example.com), 2 need someone else, "
			"1 waits on the author (rejected)");
	/* the same under her other address */
	list_for(f, "jane.doe@example.com", &out, &err);
	assert_contains(out.buf, "Junior change");
	assert_not_contains(out.buf, "Infra change");
	/* Raj, a mid: not the junior's change (a senior's), but Jane's and the second one on infra */
	list_for(f, "raj@example.com", &out, &err);
	assert_not_contains(out.buf, "Junior change");
	assert_contains(out.buf, "Jane change");
	assert_contains(out.buf, "Infra change");
	assert_contains(err.buf, "revq: 2 need you (raj@example.com), 1 needs someone else, 1 waits");
	/* once Raj approved the infra change, it needs nobody */
	decide_on(f, "approve", "raj", "raj@example.com", c);
	list_for(f, "raj@example.com", &out, &err);
	assert_not_contains(out.buf, "Infra change");
	assert_contains(err.buf, "revq: 1 needs you (raj@example.com), 1 needs someone else, 1 waits");
	/* without --for-me, everything */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "list"), 0);
	assert_contains(out.buf, "Junior change");
	assert_contains(out.buf, "Rejected change");
	free(a);
	free(b);
	free(c);
	free(d);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_policy_check_lists_the_people_and_reports_problems(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	set_policy(f, mission_policy);
	make_change(f, "src/a.c", "Jane Doe", "jane.doe@example.com", "Change a" TL_AI_TRAILER);
	assert_int_equal(tl_revq(f->repo, &out, &err, "policy check --pending"), 0);
	assert_contains(out.buf, "  Jane                 senior  jane@example.com, jane.doe@example.com\n");
	assert_contains(out.buf, "  security: Sam\n");
	assert_contains(out.buf, "  ai               risk >= 0   authors mid or below: 1 senior\n");
	assert_contains(out.buf, "  high             risk >= 70  any author: 1 senior + 1 approval\n");
	assert_contains(out.buf, "  auth/**                       1 senior + 1 from team security\n");
	/* Jane wrote it: a senior's change needs a mid, and anyone but Jane may approve */
	assert_contains(out.buf, "pending, author senior: needs 1 mid or senior (Change a)\n");
	assert_contains(out.buf, "    may approve: Sol, Raj, Sam, mia@example.com\n");
	assert_contains(out.buf, "warning: the key of jun@example.com in the allowed signers is no person's");
	assert_contains(out.buf, "warning: [path \"infra/**\"] matches no file in the tree (yet)");
	assert_contains(out.buf, "0 errors, 3 warnings\n");
	strbuf_reset(&out);
	/* a person pinned to a key the allowed signers do not hold, a tier nothing reaches */
	set_policy(f, "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		   "[person \"Raj\"]\n\temail = raj@example.com\n\tlevel = mid\n"
		   "\tkey = SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
		   "[person \"Ghost\"]\n\temail = ghost@example.com\n\tlevel = senior\n"
		   "[tier \"a\"]\n\tminRisk = 10\n\tlevel = mid\n[tier \"b\"]\n\tminRisk = 10\n\tlevel = senior\n");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "policy check"), 1);
	assert_contains(out.buf, "error: person \"Raj\": key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "
			"is not in the allowed signers");
	assert_contains(out.buf, "warning: person \"Ghost\" has no key");
	assert_contains(out.buf, "warning: tier \"a\" is unreachable");
	strbuf_reset(&out);
	/* a policy that does not parse */
	set_policy(f, "[person \"Raj\"]\n\temail = raj@example.com\n\tlevel = boss\n");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, &out, &err, "policy check main"), 1);
	assert_contains(err.buf, "person.Raj.level = 'boss': unknown level");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "policy check main extra"), 2);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "policy"), 2);
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_junior_authors_ai_change_needs_a_senior, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_senior_authors_ai_change_needs_one_mid_who_is_not_them,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_senior_required_item_is_not_met_by_two_mids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_person_under_two_addresses_counts_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_author_cannot_approve_under_another_address_of_theirs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_human_who_prompted_the_bot_cannot_approve_its_commit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_human_named_by_assisted_by_cannot_approve, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_team_requirement_counts_distinct_people, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_senior_is_not_the_security_team, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_persons_key_is_the_only_one_that_speaks_for_them, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gate_all_judges_commits_without_ai_markers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_ai_leaves_commits_without_markers_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_check_lists_the_people_and_reports_problems, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_the_first_example_of_revq_policy_5_is_the_missions_rule,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_an_unsigned_claim_of_seniority_is_a_junior_under_require_signed_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_signer_of_a_commit_is_self_under_require_signed_commits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_for_me_shows_what_my_approval_would_count_for, setup,
						teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
