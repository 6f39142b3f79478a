/* Rules R1-R5 for one payment (R6 looks across payments: reconcile.c).
 * Each rule gathers candidates; the first rule that has any decides. */
#include "config.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "reconcile/match.h"
#include "reconcile/payer.h"
#include "reconcile/subset_sum.h"
#include "reconcile/text_refs.h"

#define DEBTOR_MAX 64 /* one payer's open receivables read per payment */

struct charge_terms match_terms(const struct receivable_row *r, const struct reconcile_options *opt)
{
	struct charge_terms t;
	charge_terms_from_receivable(r, opt->interest_start, &t);
	return t;
}

int match_candidate_fill(const struct reconcile_options *opt, const struct recv_view *v, cdate paid_on,
			 struct match_candidate *c, struct diag *d)
{
	c->v = *v;
	if (paid_on == CDATE_NONE || expected_on(&v->terms, paid_on, v->calendar ? v->calendar : opt->calendar, &c->exp) != 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL,
				"cannot compute the amount due of receivable '%s' on the payment date", v->id);
	c->still_due = c->exp.total_cents - v->allocated_cents;
	return 0;
}

/* Can this receivable still take money without a human saying so? */
static bool takes_money(const struct match_candidate *c)
{
	return !c->v.settled && c->still_due > 0 && strcmp(c->v.bank_state, "written_off") != 0 &&
	       strcmp(c->v.bank_state, "protested") != 0 && c->v.status != RECEIVABLE_CANCELLED &&
	       c->v.status != RECEIVABLE_RENEGOTIATED;
}

/* "Same amount": what is due on the payment date, or the face value still
 * open (a late payer who paid the printed amount is still this debt). */
static bool same_amount(const struct match_candidate *c, int64_t paid)
{
	return paid == c->still_due || paid == c->v.amount_cents - c->v.allocated_cents;
}

/* Within tolerance, or anywhere between the best discounted price and the
 * amount due with charges (the payer used an older or newer slip). */
static bool close_amount(const struct match_candidate *c, int64_t paid, const struct reconcile_options *opt,
			 cdate earliest_price_date)
{
	int64_t diff = paid - c->still_due;
	if (diff < 0)
		diff = -diff;
	if (diff <= opt->tolerance_cents)
		return true;
	struct expected_amount lo;
	if (expected_on(&c->v.terms, earliest_price_date, c->v.calendar ? c->v.calendar : opt->calendar, &lo) != 0)
		return false;
	int64_t low = lo.total_cents - c->v.allocated_cents;
	return paid >= low && paid <= c->still_due;
}

static void add_candidate(struct match_result *m, const struct match_candidate *c)
{
	for (int i = 0; i < m->n; i++)
		if (m->cand[i].v.rowid == c->v.rowid)
			return;
	if (m->n < MATCH_MAX)
		m->cand[m->n++] = *c;
	m->total++;
}

static void decide(struct match_result *m, enum match_rule rule, const char *name, bool may_settle)
{
	m->rule = rule;
	m->rule_name = name;
	m->ambiguous = m->total > 1;
	m->automatic = may_settle && m->total == 1;
}

static int rule_r1(struct recv_source *src, const struct bank_event *ev, cdate paid_on, struct match_result *m,
		   struct diag *d)
{
	struct recv_view r;
	int found;
	const char *name;
	if (ev->nosso_numero[0]) {
		m->reference_present = true;
		name = "R1 nosso_numero";
		found = recv_by_ref(src, ev->bank, ev->nosso_numero, &r, d);
	} else if (ev->txid[0]) {
		m->reference_present = true;
		name = "R1 txid";
		found = recv_by_txid(src, ev->txid, &r, d);
	} else {
		return 0;
	}
	if (found <= 0)
		return found;
	struct match_candidate c;
	if (match_candidate_fill(src->opt, &r, paid_on, &c, d))
		return -1;
	add_candidate(m, &c);
	decide(m, MATCH_R1_REFERENCE, name, true);
	return 1;
}

static int rule_r2(struct recv_source *src, const struct bank_event *ev, cdate paid_on, struct match_result *m,
		   struct diag *d)
{
	char refs[12][TEXT_REF_MAX];
	size_t n = 0;
	/* Fields where a payer or the bank carries our own id, then prose. */
	const char *sources[] = {ev->company_ref, ev->seu_numero, ev->free_text};
	for (size_t s = 0; s < 3 && n < 12; s++) {
		char more[12][TEXT_REF_MAX];
		size_t k = text_refs_extract(sources[s], more, 12 - n);
		for (size_t i = 0; i < k; i++)
			memcpy(refs[n++], more[i], TEXT_REF_MAX);
	}
	for (size_t i = 0; i < n; i++) {
		struct recv_view r;
		int found = recv_by_ext_id(src, refs[i], &r, d);
		if (found < 0)
			return -1;
		if (!found)
			continue;
		struct match_candidate c;
		if (match_candidate_fill(src->opt, &r, paid_on, &c, d))
			return -1;
		if (takes_money(&c) && same_amount(&c, ev->paid_cents))
			add_candidate(m, &c);
	}
	if (!m->total)
		return 0;
	decide(m, MATCH_R2_TEXT, "R2 text reference", true);
	return 1;
}

