/* The business-day calendar: national bank holidays for any year
 * (fixed dates and the Easter-based ones) plus configured extra holidays
 * (state, city). One module, used for due dates and contact windows alike. */
#ifndef CONCILIA_CALENDAR_H
#define CONCILIA_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"
#include "core/diag.h"

struct calendar;

/* A calendar with the national bank holidays only. Free with calendar_free. */
struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);

/* Adds a one-off holiday (e.g. a city anniversary in a given year). The
 * name is copied. Returns 0, or -1 on allocation failure. */
int calendar_add_holiday(struct calendar *cal, cdate d, const char *name);

/* Adds a holiday observed every year on month/day (a city's anniversary,
 * FEBRABAN's 31 December without clearing). Re-adding replaces the name.
 * Returns 0, or -1 for an impossible date or on allocation failure. */
int calendar_add_annual_holiday(struct calendar *cal, int month, int day, const char *name);

/* The calendar of one state (UF, "SP"): cal's holidays plus those added to
 * the returned calendar, which cal owns (freed with it). Created on first
 * use; NULL for an unknown UF, for a state calendar, or when out of memory. */
struct calendar *calendar_state(struct calendar *cal, const char *uf);

/* The calendar for a payer in state uf: its state calendar when one was
 * configured, else cal itself (also when uf is NULL or ""). */
const struct calendar *calendar_for_state(const struct calendar *cal, const char *uf);

/* Reads a holidays file into cal (README "Holidays"): one holiday a line,
 *   YYYY-MM-DD [UF] name     that day only
 *   MM-DD [UF] name          every year
 * with "[SP]" limiting it to one state; blank lines and lines starting
 * with '#' are skipped. Returns 0, or -1 with err as
 * "FILE:LINE:COL: error: ..." for the first bad line (cal may then hold the
 * lines before it). */
int calendar_load_holidays(struct calendar *cal, const char *filename, const unsigned char *buf, size_t len,
			   struct diag *err);

/* Easter Sunday of year y (Gregorian computus). */
cdate calendar_easter(int y);

/* Name of the holiday on d ("Sexta-feira Santa", "Carnaval", ...), or NULL. */
const char *calendar_holiday_name(const struct calendar *cal, cdate d);

/* Weekend or holiday => false. */
bool calendar_is_business_day(const struct calendar *cal, cdate d);

/* d itself when it is a business day, else the next one. */
cdate calendar_next_business_day(const struct calendar *cal, cdate d);

/* The last business day strictly before d. */
cdate calendar_previous_business_day(const struct calendar *cal, cdate d);

#endif
