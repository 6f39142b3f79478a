/* Unit tests for src/core/date.c: civil conversions, CNAB date fields,
 * text forms and the pinned clock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

static cdate ymd(int y, int m, int d)
{
	cdate r = date_from_ymd(y, m, d);
	assert_true(r != CDATE_NONE);
	return r;
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
	assert_int_equal(date_from_ymd(2026, 11, 24), 20781);
	assert_int_equal(date_from_ymd(1, 1, 1), -719162);
	assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
	/* the CNAB due-date factor base: 1997-10-07 */
	assert_int_equal(date_from_ymd(1997, 10, 7), 10141);
}

static void test_invalid_ymd(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(2025, 2, 29), CDATE_NONE);
	assert_int_equal(date_from_ymd(1900, 2, 29), CDATE_NONE); /* century, not leap */
	assert_int_equal(date_from_ymd(2100, 2, 29), CDATE_NONE);
	assert_true(date_from_ymd(2000, 2, 29) != CDATE_NONE); /* 400th year is leap */
	assert_true(date_from_ymd(2024, 2, 29) != CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 4, 31), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 6, 31), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 9, 31), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 11, 31), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 13, 1), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 0, 1), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 1, 0), CDATE_NONE);
	assert_int_equal(date_from_ymd(2025, 1, 32), CDATE_NONE);
	assert_int_equal(date_from_ymd(0, 1, 1), CDATE_NONE);
	assert_int_equal(date_from_ymd(10000, 1, 1), CDATE_NONE);
	assert_int_equal(date_from_ymd(-5, 1, 1), CDATE_NONE);
}

/* Every day from year 1 to 9999: to_ymd inverts from_ymd, the count is
 * contiguous, and month lengths come out right. */
static void test_round_trip_all(void **state)
{
	cdate expect = date_from_ymd(1, 1, 1);
	int days_in_feb_2000 = 0;

	(void)state;
	for (int y = 1; y <= 9999; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= 31; d++) {
				cdate c = date_from_ymd(y, m, d);
				if (c == CDATE_NONE)
					continue;
				if (c != expect)
					fail_msg("%04d-%02d-%02d: %d, expected %d", y, m, d, c, expect);
				int yy, mm, dd;
				date_to_ymd(c, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("%d -> %04d-%02d-%02d, expected %04d-%02d-%02d", c, yy, mm,
						 dd, y, m, d);
				if (y == 2000 && m == 2)
					days_in_feb_2000++;
				expect++;
			}
		}
	}
	assert_int_equal(expect - 1, date_from_ymd(9999, 12, 31));
	assert_int_equal(days_in_feb_2000, 29);
}

static void test_to_ymd_none(void **state)
{
	int y = 1, m = 1, d = 1;

	(void)state;
	date_to_ymd(CDATE_NONE, &y, &m, &d);
	assert_int_equal(y, 0);
	assert_int_equal(m, 0);
	assert_int_equal(d, 0);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 4);                     /* 1970-01-01 Thursday */
	assert_int_equal(date_weekday(-1), 3);                    /* Wednesday */
	assert_int_equal(date_weekday(-4), 0);                    /* 1969-12-28 Sunday */
	assert_int_equal(date_weekday(ymd(2026, 11, 24)), 2);     /* Tuesday */
	assert_int_equal(date_weekday(ymd(2024, 3, 31)), 0);      /* Easter Sunday */
	assert_int_equal(date_weekday(ymd(2000, 1, 1)), 6);       /* Saturday */
	assert_int_equal(date_weekday(ymd(1, 1, 1)), 1);          /* Monday (proleptic) */
}

