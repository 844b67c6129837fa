/*
 * sigparse.h: reading what signing tools and signature files say, with
 * nothing run: gpg's --status-fd lines and --with-colons key listings,
 * the SSHSIG blob inside an ssh signature, and the lines of an allowed
 * signers file that name one key.  Kept apart from sign.c, which runs
 * the tools, so that every parser of attacker-supplied bytes can be unit
 * tested and fuzzed without gpg or ssh-keygen.
 *
 * Every parser fails closed: anything it does not recognise exactly
 * makes the answer "bad", never "good".
 */
#ifndef REVQ_SIGPARSE_H
#define REVQ_SIGPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "sign/sign.h"
#include "base/strvec.h"

#define SIGPARSE_FPR_MAX 64   /* v5 fingerprints; v4 ones have 40 hex digits */

/* What one `gpg --status-fd --verify` run says. */
struct gpg_verdict {
	enum sig_status status;   /* SIG_GOOD only for exactly one good signature, its VALIDSIG and one TRUST_ line */
	char signing_fpr[SIGPARSE_FPR_MAX + 1];  /* VALIDSIG field 1: the (sub)key that signed, upper case */
	char primary_fpr[SIGPARSE_FPR_MAX + 1];  /* VALIDSIG field 10: its primary key, upper case */
	int64_t sig_created;      /* VALIDSIG field 3 */
	int64_t sig_expires;      /* VALIDSIG field 4; 0: never */
	int trust;                /* TRUST_NEVER 0 .. TRUST_ULTIMATE 4; -1: none */
};

/*
 * Parses gpg's status output line by line: a status is "[GNUPG:] KEYWORD"
 * at the start of a line, nowhere else (gpg copies user ids into GOODSIG
 * lines).  Exactly one signature must be reported.
 */
void gpg_parse_status(struct gpg_verdict *out, const char *text, size_t len);

/* What `gpg --with-colons --list-keys PRIMARY` says about one key. */
struct gpg_key_facts {
	int found;                /* a pub record with the primary fingerprint, and the signing key in it */
	int usable;               /* neither that primary nor the signing subkey is revoked, expired, invalid, disabled */
	int64_t expires;          /* earliest expiry of primary, signing subkey and the reviewer's uid; 0: never */
	int reviewer_uid;         /* a uid whose address is the reviewer's, valid at min_trust, not revoked or expired */
	struct strvec emails;     /* owned: the address of every uid of the key, valid or not */
};

/*
 * Reads the listing of the key primary_fpr (signed with signing_fpr) for
 * the reviewer's address email; min_trust as struct verifier's.
 * out->emails must be released with gpg_key_facts_release().
 */
void gpg_parse_key_listing(struct gpg_key_facts *out, const char *listing, size_t len,
			   const char *primary_fpr, const char *signing_fpr, const char *email,
			   int min_trust);
void gpg_key_facts_release(struct gpg_key_facts *facts);

/*
 * The address of an OpenPGP user id: what is inside the last <...> that
 * ends it, or the whole id when it is a bare address; NULL otherwise.
 * Caller frees.
 */
char *gpg_uid_address(const char *uid);

/* ssh's wire format (RFC 4251): a cursor over bytes not owned. */
struct ssh_reader {
	const unsigned char *p;   /* not owned */
	size_t left;
};

/* A big-endian uint32; 0 when too short (the cursor then stays). */
int ssh_read_u32(struct ssh_reader *r, uint32_t *v);
/* A uint32-length string, pointing into the bytes; 0 when it does not fit. */
int ssh_read_string(struct ssh_reader *r, const unsigned char **s, size_t *len);

/* What the SSHSIG blob of an ssh signature (PROTOCOL.sshsig) holds. */
struct sshsig_info {
	unsigned char *pubkey;    /* owned: the signer's public key blob */
	size_t pubkey_len;
	char *key_type;           /* owned: its type, e.g. "ssh-ed25519" */
	char *fingerprint;        /* owned: "SHA256:" and the unpadded base64 of its SHA-256, as ssh-keygen -l */
	char *namespace;          /* owned */
	int certificate;          /* the key is an OpenSSH certificate */
};

