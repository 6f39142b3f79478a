/* The gate's decision. Checks run in a fixed order and all of them run:
 * staff see every reason at once rather than fixing one to meet the
 * next. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "gate/gate.h"

const char *gate_reason_name(enum gate_reason r)
{
	static const char *const names[GATE_REASON_COUNT] = {
	    [GATE_SETTLED] = "SETTLED",
	    [GATE_CANCELLED] = "CANCELLED",
	    [GATE_RENEGOTIATED] = "RENEGOTIATED",
	    [GATE_DISPUTED] = "DISPUTED",
	    [GATE_BANK_CLOSED] = "BANK_CLOSED",
	    [GATE_PAYMENT_PENDING] = "PAYMENT_PENDING",
	    [GATE_OPEN_EXCEPTION] = "OPEN_EXCEPTION",
	    [GATE_HELD_IMPORT] = "HELD_IMPORT",
	    [GATE_STALE_IMPORT] = "STALE_IMPORT",
	};
	return (unsigned)r < GATE_REASON_COUNT ? names[r] : "UNKNOWN";
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
refuse(struct gate_decision *out, enum gate_reason r, const char *fmt, ...)
{
	struct gate_refusal *x = &out->refusals[out->nrefusals++];
	va_list ap;
	x->reason = r;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof x->message, fmt, ap);
	va_end(ap);
}

/* Same length, and every visible character equal ('*' hides one). */
static bool masked_match(const char *pattern, const char *doc)
{
	size_t n = strlen(pattern);
	if (n == 0 || n != strlen(doc))
		return false;
	for (size_t i = 0; i < n; i++)
		if (pattern[i] != '*' && pattern[i] != doc[i])
			return false;
	return true;
}

static bool anonymous(const char *category)
{
	return strcmp(category, "UNIDENTIFIED_CREDIT") == 0 || strcmp(category, "UNKNOWN_REFERENCE") == 0;
}

/* Why c may be this payment, in words, or NULL. */
static const char *candidate_link(const struct gate_facts *f, const struct gate_candidate *c)
{
	const char *doc = f->debtor_document ? f->debtor_document : "";
	if (doc[0] && c->receivable_debtor[0] && strcmp(c->receivable_debtor, doc) == 0)
		return "on a receivable of the same debtor";
	if (doc[0] && c->payer_document[0]) {
		if (!c->payer_document_partial && strcmp(c->payer_document, doc) == 0)
			return "paid by the debtor's document";
		if (c->payer_document_partial && masked_match(c->payer_document, doc))
			return "paid by a masked document that fits the debtor's";
	}
	if (anonymous(c->category) && c->paid_cents > 0 &&
	    ((c->due_then_cents >= 0 && c->paid_cents == c->due_then_cents) ||
	     c->paid_cents == f->amount_due_cents))
		return "of exactly the amount this receivable is due";
	return NULL;
}

bool gate_candidate_applies(const struct gate_facts *f, const struct gate_candidate *c)
{
	return candidate_link(f, c) != NULL;
}

static void fmt_date(cdate d, char *buf, size_t n)
{
	if (d == CDATE_NONE)
		snprintf(buf, n, "?");
	else
		date_format_br(d, buf, n);
}

