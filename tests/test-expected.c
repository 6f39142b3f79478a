/* Expected amount on a payment date: face, discount, fine, daily interest
 * and the business-day rule, against worked examples. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/money.h"
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
				 .interest_month_e4 = 10000};
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
				 .interest_month_e4 = 10000};
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
	struct charge_terms t = {.face_cents = 123456, .due_date = D(2026, 12, 15), .interest_month_e4 = 9900};
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
				 .interest_month_e4 = 10000};
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
				 .interest_month_e4 = 30000};
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
	struct charge_terms t = {.face_cents = 30000, .due_date = D(2026, 11, 10),
				 .discounts = {{.cents = 1500, .until = D(2026, 10, 30)}}};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 10, 30), cal, &e), 0);
	assert_int_equal(e.total_cents, 28500);
	assert_int_equal(e.discount_cents, 1500);
	assert_int_equal(expected_on(&t, D(2026, 11, 3), cal, &e), 0);
	assert_int_equal(e.total_cents, 30000);
	/* A discount limit on a Sunday followed by a holiday (Finados) lasts
	 * until the next business day, like the due date. */
	t.discounts[0].until = D(2026, 11, 1);
	assert_int_equal(expected_on(&t, D(2026, 11, 3), cal, &e), 0);
	assert_int_equal(e.effective_discount_until, D(2026, 11, 3));
	assert_int_equal(e.total_cents, 28500);
}

static void unusable_terms_refused(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 0, .due_date = D(2026, 11, 10)};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
	t.face_cents = 100;
	t.due_date = CDATE_NONE;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
	t.due_date = D(2026, 11, 10);
	assert_int_equal(expected_on(&t, CDATE_NONE, cal, &e), -1);
	t.discounts[0] = (struct discount_tier){.cents = 200, .until = D(2026, 11, 1)}; /* more than face */
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), -1);
}

/* BCB's worked example for a Pix cobv (API Pix spec, CobVValor; quoted in
 * reference/pix.md §7): R$ 100,00 paid 2 days late with multa 3% and juros
 * 1% a day comes to R$ 105,00. 1% a day is 30% a month in the /30 rule, or
 * a fixed R$ 1,00 a day (CNAB código 1): both give the same figure. */
static void bcb_cobv_worked_example(void **state)
{
	(void)state;
	/* Due Monday 2026-03-02, paid Wednesday 03-04. */
	struct charge_terms t = {.face_cents = 10000, .due_date = D(2026, 3, 2), .fine_e4 = 30000,
				 .interest_month_e4 = 300000};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 3, 4), cal, &e), 0);
	assert_int_equal(e.fine_cents, 300);
	assert_int_equal(e.interest_per_day_cents, 100);
	assert_int_equal(e.interest_days, 2);
	assert_int_equal(e.total_cents, 10500);
	t.interest_month_e4 = 0;
	t.interest_day_cents = 100;
	assert_int_equal(expected_on(&t, D(2026, 3, 4), cal, &e), 0);
	assert_int_equal(e.total_cents, 10500);
}

/* The slip instructions reference/boleto.md §5 gives as the Itaú manual
 * wants them (conditions as values and dates): "Após 10/03/2026, multa de
 * R$ 2,00 e juros de R$ 0,03 por dia"; "Até 05/03/2026 desconto de R$ 5,00",
 * on a R$ 100,00 slip due Tuesday 10/03/2026. */
