/*
 * cmd_setup.c: `revq setup [--yes] [--dry-run]`: a reviewer's signing in
 * one command.  It finds the ssh key to sign with (user.signingkey, else
 * ~/.ssh/id_*.pub, else a new ~/.ssh/id_ed25519), adds to the user's
 * global git config what is missing (gpg.format, user.signingkey,
 * gpg.ssh.allowedSignersFile) and the user's line to that file, prints
 * the allowed-signers line for the policy owners, and signs and verifies
 * a test record with the gate's own code.
 *
 * It only adds: a value already set is never changed, an existing key
 * file never overwritten, and an OpenPGP setup is left as it is.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "base/fs.h"
#include "base/run.h"

static const char setup_usage[] =
	"usage: revq setup [--yes] [--dry-run]\n"
	"\n"
	"Sets up ssh signing for review decisions in your global git config: finds\n"
	"your ssh key (or makes ~/.ssh/id_ed25519), sets gpg.format, user.signingkey\n"
	"and gpg.ssh.allowedSignersFile where they are not set, prints the line to\n"
	"send to the policy owners, and checks that a test signature verifies.\n"
	"Values already set and existing keys are never changed.\n"
	"\n"
	"  --yes, -y      make every change without asking (for scripts)\n"
	"  --dry-run, -n  show what would change, change nothing\n"
	"\n"
	"Exit status: 0 set up and verified, 1 a change was declined or the check\n"
	"failed, 2 usage (changes needed but not a terminal: use --yes or --dry-run),\n"
	"3 runtime error.\n";

/* The key files looked for in ~/.ssh, in git's order of preference (ssh's defaults). */
static const char *const key_names[] = { "id_ed25519", "id_ecdsa", "id_ed25519_sk", "id_ecdsa_sk", "id_rsa" };

enum change_kind {
	CHANGE_MAKE_KEY,      /* ssh-keygen a new key at value */
	CHANGE_CONFIG,        /* git config --global name value */
	CHANGE_ALLOWED,       /* append the user's line to the file value */
};

struct change {
	enum change_kind kind;
	const char *name;     /* not owned: the config key (CHANGE_CONFIG) */
	char *value;          /* owned */
};

struct setup {
	struct settings settings;  /* owned: the global config, updated as changes are made */
	char *name, *email;        /* owned: the user's identity */
	char *key_path;            /* owned: the public key file to sign with (~ expanded), or NULL */
	char *public_key;          /* owned: its "type base64", or NULL until made */
	struct change changes[8];  /* at most 5: key, signingkey, format, allowed file, its line */
	size_t changes_nr;
	int yes, dry_run, interactive, declined;
};

static void add_change(struct setup *st, enum change_kind kind, const char *name, const char *value)
{
	struct change *c = &st->changes[st->changes_nr++];

	c->kind = kind;
	c->name = name;
	c->value = xstrdup(value);
}

static void setup_release(struct setup *st)
{
	settings_release(&st->settings);
	free(st->name);
	free(st->email);
	free(st->key_path);
	free(st->public_key);
	for (size_t i = 0; i < st->changes_nr; i++)
		free(st->changes[i].value);
}

/* Prints before, the untrusted value escaped, then after. */
static void say(const char *before, const char *value, const char *after)
{
	struct strbuf sb = STRBUF_INIT;

	cli_escape(&sb, value);
	printf("%s%s%s", before, sb.buf, after);
	strbuf_release(&sb);
}

static void describe(struct strbuf *out, const struct change *c)
{
	switch (c->kind) {
	case CHANGE_MAKE_KEY:
		strbuf_addstr(out, "create the ssh key ");
		cli_escape(out, c->value);
		strbuf_addstr(out, " (ssh-keygen -t ed25519, no passphrase)");
		break;
	case CHANGE_CONFIG:
		strbuf_addf(out, "git config --global %s ", c->name);
		cli_escape(out, c->value);
		break;
	case CHANGE_ALLOWED:
		strbuf_addstr(out, "add your allowed-signers line to ");
		cli_escape(out, c->value);
		break;
	}
}

/* The home directory's file rel ("/.ssh/id_ed25519"); caller frees. */
static char *home_file(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	const char *home = getenv("HOME");

	strbuf_addf(&sb, "%s%s", home ? home : "", rel);
	return strbuf_detach(&sb, NULL);
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st) || errno != ENOENT;
}

