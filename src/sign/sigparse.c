/*
 * sigparse.c: parsers for what gpg and ssh signatures say (sigparse.h).
 * Every input here may come from an attacker: a user id, a signature
 * blob, an allowed signers line.  Nothing is searched for inside a line;
 * fields are split and compared whole.
 */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/error.h"
#include "sign/sigparse.h"
#include "base/strbuf.h"

/* ---- small helpers ---- */

/* Splits line[0..len) at sep into at most max fields; returns how many. */
static size_t split_fields(const char **start, size_t *flen, size_t max, const char *line, size_t len,
			   char sep)
{
	size_t n = 0;
	const char *p = line, *end = line + len;

	while (n < max) {
		const char *q = memchr(p, sep, (size_t)(end - p));

		start[n] = p;
		flen[n] = q ? (size_t)(q - p) : (size_t)(end - p);
		n++;
		if (!q)
			break;
		p = q + 1;
	}
	return n;
}

/* Bytes before the first sep in p[0..len) (len when there is none). */
static size_t span_to(const char *p, size_t len, char sep)
{
	const char *q = memchr(p, sep, len);

	return q ? (size_t)(q - p) : len;
}

static int field_is(const char *f, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(f, want, len);
}

/* Copies a fingerprint of 40 or 64 hex digits, upper-cased; 0 if it is not one. */
static int copy_fpr(char out[SIGPARSE_FPR_MAX + 1], const char *f, size_t len)
{
	if (len != 40 && len != 64)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)f[i]))
			return 0;
		out[i] = (char)toupper((unsigned char)f[i]);
	}
	out[len] = '\0';
	return 1;
}

/* A non-negative decimal number that fills the field; -1 otherwise. */
static int64_t field_number(const char *f, size_t len)
{
	int64_t v = 0;

	if (!len || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (f[i] < '0' || f[i] > '9')
			return -1;
		v = v * 10 + (f[i] - '0');
	}
	return v;
}

/* ---- gpg --status-fd ---- */

enum gpg_keyword {
	KW_OTHER, KW_NEWSIG, KW_GOODSIG, KW_BADSIG, KW_EXPSIG, KW_EXPKEYSIG, KW_REVKEYSIG, KW_ERRSIG,
	KW_VALIDSIG, KW_NO_PUBKEY, KW_TRUST, KW_COUNT
};

