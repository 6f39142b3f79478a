/* The bank's charges of a liquidation against its own arithmetic and
 * against concilia's expected amount (see charges_check.h). */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/text.h"
#include "reconcile/charges_check.h"

/* Appends to a fixed buffer, never past its end. */
struct text {
	char *buf;
	size_t cap, len;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	if (t->len >= t->cap)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = (size_t)n >= t->cap - t->len ? t->cap - 1 : t->len + (size_t)n;
}

static const char *brl(int64_t cents, char *buf, size_t n)
{
	money_format_brl(cents, buf, n);
	return buf;
}

/* Ways banks fold a field into the amount paid that are not the FEBRABAN
 * equation. None occurs in the interop returns once the layout says how
 * `paid` is written (paid-amount net-of-tariff for Itaú CNAB 400); they are
 * named so that a new bank's file says at once what it does. */
static const char *find_fold(const struct bank_event *ev, int64_t sum)
{
	int64_t paid = ev->paid_cents;

	if (ev->tariff_cents && paid + ev->tariff_cents == sum)
		return "the amount paid is net of the tariff (the layout should say paid-amount "
		       "net-of-tariff)";
	if (ev->iof_cents && sum + ev->iof_cents == paid)
		return "IOF is included in the amount paid";
	if (ev->other_credits_cents && sum + ev->other_credits_cents == paid)
		return "outros créditos are included in the amount paid";
	if (ev->other_expenses_cents && sum - ev->other_expenses_cents == paid)
		return "outras despesas are taken from the amount paid";
	if (ev->discount_cents && ev->rebate_cents && sum + ev->rebate_cents == paid)
		return "the rebate is already inside the discount";
	return NULL;
}

/* Plain text and amounts appended without printf: the agreeing sentence
 * is written for nearly every payment of a run. */
static void put_str(struct text *t, const char *s)
{
	t->len = text_append(t->buf, t->cap, t->len, s);
}

static void put_brl(struct text *t, int64_t cents)
{
	char a[40];
	put_str(t, brl(cents, a, sizeof a));
}

/* The figures of the bank's arithmetic, without the sentence. */
static void arithmetic(const struct bank_event *ev, struct charges_check *out)
{
	memset(out, 0, sizeof *out);
	out->bank_charges_cents = ev->charges_cents;
	out->bank_deductions_cents = ev->discount_cents + ev->rebate_cents;
	if (ev->face_cents == 0 || ev->paid_cents == 0) {
		out->arithmetic = BANK_ARITHMETIC_UNCHECKED;
		return;
	}
	/* Every field is at most 15 digits (10^13 reais): no overflow. */
	int64_t sum = ev->face_cents - ev->discount_cents - ev->rebate_cents + ev->charges_cents;
	if (sum == ev->paid_cents) {
		out->arithmetic = BANK_ARITHMETIC_CONSISTENT;
		return;
	}
	out->arithmetic = BANK_ARITHMETIC_INCONSISTENT;
	out->arithmetic_gap_cents = ev->paid_cents - sum;
	out->fold = find_fold(ev, sum);
}

/* The sentence of arithmetic()'s result. */
static void describe_arithmetic(const struct bank_event *ev, struct charges_check *out)
{
	struct text t = {out->detail, sizeof out->detail, 0};
	char a[40], b[40], c[40], d[40], e[40], f[40];

	out->detail[0] = '\0';
	switch (out->arithmetic) {
	case BANK_ARITHMETIC_UNCHECKED:
		put(&t, "bank reports %s, so its figures cannot be checked",
		    ev->face_cents == 0 ? "no face value" : "nothing paid");
		return;
	case BANK_ARITHMETIC_CONSISTENT:
		put(&t,
		    "bank's figures add up: face %s - discount %s - rebate %s + interest and fine %s = paid "
		    "%s",
		    brl(ev->face_cents, a, sizeof a), brl(ev->discount_cents, b, sizeof b),
		    brl(ev->rebate_cents, c, sizeof c), brl(ev->charges_cents, d, sizeof d),
		    brl(ev->paid_cents, e, sizeof e));
		return;
	case BANK_ARITHMETIC_INCONSISTENT:
		break;
	}
	int64_t sum = ev->paid_cents - out->arithmetic_gap_cents;
	put(&t,
	    "bank's figures do not add up: face %s - discount %s - rebate %s + interest and fine %s = %s, "
	    "but paid %s",
	    brl(ev->face_cents, a, sizeof a), brl(ev->discount_cents, b, sizeof b),
	    brl(ev->rebate_cents, c, sizeof c), brl(ev->charges_cents, d, sizeof d), brl(sum, e, sizeof e),
	    brl(ev->paid_cents, f, sizeof f));
	if (out->fold)
		put(&t, " (%s)", out->fold);
}

