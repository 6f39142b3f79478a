/* Civil dates (no time, no time zone) as a day count, so that date
 * arithmetic is integer arithmetic. */
#ifndef CONCILIA_DATE_H
#define CONCILIA_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t cdate;
#define CDATE_NONE INT32_MIN

/* Returns CDATE_NONE when y/m/d is not a real date (e.g. 2025-02-29).
 * Valid years: 1 to 9999. */
cdate date_from_ymd(int y, int m, int d);
void date_to_ymd(cdate d, int *y, int *m, int *day);
/* 0 = Sunday ... 6 = Saturday */
int date_weekday(cdate d);

/* Text forms. Each returns 0 and sets *out, or -1 (not a date). */
int date_parse_iso(const char *s, size_t len, cdate *out);      /* YYYY-MM-DD */
int date_parse_br(const char *s, size_t len, cdate *out);       /* DD/MM/YYYY */
int date_parse_text(const char *s, size_t len, cdate *out);     /* either */

/* CNAB fields. Return 0 with a date, 1 when the field means "no date"
 * (all zeros or all blanks: *out = CDATE_NONE), -1 when invalid. */
int date_parse_ddmmyyyy(const char *s, size_t len, cdate *out); /* 240 */
int date_parse_ddmmyy(const char *s, size_t len, cdate pivot, cdate *out); /* 400 */
int date_parse_yyyymmdd(const char *s, size_t len, cdate *out);

/* "2026-11-24" (buf >= 11) and "24/11/2026" (buf >= 11); "" for CDATE_NONE. */
size_t date_format_iso(cdate d, char *buf, size_t n);
size_t date_format_br(cdate d, char *buf, size_t n);

/* Today's civil date in UTC-3 (Brasília), or $CONCILIA_TODAY (YYYY-MM-DD)
 * when set: tests and replays pin the clock that way. */
cdate date_today(void);

#endif
