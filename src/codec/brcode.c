/* Pix BR Code: encoder, decoder and the Pix rules (reference/pix.md).
 *
 * The payload is a list of ID(2 digits) LEN(2 digits) VALUE objects where
 * LEN counts characters (code points of the UTF-8 text), not bytes; 26-51,
 * 62 and 80-99 hold nested lists of the same shape. The decoder walks the
 * text once, records every object (pointing into the caller's text), then
 * checks the Pix rules and lists every problem it can name, instead of
 * stopping at the first: a person fixing a generator wants them all. */
#include "config.h"

#include "codec/brcode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/taxid.h"
#include "core/text.h"

#define PIX_GUI     "br.gov.bcb.pix"
#define PIX_GUI_LEN 14
/* An early draft's GUI, seen in old samples: not Pix (pix.md §4 rule 8). */
#define SPI_GUI "br.gov.bcb.spi"

/* ---- CRC ---- */

/* CRC-16/CCITT-FALSE sixteen bytes at a time ("slicing"): the decoder
 * and the encoder spend most of their time here otherwise. For the
 * MSB-first CRC with register r, N bytes B (b0 first) with r XORed into
 * b0 b1 give the new register B * x^16 mod P, the XOR of Tk[byte] over the
 * bytes, where Tk[v] = v * x^(16 + 8k) mod P and k counts from the last
 * byte. Every Tk[v] is the XOR of the powers x^n mod P named by the bits
 * of v, so the tables are built by the compiler from the powers below:
 * Rk_j = x^(16 + 8k + j) mod P, each from the one before (one shift,
 * reduced by P = x^16 + x^12 + x^5 + 1, i.e. 0x1021). Sixteen bytes per
 * step halve the chain of dependent lookups of eight (a payload is ~150
 * bytes); the tables take 8 KB. */
#define MULX(c) ((((c) << 1) ^ (((c)&0x8000) ? 0x1021 : 0)) & 0xFFFF)
#define ROW(k, prev)                                                                                         \
	R##k##_0 = MULX(prev), R##k##_1 = MULX(R##k##_0), R##k##_2 = MULX(R##k##_1),                         \
	R##k##_3 = MULX(R##k##_2), R##k##_4 = MULX(R##k##_3), R##k##_5 = MULX(R##k##_4),                     \
	R##k##_6 = MULX(R##k##_5), R##k##_7 = MULX(R##k##_6)
enum {
	ROW(0, 0x8000), /* x^15 = 0x8000: R0_0 = x^16 */
	ROW(1, R0_7),
	ROW(2, R1_7),
	ROW(3, R2_7),
	ROW(4, R3_7),
	ROW(5, R4_7),
	ROW(6, R5_7),
	ROW(7, R6_7),
	ROW(8, R7_7),
	ROW(9, R8_7),
	ROW(10, R9_7),
	ROW(11, R10_7),
	ROW(12, R11_7),
	ROW(13, R12_7),
	ROW(14, R13_7),
	ROW(15, R14_7),
};
#define BITS(v, a, b, c, d, e, f, g, h)                                                                      \
	(((v)&1 ? a : 0) ^ ((v)&2 ? b : 0) ^ ((v)&4 ? c : 0) ^ ((v)&8 ? d : 0) ^ ((v)&16 ? e : 0) ^          \
	 ((v)&32 ? f : 0) ^ ((v)&64 ? g : 0) ^ ((v)&128 ? h : 0))
#define TK(k, v)  BITS(v, R##k##_0, R##k##_1, R##k##_2, R##k##_3, R##k##_4, R##k##_5, R##k##_6, R##k##_7)
#define R4(k, v)  TK(k, v), TK(k, (v) + 1), TK(k, (v) + 2), TK(k, (v) + 3)
#define R16(k, v) R4(k, v), R4(k, (v) + 4), R4(k, (v) + 8), R4(k, (v) + 12)
#define R64(k, v) R16(k, v), R16(k, (v) + 16), R16(k, (v) + 32), R16(k, (v) + 48)
#define TABLE(k)                                                                                             \
	{                                                                                                    \
		R64(k, 0), R64(k, 64), R64(k, 128), R64(k, 192)                                              \
	}

static const uint16_t crc_table[16][256] = {
    TABLE(0),  TABLE(1),  TABLE(2),  TABLE(3),  TABLE(4),  TABLE(5),  TABLE(6),  TABLE(7),
    TABLE(8),  TABLE(9),  TABLE(10), TABLE(11), TABLE(12), TABLE(13), TABLE(14), TABLE(15),
};

static unsigned crc_byte(unsigned crc, unsigned char b)
{
	return ((crc << 8) ^ crc_table[0][(crc >> 8) ^ b]) & 0xFFFFu;
}

/* Eight and four bytes at a time with the last tables, for what is left
 * after the 16-byte steps (up to 15 bytes of every payload). */
static unsigned crc_update(unsigned crc, const unsigned char *p, size_t len)
{
	for (; len >= 16; p += 16, len -= 16)
		crc = (crc_table[15][(crc >> 8) ^ p[0]] ^ crc_table[14][(crc & 0xFF) ^ p[1]] ^
		       crc_table[13][p[2]] ^ crc_table[12][p[3]] ^ crc_table[11][p[4]] ^
		       crc_table[10][p[5]] ^ crc_table[9][p[6]] ^ crc_table[8][p[7]]) ^
		      (crc_table[7][p[8]] ^ crc_table[6][p[9]] ^ crc_table[5][p[10]] ^ crc_table[4][p[11]] ^
		       crc_table[3][p[12]] ^ crc_table[2][p[13]] ^ crc_table[1][p[14]] ^ crc_table[0][p[15]]);
	if (len >= 8) {
		crc = crc_table[7][(crc >> 8) ^ p[0]] ^ crc_table[6][(crc & 0xFF) ^ p[1]] ^
		      crc_table[5][p[2]] ^ crc_table[4][p[3]] ^ crc_table[3][p[4]] ^ crc_table[2][p[5]] ^
		      crc_table[1][p[6]] ^ crc_table[0][p[7]];
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		crc = crc_table[3][(crc >> 8) ^ p[0]] ^ crc_table[2][(crc & 0xFF) ^ p[1]] ^
		      crc_table[1][p[2]] ^ crc_table[0][p[3]];
		p += 4;
		len -= 4;
	}
	while (len--)
		crc = crc_byte(crc, *p++);
	return crc;
}

unsigned brcode_crc16(const void *data, size_t len)
{
	return crc_update(0xFFFF, data, len);
}

static const char hex_upper[] = "0123456789ABCDEF";

static void crc_hex(unsigned crc, char *out)
{
	out[0] = hex_upper[(crc >> 12) & 0xF];
	out[1] = hex_upper[(crc >> 8) & 0xF];
	out[2] = hex_upper[(crc >> 4) & 0xF];
	out[3] = hex_upper[crc & 0xF];
	out[4] = '\0';
}

/* ---- small character helpers ---- */

/* Character classes by table: the key, txid and e-mail checks run on
 * every code encoded or decoded, one lookup per byte instead of a chain
 * of comparisons. */
