/*
 * sign.c: detached signatures with ssh-keygen -Y and gpg, as git makes
 * them (gpg-interface.c), in the "revq" namespace.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "revq/error.h"
#include "revq/run.h"
#include "revq/sign.h"
#include "revq/strvec.h"


/* ---- temporary files ---- */

struct tempdir {
	char path[4096];
};

static int tempdir_create(struct tempdir *t)
{
	const char *base = getenv("TMPDIR");

	snprintf(t->path, sizeof(t->path), "%s/revq-sign-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t->path))
		return error_set(REVQ_ERROR, "cannot create a temporary directory: %s", strerror(errno));
	return 0;
}

static int tempdir_write(struct tempdir *t, const char *name, const char *data, size_t len,
			 struct strbuf *path)
{
	FILE *f;

	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", t->path, name);
	f = fopen(path->buf, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		if (f)
			fclose(f);
		return error_set(REVQ_ERROR, "cannot write %s: %s", path->buf, strerror(errno));
	}
	return 0;
}

static void tempdir_remove(struct tempdir *t)
{
	static const char *const names[] = { "payload", "payload.sig", "key.pub", "allowed", "sig", NULL };
	char p[4200];

	for (size_t i = 0; names[i]; i++) {
		snprintf(p, sizeof(p), "%s/%s", t->path, names[i]);
		unlink(p);
	}
	rmdir(t->path);
}

/* ---- armor ---- */

/* Joins the base64 lines between the armor lines (skipping headers and CRC). */
static char *armor_body(const char *armored)
{
	struct strbuf body = STRBUF_INIT;
	const char *p = strstr(armored, "-----BEGIN ");
	int in_headers = 1, pgp;

	if (!p)
		return NULL;
	/* PGP armor has headers and a CRC line; SSH armor has neither. */
	pgp = !strncmp(p, "-----BEGIN PGP", 14);
	if (!(p = strchr(p, '\n')))
		return NULL;
	for (p++; *p; ) {
		const char *eol = strchrnul(p, '\n');
		size_t len = (size_t)(eol - p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len >= 5 && !memcmp(p, "-----", 5))
			return strbuf_detach(&body, NULL);
		if (pgp && in_headers && memchr(p, ':', len) && !body.len) {
			/* "Comment: ..." style header of PGP armor */
		} else if (!len) {
			in_headers = 0;
		} else if (pgp && p[0] == '=' && body.len) {
			/* the optional CRC line */
		} else {
			in_headers = 0;
			strbuf_add(&body, p, len);
		}
		p = *eol ? eol + 1 : eol;
	}
	strbuf_release(&body);
	return NULL;
}

void sign_armor(struct strbuf *out, const char *format, const char *body)
{
	int ssh = !strcmp(format, "ssh");
	size_t len = strlen(body), width = ssh ? 70 : 64;

	strbuf_addstr(out, ssh ? "-----BEGIN SSH SIGNATURE-----\n" : "-----BEGIN PGP SIGNATURE-----\n\n");
	for (size_t i = 0; i < len; i += width) {
		strbuf_add(out, body + i, len - i < width ? len - i : width);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, ssh ? "-----END SSH SIGNATURE-----\n" : "-----END PGP SIGNATURE-----\n");
}

/* ---- signing ---- */

static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (path[0] == '~' && path[1] == '/' && home) {
		strbuf_addf(&sb, "%s%s", home, path + 1);
		return strbuf_detach(&sb, NULL);
	}
	return xstrdup(path);
}

int signer_init(struct signer *out, const struct settings *s)
{
	const char *format = s->gpg_format ? s->gpg_format : "openpgp";

	memset(out, 0, sizeof(*out));
	out->timeout_ms = s->sign_timeout * 1000;
	if (!strcmp(format, "x509"))
		return error_set(REVQ_ERROR, "gpg.format=x509 is not supported for review "
				 "signatures; set gpg.format to ssh or openpgp");
	if (strcmp(format, "ssh") && strcmp(format, "openpgp"))
		return error_set(REVQ_ERROR, "unknown gpg.format '%s'; set it to ssh or openpgp", format);
	if (!strcmp(format, "ssh") && !s->signing_key)
		return error_set(REVQ_ERROR, "no signing key: gpg.format is ssh but user.signingkey "
				 "is not set (git config user.signingkey ~/.ssh/id_ed25519.pub)");
	out->format = xstrdup(format);
	out->key = s->signing_key ? xstrdup(s->signing_key) : NULL;
	if (!strcmp(format, "ssh"))
		out->program = xstrdup(s->ssh_program ? s->ssh_program : "ssh-keygen");
	else
		out->program = xstrdup(s->gpg_program ? s->gpg_program : "gpg");
	return 0;
}

