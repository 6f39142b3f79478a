/* Text helpers. Bank files come in Windows-1252 (a superset of Latin-1 for
 * printable characters); everything we write is UTF-8. */
#include "config.h"

#include "core/text.h"

#include <stdint.h>
#include <string.h>

/* Windows-1252 0x80-0x9F. The five bytes the code page leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD rather than C1 controls. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80-87 */
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, /* 88-8F */
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90-97 */
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178, /* 98-9F */
};

bool text_is_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			return false; /* continuation byte, C0/C1 overlong lead, > F4 */
		}
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
		if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += n + 1;
	}
	return true;
}

/* Encodes cp into out (at most 3 bytes: cp1252 stays in the BMP). */
static size_t encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (unsigned char)(0xE0 | (cp >> 12));
	out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (unsigned char)(0x80 | (cp & 0x3F));
	return 3;
}

size_t text_cp1252_to_utf8(const unsigned char *s, size_t len, char *out, size_t n)
{
	size_t w = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		uint32_t cp = c >= 0x80 && c <= 0x9F ? cp1252_high[c - 0x80] : c;
		unsigned char enc[3];
		size_t k = encode(cp, enc);

		if (w + k >= n) /* keep room for the NUL; never split a character */
			break;
		memcpy(out + w, enc, k);
		w += k;
	}
	out[w] = '\0';
	return w;
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Length of the UTF-8 character starting with lead byte c (s is valid). */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

size_t text_trim_to_utf8(const unsigned char *s, size_t len, char *out, size_t n)
{
	size_t i = 0, w = 0;

	if (n == 0)
		return 0;
	while (i < len && is_blank(s[i]))
		i++;
	while (len > i && is_blank(s[len - 1]))
		len--;
	if (!text_is_utf8(s + i, len - i))
		return text_cp1252_to_utf8(s + i, len - i, out, n);
	while (i < len) {
		size_t k = utf8_len(s[i]);
		if (w + k >= n)
			break;
		memcpy(out + w, s + i, k);
		w += k;
		i += k;
	}
	out[w] = '\0';
	return w;
}

void text_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	*s = p;
	*len = n;
}

bool text_ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)word[i];
		if (b == '\0')
			return false;
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return word[i] == '\0';
}