enum {
	CC_DIGIT = 1,
	CC_ALPHA = 2,
	CC_HEX = 4,
	CC_ATOM = 8, /* RFC 5322 atom symbols an e-mail local part may hold */
	CC_PRINT = 16, /* printable ASCII, 0x20..0x7E */
};
#define CC_ALNUM (CC_DIGIT | CC_ALPHA)
#define CC_D(c)  [c] = CC_DIGIT | CC_HEX | CC_PRINT
#define CC_X(c)  [c] = CC_ALPHA | CC_HEX | CC_PRINT
#define CC_A(c)  [c] = CC_ALPHA | CC_PRINT
#define CC_S(c)  [c] = CC_ATOM | CC_PRINT
static const unsigned char cclass[256] = {
    CC_D('0'), CC_D('1'), CC_D('2'), CC_D('3'), CC_D('4'), CC_D('5'), CC_D('6'), CC_D('7'), CC_D('8'),
    CC_D('9'), CC_X('A'), CC_X('B'), CC_X('C'), CC_X('D'), CC_X('E'), CC_X('F'), CC_A('G'), CC_A('H'),
    CC_A('I'), CC_A('J'), CC_A('K'), CC_A('L'), CC_A('M'), CC_A('N'), CC_A('O'), CC_A('P'), CC_A('Q'),
    CC_A('R'), CC_A('S'), CC_A('T'), CC_A('U'), CC_A('V'), CC_A('W'), CC_A('X'), CC_A('Y'), CC_A('Z'),
    CC_X('a'), CC_X('b'), CC_X('c'), CC_X('d'), CC_X('e'), CC_X('f'), CC_A('g'), CC_A('h'), CC_A('i'),
    CC_A('j'), CC_A('k'), CC_A('l'), CC_A('m'), CC_A('n'), CC_A('o'), CC_A('p'), CC_A('q'), CC_A('r'),
    CC_A('s'), CC_A('t'), CC_A('u'), CC_A('v'), CC_A('w'), CC_A('x'), CC_A('y'), CC_A('z'), CC_S('.'),
    CC_S('!'), CC_S('#'), CC_S('$'), CC_S('%'), CC_S('&'), CC_S('\''), CC_S('*'), CC_S('+'), CC_S('/'),
    CC_S('='), CC_S('?'), CC_S('^'), CC_S('_'), CC_S('`'), CC_S('{'), CC_S('|'), CC_S('}'), CC_S('~'),
    CC_S('-'), [' '] = CC_PRINT, ['"'] = CC_PRINT, ['('] = CC_PRINT, [')'] = CC_PRINT,
    [','] = CC_PRINT, [':'] = CC_PRINT, [';'] = CC_PRINT, ['<'] = CC_PRINT, ['>'] = CC_PRINT,
    ['@'] = CC_PRINT, ['['] = CC_PRINT, ['\\'] = CC_PRINT, [']'] = CC_PRINT,
};
#undef CC_D
#undef CC_X
#undef CC_A
#undef CC_S

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
	return (cclass[(unsigned char)c] & CC_ALNUM) != 0;
}

static bool is_hex(int c)
{
	return (cclass[(unsigned char)c] & CC_HEX) != 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	return true;
}

static bool text_is(const struct brcode_text *t, const char *word)
{
	size_t n = strlen(word);
	return t->s && t->len == n && memcmp(t->s, word, n) == 0;
}

static bool starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && text_ieq(s, n, prefix);
}

/* Length in bytes of the UTF-8 character whose lead byte is c. */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* ---- keys ---- */

const char *brcode_key_type_name(enum brcode_key_type t)
{
	switch (t) {
	case BRCODE_KEY_CPF:
		return "cpf";
	case BRCODE_KEY_CNPJ:
		return "cnpj";
	case BRCODE_KEY_EMAIL:
		return "email";
	case BRCODE_KEY_PHONE:
		return "phone";
	case BRCODE_KEY_EVP:
		return "evp";
	case BRCODE_KEY_UNKNOWN:
		return "unknown";
	case BRCODE_KEY_NONE:
		break;
	}
	return "";
}

/* 8-4-4-4-12 hexadecimal digits, either case. */
static bool is_uuid(const char *s, size_t len)
{
	if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return false;
	/* AND of the classes: one test at the end instead of one branch per
	 * character (the dashes are not hex and are skipped) */
	unsigned all = CC_HEX;
	for (size_t i = 0; i < 36; i++)
		if (i != 8 && i != 13 && i != 18 && i != 23)
			all &= cclass[(unsigned char)s[i]];
	return all != 0;
}

/* The address forms DICT takes: a local part of letters, digits and the
 * RFC 5322 atom symbols, one '@', then at least two dot-separated labels
 * of letters, digits and inner hyphens. */
static bool is_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (!at || at == s || len > BRCODE_KEY_MAX)
		return false;
	for (const char *p = s; p < at; p++)
		if (!(cclass[(unsigned char)*p] & (CC_ALNUM | CC_ATOM)))
			return false;
	const char *d = at + 1, *end = s + len;
	int labels = 0;
	while (d < end) {
		const char *dot = memchr(d, '.', (size_t)(end - d));
		const char *le = dot ? dot : end;
		if (le == d || le - d > 63 || d[0] == '-' || le[-1] == '-')
			return false;
		for (const char *p = d; p < le; p++)
			if (!is_alnum((unsigned char)*p) && *p != '-')
				return false;
		labels++;
		if (!dot)
			break;
		d = dot + 1;
		if (d == end)
			return false; /* trailing dot */
	}
	return labels >= 2;
}

static bool is_phone(const char *s, size_t len)
{
	return (len == 13 || len == 14) && memcmp(s, "+55", 3) == 0 && all_digits(s + 3, len - 3);
}

enum brcode_key_type brcode_key_classify(const char *s, size_t len, const char **why)
{
	const char *dummy;
	char norm[16];
	if (!why)
		why = &dummy;
	*why = NULL;
	if (len == 0) {
		*why = "the key is empty";
		return BRCODE_KEY_UNKNOWN;
	}
	/* '@' first: an address may start with '+', a phone has no '@' */
	if (memchr(s, '@', len)) {
		if (is_email(s, len))
			return BRCODE_KEY_EMAIL;
		*why = "not a well-formed e-mail address";
		return BRCODE_KEY_UNKNOWN;
	}
	if (s[0] == '+') {
		if (is_phone(s, len))
			return BRCODE_KEY_PHONE;
		*why = "a phone key is +55 followed by the area code and number (10 or 11 digits)";
		return BRCODE_KEY_UNKNOWN;
	}
	if (is_uuid(s, len))
		return BRCODE_KEY_EVP;
	if (len == 11 && all_digits(s, 11)) {
		if (taxid_normalize(s, 11, norm, why) == TAXID_CPF)
			return BRCODE_KEY_CPF;
		*why = "11 digits that are not a valid CPF (a phone key is written +55 and the number)";
		return BRCODE_KEY_UNKNOWN;
	}
	if (len == 14) {
		bool ok = true;
		for (size_t i = 0; i < 14; i++)
			if (!is_digit((unsigned char)s[i]) && !(s[i] >= 'A' && s[i] <= 'Z'))
				ok = false;
		if (ok) {
			if (taxid_normalize(s, 14, norm, why) == TAXID_CNPJ)
				return BRCODE_KEY_CNPJ;
			*why = "14 characters that are not a valid CNPJ";
			return BRCODE_KEY_UNKNOWN;
		}
	}
	*why = "not a CPF, CNPJ, e-mail, +55 phone or random key (UUID)";
	return BRCODE_KEY_UNKNOWN;
}

enum brcode_key_type brcode_key_normalize(const char *s, char *out, const char **why)
{
	const char *dummy;
	size_t len;
	if (!why)
		why = &dummy;
	out[0] = '\0';
	if (!s)
		s = "";
	len = strlen(s);
	text_trim(&s, &len);
	if (len == 0) {
		*why = "the Pix key is empty";
		return BRCODE_KEY_NONE;
	}
	if (memchr(s, '@', len)) {
		if (!is_email(s, len)) {
			*why = len > BRCODE_KEY_MAX ? "an e-mail key has at most 77 characters"
			                            : "not a well-formed e-mail address";
			return BRCODE_KEY_NONE;
		}
		for (size_t i = 0; i < len; i++)
			out[i] = (char)lower((unsigned char)s[i]);
		out[len] = '\0';
		return BRCODE_KEY_EMAIL;
	}
	if (s[0] == '+') {
		size_t n = 0;
		for (size_t i = 0; i < len && n < 20; i++) {
			char c = s[i];
			if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.')
				continue;
			out[n++] = c;
		}
		out[n] = '\0';
		if (!is_phone(out, n)) {
			out[0] = '\0';
			*why = "a phone key is +55 followed by the area code and number (10 or 11 digits)";
			return BRCODE_KEY_NONE;
		}
		return BRCODE_KEY_PHONE;
	}
	if (is_uuid(s, len)) {
		for (size_t i = 0; i < len; i++)
			out[i] = (char)lower((unsigned char)s[i]);
		out[len] = '\0';
		return BRCODE_KEY_EVP;
	}
	const char *twhy = NULL;
	enum taxid_kind k = taxid_normalize(s, len, out, &twhy);
	if (k == TAXID_CPF)
		return BRCODE_KEY_CPF;
	if (k == TAXID_CNPJ)
		return BRCODE_KEY_CNPJ;
	size_t n = strlen(out);
	out[0] = '\0';
	if ((n == 10 || n == 11) && all_digits(s, len))
		*why = "neither a valid CPF nor a phone key (a phone key is written +55 and the number)";
	else if (n == 11 || n == 14)
		*why = twhy;
	else
		*why = "not a Pix key: expected a CPF, a CNPJ, an e-mail, a +55 phone or a random key (UUID)";
	return BRCODE_KEY_NONE;
}

/* ---- amounts ---- */

