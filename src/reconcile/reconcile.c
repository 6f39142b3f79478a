/* Drives one reconciliation run over the ledger's pending payments. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "reconcile/reconcile.h"

struct run_ctx {
	struct ledger *lg;
	const struct reconcile_options *opt;
	struct reconcile_summary *sum;
	int64_t run_id;
	struct diag *d;
};

/* The date the payer paid: the occurrence date, else the credit date, else
 * the file's generation date (Sicoob leaves dates blank in some returns). */
static cdate payment_date(const struct ledger_event *e)
{
	if (e->ev.occurrence_date != CDATE_NONE)
		return e->ev.occurrence_date;
	if (e->ev.credit_date != CDATE_NONE)
		return e->ev.credit_date;
	return e->generated;
}

static int reconcile_one(void *ctx, const struct ledger_event *e)
{
	struct run_ctx *rc = ctx;
	struct ledger_receivable r;
	struct outcome_input in = {.paid_cents = e->ev.paid_cents};
	struct outcome_decision dec;
	char note[160] = "";

	int found = ledger_receivable_by_ref(rc->lg, e->ev.bank, e->ev.nosso_numero, &r, rc->d);
	if (found < 0)
		return -1;
	in.receivable_found = found == 1;
	if (found) {
		in.receivable_cancelled = r.row.status == RECEIVABLE_CANCELLED;
		if (ledger_receivable_allocated(rc->lg, r.rowid, &in.already_allocated, &in.receivable_settled,
						rc->d))
			return -1;
		struct charge_terms terms = {
			.face_cents = r.row.amount_cents,
			.due_date = r.row.due_date,
			.fine_e4 = r.row.fine_e4,
			.interest_month_e4 = r.row.interest_month_e4,
			.discount_cents = r.row.discount_cents,
			.discount_until = r.row.discount_until,
			.interest_start = rc->opt->interest_start,
		};
		cdate paid_on = payment_date(e);
		if (paid_on == CDATE_NONE || expected_on(&terms, paid_on, rc->opt->calendar, &in.expected) != 0)
			return diag_set(rc->d, DIAG_ERROR, e->filename, e->ev.line, 0, NULL,
					"cannot compute the amount due of receivable '%s' on the payment date",
					r.row.id);
		if (paid_on != e->ev.occurrence_date)
			snprintf(note, sizeof note, "; no payment date in the file, used %s",
				 paid_on == e->ev.credit_date ? "the credit date" : "the file date");
	}
	outcome_decide(&in, &dec);

	char detail[sizeof dec.detail + sizeof note];
	snprintf(detail, sizeof detail, "%s%s", dec.detail, note);
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = found ? r.rowid : 0,
		.category = outcome_name(dec.category),
		.rule = found ? "R1 nosso_numero" : NULL,
		.paid_cents = e->ev.paid_cents,
		.expected_cents = dec.expected_cents,
		.allocated_cents = dec.allocated_cents,
		.excess_cents = dec.excess_cents,
		.settles = dec.settles,
		.detail = detail,
		.run_id = rc->run_id,
	};
	if (ledger_outcome_add(rc->lg, &o, rc->d))
		return -1;
	rc->sum->events++;
	rc->sum->count[dec.category]++;
	rc->sum->cents[dec.category] += e->ev.paid_cents;
	if (outcome_needs_human(dec.category))
		rc->sum->needs_human++;
	return 0;
}

int reconcile_run(struct ledger *lg, const struct reconcile_options *opt, struct reconcile_summary *sum,
		  struct diag *d)
{
	struct run_ctx rc = {.lg = lg, .opt = opt, .sum = sum, .d = d};
	memset(sum, 0, sizeof *sum);
	if (ledger_begin(lg, d))
		return -1;
	if (ledger_run_start(lg, &rc.run_id, d) || ledger_pending_payments(lg, reconcile_one, &rc, d) ||
	    ledger_run_finish(lg, rc.run_id, sum->events, d) || ledger_commit(lg, d)) {
		ledger_rollback(lg);
		memset(sum, 0, sizeof *sum);
		return -1;
	}
	return 0;
}
