/* Drives one reconciliation run over the ledger's pending events. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/text.h"
#include "reconcile/charges_check.h"
#include "reconcile/match.h"
#include "reconcile/payer.h"
#include "reconcile/reconcile.h"
#include "reconcile/subset_sum.h"

/* An unidentified credit of this run with a payer: R6 looks for several of
 * them adding up to one receivable once every event has been seen. */
struct loose_credit {
	int64_t outcome_id;
	char payer[15];
	int64_t cents;
	cdate paid_on;
};

struct run_ctx {
	struct ledger *lg;
	struct recv_source src;
	struct match_result m; /* reused: large */
	const struct reconcile_options *opt;
	struct reconcile_summary *sum;
	int64_t run_id;
	cdate today;
	struct loose_credit *loose;
	size_t nloose, caploose;
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
static int record_outcome(struct run_ctx *rc, struct ledger_outcome *o, enum outcome_category cat, int64_t cents,
			  bool also_human, int64_t *outcome_id)
{
	o->run_id = rc->run_id;
	o->rule_set = RECONCILE_RULE_SET;
	o->category = outcome_name(cat);
	o->needs_human = outcome_needs_human(cat) || also_human;
	if (ledger_outcome_add(rc->lg, o, outcome_id, rc->d))
		return -1;
	if (o->receivable_id && (o->allocated_cents || o->settles))
		recv_applied(&rc->src, o->receivable_id, o->allocated_cents, o->settles);
	rc->sum->events++;
	rc->sum->count[cat]++;
	rc->sum->cents[cat] += cents;
	if (o->needs_human)
		rc->sum->needs_human++;
	return 0;
}

/* Events that are not payments: what they say about the receivable is
 * recorded (its bank-side state), and the event gets its own outcome. */
static int reconcile_other(struct run_ctx *rc, const struct ledger_event *e)
{
	struct recv_view r;
	enum outcome_category cat;
	const char *state = NULL;
	char detail[256];
	int64_t amount = 0;
	int found = e->ev.nosso_numero[0] ? recv_by_ref(&rc->src, e->ev.bank, e->ev.nosso_numero, &r, rc->d) : 0;
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
	if (found && state) {
		if (ledger_receivable_state_add(rc->lg, r.rowid, state, e->rowid, rc->d))
			return -1;
		recv_bank_state(&rc->src, r.rowid, state);
	}
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = found ? r.rowid : 0,
		.rule = found ? "R1 nosso_numero" : NULL,
		.paid_cents = amount,
		.detail = detail,
	};
	return record_outcome(rc, &o, cat, amount, false, NULL);
}

/* A devolução (or estorno) takes back money a credit brought: every
 * allocation that credit made is compensated, newest first, up to the
 * amount returned, so the receivable is open again by that much. */
static int reconcile_reversal(struct run_ctx *rc, const struct ledger_event *e)
{
	char detail[300], amount[32];
	int64_t credit = 0;
	int64_t left = e->ev.paid_cents, reopened = 0, receivable = 0;
	money_format(e->ev.paid_cents, amount, sizeof amount);
	int found = e->ev.end_to_end_id[0] ? ledger_credit_by_e2e(rc->lg, e->ev.end_to_end_id, &credit, rc->d) : 0;
	if (found < 0)
		return -1;
	if (!found) {
		snprintf(detail, sizeof detail,
			 "%s returned to the payer, but the credit %s is not in the ledger: import the statement "
			 "that has it",
			 amount, e->ev.end_to_end_id[0] ? e->ev.end_to_end_id : "(no endToEndId)");
	} else {
		struct ledger_allocation live[MATCH_MAX];
		int n = ledger_event_live_allocations(rc->lg, credit, live, MATCH_MAX, rc->d);
		if (n < 0)
			return -1;
		for (int i = 0; i < n && left > 0; i++) {
			int64_t take = live[i].remaining < left ? live[i].remaining : left;
			if (ledger_allocation_add(rc->lg, e->rowid, live[i].receivable_id, -take, "reversal", false,
						  live[i].id, "Pix devolução", rc->run_id, NULL, rc->d))
				return -1;
			recv_applied(&rc->src, live[i].receivable_id, -take, false);
			left -= take;
			reopened += take;
			if (!receivable)
				receivable = live[i].receivable_id;
		}
		char back[32];
		money_format(reopened, back, sizeof back);
		if (reopened)
			snprintf(detail, sizeof detail, "%s returned to the payer: %s of the receivable is open again%s",
				 amount, back, left ? "; the rest had not been applied" : "");
		else
			snprintf(detail, sizeof detail,
				 "%s returned to the payer; the credit had not been applied to any receivable", amount);
	}
	/* The compensating rows are written above; the outcome only tells. */
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = receivable, /* allocated 0: no second allocation row */
		.rule = found ? "reversal endToEndId" : NULL,
		.paid_cents = e->ev.paid_cents,
		.detail = detail,
	};
	return record_outcome(rc, &o, OUTCOME_REVERSAL, e->ev.paid_cents, false, NULL);
}

