/*
 * test_onboarding.c: the commands that set revq up, end to end in a
 * temporary HOME each: `revq setup` (never clobbering a key or a value
 * already set, --dry-run changing nothing), `revq init` (a policy that
 * passes policy check, never overwriting), `revq doctor` (each problem it
 * claims to find, and the all-good case), `git revq` through git, the
 * bash and zsh completion, and progress only on a terminal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tmux.h"

/* A fresh HOME with an identity in its global config; returns it. */
static const char *new_home(void)
{
	const char *home = tl_tmpdir();

	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GNUPGHOME", home, 1);
	unsetenv("SSH_AUTH_SOCK");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	tl_git(home, "config --global init.defaultBranch main");
	tl_git(home, "config --global user.name 'Jane Doe'");
	tl_git(home, "config --global user.email jane@example.com");
	return home;
}

/* A digest of every file under dir (names, modes and contents), for before/after comparisons. */
static char *tree_digest(const char *dir)
{
	struct strbuf out = STRBUF_INIT;

	if (tl_sh_output(dir, &out, NULL, "find . -print0 | sort -z | xargs -0 stat -c '%%n %%a %%s %%Y' && "
			 "find . -type f -print0 | sort -z | xargs -0 cat | sha256sum"))
		fail_msg("cannot digest %s", dir);
	return strbuf_detach(&out, NULL);
}

static char *global_config(const char *key)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(NULL, &out, NULL, "git config --global --get %s", key);
	strbuf_trim_trailing_newline(&out);
	return strbuf_detach(&out, NULL);
}

static void assert_global(const char *key, const char *expected)
{
	char *got = global_config(key);

	if (strcmp(got, expected))
		fail_msg("git config --global %s is '%s', expected '%s'", key, got, expected);
	free(got);
}

/* ---- revq setup ---- */

static void test_setup_makes_a_key_sets_what_is_missing_and_its_test_signature_verifies(void **state)
{
	const char *home = new_home();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, pub = STRBUF_INIT, key = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(home, &out, &err, "setup --yes </dev/null"), 0);
	assert_contains(out.buf, "Checked: a test record signed with your key verifies");
	strbuf_addf(&key, "%s/.ssh/id_ed25519.pub", home);
	assert_global("user.signingkey", key.buf);
	assert_global("gpg.format", "ssh");
	strbuf_reset(&key);
	strbuf_addf(&key, "%s/.ssh/allowed_signers", home);
	assert_global("gpg.ssh.allowedsignersfile", key.buf);
	/* The printed line is the one in the file, and names the new key. */
	tl_sh_output(home, &pub, NULL, "cut -d' ' -f1,2 .ssh/id_ed25519.pub");
	strbuf_trim_trailing_newline(&pub);
	assert_contains(out.buf, pub.buf);
	assert_int_equal(tl_sh(home, "grep -qF 'jane@example.com namespaces=\"git,revq\" %s' .ssh/allowed_signers",
			       pub.buf), 0);
	assert_int_equal(tl_sh(home, "test \"$(stat -c %%a .ssh)\" = 700"), 0);
	/* Run again: nothing to change, and the line is not added twice. */
	strbuf_reset(&out);
	assert_int_equal(tl_revq(home, &out, &err, "setup </dev/null"), 0);
	assert_contains(out.buf, "Nothing to change");
	assert_int_equal(tl_sh(home, "test $(wc -l < .ssh/allowed_signers) = 1"), 0);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&pub);
	strbuf_release(&key);
}

