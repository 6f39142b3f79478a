/* The outcome decision for every category, with the money split between
 * the receivable and the payer's credit. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reconcile/outcome.h"

static struct outcome_input found(int64_t paid, int64_t expected_total)
{
	struct outcome_input in = {.paid_cents = paid, .receivable_found = true};
	in.expected.face_cents = expected_total;
	in.expected.total_cents = expected_total;
	return in;
}

static void exact(void **state)
{
	(void)state;
	struct outcome_input in = found(15000, 15000);
	struct outcome_decision d;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_MATCHED_EXACT);
	assert_int_equal(d.allocated_cents, 15000);
	assert_int_equal(d.excess_cents, 0);
	assert_true(d.settles);
	assert_false(outcome_needs_human(d.category));
}

static void with_charges_and_discount(void **state)
{
	(void)state;
	struct outcome_input in = found(20449, 20449);
	in.expected.face_cents = 20000;
	in.expected.fine_cents = 400;
	in.expected.interest_cents = 49;
	struct outcome_decision d;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_MATCHED_WITH_CHARGES);
	assert_non_null(strstr(d.detail, "fine 4.00"));
	assert_false(outcome_needs_human(d.category));

	in = found(28500, 28500);
	in.expected.face_cents = 30000;
	in.expected.discount_cents = 1500;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_MATCHED_WITH_DISCOUNT);
	assert_true(d.settles);
}

static void under_and_over(void **state)
{
	(void)state;
	struct outcome_input in = found(45000, 50000);
	struct outcome_decision d;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_UNDERPAID);
	assert_int_equal(d.allocated_cents, 45000);
	assert_false(d.settles);
	assert_true(outcome_needs_human(d.category));

	in = found(12500, 12000);
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_OVERPAID);
	assert_int_equal(d.allocated_cents, 12000);
	assert_int_equal(d.excess_cents, 500);
	assert_true(d.settles);
}

static void partial_then_balance(void **state)
{
	(void)state;
	/* R$ 450 of 500 already applied: R$ 50 more settles it. */
	struct outcome_input in = found(5000, 50000);
	in.already_allocated = 45000;
	struct outcome_decision d;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_MATCHED_EXACT);
	assert_int_equal(d.expected_cents, 5000);
	assert_true(d.settles);
}

static void duplicate_unknown_closed(void **state)
{
	(void)state;
	struct outcome_input in = found(15000, 15000);
	struct outcome_decision d;
	in.receivable_settled = true;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_DUPLICATE_PAYMENT);
	assert_int_equal(d.allocated_cents, 0);
	assert_int_equal(d.excess_cents, 15000);

	in = found(9000, 9000);
	in.receivable_cancelled = true;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_PAID_CLOSED_RECEIVABLE);
	assert_int_equal(d.allocated_cents, 0);

	struct outcome_input none = {.paid_cents = 8000};
	outcome_decide(&none, &d);
	assert_int_equal(d.category, OUTCOME_UNKNOWN_REFERENCE);
	assert_int_equal(d.excess_cents, 8000);
	assert_false(d.settles);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < OUTCOME_COUNT; c++)
		assert_int_equal(outcome_from_name(outcome_name((enum outcome_category)c)), c);
	assert_int_equal(outcome_from_name("NOPE"), OUTCOME_COUNT);
	assert_string_equal(outcome_name(OUTCOME_PAID_CLOSED_RECEIVABLE), "PAID_CLOSED_RECEIVABLE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact),
		cmocka_unit_test(with_charges_and_discount),
		cmocka_unit_test(under_and_over),
		cmocka_unit_test(partial_then_balance),
		cmocka_unit_test(duplicate_unknown_closed),
		cmocka_unit_test(names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