/* The key pair at base (".pub" added for the public half), when both files are there. */
static char *key_pair(const char *base)
{
	struct strbuf pub = STRBUF_INIT;
	char *key = NULL;

	strbuf_addf(&pub, "%s.pub", base);
	if (!access(base, R_OK))
		key = ssh_public_key_file(pub.buf);
	strbuf_release(&pub);
	return key;
}

/* Picks an existing key pair in ~/.ssh, or plans a new one where no file is. */
static void choose_key(struct setup *st)
{
	struct strbuf base = STRBUF_INIT, pub = STRBUF_INIT;
	char *dir = home_file("/.ssh/");

	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]) && !st->key_path; i++) {
		strbuf_reset(&base);
		strbuf_addf(&base, "%s%s", dir, key_names[i]);
		if ((st->public_key = key_pair(base.buf))) {
			strbuf_addstr(&base, ".pub");
			st->key_path = strbuf_detach(&base, NULL);
		}
	}
	/* A new key never replaces a file: id_ed25519, else id_ed25519_revq, id_ed25519_revq2, ... */
	for (int n = 0; !st->key_path; n++) {
		strbuf_reset(&base);
		strbuf_addf(&base, "%sid_ed25519", dir);
		if (n == 1)
			strbuf_addstr(&base, "_revq");
		else if (n > 1)
			strbuf_addf(&base, "_revq%d", n);
		strbuf_reset(&pub);
		strbuf_addf(&pub, "%s.pub", base.buf);
		if (!exists(base.buf) && !exists(pub.buf)) {
			add_change(st, CHANGE_MAKE_KEY, NULL, base.buf);
			st->key_path = strbuf_detach(&pub, NULL);
		}
	}
	free(dir);
	strbuf_release(&base);
	strbuf_release(&pub);
}

/*
 * What the ssh setup needs.  Returns 0, or REVQ_ERROR when the
 * configured key cannot be used (and is not ours to change).
 */
static int plan_ssh(struct setup *st)
{
	const struct settings *s = &st->settings;
	struct signing_key key;
	struct strbuf text = STRBUF_INIT;
	char *allowed;
	int rc = 0;

	if (s->signing_key) {
		signing_key_read(&key, s->signing_key);
		if (!key.public_key)
			rc = error_set(REVQ_ERROR, "user.signingkey is '%s', which is not a readable ssh key; "
				       "fix it or unset it (git config --global --unset user.signingkey), "
				       "then run revq setup again", s->signing_key);
		else if (!signing_key_available(&key))
			rc = error_set(REVQ_ERROR, "user.signingkey is '%s', but its private key is neither "
				       "beside it nor in ssh-agent (ssh-add it)", s->signing_key);
		st->key_path = key.path ? xstrdup(key.path) : NULL;
		st->public_key = key.public_key ? xstrdup(key.public_key) : NULL;
		signing_key_release(&key);
		if (rc)
			return rc;
		say("Signing key: ", s->signing_key, " (user.signingkey, kept)\n");
	} else {
		choose_key(st);
		add_change(st, CHANGE_CONFIG, "user.signingkey", st->key_path);
	}
	if (!s->gpg_format)
		add_change(st, CHANGE_CONFIG, "gpg.format", "ssh");
	allowed = s->allowed_signers ? xstrdup(s->allowed_signers) : home_file("/.ssh/allowed_signers");
	if (!s->allowed_signers)
		add_change(st, CHANGE_CONFIG, "gpg.ssh.allowedSignersFile", allowed);
	if (!st->public_key || strbuf_read_file(&text, allowed) ||
	    !allowed_signers_lists(text.buf ? text.buf : "", st->email, st->public_key))
		add_change(st, CHANGE_ALLOWED, NULL, allowed);
	free(allowed);
	strbuf_release(&text);
	return rc;
}

/* y/n on the terminal; the default (Enter) is yes. */
static int confirm(const struct change *c)
{
	struct strbuf sb = STRBUF_INIT;
	char answer[64];

	describe(&sb, c);
	printf("%s? [Y/n] ", sb.buf);
	fflush(stdout);
	strbuf_release(&sb);
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	return answer[0] == '\n' || answer[0] == 'y' || answer[0] == 'Y';
}

