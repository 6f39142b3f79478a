/* Unit tests for src/core/calendar.c: Easter, the national bank holidays
 * and business-day stepping. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"

static cdate ymd(int y, int m, int d)
{
	cdate r = date_from_ymd(y, m, d);
	assert_true(r != CDATE_NONE);
	return r;
}

static int setup(void **state)
{
	*state = calendar_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

static void test_easter(void **state)
{
	static const int known[][3] = {
		{1818, 3, 22}, /* earliest possible */
		{1943, 4, 25}, /* latest possible */
		{2000, 4, 23}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
		{2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2038, 4, 25},
		{2285, 3, 22},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		cdate e = calendar_easter(known[i][0]);
		if (e != ymd(known[i][0], known[i][1], known[i][2]))
			fail_msg("Easter %d wrong", known[i][0]);
	}
	/* always a Sunday between March 22 and April 25 */
	for (int y = 1583; y <= 4099; y++) {
		cdate e = calendar_easter(y);
		assert_int_equal(date_weekday(e), 0);
		assert_true(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25));
	}
}

struct named_day {
	int y, m, d;
	const char *name;
};

static void test_national_holidays(void **state)
{
	static const struct named_day days[] = {
		{2026, 1, 1, "Confraternização Universal"},
		{2026, 2, 16, "Carnaval"},
		{2026, 2, 17, "Carnaval"},
		{2026, 4, 3, "Sexta-feira Santa"},
		{2026, 4, 21, "Tiradentes"},
		{2026, 5, 1, "Dia do Trabalho"},
		{2026, 6, 4, "Corpus Christi"},
		{2026, 9, 7, "Independência do Brasil"},
		{2026, 10, 12, "Nossa Senhora Aparecida"},
		{2026, 11, 2, "Finados"},
		{2026, 11, 15, "Proclamação da República"},
		{2026, 11, 20, "Dia Nacional de Zumbi e da Consciência Negra"},
		{2026, 12, 25, "Natal"},
		{2025, 3, 3, "Carnaval"},
		{2025, 3, 4, "Carnaval"},
		{2025, 4, 18, "Sexta-feira Santa"},
		{2025, 6, 19, "Corpus Christi"},
		{2027, 2, 8, "Carnaval"},
		{2027, 2, 9, "Carnaval"},
		{2027, 3, 26, "Sexta-feira Santa"},
		{2027, 5, 27, "Corpus Christi"},
		{2028, 2, 28, "Carnaval"},
		{2028, 2, 29, "Carnaval"},
		{2028, 4, 14, "Sexta-feira Santa"},
		{2028, 6, 15, "Corpus Christi"},
		{2024, 2, 12, "Carnaval"},
		{2024, 2, 13, "Carnaval"},
		{2024, 3, 29, "Sexta-feira Santa"},
		{2024, 5, 30, "Corpus Christi"},
		{2024, 11, 20, "Dia Nacional de Zumbi e da Consciência Negra"},
	};
	const struct calendar *cal = *state;

	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		cdate d = ymd(days[i].y, days[i].m, days[i].d);
		const char *name = calendar_holiday_name(cal, d);
		if (name == NULL || strcmp(name, days[i].name) != 0)
			fail_msg("%04d-%02d-%02d: got %s, expected %s", days[i].y, days[i].m, days[i].d,
				 name ? name : "(none)", days[i].name);
		assert_false(calendar_is_business_day(cal, d));
		/* cal == NULL means national holidays only */
		assert_non_null(calendar_holiday_name(NULL, d));
	}
}