/* The payment has one receivable (R1, R2, R3 or a human's choice). */
static int settle_with(struct run_ctx *rc, const struct ledger_event *e, cdate paid_on,
		       const struct match_result *m)
{
	const struct match_candidate *c = &m->cand[0];
	const struct recv_view *r = &c->v;
	struct outcome_input in = {.paid_cents = e->ev.paid_cents, .receivable_found = true};
	struct outcome_decision dec;
	char note[200] = "";
	in.receivable_cancelled = r->status == RECEIVABLE_CANCELLED || r->status == RECEIVABLE_RENEGOTIATED;
	if (r->status == RECEIVABLE_RENEGOTIATED)
		in.closed_state = "renegotiated";
	/* Written off or protested at the bank: money arriving now needs a
	 * person (reference: PAID_CLOSED_RECEIVABLE). */
	if (!in.receivable_cancelled &&
	    (strcmp(r->bank_state, "written_off") == 0 || strcmp(r->bank_state, "protested") == 0)) {
		in.receivable_cancelled = true;
		in.closed_state = r->bank_state[0] == 'w' ? "written off at the bank" : "protested";
	}
	in.receivable_settled = r->settled;
	in.already_allocated = r->allocated_cents;
	in.expected = c->exp;
	enum payer_match pm = payer_compare(e->ev.payer_document, e->ev.payer_document_partial, r->debtor_document);
	/* CNAB returns echo the payer registered with the boleto, so only a
	 * statement's payer (who really sent the money) can disagree. */
	in.payer_mismatch = pm == PAYER_DIFFERENT && !rc->opt->allow_third_party;
	if (pm == PAYER_DIFFERENT && rc->opt->allow_third_party)
		snprintf(note, sizeof note, "; paid by another document (%s), accepted as a third-party payment",
			 e->ev.payer_document);

	/* Dates that can't be true: a human looks before money moves. */
	const char *anomaly = NULL;
	if (r->issue_date != CDATE_NONE && paid_on < r->issue_date)
		anomaly = "paid before the receivable was issued";
	else if (e->ev.credit_date != CDATE_NONE && e->ev.occurrence_date != CDATE_NONE &&
		 e->ev.credit_date < e->ev.occurrence_date)
		anomaly = "credited before it was paid";
	else if (paid_on > rc->today)
		anomaly = "payment date is in the future";
	if (anomaly && !in.receivable_cancelled && !in.payer_mismatch) {
		char pd[16], paid[32];
		date_format_iso(paid_on, pd, sizeof pd);
		money_format(e->ev.paid_cents, paid, sizeof paid);
		snprintf(dec.detail, sizeof dec.detail, "%s (%s): %s not applied until someone checks the dates",
			 anomaly, pd, paid);
		struct ledger_outcome o = {
			.event_id = e->rowid,
			.rule = m->rule_name,
			.paid_cents = e->ev.paid_cents,
			.expected_cents = c->still_due,
			.excess_cents = e->ev.paid_cents,
			.detail = dec.detail,
		};
		int64_t oid;
		if (record_outcome(rc, &o, OUTCOME_DATE_ANOMALY, e->ev.paid_cents, false, &oid))
			return -1;
		rc->sum->proposals++;
		return ledger_outcome_candidate_add(rc->lg, oid, r->rowid, m->rule_name, c->still_due, rc->d);
	}

	outcome_decide(&in, &dec);
	/* What the bank says it charged (CNAB juros + multa, desconto,
	 * abatimento; Pix componentesValor) against our figures. When the
	 * amounts differ and the bank's own breakdown adds up, the reason is
	 * that the bank computed the charges differently: say so, with both
	 * figures, rather than a bare UNDERPAID/OVERPAID. */
	struct charges_check cc = {0};
	if (e->ev.face_cents > 0 && !in.receivable_cancelled && !in.payer_mismatch &&
	    dec.category != OUTCOME_DUPLICATE_PAYMENT) {
		charges_check(&e->ev, &c->exp, rc->opt->tolerance_cents, &cc);
		if (cc.differs && (dec.category == OUTCOME_UNDERPAID || dec.category == OUTCOME_OVERPAID)) {
			char was[sizeof dec.detail];
			snprintf(was, sizeof was, "%s", dec.detail);
			snprintf(dec.detail, sizeof dec.detail, "%.400s; %.200s", cc.detail, was);
			dec.category = OUTCOME_BANK_CHARGES_DIFFER;
		} else if (cc.differs && !note[0]) {
			snprintf(note, sizeof note, "; the bank's breakdown differs: %.150s", cc.detail);
		}
	}
	if (paid_on != e->ev.occurrence_date && !note[0])
		snprintf(note, sizeof note, "; no payment date in the file, used %s",
			 paid_on == e->ev.credit_date ? "the credit date" : "the file date");
	bool disputed = r->status == RECEIVABLE_DISPUTED;
	char detail[sizeof dec.detail + sizeof note + 64];
	size_t n = text_append(detail, sizeof detail, 0, dec.detail);
	n = text_append(detail, sizeof detail, n, note);
	if (m->rule != MATCH_R1_REFERENCE) {
		n = text_append(detail, sizeof detail, n, " (found by ");
		n = text_append(detail, sizeof detail, n, m->rule_name);
		n = text_append(detail, sizeof detail, n, ")");
	}
	if (disputed)
		text_append(detail, sizeof detail, n, "; the receivable is disputed");
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = r->rowid,
		.rule = m->rule_name,
		.paid_cents = e->ev.paid_cents,
		.expected_cents = dec.expected_cents,
		.allocated_cents = dec.allocated_cents,
		.excess_cents = dec.excess_cents,
		.settles = dec.settles,
		.detail = detail,
	};
	int64_t oid;
	if (record_outcome(rc, &o, dec.category, e->ev.paid_cents, disputed, &oid))
		return -1;
	if (dec.category == OUTCOME_PAYER_MISMATCH) {
		rc->sum->proposals++;
		return ledger_outcome_candidate_add(rc->lg, oid, r->rowid, m->rule_name, c->still_due, rc->d);
	}
	return 0;
}

