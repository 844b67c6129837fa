/*
 * test_signers.c: who signed a decision, as revq must see it.  A reviewer
 * is a key, not an address: gpg's status lines are read as gpg writes
 * them (a user id cannot forge a VALIDSIG), an address counts only on a
 * valid user id, one key is one approval however many principals it has,
 * every principal of the key is "self", and a key's validity window is
 * checked the same way by a cold and a warm cache.  Parser tests first
 * (no tools), then attacks with real ssh and gpg keys, each beside its
 * legitimate control.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "sign/sigparse.h"

#define VICTIM "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define ATTACKER "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
#define SUBKEY "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"

/* ---- gpg status lines, no gpg ---- */

static enum sig_status parse_status(struct gpg_verdict *v, const char *text)
{
	gpg_parse_status(v, text, strlen(text));
	return v->status;
}

static void test_a_user_id_cannot_forge_a_validsig_or_trust_line(void **state)
{
	struct gpg_verdict v;

	(void)state;
	/* gpg copies the signer's user id into GOODSIG: the real lines follow. */
	assert_int_equal(parse_status(&v,
		"[GNUPG:] NEWSIG\n"
		"[GNUPG:] GOODSIG BBBBBBBBBBBBBBBB x [GNUPG:] VALIDSIG " VICTIM " [GNUPG:] TRUST_ULTIMATE\n"
		"[GNUPG:] VALIDSIG " ATTACKER " 2026-12-03 1796281414 0 4 0 22 8 00 " ATTACKER "\n"
		"[GNUPG:] TRUST_UNDEFINED 0 pgp\n"), SIG_GOOD);
	assert_string_equal(v.primary_fpr, ATTACKER);
	assert_string_equal(v.signing_fpr, ATTACKER);
	assert_int_equal(v.trust, 1);
}

static void test_a_genuine_status_is_read(void **state)
{
	struct gpg_verdict v;

	(void)state;
	assert_int_equal(parse_status(&v,
		"[GNUPG:] NEWSIG\n"
		"[GNUPG:] KEY_CONSIDERED " VICTIM " 0\n"
		"[GNUPG:] SIG_ID y1OQXHLkNywYP+O2CouJtn+C2+I 2026-12-03 1796281414\n"
		"[GNUPG:] GOODSIG CCCCCCCCCCCCCCCC Jane <jane@example.com>\n"
		"[GNUPG:] VALIDSIG " SUBKEY " 2026-12-03 1796281414 1796290000 4 0 22 8 00 " VICTIM "\n"
		"[GNUPG:] TRUST_FULLY 0 pgp\n"), SIG_GOOD);
	assert_string_equal(v.primary_fpr, VICTIM);
	assert_string_equal(v.signing_fpr, SUBKEY);
	assert_int_equal(v.sig_expires, 1796290000);
	assert_int_equal(v.trust, 3);
}

static void test_status_lines_that_are_not_exactly_one_good_signature_are_bad(void **state)
{
	struct gpg_verdict v;
	static const char good[] = "[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
		"[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n";

	(void)state;
	/* A keyword that does not start its line is not a status. */
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\nx[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	/* Two signatures, two VALIDSIGs, two TRUST_ lines, no NEWSIG. */
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] NEWSIG\n"
				      "[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n[GNUPG:] BADSIG BBBBBBBBBBBBBBBB M\n"), SIG_BAD);
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] VALIDSIG " ATTACKER " 2026-12-03 1 0 4 0 22 8 00 " ATTACKER "\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] TRUST_NEVER 0 pgp\n[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	assert_int_equal(parse_status(&v, "[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	/* The key GOODSIG names must be the one VALIDSIG names. */
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG BBBBBBBBBBBBBBBB Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	/* No TRUST_ line, a short VALIDSIG, a fingerprint that is not one. */
	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "[GNUPG:] NEWSIG\n%s", good);
		assert_int_equal(parse_status(&v, sb.buf), SIG_BAD);
		strbuf_release(&sb);
	}
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 <" VICTIM ">\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	/* What gpg says about missing, expired and revoked keys. */
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] ERRSIG BBBBBBBBBBBBBBBB 22 8 00 1 9\n"
				      "[GNUPG:] NO_PUBKEY BBBBBBBBBBBBBBBB\n"), SIG_UNKNOWN_SIGNER);
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] EXPKEYSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"), SIG_EXPIRED);
	assert_int_equal(parse_status(&v, "[GNUPG:] NEWSIG\n[GNUPG:] REVKEYSIG AAAAAAAAAAAAAAAA Jane\n"
				      "[GNUPG:] VALIDSIG " VICTIM " 2026-12-03 1 0 4 0 22 8 00 " VICTIM "\n"
				      "[GNUPG:] TRUST_ULTIMATE 0 pgp\n"), SIG_BAD);
	assert_int_equal(parse_status(&v, ""), SIG_BAD);
}

