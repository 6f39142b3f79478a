/* Bank business days: weekends, national bank holidays (computed per year,
 * nothing stored) and extra holidays kept in a sorted array for binary
 * search, since lookups run once or more per payment. Holidays that recur
 * every year on the same date (a city's anniversary) are few and scanned.
 * A state's holidays live in a child calendar that falls back to its
 * parent, so adding to the parent later still reaches every state. */
#include "config.h"

#include "core/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct extra_holiday {
	cdate day;
	char *name;
};

struct annual_holiday {
	int month, day;
	char *name;
};

struct state_calendar {
	char uf[3];
	struct calendar *cal;
};

struct calendar {
	struct extra_holiday *extra; /* sorted by day, no duplicates */
	size_t n, cap;
	struct annual_holiday *annual; /* every year, in the order added */
	size_t nannual, capannual;
	const struct calendar *parent; /* a state's calendar: the one it refines */
	struct state_calendar *states; /* owned children, one per UF */
	size_t nstates;
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
	for (size_t i = 0; i < cal->nannual; i++)
		free(cal->annual[i].name);
	free(cal->annual);
	for (size_t i = 0; i < cal->nstates; i++)
		calendar_free(cal->states[i].cal);
	free(cal->states);
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

static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

int calendar_add_annual_holiday(struct calendar *cal, int month, int day, const char *name)
{
	if (cal == NULL || month < 1 || month > 12 || day < 1 || day > month_days[month - 1])
		return -1;
	char *copy = strdup(name ? name : "Feriado");
	if (copy == NULL)
		return -1;
	for (size_t i = 0; i < cal->nannual; i++)
		if (cal->annual[i].month == month && cal->annual[i].day == day) {
			free(cal->annual[i].name);
			cal->annual[i].name = copy;
			return 0;
		}
	if (cal->nannual == cal->capannual) {
		size_t ncap = cal->capannual ? cal->capannual * 2 : 8;
		struct annual_holiday *p = realloc(cal->annual, ncap * sizeof(*p));
		if (p == NULL) {
			free(copy);
			return -1;
		}
		cal->annual = p;
		cal->capannual = ncap;
	}
	cal->annual[cal->nannual++] = (struct annual_holiday){month, day, copy};
	return 0;
}

/* The 27 federative units (UF). */
static const char *const states[27] = {
	"AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
	"PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
};

static bool is_state(const char *uf)
{
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(uf, states[i]) == 0)
			return true;
	return false;
}

struct calendar *calendar_state(struct calendar *cal, const char *uf)
{
	if (cal == NULL || uf == NULL || cal->parent != NULL || !is_state(uf))
		return NULL;
	for (size_t i = 0; i < cal->nstates; i++)
		if (strcmp(cal->states[i].uf, uf) == 0)
			return cal->states[i].cal;
	struct state_calendar *p = realloc(cal->states, (cal->nstates + 1) * sizeof(*p));
	if (p == NULL)
		return NULL;
	cal->states = p;
	struct calendar *child = calendar_new();
	if (child == NULL)
		return NULL;
	child->parent = cal;
	memcpy(p[cal->nstates].uf, uf, 3);
	p[cal->nstates].cal = child;
	cal->nstates++;
	return child;
}