static void test_not_holidays(void **state)
{
	const struct calendar *cal = *state;

	/* Consciência Negra became national only in 2024 (Lei 14.759/2023) */
	assert_null(calendar_holiday_name(cal, ymd(2023, 11, 20)));
	assert_true(calendar_is_business_day(cal, ymd(2023, 11, 20))); /* a Monday */
	/* Ash Wednesday is a business day (branches open at noon) */
	assert_null(calendar_holiday_name(cal, ymd(2026, 2, 18)));
	assert_true(calendar_is_business_day(cal, ymd(2026, 2, 18)));
	/* Easter Sunday is no bank holiday of its own (a Sunday anyway) */
	assert_null(calendar_holiday_name(cal, ymd(2026, 4, 5)));
	assert_false(calendar_is_business_day(cal, ymd(2026, 4, 5)));
	/* 31 December is configurable data, not national */
	assert_null(calendar_holiday_name(cal, ymd(2026, 12, 31)));
	/* ordinary days */
	assert_true(calendar_is_business_day(cal, ymd(2026, 11, 24)));  /* Tuesday */
	assert_false(calendar_is_business_day(cal, ymd(2026, 11, 28))); /* Saturday */
	assert_false(calendar_is_business_day(cal, ymd(2026, 11, 29))); /* Sunday */
	assert_null(calendar_holiday_name(cal, ymd(2026, 11, 28)));
	assert_null(calendar_holiday_name(cal, CDATE_NONE));
	assert_false(calendar_is_business_day(cal, CDATE_NONE));
}

/* Counts: 2026 has 9 national holidays on weekdays plus Carnival (2),
 * Good Friday and Corpus Christi. */
static void test_count_2026(void **state)
{
	const struct calendar *cal = *state;
	int holidays = 0, business = 0;

	for (cdate d = ymd(2026, 1, 1); d <= ymd(2026, 12, 31); d++) {
		if (calendar_holiday_name(cal, d))
			holidays++;
		if (calendar_is_business_day(cal, d))
			business++;
	}
	assert_int_equal(holidays, 13);
	/* 261 weekdays in 2026; 11-15 falls on a Sunday, so 12 weekday holidays */
	assert_int_equal(business, 261 - 12);
}

static void test_next_previous(void **state)
{
	const struct calendar *cal = *state;

	/* Carnival 2026: Saturday 14/02 to Tuesday 17/02 closed */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 2, 14)), ymd(2026, 2, 18));
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 2, 16)), ymd(2026, 2, 18));
	assert_int_equal(calendar_previous_business_day(cal, ymd(2026, 2, 18)), ymd(2026, 2, 13));
	/* Good Friday to Easter: next is Monday 06/04 */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 4, 3)), ymd(2026, 4, 6));
	/* Corpus Christi Thursday 04/06/2026 */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 6, 4)), ymd(2026, 6, 5));
	/* a business day is its own next; previous is strictly before */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 11, 24)), ymd(2026, 11, 24));
	assert_int_equal(calendar_previous_business_day(cal, ymd(2026, 11, 24)), ymd(2026, 11, 23));
	/* New Year 2027 is a Friday: Thursday 31/12 is business */
	assert_int_equal(calendar_next_business_day(cal, ymd(2027, 1, 1)), ymd(2027, 1, 4));
	assert_int_equal(calendar_previous_business_day(cal, ymd(2027, 1, 1)), ymd(2026, 12, 31));
	/* Christmas 2026 Friday -> Monday 28 */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 12, 25)), ymd(2026, 12, 28));
	assert_int_equal(calendar_next_business_day(cal, CDATE_NONE), CDATE_NONE);
	assert_int_equal(calendar_previous_business_day(cal, CDATE_NONE), CDATE_NONE);
	/* the ends of the supported range do not run off */
	assert_int_equal(calendar_next_business_day(cal, ymd(9999, 12, 31)), ymd(9999, 12, 31));
	assert_int_equal(calendar_previous_business_day(cal, ymd(1, 1, 1)), CDATE_NONE);
	assert_int_equal(calendar_previous_business_day(cal, ymd(1, 1, 3)), ymd(1, 1, 2));
	struct calendar *end = calendar_new();
	assert_non_null(end);
	assert_int_equal(calendar_add_holiday(end, ymd(9999, 12, 31), "fim"), 0);
	assert_int_equal(calendar_next_business_day(end, ymd(9999, 12, 30)), ymd(9999, 12, 30));
	assert_int_equal(calendar_next_business_day(end, ymd(9999, 12, 31)), CDATE_NONE);
	calendar_free(end);
}

