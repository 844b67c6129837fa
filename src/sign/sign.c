/*
 * sign.c: detached signatures with ssh-keygen -Y and gpg, as git makes
 * them (gpg-interface.c), in the "revq" namespace.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/run.h"
#include "sign/gpgsetup.h"
#include "sign/sign.h"
#include "sign/sigparse.h"
#include "sign/sshsig.h"
#include "base/strvec.h"


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
	struct lines it;
	size_t len;
	int in_headers = 1, pgp;

	if (!p)
		return NULL;
	/* PGP armor has headers and a CRC line; SSH armor has neither. */
	pgp = !strncmp(p, "-----BEGIN PGP", 14);
	if (!(p = strchr(p, '\n')))
		return NULL;
	it = (struct lines)LINES_INIT(p + 1, strlen(p + 1));
	while (lines_next(&it, &p, &len)) {
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

char *sign_expand_home(const char *path)
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

const char *sign_literal_ssh_key(const char *key)
{
	if (!strncmp(key, "key::", 5))
		return key + 5;
	if (!strncmp(key, "ssh-", 4) || !strncmp(key, "ecdsa-", 6) || !strncmp(key, "sk-", 3))
		return key;
	return NULL;
}

/* Does a line of text start with prefix? */
static int status_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	struct lines it = LINES_INIT(text, strlen(text));
	const char *p;
	size_t len;

	while (lines_next(&it, &p, &len))
		if (len >= n && !strncmp(p, prefix, n))
			return 1;
	return 0;
}

/* One gpg --detach-sign; with no_autostart, gpg may not start an agent. */
static int run_gpg_sign(struct child *c, const struct signer *sg, const char *payload, size_t len,
			int no_autostart)
{
	child_release(c);
	strvec_pushl(&c->argv, sg->program, "--status-fd=2", "--detach-sign", "--armor", NULL);
	if (no_autostart)
		strvec_push(&c->argv, "--no-autostart");
	if (sg->key)
		strvec_pushl(&c->argv, "-u", sg->key, NULL);
	c->input = payload;
	c->input_len = len;
	c->timeout_ms = sg->timeout_ms;
	return run_command(c);
}

/*
 * First without starting an agent; when one is needed it is started
 * (*started), and the caller stops it again if signing fails.
 */
static int sign_gpg(char **sig, const struct signer *sg, const char *payload, size_t len, int *started)
{
	struct child c = CHILD_INIT;
	int rc = run_gpg_sign(&c, sg, payload, len, !*started);

	if (!rc && c.status && !*started && gpg_needed_agent(c.err.buf)) {
		*started = 1;
		rc = run_gpg_sign(&c, sg, payload, len, 0);
	}
	if (!rc && (c.status || !status_line(c.err.buf, "[GNUPG:] SIG_CREATED "))) {
		struct strbuf words = STRBUF_INIT;

		gpg_failure_words(&words, c.err.buf, sg->key);
		rc = error_set(REVQ_ERROR, "signing with gpg failed: %s", words.len ? words.buf : "no signature made");
		strbuf_release(&words);
	}
	if (!rc && !(*sig = armor_body(c.out.buf)))
		rc = error_set(REVQ_ERROR, "%s produced no signature", sg->program);
	child_release(&c);
	return rc;
}

/* gpg signs one detached signature per process (--multifile does not cover signing). */
static int sign_gpg_all(char **sigs, const struct signer *sg, const struct strbuf *payloads, size_t nr)
{
	int rc = gpg_check_key_exists(sg->program, sg->key, sg->timeout_ms), started = 0;

	for (size_t i = 0; i < nr && !rc; i++)
		rc = sign_gpg(&sigs[i], sg, payloads[i].buf, payloads[i].len, &started);
	if (rc && started)
		gpg_stop_agent(sg->program, sg->timeout_ms);   /* no agent left behind by a failed attempt */
	return rc;
}

/*
 * ssh-keygen -Y sign takes several files and writes FILE.sig beside each:
 * one process (one passphrase prompt, one agent connection) per batch.
 * Payloads are files p0, p1, ... of one temporary directory; argv stays
 * well under the kernel's limit with SIGN_SSH_BATCH of them per call.
 */
#define SIGN_SSH_BATCH 4096

static void batch_path(struct strbuf *out, const struct tempdir *t, size_t i, const char *suffix)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/p%zu%s", t->path, i, suffix);
}

