/*
 * cmd_doctor.c: `revq doctor`: everything that makes approvals fail or
 * get lost, checked in one go, one line each with what to fix: the
 * signing config, the key (a file or ssh-agent), the user's line in the
 * allowed signers, the target, the policy (as `revq policy check`), the
 * remotes' notes refspecs, the server hook, and shallow history.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "base/run.h"
#include "decide/policy.h"
#include "sign/gpgsetup.h"
#include "sign/sign.h"

static const char doctor_usage[] =
	"usage: revq doctor\n"
	"\n"
	"Checks the signing config, the signing key, your line in the allowed\n"
	"signers, the target, its policy, the remotes' notes refspecs, the\n"
	"pre-receive hook (in a bare repository) and shallow history; one line\n"
	"each, with what to fix.\n"
	"\n"
	"Exit status: 0 nothing is wrong (warnings allowed), 1 something is.\n";

enum verdict_level { CHECK_OK, CHECK_WARN, CHECK_ERROR, CHECK_SKIP };

struct doctor {
	const struct settings *settings;   /* not owned: the session's, or global */
	struct session *session;           /* not owned, or NULL outside a repository */
	struct target target;              /* owned once found */
	int have_target;
	struct policy policy;              /* owned once loaded */
	int have_policy;
	struct signing_key key;            /* owned: user.signingkey's ssh key, when ssh */
	int ssh;
	int signing_ok;                    /* signer_init() accepted the config */
	unsigned errors, warnings;
	struct strbuf out;
};

/* One line: "error  topic: message (fix: ...)"; message and fix are escaped. */
static void report(struct doctor *d, enum verdict_level level, const char *topic, const char *message,
		   const char *fix)
{
	static const char *const names[] = { "ok", "warning", "error", "skipped" };

	strbuf_addf(&d->out, "%-8s %s: ", names[level], topic);
	cli_escape(&d->out, message);
	if (fix) {
		strbuf_addstr(&d->out, " (fix: ");
		cli_escape(&d->out, fix);
		strbuf_addch(&d->out, ')');
	}
	strbuf_addch(&d->out, '\n');
	d->errors += level == CHECK_ERROR;
	d->warnings += level == CHECK_WARN;
}

