/*
 * sshsig.c: SSHSIG verification in-process (sshsig.h), ported from
 * OpenSSH 9.2: every length, type name and trailing byte that makes
 * ssh-keygen refuse a blob makes this code refuse it too.  Every input
 * may come from an attacker (a record's signature, an allowed signers
 * line); nothing here trusts a length it has not checked.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "base/strbuf.h"
#include "sign/sigparse.h"
#include "sign/sshsig.h"

#define MAX_BIGNUM 2048        /* SSHBUF_MAX_BIGNUM: 16384 bits */
#define MAX_ECPOINT 133        /* SSHBUF_MAX_ECPOINT */
#define RSA_MIN_BITS 1024      /* SSH_RSA_MINIMUM_MODULUS_SIZE */
#define ED25519_BYTES 64

/* ---- reading ssh wire data (sshbuf) ---- */

static int rd_u8(struct ssh_reader *r, unsigned *v)
{
	if (r->left < 1)
		return 0;
	*v = r->p[0];
	r->p++;
	r->left--;
	return 1;
}

/* sshbuf_get_cstring(): a NUL is allowed only as the last byte.  Caller frees. */
static char *rd_cstring(struct ssh_reader *r)
{
	const unsigned char *s, *z;
	size_t n;

	if (!ssh_read_string(r, &s, &n))
		return NULL;
	if (n && (z = memchr(s, '\0', n)) && z < s + n - 1)
		return NULL;
	return xstrndup((const char *)s, n);
}

/* sshbuf_get_bignum2_bytes_direct(): not negative, not too long, leading zeros trimmed. */
static int rd_bignum(struct ssh_reader *r, const unsigned char **d, size_t *len)
{
	if (!ssh_read_string(r, d, len))
		return 0;
	if (*len && (**d & 0x80))
		return 0;
	if (*len > MAX_BIGNUM + 1 || (*len == MAX_BIGNUM + 1 && **d))
		return 0;
	while (*len && !**d)
		(*d)++, (*len)--;
	return 1;
}

/* ---- keys ---- */

enum kind { K_NONE, K_ED25519, K_ECDSA, K_RSA, K_ED25519_SK, K_ECDSA_SK };

/* A plain public key, in the parts sshkey_equal() compares. */
struct key {
	enum kind kind;
	int nid;                  /* ECDSA: the curve */
	const unsigned char *a;   /* not owned (points into the blob): Ed25519 key, EC point, RSA e */
	size_t a_len;
	const unsigned char *n;   /* not owned: RSA modulus */
	size_t n_len;
	char *application;        /* owned: sk- keys' application string */
};

static void key_release(struct key *k)
{
	free(k->application);
	memset(k, 0, sizeof(*k));
}

enum parsed { P_OK, P_BAD, P_FALLBACK };