static void itau_style_instructions(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 10000, .due_date = D(2026, 3, 10), .fine_cents = 200,
				 .interest_day_cents = 3, .discounts = {{.cents = 500, .until = D(2026, 3, 5)}}};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 3, 5), cal, &e), 0);
	assert_int_equal(e.total_cents, 9500);
	assert_int_equal(e.discount_tier, 1);
	assert_int_equal(expected_on(&t, D(2026, 3, 6), cal, &e), 0);
	assert_int_equal(e.total_cents, 10000);
	assert_int_equal(e.discount_tier, 0);
	assert_int_equal(e.effective_discount_until, CDATE_NONE);
	assert_int_equal(expected_on(&t, D(2026, 3, 10), cal, &e), 0);
	assert_int_equal(e.total_cents, 10000);
	/* Friday 13/03: 3 days, R$ 2,00 + 3 x R$ 0,03 */
	assert_int_equal(expected_on(&t, D(2026, 3, 13), cal, &e), 0);
	assert_int_equal(e.fine_cents, 200);
	assert_int_equal(e.interest_cents, 9);
	assert_int_equal(e.total_cents, 10209);
}

/* Up to three tiers, each an amount or a percentage: the first whose limit
 * (moved to a business day) is not past applies. */
static void discount_tiers(void **state)
{
	(void)state;
	/* R$ 1.000,00 due Monday 2026-11-30: 10% until 11-10, R$ 50,00 until
	 * Saturday 11-21 (so Monday 11-23), 2,5% until 11-25. */
	struct charge_terms t = {.face_cents = 100000,
				 .due_date = D(2026, 11, 30),
				 .discounts = {{.e4 = 100000, .until = D(2026, 11, 10)},
					       {.cents = 5000, .until = D(2026, 11, 21)},
					       {.e4 = 25000, .until = D(2026, 11, 25)}}};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 1), cal, &e), 0);
	assert_int_equal(e.discount_tier, 1);
	assert_int_equal(e.total_cents, 90000);
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), 0);
	assert_int_equal(e.total_cents, 90000);
	assert_int_equal(expected_on(&t, D(2026, 11, 11), cal, &e), 0);
	assert_int_equal(e.discount_tier, 2);
	assert_int_equal(e.total_cents, 95000);
	assert_int_equal(expected_on(&t, D(2026, 11, 23), cal, &e), 0);
	assert_int_equal(e.discount_tier, 2);
	assert_int_equal(e.effective_discount_until, D(2026, 11, 23));
	assert_int_equal(expected_on(&t, D(2026, 11, 24), cal, &e), 0);
	assert_int_equal(e.discount_tier, 3);
	assert_int_equal(e.discount_cents, 2500);
	assert_int_equal(expected_on(&t, D(2026, 11, 26), cal, &e), 0);
	assert_int_equal(e.discount_tier, 0);
	assert_int_equal(e.total_cents, 100000);
	/* A percentage is rounded half-up: 2,5% of R$ 0,99 is 2,475 centavos. */
	t.face_cents = 99;
	t.discounts[1].cents = 10;
	assert_int_equal(expected_on(&t, D(2026, 11, 24), cal, &e), 0);
	assert_int_equal(e.discount_cents, 2);
	t.discounts[2].e4 = 30000; /* 2,97 -> 3 */
	assert_int_equal(expected_on(&t, D(2026, 11, 24), cal, &e), 0);
	assert_int_equal(e.discount_cents, 3);
	/* 99,99% of R$ 0,01 rounds to all of it: nothing left to pay, allowed */
	t.face_cents = 1;
	t.discounts[0].e4 = 999900;
	t.discounts[1].cents = 0;
	t.discounts[1].e4 = 10000;
	assert_int_equal(expected_on(&t, D(2026, 11, 1), cal, &e), 0);
	assert_int_equal(e.total_cents, 0);
}

/* The rebate lowers the face value on any date; percentages apply to what
 * is left. */
static void rebate(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 50000, .due_date = D(2026, 11, 10), .rebate_cents = 10000,
				 .fine_e4 = 20000, .interest_month_e4 = 30000,
				 .discounts = {{.e4 = 50000, .until = D(2026, 11, 5)}}};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 5), cal, &e), 0);
	assert_int_equal(e.rebate_cents, 10000);
	assert_int_equal(e.discount_cents, 2000); /* 5% of 400,00 */
	assert_int_equal(e.total_cents, 38000);
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), 0);
	assert_int_equal(e.total_cents, 40000);
	/* 5 days late: fine 2% of 400,00 = 8,00; 3% a month = 0,40 a day. */
	assert_int_equal(expected_on(&t, D(2026, 11, 15), cal, &e), 0);
	assert_int_equal(e.fine_cents, 800);
	assert_int_equal(e.interest_per_day_cents, 40);
	assert_int_equal(e.total_cents, 40000 + 800 + 200);
}