static void batch_remove(struct tempdir *t, size_t nr, const char *key_path)
{
	struct strbuf p = STRBUF_INIT;

	for (size_t i = 0; i < nr; i++) {
		batch_path(&p, t, i, "");
		unlink(p.buf);
		strbuf_addstr(&p, ".sig");
		unlink(p.buf);
	}
	if (key_path)
		unlink(key_path);
	rmdir(t->path);
	strbuf_release(&p);
}

/* One ssh-keygen over payloads [from, to): their files are written already. */
static int sign_ssh_run(const struct signer *sg, const char *ns, const char *key, int literal,
			const struct tempdir *t, size_t from, size_t to)
{
	struct child c = CHILD_INIT;
	struct strbuf path = STRBUF_INIT;
	int rc;

	strvec_pushl(&c.argv, sg->program, "-Y", "sign", "-n", ns, "-f", key, NULL);
	if (literal)
		strvec_push(&c.argv, "-U");
	for (size_t i = from; i < to; i++) {
		batch_path(&path, t, i, "");
		strvec_push(&c.argv, path.buf);
	}
	c.timeout_ms = sg->timeout_ms;
	rc = run_command(&c);
	if (!rc && c.status)
		rc = error_set(REVQ_ERROR, "signing with ssh key %s failed: %s (check user.signingkey)",
			       sg->key, child_error_line(&c));
	child_release(&c);
	strbuf_release(&path);
	return rc;
}

/* The signatures ssh-keygen wrote: every one, or an error. */
static int sign_ssh_collect(char **sigs, const struct signer *sg, const struct tempdir *t, size_t nr)
{
	struct strbuf path = STRBUF_INIT, armored = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < nr && !rc; i++) {
		batch_path(&path, t, i, ".sig");
		strbuf_reset(&armored);
		sigs[i] = strbuf_read_file(&armored, path.buf) ? NULL : armor_body(armored.buf);
		if (!sigs[i])
			rc = error_set(REVQ_ERROR, "%s produced no signature", sg->program);
	}
	strbuf_release(&path);
	strbuf_release(&armored);
	return rc;
}

static int sign_ssh_batch(char **sigs, const struct signer *sg, const char *ns, const struct strbuf *payloads,
			  size_t nr)
{
	struct strbuf path = STRBUF_INIT, key_path = STRBUF_INIT;
	const char *literal = sign_literal_ssh_key(sg->key);
	struct tempdir t;
	char *key = NULL;
	int rc;

	if ((rc = tempdir_create(&t)))
		return rc;
	if (literal) {
		rc = tempdir_write(&t, "key.pub", literal, strlen(literal), &key_path);
		key = xstrdup(key_path.buf);
	} else {
		key = sign_expand_home(sg->key);
	}
	for (size_t i = 0; i < nr && !rc; i++) {
		char name[32];

		snprintf(name, sizeof(name), "p%zu", i);
		rc = tempdir_write(&t, name, payloads[i].buf, payloads[i].len, &path);
	}
	for (size_t from = 0; from < nr && !rc; from += SIGN_SSH_BATCH)
		rc = sign_ssh_run(sg, ns, key, !!literal, &t, from,
				  nr - from < SIGN_SSH_BATCH ? nr : from + SIGN_SSH_BATCH);
	if (!rc)
		rc = sign_ssh_collect(sigs, sg, &t, nr);
	batch_remove(&t, nr, literal ? key_path.buf : NULL);
	free(key);
	strbuf_release(&path);
	strbuf_release(&key_path);
	return rc;
}

int sign_payloads(char **formats, char **sigs, const struct signer *sg, const struct strbuf *payloads,
		  size_t nr)
{
	int rc = 0;

	memset(formats, 0, nr * sizeof(*formats));
	memset(sigs, 0, nr * sizeof(*sigs));
	if (!strcmp(sg->format, "ssh"))
		rc = sign_ssh_batch(sigs, sg, SIGN_NAMESPACE, payloads, nr);
	else
		rc = sign_gpg_all(sigs, sg, payloads, nr);
	for (size_t i = 0; i < nr; i++) {
		if (rc) {
			free(sigs[i]);
			sigs[i] = NULL;
		} else {
			formats[i] = xstrdup(sg->format);
		}
	}
	return rc;
}

