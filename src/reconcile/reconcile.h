/* The reconciliation run: every bank event without an outcome gets one.
 * Payments go through the rules in precedence order (reference/
 * reconciliation.md §3): R1 exact reference (nosso número, Pix txid), R2
 * reference in free text with the same amount, R3 payer document + exact
 * amount (these three may settle), then proposals only: R4 payer +
 * tolerance, R5 one credit for several receivables, R6 several credits for
 * one. The first rule with candidates decides; two candidates there =
 * AMBIGUOUS. Devoluções reopen what their credit settled. One transaction
 * per run; running again settles nothing twice. */
#ifndef CONCILIA_RECONCILE_H
#define CONCILIA_RECONCILE_H

#include "core/calendar.h"
#include "ledger/ledger.h"
#include "reconcile/outcome.h"

/* The version of the rules, recorded on every allocation they make:
 * change it whenever a rule's meaning changes. */
#define RECONCILE_RULE_SET "2026.11-r1"

struct reconcile_options {
	const struct calendar *calendar;
	enum interest_start interest_start;
	int64_t tolerance_cents;   /* R4: accepted difference from the amount due (default 0) */
	bool allow_third_party;    /* a reference hit paid by another document settles (always shown) */
	cdate today;               /* payments dated after it are DATE_ANOMALY; CDATE_NONE = date_today() */
};

struct reconcile_summary {
	long events;
	long count[OUTCOME_COUNT];
	int64_t cents[OUTCOME_COUNT];
	long needs_human;
	long proposals;            /* outcomes with candidates for a human (R4-R6, AMBIGUOUS) */
};

int reconcile_run(struct ledger *lg, const struct reconcile_options *opt, struct reconcile_summary *sum,
		  struct diag *d);

#endif