static void test_setup_keeps_an_existing_key_and_a_signingkey_that_points_elsewhere(void **state)
{
	const char *home = new_home();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, key = STRBUF_INIT;
	char *before_default, *after_default;

	(void)state;
	/* The attack on a careless setup: a default key to overwrite, a configured key to replace. */
	tl_sh(home, "mkdir -m 700 .ssh && ssh-keygen -q -t ed25519 -N '' -C old -f .ssh/id_ed25519 && "
	      "ssh-keygen -q -t ed25519 -N '' -C work -f .ssh/work");
	strbuf_addf(&key, "%s/.ssh/work.pub", home);
	tl_git(home, "config --global user.signingkey %s", key.buf);
	before_default = tl_git_out(home, "hash-object .ssh/id_ed25519");
	assert_int_equal(tl_revq(home, &out, &err, "setup --yes </dev/null"), 0);
	after_default = tl_git_out(home, "hash-object .ssh/id_ed25519");
	assert_string_equal(before_default, after_default);
	assert_global("user.signingkey", key.buf);
	assert_contains(out.buf, "(user.signingkey, kept)");
	/* What was missing is added: gpg.format for that ssh key, and its line. */
	assert_global("gpg.format", "ssh");
	assert_int_equal(tl_sh(home, "grep -qF \"$(cut -d' ' -f1,2 .ssh/work.pub)\" .ssh/allowed_signers"), 0);
	assert_int_equal(tl_sh(home, "! grep -qF \"$(cut -d' ' -f1,2 .ssh/id_ed25519.pub)\" .ssh/allowed_signers"),
			 0);
	free(before_default);
	free(after_default);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&key);
}

static void test_setup_uses_an_existing_key_pair_and_never_writes_over_a_stray_key_file(void **state)
{
	const char *home = new_home(), *other;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, key = STRBUF_INIT;

	(void)state;
	tl_sh(home, "mkdir -m 700 .ssh && ssh-keygen -q -t ed25519 -N '' -C mine -f .ssh/id_ed25519");
	assert_int_equal(tl_revq(home, &out, &err, "setup --yes </dev/null"), 0);
	strbuf_addf(&key, "%s/.ssh/id_ed25519.pub", home);
	assert_global("user.signingkey", key.buf);
	assert_not_contains(out.buf, "create the ssh key");
	assert_int_equal(tl_sh(home, "test ! -e .ssh/id_ed25519_revq"), 0);

	/* A private key without its .pub is not used, and not replaced: a new file is made. */
	other = new_home();
	tl_sh(other, "mkdir -m 700 .ssh && printf 'not mine to touch\\n' > .ssh/id_ed25519");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(other, &out, &err, "setup --yes </dev/null"), 0);
	assert_int_equal(tl_sh(other, "test \"$(cat .ssh/id_ed25519)\" = 'not mine to touch'"), 0);
	assert_int_equal(tl_sh(other, "test -s .ssh/id_ed25519_revq && test -s .ssh/id_ed25519_revq.pub"), 0);
	strbuf_reset(&key);
	strbuf_addf(&key, "%s/.ssh/id_ed25519_revq.pub", other);
	assert_global("user.signingkey", key.buf);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&key);
}

static void test_setup_dry_run_changes_nothing(void **state)
{
	const char *home = new_home();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *before, *after;

	(void)state;
	before = tree_digest(home);
	assert_int_equal(tl_revq(home, &out, &err, "setup --dry-run </dev/null"), 0);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(out.buf, "would create the ssh key");
	assert_contains(out.buf, "would git config --global gpg.format ssh");
	free(before);
	free(after);

	/* With a key: the dry run also signs and checks, and still writes nothing. */
	tl_sh(home, "mkdir -m 700 .ssh && ssh-keygen -q -t ed25519 -N '' -C mine -f .ssh/id_ed25519");
	before = tree_digest(home);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(home, &out, &err, "setup --dry-run </dev/null"), 0);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(out.buf, "Checked:");
	assert_contains(out.buf, "would git config --global user.signingkey");
	free(before);
	free(after);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_setup_without_a_terminal_needs_yes_or_dry_run(void **state)
{
	const char *home = new_home();
	struct strbuf err = STRBUF_INIT;
	char *before, *after;

	(void)state;
	before = tree_digest(home);
	assert_int_equal(tl_revq(home, NULL, &err, "setup </dev/null"), 2);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(err.buf, "--yes");
	free(before);
	free(after);
	strbuf_release(&err);
}