void gate_decide(const struct gate_facts *f, const struct gate_options *o, struct gate_decision *out)
{
	const char *id = f->receivable_id ? f->receivable_id : "?";
	const char *label = f->account_label ? f->account_label : "?";
	char money[32], d1[16], d2[16];

	memset(out, 0, sizeof *out);

	/* 1. the receivable itself */
	if (f->settled || (f->allocated_cents > 0 && f->amount_due_cents <= 0)) {
		money_format_brl(f->allocated_cents, money, sizeof money);
		refuse(out, GATE_SETTLED, "receivable %s is settled (%s received): nothing to charge", id,
		       money);
	}
	switch (f->erp_status) {
	case RECEIVABLE_CANCELLED:
		refuse(out, GATE_CANCELLED, "receivable %s is cancelled in the ERP", id);
		break;
	case RECEIVABLE_RENEGOTIATED:
		refuse(out, GATE_RENEGOTIATED,
		       "receivable %s was renegotiated: charge the agreement's instalments instead", id);
		break;
	case RECEIVABLE_DISPUTED:
		refuse(out, GATE_DISPUTED,
		       "receivable %s is disputed by the debtor: no charge until the dispute is closed", id);
		break;
	case RECEIVABLE_OPEN:
		break;
	}
	if (f->bank_state && f->bank_state[0]) {
		const char *what = strcmp(f->bank_state, "written_off") == 0 ? "wrote the boleto off (baixa)"
		                   : strcmp(f->bank_state, "protested") == 0 ? "sent the boleto to protest"
		                   : strcmp(f->bank_state, "registration_rejected") == 0
		                       ? "refused to register the boleto"
		                       : f->bank_state;
		refuse(out, GATE_BANK_CLOSED, "the bank %s: that slip cannot be paid; negotiate instead",
		       what);
	}

	/* 2. money that may already be there */
	if (f->pending_payments > 0)
		refuse(out, GATE_PAYMENT_PENDING,
		       "%ld payment%s with its reference %s imported and not reconciled yet (%s): run "
		       "'concilia reconcile' first",
		       f->pending_payments, f->pending_payments == 1 ? "" : "s",
		       f->pending_payments == 1 ? "is" : "are", f->pending_source ? f->pending_source : "?");
	{
		int hits = 0;
		const struct gate_candidate *first = NULL;
		const char *why = NULL;
		for (int i = 0; i < f->ncandidates; i++) {
			const char *w = candidate_link(f, &f->candidates[i]);
			if (w && hits++ == 0) {
				first = &f->candidates[i];
				why = w;
			}
		}
		if (first) {
			money_format_brl(first->paid_cents, money, sizeof money);
			refuse(out, GATE_OPEN_EXCEPTION,
			       "the debtor has an open exception that could be this payment: %s of %s %s "
			       "(%s)%s%s",
			       first->category, money, why, first->source,
			       hits > 1 || f->candidates_truncated ? " and more" : "", ": resolve it first");
		} else if (f->candidates_truncated) {
			refuse(
			    out, GATE_OPEN_EXCEPTION,
			    "too many open exceptions near this debtor to rule them out: resolve them first");
		}
	}

	/* 3. is what we know about the account current? */
	if (f->held_imports > 0)
		refuse(out, GATE_HELD_IMPORT, "a return file of account %s is held for a human (%s: %s)",
		       label, f->held_file ? f->held_file : "?",
		       f->held_reason && f->held_reason[0] ? f->held_reason : "held");
	bool stale = !f->has_import || f->latest_import < f->previous_business_day;
	if (stale) {
		char msg[600];
		fmt_date(f->previous_business_day, d2, sizeof d2);
		if (!f->has_import) {
			snprintf(
			    msg, sizeof msg,
			    "no return file of account %s was ever imported: payments since the previous "
			    "business day (%s) are unknown",
			    label, d2);
		} else {
			fmt_date(f->latest_import, d1, sizeof d1);
			snprintf(msg, sizeof msg,
			         "the latest return file of account %s is of %s (%s), before the previous "
			         "business "
			         "day (%s): payments since then are unknown",
			         label, d1, f->latest_file ? f->latest_file : "?", d2);
		}
		if (out->nrefusals == 0 && o && o->accept_stale && o->accept_stale[0]) {
			out->stale_overridden = true;
			snprintf(out->stale_message, sizeof out->stale_message, "%s", msg);
		} else {
			/* the only check that may be overridden: say how when it is
			 * the only thing in the way */
			refuse(out, GATE_STALE_IMPORT, "%s%s", msg,
			       out->nrefusals == 0 ? " (--accept-stale REASON sends anyway)" : "");
		}
	}
	out->allowed = out->nrefusals == 0;
}
