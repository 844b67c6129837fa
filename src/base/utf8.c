/*
 * utf8.c: strict UTF-8 decoding and repair of untrusted byte strings.
 */
#include "config.h"

#include "base/utf8.h"

size_t utf8_decode(int32_t *cp, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need, i;
	int32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3; c = s[0] & 0x07; min = 0x10000;
	} else {
		*cp = UTF8_INVALID;
		return 1;
	}
	if (len <= need) {
		*cp = UTF8_INVALID;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = UTF8_INVALID;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = UTF8_INVALID;
		return 1;
	}
	*cp = c;
	return need + 1;
}

int utf8_is_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(&cp, s + i, len - i);
		if (cp == UTF8_INVALID)
			return 0;
	}
	return 1;
}

void utf8_encode(struct strbuf *out, int32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp; n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
	}
	strbuf_add(out, b, n);
}

void utf8_sanitize(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	strbuf_grow(out, len);
	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(&cp, s + i, len - i);

		if (cp == UTF8_INVALID)
			utf8_encode(out, 0xfffd);
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
}