int brcode_amount_parse(const char *s, size_t len, int64_t *cents, bool *canonical)
{
	int64_t v = 0;
	size_t i = 0, nint = 0, nfrac = 0;
	bool dot = false;
	int frac = 0;

	if (len == 0 || len > BRCODE_AMOUNT_MAX)
		return -1;
	for (; i < len && is_digit((unsigned char)s[i]); i++, nint++)
		v = v * 10 + (s[i] - '0');
	if (i < len && s[i] == '.') {
		dot = true;
		for (i++; i < len && is_digit((unsigned char)s[i]) && nfrac < 2; i++, nfrac++)
			frac = frac * 10 + (s[i] - '0');
	}
	if (i != len)
		return -1;
	/* \d+\.\d{1,2} | \d+\.? | \.\d{2} */
	if (nint == 0 && !(dot && nfrac == 2))
		return -1;
	if (nfrac == 1)
		frac *= 10;
	*cents = v * 100 + frac;
	*canonical = nint > 0 && nfrac == 2;
	return 0;
}

size_t brcode_amount_format(int64_t cents, char *out)
{
	char tmp[24];
	size_t n = 0, w = 0;
	uint64_t v = cents > 0 ? (uint64_t)cents : 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || n < 3);
	while (n > 2)
		out[w++] = tmp[--n];
	out[w++] = '.';
	out[w++] = tmp[1];
	out[w++] = tmp[0];
	out[w] = '\0';
	return w;
}

/* ---- names ---- */