void charges_check_arithmetic(const struct bank_event *ev, struct charges_check *out)
{
	arithmetic(ev, out);
	describe_arithmetic(ev, out);
}

static int64_t distance(int64_t x, int64_t y)
{
	return x > y ? x - y : y - x;
}

/* "(fine R$ 10,00 + 2 days of interest R$ 2,00)" */
static void our_charges(struct text *t, const struct expected_amount *exp)
{
	char a[40], b[40];

	if (exp->fine_cents == 0 && exp->interest_cents == 0) {
		if (exp->days_late)
			put(t, " (no fine or interest in the terms for %d day%s late)", exp->days_late,
			    exp->days_late == 1 ? "" : "s");
		else
			put(t, " (paid on time)");
		return;
	}
	put(t, " (");
	if (exp->fine_cents)
		put(t, "fine %s%s", brl(exp->fine_cents, a, sizeof a), exp->interest_cents ? " + " : "");
	if (exp->interest_cents)
		put(t, "%d day%s of interest %s", exp->interest_days, exp->interest_days == 1 ? "" : "s",
		    brl(exp->interest_cents, b, sizeof b));
	put(t, ")");
}

/* "(rebate R$ 5,00 + discount R$ 10,00 until 2026-11-05)" */
static void our_deductions(struct text *t, const struct expected_amount *exp)
{
	char a[40], b[40], day[16];

	if (exp->rebate_cents == 0 && exp->discount_cents == 0) {
		put(t, " (no discount or rebate on the payment date)");
		return;
	}
	put(t, " (");
	if (exp->rebate_cents)
		put(t, "rebate %s%s", brl(exp->rebate_cents, a, sizeof a), exp->discount_cents ? " + " : "");
	if (exp->discount_cents) {
		date_format_iso(exp->effective_discount_until, day, sizeof day);
		put(t, "discount %s until %s", brl(exp->discount_cents, b, sizeof b), day);
	}
	put(t, ")");
}

void charges_check(const struct bank_event *ev, const struct expected_amount *exp, int64_t tolerance_cents,
                   struct charges_check *out)
{
	char a[40], b[40];

	/* A consistent breakdown's own sentence would be replaced below. */
	arithmetic(ev, out);
	if (out->arithmetic != BANK_ARITHMETIC_CONSISTENT) {
		describe_arithmetic(ev, out);
		return;
	}
	out->compared = true;
	out->our_charges_cents = exp->fine_cents + exp->interest_cents;
	out->our_deductions_cents = exp->discount_cents + exp->rebate_cents;
	bool face = ev->face_cents != exp->face_cents;
	bool charges = distance(out->bank_charges_cents, out->our_charges_cents) > tolerance_cents;
	bool deductions = distance(out->bank_deductions_cents, out->our_deductions_cents) > tolerance_cents;
	out->differs = face || charges || deductions;

	struct text t = {out->detail, sizeof out->detail, 0};
	out->detail[0] = '\0';
	if (!out->differs) {
		put_str(&t, "bank's charges agree with concilia: interest and fine ");
		put_brl(&t, out->bank_charges_cents);
		put_str(&t, ", discount and rebate ");
		put_brl(&t, out->bank_deductions_cents);
		return;
	}
	/* "bank charged R$ 12,30 of interest and fine, concilia computes
	 * R$ 12,00 (fine R$ 10,00 + 2 days of interest R$ 2,00)" */
	if (face)
		put(&t, "bank has a face value of %s, concilia %s", brl(ev->face_cents, a, sizeof a),
		    brl(exp->face_cents, b, sizeof b));
	if (charges) {
		put(&t, "%sbank charged %s of interest and fine, concilia computes %s", face ? "; " : "",
		    brl(out->bank_charges_cents, a, sizeof a), brl(out->our_charges_cents, b, sizeof b));
		our_charges(&t, exp);
	}
	if (deductions) {
		put(&t, "%sbank deducted %s of discount and rebate, concilia computes %s",
		    face || charges ? "; " : "", brl(out->bank_deductions_cents, a, sizeof a),
		    brl(out->our_deductions_cents, b, sizeof b));
		our_deductions(&t, exp);
	}
}
