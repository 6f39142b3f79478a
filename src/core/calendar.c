/* Bank business days: weekends, national bank holidays (computed per year,
 * nothing stored) and extra holidays kept in a sorted array for binary
 * search, since lookups run once or more per payment. */
#include "config.h"

#include "core/calendar.h"

#include <stdlib.h>
#include <string.h>

struct extra_holiday {
	cdate day;
	char *name;
};

struct calendar {
	struct extra_holiday *extra; /* sorted by day, no duplicates */
	size_t n, cap;
};

struct fixed_holiday {
	int month, day;
	int from_year; /* first year it is observed */
	const char *name;
};

/* National holidays on fixed dates (Lei 662/1949, 6.802/1980, 10.607/2002,
 * 14.759/2023 for 20 November). */
static const struct fixed_holiday fixed[] = {
	{1, 1, 0, "Confraternização Universal"},
	{4, 21, 0, "Tiradentes"},
	{5, 1, 0, "Dia do Trabalho"},
	{9, 7, 0, "Independência do Brasil"},
	{10, 12, 0, "Nossa Senhora Aparecida"},
	{11, 2, 0, "Finados"},
	{11, 15, 0, "Proclamação da República"},
	{11, 20, 2024, "Dia Nacional de Zumbi e da Consciência Negra"},
	{12, 25, 0, "Natal"},
};

/* Days relative to Easter Sunday. Carnival and Corpus Christi are not legal
 * holidays, but banks do not open (FEBRABAN calendar), which is what counts
 * for due dates. Ash Wednesday (-46) is a business day: branches open late. */
static const struct {
	int offset;
	const char *name;
} movable[] = {
	{-48, "Carnaval"},
	{-47, "Carnaval"},
	{-2, "Sexta-feira Santa"},
	{60, "Corpus Christi"},
};

struct calendar *calendar_new(void)
{
	return calloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	for (size_t i = 0; i < cal->n; i++)
		free(cal->extra[i].name);
	free(cal->extra);
	free(cal);
}

/* Index of the first extra holiday on or after d. */
static size_t extra_lower_bound(const struct calendar *cal, cdate d)
{
	size_t lo = 0, hi = cal->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->extra[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Also returns -1 for CDATE_NONE. Adding a day already present replaces
 * its name. A NULL name is stored as "Feriado". */
int calendar_add_holiday(struct calendar *cal, cdate d, const char *name)
{
	if (cal == NULL || d == CDATE_NONE)
		return -1;
	char *copy = strdup(name ? name : "Feriado");
	if (copy == NULL)
		return -1;

	size_t at = extra_lower_bound(cal, d);
	if (at < cal->n && cal->extra[at].day == d) {
		free(cal->extra[at].name);
		cal->extra[at].name = copy;
		return 0;
	}
	if (cal->n == cal->cap) {
		size_t ncap = cal->cap ? cal->cap * 2 : 16;
		struct extra_holiday *p = realloc(cal->extra, ncap * sizeof(*p));
		if (p == NULL) {
			free(copy);
			return -1;
		}
		cal->extra = p;
		cal->cap = ncap;
	}
	memmove(&cal->extra[at + 1], &cal->extra[at], (cal->n - at) * sizeof(cal->extra[0]));
	cal->extra[at].day = d;
	cal->extra[at].name = copy;
	cal->n++;
	return 0;
}

/* Anonymous Gregorian computus (Meeus/Jones/Butcher). */
cdate calendar_easter(int y)
{
	int a = y % 19;                      /* place in the Metonic cycle */
	int b = y / 100, c = y % 100;
	int d = b / 4, e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;             /* lunar correction */
	int h = (19 * a + b - d - g + 15) % 30; /* epact-based moon offset */
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7; /* days to Sunday */
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return date_from_ymd(y, month, day);
}

static const char *national_name(cdate d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i].month == m && fixed[i].day == day && y >= fixed[i].from_year)
			return fixed[i].name;

	/* Every movable holiday falls between February 2 and June 24. */
	if (m < 2 || m > 6)
		return NULL;
	cdate easter = calendar_easter(y);
	if (easter == CDATE_NONE)
		return NULL;
	for (size_t i = 0; i < sizeof(movable) / sizeof(movable[0]); i++)
		if (d - easter == movable[i].offset)
			return movable[i].name;
	return NULL;
}

/* cal may be NULL: national holidays only. National names win over extra
 * ones on the same day. */
const char *calendar_holiday_name(const struct calendar *cal, cdate d)
{
	if (d == CDATE_NONE)
		return NULL;
	const char *name = national_name(d);
	if (name != NULL || cal == NULL || cal->n == 0)
		return name;
	size_t at = extra_lower_bound(cal, d);
	return at < cal->n && cal->extra[at].day == d ? cal->extra[at].name : NULL;
}

bool calendar_is_business_day(const struct calendar *cal, cdate d)
{
	if (d == CDATE_NONE)
		return false;
	int wd = date_weekday(d);
	if (wd == 0 || wd == 6)
		return false;
	return calendar_holiday_name(cal, d) == NULL;
}

/* No stretch of non-business days is anywhere near this long; the bound
 * only guards against a calendar filled with holidays by mistake. */
#define MAX_SCAN 3660

/* 0001-01-01 and 9999-12-31: the years date.h supports. */
#define DAY_MIN (-719162)
#define DAY_MAX 2932896

cdate calendar_next_business_day(const struct calendar *cal, cdate d)
{
	if (d < DAY_MIN || d > DAY_MAX)
		return CDATE_NONE;
	for (int i = 0; i < MAX_SCAN && d <= DAY_MAX; i++, d++)
		if (calendar_is_business_day(cal, d))
			return d;
	return CDATE_NONE;
}

cdate calendar_previous_business_day(const struct calendar *cal, cdate d)
{
	if (d <= DAY_MIN || d > DAY_MAX + 1)
		return CDATE_NONE;
	for (int i = 0; i < MAX_SCAN && d > DAY_MIN; i++) {
		d--;
		if (calendar_is_business_day(cal, d))
			return d;
	}
	return CDATE_NONE;
}