/* ---- gpg key listings, no gpg ---- */

static const char listing[] =
	"tru::1:1796281414:0:3:1:5\n"
	"pub:f:255:22:AAAAAAAAAAAAAAAA:1796281414:1796900000::-:::scSC:::::ed25519:::0:\n"
	"fpr:::::::::" VICTIM ":\n"
	"uid:f::::1796281414::H1::Alice <alice@example.com>::::::::::0:\n"
	"uid:-::::1796281414::H2::Senior <senior@example.com>::::::::::0:\n"
	"uid:r::::1796281414::H3::Old <old@example.com>::::::::::0:\n"
	"uid:f::::1796281414::H4::Colon\\x3a <colon@example.com>::::::::::0:\n"
	"sub:f:255:22:CCCCCCCCCCCCCCCC:1796281414:1796800000:::::s:::::ed25519::\n"
	"fpr:::::::::" SUBKEY ":\n"
	"pub:u:255:22:BBBBBBBBBBBBBBBB:1796281414:::u:::scSC:::::ed25519:::0:\n"
	"fpr:::::::::" ATTACKER ":\n"
	"uid:u::::1796281414::H5::Mallory <senior@example.com>::::::::::0:\n";

static void test_an_address_counts_only_on_a_valid_user_id(void **state)
{
	struct gpg_key_facts k;

	(void)state;
	gpg_parse_key_listing(&k, listing, strlen(listing), VICTIM, SUBKEY, "ALICE@example.com", 3);
	assert_true(k.found && k.usable && k.reviewer_uid);
	assert_int_equal(k.expires, 1796800000);   /* the signing subkey expires first */
	assert_int_equal(k.emails.nr, 4);           /* every uid's address is a principal */
	assert_true(strvec_contains(&k.emails, "senior@example.com"));
	assert_true(strvec_contains(&k.emails, "colon@example.com"));
	gpg_key_facts_release(&k);
	/* Not certified, revoked, or only on another key. */
	gpg_parse_key_listing(&k, listing, strlen(listing), VICTIM, SUBKEY, "senior@example.com", 3);
	assert_true(k.found && !k.reviewer_uid);
	gpg_key_facts_release(&k);
	gpg_parse_key_listing(&k, listing, strlen(listing), VICTIM, SUBKEY, "old@example.com", 0);
	assert_false(k.reviewer_uid);
	gpg_key_facts_release(&k);
	/* gpg.minTrustLevel=undefined accepts the uncertified uid. */
	gpg_parse_key_listing(&k, listing, strlen(listing), VICTIM, SUBKEY, "senior@example.com", 1);
	assert_true(k.reviewer_uid);
	gpg_key_facts_release(&k);
	/* A signing key that is not in the listed key: not this key. */
	gpg_parse_key_listing(&k, listing, strlen(listing), VICTIM, ATTACKER, "alice@example.com", 3);
	assert_false(k.found || k.reviewer_uid);
	gpg_key_facts_release(&k);
}

static void test_a_user_ids_address_is_the_whole_bracketed_part(void **state)
{
	char *a;

	(void)state;
	assert_string_equal(a = gpg_uid_address("Jane <jane@example.com>"), "jane@example.com");
	free(a);
	assert_string_equal(a = gpg_uid_address("jane@example.com"), "jane@example.com");
	free(a);
	assert_string_equal(a = gpg_uid_address("x <senior@example.com> <jane@example.com>"), "jane@example.com");
	free(a);
	assert_null(gpg_uid_address("Jane <jane@example.com> (work)"));
	assert_null(gpg_uid_address("senior@example.com x"));
	assert_null(gpg_uid_address("Jane <>"));
}

/* ---- ssh signatures and allowed signers, with ssh-keygen only to make keys ---- */