int sign_ssh_payloads(char **sigs, const struct signer *sg, const char *ns, const struct strbuf *payloads,
		      size_t nr)
{
	int rc;

	memset(sigs, 0, nr * sizeof(*sigs));
	if (strcmp(sg->format, "ssh"))
		return error_set(REVQ_EUSAGE, "signing in namespace %s needs an ssh key, and gpg.format is "
				 "%s (set gpg.format=ssh and user.signingkey)", ns, sg->format);
	if ((rc = sign_ssh_batch(sigs, sg, ns, payloads, nr)))
		for (size_t i = 0; i < nr; i++) {
			free(sigs[i]);
			sigs[i] = NULL;
		}
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
	out->ssh_in_process = !getenv("REVQ_SSH_VERIFIER") || strcmp(getenv("REVQ_SSH_VERIFIER"), "ssh-keygen");
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
	strvec_clear(&v->gpg_listings);
	oidmap_clear(&v->gpg_listed);
	memset(v, 0, sizeof(*v));
}

/* ---- ssh ---- */

/* ssh-keygen's absolute time in UTC, for -Overify-time. */
static void ssh_time(char out[32], int64_t t)
{
	time_t tt = (time_t)(t > 0 ? t : 0);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y%m%d%H%M%SZ", &tm);
}

/* Does any principal pattern name the reviewer (as ssh matches them: case-sensitive)? */
static int principals_name(const struct strvec *principals, const char *email)
{
	for (size_t i = 0; i < principals->nr; i++)
		if (!fnmatch(principals->v[i], email, 0))
			return 1;
	return 0;
}

/* Runs c (ssh-keygen) with payload on its standard input: 1 when it exits 0, 0 when not, -1 when it cannot run. */
static int run_on_payload(struct child *c, const struct verifier *v, const char *payload, size_t len)
{
	c->input = payload;
	c->input_len = len;
	c->timeout_ms = v->timeout_ms;
	if (run_command(c))
		return -1;
	return !c->status;
}

/* `ssh-keygen -Y verify` as principal in namespace, the key checked at time `at`: 1, 0, or -1. */
static int ssh_verify_as(struct verifier *v, const char *allowed, const char *sig, const char *payload,
			 size_t len, const char *principal, const char *namespace, int64_t at)
{
	struct child c = CHILD_INIT;
	struct strbuf good_line = STRBUF_INIT;
	char when[32], opt[48];
	int good;

	ssh_time(when, at);
	snprintf(opt, sizeof(opt), "-Overify-time=%s", when);
	strbuf_addf(&good_line, "Good \"%s\" signature for ", namespace);
	strvec_pushl(&c.argv, v->ssh_program, "-Y", "verify", "-f", allowed, "-I", principal,
		     "-n", namespace, "-s", sig, opt, NULL);
	good = run_on_payload(&c, v, payload, len);
	if (good > 0)
		good = !strncmp(c.out.buf, good_line.buf, good_line.len);
	child_release(&c);
	strbuf_release(&good_line);
	return good;
}

/* `ssh-keygen -Y verify` of the record as its reviewer, the key checked at time `at`. */
static int ssh_verify_at(struct verifier *v, const struct record *r, const char *allowed,
			 const char *sig, const char *payload, size_t len, int64_t at)
{
	return ssh_verify_as(v, allowed, sig, payload, len, r->reviewer_email, SIGN_NAMESPACE, at);
}

/* `ssh-keygen -Y check-novalidate`: is the signature genuine, whoever made it?  1, 0, or -1. */
static int ssh_signature_genuine(struct verifier *v, const char *sig, const char *payload, size_t len)
{
	struct child c = CHILD_INIT;
	int good;

	strvec_pushl(&c.argv, v->ssh_program, "-Y", "check-novalidate", "-n", SIGN_NAMESPACE, "-s", sig, NULL);
	good = run_on_payload(&c, v, payload, len);
	child_release(&c);
	return good;
}

/*
 * A certificate's principals and validity are inside it, where revq does
 * not read them: ask ssh-keygen at the record's time, and never cache.
 */