static const struct {
	const char *name;
	enum kind kind;
	int nid;
} key_names[] = {
	{ "ssh-ed25519", K_ED25519, 0 },
	{ "ecdsa-sha2-nistp256", K_ECDSA, NID_X9_62_prime256v1 },
	{ "ecdsa-sha2-nistp384", K_ECDSA, NID_secp384r1 },
	{ "ecdsa-sha2-nistp521", K_ECDSA, NID_secp521r1 },
	{ "ssh-rsa", K_RSA, 0 },
	{ "rsa-sha2-256", K_RSA, 0 },
	{ "rsa-sha2-512", K_RSA, 0 },
	{ "sk-ssh-ed25519@openssh.com", K_ED25519_SK, 0 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", K_ECDSA_SK, NID_X9_62_prime256v1 },
	{ "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", K_ECDSA_SK, NID_X9_62_prime256v1 },
};

/* ssh's key types that revq does not port: their keys are ssh-keygen's to judge. */
static int unported_type(const char *name)
{
	static const char *const names[] = { "ssh-dss", "DSA", "ssh-xmss@openssh.com", "XMSS", NULL };
	size_t n = strlen(name);

	for (size_t i = 0; names[i]; i++)
		if (!strcasecmp(name, names[i]))
			return 1;
	return n > 21 && !strcmp(name + n - 21, "-cert-v01@openssh.com");
}

/*
 * sshkey_type_from_name(): a full name, or a plain type's short name
 * case-insensitively (ED25519, RSA, ED25519-SK; ECDSA's short names
 * carry no curve, so ssh then refuses the key).  *nid: the curve the
 * name implies, -1 for none.
 */
static enum kind kind_of(const char *name, int *nid)
{
	static const struct { const char *shortname; enum kind kind; } shorts[] = {
		{ "ED25519", K_ED25519 }, { "RSA", K_RSA }, { "ED25519-SK", K_ED25519_SK },
		{ "ECDSA", K_ECDSA }, { "ECDSA-SK", K_ECDSA_SK },
	};

	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcmp(name, key_names[i].name)) {
			*nid = key_names[i].nid ? key_names[i].nid : -1;
			return key_names[i].kind;
		}
	*nid = -1;
	for (size_t i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		if (!strcasecmp(name, shorts[i].shortname))
			return shorts[i].kind;
	return K_NONE;
}

static int curve_nid(const char *curve)
{
	if (!strcmp(curve, "nistp256"))
		return NID_X9_62_prime256v1;
	if (!strcmp(curve, "nistp384"))
		return NID_secp384r1;
	if (!strcmp(curve, "nistp521"))
		return NID_secp521r1;
	return -1;
}

static const char *group_name(int nid)
{
	return nid == NID_secp384r1 ? "secp384r1" : nid == NID_secp521r1 ? "secp521r1" : "prime256v1";
}

/* sshkey_ec_validate_public(), after EC_POINT_oct2point()'s own check that the point is on the curve. */
static int ec_point_valid(int nid, const unsigned char *pt, size_t len)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
	EC_POINT *p = g ? EC_POINT_new(g) : NULL, *nq = g ? EC_POINT_new(g) : NULL;
	BIGNUM *x = BN_new(), *y = BN_new(), *tmp = BN_new();
	const BIGNUM *order = g ? EC_GROUP_get0_order(g) : NULL;
	int ok = 0;

	if (!p || !nq || !x || !y || !tmp || !order)
		goto out;
	if (len == 0 || len > MAX_ECPOINT || pt[0] != POINT_CONVERSION_UNCOMPRESSED ||
	    EC_POINT_oct2point(g, p, pt, len, NULL) != 1)
		goto out;
	if (EC_POINT_is_at_infinity(g, p) || EC_POINT_get_affine_coordinates(g, p, x, y, NULL) != 1)
		goto out;
	if (BN_num_bits(x) <= BN_num_bits(order) / 2 || BN_num_bits(y) <= BN_num_bits(order) / 2)
		goto out;
	if (EC_POINT_mul(g, nq, NULL, p, order, NULL) != 1 || EC_POINT_is_at_infinity(g, nq) != 1)
		goto out;
	if (!BN_sub(tmp, order, BN_value_one()) || BN_cmp(x, tmp) >= 0 || BN_cmp(y, tmp) >= 0)
		goto out;
	ok = 1;
out:
	BN_free(x);
	BN_free(y);
	BN_free(tmp);
	EC_POINT_free(p);
	EC_POINT_free(nq);
	EC_GROUP_free(g);
	return ok;
}

/* BN_num_bits() of a big-endian number without leading zeros. */
static size_t bits_of(const unsigned char *d, size_t len)
{
	size_t bits = len * 8;

	if (!len)
		return 0;
	for (unsigned c = d[0]; !(c & 0x80); c <<= 1)
		bits--;
	return bits;
}