/* report() with a formatted message. */
static void reportf(struct doctor *d, enum verdict_level level, const char *topic, const char *fix,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void reportf(struct doctor *d, enum verdict_level level, const char *topic, const char *fix,
		    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	report(d, level, topic, sb.buf, fix);
	strbuf_release(&sb);
}

static void check_signing(struct doctor *d)
{
	const struct settings *s = d->settings;
	char *name = NULL, *email = NULL;
	struct signer sg;

	if (settings_identity(&name, &email, s))
		report(d, CHECK_ERROR, "identity", error_last(), "git config --global user.email ...");
	else
		reportf(d, CHECK_OK, "identity", NULL, "%s <%s>", name, email);
	if (signer_init(&sg, s)) {
		report(d, CHECK_ERROR, "signing", error_last(), "revq setup");
	} else {
		d->ssh = !strcmp(sg.format, "ssh");
		d->signing_ok = 1;
		reportf(d, CHECK_OK, "signing", NULL, "gpg.format %s, user.signingkey %s", sg.format,
			sg.key ? sg.key : "(gpg's default key)");
		signer_release(&sg);
	}
	free(name);
	free(email);
}

enum gpg_secret { SECRET_MISSING, SECRET_PRESENT, SECRET_UNCHECKED };

/*
 * Whether gpg has a secret key (key, or any when NULL) to sign with.
 * gpg asks its agent which keys have secrets; doctor starts none
 * (--no-autostart, so none is left running), and without a running
 * agent the secret part cannot be checked: SECRET_UNCHECKED.
 */
static enum gpg_secret gpg_secret_key(const struct settings *s, const char *key)
{
	struct child c = CHILD_INIT;
	enum gpg_secret res = SECRET_MISSING;

	strvec_pushl(&c.argv, s->gpg_program ? s->gpg_program : "gpg", "--batch", "--no-autostart",
		     "--with-colons", "--list-secret-keys", NULL);
	if (key)
		strvec_pushl(&c.argv, "--", key, NULL);
	c.timeout_ms = 10000;
	if (!run_command(&c) && !c.status && c.out.buf && strstr(c.out.buf, "sec:"))
		res = SECRET_PRESENT;
	else if (c.err.buf && gpg_needed_agent(c.err.buf))
		res = SECRET_UNCHECKED;
	error_clear();
	git_error_clear();
	child_release(&c);
	return res;
}

static void check_gpg_key(struct doctor *d, const char *value)
{
	const char *program = d->settings->gpg_program ? d->settings->gpg_program : "gpg";
	enum gpg_secret secret = gpg_secret_key(d->settings, value);

	if (secret == SECRET_UNCHECKED && !gpg_check_key_exists(program, value, 10000)) {
		reportf(d, CHECK_WARN, "key", "gpg-connect-agent /bye starts one; then run doctor again",
			"gpg has the key %s; its secret part was not checked: no gpg-agent is running, and "
			"doctor starts none", value ? value : "(default)");
		return;
	}
	error_clear();
	if (secret == SECRET_PRESENT)
		reportf(d, CHECK_OK, "key", NULL, "gpg has the secret key %s", value ? value : "(default)");
	else
		reportf(d, CHECK_ERROR, "key", "revq setup makes an ssh key instead",
			"gpg has no secret key%s%s to sign with (gpg.format is openpgp)", value ? " " : "",
			value ? value : "");
}

static void check_key(struct doctor *d)
{
	const char *value = d->settings->signing_key;

	if (!d->ssh && !d->signing_ok) {
		report(d, CHECK_SKIP, "key", "no signing config", NULL);
		return;
	}
	if (!d->ssh) {
		check_gpg_key(d, value);
		return;
	}
	signing_key_read(&d->key, value);
	if (!d->key.public_key)
		reportf(d, CHECK_ERROR, "key", "revq setup", "user.signingkey %s is not a readable ssh public key",
			value);
	else if (!signing_key_available(&d->key))
		reportf(d, CHECK_ERROR, "key", "ssh-add the key, or point user.signingkey at a key file",
			"the private key of %s is neither a file beside it nor in ssh-agent", value);
	else
		reportf(d, CHECK_OK, "key", NULL, "%s is at hand", value);
}

static void check_target(struct doctor *d)
{
	struct session *s = d->session;

	if (repo_find_target(&d->target, s->repo, NULL)) {
		report(d, CHECK_ERROR, "target", error_last(), "git config revq.target refs/heads/BRANCH");
		return;
	}
	d->have_target = 1;
	reportf(d, CHECK_OK, "target", NULL, "%s", d->target.name);
}

static void check_policy(struct doctor *d)
{
	struct strvec errors = STRVEC_INIT, warnings = STRVEC_INIT;
	struct session *s = d->session;

	if (!d->have_target) {
		report(d, CHECK_SKIP, "policy", "no target", NULL);
		return;
	}
	if (policy_load(&d->policy, s->repo->git, &d->target.id, d->target.name, d->settings)) {
		report(d, CHECK_ERROR, "policy", error_last(), "revq policy check, then fix the policy on the target");
		return;
	}
	d->have_policy = 1;
	if (!d->policy.present) {
		reportf(d, CHECK_WARN, "policy", "revq init", "%s has no %s: one approval by anyone in "
			"gpg.ssh.allowedSignersFile passes", d->target.name, POLICY_PATH);
		return;
	}
	policy_problems(&errors, &warnings, &d->policy, s->repo->git, &d->target.id);
	if (errors.nr)
		reportf(d, CHECK_ERROR, "policy", "revq policy check", "%s: %zu error%s, first: %s",
			d->policy.origin, errors.nr, errors.nr == 1 ? "" : "s", errors.v[0]);
	else if (warnings.nr)
		reportf(d, CHECK_WARN, "policy", "revq policy check", "%s: %zu warning%s, first: %s",
			d->policy.origin, warnings.nr, warnings.nr == 1 ? "" : "s", warnings.v[0]);
	else
		reportf(d, CHECK_OK, "policy", NULL, "%s: no problems", d->policy.origin);
	strvec_clear(&errors);
	strvec_clear(&warnings);
}

static void check_signers(struct doctor *d)
{
	struct strbuf line = STRBUF_INIT;
	char *name = NULL, *email = NULL;

	if (!d->ssh || !d->key.public_key || !d->have_policy || settings_identity(&name, &email, d->settings)) {
		report(d, CHECK_SKIP, "signers", d->ssh ? "no ssh key or policy to check" :
		       "not an ssh setup", NULL);
		git_error_clear();
	} else if (!d->policy.allowed_signers) {
		report(d, CHECK_ERROR, "signers", "no allowed signers: neither the policy's revq.allowedSigners "
		       "nor gpg.ssh.allowedSignersFile", "revq init, or revq setup");
	} else if (!allowed_signers_lists(d->policy.allowed_signers, email, d->key.public_key)) {
		allowed_signers_line(&line, email, d->key.public_key);
		reportf(d, CHECK_ERROR, "signers", NULL, "%s does not list your key for %s; send the policy owners "
			"this line: %s", d->policy.allowed_origin, email, line.buf);
	} else {
		reportf(d, CHECK_OK, "signers", NULL, "%s lists your key for %s", d->policy.allowed_origin, email);
	}
	free(name);
	free(email);
	strbuf_release(&line);
}

/* 1 for a fetch refspec that force-writes local notes refs (+refs/notes/STAR:refs/notes/STAR). */
static int overwrites_notes(const char *spec)
{
	const char *dst = strchr(spec, ':');

	if (*spec != '+' || !dst)
		return 0;
	dst++;
	return !strncmp(dst, "refs/notes/", 11) && strncmp(dst, "refs/notes/remotes/", 19);
}

/*
 * The remote of a remote.NAME.fetch entry, or NULL.  (The config is read
 * entry by entry: libgit2's remote listing matches names with a regex
 * whose match data it leaks.)
 */
static char *fetch_remote(const char *name)
{
	size_t len = strlen(name);

	if (len <= strlen("remote..fetch") || strncasecmp(name, "remote.", 7) ||
	    strcasecmp(name + len - 6, ".fetch"))
		return NULL;
	return xstrndup(name + 7, len - 7 - 6);
}

static void check_refspecs(struct doctor *d)
{
	struct strvec remotes = STRVEC_INIT;
	git_config_iterator *it;
	git_config_entry *e;
	int bad = 0;

	if (!d->settings->snapshot || git_config_iterator_new(&it, d->settings->snapshot)) {
		report(d, CHECK_ERROR, "refspecs", "cannot read the remotes' config", NULL);
		git_error_clear();
		return;
	}
	while (!git_config_next(&e, it)) {
		char *remote = fetch_remote(e->name);

		if (remote && !strvec_contains(&remotes, remote))
			strvec_push(&remotes, remote);
		if (remote && e->value && overwrites_notes(e->value)) {
			struct strbuf fix = STRBUF_INIT;

			strbuf_addf(&fix, "git config --unset remote.%s.fetch '^\\+refs/notes/'; revq sync "
				    "merges their notes instead", remote);
			reportf(d, CHECK_ERROR, "refspecs", fix.buf, "remote %s fetches %s, which overwrites "
				"your local notes (and decisions not yet pushed)", remote, e->value);
			strbuf_release(&fix);
			bad = 1;
		}
		free(remote);
	}
	git_config_iterator_free(it);
	git_error_clear();
	if (!bad)
		reportf(d, CHECK_OK, "refspecs", NULL, "no fetch refspec overwrites local notes (%zu remote%s fetching)",
			remotes.nr, remotes.nr == 1 ? "" : "s");
	strvec_clear(&remotes);
}

/* 1 when the hook file runs revq's gate. */
static int hook_runs_gate(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int res = !access(path, X_OK) && !strbuf_read_file(&text, path) && text.buf &&
		  strstr(text.buf, "hook pre-receive");

	strbuf_release(&text);
	return res;
}

static void check_hook(struct doctor *d)
{
	git_repository *repo = d->session->repo->git;
	char *hooks = settings_get_string(d->settings, "core.hookspath");
	struct strbuf path = STRBUF_INIT;

	if (!git_repository_is_bare(repo)) {
		report(d, CHECK_SKIP, "hook", "not a bare repository: the gate is the server's pre-receive hook",
		       NULL);
	} else {
		if (hooks && *hooks == '/')
			strbuf_addf(&path, "%s/pre-receive", hooks);
		else if (hooks)
			strbuf_addf(&path, "%s%s/pre-receive", d->session->repo->gitdir, hooks);
		else
			strbuf_addf(&path, "%shooks/pre-receive", d->session->repo->commondir);
		if (hook_runs_gate(path.buf))
			reportf(d, CHECK_OK, "hook", NULL, "%s runs revq hook pre-receive", path.buf);
		else
			reportf(d, CHECK_ERROR, "hook", "copy share/revq/pre-receive there and make it executable",
				"%s is missing, not executable or does not run revq hook pre-receive", path.buf);
	}
	free(hooks);
	strbuf_release(&path);
}

static void check_shallow(struct doctor *d)
{
	if (git_repository_is_shallow(d->session->repo->git) == 1)
		report(d, CHECK_ERROR, "history", "this clone is shallow: commits beyond the cut cannot be judged",
		       "git fetch --unshallow");
	else
		report(d, CHECK_OK, "history", "complete (not shallow)", NULL);
}

static void run_checks(struct doctor *d)
{
	check_signing(d);
	check_key(d);
	if (!d->session) {
		report(d, CHECK_ERROR, "repository", "not in a git repository; the other checks need one",
		       "run revq doctor in the repository");
		return;
	}
	check_target(d);
	check_policy(d);
	check_signers(d);
	check_refspecs(d);
	check_hook(d);
	check_shallow(d);
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct settings global;
	struct doctor d;
	int c, rc = 0;

	while ((c = cli_getopt(argc, argv, "+h", options)) != -1)
		return cli_print_usage(c == 'h' ? stdout : stderr, doctor_usage);
	if (optind < argc)
		return cli_usage_error("doctor takes no arguments");
	memset(&d, 0, sizeof(d));
	memset(&global, 0, sizeof(global));
	strbuf_init(&d.out, 0);
	if (!session_open(&d.session)) {
		d.settings = &d.session->repo->settings;
	} else if ((rc = settings_load_global(&global))) {
		return cli_fail(rc);
	} else {
		d.session = NULL;
		d.settings = &global;
	}
	git_error_clear();
	run_checks(&d);
	strbuf_addf(&d.out, "%u error%s, %u warning%s\n", d.errors, d.errors == 1 ? "" : "s", d.warnings,
		    d.warnings == 1 ? "" : "s");
	rc = cli_write(&d.out) ? cli_fail(REVQ_ERROR) : d.errors ? EXIT_FAILED : EXIT_OK;
	if (d.have_policy)
		policy_release(&d.policy);
	if (d.have_target)
		target_release(&d.target);
	signing_key_release(&d.key);
	strbuf_release(&d.out);
	session_free(d.session);
	settings_release(&global);
	return rc;
}