static enum sig_status ssh_find_principals(struct sig_identity *id, struct verifier *v,
					   const char *allowed, const char *sig, int64_t at)
{
	struct child c = CHILD_INIT;
	char when[32], opt[48];
	enum sig_status st = SIG_ERROR;

	ssh_time(when, at);
	snprintf(opt, sizeof(opt), "-Overify-time=%s", when);
	strvec_pushl(&c.argv, v->ssh_program, "-Y", "find-principals", "-f", allowed, "-s", sig, opt, NULL);
	c.timeout_ms = v->timeout_ms;
	if (!run_command(&c)) {
		if (c.status) {
			st = strstr(c.err.buf, "No principal matched") || !c.err.len ? SIG_UNKNOWN_SIGNER : SIG_BAD;
		} else {
			struct lines it = LINES_INIT(c.out.buf, c.out.len);
			const char *p;
			size_t n;

			while (lines_next(&it, &p, &n)) {
				char *line = xstrndup(p, n);

				strvec_split(&id->principals, line, ',');
				free(line);
			}
			st = SIG_GOOD;
		}
	}
	child_release(&c);
	return st;
}

static enum sig_status verify_ssh_cert(struct sig_identity *id, struct verifier *v, const struct record *r,
				       const char *payload, size_t len, const char *allowed,
				       const char *sig, int64_t now)
{
	enum sig_status st = ssh_find_principals(id, v, allowed, sig, r->time);
	int good;

	if (st != SIG_GOOD)
		return st;
	if (!principals_name(&id->principals, r->reviewer_email)) {
		id->signer = id->principals.nr ? xstrdup(id->principals.v[0]) : NULL;
		return SIG_NOT_REVIEWER;
	}
	if ((good = ssh_verify_at(v, r, allowed, sig, payload, len, r->time)) <= 0)
		return good < 0 ? SIG_ERROR : SIG_BAD;
	id->timeless = SIG_GOOD;
	if ((good = ssh_verify_at(v, r, allowed, sig, payload, len, now)) <= 0)
		return good < 0 ? SIG_ERROR : SIG_EXPIRED;
	return SIG_GOOD;
}

/*
 * A FIDO key's signature counts only when the authenticator says a user
 * was present (flag 0x01), as sshd requires by default; ssh-keygen
 * -Y verify does not look, so revq checks it on either path.
 */
static int sk_user_present(const unsigned char *blob, size_t len, const char *payload, size_t plen)
{
	struct sshsig_details d;

	if (sshsig_check(blob, len, SIGN_NAMESPACE, payload, plen, &d) != SSHSIG_GOOD)
		return 1;   /* not in-process material: ssh-keygen's answer stands */
	return !d.sk || (d.flags & SSHSIG_SK_USER_PRESENT);
}

/* The in-process answers, or SIG_ERROR for "ask ssh-keygen". */
static enum sig_status ssh_in_process(struct sig_identity *id, const struct record *r, const char *allowed,
				      const unsigned char *blob, size_t len, const char *payload, size_t plen,
				      int reviewer)
{
	struct sshsig_details d;
	enum sshsig_verdict vd = reviewer
		? sshsig_verify(allowed, blob, len, r->reviewer_email, SIGN_NAMESPACE, payload, plen, r->time, &d)
		: sshsig_check(blob, len, SIGN_NAMESPACE, payload, plen, &d);

	if (vd == SSHSIG_FALLBACK)
		return SIG_ERROR;
	id->verifier = "in-process";
	if (vd == SSHSIG_GOOD && d.sk && !(d.flags & SSHSIG_SK_USER_PRESENT))
		return SIG_BAD;
	if (vd != SSHSIG_GOOD)
		return SIG_BAD;
	return reviewer ? SIG_GOOD : SIG_NOT_REVIEWER;
}

/*
 * The signing key is the one inside the signature: revq finds every
 * allowed-signers line naming it (its principals and validity window),
 * then checks the signature and the key at the record's time: in-process
 * (sshsig.c), or with ssh-keygen for what sshsig.c does not port and when
 * REVQ_SSH_VERIFIER=ssh-keygen.
 */