static void test_parse_iso_br_text(void **state)
{
	cdate d = 0;

	(void)state;
	assert_int_equal(date_parse_iso("2026-11-24", 10, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));
	assert_int_equal(date_parse_br("24/11/2026", 10, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));
	assert_int_equal(date_parse_br("5/3/2026", 8, &d), 0);
	assert_int_equal(d, ymd(2026, 3, 5));
	assert_int_equal(date_parse_br("05/3/2026", 9, &d), 0);
	assert_int_equal(d, ymd(2026, 3, 5));
	assert_int_equal(date_parse_text("2024-02-29", 10, &d), 0);
	assert_int_equal(d, ymd(2024, 2, 29));
	assert_int_equal(date_parse_text("29/02/2024", 10, &d), 0);
	assert_int_equal(d, ymd(2024, 2, 29));
	/* only len bytes are read */
	assert_int_equal(date_parse_iso("2026-11-24T10:00", 10, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));

	d = 12345;
	static const char *const bad_iso[] = {"2025-02-29", "2026-13-01", "2026-1-01", "26-11-24",
					      "2026/11/24", "2026-11-2x", "0000-01-01", "2026-11-24 ",
					      "", "+026-11-24", "2026-00-10"};
	for (size_t i = 0; i < sizeof(bad_iso) / sizeof(bad_iso[0]); i++)
		if (date_parse_iso(bad_iso[i], strlen(bad_iso[i]), &d) != -1)
			fail_msg("ISO '%s' accepted", bad_iso[i]);
	static const char *const bad_br[] = {"31/04/2026", "29/02/2025", "24/11/26", "24-11-2026",
					     "/11/2026", "24//2026", "24/11/", "124/11/2026",
					     "24/111/2026", "2x/11/2026", "24/11/20261", "",
					     "24/11", "24/11/2026/", "00/01/2026"};
	for (size_t i = 0; i < sizeof(bad_br) / sizeof(bad_br[0]); i++)
		if (date_parse_br(bad_br[i], strlen(bad_br[i]), &d) != -1)
			fail_msg("BR '%s' accepted", bad_br[i]);
	assert_int_equal(date_parse_text("2026-02-30", 10, &d), -1);
	assert_int_equal(date_parse_text("hoje", 4, &d), -1);
	assert_int_equal(d, 12345); /* untouched on failure */
}

static void test_cnab_fields(void **state)
{
	cdate d = 0;

	(void)state;
	assert_int_equal(date_parse_ddmmyyyy("24112026", 8, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));
	assert_int_equal(date_parse_ddmmyyyy("00000000", 8, &d), 1);
	assert_int_equal(d, CDATE_NONE);
	d = 0;
	assert_int_equal(date_parse_ddmmyyyy("        ", 8, &d), 1);
	assert_int_equal(d, CDATE_NONE);
	assert_int_equal(date_parse_ddmmyyyy("29022025", 8, &d), -1);
	assert_int_equal(date_parse_ddmmyyyy("00112026", 8, &d), -1);
	assert_int_equal(date_parse_ddmmyyyy("2411 026", 8, &d), -1);
	assert_int_equal(date_parse_ddmmyyyy("0000 000", 8, &d), -1); /* mixed: not "no date" */
	assert_int_equal(date_parse_ddmmyyyy("2411202", 7, &d), -1);
	assert_int_equal(date_parse_ddmmyyyy("20261124", 8, &d), -1); /* wrong order */

	assert_int_equal(date_parse_yyyymmdd("20261124", 8, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));
	assert_int_equal(date_parse_yyyymmdd("00000000", 8, &d), 1);
	assert_int_equal(d, CDATE_NONE);
	assert_int_equal(date_parse_yyyymmdd("        ", 8, &d), 1);
	assert_int_equal(date_parse_yyyymmdd("20250229", 8, &d), -1);
	assert_int_equal(date_parse_yyyymmdd("2026112", 7, &d), -1);
	assert_int_equal(date_parse_yyyymmdd("2026-1-1", 8, &d), -1);
}

