/*
 * test_sshsig_differential.c: revq's in-process SSHSIG verifier
 * (src/sign/sshsig.c) against `ssh-keygen -Y verify` itself, on the same
 * files: every key type, good and tampered signatures and messages,
 * wrong namespaces and principals, principal patterns, namespaces= and
 * validity windows at their boundaries, missing keys, several lines per
 * key and principals per line, comments and quoting, and malformed
 * lines.  Any disagreement fails, naming the case.
 *
 * ssh-keygen makes the ed25519, ECDSA and RSA (rsa-sha2-512) keys and
 * signatures.  It cannot make FIDO (sk-) keys without an authenticator,
 * nor rsa-sha2-256 signatures, so those are built here with libcrypto,
 * byte by byte as PROTOCOL.sshsig and PROTOCOL.u2f say; ssh-keygen still
 * judges them.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "testlib.h"
#include "sign/record.h"
#include "sign/sign.h"
#include "sign/sigparse.h"
#include "sign/sshsig.h"

#define T_WINDOW_AFTER 1893456000    /* 2030-01-01T00:00:00Z */
#define T_WINDOW_BEFORE 1577836800   /* 2020-01-01T00:00:00Z */

/* One signing key with what it signed, and another key of the same type. */
struct kit {
	const char *name;
	const char *dir;          /* not owned (tl_tmpdir) */
	struct strbuf key;        /* "TYPE BASE64" of the signing key */
	struct strbuf other;      /* of another key */
	struct strbuf sig;        /* armoured signature of MESSAGE in "revq", the default hash */
	struct strbuf sig256;     /* ... with sha256 */
	struct strbuf sig_git;    /* ... in the "git" namespace */
};

#define MESSAGE "tree 1234\nreviewer jane\n"

static size_t disagreements, compared;

static void kit_init(struct kit *k, const char *name)
{
	memset(k, 0, sizeof(*k));
	k->name = name;
	k->dir = tl_tmpdir();
	strbuf_init(&k->key, 0);
	strbuf_init(&k->other, 0);
	strbuf_init(&k->sig, 0);
	strbuf_init(&k->sig256, 0);
	strbuf_init(&k->sig_git, 0);
	tl_write(k->dir, "msg", MESSAGE);
}

static void kit_release(struct kit *k)
{
	strbuf_release(&k->key);
	strbuf_release(&k->other);
	strbuf_release(&k->sig);
	strbuf_release(&k->sig256);
	strbuf_release(&k->sig_git);
}

static void ssh_time(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y%m%d%H%M%SZ", &tm);
}

/* ssh-keygen's verdict: 1 good, 0 not. */
static int keygen_verdict(const struct kit *k, const char *allowed, const char *armour, const char *msg,
			  const char *principal, const char *ns, int64_t at)
{
	char when[32];

	tl_write(k->dir, "allowed", allowed);
	tl_write(k->dir, "sig", armour);
	tl_write(k->dir, "m", msg);
	ssh_time(when, at);
	return tl_sh(k->dir, "ssh-keygen -Y verify -f allowed -I '%s' -n '%s' -s sig -Overify-time=%s < m "
		     ">/dev/null 2>&1", principal, ns, when) == 0;
}

/* revq's: 1 good, 0 bad, -1 fallback (revq would ask ssh-keygen). */
static int revq_verdict(const char *allowed, const char *armour, const char *msg, const char *principal,
			const char *ns, int64_t at)
{
	size_t len = 0;
	unsigned char *blob = sshsig_dearmor(&len, armour, strlen(armour));
	enum sshsig_verdict v;

	if (!blob)
		return 0;
	v = sshsig_verify(allowed, blob, len, principal, ns, msg, strlen(msg), at, NULL);
	free(blob);
	return v == SSHSIG_GOOD ? 1 : v == SSHSIG_BAD ? 0 : -1;
}

