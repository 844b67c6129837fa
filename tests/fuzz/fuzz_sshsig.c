/*
 * fuzz_sshsig.c: the in-process SSHSIG verifier (sshsig.h) and the
 * allowed signers rules it reads (sigparse.h), on hostile bytes.  The
 * first byte picks what the rest is: 0 an armoured signature, 1 a raw
 * SSHSIG blob, 2 an allowed signers file checked with a genuine
 * signature.  Beyond not crashing: an answer never changes when a
 * comment line is put before the allowed signers (ssh-keygen skips it),
 * a blob that verifies for a principal is genuine on its own, and no
 * good answer comes for a message the signature was not made for.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "sign/sigparse.h"
#include "sign/sshsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MESSAGE "fuzz"
#define AT 1767225600

/* `ssh-keygen -Y sign -n revq` of MESSAGE by the key below. */
static const char genuine[] =
	"-----BEGIN SSH SIGNATURE-----\n"
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgnd/KgaCfJZa9QlYAcUOYmEtMQb\n"
	"eT3FFRnHidS6apVE4AAAAEcmV2cQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQyNTUx\n"
	"OQAAAECbOZmwmFfUJLRQeh1XRR6McJwNvyuyegFysWhY5deyhyb2RlUldPN+cvvK3aJOCD\n"
	"YoDFzOocxNJSprNq9KFvYH\n"
	"-----END SSH SIGNATURE-----\n";
static const char allowed_ok[] =
	"alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3fyoGgnyWWvUJWAHFDmJhLTEG3k9xRUZx4nUumqVRO\n";

static void check_blob(const unsigned char *blob, size_t len, const char *allowed)
{
	enum sshsig_verdict v = sshsig_verify(allowed, blob, len, "alice@example.com", "revq", MESSAGE,
					      strlen(MESSAGE), AT, NULL);
	struct sshsig_details d;

	if (v == SSHSIG_GOOD && sshsig_check(blob, len, "revq", MESSAGE, strlen(MESSAGE), &d) != SSHSIG_GOOD)
		abort();
	if (sshsig_check(blob, len, "revq", "other", 5, NULL) == SSHSIG_GOOD)
		abort();
}

static void check_allowed(const char *text)
{
	struct strbuf commented = STRBUF_INIT;
	size_t len = 0;
	unsigned char *blob = sshsig_dearmor(&len, genuine, strlen(genuine));
	enum sshsig_verdict a, b;
	struct ssh_sigopts o;

	if (!blob)
		abort();
	strbuf_addstr(&commented, "# a comment\n");
	strbuf_addstr(&commented, text);
	a = sshsig_verify(text, blob, len, "alice@example.com", "revq", MESSAGE, strlen(MESSAGE), AT, NULL);
	b = sshsig_verify(commented.buf, blob, len, "alice@example.com", "revq", MESSAGE, strlen(MESSAGE), AT, NULL);
	if (a != b || a == SSHSIG_FALLBACK)
		abort();
	/* The same text as options and as a pattern list. */
	if (!ssh_sigopts_parse(&o, text))
		ssh_sigopts_release(&o);
	ssh_match_pattern_list("alice@example.com", text);
	free(blob);
	strbuf_release(&commented);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	unsigned char *blob;
	size_t len = 0;

	if (!size)
		return 0;
	text = xstrndup((const char *)data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		if ((blob = sshsig_dearmor(&len, (const char *)data + 1, size - 1))) {
			check_blob(blob, len, allowed_ok);
			free(blob);
		}
		break;
	case 1:
		check_blob(data + 1, size - 1, allowed_ok);
		check_blob(data + 1, size - 1, "*@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n");
		break;
	default:
		check_allowed(text);
		break;
	}
	free(text);
	return 0;
}