/* Runs argv (taken) to completion; REVQ_ERROR naming what when it fails. */
static int run_tool(const char *what, struct strvec *argv)
{
	struct child c = CHILD_INIT;
	int rc;

	strvec_move(&c.argv, argv);
	c.timeout_ms = 60000;
	rc = run_command(&c);
	if (!rc && c.status)
		rc = error_set(REVQ_ERROR, "%s failed: %s", what, child_error_line(&c));
	child_release(&c);
	return rc;
}

static int make_key(struct setup *st, const char *path)
{
	struct strvec argv = STRVEC_INIT;
	char *dir = home_file("/.ssh");
	int rc;

	if (fs_mkdir_p(dir, 0700) && errno != EEXIST) {
		rc = error_set(REVQ_ERROR, "cannot create %s: %s", dir, strerror(errno));
	} else {
		strvec_pushl(&argv, st->settings.ssh_program ? st->settings.ssh_program : "ssh-keygen",
			     "-q", "-t", "ed25519", "-N", "", "-C", st->email, "-f", path, NULL);
		rc = run_tool("ssh-keygen", &argv);
	}
	free(st->public_key);
	st->public_key = rc ? NULL : ssh_public_key_file(st->key_path);
	if (!rc && !st->public_key)
		rc = error_set(REVQ_ERROR, "ssh-keygen made no public key %s", st->key_path);
	strvec_clear(&argv);
	free(dir);
	return rc;
}

/* Makes the folder a new file goes in (fopen reports what fails). */
static void make_parent(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		fs_mkdir_p(dir, 0700);
	}
	free(dir);
}

static int append_line(struct setup *st, const char *path)
{
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT;
	FILE *f;
	int rc = 0;

	strbuf_read_file(&text, path);
	allowed_signers_line(&line, st->email, st->public_key);
	make_parent(path);
	if (!(f = fopen(path, "a")) ||
	    fprintf(f, "%s%s\n", text.len && text.buf[text.len - 1] != '\n' ? "\n" : "", line.buf) < 0)
		rc = error_set(REVQ_ERROR, "cannot write %s: %s", path, strerror(errno));
	if (f && fclose(f) && !rc)
		rc = error_set(REVQ_ERROR, "cannot write %s: %s", path, strerror(errno));
	strbuf_release(&text);
	strbuf_release(&line);
	return rc;
}