void signer_release(struct signer *sg)
{
	free(sg->format);
	free(sg->key);
	free(sg->program);
	memset(sg, 0, sizeof(*sg));
}

/* git treats "key::..." and literal "ssh-..." values as keys held by ssh-agent. */
static const char *literal_ssh_key(const char *key)
{
	if (!strncmp(key, "key::", 5))
		return key + 5;
	if (!strncmp(key, "ssh-", 4) || !strncmp(key, "ecdsa-", 6) || !strncmp(key, "sk-", 3))
		return key;
	return NULL;
}

static int sign_ssh(char **sig, const struct signer *sg, const char *payload, size_t len)
{
	struct child c = CHILD_INIT;
	struct strbuf payload_path = STRBUF_INIT, key_path = STRBUF_INIT;
	struct tempdir t;
	const char *literal = literal_ssh_key(sg->key);
	char *key = NULL;
	int rc;

	if ((rc = tempdir_create(&t)))
		return rc;
	if (!(rc = tempdir_write(&t, "payload", payload, len, &payload_path))) {
		if (literal) {
			rc = tempdir_write(&t, "key.pub", literal, strlen(literal), &key_path);
			key = xstrdup(key_path.buf);
		} else {
			key = expand_home(sg->key);
		}
	}
	if (!rc) {
		strvec_pushl(&c.argv, sg->program, "-Y", "sign", "-n", SIGN_NAMESPACE, "-f", key, NULL);
		if (literal)
			strvec_push(&c.argv, "-U");
		strvec_push(&c.argv, payload_path.buf);
		c.timeout_ms = sg->timeout_ms;
		rc = run_command(&c);
		if (!rc && c.status)
			rc = error_set(REVQ_ERROR, "signing with ssh key %s failed: %s (check user.signingkey)",
				       sg->key, child_error_line(&c));
	}
	if (!rc) {
		struct strbuf armored_sig = STRBUF_INIT;

		strbuf_addstr(&payload_path, ".sig");
		*sig = strbuf_read_file(&armored_sig, payload_path.buf) ? NULL : armor_body(armored_sig.buf);
		strbuf_release(&armored_sig);
		if (!*sig)
			rc = error_set(REVQ_ERROR, "%s produced no signature", sg->program);
	}
	free(key);
	child_release(&c);
	strbuf_release(&payload_path);
	strbuf_release(&key_path);
	tempdir_remove(&t);
	return rc;
}

static int sign_gpg(char **sig, const struct signer *sg, const char *payload, size_t len)
{
	struct child c = CHILD_INIT;
	int rc;

	strvec_pushl(&c.argv, sg->program, "--status-fd=2", "--detach-sign", "--armor", NULL);
	if (sg->key)
		strvec_pushl(&c.argv, "-u", sg->key, NULL);
	c.input = payload;
	c.input_len = len;
	c.timeout_ms = sg->timeout_ms;
	rc = run_command(&c);
	if (!rc && (c.status || !strstr(c.err.buf, "[GNUPG:] SIG_CREATED ")))
		rc = error_set(REVQ_ERROR, "signing with gpg failed: %s (check user.signingkey)",
			       child_error_line(&c));
	if (!rc && !(*sig = armor_body(c.out.buf)))
		rc = error_set(REVQ_ERROR, "%s produced no signature", sg->program);
	child_release(&c);
	return rc;
}

int sign_payload(char **format, char **sig, const struct signer *sg, const char *payload, size_t len)
{
	int rc;

	*format = *sig = NULL;
	rc = !strcmp(sg->format, "ssh") ? sign_ssh(sig, sg, payload, len)
					  : sign_gpg(sig, sg, payload, len);
	if (!rc)
		*format = xstrdup(sg->format);
	return rc;
}

/* ---- verification ---- */

static int trust_level(const char *name)
{
	static const char *const levels[] = { "never", "undefined", "marginal", "fully", "ultimate" };

	for (int i = 0; i < 5; i++)
		if (name && !strcasecmp(name, levels[i]))
			return i;
	return -1;
}