static enum sig_status verify_ssh(struct sig_identity *id, struct verifier *v, const struct record *r,
				  const char *payload, size_t len, struct tempdir *t, int64_t now)
{
	struct strbuf allowed = STRBUF_INIT, sigpath = STRBUF_INIT, armored = STRBUF_INIT;
	struct sshsig_info info;
	struct allowed_key key;
	enum sig_status st = SIG_ERROR;
	unsigned char *blob = NULL;
	size_t blob_len = 0;
	int good, reviewer = 0;

	if (!v->allowed_signers)
		return SIG_UNKNOWN_SIGNER;
	if (sshsig_parse(&info, r->sig)) {
		error_clear();
		return SIG_BAD;
	}
	allowed_signers_find_key(&key, v->allowed_signers, info.pubkey, info.pubkey_len);
	id->cacheable = !info.certificate;
	if (strcmp(info.namespace, SIGN_NAMESPACE)) {
		st = SIG_BAD;
		goto done;
	}
	sign_armor(&armored, "ssh", r->sig);
	blob = sshsig_dearmor(&blob_len, armored.buf, armored.len);
	if (!info.certificate) {
		strvec_move(&id->principals, &key.principals);
		id->valid_after = key.valid_after;
		id->valid_before = key.valid_before;
		if (!key.lines) {
			st = SIG_UNKNOWN_SIGNER;
			goto done;
		}
		reviewer = principals_name(&id->principals, r->reviewer_email);
		if (v->ssh_in_process && blob &&
		    (st = ssh_in_process(id, r, v->allowed_signers, blob, blob_len, payload, len, reviewer)) != SIG_ERROR)
			goto named;
	}
	id->verifier = "ssh-keygen";
	if (tempdir_write(t, "allowed", v->allowed_signers, strlen(v->allowed_signers), &allowed) ||
	    tempdir_write(t, "sig", armored.buf, armored.len, &sigpath))
		goto done;
	if (info.certificate) {
		st = verify_ssh_cert(id, v, r, payload, len, allowed.buf, sigpath.buf, now);
		goto done;
	}
	if (!reviewer) {
		/* Name the signer only if the signature is theirs: any blob can carry a public key. */
		good = ssh_signature_genuine(v, sigpath.buf, payload, len);
		st = good < 0 ? SIG_ERROR : good ? SIG_NOT_REVIEWER : SIG_BAD;
	} else if ((good = ssh_verify_at(v, r, allowed.buf, sigpath.buf, payload, len, r->time)) >= 0) {
		st = good ? SIG_GOOD : SIG_BAD;
	}
	if ((st == SIG_GOOD || st == SIG_NOT_REVIEWER) && blob && !sk_user_present(blob, blob_len, payload, len))
		st = SIG_BAD;
named:
	if (st == SIG_NOT_REVIEWER)
		id->signer = xstrdup(id->principals.nr ? id->principals.v[0] : info.fingerprint);
done:
	if (st == SIG_GOOD || st == SIG_NOT_REVIEWER) {
		id->key = info.fingerprint;
		info.fingerprint = NULL;
	}
	if (st == SIG_GOOD && !id->signer)
		id->signer = xstrdup(r->reviewer_email);
	free(blob);
	sshsig_release(&info);
	allowed_key_release(&key);
	strbuf_release(&allowed);
	strbuf_release(&sigpath);
	strbuf_release(&armored);
	return st;
}

/* ---- openpgp ---- */

int verifier_list_keys(struct strbuf *out, const struct verifier *v, const char *key)
{
	struct child c = CHILD_INIT;
	int rc;

	/* Listing and verifying need no agent: --no-autostart, so that none is left running. */
	strvec_pushl(&c.argv, v->gpg_program, "--batch", "--no-autostart", "--with-colons",
		     "--with-subkey-fingerprint", "--list-keys", NULL);
	if (key)
		strvec_pushl(&c.argv, "--", key, NULL);   /* a fingerprint read from gpg's output */
	c.timeout_ms = v->timeout_ms;
	rc = run_command(&c);
	if (!rc && c.status)
		rc = error_set(REVQ_ERROR, "gpg --list-keys failed: %s", child_error_line(&c));
	if (!rc)
		strbuf_add(out, c.out.buf, c.out.len);
	child_release(&c);
	return rc;
}

/*
 * gpg's listing of the key whose primary fingerprint is fpr, or NULL
 * when gpg cannot list it.  One key signs many records: a 40-hex
 * fingerprint (OpenPGP v4) is listed once per verifier, which lives
 * for one process, as the keyring does not change under it.
 */