static void test_setup_on_a_terminal_asks_before_each_change(void **state)
{
	const char *home = new_home();
	struct strbuf out = STRBUF_INIT;
	char *before, *after;

	(void)state;
	if (tl_sh(NULL, "command -v script"))
		skip();
	/* Declining the new key declines the rest: nothing is written. */
	before = tree_digest(home);
	assert_int_equal(tl_sh_output(home, &out, NULL, "echo n | script -qec '\"$REVQ_BIN\" setup' /dev/null"), 1);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(out.buf, "create the ssh key");
	assert_contains(out.buf, "[Y/n]");
	assert_contains(out.buf, "skipped: create the ssh key");
	assert_not_contains(out.buf, "user.signingkey");
	free(before);
	free(after);
	/* Enter takes the default, yes, for each of the five changes. */
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(home, &out, NULL, "printf '\\n\\n\\n\\n\\n' | "
				      "script -qec '\"$REVQ_BIN\" setup' /dev/null"), 0);
	assert_contains(out.buf, "Checked:");
	assert_global("gpg.format", "ssh");
	strbuf_release(&out);
}

static void test_setup_leaves_an_openpgp_setup_and_a_broken_ssh_key_alone(void **state)
{
	const char *home = new_home();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *before, *after;

	(void)state;
	tl_git(home, "config --global user.signingkey 0xDEADBEEF");
	tl_git(home, "config --global gpg.program false");
	before = tree_digest(home);
	/* gpg cannot sign here (gpg.program is false): the check fails, nothing changes. */
	assert_int_equal(tl_revq(home, &out, &err, "setup --yes </dev/null"), 1);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(out.buf, "An OpenPGP signing setup exists");
	assert_contains(out.buf, "left alone");
	free(before);
	free(after);

	/* An ssh signingkey naming no key: an error, and no key made to replace it. */
	home = new_home();
	tl_git(home, "config --global gpg.format ssh");
	tl_git(home, "config --global user.signingkey %s/.ssh/gone.pub", home);
	before = tree_digest(home);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(home, NULL, &err, "setup --yes </dev/null"), 3);
	after = tree_digest(home);
	assert_string_equal(before, after);
	assert_contains(err.buf, "not a readable ssh key");
	free(before);
	free(after);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* ---- revq init ---- */

/* A repository in a HOME set up by revq setup; the repository's directory. */
static const char *set_up_repo(void)
{
	const char *home = new_home(), *repo;
	struct strbuf out = STRBUF_INIT;

	if (tl_revq(home, &out, &out, "setup --yes </dev/null"))
		fail_msg("revq setup failed:\n%s", out.buf);
	strbuf_release(&out);
	repo = tl_repo_new();
	return repo;
}

static void test_init_writes_a_policy_that_passes_policy_check_for_every_template(void **state)
{
	const char *templates[] = { "default", "narrow", "simple", "strict" };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		const char *repo = set_up_repo();

		strbuf_reset(&out);
		assert_int_equal(tl_revq(repo, &out, &err, "init --template %s", templates[i]), 0);
		assert_contains(out.buf, "Next steps:");
		assert_contains(out.buf, "refs/heads/main");
		/* Seeded with the user's key, under the user's address. */
		assert_int_equal(tl_sh(repo, "grep -qF \"jane@example.com namespaces=\\\"git,revq\\\" "
				       "$(cut -d' ' -f1,2 \"$HOME/.ssh/id_ed25519.pub\")\" .revq/allowed_signers"), 0);
		assert_int_equal(tl_sh(repo, "grep -q '^\\[person \"Jane Doe\"\\]' .revq/policy"), 0);
		tl_git(repo, "add .revq");
		tl_git(repo, "commit -q -m policy");
		strbuf_reset(&out);
		assert_int_equal(tl_revq(repo, &out, &err, "policy check"), 0);
		assert_contains(out.buf, "0 errors");
	}
	strbuf_reset(&out);
	assert_int_equal(tl_revq(".", &out, &err, "init --list-templates"), 0);
	assert_contains(out.buf, "default");
	assert_contains(out.buf, "narrow");
	assert_contains(out.buf, "strict");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_init_refuses_to_overwrite_either_file(void **state)
{
	const char *repo = set_up_repo();
	struct strbuf err = STRBUF_INIT;

	(void)state;
	tl_write(repo, ".revq/policy", "# mine\n");
	assert_int_equal(tl_revq(repo, NULL, &err, "init"), 1);
	assert_contains(err.buf, ".revq/policy exists already");
	assert_int_equal(tl_sh(repo, "test \"$(cat .revq/policy)\" = '# mine' && test ! -e .revq/allowed_signers"),
			 0);
	/* Only the signers exist: the policy is not written either. */
	tl_sh(repo, "rm .revq/policy && echo '# theirs' > .revq/allowed_signers");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "init"), 1);
	assert_int_equal(tl_sh(repo, "test ! -e .revq/policy && test \"$(cat .revq/allowed_signers)\" = '# theirs'"),
			 0);
	/* A template name that could leave the templates' folder is a usage error. */
	tl_sh(repo, "rm -r .revq");
	assert_int_equal(tl_revq(repo, NULL, &err, "init --template ../pre-receive"), 2);
	assert_int_equal(tl_revq(repo, NULL, &err, "init --template nosuch"), 2);
	assert_int_equal(tl_sh(repo, "test ! -e .revq/policy"), 0);
	strbuf_release(&err);
}