/* Fine and interest each have a fixed or a percentage form, and interest
 * may be exempt while the fine is not. */
static void fine_and_interest_kinds(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 25000, .due_date = D(2026, 11, 10), .fine_cents = 500};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 20), cal, &e), 0);
	assert_int_equal(e.fine_cents, 500);
	assert_int_equal(e.interest_cents, 0);
	assert_int_equal(e.interest_days, 0);
	assert_int_equal(e.days_late, 10); /* still late, only exempt from interest */
	assert_int_equal(e.total_cents, 25500);
	t.interest_day_cents = 12;
	assert_int_equal(expected_on(&t, D(2026, 11, 20), cal, &e), 0);
	assert_int_equal(e.interest_cents, 120);
	assert_int_equal(e.interest_per_day_cents, 12);
	assert_int_equal(e.total_cents, 25620);
}

/* Start dates after the due date ("multa após N dias", CNAB "data da
 * multa" / "data de juros"): each behaves like its own due date, moved to a
 * business day when it falls on a day without service. */
static void fine_and_interest_grace(void **state)
{
	(void)state;
	/* Due Tuesday 2026-11-10; fine 2% only after 11-15 (Sunday: Monday
	 * 11-16 still free of it); interest 1% a month after 11-12. */
	struct charge_terms t = {.face_cents = 30000, .due_date = D(2026, 11, 10), .fine_e4 = 20000,
				 .fine_grace_days = 5, .interest_month_e4 = 10000, .interest_grace_days = 2};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 12), cal, &e), 0);
	assert_int_equal(e.days_late, 2);
	assert_int_equal(e.total_cents, 30000);
	assert_int_equal(expected_on(&t, D(2026, 11, 16), cal, &e), 0);
	assert_int_equal(e.fine_cents, 0);
	assert_int_equal(e.interest_days, 4);
	assert_int_equal(e.total_cents, 30000 + 4 * 10);
	assert_int_equal(expected_on(&t, D(2026, 11, 17), cal, &e), 0);
	assert_int_equal(e.fine_cents, 600);
	assert_int_equal(e.days_late, 7);
	assert_int_equal(e.interest_days, 5);
	assert_int_equal(e.total_cents, 30000 + 600 + 5 * 10);
	/* From the moved dates: the fine's start moved to 11-16, so on 11-17
	 * interest counts 5 days (from 11-12, a business day). */
	t.interest_start = INTEREST_FROM_EFFECTIVE_DUE;
	t.interest_grace_days = 5;
	assert_int_equal(expected_on(&t, D(2026, 11, 17), cal, &e), 0);
	assert_int_equal(e.interest_days, 1);
	assert_int_equal(e.days_late, 7);
}

/* Holidays configured for one state move the dates for its payers only. */
static void state_holiday(void **state)
{
	(void)state;
	struct calendar *c = calendar_new();
	assert_non_null(c);
	struct calendar *sp = calendar_state(c, "SP");
	assert_non_null(sp);
	assert_int_equal(calendar_add_annual_holiday(sp, 7, 9, "Revolução Constitucionalista"), 0);
	/* Due Thursday 2026-07-09, paid Friday 07-10. */
	struct charge_terms t = {.face_cents = 10000, .due_date = D(2026, 7, 9), .fine_e4 = 20000};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 7, 10), calendar_for_state(c, "SP"), &e), 0);
	assert_int_equal(e.total_cents, 10000);
	assert_int_equal(expected_on(&t, D(2026, 7, 10), calendar_for_state(c, "RJ"), &e), 0);
	assert_int_equal(e.total_cents, 10200);
	calendar_free(c);
}

