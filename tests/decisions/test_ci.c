/*
 * test_ci.c: the CI templates of share/revq/ci run as a CI system would
 * run them.  The `run:` lines of the GitHub workflow and the `script:`
 * lines of the GitLab job are taken from the installed templates and run
 * in a fresh clone of a real bare server: an approved AI-assisted commit
 * passes; an unapproved one fails with an ::error annotation (or a JUnit
 * failure) naming it; a branch that loosens its own policy is judged by
 * the server's; a shallow checkout is deepened; hostile subjects reach
 * neither the log nor the reports raw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "base/strvec.h"

struct fixture {
	const char *repo;     /* the developer's clone, remote origin = the server */
	const char *keys;
	const char *top;      /* server.git, bin/revq and the CI checkout ci/ live here */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	f->top = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "jane", "jane@example.com");
	tl_git(f->repo, "config gpg.format ssh");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n");
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 3, "Review policy"));
	tl_sh(f->top, "git init -q --bare server.git && mkdir -p bin && ln -sf \"$REVQ_BIN\" bin/revq");
	tl_git(f->repo, "remote add origin %s/server.git", f->top);
	tl_git(f->repo, "push -q origin main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Jane approves commit and pushes the decision to the server. */
static void approve(struct fixture *f, const char *commit)
{
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "config user.signingkey %s/jane", f->keys);
	if (tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=Jane GIT_COMMITTER_EMAIL=jane@example.com "
			 "\"$REVQ_BIN\" approve -m 'looked at it' %s", commit))
		fail_msg("revq approve: %s", err.buf);
	tl_git(f->repo, "push -q origin refs/notes/revq");
	strbuf_release(&err);
}

/* An AI-assisted commit on a new branch from main, pushed; returns its id. */
static char *push_ai_branch(struct fixture *f, const char *branch, const char *subject)
{
	struct strbuf msg = STRBUF_INIT, content = STRBUF_INIT;
	char *id;

	/* A change of its own per branch: an approval of the same diff would carry over. */
	strbuf_addf(&msg, "%s" TL_AI_TRAILER, subject);
	strbuf_addf(&content, "/* %s */\n", branch);
	tl_git(f->repo, "checkout -q -B %s main", branch);
	id = tl_commit_file(f->repo, "a.c", content.buf, 2, msg.buf);
	tl_git(f->repo, "checkout -q main");
	tl_git(f->repo, "push -q origin %s", branch);
	strbuf_release(&msg);
	strbuf_release(&content);
	return id;
}

/* The CI's checkout of branch: a fresh clone of the server (depth 1 when shallow), detached. */
static void checkout(struct fixture *f, const char *branch, int shallow)
{
	tl_sh(f->top, "rm -rf ci summary.md");
	if (shallow)
		tl_sh(f->top, "git clone -q --depth 1 --branch %s file://%s/server.git ci", branch, f->top);
	else
		tl_sh(f->top, "git clone -q --branch %s server.git ci", branch);
	tl_sh(f->top, "cd ci && git checkout -q --detach");
}

/*
 * The commands of a template: with `script` NULL, every `run:` value (the
 * GitHub workflow); else the `- ` items under the `script:` key (GitLab).
 */