static void test_set_up_and_init_make_an_approval_the_gate_accepts(void **state)
{
	const char *repo = set_up_repo();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(tl_revq(repo, &out, &err, "init"), 0);
	tl_git(repo, "add .revq");
	tl_git(repo, "commit -q -m policy");
	tl_sh(repo, "git checkout -q -b ai/x && echo 'int x;' > x.c && git add x.c && "
	      "git -c user.name=Dev -c user.email=dev@example.com commit -q -m 'Add x' "
	      "-m 'Co-Authored-By: Claude <noreply@anthropic.com>'");
	assert_int_equal(tl_revq(repo, NULL, &err, "verify main..ai/x"), 1);
	assert_int_equal(tl_revq(repo, NULL, &err, "approve -m ok ai/x"), 0);
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, &out, &err, "verify main..ai/x"), 0);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* ---- revq doctor ---- */

/* A repository set up, initialised and committed: doctor finds nothing. */
static const char *healthy_repo(void)
{
	const char *repo = set_up_repo();

	if (tl_revq(repo, NULL, NULL, "init"))
		fail_msg("revq init failed");
	tl_git(repo, "add .revq");
	tl_git(repo, "commit -q -m policy");
	return repo;
}

/* Runs doctor in dir, expecting exit status rc, and returns its output (caller frees). */
static char *doctor(const char *dir, int rc)
{
	struct strbuf out = STRBUF_INIT;
	int got = tl_revq(dir, &out, NULL, "doctor");

	if (got != rc)
		fail_msg("revq doctor exited %d, expected %d:\n%s", got, rc, out.buf);
	return strbuf_detach(&out, NULL);
}

static void test_doctor_finds_nothing_wrong_in_a_set_up_repository(void **state)
{
	char *out = doctor(healthy_repo(), 0);

	(void)state;
	assert_contains(out, "0 errors, 0 warnings");
	assert_not_contains(out, "error ");
	assert_contains(out, "ok       signers:");
	free(out);
}

static void test_doctor_finds_missing_signing_config(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_git(repo, "config --global --unset user.signingkey");
	out = doctor(repo, 1);
	assert_contains(out, "error    signing: no signing key");
	assert_contains(out, "(fix: revq setup)");
	free(out);
}

static void test_doctor_finds_a_missing_identity(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_git(repo, "config --global --unset user.email");
	out = doctor(repo, 1);
	assert_contains(out, "error    identity: who are you? set user.email");
	free(out);
}

static void test_doctor_finds_a_key_that_is_not_at_hand(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_sh(repo, "rm \"$HOME/.ssh/id_ed25519\"");
	out = doctor(repo, 1);
	assert_contains(out, "error    key: the private key of");
	free(out);
}

static void test_doctor_finds_no_gpg_key_when_nothing_is_set_up(void **state)
{
	const char *repo;
	char *out;

	(void)state;
	new_home();
	repo = tl_repo_new();
	out = doctor(repo, 1);
	assert_contains(out, "error    key: gpg has no secret key");
	free(out);
}