/* The public parts after the type name (the deserialize_public functions). */
static int key_parts(struct key *k, struct ssh_reader *r, int nid)
{
	size_t n;
	char *curve;

	switch (k->kind) {
	case K_ED25519:
	case K_ED25519_SK:
		if (!ssh_read_string(r, &k->a, &k->a_len) || k->a_len != 32)
			return 0;
		break;
	case K_ECDSA:
	case K_ECDSA_SK:
		/* sshkey_ecdsa_nid_from_name(): the full type name must carry the curve */
		if ((k->nid = nid) < 0 || !(curve = rd_cstring(r)))
			return 0;
		n = curve_nid(curve) == k->nid;
		free(curve);
		if (!n || !ssh_read_string(r, &k->a, &k->a_len) || !ec_point_valid(k->nid, k->a, k->a_len))
			return 0;
		break;
	case K_RSA:
		if (!rd_bignum(r, &k->a, &k->a_len) || !rd_bignum(r, &k->n, &k->n_len))
			return 0;
		if (bits_of(k->n, k->n_len) < RSA_MIN_BITS)
			return 0;
		break;
	default:
		return 0;
	}
	if (k->kind == K_ED25519_SK || k->kind == K_ECDSA_SK)
		return (k->application = rd_cstring(r)) != NULL;
	return 1;
}

/* sshkey_from_blob(): a whole blob, nothing after the key. */
static enum parsed key_from_blob(struct key *k, const unsigned char *blob, size_t len)
{
	struct ssh_reader r = { blob, len };
	char *type = rd_cstring(&r);
	enum parsed p = P_BAD;
	int nid;

	memset(k, 0, sizeof(*k));
	if (!type)
		return P_BAD;
	if (unported_type(type)) {
		free(type);
		return P_FALLBACK;
	}
	k->kind = kind_of(type, &nid);
	if (k->kind != K_NONE && key_parts(k, &r, nid) && !r.left)
		p = P_OK;
	free(type);
	if (p != P_OK)
		key_release(k);
	return p;
}

/* sshkey_equal() of two plain keys. */
static int key_equal(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind || a->nid != b->nid || a->a_len != b->a_len || memcmp(a->a, b->a, a->a_len))
		return 0;
	if (a->kind == K_RSA && (a->n_len != b->n_len || memcmp(a->n, b->n, a->n_len)))
		return 0;
	if (a->application && strcmp(a->application, b->application))
		return 0;
	return 1;
}

/* ---- libcrypto ---- */

static int digest(const char *md, const void *data, size_t len, unsigned char *out, unsigned *out_len)
{
	return EVP_Digest(data, len, out, out_len, EVP_get_digestbyname(md), NULL) == 1;
}

static int ed25519_verify(const unsigned char pk[32], const unsigned char *sig, const unsigned char *m,
			  size_t mlen)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = pkey && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
		 EVP_DigestVerify(ctx, sig, ED25519_BYTES, m, mlen) == 1;

	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* ECDSA_do_verify() of (r, s) over a digest. */
static int ecdsa_verify(const struct key *k, const unsigned char *r, size_t rlen, const unsigned char *s,
			size_t slen, const unsigned char *dgst, size_t dlen)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br = BN_bin2bn(r, (int)rlen, NULL), *bs = BN_bin2bn(s, (int)slen, NULL);
	unsigned char *der = NULL;
	int derlen, ok = 0;

	if (!bld || !sig || !br || !bs ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name(k->nid), 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->a, k->a_len) ||
	    !(pkey = pkey_fromdata("EC", bld)) || !ECDSA_SIG_set0(sig, br, bs)) {
		BN_free(br);
		BN_free(bs);
		goto out;
	}
	if ((derlen = i2d_ECDSA_SIG(sig, &der)) <= 0 || !(ctx = EVP_PKEY_CTX_new(pkey, NULL)))
		goto out;
	ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_verify(ctx, der, (size_t)derlen, dgst, dlen) == 1;
out:
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	ECDSA_SIG_free(sig);
	OSSL_PARAM_BLD_free(bld);
	return ok;
}

/* RSA_public_decrypt() with PKCS#1 padding: the DigestInfo; *out_len 0 when it fails. */
static void rsa_recover(const struct key *k, const unsigned char *sig, size_t len, unsigned char *out,
			size_t *out_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(k->n, (int)k->n_len, NULL), *e = BN_bin2bn(k->a, (int)k->a_len, NULL);
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t cap = *out_len;

	*out_len = 0;
	if (!bld || !n || !e || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) || !(pkey = pkey_fromdata("RSA", bld)) ||
	    !(ctx = EVP_PKEY_CTX_new(pkey, NULL)) || EVP_PKEY_verify_recover_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_verify_recover(ctx, out, &cap, sig, len) != 1)
		cap = 0;
	*out_len = cap;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	BN_free(n);
	BN_free(e);
	OSSL_PARAM_BLD_free(bld);
}