/* Both verdicts; a disagreement is printed and counted. Returns ssh-keygen's. */
static int agree(const struct kit *k, const char *what, const char *allowed, const char *armour,
		 const char *msg, const char *principal, const char *ns, int64_t at)
{
	int theirs = keygen_verdict(k, allowed, armour, msg, principal, ns, at);
	int ours = revq_verdict(allowed, armour, msg, principal, ns, at);

	compared++;
	if (ours < 0) {
		print_message("%s: %s: revq falls back to ssh-keygen on a ported key type\n", k->name, what);
		disagreements++;
	} else if (ours != theirs) {
		print_message("%s: %s: ssh-keygen says %s, revq says %s\n  principal %s ns %s at %lld\n  allowed:\n%s\n",
			      k->name, what, theirs ? "good" : "bad", ours ? "good" : "bad", principal, ns,
			      (long long)at, allowed);
		disagreements++;
	}
	return theirs;
}

/* Replaces KEY, OTHER and BROKEN (the key with its base64 spoiled) in a template. */
static void fill(struct strbuf *out, const char *tpl, const struct kit *k)
{
	strbuf_reset(out);
	while (*tpl) {
		if (!strncmp(tpl, "KEY", 3)) {
			strbuf_add(out, k->key.buf, k->key.len);
			tpl += 3;
		} else if (!strncmp(tpl, "OTHER", 5)) {
			strbuf_add(out, k->other.buf, k->other.len);
			tpl += 5;
		} else if (!strncmp(tpl, "BROKEN", 6)) {
			strbuf_add(out, k->key.buf, k->key.len);
			strbuf_addstr(out, "A");
			tpl += 6;
		} else {
			strbuf_addch(out, *tpl++);
		}
	}
}

static const char *const templates[] = {
	"alice@example.com KEY\n",
	"*@example.com KEY\n",
	"!alice@example.com,*@example.com KEY\n",
	"*@example.com,!alice@example.com KEY\n",
	"al?ce@example.com KEY\n",
	"a*e@example.com,bob@example.com KEY\n",
	"alice@example.com,!alice@example.com KEY\n",
	"bob@example.com KEY\n",
	"Alice@example.com KEY\n",
	"alice@example.com OTHER\n",
	"alice@example.com OTHER\nalice@example.com KEY\n",
	"bob@example.com KEY\nalice@example.com OTHER\n",
	"\"alice@example.com,bob@example.com\" KEY alice's laptop\n",
	"\"alice@example.com KEY\n",
	"# a comment\n\n   alice@example.com\tKEY\n",
	"#alice@example.com KEY\n",
	"alice@example.com KEY\r\n",
	"alice@example.com KEY",
	"alice@example.com\n",
	"alice@example.com BROKEN\n",
	"alice@example.com ssh-ed25519 AAAA\n",
	"alice@example.com namespaces=\"git\" KEY\n",
	"alice@example.com namespaces=\"re*,git\" KEY\n",
	"alice@example.com namespaces=\"git,!revq,*\" KEY\n",
	"alice@example.com NAMESPACES=\"revq\" KEY\n",
	"alice@example.com namespaces=revq KEY\n",
	"alice@example.com namespaces=\"revq\",namespaces=\"git\" KEY\n",
	"alice@example.com namespaces=\"a b,revq\" KEY\n",
	"alice@example.com namespaces=\"revq\", KEY\n",
	"alice@example.com valid-after=\"20300101Z\" KEY\n",
	"alice@example.com valid-before=\"20200101Z\" KEY\n",
	"alice@example.com valid-after=\"20200101Z\",valid-before=\"20300101Z\" KEY\n",
	"alice@example.com valid-before=\"20200101Z\",valid-after=\"20300101Z\" KEY\n",
	"alice@example.com VALID-AFTER=\"202001010000Z\" KEY\n",
	"alice@example.com valid-after=\"20200101000000UTC\" KEY\n",
	"alice@example.com valid-after=\"20200101\" KEY\n",
	"alice@example.com valid-after=20200101Z KEY\n",
	"alice@example.com valid-after=\"2020010\" KEY\n",
	"alice@example.com valid-after=\"20201301Z\" KEY\n",
	"alice@example.com valid-before=\"20300101Z\" OTHER\nalice@example.com valid-after=\"20300101Z\" KEY\n",
	"alice@example.com valid-before=\"20200101Z\" KEY\nalice@example.com valid-after=\"20300101Z\" KEY\n",
	"alice@example.com cert-authority KEY\n",
	"alice@example.com cert-authority,namespaces=\"revq\" KEY\n",
	"alice@example.com no-touch-required KEY\n",
	"alice@example.com,bob@example.com\tKEY\n",
	"  \t alice@example.com    KEY   trailing comment\n",
	"alice@example.com\"\" KEY\n",
	"\"\" KEY\n",
};

