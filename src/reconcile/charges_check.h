/* Does the bank agree with us about a liquidation's charges? Two pure
 * checks on one bank event:
 * - the bank's own arithmetic: face - discount - rebate + charges == paid
 *   (FEBRABAN CNAB 240 segment U; reference/cnab.md §5), which every real
 *   return in ../shared/interop satisfies once the reader has made `paid`
 *   gross (Itaú CNAB 400 reports it net of the tariff);
 * - BANK_CHARGES_DIFFER: the bank's interest + fine (one "acréscimos"
 *   field in CNAB 240, juros + multa in CNAB 400), its discount + rebate and
 *   its face value against what concilia computes for the receivable on
 *   the payment date (expected_on).
 * The matcher decides what to do with the result; nothing here is stored. */
#ifndef CONCILIA_CHARGES_CHECK_H
#define CONCILIA_CHARGES_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "codec/bank_event.h"
#include "reconcile/expected.h"

enum bank_arithmetic {
	BANK_ARITHMETIC_CONSISTENT = 0, /* face - discount - rebate + charges == paid */
	BANK_ARITHMETIC_INCONSISTENT,   /* it does not: the breakdown cannot be trusted */
	BANK_ARITHMETIC_UNCHECKED,      /* face or paid is zero (templates, discounted
	                                 * portfolio titles sent back zeroed) */
};

struct charges_check {
	enum bank_arithmetic arithmetic;
	/* paid - (face - discount - rebate + charges); 0 unless INCONSISTENT */
	int64_t arithmetic_gap_cents;
	/* When INCONSISTENT, a known way of folding that would make it add up
	 * ("IOF is included in the amount paid", ...), else NULL. Static text. */
	const char *fold;
	/* The comparison with concilia's figures, made only when the bank's
	 * arithmetic is consistent (a breakdown that does not add up says
	 * nothing about the charges). */
	bool compared;
	bool differs;                  /* BANK_CHARGES_DIFFER */
	int64_t bank_charges_cents;    /* juros + multa (+ encargos) as reported */
	int64_t our_charges_cents;     /* fine + interest */
	int64_t bank_deductions_cents; /* desconto + abatimento as reported */
	int64_t our_deductions_cents;  /* discount + rebate */
	/* One English sentence with both figures, e.g. "bank charged R$ 12,30
	 * of interest and fine, concilia computes R$ 12,00 (fine R$ 10,00 + 2
	 * days of interest R$ 2,00)". Always set. */
	char detail[400];
};

/* The bank's arithmetic alone (no receivable needed): fills arithmetic,
 * arithmetic_gap_cents, fold, the bank_* figures and detail; compared and
 * differs stay false. */
void charges_check_arithmetic(const struct bank_event *ev, struct charges_check *out);

/* The arithmetic, then the comparison with exp (expected_on for the
 * receivable on the payment date). Charges and deductions that differ by
 * at most tolerance_cents agree (0 reports every centavo; some banks
 * truncate where concilia rounds half-up); a face value other than the
 * receivable's always differs, except a zero one (not reported). */
void charges_check(const struct bank_event *ev, const struct expected_amount *exp, int64_t tolerance_cents,
                   struct charges_check *out);

#endif