const char *brcode_kind_name(enum brcode_kind k)
{
	switch (k) {
	case BRCODE_STATIC:
		return "static";
	case BRCODE_DYNAMIC:
		return "dynamic";
	case BRCODE_RECURRENCE:
		return "recurrence";
	case BRCODE_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *brcode_problem_name(enum brcode_problem_code c)
{
	switch (c) {
	case BRCODE_E_EMPTY:
		return "empty";
	case BRCODE_E_TOO_LONG:
		return "too_long";
	case BRCODE_E_LINE_BREAK:
		return "line_break";
	case BRCODE_E_UTF8:
		return "not_utf8";
	case BRCODE_E_TLV:
		return "not_tlv";
	case BRCODE_E_TRUNCATED:
		return "truncated";
	case BRCODE_E_TEMPLATE:
		return "template";
	case BRCODE_E_AFTER_CRC:
		return "data_after_crc";
	case BRCODE_E_FIRST:
		return "payload_format";
	case BRCODE_E_NO_CRC:
		return "no_crc";
	case BRCODE_E_CRC_FORMAT:
		return "crc_format";
	case BRCODE_E_CRC_MISMATCH:
		return "crc_mismatch";
	case BRCODE_E_DUPLICATE:
		return "duplicate";
	case BRCODE_E_MISSING:
		return "missing";
	case BRCODE_E_NOT_PIX:
		return "not_pix";
	case BRCODE_E_KEY_AND_URL:
		return "key_and_url";
	case BRCODE_E_NO_KEY_OR_URL:
		return "no_key_or_url";
	case BRCODE_E_KEY:
		return "key";
	case BRCODE_E_URL:
		return "url";
	case BRCODE_E_FSS:
		return "fss";
	case BRCODE_E_INITIATION:
		return "initiation";
	case BRCODE_E_MCC:
		return "mcc";
	case BRCODE_E_CURRENCY:
		return "currency";
	case BRCODE_E_AMOUNT:
		return "amount";
	case BRCODE_E_COUNTRY:
		return "country";
	case BRCODE_E_NAME:
		return "name";
	case BRCODE_E_CITY:
		return "city";
	case BRCODE_E_NO_62:
		return "no_additional_data";
	case BRCODE_E_NO_TXID:
		return "no_txid";
	case BRCODE_E_TXID:
		return "txid";
	case BRCODE_W_NON_ASCII:
		return "non_ascii";
	case BRCODE_W_AMOUNT_FORM:
		return "amount_form";
	case BRCODE_W_POSTAL_CODE:
		return "postal_code";
	case BRCODE_W_DYNAMIC_TXID:
		return "dynamic_txid";
	case BRCODE_W_DYNAMIC_AMOUNT:
		return "dynamic_amount";
	case BRCODE_W_KEY_FORMAT:
		return "key_format";
	case BRCODE_W_KEY_CASE:
		return "key_case";
	}
	return "unknown";
}

static bool is_account_template(int id)
{
	return id >= 26 && id <= 51;
}

static bool is_unreserved_template(int id)
{
	return id >= 80 && id <= 99;
}

/* Objects whose value is itself a list of objects (EMV MPM). */
static bool is_template(int id)
{
	return is_account_template(id) || id == 62 || id == 64 || is_unreserved_template(id);
}

const char *brcode_object_name(int parent, int id, int pix_template)
{
	if (parent == BRCODE_TOP) {
		switch (id) {
		case 0:
			return "payload format indicator";
		case 1:
			return "point of initiation method";
		case 52:
			return "merchant category code";
		case 53:
			return "transaction currency";
		case 54:
			return "transaction amount";
		case 55:
			return "tip or convenience indicator";
		case 56:
			return "convenience fee (fixed)";
		case 57:
			return "convenience fee (percentage)";
		case 58:
			return "country code";
		case 59:
			return "merchant name";
		case 60:
			return "merchant city";
		case 61:
			return "postal code";
		case 62:
			return "additional data field template";
		case 63:
			return "CRC";
		case 64:
			return "merchant information (language template)";
		default:
			break;
		}
		if (id >= 2 && id <= 25)
			return "merchant account information (other arrangement)";
		if (is_account_template(id))
			return id == pix_template ? "merchant account information (Pix)"
			                          : "merchant account information (other arrangement)";
		if (is_unreserved_template(id))
			return "unreserved template";
		return NULL;
	}
	if (parent == 62) {
		switch (id) {
		case 1:
			return "bill number";
		case 2:
			return "mobile number";
		case 3:
			return "store label";
		case 4:
			return "loyalty number";
		case 5:
			return "reference label (txid)";
		case 6:
			return "customer label";
		case 7:
			return "terminal label";
		case 8:
			return "purpose of transaction";
		case 9:
			return "additional consumer data request";
		default:
			return NULL;
		}
	}
	if (id == 0 && (is_account_template(parent) || is_unreserved_template(parent) || parent == 64))
		return parent == 64 ? "language preference" : "globally unique identifier (GUI)";
	if (parent == pix_template && pix_template != 0) {
		switch (id) {
		case 1:
			return "Pix key";
		case 2:
			return "additional information (shown to the payer)";
		case 3:
			return "FSS (ISPB of the withdrawal facilitator)";
		case 25:
			return "URL (charge location)";
		default:
			return NULL;
		}
	}
	return NULL;
}

/* ---- decoding ---- */

/* A set of object IDs 0..99: two words are cheaper to clear than an
 * array of 100 flags, and the decoder clears several per payload; named
 * words rather than an array so that the compiler keeps them in
 * registers. */
struct id_set {
	uint64_t lo, hi; /* IDs 0..63, 64..99 */
};

/* Adds id; true when it was there already. */
static bool id_set_add(struct id_set *set, unsigned id)
{
	bool had;
	if (id < 64) {
		had = (set->lo >> id) & 1;
		set->lo |= UINT64_C(1) << id;
	} else {
		had = (set->hi >> (id - 64)) & 1;
		set->hi |= UINT64_C(1) << (id - 64);
	}
	return had;
}

static bool id_set_has(const struct id_set *set, unsigned id)
{
	return id < 64 ? (set->lo >> id) & 1 : (set->hi >> (id - 64)) & 1;
}

struct parser {
	const char *s;
	size_t len;
	bool ascii;
	struct brcode_info *info;
	struct id_set not_tlv; /* template IDs whose value did not parse as objects */
	/* indexes in info->objects of the top-level objects, in order: the
	 * rules walk them without chasing nchildren from one to the next */
	unsigned char tops[BRCODE_MAX_LEN / 4];
	int ntops;
	unsigned crc_head;     /* CRC of the text but its last 4 bytes (prescan) */
};

static void field_name(char *out, int parent, int id)
{
	if (parent == BRCODE_TOP) {
		out[0] = (char)('0' + id / 10);
		out[1] = (char)('0' + id % 10);
		out[2] = '\0';
	} else {
		out[0] = (char)('0' + parent / 10);
		out[1] = (char)('0' + parent % 10);
		out[2] = '-';
		out[3] = (char)('0' + id / 10);
		out[4] = (char)('0' + id % 10);
		out[5] = '\0';
	}
}

static void problem(struct brcode_info *in, enum diag_severity sev, enum brcode_problem_code code,
                    const char *field, int column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void problem(struct brcode_info *in, enum diag_severity sev, enum brcode_problem_code code,
                    const char *field, int column, const char *fmt, ...)
{
	if (sev == DIAG_ERROR)
		in->nerrors++;
	else
		in->nwarnings++;
	if (in->nproblems >= BRCODE_MAX_PROBLEMS)
		return;
	struct brcode_problem *p = &in->problems[in->nproblems++];
	p->severity = sev;
	p->code = code;
	snprintf(p->field, sizeof p->field, "%s", field ? field : "");
	p->column = column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
}

/* A problem about object o, named by its field. */
static void obj_problem(struct brcode_info *in, enum diag_severity sev, enum brcode_problem_code code,
                        const struct brcode_object *o, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void obj_problem(struct brcode_info *in, enum diag_severity sev, enum brcode_problem_code code,
                        const struct brcode_object *o, const char *fmt, ...)
{
	char field[8], msg[200];
	va_list ap;
	field_name(field, o->parent, o->id);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	problem(in, sev, code, field, o->column, "%s", msg);
}

/* Moves *p forward by n characters, not past end. */
static bool skip_chars(const struct parser *P, size_t *p, size_t end, unsigned n)
{
	if (P->ascii) {
		if (end - *p < n)
			return false;
		*p += n;
		return true;
	}
	while (n--) {
		if (*p >= end)
			return false;
		*p += utf8_len((unsigned char)P->s[*p]);
	}
	return true;
}

/* Characters in s[from..to). */
static unsigned count_chars(const struct parser *P, size_t from, size_t to)
{
	if (P->ascii)
		return (unsigned)(to - from);
	unsigned n = 0;
	for (size_t i = from; i < to; i++)
		if (((unsigned char)P->s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

struct tlv_error {
	enum brcode_problem_code code;
	int column;
	int id; /* the object concerned, -1 when its ID could not be read */
	char msg[160];
};

static int two_digits(const char *s)
{
	return is_digit((unsigned char)s[0]) && is_digit((unsigned char)s[1])
	           ? (s[0] - '0') * 10 + (s[1] - '0')
	           : -1;
}

/* Parses the objects in s[p..end), whose first character is at column
 * col, as children of parent; every template at the top level is parsed
 * in turn, leniently (a template of another arrangement need not be
 * made of objects: only the Pix ones are checked later). Returns 0, or
 * -1 with *err for the first structural problem; objects read before it
 * stay recorded. */
static int parse_level(struct parser *P, size_t p, size_t end, int col, int parent, struct tlv_error *err)
{
	struct brcode_info *in = P->info;
	while (p < end) {
		size_t hp = p;
		if (!skip_chars(P, &hp, end, 4)) {
			unsigned avail = count_chars(P, p, end);
			err->code = BRCODE_E_TLV;
			err->column = col;
			err->id = -1;
			snprintf(err->msg, sizeof err->msg,
			         "%u character%s left over where an object (ID, LEN, value) should start",
			         avail, avail == 1 ? "" : "s");
			return -1;
		}
		/* avail >= 4 characters; the digits we need are ASCII, so a
		 * non-ASCII byte among the first four fails the digit test
		 * before its continuation bytes matter. */
		const char *h = P->s + p;
		int id = two_digits(h);
		int n = id < 0 ? -1 : two_digits(h + 2);
		if (id < 0 || n < 0) {
			bool printable = true;
			for (int k = 0; k < 4; k++)
				if ((unsigned char)h[k] < 0x20 || (unsigned char)h[k] > 0x7E)
					printable = false;
			err->code = BRCODE_E_TLV;
			err->column = id < 0 ? col : col + 2;
			err->id = id;
			if (printable)
				snprintf(err->msg, sizeof err->msg, "%s '%.2s' is not two digits",
				         id < 0 ? "object ID" : "LEN", id < 0 ? h : h + 2);
			else
				snprintf(err->msg, sizeof err->msg, "%s is not two digits",
				         id < 0 ? "object ID" : "LEN");
			return -1;
		}
		size_t v = p + 4, ve = v;
		if (!skip_chars(P, &ve, end, (unsigned)n)) {
			unsigned have = count_chars(P, v, end);
			err->code =
			    id == 63 && parent == BRCODE_TOP ? BRCODE_E_CRC_FORMAT : BRCODE_E_TRUNCATED;
			err->column = col;
			err->id = id;
			if (err->code == BRCODE_E_CRC_FORMAT)
				snprintf(err->msg, sizeof err->msg,
				         "the CRC has %u character%s, 4 hexadecimal digits expected%s", have,
				         have == 1 ? "" : "s", have == 3 ? " (a leading zero dropped?)" : "");
			else
				snprintf(err->msg, sizeof err->msg,
				         "LEN says %d characters but only %u remain%s", n, have,
				         parent == BRCODE_TOP ? "" : " in the template");
			return -1;
		}
		if (in->nobjects >= BRCODE_MAX_OBJECTS ||
		    (parent == BRCODE_TOP && P->ntops >= (int)sizeof P->tops)) {
			/* cannot happen within 512 characters */
			err->code = BRCODE_E_TOO_LONG;
			err->column = col;
			err->id = id;
			snprintf(err->msg, sizeof err->msg, "too many objects");
			return -1;
		}
		int at = in->nobjects++;
		struct brcode_object *o = &in->objects[at];
		if (parent == BRCODE_TOP) /* at most 128 in 512 characters, at < 256 */
			P->tops[P->ntops++] = (unsigned char)at;
		o->id = (unsigned char)id;
		o->parent = (unsigned char)parent;
		o->column = (unsigned short)col;
		o->nchars = (unsigned short)n;
		o->nchildren = 0;
		o->value.s = P->s + v;
		o->value.len = ve - v;
		if (parent == BRCODE_TOP && is_template(id)) {
			struct tlv_error sub;
			if (parse_level(P, v, ve, col + 4, id, &sub) == 0) {
				in->objects[at].nchildren = (unsigned short)(in->nobjects - at - 1);
			} else {
				in->nobjects = at + 1; /* forget a partial list */
				id_set_add(&P->not_tlv, (unsigned)id);
			}
		}
		col += 4 + n;
		p = ve;
		if (id == 63 && parent == BRCODE_TOP && p < end) {
			err->code = BRCODE_E_AFTER_CRC;
			err->column = col;
			err->id = 63;
			snprintf(err->msg, sizeof err->msg,
			         "%u character%s after the CRC object (63 must be last)",
			         count_chars(P, p, end), count_chars(P, p, end) == 1 ? "" : "s");
			return -1;
		}
	}
	return 0;
}

/* The first child of the object at index t with the given ID, or NULL. */
static const struct brcode_object *child(const struct brcode_info *in, int t, int id)
{
	for (int i = t + 1; i <= t + in->objects[t].nchildren; i++)
		if (in->objects[i].id == id)
			return &in->objects[i];
	return NULL;
}

/* Reports again, as an error, why template t does not parse. */
static void template_error(struct parser *P, int t)
{
	struct brcode_info *in = P->info;
	const struct brcode_object *o = &in->objects[t];
	struct tlv_error err;
	int saved = in->nobjects;
	size_t v = (size_t)(o->value.s - P->s);
	/* parse again into the spare slots, then forget them */
	int rc = parse_level(P, v, v + o->value.len, o->column + 4, o->id, &err);
	in->nobjects = saved;
	if (rc == 0)
		return;
	char field[8];
	if (err.id >= 0)
		field_name(field, o->id, err.id);
	else
		field_name(field, BRCODE_TOP, o->id);
	problem(in, DIAG_ERROR, BRCODE_E_TEMPLATE, field, err.column,
	        "template %02d is not a list of objects: %s", o->id, err.msg);
}

static void check_duplicates(struct brcode_info *in, int t)
{
	struct id_set once = {0, 0}, twice = {0, 0};
	for (int i = t + 1; i <= t + in->objects[t].nchildren; i++) {
		const struct brcode_object *o = &in->objects[i];
		if (id_set_add(&once, o->id) && !id_set_add(&twice, o->id))
			obj_problem(in, DIAG_ERROR, BRCODE_E_DUPLICATE, o,
			            "object %02d appears twice in template %02d", o->id, o->parent);
	}
}

static bool gui_is(const struct brcode_info *in, int t, const char *gui)
{
	const struct brcode_object *g = child(in, t, 0);
	size_t n = strlen(gui);
	/* generators write the GUI in lower case: memcmp decides most codes */
	return g && g->value.len == n &&
	       (memcmp(g->value.s, gui, n) == 0 || text_ieq(g->value.s, g->value.len, gui));
}

/* Characters outside printable ASCII: several banks' apps refuse them. */
static void check_ascii(struct brcode_info *in, const struct brcode_object *o, const char *what)
{
	for (size_t i = 0; i < o->value.len; i++) {
		unsigned char c = (unsigned char)o->value.s[i];
		if (c < 0x20 || c > 0x7E) {
			obj_problem(in, DIAG_WARNING, BRCODE_W_NON_ASCII, o,
			            "%s '%.*s' has characters outside printable ASCII; several payers' apps "
			            "refuse such codes (write it without accents)",
			            what, (int)o->value.len, o->value.s);
			return;
		}
	}
}

/* 26-25 / 80-25: the location is written without a scheme. */
static void check_url(struct brcode_info *in, const struct brcode_object *o)
{
	if (o->nchars == 0)
		obj_problem(in, DIAG_ERROR, BRCODE_E_URL, o, "the URL is empty");
	else if (o->nchars > BRCODE_URL_MAX)
		obj_problem(in, DIAG_ERROR, BRCODE_E_URL, o, "the URL has %u characters, at most %d",
		            o->nchars, BRCODE_URL_MAX);
	else if (starts_with_ci(o->value.s, o->value.len, "https://") ||
	         starts_with_ci(o->value.s, o->value.len, "http://"))
		obj_problem(in, DIAG_ERROR, BRCODE_E_URL, o,
		            "the URL is written without its scheme ('%.*s://' must go; the payer's app adds "
		            "https://)",
		            lower((unsigned char)o->value.s[4]) == 's' ? 5 : 4, o->value.s);
}

static void check_key(struct brcode_info *in, const struct brcode_object *o)
{
	if (o->nchars == 0 || o->nchars > BRCODE_KEY_MAX) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_KEY, o,
		            "the Pix key has %u characters, 1 to %d expected", o->nchars, BRCODE_KEY_MAX);
		return;
	}
	const char *why = NULL;
	in->key_type = brcode_key_classify(o->value.s, o->value.len, &why);
	if (in->key_type == BRCODE_KEY_UNKNOWN) {
		obj_problem(in, DIAG_WARNING, BRCODE_W_KEY_FORMAT, o,
		            "Pix key '%.*s' matches no DICT key type: %s", (int)o->value.len, o->value.s,
		            why);
	} else if (in->key_type == BRCODE_KEY_EMAIL) {
		for (size_t i = 0; i < o->value.len; i++)
			if (o->value.s[i] >= 'A' && o->value.s[i] <= 'Z') {
				obj_problem(
				    in, DIAG_WARNING, BRCODE_W_KEY_CASE, o,
				    "e-mail key '%.*s' has upper-case letters; DICT keeps e-mail keys in "
				    "lower case",
				    (int)o->value.len, o->value.s);
				break;
			}
	}
}

static void check_pix_template(struct parser *P, int t)
{
	struct brcode_info *in = P->info;
	const struct brcode_object *g = NULL, *key = NULL, *desc = NULL, *fss = NULL, *url = NULL;
	struct id_set once = {0, 0}, twice = {0, 0};
	/* one pass: the duplicates (as check_duplicates reports them) and the
	 * first child of each ID we read (as child() finds it) */
	for (int i = t + 1; i <= t + in->objects[t].nchildren; i++) {
		const struct brcode_object *o = &in->objects[i];
		if (id_set_add(&once, o->id)) {
			if (!id_set_add(&twice, o->id))
				obj_problem(in, DIAG_ERROR, BRCODE_E_DUPLICATE, o,
				            "object %02d appears twice in template %02d", o->id, o->parent);
			continue;
		}
		switch (o->id) {
		case 0:
			g = o;
			break;
		case 1:
			key = o;
			break;
		case 2:
			desc = o;
			break;
		case 3:
			fss = o;
			break;
		case 25:
			url = o;
			break;
		default:
			break;
		}
	}
	in->gui = g->value;
	if (key) {
		in->key = key->value;
		check_key(in, key);
	}
	if (desc) {
		in->description = desc->value;
		check_ascii(in, desc, "additional information");
	}
	if (fss) {
		in->fss = fss->value;
		if (fss->nchars != 8)
			obj_problem(in, DIAG_ERROR, BRCODE_E_FSS, fss,
			            "the FSS is the 8-character ISPB of the withdrawal facilitator; found %u "
			            "characters",
			            fss->nchars);
	}
	if (url) {
		in->url = url->value;
		check_url(in, url);
	}
	if (key && url) {
		obj_problem(
		    in, DIAG_ERROR, BRCODE_E_KEY_AND_URL, &in->objects[t],
		    "the Pix template holds both a key (01) and a URL (25); a code is static or dynamic");
		in->kind = BRCODE_UNKNOWN;
	} else if (key) {
		in->kind = BRCODE_STATIC;
	} else if (url) {
		in->kind = BRCODE_DYNAMIC;
	}
}

static bool pix_template_ok(struct parser *P, int t)
{
	return !id_set_has(&P->not_tlv, P->info->objects[t].id) && child(P->info, t, 0) != NULL;
}

static void check_amount(struct brcode_info *in, const struct brcode_object *o)
{
	bool canonical = false;
	int64_t cents = 0;
	in->amount = o->value;
	if (o->nchars > BRCODE_AMOUNT_MAX) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_AMOUNT, o, "the amount has %u characters, at most %d",
		            o->nchars, BRCODE_AMOUNT_MAX);
		return;
	}
	if (brcode_amount_parse(o->value.s, o->value.len, &cents, &canonical) != 0) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_AMOUNT, o,
		            "amount '%.*s' is not a decimal number with '.' and at most 2 decimals",
		            (int)o->value.len, o->value.s);
		return;
	}
	if (cents == 0) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_AMOUNT, o,
		            "the amount is zero; a code without a fixed amount leaves 54 out");
		return;
	}
	in->amount_cents = cents;
	if (!canonical) {
		char buf[24];
		brcode_amount_format(cents, buf);
		obj_problem(in, DIAG_WARNING, BRCODE_W_AMOUNT_FORM, o,
		            "amount '%.*s' is read as %s; the standard form has two decimals",
		            (int)o->value.len, o->value.s, buf);
	}
}