static void unusable_combinations_refused(void **state)
{
	(void)state;
	const struct charge_terms ok = {.face_cents = 10000, .due_date = D(2026, 11, 10)};
	struct charge_terms t;
	struct expected_amount e;
	cdate pay = D(2026, 11, 20);
#define REFUSED(...)                                                                               \
	do {                                                                                        \
		t = ok;                                                                             \
		__VA_ARGS__;                                                                        \
		if (expected_on(&t, pay, cal, &e) != -1)                                            \
			fail_msg("accepted: %s", #__VA_ARGS__);                                     \
	} while (0)
	assert_int_equal(expected_on(&ok, pay, cal, &e), 0);
	REFUSED(t.fine_e4 = 20000; t.fine_cents = 100);
	REFUSED(t.interest_month_e4 = 10000; t.interest_day_cents = 3);
	REFUSED(t.fine_e4 = 1000001);
	REFUSED(t.fine_cents = -1);
	REFUSED(t.interest_day_cents = -1);
	REFUSED(t.rebate_cents = 10000);
	REFUSED(t.rebate_cents = -5);
	REFUSED(t.face_cents = MONEY_MAX_CENTS + 1);
	REFUSED(t.fine_grace_days = -1);
	REFUSED(t.discounts[0] = (struct discount_tier){.cents = 100, .until = CDATE_NONE});
	REFUSED(t.discounts[0] = (struct discount_tier){.cents = 100, .e4 = 10, .until = D(2026, 11, 1)});
	REFUSED(t.discounts[0] = (struct discount_tier){.e4 = 1000000, .until = D(2026, 11, 1)});
	REFUSED(t.discounts[0] = (struct discount_tier){.cents = 10000, .until = D(2026, 11, 1)});
	REFUSED(t.rebate_cents = 5000; t.discounts[0] = (struct discount_tier){.cents = 5000, .until = D(2026, 11, 1)});
	/* tiers out of order, repeated, or with a gap */
	REFUSED(t.discounts[0] = (struct discount_tier){.cents = 100, .until = D(2026, 11, 5)};
		t.discounts[1] = (struct discount_tier){.cents = 50, .until = D(2026, 11, 1)});
	REFUSED(t.discounts[0] = (struct discount_tier){.cents = 100, .until = D(2026, 11, 5)};
		t.discounts[1] = (struct discount_tier){.cents = 50, .until = D(2026, 11, 5)});
	REFUSED(t.discounts[1] = (struct discount_tier){.cents = 50, .until = D(2026, 11, 5)});
	/* overflow: a huge daily amount for many days */
	REFUSED(t.face_cents = MONEY_MAX_CENTS; t.interest_day_cents = MONEY_MAX_CENTS);
	REFUSED(t.face_cents = MONEY_MAX_CENTS; t.fine_e4 = 1000000);
#undef REFUSED
	/* the largest amounts that still fit are computed exactly */
	t = ok;
	t.face_cents = MONEY_MAX_CENTS / 4;
	t.fine_e4 = 1000000;
	t.interest_month_e4 = 300000; /* 1% a day */
	assert_int_equal(expected_on(&t, D(2026, 11, 20), cal, &e), 0);
	assert_true(e.total_cents == MONEY_MAX_CENTS / 4 * 2 + MONEY_MAX_CENTS / 400 * 10);
}

/* The worked example of README "Amount due". */
static void readme_example(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 100000,
				 .due_date = D(2026, 11, 30),
				 .rebate_cents = 5000,
				 .discounts = {{.e4 = 100000, .until = D(2026, 11, 10)},
					       {.cents = 2000, .until = D(2026, 11, 21)}},
				 .fine_e4 = 20000,
				 .interest_month_e4 = 10000};
	struct expected_amount e;
	assert_int_equal(expected_on(&t, D(2026, 11, 10), cal, &e), 0);
	assert_int_equal(e.total_cents, 85500);
	assert_int_equal(expected_on(&t, D(2026, 11, 23), cal, &e), 0);
	assert_int_equal(e.total_cents, 93000);
	assert_int_equal(expected_on(&t, D(2026, 11, 30), cal, &e), 0);
	assert_int_equal(e.total_cents, 95000);
	assert_int_equal(expected_on(&t, D(2026, 12, 7), cal, &e), 0);
	assert_int_equal(e.fine_cents, 1900);
	assert_int_equal(e.interest_per_day_cents, 32);
	assert_int_equal(e.total_cents, 97124);
}

