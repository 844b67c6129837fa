/*
 * attest.h: standard attestations of what the gate decided, for tools
 * that are not revq: an in-toto Statement v1 per approved commit with
 * revq's review predicate, or a SLSA Source Verification Summary
 * Attestation, each one line of JSON, optionally in a DSSE envelope.
 * The formats are specified in revq-attest(1).
 *
 * Nothing in revq reads an attestation back as evidence: the signed
 * decision records stay the only thing the gate trusts.
 */
#ifndef REVQ_ATTEST_H
#define REVQ_ATTEST_H

#include <git2.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "decide/review.h"

#define ATTEST_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define ATTEST_REVIEW_TYPE "https://revq.dev/review/v1"
#define ATTEST_VSA_TYPE "https://slsa.dev/verification_summary/v1"
#define ATTEST_VERIFIER_ID "https://revq.dev/verifier/v1"
/* revq's own fields of a VSA predicate: extension fields named by URI (the VSA's parsing rules). */
#define ATTEST_PROPERTY_PREFIX "https://revq.dev/properties/"
#define ATTEST_PAYLOAD_TYPE "application/vnd.in-toto+json"
/* The ssh namespace of DSSE signatures: neither a decision's ("revq") nor a commit's ("git"). */
#define ATTEST_NAMESPACE "revq-attest"
#define ATTEST_NOTES_REF "refs/notes/revq-attest"

/* Everything one attestation states about one commit; every pointer is not owned. */
struct attest_facts {
	const struct item *item;          /* the commit judged */
	const struct evaluation *ev;      /* its evaluation: approved, no failures */
	const struct review *review;      /* target, policy and notes it was judged under */
	git_oid policy_blob;              /* .revq/policy in the target's tree (zero: none) */
	git_oid signers_blob;             /* the policy's allowed signers file there (zero: none) */
	const char *repository;           /* the repository's URI (attest_repository_uri()) */
	int64_t now;                      /* the time of verification */
};

/*
 * Fills facts for item and its evaluation: the blob ids of the policy
 * and of the allowed signers file in the target's tree.  0 or an error.
 */
int attest_facts_init(struct attest_facts *out, const struct review *review, const struct item *item,
		      const struct evaluation *ev, const char *repository, int64_t now);

/* Is jr one of the approvals that counted toward the requirement? */
int attest_counted(const struct judged_record *jr);
/* How many distinct people's approvals counted (keep_latest() joined each one's records). */
unsigned attest_parties(const struct evaluation *ev);

/* The review Statement, one line without a newline. */
void attest_review(struct strbuf *out, const struct attest_facts *facts);
/* The SLSA Source VSA Statement, one line without a newline. */
void attest_vsa(struct strbuf *out, const struct attest_facts *facts);

/* DSSE's pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
void attest_pae(struct strbuf *out, const char *type, const char *body, size_t len);
/*
 * The DSSE envelope of statement (len bytes) signed by keyid; sig is the
 * base64 of the raw signature (for ssh, the SSHSIG blob).  One line.
 */
void attest_envelope(struct strbuf *out, const char *statement, size_t len, const char *keyid,
		     const char *sig);

/*
 * The repository as a ResourceURI, SPDX download location style: "git+"
 * and the remote's URL (url may be NULL: then "git+file://" and path),
 * scp-like "host:path" made ssh://, credentials dropped, scheme and
 * host in lower case.
 */
void attest_repository_uri(struct strbuf *out, const char *url, const char *path);

#endif
