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

#include "sign/record.h"
#include "git/settings.h"
#include "base/strbuf.h"
#include "base/strvec.h"
#include "base/oidmap.h"

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
	SIG_EXPIRED,         /* the key (or signature) is not valid at the record's time or now */
};

/*
 * Who made a signature, beyond "good": a reviewer is a key, not an
 * address.  A verification is time-independent except for the key's
 * validity window, which is kept here so that a cached answer is checked
 * against the clock exactly as a fresh one (sig_status_now()).
 */
struct sig_identity {
	char *signer;             /* owned: who signed, for messages (ssh principal, gpg fingerprint); or NULL */
	char *key;                /* owned: the signing key: "SHA256:..." of the ssh public key in the
				   * signature, or the OpenPGP primary key fingerprint; NULL unless verified */
	struct strvec principals; /* owned: every principal of that key: the allowed-signers patterns of
				   * every line naming it (ssh), the address of every uid (openpgp) */
	int64_t valid_after;      /* the key counts from this time (0: no bound) */
	int64_t valid_before;     /* ... up to and including this time (0: no bound) */
	int cacheable;            /* 0 when revq cannot keep the time bounds (ssh certificates) */
	int timeless;             /* enum sig_status before the window check: what the cache keeps */
	const char *verifier;     /* not owned (a literal): what checked it: "in-process", "ssh-keygen",
				   * "gpg", "cache"; NULL when nothing did (unsigned, unknown signer) */
};

struct verifier {
	char *allowed_signers;   /* owned: ssh allowed_signers content, or NULL */
	char *allowed_origin;    /* owned: where it came from, for messages */
	char *gpg_program;       /* owned */
	char *ssh_program;       /* owned */
	int min_trust;           /* openpgp: 0 never, 1 undefined, 2 marginal, 3 fully, 4 ultimate */
	int timeout_ms;
	char *context_hash;      /* owned: identifies the trust context, for the cache */
	int ssh_in_process;      /* check ssh signatures with sshsig.c; 0 when REVQ_SSH_VERIFIER=ssh-keygen */
	struct strvec gpg_listings; /* owned: `gpg --list-keys FPR` of each key that signed, listed once
				       per verifier (one key signs many records) */
	struct oidmap gpg_listed;   /* owned: a 40-hex primary fingerprint -> its index in gpg_listings */
};

/*
 * git treats "key::..." and literal "ssh-..." user.signingkey values as
 * keys held by ssh-agent: the key text, or NULL for a key file's path.
 */
const char *sign_literal_ssh_key(const char *key);
/* A path with a leading "~/" made $HOME's, as git does for user.signingkey; caller frees. */
char *sign_expand_home(const char *path);

/* Reads the signing configuration; fails naming the config to set. */
int signer_init(struct signer *out, const struct settings *settings);
void signer_release(struct signer *signer);

/*
 * Signs nr payloads at once: formats[i] and sigs[i] receive the sig
 * fields of payload i (caller frees each).  ssh signs them all in one
 * ssh-keygen process (a key file or an ssh-agent key alike); gpg, which
 * makes one detached signature per process, in one gpg each.  Every
 * payload is signed or none is: on failure every entry is NULL.
 */
int sign_payloads(char **formats, char **sigs, const struct signer *signer,
		  const struct strbuf *payloads, size_t nr);

/*
 * sign_payloads() for an ssh key only, in namespace ns (not "revq": an
 * attestation's signature must never pass as a decision's): sigs[i]
 * receives the base64 of payload i's SSHSIG blob, the body of the armor
 * ssh-keygen writes.  REVQ_EUSAGE when gpg.format is not ssh.
 */
int sign_ssh_payloads(char **sigs, const struct signer *signer, const char *ns,
		      const struct strbuf *payloads, size_t nr);

int verifier_init(struct verifier *out, const struct settings *settings,
		  const char *allowed_signers, const char *allowed_origin);
void verifier_release(struct verifier *v);

/*
 * Verifies a record's signature over its payload and checks that the
 * verified principal is the record's reviewer, with the key valid at the
 * record's time (ssh-keygen -Overify-time, gpg's own checks) and at now
 * (the window in *id).  *id receives who signed (sig_identity_release()).
 */
enum sig_status verify_record(struct sig_identity *id, struct verifier *v, const struct record *r,
			      int64_t now);
/*
 * The same for another kind of signed record (a comment): payload is what
 * was signed; only r's reviewer, time, sig_format and sig are read.
 */
enum sig_status verify_signed(struct sig_identity *id, struct verifier *v, const struct record *r,
			      const char *payload, size_t len, int64_t now);
/*
 * A git commit's ssh signature (armored, over data, namespace "git"), as
 * git verify-commit checks it against the allowed signers: SIG_GOOD when
 * the key is allowed for principal at time `at` and valid now;
 * SIG_NOT_REVIEWER when it is not principal's; SIG_UNSUPPORTED for
 * OpenPGP and certificates.  id gets the key in the signature and every
 * principal the allowed signers give it, whatever the answer.
 */
enum sig_status verify_commit_ssh(struct sig_identity *id, struct verifier *v, const char *armored,
				  const char *data, size_t len, const char *principal, int64_t at, int64_t now);
/* The answer for a timeless (cached) one: SIG_EXPIRED when now is outside id's window. */
enum sig_status sig_status_now(enum sig_status timeless, const struct sig_identity *id, int64_t now);
void sig_identity_release(struct sig_identity *id);

const char *sig_status_text(enum sig_status s);

/* `gpg --with-colons --list-keys [key]` (key may be NULL: every key). */
int verifier_list_keys(struct strbuf *out, const struct verifier *v, const char *key);

/* Rebuilds the armored signature from a record's sig body. */
void sign_armor(struct strbuf *out, const char *format, const char *body);

#endif