static void test_extra_holidays(void **state)
{
	struct calendar *cal = *state;

	/* São Paulo city anniversary and a long weekend made of extra days */
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 1, 25), "Aniversário de São Paulo"), 0);
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 12, 31), "Sem expediente bancário"), 0);
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 7, 9), "Revolução Constitucionalista"), 0);
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 7, 10), NULL), 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 7, 9)), "Revolução Constitucionalista");
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 7, 10)), "Feriado");
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 12, 31)), "Sem expediente bancário");
	assert_null(calendar_holiday_name(cal, ymd(2026, 7, 8)));
	assert_null(calendar_holiday_name(cal, ymd(2027, 7, 9))); /* one-off: that year only */
	/* Thursday 09/07 and Friday 10/07 closed -> Monday 13/07 */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 7, 9)), ymd(2026, 7, 13));
	assert_int_equal(calendar_previous_business_day(cal, ymd(2026, 7, 13)), ymd(2026, 7, 8));
	/* 31/12/2026 Thursday + 01/01/2027 Friday */
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 12, 31)), ymd(2027, 1, 4));
	/* re-adding replaces the name; a national name wins on its day */
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 7, 10), "Ponte"), 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 7, 10)), "Ponte");
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 12, 25), "Outro"), 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 12, 25)), "Natal");
	assert_int_equal(calendar_add_holiday(cal, CDATE_NONE, "x"), -1);
	/* national-only calendars are unaffected */
	assert_null(calendar_holiday_name(NULL, ymd(2026, 7, 9)));
}

/* Many extra days in random order (exercises growth and sorted insert). */
static void test_many_extra(void **state)
{
	struct calendar *cal = *state;
	cdate base = ymd(2030, 1, 1);
	char name[16];

	for (int i = 0; i < 1000; i++) {
		int k = (i * 337) % 1000; /* a permutation of 0..999 */
		snprintf(name, sizeof(name), "x%d", k);
		assert_int_equal(calendar_add_holiday(cal, base + 2 * k, name), 0);
	}
	for (int k = 0; k < 1000; k++) {
		const char *n = calendar_holiday_name(cal, base + 2 * k);
		snprintf(name, sizeof(name), "x%d", k);
		if (n == NULL || (strcmp(n, name) != 0 && strcmp(n, "Natal") != 0 &&
				  calendar_holiday_name(NULL, base + 2 * k) == NULL))
			fail_msg("day %d: %s", k, n ? n : "(none)");
		if (calendar_holiday_name(NULL, base + 2 * k + 1) == NULL)
			assert_null(calendar_holiday_name(cal, base + 2 * k + 1));
	}
}

/* Holidays that recur every year, and a state's own calendar. */
static void test_annual_and_state(void **state)
{
	struct calendar *cal = *state;

	assert_int_equal(calendar_add_annual_holiday(cal, 12, 31, "Sem expediente bancário"), 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 12, 31)), "Sem expediente bancário");
	assert_string_equal(calendar_holiday_name(cal, ymd(2031, 12, 31)), "Sem expediente bancário");
	assert_int_equal(calendar_add_annual_holiday(cal, 2, 30, "x"), -1);
	assert_int_equal(calendar_add_annual_holiday(cal, 13, 1, "x"), -1);
	/* 29 February only exists in leap years */
	assert_int_equal(calendar_add_annual_holiday(cal, 2, 29, "Bissexto"), 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2032, 2, 29)), "Bissexto");

	struct calendar *sp = calendar_state(cal, "SP");
	assert_non_null(sp);
	assert_ptr_equal(calendar_state(cal, "SP"), sp);
	assert_null(calendar_state(cal, "XX"));
	assert_null(calendar_state(sp, "RJ")); /* no state inside a state */
	assert_int_equal(calendar_add_annual_holiday(sp, 7, 9, "Revolução Constitucionalista"), 0);
	assert_ptr_equal(calendar_for_state(cal, "SP"), sp);
	assert_ptr_equal(calendar_for_state(cal, "RJ"), cal);
	assert_ptr_equal(calendar_for_state(cal, ""), cal);
	assert_ptr_equal(calendar_for_state(cal, NULL), cal);
	/* Thursday 09/07/2026: closed in São Paulo only */
	assert_int_equal(calendar_next_business_day(sp, ymd(2026, 7, 9)), ymd(2026, 7, 10));
	assert_int_equal(calendar_next_business_day(cal, ymd(2026, 7, 9)), ymd(2026, 7, 9));
	/* the state sees what the country gets, even when added later */
	assert_int_equal(calendar_add_holiday(cal, ymd(2026, 7, 10), "Ponte"), 0);
	assert_int_equal(calendar_next_business_day(sp, ymd(2026, 7, 9)), ymd(2026, 7, 13));
	assert_string_equal(calendar_holiday_name(sp, ymd(2026, 12, 31)), "Sem expediente bancário");
}