/* Parses the base64 body of an ssh signature; 0 or REVQ_ERROR (not an SSHSIG blob). */
int sshsig_parse(struct sshsig_info *out, const char *base64);
void sshsig_release(struct sshsig_info *info);

/* Every allowed-signers line that names one (non-certificate-authority) key. */
struct allowed_key {
	size_t lines;             /* how many lines name the key */
	struct strvec principals; /* owned: their principal patterns (negated ones left out) */
	int64_t valid_after;      /* the latest valid-after of those lines; 0: none */
	int64_t valid_before;     /* the earliest valid-before (inclusive); 0: none; 1 when unreadable */
};

void allowed_signers_find_key(struct allowed_key *out, const char *allowed,
			      const unsigned char *blob, size_t len);
void allowed_key_release(struct allowed_key *key);
/*
 * The principal patterns of every allowed-signers line (certificate
 * authorities' too; negated patterns left out), each once, into out.
 */
void allowed_signers_principals(struct strvec *out, const char *allowed);

/*
 * ssh's absolute time (YYYYMMDD[HHMM[SS]], then Z or UTC for UTC, local
 * time without), exactly as OpenSSH's parse_absolute_time(); -1 when
 * unreadable.
 */
int64_t ssh_parse_time(const char *s, size_t len);

/*
 * OpenSSH's own text rules, ported line for line so that revq reads an
 * allowed signers file exactly as ssh-keygen does (sshsig.c, misc.c,
 * match.c, authfile.c of OpenSSH 9.2).
 */

/* match_pattern(): s against one pattern with * and ?, case-sensitive. */
int ssh_match_pattern(const char *s, const char *pattern);
/* match_pattern_list(): 1 a positive match, -1 a negated one (which wins), 0 none. */
int ssh_match_pattern_list(const char *s, const char *patterns);
/*
 * strdelimw(): the next token of *s, cut in place at white space or a
 * double-quoted run; NULL for an unterminated quote.  *s becomes NULL
 * when the token ends the string.
 */
char *ssh_strdelimw(char **s);
/* sshkey_advance_past_options(): the first unquoted blank from p; NULL for an unterminated quote. */
char *ssh_skip_options(char *p);

/* What the options of an allowed signers line say (sshsigopt_parse()). */
struct ssh_sigopts {
	int ca;                   /* cert-authority */
	char *namespaces;         /* owned: the namespaces= pattern list, or NULL */
	int64_t valid_after;      /* 0: none */
	int64_t valid_before;     /* 0: none */
};

/* 0, or -1 when ssh-keygen refuses the options (and with them the line). */
int ssh_sigopts_parse(struct ssh_sigopts *out, const char *opts);
void ssh_sigopts_release(struct ssh_sigopts *opts);

/* b64_pton() as sshbuf_b64tod() uses it: blanks skipped, padding checked; NULL when refused.  Caller frees. */
unsigned char *ssh_base64_decode(size_t *out_len, const char *s);

/* SHA-256 of data (for key fingerprints). */
void sigparse_sha256(unsigned char out[32], const void *data, size_t len);
/* An ssh public key blob's fingerprint as ssh-keygen -l prints it: "SHA256:" and unpadded base64.  Caller frees. */
char *sigparse_ssh_fingerprint(const unsigned char *key, size_t len);
/* Standard base64 with '=' padding; NULL when s is not base64.  Caller frees. */
unsigned char *sigparse_base64_decode(size_t *out_len, const char *s, size_t len);
/* Standard base64; without padding when pad is 0.  Caller frees. */
char *sigparse_base64_encode(const unsigned char *data, size_t len, int pad);

#endif