static void check_txid(struct brcode_info *in, const struct brcode_object *o)
{
	in->txid = o->value;
	if (text_is(&o->value, "***"))
		return;
	if (o->nchars == 0 || o->nchars > BRCODE_TXID_MAX) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_TXID, o,
		            "the txid has %u characters; it is *** or 1 to %d letters and digits", o->nchars,
		            BRCODE_TXID_MAX);
		return;
	}
	for (size_t i = 0; i < o->value.len; i++) {
		unsigned char c = (unsigned char)o->value.s[i];
		if (!is_alnum(c)) {
			unsigned pos = 1;
			for (size_t k = 0; k < i; k++)
				pos += ((unsigned char)o->value.s[k] & 0xC0) != 0x80;
			if (c >= 0x20 && c < 0x7F)
				obj_problem(
				    in, DIAG_ERROR, BRCODE_E_TXID, o,
				    "txid '%.*s' has '%c' at position %u; only letters A-Z, a-z and digits "
				    "are allowed",
				    (int)o->value.len, o->value.s, c, pos);
			else
				obj_problem(
				    in, DIAG_ERROR, BRCODE_E_TXID, o,
				    "txid '%.*s' has a character other than A-Z, a-z, 0-9 at position %u",
				    (int)o->value.len, o->value.s, pos);
			return;
		}
	}
}