/* R3, R4 and R5 all look at the payer's open receivables. */
static int rules_payer(struct recv_source *src, const struct bank_event *ev, cdate paid_on, struct match_result *m,
		       struct diag *d)
{
	const struct reconcile_options *opt = src->opt;
	if (!ev->payer_document[0])
		return 0;
	bool partial = ev->payer_document_partial || strchr(ev->payer_document, '*');
	struct recv_view *list = malloc(DEBTOR_MAX * sizeof *list);
	struct match_candidate *open = malloc(DEBTOR_MAX * sizeof *open);
	if (!list || !open) {
		free(list);
		free(open);
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	}
	int rc = 0;
	int total = recv_of_debtor(src, ev->payer_document, list, DEBTOR_MAX, d);
	int nopen = 0;
	if (total < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < total && i < DEBTOR_MAX; i++) {
		/* A mask may fit several people: keep only documents it fits. */
		if (payer_compare(ev->payer_document, partial, list[i].debtor_document) == PAYER_DIFFERENT)
			continue;
		if (match_candidate_fill(opt, &list[i], paid_on, &open[nopen], d)) {
			rc = -1;
			break;
		}
		if (takes_money(&open[nopen]))
			nopen++;
	}
	if (rc == 0) {
		/* R3: exact amount; settles only with a full document and no
		 * reference that says otherwise. */
		for (int i = 0; i < nopen; i++)
			if (same_amount(&open[i], ev->paid_cents))
				add_candidate(m, &open[i]);
		if (m->total) {
			decide(m, partial ? MATCH_R4_PAYER_TOLERANCE : MATCH_R3_PAYER_AMOUNT,
			       partial ? "R4 masked payer+amount" : "R3 payer+amount", !partial && !m->reference_present);
			rc = 1;
		}
	}
	if (rc == 0) {
		for (int i = 0; i < nopen; i++) {
			/* The lowest price: paid by the first discount tier's date. */
			const struct charge_terms *t = &open[i].v.terms;
			bool tier = t->discounts[0].cents || t->discounts[0].e4;
			cdate best = tier ? t->discounts[0].until : t->due_date;
			if (close_amount(&open[i], ev->paid_cents, opt, best))
				add_candidate(m, &open[i]);
		}
		if (m->total) {
			decide(m, MATCH_R4_PAYER_TOLERANCE, "R4 payer+tolerance", false);
			rc = 1;
		}
	}
	if (rc == 0 && nopen >= 2) {
		int64_t values[SUBSET_MAX_N];
		int pick[SUBSET_MAX_K], k = 0;
		int n = nopen < SUBSET_MAX_N ? nopen : SUBSET_MAX_N;
		for (int i = 0; i < n; i++)
			values[i] = open[i].still_due;
		int found = subset_sum_find(values, n, ev->paid_cents, 2, SUBSET_MAX_K, pick, &k);
		if (found > 0) {
			for (int i = 0; i < k; i++)
				add_candidate(m, &open[pick[i]]);
			decide(m, MATCH_R5_MANY_TO_ONE, "R5 many-to-one", false);
			/* The set is one proposal; two different sets are ambiguous. */
			m->ambiguous = found > 1;
			if (found > 1)
				snprintf(m->note, sizeof m->note,
					 "several combinations of this payer's receivables add up to the amount");
			rc = 1;
		}
		if (nopen > SUBSET_MAX_N && !m->note[0])
			snprintf(m->note, sizeof m->note, "payer has %d open receivables; combinations were tried on "
							  "the %d oldest only",
				 nopen, SUBSET_MAX_N);
	}
	if (rc == 0 && total > DEBTOR_MAX)
		snprintf(m->note, sizeof m->note, "payer has %d open receivables; only the %d oldest were compared",
			 total, DEBTOR_MAX);
	free(list);
	free(open);
	return rc;
}

int match_payment(struct recv_source *src, const struct bank_event *ev, cdate paid_on, struct match_result *m,
		  struct diag *d)
{
	/* Only the header: candidates are written as they are found. */
	memset(m, 0, offsetof(struct match_result, cand));
	int rc = rule_r1(src, ev, paid_on, m, d);
	if (rc == 0)
		rc = rule_r2(src, ev, paid_on, m, d);
	if (rc == 0)
		rc = rules_payer(src, ev, paid_on, m, d);
	return rc < 0 ? -1 : 0;
}
