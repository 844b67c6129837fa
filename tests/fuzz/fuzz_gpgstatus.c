/*
 * fuzz_gpgstatus.c: the parsers of what signing tools and signatures say
 * (sigparse.h), on hostile bytes.  gpg's status lines and key listings
 * carry attacker-chosen user ids; an ssh signature blob and an allowed
 * signers line are data too.  Beyond not crashing, a "good" gpg answer
 * must rest on exactly one VALIDSIG line that starts its line and names
 * the fingerprints reported; an address found must be a bare address.
 * The first byte picks the parser, so one corpus seeds all of them.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/sigparse.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FPR "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static int is_fpr(const char *s)
{
	size_t n = strlen(s);

	if (n != 40 && n != 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || islower((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Lines of text[0..len) that are the status "[GNUPG:] KEYWORD", alone or followed by a space. */
static size_t status_lines(const char *text, size_t len, const char *keyword)
{
	char prefix[64];
	size_t n = 0, plen;

	snprintf(prefix, sizeof(prefix), "[GNUPG:] %s", keyword);
	plen = strlen(prefix);
	for (size_t i = 0; i < len; ) {
		const char *eol = memchr(text + i, '\n', len - i);
		size_t l = eol ? (size_t)(eol - (text + i)) : len - i;

		n += l >= plen && !memcmp(text + i, prefix, plen) && (l == plen || text[i + plen] == ' ');
		i += l + 1;
	}
	return n;
}

static void check_status(const char *text, size_t len)
{
	struct gpg_verdict v;

	gpg_parse_status(&v, text, len);
	if (v.status != SIG_GOOD)
		return;
	if (!is_fpr(v.signing_fpr) || !is_fpr(v.primary_fpr) || v.trust < 0 || v.trust > 4)
		abort();
	if (status_lines(text, len, "VALIDSIG") != 1 || status_lines(text, len, "NEWSIG") != 1 ||
	    status_lines(text, len, "GOODSIG") != 1)
		abort();
}

static void check_listing(const char *text, size_t len)
{
	struct gpg_key_facts k;

	gpg_parse_key_listing(&k, text, len, FPR, FPR, "jane@example.com", 3);
	if (k.reviewer_uid && !k.found)
		abort();
	for (size_t i = 0; i < k.emails.nr; i++)
		if (!strchr(k.emails.v[i], '@'))
			abort();
	gpg_key_facts_release(&k);
}

static void check_uid(const char *text)
{
	char *a = gpg_uid_address(text);

	if (a && (!strchr(a, '@') || strpbrk(a, "<>")))
		abort();
	free(a);
}

static void check_ssh(const char *text)
{
	struct sshsig_info info;
	struct allowed_key key;

	if (!sshsig_parse(&info, text)) {
		if (strncmp(info.fingerprint, "SHA256:", 7) || strlen(info.fingerprint) != 7 + 43)
			abort();
		sshsig_release(&info);
	}
	/* The text as an allowed signers file, looked up for a fixed key. */
	allowed_signers_find_key(&key, text, (const unsigned char *)"\0\0\0\013ssh-ed25519", 15);
	if (key.principals.nr && !key.lines)
		abort();
	allowed_key_release(&key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (!size)
		return 0;
	text = xstrndup((const char *)data + 1, size - 1);
	switch (data[0] % 4) {
	case 0: check_status((const char *)data + 1, size - 1); break;
	case 1: check_listing((const char *)data + 1, size - 1); break;
	case 2: check_uid(text); break;
	default: check_ssh(text); break;
	}
	free(text);
	return 0;
}