static const char *const principals[] = { "alice@example.com", "bob@example.com" };
static const int64_t times[] = { TL_NOW, T_WINDOW_AFTER, T_WINDOW_AFTER - 1, T_WINDOW_BEFORE,
				 T_WINDOW_BEFORE + 1 };

/* Every template, principal and time; then tampering, namespaces, hashes and mutations. */
static void differential(const struct kit *k)
{
	struct strbuf allowed = STRBUF_INIT, bad = STRBUF_INIT;
	const char *ok_line = "alice@example.com KEY\n";
	size_t len = 0, goods = 0;
	unsigned char *blob;
	char *b64;

	for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
		fill(&allowed, templates[t], k);
		for (size_t p = 0; p < sizeof(principals) / sizeof(principals[0]); p++)
			for (size_t w = 0; w < sizeof(times) / sizeof(times[0]); w++)
				goods += agree(k, templates[t], allowed.buf, k->sig.buf, MESSAGE, principals[p], "revq",
					       times[w]);
	}
	assert_true(goods > 20);   /* the good cases are good, not all refused */
	fill(&allowed, ok_line, k);
	assert_int_equal(agree(k, "good", allowed.buf, k->sig.buf, MESSAGE, "alice@example.com", "revq", TL_NOW), 1);
	assert_int_equal(agree(k, "sha256", allowed.buf, k->sig256.buf, MESSAGE, "alice@example.com", "revq", TL_NOW), 1);
	agree(k, "tampered message", allowed.buf, k->sig.buf, MESSAGE "x", "alice@example.com", "revq", TL_NOW);
	agree(k, "empty message", allowed.buf, k->sig.buf, "", "alice@example.com", "revq", TL_NOW);
	agree(k, "verified as git", allowed.buf, k->sig.buf, MESSAGE, "alice@example.com", "git", TL_NOW);
	agree(k, "made for git", allowed.buf, k->sig_git.buf, MESSAGE, "alice@example.com", "revq", TL_NOW);
	agree(k, "git for git", allowed.buf, k->sig_git.buf, MESSAGE, "alice@example.com", "git", TL_NOW);
	agree(k, "at time 1", allowed.buf, k->sig.buf, MESSAGE, "alice@example.com", "revq", 1);
	/* Every byte position class of the blob, flipped; and truncations. */
	blob = sshsig_dearmor(&len, k->sig.buf, k->sig.len);
	assert_non_null(blob);
	for (size_t i = 0; i < len; i += 1 + len / 60) {
		for (int mode = 0; mode < 2; mode++) {
			size_t n = mode ? i : len;

			if (!mode)
				blob[i] ^= 0x01;
			b64 = sigparse_base64_encode(blob, n, 1);
			strbuf_reset(&bad);
			sign_armor(&bad, "ssh", b64);
			agree(k, mode ? "truncated signature" : "tampered signature", allowed.buf, bad.buf, MESSAGE,
			      "alice@example.com", "revq", TL_NOW);
			free(b64);
			if (!mode)
				blob[i] ^= 0x01;
		}
	}
	free(blob);
	strbuf_release(&allowed);
	strbuf_release(&bad);
	print_message("%s: %zu verdicts compared so far, %zu disagreements\n", k->name, compared, disagreements);
	assert_int_equal(disagreements, 0);
}

/* ---- keys and signatures by ssh-keygen ---- */

