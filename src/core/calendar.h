/* The business-day calendar: national bank holidays for any year
 * (fixed dates and the Easter-based ones) plus configured extra holidays
 * (state, city). One module, used for due dates and contact windows alike. */
#ifndef CONCILIA_CALENDAR_H
#define CONCILIA_CALENDAR_H

#include <stdbool.h>
#include "core/date.h"

struct calendar;

/* A calendar with the national bank holidays only. Free with calendar_free. */
struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);

/* Adds a one-off holiday (e.g. a city anniversary in a given year). The
 * name is copied. Returns 0, or -1 on allocation failure. */
int calendar_add_holiday(struct calendar *cal, cdate d, const char *name);

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