static void test_the_key_inside_an_ssh_signature_is_named_as_ssh_keygen_names_it(void **state)
{
	const char *dir = tl_tmpdir();
	struct strbuf sig = STRBUF_INIT, fp = STRBUF_INIT, key = STRBUF_INIT;
	struct sshsig_info info;
	struct allowed_key ak;
	unsigned char *blob;
	size_t len;
	char allowed[4096];

	(void)state;
	tl_sh(dir, "ssh-keygen -q -t ed25519 -N '' -f k && echo hi > m && ssh-keygen -q -Y sign -n revq -f k m 2>/dev/null");
	tl_sh_output(dir, &sig, NULL, "grep -v -- ----- m.sig | tr -d '\\n'");
	tl_sh_output(dir, &fp, NULL, "ssh-keygen -l -f k.pub | cut -d' ' -f2 | tr -d '\\n'");
	tl_sh_output(dir, &key, NULL, "cut -d' ' -f1,2 k.pub | tr -d '\\n'");
	assert_int_equal(sshsig_parse(&info, sig.buf), 0);
	assert_string_equal(info.fingerprint, fp.buf);
	assert_string_equal(info.key_type, "ssh-ed25519");
	assert_string_equal(info.namespace, "revq");
	assert_false(info.certificate);
	/* Every line naming the key: principals and the narrowest window. */
	snprintf(allowed, sizeof(allowed),
		 "# comment\n"
		 "jane@example.com %s\n"
		 "jane2@example.com,!x@example.com namespaces=\"revq,git\",valid-after=\"20260101Z\" %s\n"
		 "\"j3@example.com\" valid-before=20270101000000Z %s jane's laptop\n"
		 "ca@example.com cert-authority %s\n"
		 "other@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFo\n",
		 key.buf, key.buf, key.buf, key.buf);
	allowed_signers_find_key(&ak, allowed, info.pubkey, info.pubkey_len);
	assert_int_equal(ak.lines, 3);
	assert_int_equal(ak.principals.nr, 3);
	assert_string_equal(ak.principals.v[1], "jane2@example.com");
	assert_string_equal(ak.principals.v[2], "j3@example.com");
	assert_int_equal(ak.valid_after, 1767225600);
	assert_int_equal(ak.valid_before, 1798761600);
	allowed_key_release(&ak);
	/* An unreadable time fails closed. */
	snprintf(allowed, sizeof(allowed), "jane@example.com valid-before=\"soon\" %s\n", key.buf);
	allowed_signers_find_key(&ak, allowed, info.pubkey, info.pubkey_len);
	assert_int_equal(ak.valid_before, 1);
	allowed_key_release(&ak);
	/* Not an SSHSIG blob. */
	blob = sigparse_base64_decode(&len, "U1NIU0lH", 8);
	assert_non_null(blob);
	assert_int_equal(len, 6);
	free(blob);
	assert_int_not_equal(sshsig_parse(&(struct sshsig_info){ 0 }, "U1NIU0lH"), 0);
	assert_int_not_equal(sshsig_parse(&(struct sshsig_info){ 0 }, "not base64!"), 0);
	sshsig_release(&info);
	strbuf_release(&sig);
	strbuf_release(&fp);
	strbuf_release(&key);
}

