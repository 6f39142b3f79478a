/* Money parsing, formatting and rounding on int64_t centavos. Nothing here
 * touches floating point: amounts go text -> integer -> text. */
#include "config.h"

#include "core/money.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Blanks around an amount, including the no-break space that spreadsheet
 * currency formats put after "R$" (UTF-8 C2 A0 or a lone Latin-1 A0).
 * Returns how many bytes of s[i..len) form one blank, 0 if none. */
static size_t blank_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (is_blank((char)c) || c == 0xA0)
		return 1;
	if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
		return 2;
	return 0;
}

static size_t blank_before(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[len - 1];

	if (is_blank((char)c))
		return 1;
	if (c == 0xA0)
		return (len >= 2 && (unsigned char)s[len - 2] == 0xC2) ? 2 : 1;
	return 0;
}

static void skip_blanks(const char *s, size_t len, size_t *i)
{
	size_t k;

	while (*i < len && (k = blank_at(s, len, *i)) > 0)
		*i += k;
}

/* Accumulates the digits of s[from..to) into *v (already holding the more
 * significant part), refusing anything above limit. */
static int add_digits(const char *s, size_t from, size_t to, int64_t limit, int64_t *v)
{
	for (size_t i = from; i < to; i++) {
		int dg = s[i] - '0';

		if (*v > (limit - dg) / 10)
			return -1;
		*v = *v * 10 + dg;
	}
	return 0;
}

/* Checks that s[from..to) is digits grouped by thousands with sep: a head
 * of 1-3 digits, then groups of exactly three ("1.234.567"). */
static bool grouping_ok(const char *s, size_t from, size_t to, char sep)
{
	size_t run = 0;
	bool first = true;

	for (size_t i = from; i < to; i++) {
		if (s[i] == sep) {
			if (first ? (run < 1 || run > 3) : run != 3)
				return false;
			first = false;
			run = 0;
		} else {
			run++;
		}
	}
	return first ? run >= 1 : run == 3;
}

int money_parse_decimal(const char *s, size_t len, int64_t *cents, const char **why)
{
	static const char *const e_empty = "empty amount";
	const char *msg = NULL;
	size_t i = 0, end = len;
	bool neg = false;

	if (s == NULL)
		len = end = 0;
	skip_blanks(s, len, &i);
	while (end > i) {
		size_t k = blank_before(s, end);
		if (k == 0)
			break;
		end -= k;
	}
	if (i == end) {
		msg = e_empty;
		goto fail;
	}

	/* "-R$ 5,00" and "R$ -5,00" both occur; one sign at most. */
	if (s[i] == '-') {
		neg = true;
		i++;
		skip_blanks(s, end, &i);
	}
	if (end - i >= 2 && (s[i] == 'R' || s[i] == 'r') && s[i + 1] == '$') {
		i += 2;
		skip_blanks(s, end, &i);
		if (!neg && i < end && s[i] == '-') {
			neg = true;
			i++;
			skip_blanks(s, end, &i);
		}
	}
	if (i == end) {
		msg = "no digits in amount";
		goto fail;
	}

	/* Shape of the number: which separators occur, how often, where. */
	size_t n_dot = 0, n_comma = 0, last_dot = 0, last_comma = 0;
	for (size_t k = i; k < end; k++) {
		if (s[k] == '.') {
			n_dot++;
			last_dot = k;
		} else if (s[k] == ',') {
			n_comma++;
			last_comma = k;
		} else if (!is_digit(s[k])) {
			msg = "invalid character in amount (expected digits, '.' or ',')";
			goto fail;
		}
	}
	if (!is_digit(s[i])) {
		msg = "amount must start with a digit";
		goto fail;
	}

	size_t int_end = end; /* integer part is s[i..int_end) */
	size_t dec_pos = end; /* decimal separator, or end when none */
	char group = 0;       /* thousands separator, 0 when none */

	if (n_dot > 0 && n_comma > 0) {
		/* The last separator is the decimal one; it occurs once, and
		 * the other one groups thousands before it. */
		bool comma_dec = last_comma > last_dot;
		dec_pos = comma_dec ? last_comma : last_dot;
		if ((comma_dec ? n_comma : n_dot) != 1) {
			msg = "misplaced thousands separator";
			goto fail;
		}
		group = comma_dec ? '.' : ',';
		int_end = dec_pos;
	} else if (n_dot + n_comma == 1) {
		size_t pos = n_dot ? last_dot : last_comma;
		size_t after = end - pos - 1;
		if (after == 3) {
			msg = "ambiguous amount: a single '.' or ',' followed by three digits "
			      "could be thousands or decimals";
			goto fail;
		}
		dec_pos = int_end = pos;
	} else if (n_dot + n_comma > 1) {
		/* Repeated separator of one kind: only thousands grouping. */
		group = n_dot ? '.' : ',';
	}

	if (group && !grouping_ok(s, i, int_end, group)) {
		msg = "misplaced thousands separator";
		goto fail;
	}

	size_t ndec = dec_pos < end ? end - dec_pos - 1 : 0;
	if (dec_pos < end && ndec == 0) {
		msg = "no digits after the decimal separator";
		goto fail;
	}
	if (ndec > 2) {
		msg = "more than two decimals in amount";
		goto fail;
	}

	int64_t v = 0;
	for (size_t k = i; k < int_end; k++) {
		if (s[k] == group)
			continue;
		if (add_digits(s, k, k + 1, MONEY_MAX_CENTS / 100, &v) < 0) {
			msg = "amount too large";
			goto fail;
		}
	}
	v *= 100;
	if (ndec >= 1)
		v += (s[dec_pos + 1] - '0') * 10;
	if (ndec == 2)
		v += s[dec_pos + 2] - '0';
	if (v > MONEY_MAX_CENTS) {
		msg = "amount too large";
		goto fail;
	}
	*cents = neg ? -v : v;
	return 0;

fail:
	if (why)
		*why = msg;
	return -1;
}

