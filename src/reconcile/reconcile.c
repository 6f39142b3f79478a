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

/* Records the outcome of one event and counts it in the run's summary. */
static int record_outcome(struct run_ctx *rc, const struct ledger_outcome *o, enum outcome_category cat,
			  int64_t cents)
{
	if (ledger_outcome_add(rc->lg, o, rc->d))
		return -1;
	rc->sum->events++;
	rc->sum->count[cat]++;
	rc->sum->cents[cat] += cents;
	if (outcome_needs_human(cat))
		rc->sum->needs_human++;
	return 0;
}

/* Events that are not payments: what they say about the receivable is
 * recorded (its bank-side state), and the event gets its own outcome. */
static int reconcile_other(struct run_ctx *rc, const struct ledger_event *e)
{
	struct ledger_receivable r;
	enum outcome_category cat;
	const char *state = NULL;
	char detail[256];
	int64_t amount = 0;
	int found = ledger_receivable_by_ref(rc->lg, e->ev.bank, e->ev.nosso_numero, &r, rc->d);
	if (found < 0)
		return -1;
	switch (e->ev.kind) {
	case EVENT_ENTRY_REJECTED: {
		/* Reason codes come in pairs of characters: "0809" -> "08 09". */
		char reasons[20] = "";
		size_t k = 0;
		for (size_t i = 0; e->ev.reasons[i] && k + 3 < sizeof reasons; i++) {
			if (i && i % 2 == 0)
				reasons[k++] = ' ';
			reasons[k++] = e->ev.reasons[i];
		}
		reasons[k] = '\0';
		cat = OUTCOME_REGISTRATION_REJECTED;
		state = "registration_rejected";
		snprintf(detail, sizeof detail, "bank refused to register the boleto (code %s%s%s)",
			 e->ev.occurrence, reasons[0] ? ", reasons " : "", reasons);
		break;
	}
	case EVENT_WRITEOFF:
		cat = OUTCOME_BANK_WRITEOFF;
		state = "written_off";
		snprintf(detail, sizeof detail, "%s (code %s): the boleto left collection, no money",
			 e->ev.occurrence_text[0] ? e->ev.occurrence_text : "write-off", e->ev.occurrence);
		break;
	case EVENT_PROTEST:
		cat = OUTCOME_BANK_PROTEST;
		state = "protested";
		snprintf(detail, sizeof detail, "%s (code %s)",
			 e->ev.occurrence_text[0] ? e->ev.occurrence_text : "protest", e->ev.occurrence);
		break;
	case EVENT_TARIFF:
		cat = OUTCOME_FEE_ONLY;
		amount = e->ev.tariff_cents;
		snprintf(detail, sizeof detail, "bank fee, booked as an expense (code %s)", e->ev.occurrence);
		break;
	default:
		cat = OUTCOME_UNKNOWN_OCCURRENCE;
		snprintf(detail, sizeof detail,
			 "occurrence code %s is not in the occurrence table for bank %03d: ask the bank what it "
			 "means",
			 e->ev.occurrence, e->ev.bank);
		break;
	}
	if (!found && cat != OUTCOME_FEE_ONLY && cat != OUTCOME_UNKNOWN_OCCURRENCE) {
		size_t used = strlen(detail);
		snprintf(detail + used, sizeof detail - used, "; no receivable has this nosso número");
	}
	if (found && state && ledger_receivable_state_add(rc->lg, r.rowid, state, e->rowid, rc->d))
		return -1;
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = found ? r.rowid : 0,
		.category = outcome_name(cat),
		.rule = found ? "R1 nosso_numero" : NULL,
		.paid_cents = amount,
		.detail = detail,
		.run_id = rc->run_id,
	};
	return record_outcome(rc, &o, cat, amount);
}

static int reconcile_one(void *ctx, const struct ledger_event *e)
{
	struct run_ctx *rc = ctx;
	if (!event_kind_is_payment(e->ev.kind))
		return reconcile_other(rc, e);
	struct ledger_receivable r;
	struct outcome_input in = {.paid_cents = e->ev.paid_cents};
	char bank_state[32] = "";
	struct outcome_decision dec;
	char note[160] = "";

	int found = ledger_receivable_by_ref(rc->lg, e->ev.bank, e->ev.nosso_numero, &r, rc->d);
	if (found < 0)
		return -1;
	in.receivable_found = found == 1;
	if (found) {
		in.receivable_cancelled = r.row.status == RECEIVABLE_CANCELLED;
		if (ledger_receivable_bank_state(rc->lg, r.rowid, bank_state, sizeof bank_state, rc->d))
			return -1;
		/* Written off or protested at the bank: money arriving now needs a
		 * person (reference: PAID_CLOSED_RECEIVABLE). */
		if (!in.receivable_cancelled && (strcmp(bank_state, "written_off") == 0 ||
						 strcmp(bank_state, "protested") == 0)) {
			in.receivable_cancelled = true;
			in.closed_state = bank_state[0] == 'w' ? "written off at the bank" : "protested";
		}
		if (ledger_receivable_allocated(rc->lg, r.rowid, &in.already_allocated, &in.receivable_settled,
						rc->d))
			return -1;
		struct charge_terms terms;
		charge_terms_from_receivable(&r.row, rc->opt->interest_start, &terms);
		cdate paid_on = payment_date(e);
		/* The payer's state holidays move its dates too. */
		const struct calendar *cal = calendar_for_state(rc->opt->calendar, r.row.state);
		if (paid_on == CDATE_NONE || expected_on(&terms, paid_on, cal, &in.expected) != 0)
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
	return record_outcome(rc, &o, dec.category, e->ev.paid_cents);
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
