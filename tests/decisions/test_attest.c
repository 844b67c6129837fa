/*
 * test_attest.c: `revq attest` (revq-attest(1)) on real repositories
 * with real ssh keys.  What it writes is checked against the in-toto,
 * DSSE and SLSA schemas in tests/data/attest (python3-jsonschema: the
 * test fails, never skips, without it) and verified back: the subject
 * is the commit, the approvals are the records that counted, and a DSSE
 * envelope verifies with revq's own SSHSIG verifier and with ssh-keygen.
 * Each attack beside the control that must still pass: a pending or
 * rejected commit, a self-approval, an unknown key and a bad signature
 * get no attestation (and are never listed as a counted approval), and a
 * forged attestation note is trusted by nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"
#include "show/attest.h"
#include "sign/sign.h"
#include "sign/sigparse.h"
#include "sign/sshsig.h"

#define POLICY \
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n" \
	"[person \"Bob\"]\n\temail = bob@example.com\n\tlevel = senior\n" \
	"[person \"Carol\"]\n\temail = carol@example.com\n\tlevel = mid\n" \
	"[tier \"all\"]\n\tminRisk = 0\n\trequire = 1 mid\n"

struct fixture {
	const char *repo;
	const char *keys;
	char *commit;      /* the AI-assisted commit on ai/x */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	tl_write(f->keys, "allowed", "");
	tl_ssh_key(f->keys, "bob", "bob@example.com");
	tl_ssh_key(f->keys, "carol", "carol@example.com");
	/* mallory's key is in no allowed signers file */
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C mallory -f mallory");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_write(f->repo, ".revq/policy", POLICY);
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 5, "Review policy"));
	tl_git(f->repo, "checkout -q -b ai/x main");
	f->commit = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 1,
				   "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->commit);
	free(f);
	return 0;
}

/* `revq approve` (or reject) of commit as EMAIL with ssh key `key`; fails the test if it fails. */
static void decide(struct fixture *f, const char *verb, const char *key, const char *email, const char *commit)
{
	struct strbuf err = STRBUF_INIT;

	tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh_output(f->repo, NULL, &err,
			 "GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" %s -m ok %s",
			 email, verb, commit))
		fail_msg("%s %s failed: %s", email, verb, err.buf);
	strbuf_release(&err);
}

static int attest(struct fixture *f, struct strbuf *out, const char *options)
{
	strbuf_reset(out);
	return tl_revq(f->repo, out, NULL, "attest %s main..ai/x", options);
}

/* Runs validate.py over JSON lines; its exit status, its report in *report. */
static int validate(const char *lines, struct strbuf *report)
{
	const char *dir = tl_tmpdir();
	const char *src = getenv("REVQ_SRCDIR");
	int rc;

	if (tl_sh(dir, "python3 -c 'import jsonschema, referencing' 2>/dev/null"))
		fail_msg("python3 with the jsonschema module is needed to check attestations against their "
			 "schemas: install python3-jsonschema (the README's test command)");
	tl_write(dir, "lines.json", lines);
	strbuf_reset(report);
	rc = tl_sh_output(dir, report, report, "python3 '%s/tests/data/attest/validate.py' < lines.json", src);
	return rc;
}

static void assert_valid(const char *lines)
{
	struct strbuf report = STRBUF_INIT;

	if (validate(lines, &report))
		fail_msg("schema validation failed:\n%s\n%s", report.buf, lines);
	strbuf_release(&report);
}

static size_t line_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The key's fingerprint as ssh-keygen -l prints it. */
static char *fingerprint(struct fixture *f, const char *key)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(f->keys, &out, NULL, "ssh-keygen -lf %s.pub | cut -d' ' -f2 | tr -d '\\n'", key);
	return strbuf_detach(&out, NULL);
}

