/* Civil dates as day counts since 1970-01-01 (proleptic Gregorian).
 *
 * The conversions follow Howard Hinnant's "chrono-compatible low-level date
 * algorithms": shift the year to start on March 1st so that the leap day
 * is the last day of the shifted year, then count 400-year eras of exactly
 * 146097 days. That keeps both directions branch-free and exact. */
#include "config.h"

#include "core/date.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days between 0000-03-01 (the start of era 0 in the shifted calendar)
 * and 1970-01-01. */
#define EPOCH_SHIFT 719468

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

cdate date_from_ymd(int y, int m, int d)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return CDATE_NONE;

	/* Shifted year: January and February belong to the previous one. */
	int sy = m <= 2 ? y - 1 : y;
	int era = (sy >= 0 ? sy : sy - 399) / 400;
	int yoe = sy - era * 400;                  /* year of era, 0..399 */
	int mp = m > 2 ? m - 3 : m + 9;            /* March = 0 ... February = 11 */
	int doy = (153 * mp + 2) / 5 + d - 1;      /* day of shifted year, 0..365 */
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* day of era, 0..146096 */

	return (cdate)(era * 146097 + doe - EPOCH_SHIFT);
}

void date_to_ymd(cdate d, int *y, int *m, int *day)
{
	if (d == CDATE_NONE) {
		*y = *m = *day = 0;
		return;
	}
	/* 64-bit so that the shift cannot overflow near INT32_MAX. */
	int64_t z = (int64_t)d + EPOCH_SHIFT;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	/* The corrections remove the leap days already counted within the
	 * era (every 4th year, minus every 100th, plus the 400th) so that
	 * dividing by 365 yields the year of era. */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int date_weekday(cdate d)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = ((int64_t)d + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* Reads exactly n ASCII digits; -1 when any is not a digit. */
static int read_num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int set_ymd(int y, int m, int d, cdate *out)
{
	cdate r;

	if (y < 0 || m < 0 || d < 0)
		return -1;
	r = date_from_ymd(y, m, d);
	if (r == CDATE_NONE)
		return -1;
	*out = r;
	return 0;
}

int date_parse_iso(const char *s, size_t len, cdate *out)
{
	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	return set_ymd(read_num(s, 4), read_num(s + 5, 2), read_num(s + 8, 2), out);
}

/* Day and month may have one or two digits ("5/3/2026" is what some
 * spreadsheets export); the year always has four. */
int date_parse_br(const char *s, size_t len, cdate *out)
{
	size_t i = 0, dl, ml;

	if (s == NULL)
		return -1;
	for (dl = 0; i < len && s[i] != '/'; i++)
		dl++;
	if (i++ >= len)
		return -1;
	size_t mstart = i;
	for (ml = 0; i < len && s[i] != '/'; i++)
		ml++;
	if (i++ >= len)
		return -1;
	if (dl < 1 || dl > 2 || ml < 1 || ml > 2 || len - i != 4)
		return -1;
	return set_ymd(read_num(s + i, 4), read_num(s + mstart, ml), read_num(s, dl), out);
}

int date_parse_text(const char *s, size_t len, cdate *out)
{
	if (s != NULL && len == 10 && s[4] == '-')
		return date_parse_iso(s, len, out);
	return date_parse_br(s, len, out);
}

/* CNAB writes "no date" as zeros or as blanks. */
static bool is_no_date(const char *s, size_t len)
{
	bool zeros = true, blanks = true;

	for (size_t i = 0; i < len; i++) {
		zeros = zeros && s[i] == '0';
		blanks = blanks && s[i] == ' ';
	}
	return zeros || blanks;
}

int date_parse_ddmmyyyy(const char *s, size_t len, cdate *out)
{
	if (s == NULL || len != 8)
		return -1;
	if (is_no_date(s, len)) {
		*out = CDATE_NONE;
		return 1;
	}
	return set_ymd(read_num(s + 4, 4), read_num(s + 2, 2), read_num(s, 2), out) < 0 ? -1 : 0;
}

int date_parse_yyyymmdd(const char *s, size_t len, cdate *out)
{
	if (s == NULL || len != 8)
		return -1;
	if (is_no_date(s, len)) {
		*out = CDATE_NONE;
		return 1;
	}
	return set_ymd(read_num(s, 4), read_num(s + 4, 2), read_num(s + 6, 2), out) < 0 ? -1 : 0;
}

/* The century is whichever puts the date nearest to the pivot (the file's
 * own generation date): a CNAB 400 return holds dates a few months around
 * the day it was written. All three neighbouring centuries are tried
 * because 29/02/00 exists in 2000 but not in 1900 or 2100. */
int date_parse_ddmmyy(const char *s, size_t len, cdate pivot, cdate *out)
{
	if (s == NULL || len != 6)
		return -1;
	if (is_no_date(s, len)) {
		*out = CDATE_NONE;
		return 1;
	}
	int dd = read_num(s, 2), mm = read_num(s + 2, 2), yy = read_num(s + 4, 2);
	if (dd < 0 || mm < 0 || yy < 0)
		return -1;
	if (pivot == CDATE_NONE)
		pivot = date_today();

	int py, pm, pd;
	date_to_ymd(pivot, &py, &pm, &pd);
	int base = py / 100 * 100;
	cdate best = CDATE_NONE;
	int64_t best_dist = 0;
	for (int c = -100; c <= 100; c += 100) {
		cdate cand = date_from_ymd(base + c + yy, mm, dd);
		if (cand == CDATE_NONE)
			continue;
		int64_t dist = (int64_t)cand - pivot;
		if (dist < 0)
			dist = -dist;
		if (best == CDATE_NONE || dist < best_dist) {
			best = cand;
			best_dist = dist;
		}
	}
	if (best == CDATE_NONE)
		return -1;
	*out = best;
	return 0;
}

/* Writes the text into buf when it fits whole; otherwise "" (a cut date
 * would be a different, wrong date). */
static size_t put_whole(const char *text, size_t tlen, char *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (tlen >= n) {
		buf[0] = '\0';
		return 0;
	}
	memcpy(buf, text, tlen + 1);
	return tlen;
}

size_t date_format_iso(cdate d, char *buf, size_t n)
{
	char tmp[40];
	int y, m, dd;

	if (d == CDATE_NONE)
		return put_whole("", 0, buf, n);
	date_to_ymd(d, &y, &m, &dd);
	/* Written digit by digit: the ledger formats several dates per event,
	 * a million events per import. */
	if (y < 1 || y > 9999) {
		int k = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, dd);
		return put_whole(tmp, (size_t)k, buf, n);
	}
	tmp[0] = (char)('0' + y / 1000), tmp[1] = (char)('0' + y / 100 % 10);
	tmp[2] = (char)('0' + y / 10 % 10), tmp[3] = (char)('0' + y % 10), tmp[4] = '-';
	tmp[5] = (char)('0' + m / 10), tmp[6] = (char)('0' + m % 10), tmp[7] = '-';
	tmp[8] = (char)('0' + dd / 10), tmp[9] = (char)('0' + dd % 10), tmp[10] = '\0';
	return put_whole(tmp, 10, buf, n);
}

size_t date_format_br(cdate d, char *buf, size_t n)
{
	char tmp[40];
	int y, m, dd;

	if (d == CDATE_NONE)
		return put_whole("", 0, buf, n);
	date_to_ymd(d, &y, &m, &dd);
	int k = snprintf(tmp, sizeof(tmp), "%02d/%02d/%04d", dd, m, y);
	return put_whole(tmp, (size_t)k, buf, n);
}

/* Brasília has been UTC-3 all year since daylight saving time was
 * abolished in 2019. An unparsable $CONCILIA_TODAY is ignored (the real
 * clock is used): this layer cannot report errors, and the CLI can check
 * the variable itself if it wants to refuse it. */
cdate date_today(void)
{
	const char *env = getenv("CONCILIA_TODAY");
	cdate d;

	if (env != NULL && date_parse_iso(env, strlen(env), &d) == 0)
		return d;

	int64_t t = (int64_t)time(NULL) - 3 * 3600;
	int64_t days = t / 86400;
	if (t % 86400 < 0)
		days--;
	return (cdate)days;
}
