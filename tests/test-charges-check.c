/* The bank's charges of a liquidation: its own arithmetic, and
 * BANK_CHARGES_DIFFER against concilia's expected amount. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reconcile/charges_check.h"

static cdate D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* A liquidation whose figures add up: paid = face - discount - rebate + charges. */
static struct bank_event liquidation(int64_t face, int64_t charges, int64_t discount, int64_t rebate)
{
	struct bank_event ev = {.kind = EVENT_LIQUIDATION,
	                        .face_cents = face,
	                        .charges_cents = charges,
	                        .discount_cents = discount,
	                        .rebate_cents = rebate,
	                        .paid_cents = face - discount - rebate + charges,
	                        .due_date = CDATE_NONE,
	                        .occurrence_date = CDATE_NONE,
	                        .credit_date = CDATE_NONE};
	return ev;
}

static void expect_on(const struct charge_terms *t, cdate pay, struct expected_amount *e)
{
	assert_int_equal(expected_on(t, pay, NULL, e), 0);
}

/* BCB's Pix cobv example (reference/pix.md §7): R$ 100,00, 2 days late,
 * multa 3%, juros 1% a day: the PSP reports multa 3,00 + juros 2,00 and
 * R$ 105,00 paid. */
static void bcb_example_agrees(void **state)
{
	(void)state;
	struct charge_terms t = {
	    .face_cents = 10000, .due_date = D(2026, 3, 2), .fine_e4 = 30000, .interest_month_e4 = 300000};
	struct expected_amount e;
	struct bank_event ev = liquidation(10000, 500, 0, 0);
	struct charges_check c;
	expect_on(&t, D(2026, 3, 4), &e);
	charges_check(&ev, &e, 0, &c);
	assert_int_equal(c.arithmetic, BANK_ARITHMETIC_CONSISTENT);
	assert_true(c.compared);
	assert_false(c.differs);
	assert_int_equal(c.our_charges_cents, 500);
	assert_string_equal(c.detail, "bank's charges agree with concilia: interest and fine R$ 5,00, "
	                              "discount and rebate R$ 0,00");
}

/* The example: a 2% fine on R$ 500,00 and R$ 1,00 a day for 2 days
 * is R$ 12,00; the bank charged R$ 12,30. */
static void charges_differ(void **state)
{
	(void)state;
	struct charge_terms t = {
	    .face_cents = 50000, .due_date = D(2026, 11, 10), .fine_e4 = 20000, .interest_day_cents = 100};
	struct expected_amount e;
	struct bank_event ev = liquidation(50000, 1230, 0, 0);
	struct charges_check c;
	expect_on(&t, D(2026, 11, 12), &e);
	charges_check(&ev, &e, 0, &c);
	assert_true(c.differs);
	assert_int_equal(c.bank_charges_cents, 1230);
	assert_int_equal(c.our_charges_cents, 1200);
	assert_string_equal(c.detail,
	                    "bank charged R$ 12,30 of interest and fine, concilia computes R$ 12,00 "
	                    "(fine R$ 10,00 + 2 days of interest R$ 2,00)");
	/* within a tolerance of 30 centavos it agrees */
	charges_check(&ev, &e, 30, &c);
	assert_false(c.differs);
	/* only interest, one day */
	t.fine_e4 = 0;
	ev = liquidation(50000, 150, 0, 0);
	expect_on(&t, D(2026, 11, 11), &e);
	charges_check(&ev, &e, 0, &c);
	assert_string_equal(c.detail, "bank charged R$ 1,50 of interest and fine, concilia computes R$ 1,00 "
	                              "(1 day of interest R$ 1,00)");
}

/* The bank charged interest where the terms have none, or on time. */
static void charges_where_none_due(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 20000, .due_date = D(2026, 11, 10)};
	struct expected_amount e;
	struct bank_event ev = liquidation(20000, 40, 0, 0);
	struct charges_check c;
	expect_on(&t, D(2026, 11, 12), &e);
	charges_check(&ev, &e, 0, &c);
	assert_string_equal(c.detail, "bank charged R$ 0,40 of interest and fine, concilia computes R$ 0,00 "
	                              "(no fine or interest in the terms for 2 days late)");
	expect_on(&t, D(2026, 11, 10), &e);
	charges_check(&ev, &e, 0, &c);
	assert_string_equal(c.detail, "bank charged R$ 0,40 of interest and fine, concilia computes R$ 0,00 "
	                              "(paid on time)");
}