/* The terms of a receivable as stored: start dates become grace days. */
static void terms_from_receivable(void **state)
{
	(void)state;
	struct receivable_row r = {
		.amount_cents = 20000,
		.due_date = D(2026, 11, 10),
		.fine_cents = 300,
		.fine_after = D(2026, 11, 13),
		.interest_month_e4 = 10000,
		.interest_after = D(2026, 11, 10),
		.rebate_cents = 1000,
		.discount_e4 = 50000,
		.discount_until = D(2026, 11, 1),
		.discount2_cents = 500,
		.discount2_until = D(2026, 11, 5),
		.discount3_until = CDATE_NONE,
	};
	struct charge_terms t;
	charge_terms_from_receivable(&r, INTEREST_FROM_EFFECTIVE_DUE, &t);
	assert_int_equal(t.face_cents, 20000);
	assert_int_equal(t.rebate_cents, 1000);
	assert_int_equal(t.fine_cents, 300);
	assert_int_equal(t.fine_grace_days, 3);
	assert_int_equal(t.interest_grace_days, 0);
	assert_int_equal(t.interest_month_e4, 10000);
	assert_int_equal(t.discounts[0].e4, 50000);
	assert_int_equal(t.discounts[1].cents, 500);
	assert_int_equal(t.discounts[1].until, D(2026, 11, 5));
	assert_int_equal(t.discounts[2].cents, 0);
	assert_int_equal(t.interest_start, INTEREST_FROM_EFFECTIVE_DUE);
	struct expected_amount e;
	/* tier 1 until Sunday 11-01 lasts through Finados to 11-03 */
	assert_int_equal(expected_on(&t, D(2026, 11, 3), cal, &e), 0);
	assert_int_equal(e.total_cents, 19000 - 950);
	assert_int_equal(expected_on(&t, D(2026, 11, 4), cal, &e), 0);
	assert_int_equal(e.total_cents, 19000 - 500);
	assert_int_equal(expected_on(&t, D(2026, 11, 16), cal, &e), 0);
	assert_int_equal(e.total_cents, 19000 + 300 + 6 * 6);
	/* too far is refused, not capped into another date */
	r.fine_after = r.due_date + RECEIVABLE_MAX_GRACE_DAYS + 100;
	charge_terms_from_receivable(&r, INTEREST_FROM_DUE_DATE, &t);
	assert_int_equal(expected_on(&t, D(2026, 11, 16), cal, &e), -1);
	/* no start dates: no grace */
	r.fine_after = r.interest_after = CDATE_NONE;
	charge_terms_from_receivable(&r, INTEREST_FROM_DUE_DATE, &t);
	assert_int_equal(t.fine_grace_days, 0);
	assert_int_equal(t.interest_grace_days, 0);
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
		cmocka_unit_test(bcb_cobv_worked_example),
		cmocka_unit_test(itau_style_instructions),
		cmocka_unit_test(discount_tiers),
		cmocka_unit_test(rebate),
		cmocka_unit_test(fine_and_interest_kinds),
		cmocka_unit_test(fine_and_interest_grace),
		cmocka_unit_test(state_holiday),
		cmocka_unit_test(unusable_combinations_refused),
		cmocka_unit_test(terms_from_receivable),
		cmocka_unit_test(readme_example),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
