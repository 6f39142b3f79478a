/* The expected-amount rule, in one place.
 *
 * Rounding: each component (discount, fine, daily interest) is rounded
 * half-up to the centavo on its own, the way the slip and the bank's return
 * show it, and the total is their exact sum. Percentages apply to the face
 * value less the rebate: an abatimento lowers the título's value itself
 * (CNAB movement 04; reference/boleto.md §5). */
#include "config.h"
#include <string.h>

#include "core/money.h"
#include "reconcile/expected.h"

#define E4_PER_UNIT 1000000 /* 100% = 1 000 000 e4 */

static bool amount_ok(int64_t c)
{
	return c >= 0 && c <= MONEY_MAX_CENTS;
}

static bool rate_ok(int64_t e4)
{
	return e4 >= 0 && e4 <= E4_PER_UNIT;
}

/* A start date N days after the due date, or CDATE_NONE when out of range. */
static cdate after_days(cdate due, int days)
{
	if (days < 0 || days > RECEIVABLE_MAX_GRACE_DAYS)
		return CDATE_NONE;
	return due + days;
}

/* Days from the due date to a start date; 0 when there is none (or it is
 * not after the due date), past the limit when too far (refused later). */
static int grace_days(cdate due, cdate after)
{
	if (due == CDATE_NONE || after == CDATE_NONE || after <= due)
		return 0;
	return after - due > RECEIVABLE_MAX_GRACE_DAYS ? RECEIVABLE_MAX_GRACE_DAYS + 1 : (int)(after - due);
}

/* The discount of the first tier still open on pay_date; -1 when the tiers
 * are unusable. */
static int discount_on(const struct charge_terms *t, int64_t base, cdate pay_date, const struct calendar *cal,
                       struct expected_amount *out)
{
	cdate prev = CDATE_NONE;
	bool ended = false;

	for (int i = 0; i < CHARGE_DISCOUNT_TIERS; i++) {
		const struct discount_tier *d = &t->discounts[i];
		if (d->cents == 0 && d->e4 == 0) {
			ended = true;
			continue;
		}
		/* A fixed discount must leave something to pay; a percentage
		 * below 100% may round up to all of a tiny face value. */
		if (ended || !amount_ok(d->cents) || d->cents >= base || !rate_ok(d->e4) ||
		    d->e4 == E4_PER_UNIT || (d->cents && d->e4) || d->until == CDATE_NONE ||
		    (prev != CDATE_NONE && d->until <= prev))
			return -1;
		prev = d->until;
		int64_t cents = d->cents ? d->cents : money_muldiv_round(base, d->e4, E4_PER_UNIT);
		/* The limit moves to a business day like the due date does. */
		cdate limit = calendar_next_business_day(cal, d->until);
		if (limit == CDATE_NONE)
			return -1;
		if (out->discount_tier == 0 && pay_date <= limit) {
			out->discount_tier = i + 1;
			out->discount_cents = cents;
			out->effective_discount_until = limit;
		}
	}
	return 0;
}

int expected_on(const struct charge_terms *t, cdate pay_date, const struct calendar *cal,
                struct expected_amount *out)
{
	memset(out, 0, sizeof *out);
	out->effective_due = CDATE_NONE;
	out->effective_discount_until = CDATE_NONE;
	if (t->due_date == CDATE_NONE || pay_date == CDATE_NONE || t->face_cents <= 0 ||
	    t->face_cents > MONEY_MAX_CENTS || !amount_ok(t->rebate_cents) ||
	    t->rebate_cents >= t->face_cents || !amount_ok(t->fine_cents) || !rate_ok(t->fine_e4) ||
	    (t->fine_cents && t->fine_e4) || !amount_ok(t->interest_day_cents) ||
	    !rate_ok(t->interest_month_e4) || (t->interest_day_cents && t->interest_month_e4))
		return -1;
	int64_t base = t->face_cents - t->rebate_cents;
	out->face_cents = t->face_cents;
	out->rebate_cents = t->rebate_cents;
	out->effective_due = calendar_next_business_day(cal, t->due_date);
	if (out->effective_due == CDATE_NONE || discount_on(t, base, pay_date, cal, out) != 0)
		return -1;

	cdate fine_from = after_days(t->due_date, t->fine_grace_days);
	cdate interest_from = after_days(t->due_date, t->interest_grace_days);
	cdate fine_limit = calendar_next_business_day(cal, fine_from);
	cdate interest_limit = calendar_next_business_day(cal, interest_from);
	if (fine_limit == CDATE_NONE || interest_limit == CDATE_NONE)
		return -1;
	bool moved = t->interest_start == INTEREST_FROM_EFFECTIVE_DUE;

	if (pay_date > out->effective_due)
		out->days_late = (int)(pay_date - (moved ? out->effective_due : t->due_date));
	if (pay_date > fine_limit)
		out->fine_cents =
		    t->fine_cents ? t->fine_cents : money_muldiv_round(base, t->fine_e4, E4_PER_UNIT);
	if (pay_date > interest_limit && (t->interest_day_cents || t->interest_month_e4)) {
		out->interest_days = (int)(pay_date - (moved ? interest_limit : interest_from));
		/* A monthly rate becomes a daily amount rounded to the centavo
		 * before it is multiplied by the days: that daily figure is what
		 * the slip prints ("mora diária de R$ x") and what CNAB 400
		 * remittances register (Bradesco and Itaú 161-173, "valor a ser
		 * cobrado por dia de atraso", in R$), so it is what the bank
		 * charges; the returns in ../shared/interop agree (Pine: 5% a
		 * month over R$ 39.114,90 for 11 days is 11 x R$ 65,19). */
		out->interest_per_day_cents =
		    t->interest_day_cents ? t->interest_day_cents
		                          : money_muldiv_round(base, t->interest_month_e4, 30 * E4_PER_UNIT);
		if (__builtin_mul_overflow(out->interest_per_day_cents, (int64_t)out->interest_days,
		                           &out->interest_cents) ||
		    out->interest_cents > MONEY_MAX_CENTS)
			return -1;
	}
	/* Each term is at most MONEY_MAX_CENTS (10^17), so the sum fits. */
	out->total_cents = base - out->discount_cents + out->fine_cents + out->interest_cents;
	if (out->total_cents > MONEY_MAX_CENTS)
		return -1;
	return 0;
}

void charge_terms_from_receivable(const struct receivable_row *r, enum interest_start start,
                                  struct charge_terms *out)
{
	memset(out, 0, sizeof *out);
	out->face_cents = r->amount_cents;
	out->due_date = r->due_date;
	out->rebate_cents = r->rebate_cents;
	out->discounts[0] = (struct discount_tier){r->discount_cents, r->discount_e4, r->discount_until};
	out->discounts[1] = (struct discount_tier){r->discount2_cents, r->discount2_e4, r->discount2_until};
	out->discounts[2] = (struct discount_tier){r->discount3_cents, r->discount3_e4, r->discount3_until};
	out->fine_e4 = r->fine_e4;
	out->fine_cents = r->fine_cents;
	out->interest_month_e4 = r->interest_month_e4;
	out->interest_day_cents = r->interest_day_cents;
	out->interest_start = start;
	out->fine_grace_days = grace_days(r->due_date, r->fine_after);
	out->interest_grace_days = grace_days(r->due_date, r->interest_after);
}
