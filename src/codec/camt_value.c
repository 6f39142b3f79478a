/* The text forms of camt values: amounts (exact, never through double),
 * dates and date-times, booleans, identifiers. */
#include "config.h"

#include <string.h>

#include "codec/camt_internal.h"
#include "core/money.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_blank(**s))
		(*s)++, (*len)--;
	while (*len && is_blank((*s)[*len - 1]))
		(*len)--;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int camt_amount_parse(const char *s, size_t len, int64_t *cents, const char **why)
{
	int64_t units = 0;
	size_t i = 0, int_digits = 0, frac_digits = 0;
	int frac[2] = {0, 0};
	int lost = 0;
	trim(&s, &len);
	*why = "an amount like 123.45";
	for (; i < len && is_digit(s[i]); i++, int_digits++) {
		if (units > (MONEY_MAX_CENTS / 100 - 9) / 10) {
			*why = "an amount below R$ 10^15";
			return -1;
		}
		units = units * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit(s[i]); i++, frac_digits++) {
			if (frac_digits < 2)
				frac[frac_digits] = s[i] - '0';
			else if (s[i] != '0')
				lost = 1;
		}
	}
	if (i != len || int_digits + frac_digits == 0)
		return -1;
	if (lost)
		return -2;
	*cents = units * 100 + frac[0] * 10 + frac[1];
	return 0;
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* The date part "YYYY-MM-DD" or "YYYYMMDD"; returns its length, or 0. */
static size_t date_part(const char *s, size_t len, cdate *out)
{
	int y, m, d;
	size_t used;
	if (len >= 10 && s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
			return 0;
		used = 10;
	} else if (len >= 8) {
		if (digits(s, 4, &y) || digits(s + 4, 2, &m) || digits(s + 6, 2, &d))
			return 0;
		used = 8;
	} else {
		return 0;
	}
	*out = date_from_ymd(y, m, d);
	return *out == CDATE_NONE ? 0 : used;
}

/* "Z", "+hh:mm", "-hh:mm" (also without the colon): minutes east of UTC.
 * Returns the length read, 0 when not a zone. */
static size_t zone_part(const char *s, size_t len, int *minutes)
{
	int h, m;
	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*minutes = 0;
		return 1;
	}
	if (len < 5 || (s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h))
		return 0;
	size_t mpos = s[3] == ':' ? 4 : 3;
	if (len != mpos + 2 || digits(s + mpos, 2, &m) || h > 14 || m > 59)
		return 0;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return len;
}

int camt_date_parse(const char *s, size_t len, cdate *out)
{
	int zone;
	trim(&s, &len);
	size_t used = date_part(s, len, out);
	if (used == 0)
		return -1;
	if (used == len || zone_part(s + used, len - used, &zone) == len - used)
		return 0;
	return -1;
}

int camt_datetime_parse(const char *s, size_t len, cdate *out)
{
	int h, m, sec = 0, zone = 0;
	cdate day;
	trim(&s, &len);
	size_t i = date_part(s, len, &day);
	if (i == 0 || i >= len || (s[i] != 'T' && s[i] != 't'))
		return -1;
	i++;
	if (len - i < 5 || digits(s + i, 2, &h) || s[i + 2] != ':' || digits(s + i + 3, 2, &m))
		return -1;
	i += 5;
	if (i < len && s[i] == ':') {
		if (len - i < 3 || digits(s + i + 1, 2, &sec))
			return -1;
		i += 3;
		if (i < len && (s[i] == '.' || s[i] == ',')) {
			size_t f = ++i;
			while (i < len && is_digit(s[i]))
				i++;
			if (i == f)
				return -1;
		}
	}
	if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m || sec)))
		return -1;
	if (i < len) {
		if (zone_part(s + i, len - i, &zone) != len - i)
			return -1;
		/* An instant: the business date is Brasília's (UTC-3, no daylight
		 * saving since 2019). */
		int local = h * 60 + m - zone - 180;
		day += local < 0 ? -((-local + 1439) / 1440) : local / 1440;
	}
	*out = day;
	return 0;
}

int camt_bool_parse(const char *s, size_t len)
{
	trim(&s, &len);
	if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 1 && s[0] == '1'))
		return 1;
	if ((len == 5 && memcmp(s, "false", 5) == 0) || (len == 1 && s[0] == '0'))
		return 0;
	return -1;
}

void camt_text_copy(char *dst, size_t n, const char *s, size_t len)
{
	size_t o = 0;
	int space = 0;
	if (n == 0)
		return;
	trim(&s, &len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_blank((char)c)) {
			space = 1;
			continue;
		}
		size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (o + space + k >= n)
			break;
		if (space)
			dst[o++] = ' ';
		space = 0;
		for (size_t j = 0; j < k && i + j < len; j++)
			dst[o++] = s[i + j];
		i += k - 1;
	}
	dst[o] = '\0';
}

static int alnum_run(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return -1;
	return (int)i;
}

int camt_is_pix_id(const char *s)
{
	return alnum_run(s) == 32;
}

int camt_is_refund_id(const char *s)
{
	return camt_is_pix_id(s) && s[0] == 'D';
}

int camt_is_txid(const char *s)
{
	int n = alnum_run(s);
	return n >= 1 && n <= 35;
}