/* Whether a gpg-agent runs for GNUPGHOME (asking starts none: --no-autostart). */
static int gpg_agent_running(void)
{
	return !tl_sh(".", "gpg-connect-agent --no-autostart 'GETINFO pid' /bye 2>/dev/null | grep -q '^D '");
}

/* A gpg key for Jane in a new home, its agent stopped again; 0 when gpg is not installed. */
static const char *home_with_gpg_key(void)
{
	const char *home = new_home();

	if (tl_sh(home, "command -v gpg >/dev/null && command -v gpg-connect-agent >/dev/null"))
		return NULL;
	tl_sh(home, "chmod 700 .");
	assert_int_equal(tl_sh(home, "gpg --batch --quiet --pinentry-mode loopback --passphrase '' "
			       "--quick-gen-key 'Jane Doe <jane@example.com>' ed25519 sign never 2>/dev/null && "
			       "gpgconf --kill gpg-agent"), 0);
	assert_false(gpg_agent_running());
	return home;
}

/* Attack on the machine's state: a doctor run must not leave a gpg-agent behind. */
static void test_doctor_checks_a_gpg_key_without_starting_an_agent(void **state)
{
	const char *home = home_with_gpg_key(), *repo;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_non_null(home);   /* gnupg is in the README's test command: no key is a failure, not a skip */
	repo = tl_repo_new();
	tl_revq(repo, &out, NULL, "doctor");
	assert_false(gpg_agent_running());
	assert_contains(out.buf, "warning  key: gpg has the key (default); its secret part was not checked");
	assert_not_contains(out.buf, "error    key:");
	strbuf_release(&out);
}

/* Legitimate: with the agent the reviewer already runs, doctor finds the secret key. */
static void test_doctor_finds_the_gpg_secret_key_through_a_running_agent(void **state)
{
	const char *home = home_with_gpg_key(), *repo;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_non_null(home);   /* gnupg is in the README's test command: no key is a failure, not a skip */
	repo = tl_repo_new();
	assert_int_equal(tl_sh(home, "gpg-connect-agent /bye >/dev/null 2>&1"), 0);
	assert_true(gpg_agent_running());
	tl_revq(repo, &out, NULL, "doctor");
	assert_contains(out.buf, "ok       key: gpg has the secret key (default)");
	tl_sh(home, "gpgconf --kill gpg-agent");
	strbuf_release(&out);
}

static void test_doctor_finds_my_key_missing_from_the_allowed_signers(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_sh(repo, "ssh-keygen -q -t ed25519 -N '' -C other -f other && "
	      "echo \"jane@example.com $(cut -d' ' -f1,2 other.pub)\" > .revq/allowed_signers && "
	      "git commit -q -am 'other key'");
	out = doctor(repo, 1);
	assert_contains(out, "error    signers: refs/heads/main:.revq/allowed_signers does not list your key");
	assert_contains(out, "jane@example.com namespaces=\"git,revq\" ssh-ed25519 ");
	free(out);
}

static void test_doctor_finds_no_target(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_git(repo, "branch -q -m main trunk");
	out = doctor(repo, 1);
	assert_contains(out, "error    target:");
	assert_contains(out, "revq.target");
	free(out);
	/* The legitimate case: revq.target names it. */
	tl_git(repo, "config revq.target refs/heads/trunk");
	free(doctor(repo, 0));
}

static void test_doctor_finds_policy_errors_and_a_missing_policy(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_sh(repo, "printf '[tier \"x\"]\\n\\tminRisk = 0\\n\\trequire = 1 from nosuchteam\\n' >> .revq/policy && "
	      "git commit -q -am 'bad policy'");
	out = doctor(repo, 1);
	assert_contains(out, "error    policy:");
	free(out);
	tl_sh(repo, "git rm -q -r .revq && git commit -q -m 'no policy'");
	out = doctor(repo, 0);
	assert_contains(out, "warning  policy: refs/heads/main has no .revq/policy");
	free(out);
}