static void test_sha256_matches_known_answers(void **state)
{
	unsigned char d[32];
	char *b;

	(void)state;
	sigparse_sha256(d, "abc", 3);
	b = sigparse_base64_encode(d, 32, 1);
	assert_string_equal(b, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	free(b);
	sigparse_sha256(d, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	b = sigparse_base64_encode(d, 32, 0);
	assert_string_equal(b, "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE");
	free(b);
}

/* ---- end to end: fixture ---- */

struct fixture {
	const char *repo;
	const char *keys;
	const char *gnupg;   /* the verifier's GNUPGHOME */
	char *ai;            /* an AI-assisted commit by author@example.com on ai/x */
};

static void ssh_key(struct fixture *f, const char *name)
{
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C %s -f %s", name, name);
}

/* Lists ssh key `name` for principals (with options, may be "") in the allowed signers. */
static void allow(struct fixture *f, const char *principals, const char *options, const char *name)
{
	tl_sh(f->keys, "printf '%%s %%s %%s\\n' '%s' '%s' \"$(cut -d' ' -f1,2 %s.pub)\" >> allowed",
	      principals, options, name);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	f->gnupg = tl_tmpdir();
	tl_sh(f->gnupg, "chmod 700 .");
	setenv("GNUPGHOME", f->gnupg, 1);
	tl_write(f->keys, "allowed", "");
	ssh_key(f, "jane");
	ssh_key(f, "bob");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unsetenv("GNUPGHOME");
	free(f->ai);
	free(f);
	return 0;
}

/* Commits a policy on main (with the allowed signers), then the AI commit on ai/x. */
static void start(struct fixture *f, const char *policy)
{
	if (policy) {
		tl_write(f->repo, ".revq/policy", policy);
		tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
		free(tl_commit(f->repo, 3, "Review policy"));
	}
	tl_git(f->repo, "checkout -q -b ai/x");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			       "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
}

static const char two_approvals[] =
	"[revq]\n\tallowedSigners = .revq/allowed_signers\n[path \"src/**\"]\n\tapprovals = 2\n";

/* `revq approve` as EMAIL signing with `key` (an ssh key name or a gpg fingerprint), env first. */
static void approve_env(struct fixture *f, const char *env, const char *key, const char *email)
{
	struct strbuf err = STRBUF_INIT;

	if (tl_sh(f->keys, "test -f %s", key))
		tl_git(f->repo, "config user.signingkey %s", key);
	else
		tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh_output(f->repo, NULL, &err, "%s GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' "
			 "\"$REVQ_BIN\" approve -m 'looked at it' %s", env, email, f->ai))
		fail_msg("revq approve: %s", err.buf);
	strbuf_release(&err);
}

static void approve(struct fixture *f, const char *key, const char *email)
{
	approve_env(f, "", key, email);
}

/* `revq verify --json main..ai/x` with env first; the exit status, the JSON in out. */
static int verify_env(struct fixture *f, const char *env, struct strbuf *out)
{
	strbuf_reset(out);
	return tl_sh_output(f->repo, out, NULL, "%s \"$REVQ_BIN\" verify --json main..ai/x", env);
}

static void assert_verify(struct fixture *f, const char *env, int status, const char *contains)
{
	struct strbuf out = STRBUF_INIT;
	int got = verify_env(f, env, &out);

	if (got != status)
		fail_msg("verify (%s) exited %d, expected %d:\n%s", env, got, status, out.buf);
	if (contains)
		assert_contains(out.buf, contains);
	strbuf_release(&out);
}

/* ---- end to end: ssh ---- */

static void test_one_ssh_key_under_two_principals_is_one_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT, fp = STRBUF_INIT;

	allow(f, "jane@example.com", "", "jane");
	allow(f, "jane2@example.com", "", "jane");
	allow(f, "bob@example.com", "", "bob");
	start(f, two_approvals);
	approve(f, "jane", "jane@example.com");
	approve(f, "jane", "jane2@example.com");
	assert_int_equal(verify_env(f, "", &out), 1);
	assert_contains(out.buf, "not enough approvals: 1 of 2");
	assert_contains(out.buf, "superseded");
	/* Both records verified, and both name the same key. */
	tl_sh_output(f->keys, &fp, NULL, "ssh-keygen -l -f jane.pub | cut -d' ' -f2 | tr -d '\\n'");
	assert_json_text(out.buf, "$.commits[0].decisions[0].key", fp.buf);
	assert_json_text(out.buf, "$.commits[0].decisions[1].key", fp.buf);
	/* Control: a second key is a second reviewer. */
	approve(f, "bob", "bob@example.com");
	assert_verify(f, "", 0, NULL);
	strbuf_release(&out);
	strbuf_release(&fp);
}

static void test_an_ssh_key_that_is_also_the_authors_cannot_approve_under_another_name(void **state)
{
	struct fixture *f = *state;

	/* The author's key, listed first under another address (find-principals names that one). */
	ssh_key(f, "author");
	allow(f, "other@example.com", "", "author");
	allow(f, "author@example.com", "", "author");
	allow(f, "bob@example.com", "", "bob");
	start(f, NULL);
	approve(f, "author", "other@example.com");
	assert_verify(f, "", 1, "self-approval: approval by other@example.com");
	/* Control: someone else's key approving under that address counts. */
	ssh_key(f, "other");
	allow(f, "other@example.com", "", "other");
	approve(f, "other", "other@example.com");
	assert_verify(f, "", 0, NULL);
}