static void test_an_approved_commit_gets_a_review_statement_that_validates(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *tree = tl_git_out(f->repo, "rev-parse %s^{tree}", f->commit);
	char *policy = tl_git_out(f->repo, "rev-parse main:.revq/policy");
	char *signers = tl_git_out(f->repo, "rev-parse main:.revq/allowed_signers");
	char *target = tl_git_out(f->repo, "rev-parse main");
	char *bob = fingerprint(f, "bob");

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);
	assert_int_equal(line_count(out.buf), 1);
	assert_valid(out.buf);
	assert_json_text(out.buf, "$._type", "https://in-toto.io/Statement/v1");
	assert_json_text(out.buf, "$.predicateType", ATTEST_REVIEW_TYPE);
	assert_json_text(out.buf, "$.subject[0].digest.gitCommit", f->commit);
	assert_json_text(out.buf, "$.subject[0].digest.gitTree", "");   /* the commit alone */
	assert_json_text(out.buf, "$.predicate.commit", f->commit);
	assert_json_text(out.buf, "$.predicate.tree", tree);
	assert_json_text(out.buf, "$.predicate.target.ref", "refs/heads/main");
	assert_json_text(out.buf, "$.predicate.target.commit", target);
	assert_json_text(out.buf, "$.predicate.policy.digest.gitBlob", policy);
	assert_json_text(out.buf, "$.predicate.allowedSigners.digest.gitBlob", signers);
	assert_json_text(out.buf, "$.predicate.requirement.needs", "1 mid or senior");
	assert_int_equal(tl_json_length(out.buf, "$.predicate.approvals"), 1);
	assert_json_text(out.buf, "$.predicate.approvals[0].reviewer.email", "bob@example.com");
	assert_json_text(out.buf, "$.predicate.approvals[0].reviewer.person", "Bob");
	assert_json_text(out.buf, "$.predicate.approvals[0].level", "senior");
	assert_json_text(out.buf, "$.predicate.approvals[0].key", bob);
	assert_int_equal(tl_json_int(out.buf, "$.predicate.parties"), 1);
	free(tree);
	free(policy);
	free(signers);
	free(target);
	free(bob);
	strbuf_release(&out);
}

static void test_the_counted_record_is_named_by_the_digest_of_its_line(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, digest = STRBUF_INIT;
	char *sha;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);
	tl_sh_output(f->repo, &digest, NULL, "git notes --ref revq show %s | grep '^revq1 approve' | "
		     "tr -d '\\n' | sha256sum | cut -c1-64 | tr -d '\\n'", f->commit);
	sha = tl_json_text(out.buf, "$.predicate.approvals[0].record.sha256");
	assert_string_equal(sha, digest.buf);
	free(sha);
	strbuf_release(&out);
	strbuf_release(&digest);
}

static void test_a_pending_commit_gets_no_attestation(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	assert_int_equal(tl_revq(f->repo, &out, &err, "attest main..ai/x"), 1);
	assert_string_equal(out.buf, "");
	assert_contains(err.buf, "not attested: not enough approvals: 0 of 1");
	assert_int_equal(tl_revq(f->repo, &out, &err, "attest --vsa main..ai/x"), 1);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_a_rejected_commit_gets_no_attestation(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);   /* the control */
	decide(f, "reject", "carol", "carol@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 1);
	assert_string_equal(out.buf, "");
	assert_int_equal(attest(f, &out, "--vsa"), 1);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
}

/*
 * Carol approves X; Y, the same change by Carol, carries her approval
 * over, where it is self-approval: no attestation, and once Bob approves
 * Y its statement counts Bob alone.
 */
static void test_a_self_approval_is_never_a_counted_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *y;

	decide(f, "approve", "carol", "carol@example.com", f->commit);
	tl_git(f->repo, "checkout -q -b ai/y main");
	setenv("GIT_AUTHOR_EMAIL", "carol@example.com", 1);
	y = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 0,
			   "Add a feature again" TL_AI_TRAILER);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	tl_git(f->repo, "checkout -q main");
	assert_int_equal(tl_revq(f->repo, &out, NULL, "attest main..ai/y"), 1);
	assert_string_equal(out.buf, "");
	decide(f, "approve", "bob", "bob@example.com", y);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "attest main..ai/y"), 0);
	assert_valid(out.buf);
	assert_int_equal(tl_json_length(out.buf, "$.predicate.approvals"), 1);
	assert_json_text(out.buf, "$.predicate.approvals[0].reviewer.email", "bob@example.com");
	assert_not_contains(out.buf, "carol@example.com");
	free(y);
	strbuf_release(&out);
}