static void test_doctor_finds_a_refspec_that_overwrites_local_notes(void **state)
{
	const char *repo = healthy_repo();
	char *out;

	(void)state;
	tl_git(repo, "remote add origin /nowhere");
	tl_git(repo, "config --add remote.origin.fetch '+refs/notes/revq:refs/notes/remotes/origin/revq'");
	free(doctor(repo, 0));   /* into a remote-tracking notes ref: fine */
	tl_git(repo, "config --add remote.origin.fetch '+refs/notes/*:refs/notes/*'");
	out = doctor(repo, 1);
	assert_contains(out, "error    refspecs: remote origin fetches +refs/notes/*:refs/notes/*");
	free(out);
}

static void test_doctor_finds_a_server_repository_without_the_hook(void **state)
{
	const char *repo = healthy_repo(), *top = tl_tmpdir();
	char *out;

	(void)state;
	tl_sh(top, "git clone -q --bare %s server.git", repo);
	{
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/server.git", top);
		out = doctor(path.buf, 1);
		assert_contains(out, "error    hook:");
		free(out);
		tl_sh(top, "cp \"$REVQ_SRCDIR/share/revq/pre-receive\" server.git/hooks/ && "
		      "chmod +x server.git/hooks/pre-receive");
		out = doctor(path.buf, 0);
		assert_contains(out, "ok       hook:");
		free(out);
		strbuf_release(&path);
	}
}

static void test_doctor_finds_a_shallow_clone(void **state)
{
	const char *repo = healthy_repo(), *top = tl_tmpdir();
	struct strbuf path = STRBUF_INIT;
	char *out;

	(void)state;
	tl_git(repo, "commit -q --allow-empty -m more");
	tl_sh(top, "git clone -q --depth 1 file://%s shallow", repo);
	strbuf_addf(&path, "%s/shallow", top);
	out = doctor(path.buf, 1);
	assert_contains(out, "error    history: this clone is shallow");
	assert_contains(out, "git fetch --unshallow");
	free(out);
	strbuf_release(&path);
}

/* ---- git revq, completion, progress ---- */

/* A repository with an AI-assisted commit on ai/x; its short id in *id. */
static const char *repo_with_work(char **id)
{
	const char *repo = tl_repo_new();
	char *full;

	tl_git(repo, "checkout -q -b ai/x");
	full = tl_commit_file(repo, "src/x.c", "int x;\n", 1, "Work on x" TL_AI_TRAILER);
	tl_git(repo, "checkout -q main");
	*id = xstrndup(full, 10);
	free(full);
	return repo;
}

static void test_git_revq_runs_revq_through_git(void **state)
{
	const char *bin = tl_tmpdir(), *repo;
	struct strbuf direct = STRBUF_INIT, through = STRBUF_INIT, err = STRBUF_INIT;
	char *id;

	(void)state;
	new_home();
	repo = repo_with_work(&id);
	tl_sh(bin, "ln -s \"$REVQ_BIN\" git-revq");
	assert_int_equal(tl_revq(repo, &direct, &err, "list --json"), 0);
	assert_int_equal(tl_sh_output(repo, &through, &err, "PATH='%s':\"$PATH\" git revq list --json", bin), 0);
	assert_string_equal(direct.buf, through.buf);
	assert_contains(through.buf, id);
	/* Global options and help go through too. */
	strbuf_reset(&through);
	assert_int_equal(tl_sh_output(repo, &through, &err, "PATH='%s':\"$PATH\" git revq --version", bin), 0);
	assert_contains(through.buf, "revq ");
	free(id);
	strbuf_release(&direct);
	strbuf_release(&through);
	strbuf_release(&err);
}

/* Completes the words (a bash array body, the last being completed) in dir; COMPREPLY, one per line. */
static char *complete_bash(const char *dir, const char *words, const char *function)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	if (tl_sh_output(dir, &out, &err, "PATH=\"$(dirname \"$REVQ_BIN\")\":\"$PATH\" bash --norc -c '"
			 "source \"$REVQ_SRCDIR/share/completion/revq.bash\" && COMP_WORDS=(%s) && "
			 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && %s && printf \"%%s\\n\" \"${COMPREPLY[@]}\"'",
			 words, function))
		fail_msg("bash completion failed: %s", err.buf);
	strbuf_release(&err);
	return strbuf_detach(&out, NULL);
}