static void keygen_kit(struct kit *k, const char *name, const char *args)
{
	kit_init(k, name);
	assert_int_equal(tl_sh(k->dir, "ssh-keygen -q %s -N '' -f k && ssh-keygen -q %s -N '' -f o && "
			       "ssh-keygen -q -Y sign -n revq -f k msg && mv msg.sig s && "
			       "ssh-keygen -q -Y sign -n revq -O hashalg=sha256 -f k msg && mv msg.sig s256 && "
			       "ssh-keygen -q -Y sign -n git -f k msg && mv msg.sig sgit", args, args), 0);
	tl_sh_output(k->dir, &k->key, NULL, "cut -d' ' -f1,2 k.pub | tr -d '\\n'");
	tl_sh_output(k->dir, &k->other, NULL, "cut -d' ' -f1,2 o.pub | tr -d '\\n'");
	tl_sh_output(k->dir, &k->sig, NULL, "cat s");
	tl_sh_output(k->dir, &k->sig256, NULL, "cat s256");
	tl_sh_output(k->dir, &k->sig_git, NULL, "cat sgit");
}

static void run_keygen_kit(const char *name, const char *args)
{
	struct kit k;

	keygen_kit(&k, name, args);
	differential(&k);
	kit_release(&k);
}

static void test_ed25519_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_keygen_kit("ssh-ed25519", "-t ed25519");
}

static void test_ecdsa_nistp256_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_keygen_kit("ecdsa-sha2-nistp256", "-t ecdsa -b 256");
}

static void test_ecdsa_nistp384_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_keygen_kit("ecdsa-sha2-nistp384", "-t ecdsa -b 384");
}

static void test_ecdsa_nistp521_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_keygen_kit("ecdsa-sha2-nistp521", "-t ecdsa -b 521");
}

static void test_rsa_sha2_512_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_keygen_kit("ssh-rsa", "-t rsa -b 2048");
}

/* ---- keys and signatures built here with libcrypto ---- */

enum hand { H_RSA256, H_ED25519_SK, H_ECDSA_SK };

static void put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char be[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
				(unsigned char)v };

	strbuf_add(b, be, 4);
}

static void put_string(struct strbuf *b, const void *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	strbuf_add(b, s, n);
}

static void put_cstring(struct strbuf *b, const char *s)
{
	put_string(b, s, strlen(s));
}

static void put_mpint(struct strbuf *b, const BIGNUM *bn)
{
	unsigned char buf[1024];
	int n = BN_bn2bin(bn, buf + 1);

	buf[0] = 0;
	if (n > 0 && (buf[1] & 0x80))
		put_string(b, buf, (size_t)n + 1);
	else
		put_string(b, buf + 1, (size_t)n);
}

static void sha256(unsigned char out[32], const void *d, size_t n)
{
	unsigned len = 32;

	assert_int_equal(EVP_Digest(d, n, out, &len, EVP_sha256(), NULL), 1);
}

static EVP_PKEY *hand_key(enum hand h)
{
	return h == H_RSA256 ? EVP_RSA_gen(2048) : h == H_ED25519_SK ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")
								      : EVP_EC_gen("P-256");
}

/* The public key blob. */
static void hand_pubkey(struct strbuf *b, enum hand h, EVP_PKEY *pkey)
{
	if (h == H_RSA256) {
		BIGNUM *n = NULL, *e = NULL;

		assert_true(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n));
		assert_true(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e));
		put_cstring(b, "ssh-rsa");
		put_mpint(b, e);
		put_mpint(b, n);
		BN_free(n);
		BN_free(e);
	} else if (h == H_ED25519_SK) {
		unsigned char pk[32];
		size_t len = sizeof(pk);

		assert_true(EVP_PKEY_get_raw_public_key(pkey, pk, &len));
		put_cstring(b, "sk-ssh-ed25519@openssh.com");
		put_string(b, pk, 32);
		put_cstring(b, "ssh:");
	} else {
		unsigned char pt[65];
		size_t len = 0;

		assert_true(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &len));
		put_cstring(b, "sk-ecdsa-sha2-nistp256@openssh.com");
		put_cstring(b, "nistp256");
		put_string(b, pt, len);
		put_cstring(b, "ssh:");
	}
}