static void template_commands(struct strvec *out, const char *file, const char *script)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *save = NULL;
	int in_script = 0;

	strbuf_addf(&path, "%s/share/revq/ci/%s", getenv("REVQ_SRCDIR"), file);
	if (strbuf_read_file(&text, path.buf) < 0)
		fail_msg("cannot read %s", path.buf);
	for (char *line = strtok_r(text.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *s = line + strspn(line, " ");

		if (script && in_script && !strncmp(s, "- ", 2))
			strvec_push(out, s + 2);
		else if (script)
			in_script = !strncmp(s, script, strlen(script)) && s[strlen(script)] == ':';
		else if (!strncmp(s, "run: ", 5) || !strncmp(s, "- run: ", 7))
			strvec_push(out, strstr(s, "run: ") + 5);
	}
	if (!out->nr)
		fail_msg("no commands in %s", path.buf);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Runs the commands one after the other in ci/ as the CI would, stopping at a failure. */
static int run_template(struct fixture *f, const struct strvec *cmds, const char *env,
			struct strbuf *out)
{
	int rc = 0;

	for (size_t i = 0; i < cmds->nr && !rc; i++)
		rc = tl_sh_output(f->top, out, NULL, "cd ci && export PATH=\"%s/bin:$PATH\" %s && %s",
				  f->top, env, cmds->v[i]);
	return rc;
}

static int run_github(struct fixture *f, struct strbuf *out)
{
	struct strvec cmds = STRVEC_INIT;
	struct strbuf env = STRBUF_INIT;
	int rc;

	template_commands(&cmds, "github-workflow.yml", NULL);
	strbuf_addf(&env, "GITHUB_BASE_REF=main GITHUB_STEP_SUMMARY=%s/summary.md", f->top);
	rc = run_template(f, &cmds, env.buf, out);
	strvec_clear(&cmds);
	strbuf_release(&env);
	return rc;
}

static int run_gitlab(struct fixture *f, struct strbuf *out)
{
	struct strvec cmds = STRVEC_INIT;
	int rc;

	template_commands(&cmds, "gitlab-ci.yml", "script");
	rc = run_template(f, &cmds, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main", out);
	strvec_clear(&cmds);
	return rc;
}

static char *read_top(struct fixture *f, const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", f->top, name);
	if (strbuf_read_file(&text, path.buf) < 0)
		fail_msg("cannot read %s", path.buf);
	strbuf_release(&path);
	return strbuf_detach(&text, NULL);
}

static void assert_xml_well_formed(struct fixture *f, const char *name)
{
	if (tl_sh(f->top, "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' %s", name))
		fail_msg("%s is not well-formed XML", name);
}

static void test_the_github_workflow_passes_an_approved_commit_and_annotates_an_unapproved_one(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x, *y, *summary, annotation[64];

	x = push_ai_branch(f, "ai/x", "Approved change");
	approve(f, x);
	checkout(f, "ai/x", 0);
	if (run_github(f, &out))
		fail_msg("the workflow failed an approved commit:\n%s", out.buf);
	assert_not_contains(out.buf, "::error");
	summary = read_top(f, "summary.md");
	assert_contains(summary, "all 1 commit to judge pass");
	free(summary);

	y = push_ai_branch(f, "ai/y", "Unapproved change");
	checkout(f, "ai/y", 0);
	strbuf_reset(&out);
	assert_int_not_equal(run_github(f, &out), 0);
	snprintf(annotation, sizeof(annotation), "::error title=revq%%3A %.10s is not approved::%.10s: ", y, y);
	assert_contains(out.buf, annotation);
	assert_contains(out.buf, "(Unapproved change)");
	summary = read_top(f, "summary.md");
	assert_contains(summary, "1 of 1 commit to judge fails");
	snprintf(annotation, sizeof(annotation), "- **%.10s** Unapproved change: ", y);
	assert_contains(summary, annotation);
	free(summary);
	strbuf_release(&out);
	free(x);
	free(y);
}

static void test_the_gitlab_job_writes_a_junit_report_that_fails_an_unapproved_commit(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x, *y, *report, name[32];

	x = push_ai_branch(f, "ai/x", "Approved change");
	approve(f, x);
	checkout(f, "ai/x", 0);
	if (run_gitlab(f, &out))
		fail_msg("the job failed an approved commit:\n%s", out.buf);
	assert_xml_well_formed(f, "ci/revq-junit.xml");
	report = read_top(f, "ci/revq-junit.xml");
	snprintf(name, sizeof(name), "name=\"%.10s Approved change\"/>", x);
	assert_contains(report, name);
	assert_not_contains(report, "<failure");
	free(report);

	y = push_ai_branch(f, "ai/y", "Unapproved change");
	checkout(f, "ai/y", 0);
	strbuf_reset(&out);
	assert_int_not_equal(run_gitlab(f, &out), 0);
	snprintf(name, sizeof(name), "%.10s: ", y);
	assert_contains(out.buf, name);   /* the text line in the log */
	assert_xml_well_formed(f, "ci/revq-junit.xml");
	report = read_top(f, "ci/revq-junit.xml");
	assert_contains(report, "failures=\"1\"");
	assert_contains(report, "<failure type=\"not-approved\" message=\"not enough approvals");
	free(report);
	strbuf_release(&out);
	free(x);
	free(y);
}

static void test_a_branch_that_loosens_its_own_policy_is_judged_by_the_servers(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *y;

	/* The branch's own policy would take no approval from anyone: gate nothing. */
	tl_git(f->repo, "checkout -q -B ai/loose main");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		 "[tier \"none\"]\n\tapprovals = 0\n");
	free(tl_commit(f->repo, 2, "Relax the review policy"));
	y = tl_commit_file(f->repo, "a.c", "int x;\n", 2, "Change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	tl_git(f->repo, "push -q origin ai/loose");
	checkout(f, "ai/loose", 0);
	assert_int_not_equal(run_github(f, &out), 0);
	assert_contains(out.buf, "changes the trust root");
	assert_contains(out.buf, "(Relax the review policy)");
	strbuf_release(&out);
	free(y);
}

static void test_a_shallow_checkout_is_deepened_before_judging(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *x, *y, annotation[32];

	x = push_ai_branch(f, "ai/x", "Approved change");
	approve(f, x);
	/* Two commits on the branch, so that depth 1 hides the approved one. */
	tl_git(f->repo, "checkout -q ai/x");
	y = tl_commit_file(f->repo, "b.c", "int y;\n", 1, "Second change" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	tl_git(f->repo, "push -q origin ai/x");
	checkout(f, "ai/x", 1);
	assert_int_not_equal(run_github(f, &out), 0);
	snprintf(annotation, sizeof(annotation), "%.10s: ", y);
	assert_contains(out.buf, annotation);
	snprintf(annotation, sizeof(annotation), "::%.10s: ", x);
	assert_not_contains(out.buf, annotation);   /* judged, and approved: the full history was there */
	approve(f, y);
	strbuf_reset(&out);
	checkout(f, "ai/x", 1);
	if (run_github(f, &out))
		fail_msg("the workflow failed approved commits in a shallow checkout:\n%s", out.buf);
	strbuf_release(&out);
	free(x);
	free(y);
}

static void test_a_hostile_subject_reaches_no_report_raw(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *y, *text;

	y = push_ai_branch(f, "ai/y", "Fix \033]0;pwned\007 %0A::warning::x <b>&amp; ]]> \001 [a](b)");
	checkout(f, "ai/y", 0);
	assert_int_not_equal(run_github(f, &out), 0);
	assert_not_contains(out.buf, "\033");
	assert_not_contains(out.buf, "\007");
	assert_not_contains(out.buf, "\001");
	assert_contains(out.buf, "%250A::warning::x");   /* still one annotation: % quoted */
	text = read_top(f, "summary.md");
	assert_not_contains(text, "<b>");
	assert_not_contains(text, "\033");
	assert_contains(text, "&lt;b&gt;");
	assert_contains(text, "\\[a\\]\\(b\\)");
	free(text);
	strbuf_reset(&out);
	assert_int_not_equal(run_gitlab(f, &out), 0);
	assert_not_contains(out.buf, "\033");
	assert_xml_well_formed(f, "ci/revq-junit.xml");
	text = read_top(f, "ci/revq-junit.xml");
	assert_contains(text, "^[]0;pwned^G");
	assert_contains(text, "&lt;b&gt;&amp;amp; ]]&gt; ^A");
	free(text);
	strbuf_release(&out);
	free(y);
}

/* A commit without AI markers that the server's refs/notes/ai attributes to an AI session is judged. */
static void test_the_servers_ai_notes_are_fetched_and_count(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *h, annotation[32];

	tl_git(f->repo, "checkout -q -B noted main");
	h = tl_commit_file(f->repo, "h.c", "int h;\n", 2, "Looks human");
	tl_git(f->repo, "checkout -q main");
	tl_git(f->repo, "push -q origin noted");
	checkout(f, "noted", 0);
	if (run_github(f, &out))
		fail_msg("a commit without AI markers failed:\n%s", out.buf);
	tl_write(f->repo, "../note.txt", "h.c\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 1\n---\n"
		 "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"sessions\": "
		 "{\"s_e5ad0f6fb287dd\": {\"agent_id\": {\"tool\": \"claude\", \"id\": \"u\", "
		 "\"model\": \"claude-opus-4-5\"}}}}\n");
	tl_git(f->repo, "notes --ref=ai add -F ../note.txt %s", h);
	tl_git(f->repo, "push -q origin refs/notes/ai");
	checkout(f, "noted", 0);
	strbuf_reset(&out);
	assert_int_not_equal(run_github(f, &out), 0);
	snprintf(annotation, sizeof(annotation), "::%.10s: ", h);
	assert_contains(out.buf, annotation);
	strbuf_release(&out);
	free(h);
}

static void test_an_unknown_or_contradictory_format_is_a_usage_error(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify --format=sarif"), 2);
	assert_contains(err.buf, "not 'sarif'");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(f->repo, NULL, &err, "verify --json --format=junit"), 2);
	assert_contains(err.buf, "--json and --format=junit disagree");
	/* Control: --json with --format=json is the same request, and an empty range passes. */
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "verify --json --format=json main..main"), 0);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_the_github_workflow_passes_an_approved_commit_and_annotates_an_unapproved_one,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_gitlab_job_writes_a_junit_report_that_fails_an_unapproved_commit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_branch_that_loosens_its_own_policy_is_judged_by_the_servers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_shallow_checkout_is_deepened_before_judging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_hostile_subject_reaches_no_report_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_servers_ai_notes_are_fetched_and_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_unknown_or_contradictory_format_is_a_usage_error,
						setup, teardown),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