static void check_crc(struct parser *P, const struct brcode_object *o)
{
	struct brcode_info *in = P->info;
	in->crc = o->value;
	if (o->nchars != 4) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_CRC_FORMAT, o,
		            "the CRC object has LEN %02u; it is 4 hexadecimal digits (6304)%s", o->nchars,
		            o->nchars == 3 ? " - a leading zero was dropped?" : "");
		return;
	}
	size_t upto = (size_t)(o->value.s - P->s); /* through "6304" */
	in->crc_computed = upto + 4 == P->len ? P->crc_head : brcode_crc16(P->s, upto);
	in->crc_checked = true;
	char want[5];
	crc_hex(in->crc_computed, want);
	bool hex = o->value.len == 4, upper = true;
	for (size_t i = 0; hex && i < 4; i++) {
		unsigned char c = (unsigned char)o->value.s[i];
		hex = is_hex(c);
		if (c >= 'a' && c <= 'f')
			upper = false;
	}
	if (!hex) {
		obj_problem(in, DIAG_ERROR, BRCODE_E_CRC_FORMAT, o,
		            "CRC '%.*s' is not 4 hexadecimal digits (computed %s)", (int)o->value.len,
		            o->value.s, want);
		return;
	}
	if (!upper) {
		bool same = true;
		for (int i = 0; i < 4; i++)
			if (lower((unsigned char)o->value.s[i]) != lower((unsigned char)want[i]))
				same = false;
		obj_problem(in, DIAG_ERROR, BRCODE_E_CRC_FORMAT, o,
		            "CRC '%.4s' is in lower case; it is written in upper case (%s)%s", o->value.s,
		            want, same ? ", the value itself is right" : "");
		if (!same)
			obj_problem(in, DIAG_ERROR, BRCODE_E_CRC_MISMATCH, o,
			            "CRC '%.4s' does not match the payload (computed %s)", o->value.s, want);
		return;
	}
	if (memcmp(o->value.s, want, 4) == 0)
		return;
	/* Generators that work on UTF-16 units feed Latin-1 bytes for accented
	 * letters: say so when that reading would have matched. */
	const char *hint = "";
	if (!P->ascii) {
		unsigned crc = 0xFFFF;
		bool latin1 = true;
		const unsigned char *u = (const unsigned char *)P->s;
		for (size_t i = 0; i < upto && latin1;) {
			size_t k = utf8_len(u[i]);
			unsigned cp = k == 1   ? u[i]
			              : k == 2 ? ((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu)
			                       : 0x100;
			if (cp > 0xFF)
				latin1 = false;
			crc = crc_byte(crc, (unsigned char)cp);
			i += k;
		}
		char l1[5];
		crc_hex(crc, l1);
		if (latin1 && memcmp(o->value.s, l1, 4) == 0)
			hint = "; it matches the text read as Latin-1 (the generator did not compute over "
			       "UTF-8 bytes)";
	}
	obj_problem(in, DIAG_ERROR, BRCODE_E_CRC_MISMATCH, o,
	            "CRC %.4s does not match the payload (computed %s)%s", o->value.s, want, hint);
}

/* The Pix rules over the objects read; complete says whether the whole
 * text parsed (rules about what is absent need that). */
static void check_rules(struct parser *P, bool complete)
{
	struct brcode_info *in = P->info;
	struct id_set seen = {0, 0};
	/* top[id] is set only for the IDs in seen: read it through TOP */
	const struct brcode_object *top[100];
#define TOP(id) (id_set_has(&seen, (unsigned)(id)) ? top[id] : NULL)
	const struct brcode_object *txo = NULL;
	int spi = 0;

	if (in->nobjects > 0) {
		const struct brcode_object *o = &in->objects[0];
		if (o->id != 0)
			problem(in, DIAG_ERROR, BRCODE_E_FIRST, "00", 1,
			        "the payload starts with object %02u; it must start with 00 (payload format "
			        "indicator) = 01",
			        o->id);
		else if (!text_is(&o->value, "01"))
			obj_problem(in, DIAG_ERROR, BRCODE_E_FIRST, o,
			            "payload format indicator is '%.*s', must be 01", (int)o->value.len,
			            o->value.s);
	}
	for (int k = 0; k < P->ntops; k++) {
		int i = P->tops[k];
		const struct brcode_object *o = &in->objects[i];
		if (id_set_add(&seen, o->id)) {
			obj_problem(in, DIAG_ERROR, BRCODE_E_DUPLICATE, o, "object %02u appears twice",
			            o->id);
			continue;
		}
		top[o->id] = o;
		if (is_account_template(o->id) && pix_template_ok(P, i)) {
			if (gui_is(in, i, PIX_GUI)) {
				if (in->pix_template) {
					obj_problem(in, DIAG_ERROR, BRCODE_E_DUPLICATE, o,
					            "a second Pix template (the first is %02d)",
					            in->pix_template);
					continue;
				}
				in->pix_template = o->id;
				check_pix_template(P, i);
			} else if (gui_is(in, i, SPI_GUI) && !spi) {
				spi = o->id;
			}
		} else if (is_account_template(o->id) && id_set_has(&P->not_tlv, o->id)) {
			/* Another arrangement may write what it likes; but a value
			 * that names the Pix GUI is a broken Pix template. */
			if (o->value.len >= 4 + PIX_GUI_LEN &&
			    text_ieq(o->value.s + 4, PIX_GUI_LEN, PIX_GUI) &&
			    memcmp(o->value.s, "0014", 4) == 0)
				template_error(P, i);
		} else if (is_unreserved_template(o->id) && !id_set_has(&P->not_tlv, o->id) && gui_is(in, i, PIX_GUI)) {
			const struct brcode_object *u = child(in, i, 25);
			check_duplicates(in, i);
			if (u && !in->recurrence_url.s) {
				in->recurrence_url = u->value;
				check_url(in, u);
			}
		}
	}

	const struct brcode_object *o;
	if ((o = TOP(1)) != NULL) {
		if (text_is(&o->value, "11"))
			in->initiation = 11;
		else if (text_is(&o->value, "12"))
			in->initiation = 12;
		else
			obj_problem(in, DIAG_ERROR, BRCODE_E_INITIATION, o,
			            "point of initiation is '%.*s'; it is 11 (reusable) or 12 (single use)",
			            (int)o->value.len, o->value.s);
	}
	if ((o = TOP(52)) != NULL) {
		in->mcc = o->value;
		if (o->nchars != 4 || !all_digits(o->value.s, o->value.len))
			obj_problem(in, DIAG_ERROR, BRCODE_E_MCC, o,
			            "merchant category code '%.*s' is not 4 digits", (int)o->value.len,
			            o->value.s);
	}
	if ((o = TOP(53)) != NULL) {
		in->currency = o->value;
		if (!text_is(&o->value, "986"))
			obj_problem(in, DIAG_ERROR, BRCODE_E_CURRENCY, o,
			            "currency is '%.*s'; Pix is in reais (986)", (int)o->value.len,
			            o->value.s);
	}
	if ((o = TOP(54)) != NULL)
		check_amount(in, o);
	if ((o = TOP(58)) != NULL) {
		in->country = o->value;
		if (!text_is(&o->value, "BR"))
			obj_problem(in, DIAG_ERROR, BRCODE_E_COUNTRY, o, "country is '%.*s', must be BR",
			            (int)o->value.len, o->value.s);
	}
	if ((o = TOP(59)) != NULL) {
		in->name = o->value;
		if (o->nchars == 0 || o->nchars > BRCODE_NAME_MAX)
			obj_problem(in, DIAG_ERROR, BRCODE_E_NAME, o,
			            "merchant name '%.*s' has %u characters, 1 to %d allowed",
			            (int)o->value.len, o->value.s, o->nchars, BRCODE_NAME_MAX);
		check_ascii(in, o, "merchant name");
	}
	if ((o = TOP(60)) != NULL) {
		in->city = o->value;
		if (o->nchars == 0 || o->nchars > BRCODE_CITY_MAX)
			obj_problem(in, DIAG_ERROR, BRCODE_E_CITY, o,
			            "merchant city '%.*s' has %u characters, 1 to %d allowed",
			            (int)o->value.len, o->value.s, o->nchars, BRCODE_CITY_MAX);
		check_ascii(in, o, "merchant city");
	}
	if ((o = TOP(61)) != NULL) {
		in->postal_code = o->value;
		if (o->nchars != 8 || !all_digits(o->value.s, o->value.len))
			obj_problem(in, DIAG_WARNING, BRCODE_W_POSTAL_CODE, o,
			            "postal code '%.*s' is not a CEP of 8 digits", (int)o->value.len,
			            o->value.s);
	}
	if ((o = TOP(62)) != NULL) {
		int t = (int)(o - in->objects);
		if (id_set_has(&P->not_tlv, 62)) {
			template_error(P, t);
		} else {
			check_duplicates(in, t);
			txo = child(in, t, 5);
			if (txo)
				check_txid(in, txo);
			else
				obj_problem(
				    in, DIAG_ERROR, BRCODE_E_NO_TXID, o,
				    "no reference label (62-05): a BR Code without a txid writes ***");
		}
	} else if (complete) {
		problem(in, DIAG_ERROR, BRCODE_E_NO_62, "62", 0,
		        "no additional data field template (62): a BR Code always carries 62-05 (*** when "
		        "there is no txid)");
	}
	if ((o = TOP(63)) != NULL)
		check_crc(P, o);

	if (complete) {
		static const struct {
			int id;
			const char *what;
		} mandatory[] = {
		    {52, "merchant category code"}, {53, "transaction currency"}, {58, "country code"},
		    {59, "merchant name"},          {60, "merchant city"},
		};
		for (size_t k = 0; k < sizeof mandatory / sizeof mandatory[0]; k++)
			if (!TOP(mandatory[k].id)) {
				char f[8];
				field_name(f, BRCODE_TOP, mandatory[k].id);
				problem(in, DIAG_ERROR, BRCODE_E_MISSING, f, 0,
				        "no %s (%02d): it is mandatory", mandatory[k].what, mandatory[k].id);
			}
		/* recorded while parsing: no second walk over the objects */
		const struct brcode_object *last = &in->objects[P->ntops > 0 ? P->tops[P->ntops - 1] : 0];
		if (last->id != 63)
			problem(
			    in, DIAG_ERROR, BRCODE_E_NO_CRC, "63", 0,
			    "the payload does not end with the CRC object (6304 and 4 hexadecimal digits); "
			    "the last object is %02u",
			    last->id);
		if (!in->pix_template) {
			if (spi)
				obj_problem(in, DIAG_ERROR, BRCODE_E_NOT_PIX, TOP(spi),
				            "template %02d has GUI br.gov.bcb.spi, an obsolete draft: this "
				            "is not a Pix "
				            "code",
				            spi);
			else
				problem(in, DIAG_ERROR, BRCODE_E_NOT_PIX, "", 0,
				        "no merchant account template (26-51) with GUI br.gov.bcb.pix: not a "
				        "Pix code");
		}
	}

	if (in->pix_template && in->kind == BRCODE_UNKNOWN && !in->key.s && !in->url.s) {
		if (in->recurrence_url.s) {
			in->kind = BRCODE_RECURRENCE;
		} else if (complete) { /* 80 may lie beyond the damage */
			obj_problem(in, DIAG_ERROR, BRCODE_E_NO_KEY_OR_URL, TOP(in->pix_template),
			            "the Pix template holds neither a key (01) nor a URL (25)");
		}
	}
	if (in->kind == BRCODE_DYNAMIC) {
		if (txo && !text_is(&txo->value, "***"))
			obj_problem(
			    in, DIAG_WARNING, BRCODE_W_DYNAMIC_TXID, txo,
			    "a dynamic code writes *** in 62-05; txid '%.*s' is ignored (the charge's JSON "
			    "holds the txid)",
			    (int)txo->value.len, txo->value.s);
		if (TOP(54))
			obj_problem(
			    in, DIAG_WARNING, BRCODE_W_DYNAMIC_AMOUNT, TOP(54),
			    "a dynamic code carries no amount; %.*s is ignored (the charge's JSON holds the "
			    "amount)",
			    (int)TOP(54)->value.len, TOP(54)->value.s);
	}
#undef TOP
}

