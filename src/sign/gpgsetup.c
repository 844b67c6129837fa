/*
 * gpgsetup.c: gpg's setup problems in plain words (gpgsetup.h).  The
 * phrases gpg prints are matched as gpg 2.2 and 2.4 print them in the C
 * locale; anything unknown falls back to gpg's own most telling line.
 */
#include "config.h"

#include <string.h>

#include "base/error.h"
#include "base/run.h"
#include "sign/gpgsetup.h"

#define CHOOSE_A_KEY "choose one: git config gpg.format ssh and git config user.signingkey " \
	"~/.ssh/id_ed25519.pub (an ssh key), or git config user.signingkey KEYID (a gpg key: " \
	"gpg --list-secret-keys)"

/* A line of gpg's stderr that tells nothing about the failure: a status line, a file made. */
static int noise(const char *line, size_t len)
{
	static const char *const created[] = { "' created", " created" };

	if (len >= 9 && !memcmp(line, "[GNUPG:] ", 9))
		return 1;
	for (size_t i = 0; i < sizeof(created) / sizeof(created[0]); i++) {
		size_t n = strlen(created[i]);

		if (len >= n && !memcmp(line + len - n, created[i], n))
			return 1;
	}
	return 0;
}

/* gpg's first line that is not noise (without "gpg: "), or "" */
static void telling_line(struct strbuf *out, const char *err)
{
	for (const char *p = err; *p;) {
		size_t len = strcspn(p, "\r\n");

		if (len && !noise(p, len)) {
			if (len > 5 && !memcmp(p, "gpg: ", 5))
				p += 5, len -= 5;
			strbuf_add(out, p, len < 400 ? len : 400);
			return;
		}
		p += len;
		p += strspn(p, "\r\n");
	}
}

static const char *key_name(const char *key)
{
	return key ? key : "its default key (user.signingkey is not set)";
}

void gpg_failure_words(struct strbuf *out, const char *err, const char *key)
{
	if (strstr(err, "Inappropriate ioctl for device") || strstr(err, "No pinentry") ||
	    strstr(err, "pinentry") || strstr(err, "cannot open '/dev/tty'"))
		strbuf_addf(out, "gpg cannot ask for the passphrase of %s: pinentry has no terminal to "
			    "ask on (as over ssh); run export GPG_TTY=$(tty) first, or unlock the key in "
			    "gpg-agent, or sign with ssh-agent instead (gpg.format=ssh)", key_name(key));
	else if (strstr(err, "No secret key") || strstr(err, "secret key not available"))
		strbuf_addf(out, "gpg has no secret key for %s; %s", key_name(key), CHOOSE_A_KEY);
	else if (strstr(err, "can't connect to the agent") || strstr(err, "no gpg-agent running"))
		strbuf_addstr(out, "gpg-agent is not running and could not be started (gpgconf --launch "
			      "gpg-agent starts it)");
	else if (strstr(err, "Operation cancelled"))
		strbuf_addstr(out, "the passphrase prompt was cancelled");
	else if (strstr(err, "Bad passphrase"))
		strbuf_addf(out, "bad passphrase for %s", key_name(key));
	else if (strstr(err, "unusable secret key") || strstr(err, "expired"))
		strbuf_addf(out, "gpg cannot sign with %s: it is expired, revoked or not made for "
			    "signing", key_name(key));
	else
		telling_line(out, err);
}

int gpg_needed_agent(const char *err)
{
	return strstr(err, "no gpg-agent running") != NULL;
}

int gpg_check_key_exists(const char *program, const char *key, int timeout_ms)
{
	struct child c = CHILD_INIT;
	int rc = 0;

	/* Without an agent gpg lists no secret keys: the public keyring says whether any key exists. */
	strvec_pushl(&c.argv, program, "--batch", "--no-autostart", "--with-colons", "--list-keys", NULL);
	if (key)
		strvec_pushl(&c.argv, "--", key, NULL);
	c.timeout_ms = timeout_ms;
	if ((rc = run_command(&c)))
		;   /* it names the program, and why it could not run */
	else if (!strstr(c.out.buf, "\npub:") && strncmp(c.out.buf, "pub:", 4))
		rc = key ? error_set(REVQ_ERROR, "no signing key: gpg has no key '%s' (user.signingkey); %s", key,
				     CHOOSE_A_KEY)
			 : error_set(REVQ_ERROR, "no signing key: gpg.format is openpgp (the default), "
				     "user.signingkey is not set and gpg has no key; %s", CHOOSE_A_KEY);
	child_release(&c);
	return rc;
}

/* gpgconf beside the configured gpg (gpg.program), else from PATH. */
static void gpgconf_path(struct strbuf *out, const char *program)
{
	const char *slash = strrchr(program, '/');

	if (slash)
		strbuf_add(out, program, (size_t)(slash - program + 1));
	strbuf_addstr(out, "gpgconf");
}

void gpg_stop_agent(const char *program, int timeout_ms)
{
	struct child c = CHILD_INIT;
	struct strbuf path = STRBUF_INIT;

	gpgconf_path(&path, program);
	strvec_pushl(&c.argv, path.buf, "--kill", "gpg-agent", NULL);
	c.timeout_ms = timeout_ms;
	if (run_command(&c))
		error_clear();   /* nothing more to do: the signing error is the one to report */
	child_release(&c);
	strbuf_release(&path);
}