/* An empty field is refused (*bad_index = 0): the caller decides what a
 * blank field means before calling. On overflow *bad_index is the offset of
 * the digit that pushed the value past MONEY_MAX_CENTS (a digit, so the
 * caller can tell the two failures apart). */
int money_parse_digits(const char *s, size_t len, int64_t *cents, size_t *bad_index)
{
	int64_t v = 0;

	if (len == 0 || s == NULL) {
		if (bad_index)
			*bad_index = 0;
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]) || add_digits(s, i, i + 1, MONEY_MAX_CENTS, &v) < 0) {
			if (bad_index)
				*bad_index = i;
			return -1;
		}
	}
	*cents = v;
	return 0;
}

/* Copies the finished text into buf, truncated to fit; returns the bytes
 * written without the NUL. */
static size_t put(const char *text, size_t tlen, char *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (tlen >= n)
		tlen = n - 1;
	memcpy(buf, text, tlen);
	buf[tlen] = '\0';
	return tlen;
}

/* Writes |cents| / 100 right-aligned ending at *p (moving *p backwards),
 * with a thousands separator when group != 0. */
static char *put_units(uint64_t units, char group, char *p)
{
	int k = 0;

	do {
		if (group && k > 0 && k % 3 == 0)
			*--p = group;
		*--p = (char)('0' + units % 10);
		units /= 10;
		k++;
	} while (units > 0);
	return p;
}

/* Common formatter: [minus][prefix]units<dec>cc. */
static size_t format_amount(int64_t cents, const char *prefix, char group, char dec, char *buf,
			    size_t n)
{
	char tmp[48];
	char *end = tmp + sizeof(tmp);
	char *p = end;
	/* Magnitude in unsigned arithmetic so that INT64_MIN works too. */
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	*--p = (char)('0' + mag % 10);
	*--p = (char)('0' + mag / 10 % 10);
	*--p = dec;
	p = put_units(mag / 100, group, p);
	size_t plen = strlen(prefix);
	p -= plen;
	memcpy(p, prefix, plen);
	if (cents < 0)
		*--p = '-';
	return put(p, (size_t)(end - p), buf, n);
}

size_t money_format(int64_t cents, char *buf, size_t n)
{
	return format_amount(cents, "", 0, '.', buf, n);
}

size_t money_format_brl(int64_t cents, char *buf, size_t n)
{
	return format_amount(cents, "R$ ", '.', ',', buf, n);
}

size_t money_format_comma(int64_t cents, char *buf, size_t n)
{
	return format_amount(cents, "", 0, ',', buf, n);
}

int percent_parse(const char *s, size_t len, int64_t *e4, const char **why)
{
	const char *msg = NULL;
	size_t i = 0, end = len;

	if (s == NULL)
		len = end = 0;
	while (i < end && is_blank(s[i]))
		i++;
	while (end > i && is_blank(s[end - 1]))
		end--;
	/* "2%" is how people write it; the sign carries no information. */
	if (end > i && s[end - 1] == '%') {
		end--;
		while (end > i && is_blank(s[end - 1]))
			end--;
	}
	if (i == end) {
		msg = "empty percentage";
		goto fail;
	}
	if (s[i] == '-') {
		msg = "negative percentage";
		goto fail;
	}
	if (!is_digit(s[i])) {
		msg = "percentage must start with a digit";
		goto fail;
	}

	int64_t v = 0;
	size_t k = i;
	while (k < end && is_digit(s[k])) {
		/* 100% is the ceiling, so a handful of digits is plenty; leading
		 * zeros still parse because v stays small. */
		if (add_digits(s, k, k + 1, 1000, &v) < 0) {
			msg = "percentage above 100%";
			goto fail;
		}
		k++;
	}
	int ndec = 0;
	if (k < end) {
		if (s[k] != '.' && s[k] != ',') {
			msg = "invalid character in percentage";
			goto fail;
		}
		k++;
		if (k == end) {
			msg = "no digits after the decimal separator";
			goto fail;
		}
		for (; k < end; k++) {
			if (!is_digit(s[k])) {
				msg = "invalid character in percentage";
				goto fail;
			}
			if (ndec == 4) {
				msg = "more than four decimals in percentage";
				goto fail;
			}
			v = v * 10 + (s[k] - '0');
			ndec++;
		}
	}
	for (; ndec < 4; ndec++)
		v *= 10;
	if (v > 1000000) {
		msg = "percentage above 100%";
		goto fail;
	}
	*e4 = v;
	return 0;

fail:
	if (why)
		*why = msg;
	return -1;
}

/* d <= 0 is a caller bug: d < 0 is handled by flipping signs, d == 0
 * returns 0. A result outside int64_t (a caller bug too) saturates rather
 * than wrapping. */
int64_t money_muldiv_round(int64_t a, int64_t b, int64_t d)
{
	__int128 p = (__int128)a * b;
	__int128 dd = d;

	if (d == 0)
		return 0;
	if (dd < 0) {
		dd = -dd;
		p = -p;
	}
	__int128 q = p / dd; /* truncates toward zero */
	__int128 r = p % dd; /* same sign as p */
	if (r < 0)
		r = -r;
	if (2 * r >= dd)
		q += p < 0 ? -1 : 1;
	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < INT64_MIN)
		return INT64_MIN;
	return (int64_t)q;
}
