/* What a receivable is worth on a given payment date: face value, minus the
 * rebate (abatimento) and a discount paid in time, plus the fine (multa,
 * once) and daily interest (juros de mora) when paid late. All integer
 * centavos; rates are percent x 10000 ("e4": 2% = 20000). The charge codes
 * are those of CNAB 240 segments P and R (reference/boleto.md §5). */
#ifndef CONCILIA_EXPECTED_H
#define CONCILIA_EXPECTED_H

#include <stdbool.h>
#include <stdint.h>
#include "codec/receivables_csv.h"
#include "core/calendar.h"
#include "core/date.h"

/* When a due date falls on a weekend or bank holiday, payment on the next
 * business day carries no charge (Lei 7.089/1983 practice). If the payer
 * misses that grace too, interest runs from: */
enum interest_start {
	INTEREST_FROM_DUE_DATE = 0,  /* the original due date (STJ 2022; CNAB "data de
	                              * juros" defaults to the due date) */
	INTEREST_FROM_EFFECTIVE_DUE, /* the moved (business-day) due date (Pix cobv rule;
	                              * never charges more than the other) */
};

/* One discount tier (CNAB desconto 1, 2, 3): a fixed amount (código 1) or a
 * percentage (código 2) of the face value less the rebate, for payments on
 * or before `until`. A tier with both zero does not exist. */
struct discount_tier {
	int64_t cents; /* fixed amount ... */
	int64_t e4;    /* ... or percent x 10000; never both */
	cdate until;   /* required when the tier exists (0 is 1970-01-01, not CDATE_NONE) */
};

#define CHARGE_DISCOUNT_TIERS 3

/* Zero-initialized terms mean "no rebate, no discount, no fine, interest
 * exempt, no grace": designated initializers need only what is set. */
struct charge_terms {
	int64_t face_cents;
	cdate due_date;
	int64_t rebate_cents; /* abatimento: lowers the face value whatever the date */
	/* In increasing date order, unused tiers last. The first tier whose
	 * limit (moved to a business day) is not past applies. */
	struct discount_tier discounts[CHARGE_DISCOUNT_TIERS];
	int64_t fine_e4;            /* multa, percent of face less rebate (código 2) ... */
	int64_t fine_cents;         /* ... or a fixed amount (código 1); neither = no fine */
	int fine_grace_days;        /* charged only when paid after due date + N days */
	int64_t interest_month_e4;  /* juros, percent a month, simple: /30 per calendar day
	                             * (código 2) ... */
	int64_t interest_day_cents; /* ... or a fixed amount per calendar day (código 1);
	                             * neither = isento (código 3) */
	int interest_grace_days;    /* interest runs only after due date + N days */
	enum interest_start interest_start;
};

struct expected_amount {
	int64_t total_cents; /* face - rebate - discount + fine + interest */
	int64_t face_cents;
	int64_t rebate_cents;
	int64_t discount_cents;
	int discount_tier; /* 1..3: the tier that applied; 0 = none */
	int64_t fine_cents;
	int64_t interest_cents;
	int64_t interest_per_day_cents; /* rounded to centavos per day, as banks print it */
	int days_late;                  /* calendar days after the due date (original or
	                                 * moved, per interest_start); 0 when on time */
	int interest_days;              /* calendar days charged interest (days_late less
	                                 * the grace); 0 when on time or exempt */
	cdate effective_due;            /* due date moved to a business day */
	cdate effective_discount_until; /* the applied tier's limit, moved the same way;
	                                 * CDATE_NONE when no discount applied */
};

/* Fills out for a payment on pay_date. cal may be NULL (national holidays
 * only). Returns 0, or -1 when the terms are unusable (no due date, no face
 * value, a rebate or discount not below the face value, both kinds of fine
 * or of interest, discount tiers out of order or without a date) or the
 * result would overflow. */
int expected_on(const struct charge_terms *t, cdate pay_date, const struct calendar *cal,
                struct expected_amount *out);

/* The terms of a receivable as the ERP registered them (receivables CSV,
 * ledger): its start dates (fine_after, interest_after) become grace days.
 * Always succeeds; expected_on judges whether the result is usable. */
void charge_terms_from_receivable(const struct receivable_row *r, enum interest_start start,
                                  struct charge_terms *out);

#endif