static void test_an_approval_by_an_unknown_key_is_never_counted(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	/* mallory signs as carol, and as herself: neither key is an allowed signer */
	tl_git(f->repo, "config user.signingkey %s/mallory", f->keys);
	tl_sh(f->repo, "GIT_COMMITTER_NAME=M GIT_COMMITTER_EMAIL=carol@example.com \"$REVQ_BIN\" approve -m ok %s "
	      ">/dev/null 2>&1", f->commit);
	tl_sh(f->repo, "GIT_COMMITTER_NAME=M GIT_COMMITTER_EMAIL=mallory@example.com \"$REVQ_BIN\" approve -m ok %s "
	      ">/dev/null 2>&1", f->commit);
	assert_int_equal(attest(f, &out, ""), 1);
	assert_string_equal(out.buf, "");
	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);
	assert_valid(out.buf);
	assert_int_equal(tl_json_length(out.buf, "$.predicate.approvals"), 1);
	assert_json_text(out.buf, "$.predicate.approvals[0].reviewer.email", "bob@example.com");
	assert_not_contains(out.buf, "mallory");
	assert_not_contains(out.buf, "carol@example.com");
	strbuf_release(&out);
}

static void test_an_approval_with_a_bad_signature_gives_no_attestation(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);   /* the control */
	/* the same record with its comment edited: the signature no longer covers it */
	tl_sh(f->repo, "git notes --ref revq show %s | sed 's/comment=\"ok\"/comment=\"OK\"/' > ../edited && "
	      "git notes --ref revq add -f -F ../edited %s", f->commit, f->commit);
	assert_int_equal(attest(f, &out, ""), 1);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
}

/* An attestation note, however well formed, is evidence to nothing in revq. */
static void test_a_forged_attestation_note_is_trusted_by_nothing(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, forged = STRBUF_INIT;
	char *y;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	assert_int_equal(attest(f, &out, ""), 0);
	tl_git(f->repo, "checkout -q -b ai/y main");
	y = tl_commit_file(f->repo, "src/other.c", "int other(void) { return 3; }\n", 0, "Add another" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	/* the genuine statement of ai/x, made to name Y, as a note on Y in refs/notes/revq-attest */
	for (const char *p = out.buf; *p && *p != '\n'; p++) {
		if (!strncmp(p, f->commit, strlen(f->commit))) {
			strbuf_addstr(&forged, y);
			p += strlen(f->commit) - 1;
		} else {
			strbuf_addch(&forged, *p);
		}
	}
	tl_write(f->repo, "../forged", forged.buf);
	tl_git(f->repo, "notes --ref revq-attest add -F ../forged %s", y);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify main..ai/y"), 1);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "attest main..ai/y"), 1);
	assert_string_equal(out.buf, "");
	/* nor when it sits in the decisions ref itself: it is no record */
	tl_git(f->repo, "notes --ref revq add -F ../forged %s", y);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "verify main..ai/y"), 1);
	free(y);
	strbuf_release(&out);
	strbuf_release(&forged);
}

/* The envelope's statement and the PAE it signs; fails unless line is one envelope. */
static void open_envelope(const char *line, struct strbuf *statement, struct strbuf *pae,
			  unsigned char **blob, size_t *blob_len)
{
	char *payload = tl_json_text(line, "$.payload");
	char *type = tl_json_text(line, "$.payloadType");
	char *sig = tl_json_text(line, "$.signatures[0].sig");
	size_t len;
	unsigned char *body = sigparse_base64_decode(&len, payload, strlen(payload));

	assert_non_null(body);
	assert_string_equal(type, ATTEST_PAYLOAD_TYPE);
	strbuf_add(statement, body, len);
	attest_pae(pae, type, statement->buf, statement->len);
	*blob = sigparse_base64_decode(blob_len, sig, strlen(sig));
	assert_non_null(*blob);
	free(body);
	free(payload);
	free(type);
	free(sig);
}

