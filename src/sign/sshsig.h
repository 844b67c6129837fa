/*
 * sshsig.h: SSHSIG signatures (OpenSSH's PROTOCOL.sshsig, what
 * `ssh-keygen -Y sign` writes) verified inside revq with libcrypto, so
 * that a verify of N records costs N signature checks and no process.
 *
 * The answer must be ssh-keygen's: sshsig_verify() is
 * `ssh-keygen -Y verify -f ALLOWED -I PRINCIPAL -n NAMESPACE
 * -Overify-time=AT` and sshsig_check() is `ssh-keygen -Y check-novalidate
 * -n NAMESPACE`, ported from OpenSSH 9.2 (sshsig.c, sshkey.c, ssh-*.c)
 * rule by rule, tested against ssh-keygen itself
 * (tests/decisions/test_sshsig_differential) and fuzzed
 * (tests/fuzz/fuzz_sshsig).  What is not ported answers SSHSIG_FALLBACK
 * and the caller asks ssh-keygen: certificates (the key in the
 * signature or cert-authority lines, which only matter for them), DSA
 * and XMSS keys, webauthn signatures.
 *
 * Known differences, both refusing what ssh-keygen would accept: Ed25519
 * is libcrypto's, which refuses a non-canonical S that OpenSSH's ref10
 * code lets through; and a signature's non-canonical public key blob is
 * found in allowed signers by its exact bytes first (sign.c).
 */
#ifndef REVQ_SSHSIG_H
#define REVQ_SSHSIG_H

#include <stddef.h>
#include <stdint.h>

enum sshsig_verdict {
	SSHSIG_GOOD = 0,      /* ssh-keygen would exit 0 */
	SSHSIG_BAD,           /* ssh-keygen would refuse it */
	SSHSIG_FALLBACK,      /* not ported: ask ssh-keygen */
};

/* The FIDO fields of an sk- signature. */
#define SSHSIG_SK_USER_PRESENT 0x01

struct sshsig_details {
	int sk;                   /* the key is a FIDO (sk-) key: flags and counter are set */
	unsigned flags;           /* the authenticator's flags byte */
	uint32_t counter;         /* its signature counter */
};

/*
 * sshsig_dearmor(): the blob between "-----BEGIN SSH SIGNATURE-----\n"
 * and "\n-----END SSH SIGNATURE-----"; NULL when ssh-keygen would not
 * read it.  Caller frees.
 */
unsigned char *sshsig_dearmor(size_t *out_len, const char *armored, size_t len);

/*
 * Is the blob a genuine signature of msg in namespace ns, whoever made
 * it?  *details (may be NULL) receives the sk- fields of a good one.
 */
enum sshsig_verdict sshsig_check(const unsigned char *blob, size_t len, const char *ns,
				 const void *msg, size_t msg_len, struct sshsig_details *details);

/*
 * sshsig_check(), then: does a line of allowed (the file's text) name
 * the signing key for principal, allow namespace ns and count at time
 * at (ssh-keygen's -Overify-time, in seconds)?  Without a principal
 * (NULL), sshsig_check().
 */
enum sshsig_verdict sshsig_verify(const char *allowed, const unsigned char *blob, size_t len,
				  const char *principal, const char *ns, const void *msg, size_t msg_len,
				  int64_t at, struct sshsig_details *details);

#endif