/* ---- signatures (ssh_*_verify) ---- */

static int verify_ed25519(const struct key *k, struct ssh_reader *r, const unsigned char *data, size_t dlen,
			  struct sshsig_details *d)
{
	const unsigned char *sig;
	size_t len;
	unsigned flags = 0;
	uint32_t counter = 0;
	struct strbuf sm = STRBUF_INIT;
	unsigned char apphash[32], msghash[32];
	unsigned hl;
	char *type = rd_cstring(r);
	int sk = k->kind == K_ED25519_SK, ok = 0;

	if (!type || !ssh_read_string(r, &sig, &len) || (sk && (!rd_u8(r, &flags) || !ssh_read_u32(r, &counter))))
		goto out;
	if (strcmp(type, sk ? "sk-ssh-ed25519@openssh.com" : "ssh-ed25519") || r->left || len > ED25519_BYTES)
		goto out;
	/* crypto_sign_ed25519_open() of sig || signed data: a short sig borrows from what follows */
	strbuf_add(&sm, sig, len);
	if (sk) {
		unsigned char fc[5] = { (unsigned char)flags, (unsigned char)(counter >> 24),
					(unsigned char)(counter >> 16), (unsigned char)(counter >> 8),
					(unsigned char)counter };

		if (!digest("SHA256", k->application, strlen(k->application), apphash, &hl) ||
		    !digest("SHA256", data, dlen, msghash, &hl))
			goto out;
		strbuf_add(&sm, apphash, 32);
		strbuf_add(&sm, fc, 5);
		strbuf_add(&sm, msghash, 32);
		d->sk = 1, d->flags = flags, d->counter = counter;
	} else {
		strbuf_add(&sm, data, dlen);
	}
	ok = sm.len >= ED25519_BYTES &&
	     ed25519_verify(k->a, (const unsigned char *)sm.buf, (const unsigned char *)sm.buf + ED25519_BYTES,
			    sm.len - ED25519_BYTES);
out:
	strbuf_release(&sm);
	free(type);
	return ok;
}

static enum parsed verify_ecdsa(const struct key *k, struct ssh_reader *r, const unsigned char *data, size_t dlen,
				struct sshsig_details *d)
{
	const unsigned char *sb, *rr, *ss;
	size_t sblen, rl, sl;
	unsigned flags = 0, hl = 0;
	uint32_t counter = 0;
	unsigned char dg[64], apphash[32], signed_[32 + 5 + 32];
	char *type = rd_cstring(r);
	const char *want = k->kind == K_ECDSA_SK ? "sk-ecdsa-sha2-nistp256@openssh.com"
			 : k->nid == NID_secp384r1 ? "ecdsa-sha2-nistp384"
			 : k->nid == NID_secp521r1 ? "ecdsa-sha2-nistp521" : "ecdsa-sha2-nistp256";
	enum parsed p = P_BAD;
	struct ssh_reader in;

	if (!type)
		goto out;
	if (k->kind == K_ECDSA_SK && !strcmp(type, "webauthn-sk-ecdsa-sha2-nistp256@openssh.com")) {
		p = P_FALLBACK;
		goto out;
	}
	if (strcmp(type, want) || !ssh_read_string(r, &sb, &sblen))
		goto out;
	if (k->kind == K_ECDSA_SK && (!rd_u8(r, &flags) || !ssh_read_u32(r, &counter)))
		goto out;
	in = (struct ssh_reader){ sb, sblen };
	if (r->left || !rd_bignum(&in, &rr, &rl) || !rd_bignum(&in, &ss, &sl) || in.left)
		goto out;
	if (k->kind == K_ECDSA_SK) {
		if (!digest("SHA256", data, dlen, signed_ + 37, &hl) ||
		    !digest("SHA256", k->application, strlen(k->application), apphash, &hl))
			goto out;
		memcpy(signed_, apphash, 32);
		signed_[32] = (unsigned char)flags;
		signed_[33] = (unsigned char)(counter >> 24);
		signed_[34] = (unsigned char)(counter >> 16);
		signed_[35] = (unsigned char)(counter >> 8);
		signed_[36] = (unsigned char)counter;
		if (!digest("SHA256", signed_, sizeof(signed_), dg, &hl))
			goto out;
		d->sk = 1, d->flags = flags, d->counter = counter;
	} else if (!digest(k->nid == NID_secp384r1 ? "SHA384" : k->nid == NID_secp521r1 ? "SHA512" : "SHA256",
			   data, dlen, dg, &hl)) {
		goto out;
	}
	if (ecdsa_verify(k, rr, rl, ss, sl, dg, hl))
		p = P_OK;
out:
	free(type);
	return p;
}