/* ssh-keygen -Y verify of the envelope's signature over pae; its exit status. */
static int ssh_keygen_verify(struct fixture *f, const char *line, const struct strbuf *pae, const char *ns)
{
	struct strbuf armored = STRBUF_INIT;
	char *sig = tl_json_text(line, "$.signatures[0].sig");
	const char *dir = tl_tmpdir();
	int rc;

	sign_armor(&armored, "ssh", sig);
	tl_write(dir, "sig", armored.buf);
	tl_write_bytes(dir, "pae", pae->buf, pae->len);
	rc = tl_sh(dir, "ssh-keygen -Y verify -f %s/attest_allowed -I bob@example.com -n %s -s sig < pae "
		   ">/dev/null 2>&1", f->keys, ns);
	free(sig);
	strbuf_release(&armored);
	return rc;
}

static void test_a_signed_envelope_verifies_in_process_and_with_ssh_keygen(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, plain = STRBUF_INIT, statement = STRBUF_INIT, pae = STRBUF_INIT;
	struct strbuf allowed = STRBUF_INIT, path = STRBUF_INIT;
	unsigned char *blob;
	size_t len;
	char *bob = fingerprint(f, "bob");

	tl_sh(f->keys, "printf 'bob@example.com namespaces=\"%s\" %%s\\n' \"$(cut -d' ' -f1,2 bob.pub)\" "
	      "> attest_allowed", ATTEST_NAMESPACE);
	decide(f, "approve", "carol", "carol@example.com", f->commit);
	tl_git(f->repo, "config user.signingkey %s/bob", f->keys);
	assert_int_equal(attest(f, &plain, ""), 0);
	assert_int_equal(attest(f, &out, "--sign"), 0);
	assert_int_equal(line_count(out.buf), 1);
	assert_valid(out.buf);
	assert_json_text(out.buf, "$.signatures[0].keyid", bob);
	open_envelope(out.buf, &statement, &pae, &blob, &len);
	/* the payload is the statement attest writes unsigned, byte for byte */
	strbuf_addch(&statement, '\n');
	assert_string_equal(statement.buf, plain.buf);
	strbuf_setlen(&statement, statement.len - 1);
	strbuf_addf(&path, "%s/attest_allowed", f->keys);
	assert_int_equal(strbuf_read_file(&allowed, path.buf), 0);
	assert_int_equal(sshsig_verify(allowed.buf, blob, len, "bob@example.com", ATTEST_NAMESPACE, pae.buf,
				       pae.len, time(NULL), NULL), SSHSIG_GOOD);
	assert_int_equal(ssh_keygen_verify(f, out.buf, &pae, ATTEST_NAMESPACE), 0);
	/* never a decision's signature: the namespace is not "revq" */
	assert_int_not_equal(sshsig_check(blob, len, SIGN_NAMESPACE, pae.buf, pae.len, NULL), SSHSIG_GOOD);
	assert_int_not_equal(ssh_keygen_verify(f, out.buf, &pae, SIGN_NAMESPACE), 0);
	/* one byte of the statement changed: neither verifier accepts it */
	pae.buf[pae.len - 3] ^= 1;
	assert_int_not_equal(sshsig_verify(allowed.buf, blob, len, "bob@example.com", ATTEST_NAMESPACE, pae.buf,
					   pae.len, time(NULL), NULL), SSHSIG_GOOD);
	assert_int_not_equal(ssh_keygen_verify(f, out.buf, &pae, ATTEST_NAMESPACE), 0);
	free(blob);
	free(bob);
	strbuf_release(&out);
	strbuf_release(&plain);
	strbuf_release(&statement);
	strbuf_release(&pae);
	strbuf_release(&allowed);
	strbuf_release(&path);
}