/* A slip due on Saturday paid on Tuesday: banks that count interest from
 * the original due date (STJ 2022) charge 3 days; with --interest-from
 * business-day concilia counts 1, and says so. */
static void interest_start_disagreement(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 30000,
	                         .due_date = D(2026, 11, 14),
	                         .interest_day_cents = 10,
	                         .interest_start = INTEREST_FROM_EFFECTIVE_DUE};
	struct expected_amount e;
	struct bank_event ev = liquidation(30000, 30, 0, 0);
	struct charges_check c;
	expect_on(&t, D(2026, 11, 17), &e);
	charges_check(&ev, &e, 0, &c);
	assert_true(c.differs);
	assert_string_equal(c.detail, "bank charged R$ 0,30 of interest and fine, concilia computes R$ 0,10 "
	                              "(1 day of interest R$ 0,10)");
	t.interest_start = INTEREST_FROM_DUE_DATE;
	expect_on(&t, D(2026, 11, 17), &e);
	charges_check(&ev, &e, 0, &c);
	assert_false(c.differs);
}

/* Discount and rebate are compared as one figure, the slip's "(-)
 * Desconto/Abatimento" box: banks report an abatimento inside the discount
 * field, or apart. */
static void deductions(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 30000,
	                         .due_date = D(2026, 11, 10),
	                         .rebate_cents = 500,
	                         .discounts = {{.cents = 1000, .until = D(2026, 11, 5)}}};
	struct expected_amount e;
	struct charges_check c;
	expect_on(&t, D(2026, 11, 4), &e);
	struct bank_event apart = liquidation(30000, 0, 1000, 500);
	charges_check(&apart, &e, 0, &c);
	assert_false(c.differs);
	struct bank_event folded = liquidation(30000, 0, 1500, 0);
	charges_check(&folded, &e, 0, &c);
	assert_false(c.differs);
	assert_int_equal(c.our_deductions_cents, 1500);
	/* the bank forgot the discount */
	struct bank_event none = liquidation(30000, 0, 0, 500);
	charges_check(&none, &e, 0, &c);
	assert_true(c.differs);
	assert_string_equal(c.detail,
	                    "bank deducted R$ 5,00 of discount and rebate, concilia computes R$ 15,00 "
	                    "(rebate R$ 5,00 + discount R$ 10,00 until 2026-11-05)");
	/* the bank granted a discount after its date */
	expect_on(&t, D(2026, 11, 6), &e);
	charges_check(&apart, &e, 0, &c);
	assert_string_equal(c.detail,
	                    "bank deducted R$ 15,00 of discount and rebate, concilia computes R$ 5,00 "
	                    "(rebate R$ 5,00)");
	t.rebate_cents = 0;
	expect_on(&t, D(2026, 11, 6), &e);
	charges_check(&apart, &e, 0, &c);
	assert_string_equal(c.detail,
	                    "bank deducted R$ 15,00 of discount and rebate, concilia computes R$ 0,00 "
	                    "(no discount or rebate on the payment date)");
}

/* A face value other than the receivable's is reported with the rest. */
static void face_differs(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 14000, .due_date = D(2026, 11, 10), .fine_e4 = 20000};
	struct expected_amount e;
	struct bank_event ev = liquidation(15000, 300, 0, 0);
	struct charges_check c;
	expect_on(&t, D(2026, 11, 12), &e);
	charges_check(&ev, &e, 0, &c);
	assert_true(c.differs);
	assert_string_equal(c.detail,
	                    "bank has a face value of R$ 150,00, concilia R$ 140,00; bank charged "
	                    "R$ 3,00 of interest and fine, concilia computes R$ 2,80 (fine R$ 2,80)");
}