static void key_line(struct strbuf *out, enum hand h, EVP_PKEY *pkey)
{
	struct strbuf blob = STRBUF_INIT;
	char *b64;

	hand_pubkey(&blob, h, pkey);
	b64 = sigparse_base64_encode((const unsigned char *)blob.buf, blob.len, 1);
	strbuf_addf(out, "%s %s", h == H_RSA256 ? "ssh-rsa" : h == H_ED25519_SK ? "sk-ssh-ed25519@openssh.com"
							: "sk-ecdsa-sha2-nistp256@openssh.com", b64);
	free(b64);
	strbuf_release(&blob);
}

/* The signature field of the SSHSIG blob over data. */
static void hand_signature(struct strbuf *sig, enum hand h, EVP_PKEY *pkey, const struct strbuf *data,
			   unsigned flags)
{
	unsigned char out[1024], apphash[32], msghash[32], fc[5] = { (unsigned char)flags, 0, 0, 0, 7 };
	size_t len = sizeof(out);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct strbuf signed_ = STRBUF_INIT;

	sha256(apphash, "ssh:", 4);
	sha256(msghash, data->buf, data->len);
	strbuf_add(&signed_, apphash, 32);
	strbuf_add(&signed_, fc, 5);
	strbuf_add(&signed_, msghash, 32);
	if (h == H_RSA256) {
		assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey), 1);
		assert_int_equal(EVP_DigestSign(md, out, &len, (const unsigned char *)data->buf, data->len), 1);
		put_cstring(sig, "rsa-sha2-256");
		put_string(sig, out, len);
	} else if (h == H_ED25519_SK) {
		assert_int_equal(EVP_DigestSignInit(md, NULL, NULL, NULL, pkey), 1);
		assert_int_equal(EVP_DigestSign(md, out, &len, (const unsigned char *)signed_.buf, signed_.len), 1);
		put_cstring(sig, "sk-ssh-ed25519@openssh.com");
		put_string(sig, out, len);
		strbuf_add(sig, fc, 5);
	} else {
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
		unsigned char dg[32];
		const unsigned char *p = out;
		ECDSA_SIG *es;
		struct strbuf rs = STRBUF_INIT;

		sha256(dg, signed_.buf, signed_.len);
		assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
		assert_int_equal(EVP_PKEY_sign(ctx, out, &len, dg, 32), 1);
		es = d2i_ECDSA_SIG(NULL, &p, (long)len);
		assert_non_null(es);
		put_mpint(&rs, ECDSA_SIG_get0_r(es));
		put_mpint(&rs, ECDSA_SIG_get0_s(es));
		put_cstring(sig, "sk-ecdsa-sha2-nistp256@openssh.com");
		put_string(sig, rs.buf, rs.len);
		strbuf_add(sig, fc, 5);
		ECDSA_SIG_free(es);
		EVP_PKEY_CTX_free(ctx);
		strbuf_release(&rs);
	}
	EVP_MD_CTX_free(md);
	strbuf_release(&signed_);
}

/* An armoured SSHSIG of msg in ns by pkey, as ssh-keygen would write it. */
static void hand_sign(struct strbuf *armour, enum hand h, EVP_PKEY *pkey, const char *ns, const char *hashalg,
		      const char *msg, unsigned flags)
{
	struct strbuf blob = STRBUF_INIT, data = STRBUF_INIT, pub = STRBUF_INIT, sig = STRBUF_INIT;
	unsigned char hash[64];
	unsigned hl = 0;
	char *b64;

	assert_int_equal(EVP_Digest(msg, strlen(msg), hash, &hl,
				    !strcmp(hashalg, "sha256") ? EVP_sha256() : EVP_sha512(), NULL), 1);
	strbuf_add(&data, "SSHSIG", 6);
	put_cstring(&data, ns);
	put_string(&data, "", 0);
	put_cstring(&data, hashalg);
	put_string(&data, hash, hl);
	hand_pubkey(&pub, h, pkey);
	hand_signature(&sig, h, pkey, &data, flags);
	strbuf_add(&blob, "SSHSIG", 6);
	put_u32(&blob, 1);
	put_string(&blob, pub.buf, pub.len);
	put_cstring(&blob, ns);
	put_string(&blob, "", 0);
	put_cstring(&blob, hashalg);
	put_string(&blob, sig.buf, sig.len);
	b64 = sigparse_base64_encode((const unsigned char *)blob.buf, blob.len, 1);
	strbuf_reset(armour);
	sign_armor(armour, "ssh", b64);
	free(b64);
	strbuf_release(&blob);
	strbuf_release(&data);
	strbuf_release(&pub);
	strbuf_release(&sig);
}