/* What brcode_decode must know before parsing, in one pass over the text
 * instead of one per question: eight bytes at a time, a byte >= 0x80 shows
 * in the top bits, a CR or LF as a zero byte of the text XORed with it.
 * The same pass computes the CRC of all but the last 4 bytes: that is
 * what 63 holds in any code that ends like one (6304 and 4 digits), so
 * the text is read once for both. */
enum { SCAN_NON_ASCII = 1, SCAN_LINE_BREAK = 2 };

static uint64_t zero_bytes(uint64_t w) /* nonzero when some byte of w is zero */
{
	return (w - UINT64_C(0x0101010101010101)) & ~w & UINT64_C(0x8080808080808080);
}

static uint64_t line_breaks(uint64_t w)
{
	return zero_bytes(w ^ UINT64_C(0x0A0A0A0A0A0A0A0A)) | zero_bytes(w ^ UINT64_C(0x0D0D0D0D0D0D0D0D));
}

static unsigned prescan(const char *s, size_t len, unsigned *crc_head)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t head = len >= 4 ? len - 4 : 0, i = 0;
	uint64_t any = 0, brk = 0;
	unsigned crc = 0xFFFF;
	for (; i + 16 <= head; i += 16) {
		uint64_t w0, w1;
		memcpy(&w0, p + i, 8);
		memcpy(&w1, p + i + 8, 8);
		any |= w0 | w1;
		brk |= line_breaks(w0) | line_breaks(w1);
		crc = crc_update(crc, p + i, 16);
	}
	*crc_head = crc_update(crc, p + i, head - i);
	unsigned r = 0;
	for (; i < len; i++) {
		unsigned char c = p[i];
		if (c >= 0x80)
			r |= SCAN_NON_ASCII;
		else if (c == '\n' || c == '\r')
			r |= SCAN_LINE_BREAK;
	}
	if (any & UINT64_C(0x8080808080808080))
		r |= SCAN_NON_ASCII;
	if (brk)
		r |= SCAN_LINE_BREAK;
	return r;
}

int brcode_decode(const char *s, size_t len, struct brcode_info *info)
{
	struct parser P;
	struct tlv_error err;

	memset(info, 0, offsetof(struct brcode_info, objects));
	info->nerrors = info->nwarnings = info->nproblems = 0;
	if (len == 0 || !s) {
		problem(info, DIAG_ERROR, BRCODE_E_EMPTY, "", 0, "the payload is empty");
		return -1;
	}
	unsigned scan = prescan(s, len, &P.crc_head);
	if (scan & SCAN_LINE_BREAK) {
		const char *nl = memchr(s, '\n', len);
		const char *cr = memchr(s, '\r', len);
		const char *first = !nl ? cr : !cr ? nl : nl < cr ? nl : cr;
		problem(info, DIAG_ERROR, BRCODE_E_LINE_BREAK, "", (int)(first - s) + 1,
		        "line break inside the payload (trim it first if it came from a line of text)");
		return -1;
	}
	bool ascii = !(scan & SCAN_NON_ASCII);
	if (!ascii && !text_is_utf8((const unsigned char *)s, len)) {
		problem(info, DIAG_ERROR, BRCODE_E_UTF8, "", 0, "the payload is not valid UTF-8 text");
		return -1;
	}
	P.s = s;
	P.len = len;
	P.ascii = ascii;
	P.info = info;
	P.not_tlv = (struct id_set){0, 0};
	P.ntops = 0;
	info->nchars = count_chars(&P, 0, len);
	if (info->nchars > BRCODE_MAX_LEN) {
		problem(info, DIAG_ERROR, BRCODE_E_TOO_LONG, "", BRCODE_MAX_LEN + 1,
		        "the payload has %zu characters, at most %d", info->nchars, BRCODE_MAX_LEN);
		return -1;
	}

	int rc = parse_level(&P, 0, len, 1, BRCODE_TOP, &err);
	if (rc != 0) {
		char field[8] = "";
		if (err.id >= 0)
			field_name(field, BRCODE_TOP, err.id);
		problem(info, DIAG_ERROR, err.code, field, err.column, "%s", err.msg);
		if (info->nobjects == 0 && err.id > 0) /* check_rules sees no object */
			problem(info, DIAG_ERROR, BRCODE_E_FIRST, "00", 1,
			        "the payload starts with object %02d; it must start with 00 (payload format "
			        "indicator) = 01",
			        err.id);
	}
	check_rules(&P, rc == 0);
	/* The structure broke before the CRC: when the text still ends like a
	 * CRC object, say whether that CRC holds (a wrong one points at
	 * damage or at a generator's bug). */
	bool ascii_tail = len >= 8;
	for (size_t i = len >= 8 ? len - 8 : 0; ascii_tail && i < len; i++)
		ascii_tail = (unsigned char)s[i] < 0x80;
	if (rc != 0 && err.code != BRCODE_E_AFTER_CRC && err.code != BRCODE_E_CRC_FORMAT &&
	    !info->crc_checked && ascii_tail && memcmp(s + len - 8, "6304", 4) == 0) {
		char want[5];
		info->crc_computed = P.crc_head; /* of s[0 .. len - 4) */
		info->crc_checked = true;
		crc_hex(info->crc_computed, want);
		if (memcmp(s + len - 4, want, 4) != 0)
			problem(info, DIAG_ERROR, BRCODE_E_CRC_MISMATCH, "63", (int)info->nchars - 7,
			        "the text ends like a CRC object but %.4s does not match the payload "
			        "(computed %s)",
			        s + len - 4, want);
	}
	return info->nerrors ? -1 : 0;
}

/* ---- encoding ---- */

struct writer {
	char *p;
	size_t len;
};