/* The bank's own arithmetic, and the folds that would explain a gap. */
static void arithmetic(void **state)
{
	(void)state;
	struct charges_check c;
	struct bank_event ev = liquidation(34400, 9, 1, 2);
	charges_check_arithmetic(&ev, &c);
	assert_int_equal(c.arithmetic, BANK_ARITHMETIC_CONSISTENT);
	assert_string_equal(c.detail,
	                    "bank's figures add up: face R$ 344,00 - discount R$ 0,01 - rebate R$ 0,02 "
	                    "+ interest and fine R$ 0,09 = paid R$ 344,06");
	/* brcobranca's CNAB240.RET line 3: placeholders on a plain payment */
	ev.paid_cents = 34400;
	charges_check_arithmetic(&ev, &c);
	assert_int_equal(c.arithmetic, BANK_ARITHMETIC_INCONSISTENT);
	assert_int_equal(c.arithmetic_gap_cents, -6);
	assert_null(c.fold);
	assert_string_equal(c.detail,
	                    "bank's figures do not add up: face R$ 344,00 - discount R$ 0,01 - rebate "
	                    "R$ 0,02 + interest and fine R$ 0,09 = R$ 344,06, but paid R$ 344,00");
	/* Itaú CNAB 400 read as gross: R$ 8,10 net + R$ 3,90 tariff = R$ 12,00
	 * (reference/cnab.md §5) */
	ev = liquidation(1200, 0, 0, 0);
	ev.paid_cents = 810;
	ev.tariff_cents = 390;
	charges_check_arithmetic(&ev, &c);
	assert_string_equal(c.fold, "the amount paid is net of the tariff (the layout should say paid-amount "
	                            "net-of-tariff)");
	assert_non_null(strstr(c.detail, "but paid R$ 8,10 (the amount paid is net of the tariff"));
	ev = liquidation(10000, 0, 0, 0);
	ev.iof_cents = 38;
	ev.paid_cents = 10038;
	charges_check_arithmetic(&ev, &c);
	assert_string_equal(c.fold, "IOF is included in the amount paid");
	ev.iof_cents = 0;
	ev.other_credits_cents = 38;
	charges_check_arithmetic(&ev, &c);
	assert_string_equal(c.fold, "outros créditos are included in the amount paid");
	ev = liquidation(10000, 0, 0, 0);
	ev.other_expenses_cents = 50;
	ev.paid_cents = 9950;
	charges_check_arithmetic(&ev, &c);
	assert_string_equal(c.fold, "outras despesas are taken from the amount paid");
	ev = liquidation(10000, 0, 1500, 500);
	ev.paid_cents = 8500;
	charges_check_arithmetic(&ev, &c);
	assert_string_equal(c.fold, "the rebate is already inside the discount");
}

/* Nothing to check, and no comparison on figures that do not add up. */
static void unchecked_and_not_compared(void **state)
{
	(void)state;
	struct charge_terms t = {.face_cents = 10000, .due_date = D(2026, 11, 10), .fine_e4 = 20000};
	struct expected_amount e;
	struct charges_check c;
	expect_on(&t, D(2026, 11, 20), &e);
	/* discounted-portfolio titles come back zeroed (andersondanilo/CnabPHP#161) */
	struct bank_event zero = liquidation(0, 0, 0, 0);
	zero.paid_cents = 10200;
	charges_check(&zero, &e, 0, &c);
	assert_int_equal(c.arithmetic, BANK_ARITHMETIC_UNCHECKED);
	assert_false(c.compared);
	assert_false(c.differs);
	assert_string_equal(c.detail, "bank reports no face value, so its figures cannot be checked");
	struct bank_event unpaid = liquidation(10000, 0, 0, 0);
	unpaid.paid_cents = 0;
	charges_check(&unpaid, &e, 0, &c);
	assert_string_equal(c.detail, "bank reports nothing paid, so its figures cannot be checked");
	/* a layout without charge fields: paid over face, charges 0 */
	struct bank_event bare = liquidation(10000, 0, 0, 0);
	bare.paid_cents = 10200;
	charges_check(&bare, &e, 0, &c);
	assert_int_equal(c.arithmetic, BANK_ARITHMETIC_INCONSISTENT);
	assert_false(c.compared);
	assert_false(c.differs);
	assert_int_equal(c.arithmetic_gap_cents, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bcb_example_agrees),
	    cmocka_unit_test(charges_differ),
	    cmocka_unit_test(charges_where_none_due),
	    cmocka_unit_test(interest_start_disagreement),
	    cmocka_unit_test(deductions),
	    cmocka_unit_test(face_differs),
	    cmocka_unit_test(arithmetic),
	    cmocka_unit_test(unchecked_and_not_compared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