static void run_hand_kit(const char *name, enum hand h)
{
	EVP_PKEY *key = hand_key(h), *other = hand_key(h);
	struct strbuf no_up = STRBUF_INIT, allowed = STRBUF_INIT;
	struct sshsig_details d;
	struct kit k;
	size_t len = 0;
	unsigned char *blob;

	assert_non_null(key);
	assert_non_null(other);
	kit_init(&k, name);
	key_line(&k.key, h, key);
	key_line(&k.other, h, other);
	hand_sign(&k.sig, h, key, "revq", "sha512", MESSAGE, 0x01);
	hand_sign(&k.sig256, h, key, "revq", "sha256", MESSAGE, 0x01);
	hand_sign(&k.sig_git, h, key, "git", "sha512", MESSAGE, 0x01);
	differential(&k);
	if (h != H_RSA256) {
		/* The FIDO fields are read; ssh-keygen -Y verify ignores the flags, and so does sshsig_verify() */
		blob = sshsig_dearmor(&len, k.sig.buf, k.sig.len);
		assert_int_equal(sshsig_check(blob, len, "revq", MESSAGE, strlen(MESSAGE), &d), SSHSIG_GOOD);
		assert_true(d.sk);
		assert_int_equal(d.flags, 0x01);
		assert_int_equal(d.counter, 7);
		free(blob);
		hand_sign(&no_up, h, key, "revq", "sha512", MESSAGE, 0x00);
		fill(&allowed, "alice@example.com KEY\n", &k);
		agree(&k, "no user presence", allowed.buf, no_up.buf, MESSAGE, "alice@example.com", "revq", TL_NOW);
		blob = sshsig_dearmor(&len, no_up.buf, no_up.len);
		assert_int_equal(sshsig_check(blob, len, "revq", MESSAGE, strlen(MESSAGE), &d), SSHSIG_GOOD);
		assert_int_equal(d.flags, 0x00);
		free(blob);
		assert_int_equal(disagreements, 0);
	}
	strbuf_release(&no_up);
	strbuf_release(&allowed);
	kit_release(&k);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

static void test_rsa_sha2_256_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_hand_kit("rsa-sha2-256", H_RSA256);
}

static void test_sk_ed25519_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_hand_kit("sk-ssh-ed25519", H_ED25519_SK);
}

static void test_sk_ecdsa_agrees_with_ssh_keygen(void **state)
{
	(void)state;
	run_hand_kit("sk-ecdsa-sha2-nistp256", H_ECDSA_SK);
}

/* What revq does not port is left to ssh-keygen, never judged here: a certificate's signature. */
static void test_a_certificates_signature_is_left_to_ssh_keygen(void **state)
{
	const char *dir = tl_tmpdir();
	struct strbuf sig = STRBUF_INIT;
	size_t len = 0;
	unsigned char *blob;

	(void)state;
	tl_write(dir, "msg", MESSAGE);
	assert_int_equal(tl_sh(dir, "ssh-keygen -q -t ed25519 -N '' -f ca && ssh-keygen -q -t ed25519 -N '' -f u && "
			       "ssh-keygen -q -s ca -I id -n alice@example.com u.pub && "
			       "ssh-keygen -q -Y sign -n revq -f u-cert.pub msg"), 0);
	tl_sh_output(dir, &sig, NULL, "cat msg.sig");
	blob = sshsig_dearmor(&len, sig.buf, sig.len);
	assert_non_null(blob);
	assert_int_equal(sshsig_check(blob, len, "revq", MESSAGE, strlen(MESSAGE), NULL), SSHSIG_FALLBACK);
	assert_int_equal(sshsig_verify("alice@example.com cert-authority x\n", blob, len, "alice@example.com",
				       "revq", MESSAGE, strlen(MESSAGE), TL_NOW, NULL), SSHSIG_FALLBACK);
	free(blob);
	strbuf_release(&sig);
}