static int remember_loose(struct run_ctx *rc, int64_t outcome_id, const struct bank_event *ev, cdate paid_on)
{
	if (!ev->payer_document[0] || ev->payer_document_partial || strchr(ev->payer_document, '*'))
		return 0;
	if (rc->nloose == rc->caploose) {
		size_t cap = rc->caploose ? rc->caploose * 2 : 64;
		struct loose_credit *n = realloc(rc->loose, cap * sizeof *n);
		if (!n)
			return diag_set(rc->d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
		rc->loose = n;
		rc->caploose = cap;
	}
	struct loose_credit *l = &rc->loose[rc->nloose++];
	l->outcome_id = outcome_id;
	snprintf(l->payer, sizeof l->payer, "%s", ev->payer_document);
	l->cents = ev->paid_cents;
	l->paid_on = paid_on;
	return 0;
}

/* No receivable decided: ambiguous, proposed, or nothing at all. */
static int leave_for_human(struct run_ctx *rc, const struct ledger_event *e, cdate paid_on,
			   const struct match_result *m)
{
	char paid[32], detail[600];
	enum outcome_category cat;
	money_format(e->ev.paid_cents, paid, sizeof paid);
	const char *what = e->ev.nosso_numero[0] ? "nosso número" : "txid";
	if (m->ambiguous) {
		cat = OUTCOME_AMBIGUOUS;
		snprintf(detail, sizeof detail, "%d receivables fit at rule %s; %s unapplied until someone chooses%s%s",
			 m->total, m->rule_name, paid, m->note[0] ? "; " : "", m->note);
	} else if (m->total) {
		cat = m->reference_present ? OUTCOME_UNKNOWN_REFERENCE : OUTCOME_UNIDENTIFIED_CREDIT;
		char ids[200] = "";
		for (int i = 0; i < m->n; i++) {
			size_t used = strlen(ids);
			snprintf(ids + used, sizeof ids - used, "%s'%s'", i ? ", " : "", m->cand[i].v.id);
		}
		snprintf(detail, sizeof detail, "%s%s; proposed by %s: receivable%s %s; %s unapplied until confirmed",
			 m->reference_present ? "the " : "no reference",
			 m->reference_present ? (e->ev.nosso_numero[0] ? "nosso número is unknown" : "txid is unknown")
					      : "",
			 m->rule_name, m->n > 1 ? "s" : "", ids, paid);
	} else {
		cat = m->reference_present ? OUTCOME_UNKNOWN_REFERENCE : OUTCOME_UNIDENTIFIED_CREDIT;
		if (m->reference_present && e->ev.nosso_numero[0])
			snprintf(detail, sizeof detail, "no receivable has this nosso número at this bank; %s unapplied%s%s",
				 paid, m->note[0] ? "; " : "", m->note);
		else if (m->reference_present)
			snprintf(detail, sizeof detail, "no receivable has the %s %s; %s unapplied", what, e->ev.txid, paid);
		else
			snprintf(detail, sizeof detail, "credit without a reference and no receivable of the payer fits; %s "
							"unapplied%s%s",
				 paid, m->note[0] ? "; " : "", m->note);
	}
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.rule = m->rule_name,
		.paid_cents = e->ev.paid_cents,
		.excess_cents = e->ev.paid_cents,
		.detail = detail,
	};
	int64_t oid;
	if (record_outcome(rc, &o, cat, e->ev.paid_cents, false, &oid))
		return -1;
	if (m->total)
		rc->sum->proposals++;
	for (int i = 0; i < m->n; i++)
		if (ledger_outcome_candidate_add(rc->lg, oid, m->cand[i].v.rowid, m->rule_name, m->cand[i].still_due,
						 rc->d))
			return -1;
	if (!m->total && cat == OUTCOME_UNIDENTIFIED_CREDIT)
		return remember_loose(rc, oid, &e->ev, paid_on);
	return 0;
}

