/* Finding the receivable(s) a payment is for, rule by rule. Decides which
 * rule applies and who the candidates are; what the payment then means
 * (exact, underpaid, ...) is outcome.c's job. */
#ifndef CONCILIA_MATCH_H
#define CONCILIA_MATCH_H

#include <stdbool.h>
#include "ledger/ledger.h"
#include "reconcile/expected.h"
#include "reconcile/reconcile.h"
#include "reconcile/recv_source.h"

#define MATCH_MAX 8 /* candidates kept for a human; more are counted */

enum match_rule {
	MATCH_NONE = 0,
	MATCH_R1_REFERENCE,
	MATCH_R2_TEXT,
	MATCH_R3_PAYER_AMOUNT,
	MATCH_R4_PAYER_TOLERANCE,
	MATCH_R5_MANY_TO_ONE,
};

struct match_candidate {
	struct recv_view v;
	struct expected_amount exp; /* on the payment date */
	int64_t still_due;          /* exp.total_cents - allocated */
};

struct match_result {
	enum match_rule rule;
	const char *rule_name;   /* "R1 nosso_numero", "R3 payer+amount", ... */
	bool automatic;          /* exactly one candidate at a rule that may settle */
	bool ambiguous;          /* two or more at the deciding rule */
	bool reference_present;  /* the event named a nosso número or txid */
	int n;                   /* candidates in cand (R5: the receivables of one solution) */
	int total;               /* candidates found (may exceed n) */
	char note[200];          /* why, for the outcome's detail */
	struct match_candidate cand[MATCH_MAX]; /* last: not cleared per payment */
};

/* The charge terms of a stored receivable. */
struct charge_terms match_terms(const struct receivable_row *r, const struct reconcile_options *opt);

/* Fills c (expected amount on paid_on) for receivable v. */
int match_candidate_fill(const struct reconcile_options *opt, const struct recv_view *v, cdate paid_on,
			 struct match_candidate *c, struct diag *d);

/* Runs R1-R5 for a payment event. */
int match_payment(struct recv_source *src, const struct bank_event *ev, cdate paid_on, struct match_result *m,
		  struct diag *d);

#endif