static void test_ddmmyy_pivot(void **state)
{
	cdate d = 0;
	cdate pivot = ymd(2026, 1, 5);

	(void)state;
	assert_int_equal(date_parse_ddmmyy("241126", 6, pivot, &d), 0);
	assert_int_equal(d, ymd(2026, 11, 24));
	/* December dates in a January file are last year's */
	assert_int_equal(date_parse_ddmmyy("301299", 6, ymd(2000, 1, 3), &d), 0);
	assert_int_equal(d, ymd(1999, 12, 30));
	assert_int_equal(date_parse_ddmmyy("030100", 6, ymd(1999, 12, 30), &d), 0);
	assert_int_equal(d, ymd(2000, 1, 3));
	/* far-off two-digit years pick the nearer century */
	assert_int_equal(date_parse_ddmmyy("010180", 6, pivot, &d), 0);
	assert_int_equal(d, ymd(1980, 1, 1));
	assert_int_equal(date_parse_ddmmyy("010170", 6, pivot, &d), 0);
	assert_int_equal(d, ymd(2070, 1, 1));
	assert_int_equal(date_parse_ddmmyy("311299", 6, ymd(2099, 6, 1), &d), 0);
	assert_int_equal(d, ymd(2099, 12, 31));
	assert_int_equal(date_parse_ddmmyy("010100", 6, ymd(2099, 12, 1), &d), 0);
	assert_int_equal(d, ymd(2100, 1, 1));
	/* 29/02/00 exists in 2000 only: chosen even when 1900 or 2100 would be
	 * nearer to the pivot by year */
	assert_int_equal(date_parse_ddmmyy("290200", 6, ymd(2080, 1, 1), &d), 0);
	assert_int_equal(d, ymd(2000, 2, 29));
	assert_int_equal(date_parse_ddmmyy("290226", 6, pivot, &d), -1);

	assert_int_equal(date_parse_ddmmyy("000000", 6, pivot, &d), 1);
	assert_int_equal(d, CDATE_NONE);
	assert_int_equal(date_parse_ddmmyy("      ", 6, pivot, &d), 1);
	assert_int_equal(date_parse_ddmmyy("321226", 6, pivot, &d), -1);
	assert_int_equal(date_parse_ddmmyy("24112", 5, pivot, &d), -1);
	assert_int_equal(date_parse_ddmmyy("24-126", 6, pivot, &d), -1);
}

static void test_ddmmyy_default_pivot(void **state)
{
	cdate d = 0;

	(void)state;
	/* CDATE_NONE means "today", pinned here through the environment */
	assert_int_equal(setenv("CONCILIA_TODAY", "2051-06-01", 1), 0);
	assert_int_equal(date_parse_ddmmyy("010199", 6, CDATE_NONE, &d), 0);
	assert_int_equal(d, ymd(2099, 1, 1));
	assert_int_equal(setenv("CONCILIA_TODAY", "2048-06-01", 1), 0);
	assert_int_equal(date_parse_ddmmyy("010199", 6, CDATE_NONE, &d), 0);
	assert_int_equal(d, ymd(1999, 1, 1));
	unsetenv("CONCILIA_TODAY");
}

static void test_format(void **state)
{
	char buf[11];

	(void)state;
	assert_int_equal(date_format_iso(ymd(2026, 11, 24), buf, sizeof(buf)), 10);
	assert_string_equal(buf, "2026-11-24");
	assert_int_equal(date_format_br(ymd(2026, 11, 24), buf, sizeof(buf)), 10);
	assert_string_equal(buf, "24/11/2026");
	assert_int_equal(date_format_iso(ymd(1, 2, 3), buf, sizeof(buf)), 10);
	assert_string_equal(buf, "0001-02-03");
	assert_int_equal(date_format_br(ymd(1, 2, 3), buf, sizeof(buf)), 10);
	assert_string_equal(buf, "03/02/0001");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(date_format_iso(CDATE_NONE, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(date_format_br(CDATE_NONE, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* too small: nothing rather than a cut date */
	assert_int_equal(date_format_iso(ymd(2026, 11, 24), buf, 10), 0);
	assert_string_equal(buf, "");
}

static void test_today(void **state)
{
	(void)state;
	assert_int_equal(setenv("CONCILIA_TODAY", "2026-04-03", 1), 0);
	assert_int_equal(date_today(), ymd(2026, 4, 3));
	/* an unusable value falls back to the clock, which is past 2025 */
	assert_int_equal(setenv("CONCILIA_TODAY", "amanha", 1), 0);
	assert_true(date_today() > ymd(2025, 1, 1));
	unsetenv("CONCILIA_TODAY");
	cdate t = date_today();
	assert_true(t > ymd(2025, 1, 1) && t < ymd(2100, 1, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_invalid_ymd),
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_to_ymd_none),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_parse_iso_br_text),
		cmocka_unit_test(test_cnab_fields),
		cmocka_unit_test(test_ddmmyy_pivot),
		cmocka_unit_test(test_ddmmyy_default_pivot),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_today),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