static int reconcile_one(void *ctx, const struct ledger_event *e)
{
	struct run_ctx *rc = ctx;
	if (e->ev.kind == EVENT_REVERSAL)
		return reconcile_reversal(rc, e);
	if (!event_kind_is_payment(e->ev.kind))
		return reconcile_other(rc, e);
	cdate paid_on = payment_date(e);
	struct match_result *m = &rc->m;
	if (match_payment(&rc->src, &e->ev, paid_on, m, rc->d)) {
		rc->d->line = e->ev.line;
		snprintf(rc->d->file, sizeof rc->d->file, "%s", e->filename);
		return -1;
	}
	if (m->automatic)
		return settle_with(rc, e, paid_on, m);
	return leave_for_human(rc, e, paid_on, m);
}

static int by_payer(const void *a, const void *b)
{
	const struct loose_credit *x = a, *y = b;
	int c = strcmp(x->payer, y->payer);
	return c ? c : (x->outcome_id > y->outcome_id) - (x->outcome_id < y->outcome_id);
}

/* R6: several unidentified credits of one payer adding up exactly to one
 * of their open receivables (instalments). Proposals only. */
static int rule_r6(struct run_ctx *rc)
{
	if (rc->nloose < 2)
		return 0;
	qsort(rc->loose, rc->nloose, sizeof *rc->loose, by_payer);
	struct recv_view *list = malloc(32 * sizeof *list);
	if (!list)
		return diag_set(rc->d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	int rc_ = 0;
	for (size_t i = 0; i < rc->nloose && rc_ == 0;) {
		size_t j = i;
		while (j < rc->nloose && strcmp(rc->loose[j].payer, rc->loose[i].payer) == 0)
			j++;
		int n = (int)(j - i);
		if (n >= 2 && n <= SUBSET_MAX_N) {
			int64_t values[SUBSET_MAX_N];
			cdate last = CDATE_NONE;
			for (int k = 0; k < n; k++) {
				values[k] = rc->loose[i + (size_t)k].cents;
				if (last == CDATE_NONE || rc->loose[i + (size_t)k].paid_on > last)
					last = rc->loose[i + (size_t)k].paid_on;
			}
			int total = recv_of_debtor(&rc->src, rc->loose[i].payer, list, 32, rc->d);
			if (total < 0)
				rc_ = -1;
			for (int r = 0; rc_ == 0 && r < total && r < 32; r++) {
				struct match_candidate c;
				if (match_candidate_fill(rc->opt, &list[r], last, &c, rc->d)) {
					rc_ = -1;
					break;
				}
				if (c.v.settled || c.still_due <= 0)
					continue;
				int pick[SUBSET_MAX_K], k = 0;
				int found = subset_sum_find(values, n, c.still_due, 2, SUBSET_MAX_K, pick, &k);
				for (int p = 0; found > 0 && p < k && rc_ == 0; p++)
					rc_ = ledger_outcome_candidate_add(rc->lg, rc->loose[i + (size_t)pick[p]].outcome_id,
									   c.v.rowid, "R6 one-to-many", c.still_due,
									   rc->d);
				if (found > 0)
					rc->sum->proposals += k;
			}
		}
		i = j;
	}
	free(list);
	return rc_;
}

/* Whether to load every receivable into memory: when the run is big
 * enough that one pass over the receivables costs less than a few queries
 * per payment. $CONCILIA_RECONCILE_CACHE=always|never forces it (tests
 * run both ways and compare). */
enum { CACHE_THRESHOLD = 20000 };

static bool use_cache(long pending)
{
	const char *force = getenv("CONCILIA_RECONCILE_CACHE");
	if (force && strcmp(force, "always") == 0)
		return true;
	if (force && strcmp(force, "never") == 0)
		return false;
	return pending >= CACHE_THRESHOLD;
}

int reconcile_run(struct ledger *lg, const struct reconcile_options *opt, struct reconcile_summary *sum,
		  struct diag *d)
{
	struct run_ctx *rc = calloc(1, sizeof *rc);
	if (!rc)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	*rc = (struct run_ctx){.lg = lg, .opt = opt, .sum = sum, .d = d};
	rc->today = opt->today != CDATE_NONE && opt->today != 0 ? opt->today : date_today();
	memset(sum, 0, sizeof *sum);
	/* Counted before the transaction: the count only chooses how to run
	 * (a file imported meanwhile is simply part of the run). */
	long pending = 0;
	int failed = ledger_pending_count(lg, CACHE_THRESHOLD, &pending, d);
	bool bulk = !failed && use_cache(pending);
	if (!failed)
		failed = bulk ? ledger_begin_bulk(lg, d) : ledger_begin(lg, d);
	if (!failed && bulk)
		failed = recv_source_load(&rc->src, lg, opt, d);
	else
		recv_source_ledger(&rc->src, lg, opt);
	/* A run big enough for the cache writes from a second thread. */
	if (!failed)
		failed = ledger_run_start(lg, &rc->run_id, d) || (bulk && ledger_run_background(lg, d)) ||
			 ledger_pending_payments(lg, reconcile_one, rc, d) ||
			 rule_r6(rc) || ledger_run_finish(lg, rc->run_id, sum->events, d) || ledger_commit(lg, d);
	if (failed) {
		ledger_rollback(lg);
		memset(sum, 0, sizeof *sum);
	}
	recv_source_free(&rc->src);
	free(rc->loose);
	free(rc);
	return failed ? -1 : 0;
}