int verifier_init(struct verifier *out, const struct settings *s, const char *allowed_signers,
		  const char *allowed_origin)
{
	char *min = settings_get_string(s, "gpg.mintrustlevel");
	struct strbuf ctx = STRBUF_INIT;
	git_oid hash;
	char hex[GIT_OID_HEXSZ + 1];

	memset(out, 0, sizeof(*out));
	out->allowed_signers = allowed_signers ? xstrdup(allowed_signers) : NULL;
	out->allowed_origin = xstrdup(allowed_origin ? allowed_origin : "no allowed signers file");
	out->gpg_program = xstrdup(s->gpg_program ? s->gpg_program : "gpg");
	out->ssh_program = xstrdup(s->ssh_program ? s->ssh_program : "ssh-keygen");
	out->min_trust = trust_level(min);
	if (out->min_trust < 0)
		out->min_trust = trust_level("fully");
	out->timeout_ms = s->sign_timeout * 1000;
	free(min);
	strbuf_addf(&ctx, "verify-v1\nmin-trust %d\ngnupghome %s\nallowed\n%s", out->min_trust,
		    getenv("GNUPGHOME") ? getenv("GNUPGHOME") : "", out->allowed_signers ? out->allowed_signers : "");
	git_odb_hash(&hash, ctx.buf, ctx.len, GIT_OBJECT_BLOB);
	out->context_hash = xstrdup(git_oid_tostr(hex, sizeof(hex), &hash));
	strbuf_release(&ctx);
	return 0;
}

void verifier_release(struct verifier *v)
{
	free(v->allowed_signers);
	free(v->allowed_origin);
	free(v->gpg_program);
	free(v->ssh_program);
	free(v->context_hash);
	memset(v, 0, sizeof(*v));
}

static int line_equals(const char *text, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = text; *p; ) {
		const char *eol = strchrnul(p, '\n');

		if ((size_t)(eol - p) == n && !strncasecmp(p, want, n))
			return 1;
		p = *eol ? eol + 1 : eol;
	}
	return 0;
}

static enum sig_status verify_ssh(char **signer, struct verifier *v, const struct record *r,
				  const char *payload, size_t len, struct tempdir *t)
{
	struct strbuf allowed = STRBUF_INIT, sigpath = STRBUF_INIT, armored = STRBUF_INIT;
	struct child find = CHILD_INIT, check = CHILD_INIT;
	enum sig_status st = SIG_ERROR;

	if (!v->allowed_signers)
		return SIG_UNKNOWN_SIGNER;
	sign_armor(&armored, "ssh", r->sig);
	if (tempdir_write(t, "allowed", v->allowed_signers, strlen(v->allowed_signers), &allowed) ||
	    tempdir_write(t, "sig", armored.buf, armored.len, &sigpath))
		goto done;
	strvec_pushl(&find.argv, v->ssh_program, "-Y", "find-principals", "-f", allowed.buf,
		     "-s", sigpath.buf, NULL);
	find.timeout_ms = v->timeout_ms;
	if (run_command(&find))
		goto done;
	if (find.status) {
		st = strstr(find.err.buf, "No principal matched") || !find.err.len ? SIG_UNKNOWN_SIGNER
			: SIG_BAD;
		goto done;
	}
	if (!line_equals(find.out.buf, r->reviewer_email)) {
		*signer = xstrndup(find.out.buf, strcspn(find.out.buf, "\n"));
		st = SIG_NOT_REVIEWER;
		goto done;
	}
	strvec_pushl(&check.argv, v->ssh_program, "-Y", "verify", "-f", allowed.buf, "-I",
		     r->reviewer_email, "-n", SIGN_NAMESPACE, "-s", sigpath.buf, NULL);
	check.input = payload;
	check.input_len = len;
	check.timeout_ms = v->timeout_ms;
	if (run_command(&check))
		goto done;
	*signer = xstrdup(r->reviewer_email);
	st = !check.status && strstr(check.out.buf, "Good \"" SIGN_NAMESPACE "\" signature") ? SIG_GOOD
		: SIG_BAD;
done:
	child_release(&find);
	child_release(&check);
	strbuf_release(&allowed);
	strbuf_release(&sigpath);
	strbuf_release(&armored);
	return st;
}