static int verify_rsa(const struct key *k, struct ssh_reader *r, const unsigned char *data, size_t dlen)
{
	static const unsigned char sha256_prefix[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
						       0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
	static const unsigned char sha512_prefix[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
						       0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 };
	const unsigned char *sig, *prefix;
	unsigned char *padded = NULL, *dec = NULL, dg[64];
	size_t len, modlen = k->n_len, declen = k->n_len;
	unsigned hl;
	char *type = rd_cstring(r);
	int sha512, ok = 0;

	/* sshsig allows rsa-sha2-512 and rsa-sha2-256 only (never SHA-1 ssh-rsa) */
	if (!type || (strcmp(type, "rsa-sha2-256") && strcmp(type, "rsa-sha2-512")))
		goto out;
	sha512 = !strcmp(type, "rsa-sha2-512");
	prefix = sha512 ? sha512_prefix : sha256_prefix;
	if (!ssh_read_string(r, &sig, &len) || r->left || len > modlen || !len)
		goto out;
	padded = xcalloc(1, modlen);
	memcpy(padded + modlen - len, sig, len);
	dec = xmalloc(modlen);
	if (!digest(sha512 ? "SHA512" : "SHA256", data, dlen, dg, &hl))
		goto out;
	rsa_recover(k, padded, modlen, dec, &declen);
	ok = declen == sizeof(sha256_prefix) + hl && !memcmp(dec, prefix, sizeof(sha256_prefix)) &&
	     !memcmp(dec + sizeof(sha256_prefix), dg, hl);
out:
	free(padded);
	free(dec);
	free(type);
	return ok;
}

/* sshkey_verify() of sig over data by k. */
static enum parsed verify_sig(const struct key *k, const unsigned char *sig, size_t len,
			      const unsigned char *data, size_t dlen, struct sshsig_details *d)
{
	struct ssh_reader r = { sig, len };

	if (!len)
		return P_BAD;
	switch (k->kind) {
	case K_ED25519:
	case K_ED25519_SK:
		return verify_ed25519(k, &r, data, dlen, d) ? P_OK : P_BAD;
	case K_ECDSA:
	case K_ECDSA_SK:
		return verify_ecdsa(k, &r, data, dlen, d);
	case K_RSA:
		return verify_rsa(k, &r, data, dlen) ? P_OK : P_BAD;
	default:
		return P_BAD;
	}
}

/* ---- SSHSIG (sshsig_verify_fd, sshsig_wrap_verify) ---- */

unsigned char *sshsig_dearmor(size_t *out_len, const char *armored, size_t len)
{
	static const char begin[] = "-----BEGIN SSH SIGNATURE-----\n";
	static const char end[] = "\n-----END SSH SIGNATURE-----";
	const char *body, *stop;
	char *b64;
	unsigned char *blob;

	if (len < sizeof(begin) - 1 || memcmp(armored, begin, sizeof(begin) - 1))
		return NULL;
	body = armored + sizeof(begin) - 1;
	if (!(stop = memmem(body, len - (size_t)(body - armored), end, sizeof(end) - 1)))
		return NULL;
	b64 = xstrndup(body, (size_t)(stop - body));   /* sshbuf_dup_string(): stops at a NUL */
	blob = *b64 ? ssh_base64_decode(out_len, b64) : NULL;
	free(b64);
	return blob;
}

static enum sshsig_verdict verdict_of(enum parsed p)
{
	return p == P_OK ? SSHSIG_GOOD : p == P_FALLBACK ? SSHSIG_FALLBACK : SSHSIG_BAD;
}

/* The signature's key and whether the blob signs msg in ns (the part before the allowed signers). */
static enum parsed check_blob(struct key *k, const unsigned char *blob, size_t len, const char *ns,
			      const void *msg, size_t msg_len, struct sshsig_details *d)
{
	struct ssh_reader r = { blob, len };
	const unsigned char *key, *reserved, *sig;
	size_t klen, rlen, slen;
	uint32_t version;
	char *got_ns = NULL, *hashalg = NULL;
	unsigned char h[64];
	unsigned hl;
	struct strbuf tv = STRBUF_INIT;
	enum parsed p = P_BAD;

	memset(k, 0, sizeof(*k));
	if (len < 6 || memcmp(blob, "SSHSIG", 6))
		return P_BAD;
	r.p += 6, r.left -= 6;
	if (!ssh_read_u32(&r, &version) || version > 1 || !ssh_read_string(&r, &key, &klen) || !(got_ns = rd_cstring(&r)) ||
	    !ssh_read_string(&r, &reserved, &rlen) || !(hashalg = rd_cstring(&r)) || !ssh_read_string(&r, &sig, &slen))
		goto out;
	/* hash_buffer() refuses other algorithms before looking at the key */
	if (strcmp(hashalg, "sha256") && strcmp(hashalg, "sha512"))
		goto out;
	if ((p = key_from_blob(k, key, klen)) != P_OK)
		goto out;
	p = P_BAD;
	if (r.left || strcmp(ns, got_ns))
		goto out;
	if (!digest(!strcmp(hashalg, "sha256") ? "SHA256" : "SHA512", msg, msg_len, h, &hl))
		goto out;
	/* what was signed: "SSHSIG", the expected namespace, an empty reserved field, the algorithm, H(msg) */
	strbuf_add(&tv, "SSHSIG", 6);
	{
		const char *parts[2] = { ns, hashalg };

		for (int i = 0; i < 3; i++) {
			const char *s = i == 0 ? parts[0] : i == 1 ? "" : parts[1];
			uint32_t n = (uint32_t)strlen(s);
			unsigned char be[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
						(unsigned char)(n >> 8), (unsigned char)n };

			strbuf_add(&tv, be, 4);
			strbuf_add(&tv, s, n);
		}
	}
	{
		unsigned char be[4] = { 0, 0, 0, (unsigned char)hl };

		strbuf_add(&tv, be, 4);
		strbuf_add(&tv, h, hl);
	}
	p = verify_sig(k, sig, slen, (const unsigned char *)tv.buf, tv.len, d);
out:
	if (p != P_OK)
		key_release(k);
	strbuf_release(&tv);
	free(got_ns);
	free(hashalg);
	return p;
}

enum sshsig_verdict sshsig_check(const unsigned char *blob, size_t len, const char *ns, const void *msg,
				 size_t msg_len, struct sshsig_details *details)
{
	return sshsig_verify(NULL, blob, len, NULL, ns, msg, msg_len, 0, details);
}

/* ---- allowed signers (sshsig_check_allowed_keys) ---- */

/*
 * sshkey_read(): "TYPE BASE64" at *cpp into k (pointing into *blob,
 * which the caller frees); *cpp moves past it.  P_FALLBACK for a key
 * revq does not port, which can never equal a ported signing key.
 */
static enum parsed read_key_text(struct key *k, unsigned char **blob, char **cpp)
{
	char *cp = *cpp, *b64;
	size_t space = strcspn(cp, " \t"), blen;
	char type[64];
	int nid, tnid;
	enum kind kind;
	enum parsed p;

	*blob = NULL;
	if (space == strlen(cp) || space >= sizeof(type))
		return P_BAD;
	memcpy(type, cp, space);
	type[space] = '\0';
	kind = kind_of(type, &tnid);
	if (unported_type(type))
		return P_FALLBACK;
	if (kind == K_NONE || (tnid < 0 && strcmp(type, "ssh-ed25519") && strcmp(type, "ssh-rsa") &&
			       strcmp(type, "rsa-sha2-256") && strcmp(type, "rsa-sha2-512") &&
			       strcmp(type, "sk-ssh-ed25519@openssh.com")))
		return P_BAD;   /* peek_type_nid(): full names only */
	for (cp += space; *cp == ' ' || *cp == '\t'; cp++)
		;
	if (!*cp)
		return P_BAD;
	space = strcspn(cp, " \t");
	b64 = xstrndup(cp, space);
	*blob = ssh_base64_decode(&blen, b64);
	free(b64);
	if (!*blob || !blen)
		return P_BAD;
	if ((p = key_from_blob(k, *blob, blen)) != P_OK)
		return p;
	nid = k->nid ? k->nid : -1;
	if (k->kind != kind || ((kind == K_ECDSA || kind == K_ECDSA_SK) && nid != tnid)) {
		key_release(k);
		return P_BAD;
	}
	for (cp += space; *cp == ' ' || *cp == '\t'; cp++)
		;
	*cpp = cp;
	return P_OK;
}

/* check_allowed_keys_line(): does this line let sign_key sign for principal in ns at time at? */
static enum parsed check_line(char *line, const struct key *sign_key, const char *principal, const char *ns,
			      int64_t at)
{
	char *cp = line + strspn(line, " \t"), *principals, *opts = NULL;
	unsigned char *blob = NULL;
	struct ssh_sigopts o = { 0 };
	struct key k = { 0 };
	enum parsed p, result = P_BAD;

	if (*cp == '#' || !*cp)
		return P_BAD;
	if (!(principals = ssh_strdelimw(&cp)) || !cp)
		return P_BAD;
	if (ssh_match_pattern_list(principal, principals) != 1)
		return P_BAD;
	if ((p = read_key_text(&k, &blob, &cp)) != P_OK) {
		free(blob);
		blob = NULL;
		if (p == P_FALLBACK)
			return P_BAD;   /* an unported key (DSA, a certificate) never equals a ported one */
		opts = cp;
		if (!(cp = ssh_skip_options(cp)) || !*cp)
			return P_BAD;
		*cp++ = '\0';
		while (*cp == ' ' || *cp == '\t')
			cp++;
		if ((p = read_key_text(&k, &blob, &cp)) != P_OK)
			goto out;
	}
	if (ssh_sigopts_parse(&o, opts))
		goto out;
	if (o.ca) {
		/* cert-authority lines name certificates' signers, never a plain key */
		goto out;
	}
	if (!key_equal(&k, sign_key))
		goto out;
	if (o.namespaces && ssh_match_pattern_list(ns, o.namespaces) != 1)
		goto out;
	if ((o.valid_after && at < o.valid_after) || (o.valid_before && at > o.valid_before))
		goto out;
	result = P_OK;
out:
	ssh_sigopts_release(&o);
	key_release(&k);
	free(blob);
	return result;
}

static enum parsed check_allowed(const char *allowed, const struct key *sign_key, const char *principal,
				 const char *ns, int64_t at)
{
	const char *p = allowed;

	/* getline(): each line with its newline; a line that ssh cannot read is skipped */
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		char *line = xstrndup(p, n);
		enum parsed r = check_line(line, sign_key, principal, ns, at);

		free(line);
		if (r == P_OK)
			return P_OK;
		p += n;
	}
	return P_BAD;
}

enum sshsig_verdict sshsig_verify(const char *allowed, const unsigned char *blob, size_t len,
				  const char *principal, const char *ns, const void *msg, size_t msg_len,
				  int64_t at, struct sshsig_details *details)
{
	struct sshsig_details dummy;
	struct key k;
	enum parsed p;

	memset(details ? details : &dummy, 0, sizeof(dummy));
	p = check_blob(&k, blob, len, ns, msg, msg_len, details ? details : &dummy);
	/* -Overify-time=YYYYMMDDHHMMSSZ: ssh-keygen refuses 0 and a five-digit year */
	if (p == P_OK && principal && (at <= 0 || at >= 253402300800LL))
		p = P_BAD;
	if (p == P_OK && principal)
		p = check_allowed(allowed ? allowed : "", &k, principal, ns, at);
	key_release(&k);
	return verdict_of(p);
}
