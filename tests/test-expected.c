/* Expected amount on a payment date: face, discount, fine, daily interest
 * and the business-day rule, against worked examples. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reconcile/expected.h"

static struct calendar *cal;

static int setup(void **state)
{
	(void)state;
	cal = calendar_new();
	return cal ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static cdate D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void on_time_is_face(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 15000, .due_date = D(2026, 11, 10), .fine_e4 = 20000,
				 .interest_month_e4 = 10000, .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), 0);
	assert_int_equal(e.total_cents, 15000);
	assert_int_equal(e.fine_cents, 0);
	assert_int_equal(e.interest_cents, 0);
	/* Paying early is face value too. */
	assert_int_equal(expected_on(&t, D(2026, 10, 1), cal, &e), 0);
	assert_int_equal(e.total_cents, 15000);
}

static void late_payment_fine_and_daily_interest(void **state)
{
	(void)state;
	/* R$ 200,00, 2% fine, 1% a month: R$ 0,0667 a day rounds to R$ 0,07;
	 * 7 days late: 4,00 + 0,49. */
	struct charge_terms t = {.face_cents = 20000, .due_date = D(2026, 11, 5), .fine_e4 = 20000,
				 .interest_month_e4 = 10000, .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 12), cal, &e), 0);
	assert_int_equal(e.days_late, 7);
	assert_int_equal(e.fine_cents, 400);
	assert_int_equal(e.interest_per_day_cents, 7);
	assert_int_equal(e.interest_cents, 49);
	assert_int_equal(e.total_cents, 20449);
	/* One day late: fine once, one day of interest. */
	assert_int_equal(expected_on(&t, D(2026, 11, 6), cal, &e), 0);
	assert_int_equal(e.total_cents, 20000 + 400 + 7);
}

static void interest_rounding_per_day_half_up(void **state)
{
	(void)state;
	/* R$ 1.234,56 at 0,99% a month: 1234.56 * 0.0099 / 30 = 0.4074 -> 0,41/day. */
	struct charge_terms t = {.face_cents = 123456, .due_date = D(2026, 12, 15), .interest_month_e4 = 9900,
				 .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 12, 25 + 3), cal, &e), 0);
	assert_int_equal(e.interest_per_day_cents, 41);
	assert_int_equal(e.days_late, 13);
	assert_int_equal(e.interest_cents, 41 * 13);
	/* R$ 150,00 at 1%: exactly 0,05/day. */
	t.face_cents = 15000;
	t.interest_month_e4 = 10000;
	assert_int_equal(expected_on(&t, D(2026, 12, 16), cal, &e), 0);
	assert_int_equal(e.interest_per_day_cents, 5);
}

static void weekend_and_holiday_due_date_moves(void **state)
{
	(void)state;
	/* Due Saturday 2026-11-14; Sunday 15 is also a holiday; Monday 16 pays
	 * face value with no charge. */
	struct charge_terms t = {.face_cents = 12000, .due_date = D(2026, 11, 14), .fine_e4 = 20000,
				 .interest_month_e4 = 10000, .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 16), cal, &e), 0);
	assert_int_equal(e.effective_due, D(2026, 11, 16));
	assert_int_equal(e.total_cents, 12000);
	/* Tuesday: grace missed; interest counts from the original due date by
	 * default (3 days), or from the moved one (1 day) when configured. */
	assert_int_equal(expected_on(&t, D(2026, 11, 17), cal, &e), 0);
	assert_int_equal(e.days_late, 3);
	assert_int_equal(e.total_cents, 12000 + 240 + 3 * 4);
	t.interest_start = INTEREST_FROM_EFFECTIVE_DUE;
	assert_int_equal(expected_on(&t, D(2026, 11, 17), cal, &e), 0);
	assert_int_equal(e.days_late, 1);
	assert_int_equal(e.total_cents, 12000 + 240 + 4);
}

static void good_friday_and_carnival(void **state)
{
	(void)state;
	/* Due on Good Friday 2026-04-03: paid Monday 04-06 without charge. */
	struct charge_terms t = {.face_cents = 10000, .due_date = D(2026, 4, 3), .fine_e4 = 20000,
				 .interest_month_e4 = 30000, .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 4, 6), cal, &e), 0);
	assert_int_equal(e.total_cents, 10000);
	/* Due Carnival Monday 2026-02-16: the next business day is Wednesday. */
	t.due_date = D(2026, 2, 16);
	assert_int_equal(expected_on(&t, D(2026, 2, 18), cal, &e), 0);
	assert_int_equal(e.effective_due, D(2026, 2, 18));
	assert_int_equal(e.total_cents, 10000);
}

static void discount_until_date(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 30000, .due_date = D(2026, 11, 10), .discount_cents = 1500,
				 .discount_until = D(2026, 10, 30)};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 10, 30), cal, &e), 0);
	assert_int_equal(e.total_cents, 28500);
	assert_int_equal(e.discount_cents, 1500);
	assert_int_equal(expected_on(&t, D(2026, 11, 3), cal, &e), 0);
	assert_int_equal(e.total_cents, 30000);
	/* A discount limit on a Sunday followed by a holiday (Finados) lasts
	 * until the next business day, like the due date. */
	t.discount_until = D(2026, 11, 1);
	assert_int_equal(expected_on(&t, D(2026, 11, 3), cal, &e), 0);
	assert_int_equal(e.effective_discount_until, D(2026, 11, 3));
	assert_int_equal(e.total_cents, 28500);
}

static void unusable_terms_refused(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 0, .due_date = D(2026, 11, 10), .discount_until = CDATE_NONE};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
	t.face_cents = 100;
	t.due_date = CDATE_NONE;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
	t.due_date = D(2026, 11, 10);
	assert_int_equal(expected_on(&t, CDATE_NONE, cal, &e), -1);
	t.discount_cents = 200; /* more than the face value */
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(on_time_is_face),
		cmocka_unit_test(late_payment_fine_and_daily_interest),
		cmocka_unit_test(interest_rounding_per_day_half_up),
		cmocka_unit_test(weekend_and_holiday_due_date_moves),
		cmocka_unit_test(good_friday_and_carnival),
		cmocka_unit_test(discount_until_date),
		cmocka_unit_test(unusable_terms_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