static void test_bash_completion_completes_commands_options_refs_and_queue_commits(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *repo;
	char *id, *got;

	(void)state;
	new_home();
	repo = repo_with_work(&id);
	assert_int_equal(tl_sh_output(repo, &out, NULL, "bash --norc -c 'source \"$REVQ_SRCDIR/share/completion/"
				      "revq.bash\" && complete -p revq git-revq'"), 0);
	assert_contains(out.buf, "complete -F _revq revq");
	got = complete_bash(repo, "revq ver", "_revq");
	assert_string_equal(got, "verify\n");
	free(got);
	got = complete_bash(repo, "revq list --j", "_revq");
	assert_string_equal(got, "--json\n--jobs\n");
	free(got);
	got = complete_bash(repo, "revq approve \"\"", "_revq");
	assert_contains(got, id);
	free(got);
	got = complete_bash(repo, "revq verify --target ai/", "_revq");
	assert_string_equal(got, "ai/x\n");
	free(got);
	got = complete_bash(repo, "revq init --template s", "_revq");
	assert_string_equal(got, "simple\nstrict\n");
	free(got);
	got = complete_bash(repo, "git revq cache \"\"", "_git_revq");
	assert_string_equal(got, "rebuild\nclear\npath\n");
	free(got);
	free(id);
	strbuf_release(&out);
}

static void test_zsh_completion_completes_commands_queue_commits_and_git_revq(void **state)
{
	const char *fpath = tl_tmpdir(), *repo;
	struct strbuf keys = STRBUF_INIT;
	struct tmux t;
	const char *bin;
	char *id;

	(void)state;
	if (tl_sh(NULL, "command -v zsh && command -v tmux"))
		skip();
	assert_int_equal(tl_sh(NULL, "zsh -n \"$REVQ_SRCDIR/share/completion/_revq\""), 0);
	new_home();
	repo = repo_with_work(&id);
	tl_sh(fpath, "cp \"$REVQ_SRCDIR/share/completion/_revq\" . && ln -s _revq _git-revq");
	bin = getenv("REVQ_BIN");
	strbuf_addf(&keys, "PATH='%.*s':$PATH PS1='$ ' zsh -f -i", (int)(strrchr(bin, '/') - bin), bin);
	tmux_start(&t, repo, 100, 30, keys.buf);
	strbuf_reset(&keys);
	strbuf_addf(&keys, "'fpath=(%s $fpath); autoload -U compinit; compinit -u -D' Enter", fpath);
	tmux_keys(&t, keys.buf);
	tmux_keys(&t, "'revq appr' Tab");
	if (!tmux_wait_for(&t, "$ revq approve", 10000))
		fail_msg("zsh did not complete the command:\n%s", tmux_screen(&t));
	tmux_keys(&t, "Tab");
	if (!tmux_wait_for(&t, id, 10000))
		fail_msg("zsh did not complete the queue's commit %s:\n%s", id, tmux_screen(&t));
	tmux_keys(&t, "C-u 'git revq cache ' Tab");
	if (!tmux_wait_for(&t, "rebuild", 10000))
		fail_msg("zsh did not complete git revq:\n%s", tmux_screen(&t));
	tmux_stop(&t);
	free(id);
	strbuf_release(&keys);
}

/* 40 AI-assisted commits on ai/many, never scanned: a cold scan. */
static const char *repo_with_many(void)
{
	const char *repo = tl_repo_new();

	tl_sh(repo, "git checkout -q -b ai/many && for i in $(seq 40); do echo $i > f$i && git add f$i && "
	      "git commit -q -m \"c$i\" -m 'Co-Authored-By: Claude <noreply@anthropic.com>' || exit 1; done");
	return repo;
}

