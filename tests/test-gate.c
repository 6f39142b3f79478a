/* The charge gate's decision, without a database: each refusal reason on
 * its own, all of them at once, the override that only a stale import
 * accepts, and which open exceptions could be the debtor's payment. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gate/gate.h"

#define TODAY_PREV 20780 /* 2026-11-23, a Monday: the previous business day of 2026-11-24 */

/* A receivable that may be charged: open, nothing applied, a fresh
 * import, no pending payment, no exception. */
static struct gate_facts clean(void)
{
	struct gate_facts f;
	memset(&f, 0, sizeof f);
	f.receivable_id = "R-1";
	f.debtor_document = "52998224725";
	f.erp_status = RECEIVABLE_OPEN;
	f.amount_due_cents = 20498;
	f.bank_state = "";
	f.account_label = "bradesco";
	f.has_import = true;
	f.latest_import = TODAY_PREV;
	f.latest_file = "ret.ret";
	f.previous_business_day = TODAY_PREV;
	return f;
}

static void only(const struct gate_decision *d, enum gate_reason r)
{
	assert_false(d->allowed);
	assert_int_equal(d->nrefusals, 1);
	assert_int_equal(d->refusals[0].reason, r);
	assert_true(strlen(d->refusals[0].message) > 10);
}

static void allowed_when_clean(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	gate_decide(&f, NULL, &d);
	assert_true(d.allowed);
	assert_int_equal(d.nrefusals, 0);
	assert_false(d.stale_overridden);
	/* an import newer than the previous business day is as good */
	f.latest_import = TODAY_PREV + 1;
	gate_decide(&f, NULL, &d);
	assert_true(d.allowed);
}

static void receivable_states(void **state)
{
	(void)state;
	struct gate_decision d;
	struct gate_facts f = clean();
	f.settled = true;
	f.allocated_cents = 20000;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_SETTLED);
	assert_non_null(strstr(d.refusals[0].message, "R$ 200,00"));

	/* paid in full without the flag (amount due nothing) is settled too */
	f = clean();
	f.allocated_cents = 20498;
	f.amount_due_cents = 0;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_SETTLED);
	/* a partial payment is not */
	f.amount_due_cents = 100;
	gate_decide(&f, NULL, &d);
	assert_true(d.allowed);

	const struct {
		enum receivable_status st;
		enum gate_reason r;
	} erp[] = {
	    {RECEIVABLE_CANCELLED, GATE_CANCELLED},
	    {RECEIVABLE_RENEGOTIATED, GATE_RENEGOTIATED},
	    {RECEIVABLE_DISPUTED, GATE_DISPUTED},
	};
	for (size_t i = 0; i < sizeof erp / sizeof erp[0]; i++) {
		f = clean();
		f.erp_status = erp[i].st;
		gate_decide(&f, NULL, &d);
		only(&d, erp[i].r);
	}
	const char *bank[] = {"written_off", "protested", "registration_rejected"};
	for (size_t i = 0; i < 3; i++) {
		f = clean();
		f.bank_state = bank[i];
		gate_decide(&f, NULL, &d);
		only(&d, GATE_BANK_CLOSED);
	}
}

static void pending_payment(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	f.pending_payments = 2;
	f.pending_source = "ret.ret:7";
	gate_decide(&f, NULL, &d);
	only(&d, GATE_PAYMENT_PENDING);
	assert_non_null(strstr(d.refusals[0].message, "ret.ret:7"));
	assert_non_null(strstr(d.refusals[0].message, "2 payments"));
}

static struct gate_candidate candidate(const char *category, int64_t paid)
{
	struct gate_candidate c;
	memset(&c, 0, sizeof c);
	strcpy(c.category, category);
	c.paid_cents = paid;
	c.due_then_cents = -1;
	strcpy(c.source, "ret.ret:9");
	return c;
}

static void exceptions(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	struct gate_candidate c[2];

	/* paid with the debtor's document */
	c[0] = candidate("PAYER_MISMATCH", 5000);
	strcpy(c[0].payer_document, "52998224725");
	f.candidates = c;
	f.ncandidates = 1;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_OPEN_EXCEPTION);
	assert_non_null(strstr(d.refusals[0].message, "PAYER_MISMATCH"));

	/* another payer: not this debtor's */
	strcpy(c[0].payer_document, "11144477735");
	gate_decide(&f, NULL, &d);
	assert_true(d.allowed);

	/* a masked document whose visible digits fit, and one that does not */
	strcpy(c[0].payer_document, "***982247**");
	c[0].payer_document_partial = true;
	assert_true(gate_candidate_applies(&f, &c[0]));
	strcpy(c[0].payer_document, "***982248**");
	assert_false(gate_candidate_applies(&f, &c[0]));
	strcpy(c[0].payer_document, "***98224**"); /* wrong length */
	assert_false(gate_candidate_applies(&f, &c[0]));
	/* the same text unmasked is compared whole */
	strcpy(c[0].payer_document, "***982247**");
	c[0].payer_document_partial = false;
	assert_false(gate_candidate_applies(&f, &c[0]));

	/* on another receivable of the same debtor */
	c[0] = candidate("UNDERPAID", 100);
	strcpy(c[0].receivable_debtor, "52998224725");
	strcpy(c[0].receivable_id, "R-2");
	assert_true(gate_candidate_applies(&f, &c[0]));

	/* money nobody could place: only of exactly the amount due, then or now */
	c[0] = candidate("UNIDENTIFIED_CREDIT", 20498);
	assert_true(gate_candidate_applies(&f, &c[0]));
	c[0].paid_cents = 20000;
	assert_false(gate_candidate_applies(&f, &c[0]));
	c[0].due_then_cents = 20000;
	assert_true(gate_candidate_applies(&f, &c[0]));
	c[1] = candidate("UNKNOWN_REFERENCE", 20498);
	assert_true(gate_candidate_applies(&f, &c[1]));
	/* any other category needs a document or receivable link */
	c[1] = candidate("AMBIGUOUS", 20498);
	assert_false(gate_candidate_applies(&f, &c[1]));

	/* several: the first that applies is named, "and more" said */
	c[0] = candidate("AMBIGUOUS", 1);
	c[1] = candidate("UNKNOWN_REFERENCE", 20498);
	f.ncandidates = 2;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_OPEN_EXCEPTION);
	assert_non_null(strstr(d.refusals[0].message, "UNKNOWN_REFERENCE"));
	assert_null(strstr(d.refusals[0].message, "and more"));

	/* more than the gatherer could hold: refuse rather than guess */
	f.ncandidates = 0;
	f.candidates_truncated = true;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_OPEN_EXCEPTION);
}