/* The value after "[GNUPG:] KEYWORD " on a status line, or NULL. */
static const char *gpg_status(const char *status, const char *keyword)
{
	const char *p = status;
	size_t n = strlen(keyword);

	while ((p = strstr(p, "[GNUPG:] "))) {
		p += 9;
		if (!strncmp(p, keyword, n) && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return p + n + (p[n] == ' ');
	}
	return NULL;
}

int verifier_list_keys(struct strbuf *out, const struct verifier *v, const char *key)
{
	struct child c = CHILD_INIT;
	int rc;

	/* A NULL key ends the list early: every key is listed. */
	strvec_pushl(&c.argv, v->gpg_program, "--batch", "--with-colons", "--list-keys", key, NULL);
	c.timeout_ms = v->timeout_ms;
	rc = run_command(&c);
	if (!rc && c.status)
		rc = error_set(REVQ_ERROR, "gpg --list-keys failed: %s", child_error_line(&c));
	if (!rc)
		strbuf_add(out, c.out.buf, c.out.len);
	child_release(&c);
	return rc;
}

/* Does any user id of the key with this fingerprint carry email? */
static int gpg_key_has_email(struct verifier *v, const char *fpr, const char *email)
{
	struct strbuf keys = STRBUF_INIT, want = STRBUF_INIT;
	int found = 0;

	strbuf_addf(&want, "<%s>", email);
	if (!verifier_list_keys(&keys, v, fpr)) {
		for (const char *p = keys.buf; *p; ) {
			const char *eol = strchrnul(p, '\n');

			if (!strncmp(p, "uid:", 4)) {
				char *line = xstrndup(p, (size_t)(eol - p));

				found |= strcasestr(line, want.buf) != NULL;
				free(line);
			}
			p = *eol ? eol + 1 : eol;
		}
	}
	strbuf_release(&want);
	strbuf_release(&keys);
	return found;
}

static int gpg_trust(const char *status)
{
	static const char *const names[] = { "TRUST_NEVER", "TRUST_UNDEFINED", "TRUST_MARGINAL",
					     "TRUST_FULLY", "TRUST_ULTIMATE" };

	for (int i = 4; i >= 0; i--)
		if (gpg_status(status, names[i]))
			return i;
	return 1;
}

static enum sig_status verify_gpg(char **signer, struct verifier *v, const struct record *r,
				  const char *payload, size_t len, struct tempdir *t)
{
	struct strbuf sigpath = STRBUF_INIT, armored = STRBUF_INIT;
	struct child c = CHILD_INIT;
	enum sig_status st = SIG_ERROR;
	const char *valid;

	sign_armor(&armored, "openpgp", r->sig);
	if (tempdir_write(t, "sig", armored.buf, armored.len, &sigpath))
		goto done;
	strvec_pushl(&c.argv, v->gpg_program, "--batch", "--status-fd=1", "--verify", sigpath.buf, "-",
		     NULL);
	c.input = payload;
	c.input_len = len;
	c.timeout_ms = v->timeout_ms;
	if (run_command(&c))
		goto done;
	if (gpg_status(c.out.buf, "BADSIG")) {
		st = SIG_BAD;
	} else if (gpg_status(c.out.buf, "NO_PUBKEY") || gpg_status(c.out.buf, "ERRSIG")) {
		st = gpg_status(c.out.buf, "NO_PUBKEY") ? SIG_UNKNOWN_SIGNER : SIG_BAD;
	} else if (!gpg_status(c.out.buf, "GOODSIG") || !(valid = gpg_status(c.out.buf, "VALIDSIG"))) {
		st = SIG_BAD;   /* expired or revoked keys, and anything else unclear */
	} else {
		char *fpr = xstrndup(valid, strcspn(valid, " \n"));

		if (gpg_trust(c.out.buf) < v->min_trust)
			st = SIG_UNKNOWN_SIGNER;
		else if (!gpg_key_has_email(v, fpr, r->reviewer_email))
			st = SIG_NOT_REVIEWER;
		else
			st = SIG_GOOD;
		*signer = fpr;
	}
done:
	child_release(&c);
	strbuf_release(&sigpath);
	strbuf_release(&armored);
	return st;
}

enum sig_status verify_record(char **signer, struct verifier *v, const struct record *r)
{
	struct strbuf payload = STRBUF_INIT;
	struct tempdir t;
	enum sig_status st;

	*signer = NULL;
	if (!r->sig_format || !strcmp(r->sig_format, "none") || !r->sig || !*r->sig)
		return SIG_UNSIGNED;
	if (strcmp(r->sig_format, "ssh") && strcmp(r->sig_format, "openpgp"))
		return SIG_UNSUPPORTED;
	if (tempdir_create(&t))
		return SIG_ERROR;
	record_payload(&payload, r);
	st = !strcmp(r->sig_format, "ssh") ? verify_ssh(signer, v, r, payload.buf, payload.len, &t)
					   : verify_gpg(signer, v, r, payload.buf, payload.len, &t);
	tempdir_remove(&t);
	strbuf_release(&payload);
	return st;
}

const char *sig_status_text(enum sig_status s)
{
	switch (s) {
	case SIG_GOOD: return "good signature";
	case SIG_UNSIGNED: return "unsigned";
	case SIG_BAD: return "bad signature";
	case SIG_UNKNOWN_SIGNER: return "unknown signer";
	case SIG_NOT_REVIEWER: return "signer is not the reviewer";
	case SIG_UNSUPPORTED: return "unsupported signature format";
	default: return "signature could not be checked";
	}
}