static void test_signing_needs_an_ssh_key(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	tl_git(f->repo, "config gpg.format openpgp");
	assert_int_equal(tl_revq(f->repo, &out, &err, "attest --sign main..ai/x"), 2);
	assert_string_equal(out.buf, "");
	assert_contains(err.buf, "needs an ssh key");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_two_reviewers_make_a_two_party_review_in_the_vsa(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *policy = tl_git_out(f->repo, "rev-parse main:.revq/policy");

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	setenv("REVQ_NOW", "1800000000", 1);
	assert_int_equal(attest(f, &out, "--vsa --repository git+https://example.com/team/app"), 0);
	unsetenv("REVQ_NOW");
	assert_json_text(out.buf, "$.predicate.timeVerified", "2027-01-15T08:00:00Z");
	assert_valid(out.buf);
	assert_json_text(out.buf, "$.predicateType", ATTEST_VSA_TYPE);
	assert_json_text(out.buf, "$.predicate.resourceUri", "git+https://example.com/team/app");
	assert_json_text(out.buf, "$.predicate.verificationResult", "PASSED");
	assert_json_text(out.buf, "$.predicate.policy.digest.gitBlob", policy);
	assert_json_text(out.buf, "$.predicate.verifiedLevels[0]", "SLSA_SOURCE_LEVEL_1");
	assert_not_contains(out.buf, "SLSA_SOURCE_TWO_PARTY_REVIEWED");
	assert_int_equal(tl_json_length(out.buf, "$.predicate.inputAttestations"), 1);
	decide(f, "approve", "carol", "carol@example.com", f->commit);
	assert_int_equal(attest(f, &out, "--vsa --sign"), 0);
	assert_valid(out.buf);
	assert_int_equal(attest(f, &out, "--vsa"), 0);
	assert_contains(out.buf, "\"SLSA_SOURCE_TWO_PARTY_REVIEWED\"");
	assert_int_equal(tl_json_int(out.buf, "$.predicate.\"" ATTEST_PROPERTY_PREFIX "approvals\""), 2);
	assert_int_equal(tl_json_length(out.buf, "$.predicate.inputAttestations"), 2);
	free(policy);
	strbuf_release(&out);
}

/* A series approval attests each commit of the series, naming the series it was made for. */
static void test_a_series_approval_attests_each_commit_of_the_series(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *base = tl_git_out(f->repo, "rev-parse main"), *second, *line2;

	tl_git(f->repo, "checkout -q ai/x");
	second = tl_commit_file(f->repo, "src/more.c", "int more(void) { return 2; }\n", 0, "Add more" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	decide(f, "approve", "bob", "bob@example.com", "--series main..ai/x");
	assert_int_equal(attest(f, &out, ""), 0);
	assert_int_equal(line_count(out.buf), 2);
	assert_valid(out.buf);
	line2 = strchr(out.buf, '\n') + 1;
	assert_json_text(line2, "$.predicate.approvals[0].series.base", base);
	assert_json_text(line2, "$.predicate.approvals[0].series.tip", second);
	line2[-1] = '\0';
	assert_json_text(out.buf, "$.predicate.approvals[0].series.tip", second);
	{
		char *one = tl_json_text(out.buf, "$.subject[0].digest.gitCommit");
		char *two = tl_json_text(line2, "$.subject[0].digest.gitCommit");

		assert_true((!strcmp(one, f->commit) && !strcmp(two, second)) ||
			    (!strcmp(one, second) && !strcmp(two, f->commit)));
		free(one);
		free(two);
	}
	free(base);
	free(second);
	strbuf_release(&out);
}

static void test_one_person_under_two_keys_is_one_party(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;

	/* a second key and address for Bob: the policy makes them one person */
	tl_ssh_key(f->keys, "bob2", "bob.b@example.com");
	tl_write(f->repo, ".revq/policy", POLICY "[person \"Bob\"]\n\temail = bob.b@example.com\n");
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 0, "Bob's second address"));
	decide(f, "approve", "bob", "bob@example.com", f->commit);
	decide(f, "approve", "bob2", "bob.b@example.com", f->commit);
	assert_int_equal(attest(f, &out, "--vsa"), 0);
	assert_valid(out.buf);
	assert_not_contains(out.buf, "SLSA_SOURCE_TWO_PARTY_REVIEWED");
	strbuf_release(&out);
}

