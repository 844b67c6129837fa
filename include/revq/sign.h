/*
 * sign.h: signing decision payloads and verifying them with the real
 * tools, following git's own configuration (gpg.format, user.signingkey,
 * gpg.program, gpg.ssh.program, gpg.ssh.allowedSignersFile,
 * gpg.minTrustLevel).  The ssh namespace is "revq", never "git", so a
 * review signature can never pass as a commit signature.
 *
 * Signatures are kept as the base64 body of their ASCII armor, so they
 * stay on one line; sign_armor() rebuilds the armor for verification.
 */
#ifndef REVQ_SIGN_H
#define REVQ_SIGN_H

#include "revq/record.h"
#include "revq/settings.h"
#include "revq/strbuf.h"

#define SIGN_NAMESPACE "revq"

struct signer {
	char *format;        /* owned: "openpgp" or "ssh" */
	char *key;           /* owned: user.signingkey, or NULL */
	char *program;       /* owned: gpg or ssh-keygen, as configured */
	int timeout_ms;
};

enum sig_status {
	SIG_GOOD = 0,
	SIG_UNSIGNED,        /* no signature at all */
	SIG_BAD,             /* does not verify: tampered, or made for other content */
	SIG_UNKNOWN_SIGNER,  /* the key is not in the allowed signers / not trusted */
	SIG_NOT_REVIEWER,    /* a valid signature by someone other than the reviewer */
	SIG_UNSUPPORTED,     /* a signature format revq cannot check */
	SIG_ERROR,           /* the tool could not be run */
};

struct verifier {
	char *allowed_signers;   /* owned: ssh allowed_signers content, or NULL */
	char *allowed_origin;    /* owned: where it came from, for messages */
	char *gpg_program;       /* owned */
	char *ssh_program;       /* owned */
	int min_trust;           /* openpgp: 1 undefined .. 4 fully, 5 ultimate */
	int timeout_ms;
	char *context_hash;      /* owned: identifies the trust context, for the cache */
};

/* Reads the signing configuration; fails naming the config to set. */
int signer_init(struct signer *out, const struct settings *settings);
void signer_release(struct signer *signer);

/*
 * Signs payload; *format and *sig receive the record's sig fields
 * (caller frees).  Fails with one line naming the cause.
 */
int sign_payload(char **format, char **sig, const struct signer *signer,
		 const char *payload, size_t len);

int verifier_init(struct verifier *out, const struct settings *settings,
		  const char *allowed_signers, const char *allowed_origin);
void verifier_release(struct verifier *v);

/*
 * Verifies a record's signature over its payload and checks that the
 * verified principal is the record's reviewer.  *signer receives who
 * signed, when known (caller frees).
 */
enum sig_status verify_record(char **signer, struct verifier *v, const struct record *r);

const char *sig_status_text(enum sig_status s);

/* `gpg --with-colons --list-keys [key]` (key may be NULL: every key). */
int verifier_list_keys(struct strbuf *out, const struct verifier *v, const char *key);

/* Rebuilds the armored signature from a record's sig body. */
void sign_armor(struct strbuf *out, const char *format, const char *body);

#endif