/* verify_record() of a record signed by a hand-built FIDO key with these flags, on one path. */
static enum sig_status fido_record(enum hand h, EVP_PKEY *key, unsigned flags, int in_process, const char **verifier)
{
	struct strbuf payload = STRBUF_INIT, armour = STRBUF_INIT, allowed = STRBUF_INIT;
	struct record r = RECORD_INIT;
	struct verifier v;
	struct sig_identity id;
	enum sig_status st;
	unsigned char *blob;
	size_t len = 0;

	r.reviewer_name = xstrdup("Alice");
	r.reviewer_email = xstrdup("alice@example.com");
	r.time = TL_NOW - 60;
	r.comment = xstrdup("looked at it");
	r.sig_format = xstrdup("ssh");
	record_payload(&payload, &r);
	hand_sign(&armour, h, key, "revq", "sha512", payload.buf, flags);
	blob = sshsig_dearmor(&len, armour.buf, armour.len);
	assert_non_null(blob);
	r.sig = sigparse_base64_encode(blob, len, 1);
	strbuf_addstr(&allowed, "alice@example.com ");
	key_line(&allowed, h, key);
	strbuf_addch(&allowed, '\n');
	memset(&v, 0, sizeof(v));
	v.allowed_signers = allowed.buf;
	v.allowed_origin = "test";
	v.ssh_program = "ssh-keygen";
	v.gpg_program = "gpg";
	v.timeout_ms = 30000;
	v.ssh_in_process = in_process;
	st = verify_record(&id, &v, &r, TL_NOW);
	*verifier = id.verifier;
	sig_identity_release(&id);
	free(blob);
	record_release(&r);
	strbuf_release(&payload);
	strbuf_release(&armour);
	strbuf_release(&allowed);
	return st;
}

/*
 * A FIDO signature whose authenticator did not see a user (flag 0x01
 * clear) does not count, in-process or through ssh-keygen (which alone
 * would accept it); the same signature with the flag set counts.
 */
static void test_a_fido_signature_without_user_presence_does_not_count(void **state)
{
	static const enum hand kinds[] = { H_ED25519_SK, H_ECDSA_SK };
	const char *verifier;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		EVP_PKEY *key = hand_key(kinds[i]);

		for (int path = 0; path < 2; path++) {
			const char *want = path ? "in-process" : "ssh-keygen";

			assert_int_equal(fido_record(kinds[i], key, 0x01, path, &verifier), SIG_GOOD);
			assert_string_equal(verifier, want);
			assert_int_equal(fido_record(kinds[i], key, 0x05, path, &verifier), SIG_GOOD);
			assert_int_equal(fido_record(kinds[i], key, 0x00, path, &verifier), SIG_BAD);
			assert_int_equal(fido_record(kinds[i], key, 0x04, path, &verifier), SIG_BAD);
		}
		EVP_PKEY_free(key);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ed25519_agrees_with_ssh_keygen),
		cmocka_unit_test(test_ecdsa_nistp256_agrees_with_ssh_keygen),
		cmocka_unit_test(test_ecdsa_nistp384_agrees_with_ssh_keygen),
		cmocka_unit_test(test_ecdsa_nistp521_agrees_with_ssh_keygen),
		cmocka_unit_test(test_rsa_sha2_512_agrees_with_ssh_keygen),
		cmocka_unit_test(test_rsa_sha2_256_agrees_with_ssh_keygen),
		cmocka_unit_test(test_sk_ed25519_agrees_with_ssh_keygen),
		cmocka_unit_test(test_sk_ecdsa_agrees_with_ssh_keygen),
		cmocka_unit_test(test_a_certificates_signature_is_left_to_ssh_keygen),
		cmocka_unit_test(test_a_fido_signature_without_user_presence_does_not_count),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
