/* What a receivable is worth on a given payment date: face value, minus a
 * discount paid in time, plus the fine (multa, once) and daily interest
 * (juros de mora) when paid late. All integer centavos. */
#ifndef CONCILIA_EXPECTED_H
#define CONCILIA_EXPECTED_H

#include <stdint.h>
#include "core/calendar.h"
#include "core/date.h"

/* When a due date falls on a weekend or bank holiday, payment on the next
 * business day carries no charge (Lei 7.089/1983 practice). If the payer
 * misses that grace too, interest runs from: */
enum interest_start {
	INTEREST_FROM_DUE_DATE = 0,   /* the original due date (default: how banks compute it) */
	INTEREST_FROM_EFFECTIVE_DUE,  /* the moved (business-day) due date */
};

struct charge_terms {
	int64_t face_cents;
	cdate due_date;
	int64_t fine_e4;            /* percent x 10000 of face, charged once when late */
	int64_t interest_month_e4;  /* percent x 10000 per month, simple, monthly/30 per day */
	int64_t discount_cents;     /* granted when paid on or before discount_until */
	cdate discount_until;       /* CDATE_NONE = no discount */
	enum interest_start interest_start;
};

struct expected_amount {
	int64_t total_cents;
	int64_t face_cents;
	int64_t discount_cents;
	int64_t fine_cents;
	int64_t interest_cents;
	int64_t interest_per_day_cents; /* rounded to centavos per day, as banks print it */
	int days_late;                  /* calendar days charged interest, 0 when on time */
	cdate effective_due;            /* due date moved to a business day */
	cdate effective_discount_until; /* discount limit moved the same way */
};

/* Fills out for a payment on pay_date. Returns 0, or -1 when the terms are
 * unusable (no due date, no face value) or the result would overflow. */
int expected_on(const struct charge_terms *t, cdate pay_date, const struct calendar *cal,
		struct expected_amount *out);

#endif
