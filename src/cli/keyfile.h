/*
 * keyfile.h: what `revq setup`, `revq init` and `revq doctor` share about
 * a reviewer's signing key: reading the public half user.signingkey
 * names, whether the private half is at hand (a file or ssh-agent), the
 * allowed-signers line for it, and the self-check that signs a test
 * record and verifies it with the gate's own code (sign.h).
 */
#ifndef REVQ_KEYFILE_H
#define REVQ_KEYFILE_H

#include "base/strbuf.h"
#include "git/settings.h"

struct signing_key {
	char *path;        /* owned: the key file (~ expanded), or NULL for a literal (agent) key */
	char *public_key;  /* owned: "ssh-ed25519 AAAA..." (type and base64), or NULL if unreadable */
};

/* Reads the ssh key user.signingkey names (value); out->public_key stays NULL when unreadable. */
void signing_key_read(struct signing_key *out, const char *value);
void signing_key_release(struct signing_key *key);
/* 1 when a user.signingkey value names an ssh key: a literal key, or a readable ssh public key file. */
int signing_key_is_ssh(const char *value);
/*
 * 1 when the private half can sign: the key file itself, the file
 * without ".pub" beside a public key, or ssh-agent listing the key.
 */
int signing_key_available(const struct signing_key *key);
/* The public key in an ssh public key file (type and base64), or NULL; caller frees. */
char *ssh_public_key_file(const char *path);

/* `EMAIL namespaces="git,revq" TYPE BASE64`, no newline. */
void allowed_signers_line(struct strbuf *out, const char *email, const char *public_key);
/* 1 when allowed-signers text lists public_key (type and base64) for email (NULL: for anyone). */
int allowed_signers_lists(const char *text, const char *email, const char *public_key);

/*
 * Signs a test record as settings' user with settings' signing
 * configuration (sign_payloads) and verifies it (verify_record) against
 * allowed (allowed-signers text; unused for gpg).  0 when it verifies;
 * else REVQ_ERROR saying what failed.
 */
int signing_self_check(const struct settings *settings, const char *allowed);

#endif
