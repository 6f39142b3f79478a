/* The expected-amount rule, in one place. */
#include "config.h"
#include <string.h>

#include "core/money.h"
#include "reconcile/expected.h"

int expected_on(const struct charge_terms *t, cdate pay_date, const struct calendar *cal,
		struct expected_amount *out)
{
	memset(out, 0, sizeof *out);
	if (t->due_date == CDATE_NONE || pay_date == CDATE_NONE || t->face_cents <= 0 ||
	    t->face_cents > MONEY_MAX_CENTS || t->discount_cents < 0 || t->discount_cents > t->face_cents)
		return -1;
	out->face_cents = t->face_cents;
	out->effective_due = calendar_next_business_day(cal, t->due_date);
	out->effective_discount_until = t->discount_until == CDATE_NONE
						? CDATE_NONE
						: calendar_next_business_day(cal, t->discount_until);

	if (t->discount_cents > 0 && out->effective_discount_until != CDATE_NONE &&
	    pay_date <= out->effective_discount_until)
		out->discount_cents = t->discount_cents;

	if (pay_date > out->effective_due) {
		cdate from = t->interest_start == INTEREST_FROM_EFFECTIVE_DUE ? out->effective_due : t->due_date;
		out->days_late = (int)(pay_date - from);
		/* 2% = 20000 e4: fine = face * e4 / 1 000 000. */
		out->fine_cents = money_muldiv_round(t->face_cents, t->fine_e4, 1000000);
		/* Monthly rate over 30 days, rounded to centavos per day first: the
		 * figure printed on the boleto ("mora diária de R$ x") is what
		 * the bank charges per day. */
		out->interest_per_day_cents = money_muldiv_round(t->face_cents, t->interest_month_e4, 30000000);
		out->interest_cents = out->interest_per_day_cents * out->days_late;
	}
	out->total_cents = out->face_cents - out->discount_cents + out->fine_cents + out->interest_cents;
	return 0;
}