/* A key whose valid-before falls between the record's time and now: warm and cold agree. */
static void test_warm_and_cold_caches_agree_once_a_key_expires(void **state)
{
	struct fixture *f = *state;
	char opts[64];

	/* Records are made at TL_NOW; the key is valid for ten days after. */
	snprintf(opts, sizeof(opts), "valid-before=\"20260111Z\"");
	allow(f, "jane@example.com", opts, "jane");
	allow(f, "bob@example.com", "", "bob");
	start(f, NULL);
	approve(f, "jane", "jane@example.com");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	/* Inside the window: cold, then warm. */
	assert_verify(f, "REVQ_NOW=1767312000", 0, NULL);
	assert_verify(f, "REVQ_NOW=1767312000", 0, NULL);
	/* Twenty days on, the warm cache says what a cold one says. */
	assert_verify(f, "REVQ_NOW=1768953600", 1, "key not valid at this time");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	assert_verify(f, "REVQ_NOW=1768953600", 1, "key not valid at this time");
	assert_verify(f, "REVQ_NOW=1768953600", 1, "key not valid at this time");
	/* Control: an unbounded key approves then as now. */
	approve(f, "bob", "bob@example.com");
	assert_verify(f, "REVQ_NOW=1768953600", 0, NULL);
}

/* A key listed from some day on cannot sign a record dated before it. */
static void test_a_record_dated_before_its_key_was_valid_does_not_count(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "valid-after=\"20260105Z\"", "jane");
	allow(f, "bob@example.com", "valid-after=\"20251201Z\"", "bob");
	start(f, NULL);
	approve(f, "jane", "jane@example.com");   /* dated TL_NOW, 2026-01-01 */
	assert_verify(f, "REVQ_NOW=1768953600", 1, "bad signature: approval by jane@example.com");
	/* Control: a key valid at the record's time. */
	approve(f, "bob", "bob@example.com");
	assert_verify(f, "REVQ_NOW=1768953600", 0, NULL);
}

/* A certificate carries its own validity: checked at the record's time and now, never cached. */
static void test_an_ssh_certificate_counts_only_while_it_is_valid(void **state)
{
	struct fixture *f = *state;

	ssh_key(f, "ca");
	tl_sh(f->keys, "ssh-keygen -q -s ca -I jane -n jane@example.com -V 20251201:20260111 jane.pub");
	allow(f, "*@example.com", "cert-authority", "ca");
	start(f, NULL);
	approve(f, "jane-cert.pub", "jane@example.com");
	assert_verify(f, "REVQ_NOW=1767312000", 0, NULL);
	assert_verify(f, "REVQ_NOW=1767312000", 0, NULL);
	assert_verify(f, "REVQ_NOW=1768953600", 1, "key not valid at this time");
	/* The certificate's principals are the key's: jane only. */
	approve(f, "jane-cert.pub", "bob@example.com");
	assert_verify(f, "REVQ_NOW=1767312000", 0, "\"problem\": \"signer is not the reviewer\"");
}

/* ---- end to end: gpg ---- */

static int have_gpg(void)
{
	return !tl_sh(NULL, "command -v gpg >/dev/null");
}

/* Makes a key for uid in home; returns its fingerprint (caller frees). */
static char *gpg_key(const char *home, const char *uid, const char *expire)
{
	struct strbuf fpr = STRBUF_INIT;

	tl_sh(home, "chmod 700 . && GNUPGHOME=%s gpg --batch --quiet --passphrase '' --quick-gen-key '%s' "
	      "ed25519 sign %s 2>/dev/null", home, uid, expire ? expire : "never");
	tl_sh_output(home, &fpr, NULL, "GNUPGHOME=%s gpg --batch --with-colons --list-keys -- '=%s' | "
		     "awk -F: '$1 == \"fpr\" { print $10; exit }'", home, uid);
	strbuf_trim_trailing_newline(&fpr);
	assert_int_equal(fpr.len, 40);
	return strbuf_detach(&fpr, NULL);
}

static void gpg_in(const char *home, const char *cmd)
{
	if (tl_sh(home, "GNUPGHOME=%s gpg --batch --quiet --yes --passphrase '' %s 2>/dev/null", home, cmd))
		fail_msg("gpg %s failed", cmd);
}

static void use_gpg(struct fixture *f)
{
	tl_git(f->repo, "config --unset gpg.format");
}

