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

/* ---- transliteration to ASCII ---- */

/* What a code point becomes in ASCII. */
enum ascii_class { ASCII_TEXT, ASCII_BLANK, ASCII_SILENT, ASCII_DROP };

/* U+00C0..U+00FF and U+0100..U+017F, one letter per code point; '?' marks
 * the few that take two letters or none (handled in ascii_of). Written
 * from the Unicode charts: the base letter of each decomposition. */
static const char latin1_letters[] = "AAAAAA?CEEEEIIII"
				     "DNOOOOO?OUUUUY??"
				     "aaaaaa?ceeeeiiii"
				     "dnooooo?ouuuuy?y";
static const char latin_ext_a[] = "AaAaAaCcCcCcCcDd"
				  "DdEeEeEeEeEeGgGg"
				  "GgGgHhHhIiIiIiIi"
				  "Ii??JjKkkLlLlLlL"
				  "lLlNnNnNnnNnOoOo"
				  "Oo??RrRrRrSsSsSs"
				  "SsTtTtTtUuUuUuUu"
				  "UuUuWwYyYZzZzZzs";

/* *text gets the spelling for ASCII_TEXT. */
static enum ascii_class ascii_of(uint32_t cp, const char **text, char *one)
{
	*text = one;
	one[1] = '\0';
	if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == ' ')
		return ASCII_BLANK;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return ASCII_DROP;
	if (cp < 0x7F) {
		one[0] = (char)cp;
		return ASCII_TEXT;
	}
	if (cp >= 0xC0 && cp <= 0x17F) {
		char c = cp < 0x100 ? latin1_letters[cp - 0xC0] : latin_ext_a[cp - 0x100];
		if (c != '?') {
			one[0] = c;
			return ASCII_TEXT;
		}
		switch (cp) {
		case 0xC6:
			*text = "AE";
			return ASCII_TEXT;
		case 0xE6:
			*text = "ae";
			return ASCII_TEXT;
		case 0xDE:
			*text = "TH";
			return ASCII_TEXT;
		case 0xFE:
			*text = "th";
			return ASCII_TEXT;
		case 0xDF:
			*text = "ss";
			return ASCII_TEXT;
		case 0x132:
			*text = "IJ";
			return ASCII_TEXT;
		case 0x133:
			*text = "ij";
			return ASCII_TEXT;
		case 0x152:
			*text = "OE";
			return ASCII_TEXT;
		case 0x153:
			*text = "oe";
			return ASCII_TEXT;
		default: /* U+00D7 and U+00F7: multiplication and division signs */
			return ASCII_DROP;
		}
	}
	switch (cp) {
	case 0xA0: /* no-break space */
	case 0x202F:
	case 0x205F:
	case 0x3000:
		return ASCII_BLANK;
	case 0xAA: /* feminine ordinal: "1ª" */
		one[0] = 'a';
		return ASCII_TEXT;
	case 0xBA: /* masculine ordinal: "Nº" */
		one[0] = 'o';
		return ASCII_TEXT;
	case 0xB9:
		one[0] = '1';
		return ASCII_TEXT;
	case 0xB2:
		one[0] = '2';
		return ASCII_TEXT;
	case 0xB3:
		one[0] = '3';
		return ASCII_TEXT;
	case 0xAD: /* soft hyphen: invisible */
	case 0x200B:
	case 0x200C:
	case 0x200D:
	case 0x2060:
	case 0xFEFF:
		return ASCII_SILENT;
	case 0x2018:
	case 0x2019:
	case 0x201A:
	case 0x201B:
	case 0x2032:
		one[0] = '\'';
		return ASCII_TEXT;
	case 0x201C:
	case 0x201D:
	case 0x201E:
	case 0x201F:
	case 0x2033:
		one[0] = '"';
		return ASCII_TEXT;
	case 0x2026:
		*text = "...";
		return ASCII_TEXT;
	default:
		break;
	}
	if (cp >= 0x300 && cp <= 0x36F) /* combining marks: the NFD form of accents */
		return ASCII_SILENT;
	if (cp >= 0x2000 && cp <= 0x200A)
		return ASCII_BLANK;
	if (cp >= 0x2010 && cp <= 0x2015) {
		one[0] = '-';
		return ASCII_TEXT;
	}
	return ASCII_DROP;
}

/* Decodes the code point at s[*i] (s valid UTF-8) and advances *i. */
static uint32_t utf8_next(const unsigned char *s, size_t *i)
{
	unsigned char c = s[*i];
	size_t k = utf8_len(c);
	uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1Fu : k == 3 ? c & 0x0Fu : c & 0x07u;

	for (size_t j = 1; j < k; j++)
		cp = (cp << 6) | (s[*i + j] & 0x3Fu);
	*i += k;
	return cp;
}

/* text_to_ascii for text that is printable ASCII already (the usual name
 * or city of a BR Code, encoded for every charge): the same rules for
 * spaces in one loop, without decoding. Returns false, having written
 * only scratch to out, at the first other byte. */
static bool printable_to_ascii(const char *s, size_t len, char *out, size_t n, size_t *result)
{
	size_t w = 0;
	bool pending_blank = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ') {
			pending_blank = w > 0;
			continue;
		}
		if (c < 0x21 || c > 0x7E)
			return false;
		if (pending_blank) {
			if (w + 1 < n)
				out[w] = ' ';
			w++;
			pending_blank = false;
		}
		if (w + 1 < n)
			out[w] = (char)c;
		w++;
	}
	if (n > 0)
		out[w < n ? w : n - 1] = '\0';
	*result = w;
	return true;
}

size_t text_to_ascii(const char *s, size_t len, char *out, size_t n, size_t *dropped)
{
	size_t fast;
	if (printable_to_ascii(s, len, out, n, &fast)) {
		if (dropped)
			*dropped = 0;
		return fast;
	}
	const unsigned char *u = (const unsigned char *)s;
	bool utf8 = text_is_utf8(u, len);
	size_t i = 0, w = 0, ndrop = 0;
	bool pending_blank = false;
	char one[2];

	while (i < len) {
		uint32_t cp;
		if (utf8) {
			cp = utf8_next(u, &i);
		} else {
			cp = u[i] >= 0x80 && u[i] <= 0x9F ? cp1252_high[u[i] - 0x80] : u[i];
			i++;
		}
		const char *t;
		switch (ascii_of(cp, &t, one)) {
		case ASCII_BLANK:
			pending_blank = w > 0;
			continue;
		case ASCII_SILENT:
			continue;
		case ASCII_DROP:
			ndrop++;
			continue;
		case ASCII_TEXT:
			break;
		}
		if (pending_blank) {
			if (w + 1 < n)
				out[w] = ' ';
			w++;
			pending_blank = false;
		}
		for (; *t; t++, w++)
			if (w + 1 < n)
				out[w] = *t;
	}
	if (n > 0)
		out[w < n ? w : n - 1] = '\0';
	if (dropped)
		*dropped = ndrop;
	return w;
}

size_t text_append(char *dst, size_t n, size_t len, const char *s)
{
	size_t k = strlen(s);
	if (len >= n)
		return len;
	if (k > n - len - 1)
		k = n - len - 1;
	memcpy(dst + len, s, k);
	dst[len + k] = '\0';
	return len + k;
}