static void imports(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	struct gate_options o = {"SFTP down"};

	f.held_imports = 1;
	f.held_file = "b.ret";
	f.held_reason = "SEQUENCE_CONFLICT: NSA 2";
	gate_decide(&f, &o, &d); /* held is not the stale check: no override */
	only(&d, GATE_HELD_IMPORT);
	assert_non_null(strstr(d.refusals[0].message, "SEQUENCE_CONFLICT"));

	f = clean();
	f.latest_import = TODAY_PREV - 1;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_STALE_IMPORT);
	assert_non_null(strstr(d.refusals[0].message, "22/11/2026"));
	assert_non_null(strstr(d.refusals[0].message, "--accept-stale"));

	f.has_import = false;
	gate_decide(&f, NULL, &d);
	only(&d, GATE_STALE_IMPORT);
	assert_non_null(strstr(d.refusals[0].message, "ever imported"));
}

static void override_only_stale(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	struct gate_options o = {"bank SFTP down"};
	struct gate_options empty = {""};

	f.latest_import = TODAY_PREV - 3;
	gate_decide(&f, &o, &d);
	assert_true(d.allowed);
	assert_true(d.stale_overridden);
	assert_non_null(strstr(d.stale_message, "bradesco"));
	/* an empty reason is no override */
	gate_decide(&f, &empty, &d);
	only(&d, GATE_STALE_IMPORT);

	/* a fresh import: nothing to override */
	f = clean();
	gate_decide(&f, &o, &d);
	assert_true(d.allowed);
	assert_false(d.stale_overridden);

	/* stale plus anything else: the override does not apply, and the
	 * message does not offer it */
	f.latest_import = TODAY_PREV - 3;
	f.erp_status = RECEIVABLE_DISPUTED;
	gate_decide(&f, &o, &d);
	assert_false(d.allowed);
	assert_false(d.stale_overridden);
	assert_int_equal(d.nrefusals, 2);
	assert_int_equal(d.refusals[1].reason, GATE_STALE_IMPORT);
	assert_null(strstr(d.refusals[1].message, "--accept-stale"));
}

static void every_reason_at_once(void **state)
{
	(void)state;
	struct gate_facts f = clean();
	struct gate_decision d;
	struct gate_candidate c = candidate("UNKNOWN_REFERENCE", 20498);
	f.settled = true;
	f.allocated_cents = 1;
	f.erp_status = RECEIVABLE_CANCELLED;
	f.bank_state = "protested";
	f.pending_payments = 1;
	f.candidates = &c;
	f.ncandidates = 1;
	f.held_imports = 1;
	f.has_import = false;
	gate_decide(&f, NULL, &d);
	assert_false(d.allowed);
	const enum gate_reason want[] = {GATE_SETTLED,         GATE_CANCELLED,      GATE_BANK_CLOSED,
	                                 GATE_PAYMENT_PENDING, GATE_OPEN_EXCEPTION, GATE_HELD_IMPORT,
	                                 GATE_STALE_IMPORT};
	assert_int_equal(d.nrefusals, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(d.refusals[i].reason, want[i]);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(gate_reason_name(GATE_STALE_IMPORT), "STALE_IMPORT");
	assert_string_equal(gate_reason_name(GATE_PAYMENT_PENDING), "PAYMENT_PENDING");
	for (int r = 0; r < GATE_REASON_COUNT; r++)
		assert_string_not_equal(gate_reason_name((enum gate_reason)r), "UNKNOWN");
	assert_string_equal(gate_reason_name(GATE_REASON_COUNT), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(allowed_when_clean),
	    cmocka_unit_test(receivable_states),
	    cmocka_unit_test(pending_payment),
	    cmocka_unit_test(exceptions),
	    cmocka_unit_test(imports),
	    cmocka_unit_test(override_only_stale),
	    cmocka_unit_test(every_reason_at_once),
	    cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
