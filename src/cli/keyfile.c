/*
 * keyfile.c: a reviewer's signing key, as setup, init and doctor see it
 * (keyfile.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "keyfile.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/run.h"
#include "sign/record.h"
#include "sign/sign.h"

/* The "type base64" fields that start text, or NULL; caller frees. */
static char *key_fields(const char *text)
{
	const char *p = text, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = strchr(p, ' ');
	if (!end || (strncmp(p, "ssh-", 4) && strncmp(p, "ecdsa-", 6) && strncmp(p, "sk-", 3)))
		return NULL;
	end++;
	while (*end && !isspace((unsigned char)*end))
		end++;
	return xstrndup(p, (size_t)(end - p));
}

char *ssh_public_key_file(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	char *res = NULL;

	if (!strbuf_read_file(&text, path) && text.len < 16384)
		res = key_fields(text.buf);
	strbuf_release(&text);
	return res;
}

/* The public key file of a key path: path itself when it ends in .pub, else path.pub. */
static char *public_path(const char *path)
{
	size_t len = strlen(path);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, path);
	if (len < 4 || strcmp(path + len - 4, ".pub"))
		strbuf_addstr(&sb, ".pub");
	return strbuf_detach(&sb, NULL);
}

void signing_key_read(struct signing_key *out, const char *value)
{
	const char *literal = sign_literal_ssh_key(value);

	memset(out, 0, sizeof(*out));
	if (literal) {
		out->public_key = key_fields(literal);
	} else {
		char *pub;

		out->path = sign_expand_home(value);
		pub = public_path(out->path);
		out->public_key = ssh_public_key_file(pub);
		free(pub);
	}
}

void signing_key_release(struct signing_key *key)
{
	free(key->path);
	free(key->public_key);
	memset(key, 0, sizeof(*key));
}

int signing_key_is_ssh(const char *value)
{
	struct signing_key key;
	int res;

	if (sign_literal_ssh_key(value))
		return 1;
	signing_key_read(&key, value);
	res = key.public_key != NULL;
	signing_key_release(&key);
	return res;
}

/* 1 when ssh-agent holds public_key. */
static int agent_lists(const char *public_key)
{
	struct child c = CHILD_INIT;
	int res = 0;

	if (!getenv("SSH_AUTH_SOCK") || !*getenv("SSH_AUTH_SOCK"))
		return 0;
	strvec_pushl(&c.argv, "ssh-add", "-L", NULL);
	c.timeout_ms = 10000;
	if (!run_command(&c) && !c.status && c.out.buf)
		res = allowed_signers_lists(c.out.buf, NULL, public_key);
	git_error_clear();
	child_release(&c);
	return res;
}

int signing_key_available(const struct signing_key *key)
{
	int res = 0;

	if (!key->public_key)
		return 0;
	if (key->path) {
		size_t len = strlen(key->path);
		char *private = xstrdup(key->path);

		if (len > 4 && !strcmp(private + len - 4, ".pub"))
			private[len - 4] = '\0';
		res = !access(private, R_OK);
		free(private);
	}
	return res || agent_lists(key->public_key);
}

void allowed_signers_line(struct strbuf *out, const char *email, const char *public_key)
{
	strbuf_addf(out, "%s namespaces=\"git,revq\" %s", email, public_key);
}

/* 1 when the principals field (a comma list, patterns as written) names email. */
static int principals_name(const char *field, size_t len, const char *email)
{
	size_t n = strlen(email);

	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && field[j] != ',')
			j++;
		if (j - i == n && !strncasecmp(field + i, email, n))
			return 1;
		i = j + 1;
	}
	return 0;
}

int allowed_signers_lists(const char *text, const char *email, const char *public_key)
{
	const char *line = text;
	size_t key_len = strlen(public_key);

	while (line && *line) {
		const char *end = strchrnul(line, '\n'), *found;
		size_t principals = strcspn(line, " \t");

		found = memmem(line, (size_t)(end - line), public_key, key_len);
		if (found && *line != '#' && (found + key_len == end || isspace((unsigned char)found[key_len])) &&
		    (!email || principals_name(line, principals, email)))
			return 1;
		line = *end ? end + 1 : NULL;
	}
	return 0;
}

int signing_self_check(const struct settings *s, const char *allowed)
{
	struct record r = RECORD_INIT;
	struct strbuf payload = STRBUF_INIT;
	struct sig_identity id;
	struct signer sg;
	struct verifier v;
	enum sig_status st;
	int rc;

	if ((rc = settings_identity(&r.reviewer_name, &r.reviewer_email, s)))
		return rc;
	if ((rc = signer_init(&sg, s)))
		goto out;
	r.time = clock_now();
	r.comment = xstrdup("revq setup: a test signature");
	record_payload(&payload, &r);
	rc = sign_payloads(&r.sig_format, &r.sig, &sg, &payload, 1);
	signer_release(&sg);
	if (rc)
		goto out;
	verifier_init(&v, s, allowed, "the allowed-signers line of your key");
	st = verify_record(&id, &v, &r, r.time);
	if (st != SIG_GOOD)
		rc = error_set(REVQ_ERROR, "a test signature by %s did not verify: %s", r.reviewer_email,
			       sig_status_text(st));
	sig_identity_release(&id);
	verifier_release(&v);
out:
	strbuf_release(&payload);
	record_release(&r);
	return rc;
}