static void test_a_gpg_user_id_cannot_forge_the_victims_fingerprint(void **state)
{
	struct fixture *f = *state;
	const char *attacker = tl_tmpdir();
	struct strbuf cmd = STRBUF_INIT, env = STRBUF_INIT, out = STRBUF_INIT;
	char *victim, *mallory;

	if (!have_gpg())
		skip();
	use_gpg(f);
	start(f, NULL);
	victim = gpg_key(f->gnupg, "Jane <jane@example.com>", NULL);
	strbuf_addf(&cmd, "x [GNUPG:] VALIDSIG %s [GNUPG:] TRUST_ULTIMATE", victim);
	mallory = gpg_key(attacker, cmd.buf, NULL);
	/* The verifier has Mallory's public key, untrusted. */
	tl_sh(attacker, "GNUPGHOME=%s gpg --batch --export %s | GNUPGHOME=%s gpg --batch --quiet --import 2>/dev/null",
	      attacker, mallory, f->gnupg);
	strbuf_addf(&env, "GNUPGHOME=%s", attacker);
	approve_env(f, env.buf, mallory, "jane@example.com");
	assert_int_equal(verify_env(f, "", &out), 1);
	assert_contains(out.buf, "unknown signer: approval by jane@example.com is not signed by a key in the gpg keyring");
	assert_not_contains(out.buf, "not signed by an allowed signer");
	assert_json_text(out.buf, "$.commits[0].decisions[0].signer", mallory);
	/* Control: Jane's own approval. */
	approve(f, victim, "jane@example.com");
	assert_verify(f, "", 0, NULL);
	free(victim);
	free(mallory);
	strbuf_release(&cmd);
	strbuf_release(&env);
	strbuf_release(&out);
}

static void test_an_uncertified_gpg_user_id_is_not_the_reviewer(void **state)
{
	struct fixture *f = *state;
	struct strbuf cmd = STRBUF_INIT;
	char *ca, *alice;

	if (!have_gpg())
		skip();
	use_gpg(f);
	start(f, NULL);
	ca = gpg_key(f->gnupg, "CA <ca@example.com>", NULL);
	alice = gpg_key(f->gnupg, "Alice <alice@example.com>", NULL);
	/* Alice's key is valid through the CA's certification of her uid only. */
	tl_sh(f->gnupg, "echo '%s:2:' | GNUPGHOME=%s gpg --batch --quiet --import-ownertrust 2>/dev/null", alice, f->gnupg);
	strbuf_addf(&cmd, "--default-key %s --quick-sign-key %s 'Alice <alice@example.com>'", ca, alice);
	gpg_in(f->gnupg, cmd.buf);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "--quick-add-uid %s 'Senior <senior@example.com>'", alice);
	gpg_in(f->gnupg, cmd.buf);
	gpg_in(f->gnupg, "--check-trustdb");
	approve(f, alice, "senior@example.com");
	assert_verify(f, "", 1, "signer is not the reviewer: approval by senior@example.com");
	/* Control: Alice's certified address counts... */
	approve(f, alice, "alice@example.com");
	assert_verify(f, "", 0, NULL);
	/* ...and so does the second one once the CA certifies it. */
	tl_sh(f->repo, "git notes --ref=revq remove %s 2>/dev/null", f->ai);
	approve(f, alice, "senior@example.com");
	assert_verify(f, "", 1, "signer is not the reviewer");
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "--default-key %s --quick-sign-key %s 'Senior <senior@example.com>'", ca, alice);
	gpg_in(f->gnupg, cmd.buf);
	gpg_in(f->gnupg, "--check-trustdb");
	assert_verify(f, "", 0, NULL);
	free(ca);
	free(alice);
	strbuf_release(&cmd);
}

static void test_one_gpg_key_with_two_addresses_is_one_approval(void **state)
{
	struct fixture *f = *state;
	struct strbuf cmd = STRBUF_INIT;
	char *jane, *bob;

	if (!have_gpg())
		skip();
	use_gpg(f);
	start(f, "[path \"src/**\"]\n\tapprovals = 2\n");
	jane = gpg_key(f->gnupg, "Jane <jane@example.com>", NULL);
	strbuf_addf(&cmd, "--quick-add-uid %s 'Jane <jane2@example.com>'", jane);
	gpg_in(f->gnupg, cmd.buf);
	approve(f, jane, "jane@example.com");
	approve(f, jane, "jane2@example.com");
	assert_verify(f, "", 1, "not enough approvals: 1 of 2");
	/* Control: two keys are two reviewers. */
	bob = gpg_key(f->gnupg, "Bob <bob@example.com>", NULL);
	approve(f, bob, "bob@example.com");
	assert_verify(f, "", 0, NULL);
	free(jane);
	free(bob);
	strbuf_release(&cmd);
}