static const char *listed_key(struct verifier *v, const char *fpr)
{
	struct strbuf keys = STRBUF_INIT;
	git_oid id;
	size_t at;
	int memo = strlen(fpr) == GIT_OID_HEXSZ && !git_oid_fromstr(&id, fpr);

	if (!memo)
		git_error_clear();   /* not a v4 fingerprint: listed each time */
	if (memo && oidmap_get(&v->gpg_listed, &id, &at))
		return v->gpg_listings.v[at];
	if (verifier_list_keys(&keys, v, fpr)) {
		error_clear();
		strbuf_release(&keys);
		return NULL;
	}
	strvec_push(&v->gpg_listings, keys.buf);
	strbuf_release(&keys);
	if (memo)
		oidmap_put(&v->gpg_listed, &id, v->gpg_listings.nr - 1);
	return v->gpg_listings.v[v->gpg_listings.nr - 1];
}

/* The key that signed, by its primary fingerprint: uids, validity, expiry. */
static enum sig_status gpg_check_key(struct sig_identity *id, struct verifier *v, const struct record *r,
				     const struct gpg_verdict *gv)
{
	const char *keys = listed_key(v, gv->primary_fpr);
	struct gpg_key_facts facts;
	enum sig_status st;

	if (!keys)
		return SIG_ERROR;
	gpg_parse_key_listing(&facts, keys, strlen(keys), gv->primary_fpr, gv->signing_fpr,
			      r->reviewer_email, v->min_trust);
	if (!facts.found || !facts.usable) {
		st = SIG_BAD;   /* not the key gpg said signed, or revoked/expired since */
	} else {
		id->key = xstrdup(gv->primary_fpr);
		strvec_move(&id->principals, &facts.emails);
		if (facts.expires)
			id->valid_before = facts.expires - 1;
		if (gv->sig_expires && (!id->valid_before || gv->sig_expires - 1 < id->valid_before))
			id->valid_before = gv->sig_expires - 1;
		st = facts.reviewer_uid ? SIG_GOOD : SIG_NOT_REVIEWER;
	}
	gpg_key_facts_release(&facts);
	return st;
}

static enum sig_status verify_gpg(struct sig_identity *id, struct verifier *v, const struct record *r,
				  const char *payload, size_t len, struct tempdir *t)
{
	struct strbuf sigpath = STRBUF_INIT, armored = STRBUF_INIT;
	struct child c = CHILD_INIT;
	struct gpg_verdict gv;
	enum sig_status st = SIG_ERROR;

	id->cacheable = 1;
	id->verifier = "gpg";
	sign_armor(&armored, "openpgp", r->sig);
	if (tempdir_write(t, "sig", armored.buf, armored.len, &sigpath))
		goto done;
	strvec_pushl(&c.argv, v->gpg_program, "--batch", "--no-autostart", "--status-fd=1", "--verify", "--",
		     sigpath.buf, "-", NULL);
	c.input = payload;
	c.input_len = len;
	c.timeout_ms = v->timeout_ms;
	if (run_command(&c))
		goto done;
	gpg_parse_status(&gv, c.out.buf, c.out.len);
	st = gv.status;
	if (st != SIG_GOOD)
		goto done;
	id->signer = xstrdup(gv.primary_fpr);
	if (gv.trust < v->min_trust)
		st = SIG_UNKNOWN_SIGNER;
	else
		st = gpg_check_key(id, v, r, &gv);
done:
	child_release(&c);
	strbuf_release(&sigpath);
	strbuf_release(&armored);
	return st;
}

/* ---- both ---- */

enum sig_status sig_status_now(enum sig_status timeless, const struct sig_identity *id, int64_t now)
{
	if (timeless != SIG_GOOD)
		return timeless;
	if ((id->valid_after && now < id->valid_after) || (id->valid_before && now > id->valid_before))
		return SIG_EXPIRED;
	return SIG_GOOD;
}

void sig_identity_release(struct sig_identity *id)
{
	free(id->signer);
	free(id->key);
	strvec_clear(&id->principals);
	memset(id, 0, sizeof(*id));
}

enum sig_status verify_signed(struct sig_identity *id, struct verifier *v, const struct record *r,
			      const char *payload, size_t len, int64_t now)
{
	struct tempdir t;
	enum sig_status st;

	memset(id, 0, sizeof(*id));
	id->timeless = -1;
	if (!r->sig_format || !strcmp(r->sig_format, "none") || !r->sig || !*r->sig)
		st = SIG_UNSIGNED;
	else if (strcmp(r->sig_format, "ssh") && strcmp(r->sig_format, "openpgp"))
		st = SIG_UNSUPPORTED;
	else if (tempdir_create(&t))
		st = SIG_ERROR;
	else {
		st = !strcmp(r->sig_format, "ssh") ? verify_ssh(id, v, r, payload, len, &t, now)
						   : verify_gpg(id, v, r, payload, len, &t);
		tempdir_remove(&t);
	}
	if ((int)id->timeless < 0)
		id->timeless = st;
	else
		return st;   /* decided against now already (certificates) */
	return sig_status_now(st, id, now);
}