static int load(struct calendar *cal, const char *text, struct diag *err)
{
	return calendar_load_holidays(cal, "feriados.txt", (const unsigned char *)text, strlen(text), err);
}

static void test_holidays_file(void **state)
{
	struct calendar *cal = *state;
	struct diag err;
	char buf[700];

	assert_int_equal(load(cal,
			      "\xEF\xBB\xBF# feriados da praça de cobrança\r\n"
			      "\r\n"
			      "2026-01-25 Aniversário de São Paulo\r\n"
			      "  12-31   Sem expediente bancário  \r\n"
			      "07-09 [SP] Revolução Constitucionalista\n"
			      "2026-04-23 [RJ] São Jorge\n"
			      "2026-11-30\n",
			      &err),
			 0);
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 1, 25)), "Aniversário de São Paulo");
	assert_null(calendar_holiday_name(cal, ymd(2027, 1, 25)));
	assert_string_equal(calendar_holiday_name(cal, ymd(2027, 12, 31)), "Sem expediente bancário");
	assert_string_equal(calendar_holiday_name(cal, ymd(2026, 11, 30)), "Feriado");
	assert_null(calendar_holiday_name(cal, ymd(2026, 7, 9)));
	assert_string_equal(calendar_holiday_name(calendar_for_state(cal, "SP"), ymd(2030, 7, 9)),
			    "Revolução Constitucionalista");
	assert_string_equal(calendar_holiday_name(calendar_for_state(cal, "RJ"), ymd(2026, 4, 23)), "São Jorge");
	assert_null(calendar_holiday_name(calendar_for_state(cal, "RJ"), ymd(2026, 7, 9)));

	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"2026-02-30 x\n", "feriados.txt:1:1: error: \"2026-02-30\" is not a real date"},
	    {"# ok\n26-02-20 x\n", "feriados.txt:2:1: error: expected a date YYYY-MM-DD (that day) or MM-DD"},
	    {"20/02/2026 x\n", "feriados.txt:1:1: error: expected a date YYYY-MM-DD"},
	    {"02-30 x\n", "feriados.txt:1:1: error: \"02-30\" is not a real date"},
	    {"0000-01-02 x\n", "is not a real date"},
	    {"2026-0a-01 x\n", "is not a real date"},
	    {"2026-07-09 [XX] x\n", "feriados.txt:1:12: error: expected a state code in brackets like [SP]"},
	    {"2026-07-09 [SP x\n", "feriados.txt:1:12: error: expected a state code"},
	    {"2026-07-09 a\x01b\n", "feriados.txt:1:13: error: control character"},
	    {"2026-07-09 a\0b\n", "NUL byte"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct calendar *c = calendar_new();
		size_t n = strlen(bad[i].text);
		if (strstr(bad[i].msg, "NUL"))
			n = 16;
		assert_int_equal(calendar_load_holidays(c, "feriados.txt", (const unsigned char *)bad[i].text, n, &err),
				 -1);
		diag_format(&err, buf, sizeof buf);
		if (strstr(buf, bad[i].msg) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf, bad[i].msg);
		calendar_free(c);
	}
	/* a name longer than the limit */
	char longline[300];
	memset(longline, 'a', sizeof longline);
	memcpy(longline, "2026-07-09 ", 11);
	longline[sizeof longline - 1] = '\0';
	assert_int_equal(load(cal, longline, &err), -1);
	assert_non_null(strstr(diag_format(&err, buf, sizeof buf), "holiday name too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter),
		cmocka_unit_test_setup_teardown(test_national_holidays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_holidays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_2026, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_holidays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_extra, setup, teardown),
		cmocka_unit_test_setup_teardown(test_annual_and_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holidays_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