static enum gpg_keyword keyword_of(const char *k, size_t len, int *trust)
{
	static const char *const trusts[] = { "TRUST_NEVER", "TRUST_UNDEFINED", "TRUST_MARGINAL",
					      "TRUST_FULLY", "TRUST_ULTIMATE" };
	static const struct { const char *name; enum gpg_keyword kw; } words[] = {
		{ "NEWSIG", KW_NEWSIG }, { "GOODSIG", KW_GOODSIG }, { "BADSIG", KW_BADSIG },
		{ "EXPSIG", KW_EXPSIG }, { "EXPKEYSIG", KW_EXPKEYSIG }, { "REVKEYSIG", KW_REVKEYSIG },
		{ "ERRSIG", KW_ERRSIG }, { "VALIDSIG", KW_VALIDSIG }, { "NO_PUBKEY", KW_NO_PUBKEY },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (field_is(k, len, words[i].name))
			return words[i].kw;
	for (int i = 0; i < 5; i++)
		if (field_is(k, len, trusts[i])) {
			*trust = i;
			return KW_TRUST;
		}
	return KW_OTHER;
}

/* VALIDSIG <fpr> <date> <created> <expires> <version> <reserved> <algo> <hash> <class> <primary> */
static int read_validsig(struct gpg_verdict *out, const char *args, size_t len)
{
	const char *f[12];
	size_t fl[12];
	size_t n = split_fields(f, fl, 12, args, len, ' ');

	if (n != 10 || !copy_fpr(out->signing_fpr, f[0], fl[0]) || !copy_fpr(out->primary_fpr, f[9], fl[9]))
		return 0;
	out->sig_created = field_number(f[2], fl[2]);
	out->sig_expires = field_number(f[3], fl[3]);
	return out->sig_created >= 0 && out->sig_expires >= 0;
}

/* GOODSIG <keyid or fingerprint> <user id>: the key id must end the signing fingerprint. */
static int goodsig_names(const char *args, size_t len, const char *fpr)
{
	size_t idlen = span_to(args, len, ' ');
	size_t flen = strlen(fpr);

	if (idlen < 16 || idlen > flen)
		return 0;
	return !strncasecmp(args, fpr + flen - idlen, idlen);
}

void gpg_parse_status(struct gpg_verdict *out, const char *text, size_t len)
{
	struct lines it = LINES_INIT(text, len);
	const char *p, *good = NULL;
	size_t count[KW_COUNT] = { 0 }, good_len = 0, sigs, n;
	int valid_ok = 0, trust = -1;

	memset(out, 0, sizeof(*out));
	out->trust = -1;
	while (lines_next(&it, &p, &n)) {
		if (n > 9 && !memcmp(p, "[GNUPG:] ", 9)) {
			const char *k = p + 9, *args;
			size_t klen = span_to(k, n - 9, ' ');
			enum gpg_keyword kw;

			args = k + klen + (klen < n - 9);
			kw = keyword_of(k, klen, &trust);
			count[kw]++;
			if (kw == KW_VALIDSIG)
				valid_ok = read_validsig(out, args, (size_t)(p + n - args));
			else if (kw == KW_GOODSIG)
				good = args, good_len = (size_t)(p + n - args);
			else if (kw == KW_TRUST)
				out->trust = trust;
		}
	}
	sigs = count[KW_GOODSIG] + count[KW_BADSIG] + count[KW_EXPSIG] + count[KW_EXPKEYSIG] +
	       count[KW_REVKEYSIG] + count[KW_ERRSIG];
	if (count[KW_NEWSIG] != 1 || sigs != 1)
		out->status = SIG_BAD;   /* none, several, or a signature gpg cannot tell apart */
	else if (count[KW_ERRSIG])
		out->status = count[KW_NO_PUBKEY] ? SIG_UNKNOWN_SIGNER : SIG_BAD;
	else if (count[KW_EXPSIG] || count[KW_EXPKEYSIG])
		out->status = SIG_EXPIRED;
	else if (!count[KW_GOODSIG] || count[KW_VALIDSIG] != 1 || !valid_ok || count[KW_TRUST] != 1 ||
		 !goodsig_names(good, good_len, out->signing_fpr))
		out->status = SIG_BAD;   /* BADSIG, REVKEYSIG, and anything unclear */
	else
		out->status = SIG_GOOD;
	if (out->status != SIG_GOOD) {
		out->signing_fpr[0] = out->primary_fpr[0] = '\0';
		out->trust = -1;
	}
}

/* ---- gpg --with-colons ---- */

static int validity_level(char c)
{
	switch (c) {
	case 'n': return 0;
	case '-': case 'q': return 1;
	case 'm': return 2;
	case 'f': return 3;
	case 'u': return 4;
	default: return -1;   /* o (unknown), i (invalid), d (disabled), r (revoked), e (expired) */
	}
}

static int unusable(char c)
{
	return c == 'i' || c == 'd' || c == 'r' || c == 'e';
}

/* Undoes gpg's \xHH escapes of a colon-listing field. */
static char *unescape_field(const char *f, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < len; i++) {
		if (f[i] == '\\' && i + 3 < len && f[i + 1] == 'x' && isxdigit((unsigned char)f[i + 2]) &&
		    isxdigit((unsigned char)f[i + 3])) {
			char hex[3] = { f[i + 2], f[i + 3], 0 };

			strbuf_addch(&sb, (char)strtol(hex, NULL, 16));
			i += 3;
		} else {
			strbuf_addch(&sb, f[i]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

char *gpg_uid_address(const char *uid)
{
	size_t len = strlen(uid);
	const char *lt;

	if (len && uid[len - 1] == '>' && (lt = strrchr(uid, '<'))) {
		size_t n = (size_t)(uid + len - 1 - (lt + 1));

		if (!n || memchr(lt + 1, '>', n) || !memchr(lt + 1, '@', n))
			return NULL;
		return xstrndup(lt + 1, n);
	}
	if (strchr(uid, '@') && !strpbrk(uid, " \t<>"))
		return xstrdup(uid);
	return NULL;
}

struct listing_state {
	int in_key;              /* inside the block of the wanted primary key */
	int pending;             /* 'p' or 's': a pub/sub record waits for its fpr */
	char validity;
	int64_t expires;
	int signing_seen;
};

static void add_expiry(int64_t *to, int64_t when)
{
	if (when > 0 && (!*to || when < *to))
		*to = when;
}

static void listing_uid(struct gpg_key_facts *out, const char **f, const size_t *fl, size_t n,
			const char *email, int min_trust)
{
	char *uid, *addr;
	int level;

	if (n < 10)
		return;
	uid = unescape_field(f[9], fl[9]);
	addr = gpg_uid_address(uid);
	level = fl[1] ? validity_level(f[1][0]) : -1;
	if (addr) {
		strvec_push(&out->emails, addr);
		if (!strcasecmp(addr, email) && level >= 0 && level >= min_trust &&
		    !(fl[1] && unusable(f[1][0]))) {
			int64_t exp = field_number(f[6], fl[6]);

			out->reviewer_uid = 1;
			if (exp > 0)
				add_expiry(&out->expires, exp);
		}
	}
	free(addr);
	free(uid);
}

static void listing_fpr(struct gpg_key_facts *out, struct listing_state *st, const char *f, size_t fl,
			const char *primary_fpr, const char *signing_fpr)
{
	char fpr[SIGPARSE_FPR_MAX + 1];
	int ok = copy_fpr(fpr, f, fl);

	if (st->pending == 'p') {
		st->in_key = !out->found && ok && !strcmp(fpr, primary_fpr);
		if (st->in_key) {
			out->found = 1;
			out->usable = !unusable(st->validity);
			add_expiry(&out->expires, st->expires);
		}
	}
	if (st->in_key && ok && !strcmp(fpr, signing_fpr)) {
		st->signing_seen = 1;
		if (st->pending == 's') {
			out->usable &= !unusable(st->validity);
			add_expiry(&out->expires, st->expires);
		}
	}
	st->pending = 0;
}

void gpg_parse_key_listing(struct gpg_key_facts *out, const char *listing, size_t len,
			   const char *primary_fpr, const char *signing_fpr, const char *email,
			   int min_trust)
{
	struct listing_state st = { 0 };
	struct lines it = LINES_INIT(listing, len);
	const char *p;
	size_t n, nf;

	memset(out, 0, sizeof(*out));
	while (lines_next(&it, &p, &n)) {
		const char *f[21];
		size_t fl[21];

		nf = split_fields(f, fl, 21, p, n, ':');
		if (field_is(f[0], fl[0], "pub") || field_is(f[0], fl[0], "sub")) {
			if (f[0][0] == 'p')
				st.in_key = 0;
			st.pending = f[0][0];
			st.validity = nf > 1 && fl[1] ? f[1][0] : 0;
			st.expires = nf > 6 ? field_number(f[6], fl[6]) : -1;
		} else if (field_is(f[0], fl[0], "fpr") && nf > 9) {
			listing_fpr(out, &st, f[9], fl[9], primary_fpr, signing_fpr);
		} else if (field_is(f[0], fl[0], "uid") && st.in_key) {
			listing_uid(out, f, fl, nf, email, min_trust);
		}
	}
	/* The key that signed must be this key or one of its subkeys. */
	if (!st.signing_seen && out->found) {
		out->found = 0;
		out->usable = 0;
	}
	if (!out->found)
		out->reviewer_uid = 0;
}

void gpg_key_facts_release(struct gpg_key_facts *facts)
{
	strvec_clear(&facts->emails);
	memset(facts, 0, sizeof(*facts));
}

/* ---- base64 and SHA-256 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

unsigned char *sigparse_base64_decode(size_t *out_len, const char *s, size_t len)
{
	unsigned char *out;
	size_t o = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;

	while (len && s[len - 1] == '=' && pad < 2)
		len--, pad++;
	if ((len + pad) % 4 || (pad && (len + pad) < 4))
		return NULL;
	out = xmalloc(len * 3 / 4 + 3);
	for (size_t i = 0; i < len; i++) {
		const char *c = s[i] ? strchr(b64, s[i]) : NULL;

		if (!c) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (uint32_t)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*out_len = o;
	return out;
}

char *sigparse_base64_encode(const unsigned char *data, size_t len, int pad)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (uint32_t)data[i + 1] << 8;
		if (left > 2)
			v |= data[i + 2];
		strbuf_addch(&sb, b64[(v >> 18) & 63]);
		strbuf_addch(&sb, b64[(v >> 12) & 63]);
		if (left > 1)
			strbuf_addch(&sb, b64[(v >> 6) & 63]);
		else if (pad)
			strbuf_addch(&sb, '=');
		if (left > 2)
			strbuf_addch(&sb, b64[v & 63]);
		else if (pad)
			strbuf_addch(&sb, '=');
	}
	return strbuf_detach(&sb, NULL);
}

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
		0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
		0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
		0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
		0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
		0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	};
	uint32_t w[64], a[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(a, h, sizeof(a));
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = a[7] + (ROR(a[4], 6) ^ ROR(a[4], 11) ^ ROR(a[4], 25)) +
			      ((a[4] & a[5]) ^ (~a[4] & a[6])) + k[i] + w[i];
		uint32_t t2 = (ROR(a[0], 2) ^ ROR(a[0], 13) ^ ROR(a[0], 22)) +
			      ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));

		memmove(a + 1, a, 7 * sizeof(a[0]));
		a[4] += t1;
		a[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += a[i];
}

void sigparse_sha256(unsigned char out[32], const void *data, size_t len)
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const unsigned char *p = data;
	unsigned char tail[128] = { 0 };
	size_t full = len / 64 * 64, rest = len - full, tail_len;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i < full; i += 64)
		sha256_block(h, p + i);
	memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	tail_len = rest + 9 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
	for (size_t i = 0; i < tail_len; i += 64)
		sha256_block(h, tail + i);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

char *sigparse_ssh_fingerprint(const unsigned char *key, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char digest[32];
	char *encoded;

	sigparse_sha256(digest, key, len);
	encoded = sigparse_base64_encode(digest, sizeof(digest), 0);
	strbuf_addf(&sb, "SHA256:%s", encoded);
	free(encoded);
	return strbuf_detach(&sb, NULL);
}

/* ---- SSHSIG ---- */

int ssh_read_u32(struct ssh_reader *r, uint32_t *v)
{
	if (r->left < 4)
		return 0;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 1;
}

int ssh_read_string(struct ssh_reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (!ssh_read_u32(r, &n) || n > r->left)
		return 0;
	*s = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return 1;
}

static int printable(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

int sshsig_parse(struct sshsig_info *out, const char *base64)
{
	size_t len = 0, klen, tlen, nslen;
	unsigned char *blob = sigparse_base64_decode(&len, base64, strlen(base64));
	const unsigned char *key, *type, *ns;
	struct ssh_reader r = { blob, len }, kr;
	uint32_t version;

	memset(out, 0, sizeof(*out));
	if (!blob || len < 6 || memcmp(blob, "SSHSIG", 6)) {
		free(blob);
		return error_set(REVQ_ERROR, "not an ssh signature");
	}
	r.p += 6;
	r.left -= 6;
	if (!ssh_read_u32(&r, &version) || version != 1 || !ssh_read_string(&r, &key, &klen) ||
	    !ssh_read_string(&r, &ns, &nslen) || !printable(ns, nslen)) {
		free(blob);
		return error_set(REVQ_ERROR, "malformed ssh signature");
	}
	kr.p = key;
	kr.left = klen;
	if (!ssh_read_string(&kr, &type, &tlen) || !tlen || !printable(type, tlen)) {
		free(blob);
		return error_set(REVQ_ERROR, "malformed public key in an ssh signature");
	}
	out->pubkey = xmalloc(klen ? klen : 1);
	memcpy(out->pubkey, key, klen);
	out->pubkey_len = klen;
	out->key_type = xstrndup((const char *)type, tlen);
	out->namespace = xstrndup((const char *)ns, nslen);
	out->certificate = tlen > 21 && !strcmp(out->key_type + tlen - 21, "-cert-v01@openssh.com");
	out->fingerprint = sigparse_ssh_fingerprint(key, klen);
	free(blob);
	return 0;
}

void sshsig_release(struct sshsig_info *info)
{
	free(info->pubkey);
	free(info->key_type);
	free(info->fingerprint);
	free(info->namespace);
	memset(info, 0, sizeof(*info));
}

/* ---- allowed signers ---- */

int64_t ssh_parse_time(const char *str, size_t len)
{
	struct tm tm;
	time_t tt;
	char buf[32], s[32];
	const char *fmt, *cp;
	size_t l = len;
	int is_utc = 0;

	if (len >= sizeof(s) || memchr(str, '\0', len))
		return -1;
	memcpy(s, str, len);
	s[len] = '\0';
	if (l > 1 && !strcasecmp(s + l - 1, "Z"))
		is_utc = 1, l--;
	else if (l > 3 && !strcasecmp(s + l - 3, "UTC"))
		is_utc = 1, l -= 3;
	switch (l) {
	case 8:
		fmt = "%Y-%m-%d";
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		break;
	case 12:
		fmt = "%Y-%m-%dT%H:%M";
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2sT%.2s:%.2s", s, s + 4, s + 6, s + 8, s + 10);
		break;
	case 14:
		fmt = "%Y-%m-%dT%H:%M:%S";
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s, s + 4, s + 6, s + 8, s + 10,
			 s + 12);
		break;
	default:
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	if (!(cp = strptime(buf, fmt, &tm)) || *cp)
		return -1;
	tt = is_utc ? timegm(&tm) : mktime(&tm);
	return tt < 0 ? -1 : (int64_t)tt;
}

/* ---- OpenSSH's text rules ---- */

int ssh_match_pattern(const char *s, const char *pattern)
{
	for (;;) {
		if (!*pattern)
			return !*s;
		if (*pattern == '*') {
			while (*pattern == '*')
				pattern++;
			if (!*pattern)
				return 1;
			if (*pattern != '?' && *pattern != '*') {
				for (; *s; s++)
					if (*s == *pattern && ssh_match_pattern(s + 1, pattern + 1))
						return 1;
				return 0;
			}
			for (; *s; s++)
				if (ssh_match_pattern(s, pattern))
					return 1;
			return 0;
		}
		if (!*s)
			return 0;
		if (*pattern != '?' && *pattern != *s)
			return 0;
		s++;
		pattern++;
	}
}

int ssh_match_pattern_list(const char *string, const char *pattern)
{
	char sub[1024];
	int negated, got_positive = 0;
	size_t i, subi, len = strlen(pattern);

	for (i = 0; i < len;) {
		negated = pattern[i] == '!';
		if (negated)
			i++;
		for (subi = 0; i < len && subi < sizeof(sub) - 1 && pattern[i] != ','; subi++, i++)
			sub[subi] = pattern[i];
		if (subi >= sizeof(sub) - 1)
			return 0;   /* a subpattern too long: no match, as ssh */
		if (i < len && pattern[i] == ',')
			i++;
		sub[subi] = '\0';
		if (ssh_match_pattern(string, sub)) {
			if (negated)
				return -1;
			got_positive = 1;
		}
	}
	return got_positive;
}

#define SSH_WHITESPACE " \t\r\n"

char *ssh_strdelimw(char **s)
{
	char *old;

	if (!*s)
		return NULL;
	old = *s;
	*s = strpbrk(*s, SSH_WHITESPACE "\"");
	if (!*s)
		return old;
	if (**s == '"') {
		memmove(*s, *s + 1, strlen(*s));   /* the NUL too */
		if (!(*s = strpbrk(*s, "\"")))
			return NULL;               /* no matching quote */
		**s = '\0';
		*s += strspn(*s + 1, SSH_WHITESPACE) + 1;
		return old;
	}
	**s = '\0';
	*s += strspn(*s + 1, SSH_WHITESPACE) + 1;
	return old;
}

char *ssh_skip_options(char *cp)
{
	int quoted = 0;

	for (; *cp && (quoted || (*cp != ' ' && *cp != '\t')); cp++) {
		if (*cp == '\\' && cp[1] == '"')
			cp++;
		else if (*cp == '"')
			quoted = !quoted;
	}
	return *cp == '\0' && quoted ? NULL : cp;
}

/* opt_match(): "term=" at *opts, case-insensitively. */
static int opt_match(const char **opts, const char *term)
{
	size_t n = strlen(term);

	if (!strncasecmp(*opts, term, n) && (*opts)[n] == '=') {
		*opts += n + 1;
		return 1;
	}
	return 0;
}

/* opt_dequote(): a double-quoted value with \" escapes; NULL when not quoted or unterminated. */
static char *opt_dequote(const char **sp)
{
	const char *s = *sp;
	char *ret;
	size_t i = 0;

	if (*s != '"')
		return NULL;
	s++;
	ret = xmalloc(strlen(s) + 1);
	while (*s && *s != '"') {
		if (s[0] == '\\' && s[1] == '"')
			s++;
		ret[i++] = *s++;
	}
	if (!*s) {
		free(ret);
		return NULL;
	}
	ret[i] = '\0';
	*sp = s + 1;
	return ret;
}

/* valid-after= / valid-before=: once, quoted, a readable non-zero time. */
static int opt_time(int64_t *out, const char **opts)
{
	char *v;

	if (*out || !(v = opt_dequote(opts)))
		return -1;
	*out = ssh_parse_time(v, strlen(v));
	free(v);
	return *out > 0 ? 0 : -1;
}

int ssh_sigopts_parse(struct ssh_sigopts *out, const char *opts)
{
	memset(out, 0, sizeof(*out));
	if (!opts || !*opts)
		return 0;
	while (*opts && *opts != ' ' && *opts != '\t') {
		if (!strncasecmp(opts, "cert-authority", 14)) {
			opts += 14;
			out->ca = 1;
		} else if (opt_match(&opts, "namespaces")) {
			if (out->namespaces || !(out->namespaces = opt_dequote(&opts)))
				goto fail;
		} else if (opt_match(&opts, "valid-after")) {
			if (opt_time(&out->valid_after, &opts))
				goto fail;
		} else if (opt_match(&opts, "valid-before")) {
			if (opt_time(&out->valid_before, &opts))
				goto fail;
		}
		if (!*opts || *opts == ' ' || *opts == '\t')
			break;
		if (*opts != ',' || !*++opts)
			goto fail;   /* an unknown option, or a comma that ends them */
	}
	if (out->valid_after && out->valid_before && out->valid_before <= out->valid_after)
		goto fail;
	return 0;
fail:
	ssh_sigopts_release(out);
	return -1;
}

void ssh_sigopts_release(struct ssh_sigopts *opts)
{
	free(opts->namespaces);
	memset(opts, 0, sizeof(*opts));
}

static int ssh_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

unsigned char *ssh_base64_decode(size_t *out_len, const char *src)
{
	size_t o = 0;
	uint32_t acc = 0;
	int state = 0, ch;
	unsigned char *out = xmalloc(strlen(src) + 1);

	while ((ch = (unsigned char)*src++) != '\0') {
		const char *pos;

		if (ssh_space(ch))
			continue;
		if (ch == '=')
			break;
		if (!(pos = strchr(b64, ch)))
			goto fail;
		acc = (acc << 6) | (uint32_t)(pos - b64);
		if (++state == 4) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			state = 0;
			acc = 0;
		}
	}
	if (ch == '=') {
		/* b64_pton: "xx==" or "xxx=", blanks between, nothing after, the spare bits zero */
		if (state < 2)
			goto fail;
		ch = (unsigned char)*src++;
		if (state == 2) {
			while (ch && ssh_space(ch))
				ch = (unsigned char)*src++;
			if (ch != '=')
				goto fail;
			ch = (unsigned char)*src++;
		}
		for (; ch; ch = (unsigned char)*src++)
			if (!ssh_space(ch))
				goto fail;
		if (state == 2) {
			if (acc & 0xf)
				goto fail;
			out[o++] = (unsigned char)(acc >> 4);
		} else {
			if (acc & 0x3)
				goto fail;
			out[o++] = (unsigned char)(acc >> 10);
			out[o++] = (unsigned char)(acc >> 2);
		}
	} else if (state) {
		goto fail;
	}
	*out_len = o;
	return out;
fail:
	free(out);
	return NULL;
}

/* The next token of an allowed signers line: up to white space outside double quotes. */
static size_t token(const char *p, const char *end)
{
	int quoted = 0;
	const char *q = p;

	for (; q < end && (quoted || (*q != ' ' && *q != '\t')); q++)
		if (*q == '"')
			quoted = !quoted;
	return (size_t)(q - p);
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Does "TYPE BASE64" at p name exactly blob? */
static int names_key(const char *type, size_t tlen, const char *key, size_t klen,
		     const unsigned char *blob, size_t len)
{
	size_t dlen = 0;
	unsigned char *d = sigparse_base64_decode(&dlen, key, klen);
	int same = d && dlen == len && !memcmp(d, blob, len) && dlen >= 4 + tlen &&
		   !memcmp(d + 4, type, tlen);

	free(d);
	return same;
}

/* Applies one option (valid-after=, valid-before=, cert-authority) of a line naming the key. */
static void apply_option(struct allowed_key *out, const char *o, size_t n, int *ca)
{
	const char *v;
	size_t vlen;
	int64_t t;
	int after;

	if (n == 14 && !strncasecmp(o, "cert-authority", 14)) {
		*ca = 1;
		return;
	}
	if (n > 12 && !strncasecmp(o, "valid-after=", 12))
		after = 1, v = o + 12, vlen = n - 12;
	else if (n > 13 && !strncasecmp(o, "valid-before=", 13))
		after = 0, v = o + 13, vlen = n - 13;
	else
		return;
	if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
		v++, vlen -= 2;
	t = ssh_parse_time(v, vlen);
	if (t < 0)
		out->valid_before = 1;   /* unreadable: never valid, as far as revq can tell */
	else if (after && t > out->valid_after)
		out->valid_after = t;
	else if (!after && (!out->valid_before || t < out->valid_before))
		out->valid_before = t;
}

static void apply_options(struct allowed_key *out, const char *opts, size_t n, int *ca)
{
	const char *end = opts + n;

	while (opts < end) {
		int quoted = 0;
		const char *q = opts;

		for (; q < end && (quoted || *q != ','); q++)
			if (*q == '"')
				quoted = !quoted;
		apply_option(out, opts, (size_t)(q - opts), ca);
		opts = q < end ? q + 1 : q;
	}
}

/* The patterns of a principals field (quoted or not) into out, negations left out, each once. */
static void add_principals(struct strvec *out, const char *p, size_t n)
{
	char *list = xstrndup(p, n), *save = NULL, *s = list;

	if (n >= 2 && list[0] == '"' && list[n - 1] == '"') {
		list[n - 1] = '\0';
		s = list + 1;
	}
	for (char *pat = strtok_r(s, ",", &save); pat; pat = strtok_r(NULL, ",", &save))
		if (*pat != '!' && !strvec_contains(out, pat))
			strvec_push(out, pat);
	free(list);
}

static void find_in_line(struct allowed_key *out, const char *p, const char *end,
			 const unsigned char *blob, size_t len)
{
	const char *tok[4];
	size_t tl[4], n = 0;
	struct allowed_key line = { 0 };
	int ca = 0, opts;

	p = skip_blank(p, end);
	if (p >= end || *p == '#')
		return;
	while (n < 4 && p < end) {
		tok[n] = p;
		tl[n] = token(p, end);
		p = skip_blank(p + tl[n], end);
		n++;
	}
	if (n >= 3 && names_key(tok[1], tl[1], tok[2], tl[2], blob, len))
		opts = 0;
	else if (n >= 4 && names_key(tok[2], tl[2], tok[3], tl[3], blob, len))
		opts = 1;
	else
		return;
	if (opts)
		apply_options(&line, tok[1], tl[1], &ca);
	if (ca)
		return;   /* a CA key signs certificates, not records */
	out->lines++;
	add_principals(&out->principals, tok[0], tl[0]);
	if (line.valid_after > out->valid_after)
		out->valid_after = line.valid_after;
	if (line.valid_before && (!out->valid_before || line.valid_before < out->valid_before))
		out->valid_before = line.valid_before;
}

void allowed_signers_find_key(struct allowed_key *out, const char *allowed,
			      const unsigned char *blob, size_t len)
{
	struct lines it = LINES_INIT(allowed, allowed ? strlen(allowed) : 0);
	const char *p;
	size_t n;

	memset(out, 0, sizeof(*out));
	while (lines_next(&it, &p, &n)) {
		const char *end = p + n;

		if (end > p && end[-1] == '\r')
			end--;
		find_in_line(out, p, end, blob, len);
	}
}

void allowed_signers_principals(struct strvec *out, const char *allowed)
{
	struct lines it = LINES_INIT(allowed, allowed ? strlen(allowed) : 0);
	const char *p;
	size_t n;

	while (lines_next(&it, &p, &n)) {
		char *line = xstrndup(p, n), *cp = line + strspn(line, " \t"), *field;

		/* The principals field as ssh-keygen cuts it (strdelimw), quotes and all. */
		if (*cp && *cp != '#' && (field = ssh_strdelimw(&cp)))
			add_principals(out, field, strlen(field));
		free(line);
	}
}

void allowed_key_release(struct allowed_key *key)
{
	strvec_clear(&key->principals);
	memset(key, 0, sizeof(*key));
}