enum sig_status verify_record(struct sig_identity *id, struct verifier *v, const struct record *r,
			      int64_t now)
{
	struct strbuf payload = STRBUF_INIT;
	enum sig_status st;

	record_payload(&payload, r);
	st = verify_signed(id, v, r, payload.buf, payload.len, now);
	strbuf_release(&payload);
	return st;
}

/*
 * A commit's signature checked in-process for principal in namespace
 * "git" at time at, as `ssh-keygen -Y verify` would (sshsig.h), or
 * SIG_ERROR for "ask ssh-keygen".
 */
static enum sig_status commit_in_process(struct sig_identity *id, const struct verifier *v,
					 const char *armored, const char *data, size_t len,
					 const char *principal, int64_t at)
{
	size_t blob_len = 0;
	unsigned char *blob = v->ssh_in_process ? sshsig_dearmor(&blob_len, armored, strlen(armored)) : NULL;
	enum sshsig_verdict vd = blob ? sshsig_verify(v->allowed_signers, blob, blob_len, principal, "git",
						      data, len, at, NULL)
				      : SSHSIG_FALLBACK;

	free(blob);
	if (vd != SSHSIG_FALLBACK)
		id->verifier = "in-process";
	return vd == SSHSIG_FALLBACK ? SIG_ERROR : vd == SSHSIG_GOOD ? SIG_GOOD : SIG_NOT_REVIEWER;
}

enum sig_status verify_commit_ssh(struct sig_identity *id, struct verifier *v, const char *armored,
				  const char *data, size_t len, const char *principal, int64_t at, int64_t now)
{
	struct strbuf allowed = STRBUF_INIT, sigpath = STRBUF_INIT;
	char *body = strstr(armored, "-----BEGIN SSH SIGNATURE-----") ? armor_body(armored) : NULL;
	struct sshsig_info info;
	struct allowed_key key;
	struct tempdir t;
	enum sig_status st;
	int good;

	memset(id, 0, sizeof(*id));
	if (!body)
		return SIG_UNSUPPORTED;
	if (sshsig_parse(&info, body)) {
		error_clear();
		free(body);
		return SIG_BAD;
	}
	free(body);
	allowed_signers_find_key(&key, v->allowed_signers ? v->allowed_signers : "", info.pubkey,
				 info.pubkey_len);
	strvec_move(&id->principals, &key.principals);
	id->key = info.fingerprint;
	info.fingerprint = NULL;
	if (strcmp(info.namespace, "git"))
		st = SIG_BAD;
	else if (info.certificate)
		st = SIG_UNSUPPORTED;
	else if (!key.lines || !v->allowed_signers)
		st = SIG_UNKNOWN_SIGNER;
	else if ((st = commit_in_process(id, v, armored, data, len, principal, at)) != SIG_ERROR)
		;   /* answered without ssh-keygen */
	else if (tempdir_create(&t))
		st = SIG_ERROR;
	else {
		id->verifier = "ssh-keygen";
		if (tempdir_write(&t, "allowed", v->allowed_signers, strlen(v->allowed_signers), &allowed) ||
		    tempdir_write(&t, "sig", armored, strlen(armored), &sigpath))
			good = -1;
		else
			good = ssh_verify_as(v, allowed.buf, sigpath.buf, data, len, principal, "git", at);
		st = good < 0 ? SIG_ERROR : good ? SIG_GOOD : SIG_NOT_REVIEWER;
		tempdir_remove(&t);
	}
	if (st == SIG_GOOD) {
		id->valid_after = key.valid_after;
		id->valid_before = key.valid_before;
		st = sig_status_now(st, id, now);
	}
	sshsig_release(&info);
	allowed_key_release(&key);
	strbuf_release(&allowed);
	strbuf_release(&sigpath);
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
	case SIG_EXPIRED: return "key not valid at this time";
	default: return "signature could not be checked";
	}
}