const struct calendar *calendar_for_state(const struct calendar *cal, const char *uf)
{
	if (cal == NULL || uf == NULL)
		return cal;
	for (size_t i = 0; i < cal->nstates; i++)
		if (strcmp(cal->states[i].uf, uf) == 0)
			return cal->states[i].cal;
	return cal;
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

/* The configured holidays of cal itself (not its parent). */
static const char *own_name(const struct calendar *cal, cdate d)
{
	if (cal->n) {
		size_t at = extra_lower_bound(cal, d);
		if (at < cal->n && cal->extra[at].day == d)
			return cal->extra[at].name;
	}
	if (cal->nannual) {
		int y, m, day;
		date_to_ymd(d, &y, &m, &day);
		for (size_t i = 0; i < cal->nannual; i++)
			if (cal->annual[i].month == m && cal->annual[i].day == day)
				return cal->annual[i].name;
	}
	return NULL;
}

/* cal may be NULL: national holidays only. National names win over
 * configured ones on the same day, a state's over the whole country's. */
const char *calendar_holiday_name(const struct calendar *cal, cdate d)
{
	if (d == CDATE_NONE)
		return NULL;
	const char *name = national_name(d);
	for (; name == NULL && cal != NULL; cal = cal->parent)
		name = own_name(cal, d);
	return name;
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

/* ---- the holidays file (README "Holidays") */

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* One non-blank, non-comment line: "DATE [UF] NAME". */
static int holiday_line(struct calendar *cal, const char *file, long lineno, const char *s, size_t len,
			struct diag *err)
{
	size_t w = 0;
	while (w < len && s[w] != ' ' && s[w] != '\t')
		w++;
	int y = 0, m, d;
	if (w == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else if (w == 5 && s[2] == '-') {
		m = digits(s, 2);
		d = digits(s + 3, 2);
	} else {
		return diag_set(err, DIAG_ERROR, file, lineno, 1, NULL,
				"expected a date YYYY-MM-DD (that day) or MM-DD (every year), found \"%.*s\"",
				(int)(w > 20 ? 20 : w), s);
	}
	cdate day = CDATE_NONE;
	if (y > 0 && m > 0 && d > 0)
		day = date_from_ymd(y, m, d);
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > month_days[m - 1] || (y > 0 && day == CDATE_NONE) ||
	    (w == 10 && y == 0))
		return diag_set(err, DIAG_ERROR, file, lineno, 1, NULL, "\"%.*s\" is not a real date", (int)w,
				s);

	size_t at = w;
	while (at < len && (s[at] == ' ' || s[at] == '\t'))
		at++;
	struct calendar *target = cal;
	if (at < len && s[at] == '[') {
		char uf[3] = "";
		if (at + 3 < len && s[at + 3] == ']') {
			uf[0] = s[at + 1];
			uf[1] = s[at + 2];
		}
		if (!is_state(uf))
			return diag_set(err, DIAG_ERROR, file, lineno, (int)at + 1, NULL,
					"expected a state code in brackets like [SP] or [RJ]");
		target = calendar_state(cal, uf);
		if (target == NULL)
			return diag_set(err, DIAG_ERROR, file, lineno, 0, NULL, "out of memory");
		at += 4;
		while (at < len && (s[at] == ' ' || s[at] == '\t'))
			at++;
	}
	char name[128];
	size_t n = len - at;
	if (n >= sizeof name)
		return diag_set(err, DIAG_ERROR, file, lineno, (int)at + 1, NULL,
				"holiday name too long (at most %zu bytes)", sizeof name - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[at + i] < 0x20 && s[at + i] != '\t')
			return diag_set(err, DIAG_ERROR, file, lineno, (int)(at + i) + 1, NULL,
					"control character in the holiday name");
	memcpy(name, s + at, n);
	name[n] = '\0';
	int rc = y > 0 ? calendar_add_holiday(target, day, n ? name : NULL)
		       : calendar_add_annual_holiday(target, m, d, n ? name : NULL);
	if (rc != 0)
		return diag_set(err, DIAG_ERROR, file, lineno, 0, NULL, "out of memory");
	return 0;
}

int calendar_load_holidays(struct calendar *cal, const char *filename, const unsigned char *buf, size_t len,
			   struct diag *err)
{
	const char *p = (const char *)buf, *end = p + len;
	long lineno = 0;

	diag_clear(err);
	if (cal == NULL || cal->parent != NULL)
		return diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "not a top-level calendar");
	/* A UTF-8 byte order mark, as Windows editors write it. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		const char *s = p;
		size_t n = (size_t)(stop - p);
		p = nl ? nl + 1 : end;
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0 || *s == '#')
			continue;
		if (memchr(s, '\0', n) != NULL)
			return diag_set(err, DIAG_ERROR, filename, lineno, 0, NULL,
					"NUL byte: this is not a text file of holidays");
		if (holiday_line(cal, filename, lineno, s, n, err) != 0)
			return -1;
	}
	return 0;
}