static void test_write_notes_keeps_each_line_under_refs_notes_revq_attest(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char *decisions, *note;

	decide(f, "approve", "bob", "bob@example.com", f->commit);
	decisions = tl_git_out(f->repo, "rev-parse refs/notes/revq");
	assert_int_equal(attest(f, &out, "--write-notes"), 0);
	assert_int_equal(attest(f, &out, "--write-notes"), 0);   /* the same line is not repeated */
	note = tl_git_out(f->repo, "notes --ref revq-attest show %s", f->commit);
	strbuf_setlen(&out, out.len - 1);
	assert_string_equal(note, out.buf);
	free(note);
	note = tl_git_out(f->repo, "rev-parse refs/notes/revq");
	assert_string_equal(note, decisions);   /* the decisions are untouched */
	/* the attestations never go where the decisions are */
	assert_int_equal(tl_revq(f->repo, &out, &err, "attest --write-notes --notes-ref %s main..ai/x",
				 ATTEST_NOTES_REF), 2);
	assert_contains(err.buf, "cannot be written there");
	free(note);
	free(decisions);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_untrusted_text_is_escaped_and_read_back_intact(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, decoded = STRBUF_INIT;
	char *y;

	tl_git(f->repo, "checkout -q -b ai/y main");
	y = tl_commit_file(f->repo, "src/e.c", "int e;\n", 0, "Bell\a esc\033[31m del\177 \xe2\x80\xae" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	decide(f, "approve", "bob", "bob@example.com", y);
	assert_int_equal(tl_revq(f->repo, &out, NULL, "attest main..ai/y"), 0);
	for (size_t i = 0; i + 1 < out.len; i++)
		if ((unsigned char)out.buf[i] < 0x20 || out.buf[i] == 0x7f)
			fail_msg("a raw control byte 0x%02x at %zu", (unsigned char)out.buf[i], i);
	assert_valid(out.buf);
	tl_write(f->repo, "../line", out.buf);
	tl_sh_output(f->repo, &decoded, NULL,
		     "python3 -c 'import json,sys; sys.stdout.write(json.load(open(\"../line\"))"
		     "[\"predicate\"][\"subject\"])'");
	assert_string_equal(decoded.buf, "Bell\a esc\033[31m del\177 \xe2\x80\xae");
	free(y);
	strbuf_release(&out);
	strbuf_release(&decoded);
}

static void test_the_repository_uri_drops_credentials(void **state)
{
	static const struct { const char *url, *uri; } cases[] = {
		{ "https://user:s3cret@Example.COM/team/app.git", "git+https://example.com/team/app.git" },
		{ "ssh://git:pw@Host.example:22/team/app", "git+ssh://git@host.example:22/team/app" },
		{ "git@github.com:team/app.git", "git+ssh://git@github.com/team/app.git" },
		{ "git+https://example.com/a", "git+https://example.com/a" },
		{ NULL, "git+file:///srv/repo.git" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;

		attest_repository_uri(&out, cases[i].url, "/srv/repo.git/");
		assert_string_equal(out.buf, cases[i].uri);
		strbuf_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_approved_commit_gets_a_review_statement_that_validates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_counted_record_is_named_by_the_digest_of_its_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_pending_commit_gets_no_attestation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_rejected_commit_gets_no_attestation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_self_approval_is_never_a_counted_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_approval_by_an_unknown_key_is_never_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_approval_with_a_bad_signature_gives_no_attestation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_forged_attestation_note_is_trusted_by_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_signed_envelope_verifies_in_process_and_with_ssh_keygen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signing_needs_an_ssh_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_reviewers_make_a_two_party_review_in_the_vsa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_series_approval_attests_each_commit_of_the_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_person_under_two_keys_is_one_party, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_notes_keeps_each_line_under_refs_notes_revq_attest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_text_is_escaped_and_read_back_intact, setup, teardown),
		cmocka_unit_test(test_the_repository_uri_drops_credentials),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