static void put(struct writer *w, int id, const char *v, size_t n)
{
	char *o = w->p + w->len;
	o[0] = (char)('0' + id / 10);
	o[1] = (char)('0' + id % 10);
	o[2] = (char)('0' + (int)n / 10);
	o[3] = (char)('0' + (int)n % 10);
	memcpy(o + 4, v, n);
	w->len += 4 + n;
}

/* name/city: ASCII, at most max characters; a cut is reported. */
static int ascii_field(const char *in, size_t max, const char *field, const char *what, char *out,
                       diag_sink warn, void *ctx, struct diag *d)
{
	char buf[BRCODE_TEMPLATE_MAX + 1];
	size_t dropped = 0;
	if (!in)
		in = "";
	size_t full = text_to_ascii(in, strlen(in), buf, sizeof buf, &dropped);
	if (full == 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, field, "the %s is empty%s", what,
		                dropped ? " once characters with no ASCII form are left out" : "");
	if (dropped)
		diag_warn(warn, ctx, NULL, 0, 0, field,
		          "%zu character%s of the %s had no ASCII form and %s left out", dropped,
		          dropped == 1 ? "" : "s", what, dropped == 1 ? "was" : "were");
	size_t n = full < max ? full : max;
	memcpy(out, buf, n);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (full > max)
		diag_warn(warn, ctx, NULL, 0, 0, field,
		          "the %s has %zu characters, cut to %zu: '%s' (informative only: the payer's app "
		          "shows what is registered with the key)",
		          what, full, max, out);
	return (int)n;
}

static int check_txid_arg(const char *t, struct diag *d)
{
	size_t n = strlen(t);
	if (n > BRCODE_TXID_MAX)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "62-05",
		                "txid '%s' has %zu characters; a static code takes at most %d (charges use "
		                "26-35 through a dynamic code)",
		                t, n, BRCODE_TXID_MAX);
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)t[i]))
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "62-05",
			    "txid '%s': only letters A-Z, a-z and digits are allowed (found '%c' at "
			    "position %zu; Pix refuses '-', '_' and spaces)",
			    t, t[i], i + 1);
	return 0;
}

int brcode_encode(const struct brcode_request *rq, struct brcode_payload *out, diag_sink warn, void *ctx,
                  struct diag *d)
{
	char key[BRCODE_KEY_MAX + 1] = "", name[BRCODE_NAME_MAX + 1], city[BRCODE_CITY_MAX + 1];
	char desc[BRCODE_TEMPLATE_MAX + 1] = "", url[BRCODE_URL_MAX + 1] = "", postal[9] = "";
	char amount[24], tmpl[BRCODE_TEMPLATE_MAX + 1];
	const char *txid = "***";
	size_t klen = 0, ulen = 0, dlen = 0;
	bool dynamic = rq->url != NULL;

	out->len = 0;
	out->text[0] = '\0';
	if ((rq->key != NULL) == (rq->url != NULL))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "26",
		                "give either a Pix key (static code) or a URL (dynamic code), not %s",
		                rq->key ? "both" : "neither");
	if (!dynamic) {
		const char *why = NULL;
		if (brcode_key_normalize(rq->key, key, &why) == BRCODE_KEY_NONE)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "26-01", "Pix key '%s': %s", rq->key, why);
		klen = strlen(key);
	} else {
		const char *u = rq->url;
		size_t n = strlen(u);
		text_trim(&u, &n);
		size_t skip = starts_with_ci(u, n, "https://") ? 8 : starts_with_ci(u, n, "http://") ? 7 : 0;
		if (skip)
			diag_warn(
			    warn, ctx, NULL, 0, 0, "26-25",
			    "the URL is written without its scheme: '%.*s' removed (the payer's app uses "
			    "https://)",
			    (int)skip, u);
		u += skip;
		n -= skip;
		/* "https://https://..." would still carry a scheme, which every
		 * reader refuses: say so rather than write that code. */
		if (starts_with_ci(u, n, "https://") || starts_with_ci(u, n, "http://"))
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "26-25",
			                "the URL has a second scheme after the first: '%.*s'", (int)(n < 60 ? n : 60), u);
		if (n == 0 || n > BRCODE_URL_MAX)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "26-25",
			                "the URL has %zu characters without its scheme, 1 to %d allowed", n,
			                BRCODE_URL_MAX);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7F)
				return diag_set(
				    d, DIAG_ERROR, NULL, 0, 0, "26-25",
				    "the URL has a blank or a character outside printable ASCII at "
				    "position %zu",
				    i + 1);
		memcpy(url, u, n);
		url[n] = '\0';
		ulen = n;
		if (rq->amount_cents)
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "54",
			    "a dynamic code carries no amount: the charge's JSON at the URL holds it");
		if (rq->txid && *rq->txid && strcmp(rq->txid, "***") != 0)
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "62-05",
			    "a dynamic code writes *** as txid: the charge's JSON at the URL holds it");
		if (rq->description && *rq->description)
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "26-02",
			    "a dynamic code carries no additional information (static codes only)");
	}
	if (rq->amount_cents < 0 || rq->amount_cents > BRCODE_MAX_CENTS)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "54",
		                "the amount must be between 0.01 and 9999999999.99");
	if (rq->initiation != 0 && rq->initiation != 11 && rq->initiation != 12)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "01",
		                "point of initiation is 11 (reusable) or 12 (single use)");
	if (rq->txid && *rq->txid && strcmp(rq->txid, "***") != 0) {
		if (check_txid_arg(rq->txid, d) != 0)
			return -1;
		txid = rq->txid;
	}
	if (rq->postal_code) {
		size_t n = 0;
		for (const char *p = rq->postal_code; *p; p++) {
			if (*p == '-' && n == 5)
				continue;
			if (!is_digit((unsigned char)*p) || n == 8)
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, "61",
				                "postal code '%s' is not a CEP (8 digits, e.g. 01310-100)",
				                rq->postal_code);
			postal[n++] = *p;
		}
		if (n != 8)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "61",
			                "postal code '%s' is not a CEP (8 digits, e.g. 01310-100)",
			                rq->postal_code);
		postal[8] = '\0';
	}
	int nlen = ascii_field(rq->name, BRCODE_NAME_MAX, "59", "merchant name", name, warn, ctx, d);
	if (nlen < 0)
		return -1;
	int clen = ascii_field(rq->city, BRCODE_CITY_MAX, "60", "merchant city", city, warn, ctx, d);
	if (clen < 0)
		return -1;
	if (rq->description && *rq->description) {
		size_t dropped = 0;
		size_t full =
		    text_to_ascii(rq->description, strlen(rq->description), desc, sizeof desc, &dropped);
		if (dropped)
			diag_warn(
			    warn, ctx, NULL, 0, 0, "26-02",
			    "%zu character%s of the additional information had no ASCII form and %s left out",
			    dropped, dropped == 1 ? "" : "s", dropped == 1 ? "was" : "were");
		/* 26 = GUI (4 + 14) + key (4 + klen) + this (4 + n) <= 99 */
		size_t room = BRCODE_TEMPLATE_MAX - 18 - 4 - klen;
		room = room >= 4 ? room - 4 : 0;
		if (full > room)
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "26-02",
			    "the additional information has %zu characters; with this key at most %zu "
			    "fit in template 26 (99 characters)",
			    full, room);
		dlen = full;
	}

	/* the Pix template */
	struct writer t = {tmpl, 0};
	put(&t, 0, PIX_GUI, PIX_GUI_LEN);
	if (dynamic)
		put(&t, 25, url, ulen);
	else
		put(&t, 1, key, klen);
	if (dlen)
		put(&t, 2, desc, dlen);

	struct writer w = {out->text, 0};
	put(&w, 0, "01", 2);
	int init = rq->initiation ? rq->initiation : dynamic ? 12 : 0;
	if (init)
		put(&w, 1, init == 11 ? "11" : "12", 2);
	put(&w, 26, tmpl, t.len);
	put(&w, 52, "0000", 4);
	put(&w, 53, "986", 3);
	if (rq->amount_cents > 0)
		put(&w, 54, amount, brcode_amount_format(rq->amount_cents, amount));
	put(&w, 58, "BR", 2);
	put(&w, 59, name, (size_t)nlen);
	put(&w, 60, city, (size_t)clen);
	if (postal[0])
		put(&w, 61, postal, 8);
	char add[4 + BRCODE_TXID_MAX];
	struct writer a = {add, 0};
	put(&a, 5, txid, strlen(txid));
	put(&w, 62, add, a.len);
	memcpy(w.p + w.len, "6304", 4);
	w.len += 4;
	crc_hex(brcode_crc16(w.p, w.len), w.p + w.len);
	w.len += 4;
	out->len = w.len;
	return 0;
}