static void update_setting(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

static int apply(struct setup *st, const struct change *c)
{
	struct strvec argv = STRVEC_INIT;
	int rc = 0;

	switch (c->kind) {
	case CHANGE_MAKE_KEY:
		rc = make_key(st, c->value);
		break;
	case CHANGE_CONFIG:
		strvec_pushl(&argv, "git", "config", "--global", c->name, c->value, NULL);
		rc = run_tool("git config", &argv);
		strvec_clear(&argv);
		if (!rc && !strcmp(c->name, "user.signingkey"))
			update_setting(&st->settings.signing_key, c->value);
		else if (!rc && !strcmp(c->name, "gpg.format"))
			update_setting(&st->settings.gpg_format, c->value);
		else if (!rc)
			update_setting(&st->settings.allowed_signers, c->value);
		break;
	case CHANGE_ALLOWED:
		rc = append_line(st, c->value);
		break;
	}
	return rc;
}

/*
 * Shows, asks for or makes each change; stops at the first that fails,
 * and after a declined key (the rest would name a key that is not there).
 */
static int make_changes(struct setup *st)
{
	int rc = 0, stop = 0;

	for (size_t i = 0; i < st->changes_nr && !rc && !stop; i++) {
		const struct change *c = &st->changes[i];
		struct strbuf sb = STRBUF_INIT;

		describe(&sb, c);
		if (st->dry_run) {
			printf("would %s\n", sb.buf);
		} else if (st->interactive && !st->yes && !confirm(c)) {
			printf("skipped: %s\n", sb.buf);
			st->declined = 1;
			stop = c->kind == CHANGE_MAKE_KEY;
		} else {
			if (!(rc = apply(st, c)))
				printf("done: %s\n", sb.buf);
		}
		strbuf_release(&sb);
	}
	return rc;
}

/* The line for the policy owners, then the self-check. */
static int check_ssh(struct setup *st)
{
	struct strbuf line = STRBUF_INIT;
	int rc = 0;

	if (!st->public_key) {
		printf("Your allowed-signers line: shown once the key is made (run without --dry-run).\n");
		return 0;
	}
	allowed_signers_line(&line, st->email, st->public_key);
	printf("\nSend this line to the policy owners, for .revq/allowed_signers:\n\n    ");
	say("", line.buf, "\n\n");
	if (st->declined || st->dry_run) {
		/* Check what the config would be, without writing it. */
		if (!st->settings.gpg_format)
			st->settings.gpg_format = xstrdup("ssh");
		if (!st->settings.signing_key)
			st->settings.signing_key = xstrdup(st->key_path);
	}
	rc = signing_self_check(&st->settings, line.buf);
	if (!rc)
		printf("Checked: a test record signed with your key verifies as revq verify checks it.\n");
	strbuf_release(&line);
	return rc;
}

/* 1 when the config is an OpenPGP (or x509) setup that setup leaves alone. */
static int other_setup(const struct settings *s)
{
	if (s->gpg_format)
		return strcmp(s->gpg_format, "ssh") != 0;
	return s->signing_key && !signing_key_is_ssh(s->signing_key);
}

static int setup_other(struct setup *st)
{
	const struct settings *s = &st->settings;
	int rc;

	if (s->gpg_format && !strcmp(s->gpg_format, "x509")) {
		printf("gpg.format is x509, which revq cannot sign reviews with: left alone.\n"
		       "Set gpg.format to ssh (or openpgp) yourself, then run revq setup again.\n");
		return EXIT_FAILED;
	}
	say("An OpenPGP signing setup exists (gpg.format ", s->gpg_format ? s->gpg_format : "unset: openpgp", "");
	say(", user.signingkey ", s->signing_key ? s->signing_key : "unset: gpg's default key", "): left alone.\n");
	printf("The policy owners need your public key in the verifiers' keyring (gpg --export --armor).\n");
	if (st->dry_run)
		return EXIT_OK;
	if ((rc = signing_self_check(s, NULL))) {
		cli_fail(rc);
		return EXIT_FAILED;
	}
	printf("Checked: a test record signed with gpg verifies as revq verify checks it.\n");
	return EXIT_OK;
}

static int run_setup(struct setup *st)
{
	int rc;

	if (!getenv("HOME") || *getenv("HOME") != '/')
		return cli_usage_error("revq setup works in your home directory, and $HOME is not set");
	if ((rc = settings_load_global(&st->settings)) ||
	    (rc = settings_identity(&st->name, &st->email, &st->settings)))
		return cli_fail(rc);
	if (other_setup(&st->settings))
		return setup_other(st);
	if ((rc = plan_ssh(st)))
		return cli_fail(rc);
	if (st->changes_nr && !st->interactive && !st->yes && !st->dry_run)
		return cli_usage_error("revq setup would change %zu thing%s and stdin is not a terminal: "
				       "run it with --yes to make the changes or --dry-run to see them",
				       st->changes_nr, st->changes_nr == 1 ? "" : "s");
	if (!st->changes_nr)
		printf("Nothing to change: ssh signing is set up.\n");
	if ((rc = make_changes(st)))
		return cli_fail(rc);
	if ((rc = check_ssh(st))) {
		cli_fail(rc);
		return EXIT_FAILED;
	}
	if (st->declined)
		printf("Some changes were declined: revq approve may not sign until they are made.\n");
	return st->declined ? EXIT_FAILED : EXIT_OK;
}

int cmd_setup(int argc, char **argv)
{
	static const struct option options[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct setup st;
	int c, rc;

	memset(&st, 0, sizeof(st));
	while ((c = cli_getopt(argc, argv, "+ynh", options)) != -1) {
		switch (c) {
		case 'y': st.yes = 1; break;
		case 'n': st.dry_run = 1; break;
		case 'h': return cli_print_usage(stdout, setup_usage);
		default: return cli_print_usage(stderr, setup_usage);
		}
	}
	if (optind < argc)
		return cli_usage_error("setup takes no arguments");
	st.interactive = isatty(STDIN_FILENO);
	rc = run_setup(&st);
	setup_release(&st);
	return rc;
}