static void test_a_gpg_key_with_the_authors_address_cannot_approve_under_another(void **state)
{
	struct fixture *f = *state;
	struct strbuf cmd = STRBUF_INIT;
	char *author, *other;

	if (!have_gpg())
		skip();
	use_gpg(f);
	start(f, NULL);
	author = gpg_key(f->gnupg, "Author <author@example.com>", NULL);
	strbuf_addf(&cmd, "--quick-add-uid %s 'Other <other@example.com>'", author);
	gpg_in(f->gnupg, cmd.buf);
	approve(f, author, "other@example.com");
	assert_verify(f, "", 1, "self-approval: approval by other@example.com");
	/* Control: another person's key with that address. */
	other = gpg_key(f->gnupg, "Someone Else <other@example.com>", NULL);
	approve(f, other, "other@example.com");
	assert_verify(f, "", 0, NULL);
	free(author);
	free(other);
	strbuf_release(&cmd);
}

static void test_an_expiring_gpg_key_is_judged_alike_warm_and_cold(void **state)
{
	struct fixture *f = *state;
	struct strbuf later = STRBUF_INIT;
	char *jane;

	if (!have_gpg())
		skip();
	use_gpg(f);
	start(f, NULL);
	jane = gpg_key(f->gnupg, "Jane <jane@example.com>", "10d");
	approve(f, jane, "jane@example.com");
	assert_verify(f, "", 0, NULL);   /* cached while valid */
	/* Twenty days after the key was made it has expired: warm, then cold. */
	strbuf_addf(&later, "REVQ_NOW=$(( $(date +%%s) + 20 * 86400 ))");
	assert_verify(f, later.buf, 1, "key not valid at this time");
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	assert_verify(f, later.buf, 1, "key not valid at this time");
	assert_verify(f, "", 0, NULL);   /* control: before it expires */
	free(jane);
	strbuf_release(&later);
}

/* The principals of every line, cut as ssh-keygen cuts them: quotes, blanks, comments, negations left out. */
static void test_allowed_signers_principals_are_read_as_ssh_keygen_reads_them(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	allowed_signers_principals(&sv, "# x@example.com ssh-ed25519 AAAA\n"
				       "\"a@example.com,!b@example.com\" ssh-ed25519 AAAA\n"
				       "  c\"@exa mple\".com\tssh-ed25519 AAAA\r\n"
				       "\"unterminated@example.com ssh-ed25519 AAAA\n"
				       "\n"
				       "d@example.com,a@example.com\n");
	assert_int_equal(sv.nr, 3);
	assert_string_equal(sv.v[0], "a@example.com");
	assert_string_equal(sv.v[1], "c@exa mple");   /* a closing quote ends the field, as in ssh */
	assert_string_equal(sv.v[2], "d@example.com");
	strvec_clear(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_user_id_cannot_forge_a_validsig_or_trust_line),
		cmocka_unit_test(test_a_genuine_status_is_read),
		cmocka_unit_test(test_status_lines_that_are_not_exactly_one_good_signature_are_bad),
		cmocka_unit_test(test_an_address_counts_only_on_a_valid_user_id),
		cmocka_unit_test(test_a_user_ids_address_is_the_whole_bracketed_part),
		cmocka_unit_test(test_the_key_inside_an_ssh_signature_is_named_as_ssh_keygen_names_it),
		cmocka_unit_test(test_sha256_matches_known_answers),
		cmocka_unit_test(test_allowed_signers_principals_are_read_as_ssh_keygen_reads_them),
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_one_ssh_key_under_two_principals_is_one_approval),
		T(test_an_ssh_key_that_is_also_the_authors_cannot_approve_under_another_name),
		T(test_warm_and_cold_caches_agree_once_a_key_expires),
		T(test_a_record_dated_before_its_key_was_valid_does_not_count),
		T(test_an_ssh_certificate_counts_only_while_it_is_valid),
		T(test_a_gpg_user_id_cannot_forge_the_victims_fingerprint),
		T(test_an_uncertified_gpg_user_id_is_not_the_reviewer),
		T(test_one_gpg_key_with_two_addresses_is_one_approval),
		T(test_a_gpg_key_with_the_authors_address_cannot_approve_under_another),
		T(test_an_expiring_gpg_key_is_judged_alike_warm_and_cold),
#undef T
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