static void test_progress_shows_only_on_a_terminal_and_not_with_quiet(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *repo, *remote;

	(void)state;
	new_home();
	setenv("REVQ_PROGRESS_DELAY", "0", 1);
	repo = repo_with_many();
	assert_int_equal(tl_revq(repo, &out, &err, "list"), 0);
	assert_not_contains(err.buf, "Scanning");
	assert_int_equal(tl_revq(repo, NULL, &err, "cache clear"), 0);
	if (tl_sh(NULL, "command -v script"))
		skip();
	/* script(1) gives revq a terminal; its output is what the terminal showed. */
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(repo, &out, NULL, "script -qec '\"$REVQ_BIN\" list >/dev/null' /dev/null"), 0);
	assert_contains(out.buf, "Scanning commits: 100% (40/40), done.");
	assert_int_equal(tl_revq(repo, NULL, &err, "cache clear"), 0);
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(repo, &out, NULL, "script -qec '\"$REVQ_BIN\" list --quiet >/dev/null' "
				      "/dev/null"), 0);
	assert_not_contains(out.buf, "Scanning");
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(repo, &out, NULL, "script -qec '\"$REVQ_BIN\" verify main..ai/many "
				      ">/dev/null' /dev/null"), 1);
	assert_contains(out.buf, "Verifying decisions: 100% (40/40), done.");
	/* sync: its three steps, and nothing without a terminal. */
	remote = tl_tmpdir();
	tl_sh(repo, "git clone -q --bare . %s/remote.git && git remote add origin %s/remote.git", remote, remote);
	strbuf_reset(&out);
	assert_int_equal(tl_sh_output(repo, &out, NULL, "script -qec '\"$REVQ_BIN\" sync' /dev/null"), 0);
	assert_contains(out.buf, "Syncing decisions: 100% (3/3), done.");
	strbuf_reset(&err);
	assert_int_equal(tl_revq(repo, NULL, &err, "sync"), 0);
	assert_not_contains(err.buf, "Syncing");
	unsetenv("REVQ_PROGRESS_DELAY");
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setup_makes_a_key_sets_what_is_missing_and_its_test_signature_verifies),
		cmocka_unit_test(test_setup_keeps_an_existing_key_and_a_signingkey_that_points_elsewhere),
		cmocka_unit_test(test_setup_uses_an_existing_key_pair_and_never_writes_over_a_stray_key_file),
		cmocka_unit_test(test_setup_dry_run_changes_nothing),
		cmocka_unit_test(test_setup_without_a_terminal_needs_yes_or_dry_run),
		cmocka_unit_test(test_setup_on_a_terminal_asks_before_each_change),
		cmocka_unit_test(test_setup_leaves_an_openpgp_setup_and_a_broken_ssh_key_alone),
		cmocka_unit_test(test_init_writes_a_policy_that_passes_policy_check_for_every_template),
		cmocka_unit_test(test_init_refuses_to_overwrite_either_file),
		cmocka_unit_test(test_set_up_and_init_make_an_approval_the_gate_accepts),
		cmocka_unit_test(test_doctor_finds_nothing_wrong_in_a_set_up_repository),
		cmocka_unit_test(test_doctor_finds_missing_signing_config),
		cmocka_unit_test(test_doctor_finds_a_missing_identity),
		cmocka_unit_test(test_doctor_finds_a_key_that_is_not_at_hand),
		cmocka_unit_test(test_doctor_finds_no_gpg_key_when_nothing_is_set_up),
		cmocka_unit_test(test_doctor_checks_a_gpg_key_without_starting_an_agent),
		cmocka_unit_test(test_doctor_finds_the_gpg_secret_key_through_a_running_agent),
		cmocka_unit_test(test_doctor_finds_my_key_missing_from_the_allowed_signers),
		cmocka_unit_test(test_doctor_finds_no_target),
		cmocka_unit_test(test_doctor_finds_policy_errors_and_a_missing_policy),
		cmocka_unit_test(test_doctor_finds_a_refspec_that_overwrites_local_notes),
		cmocka_unit_test(test_doctor_finds_a_server_repository_without_the_hook),
		cmocka_unit_test(test_doctor_finds_a_shallow_clone),
		cmocka_unit_test(test_git_revq_runs_revq_through_git),
		cmocka_unit_test(test_bash_completion_completes_commands_options_refs_and_queue_commits),
		cmocka_unit_test(test_zsh_completion_completes_commands_queue_commits_and_git_revq),
		cmocka_unit_test(test_progress_shows_only_on_a_terminal_and_not_with_quiet),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
