/* The reconciliation run: every payment event without an outcome is
 * matched to a receivable (rule R1: bank + nosso número), its expected
 * amount on the payment date computed, and an outcome recorded. One
 * transaction per run; running again settles nothing twice. */
#ifndef CONCILIA_RECONCILE_H
#define CONCILIA_RECONCILE_H

#include "core/calendar.h"
#include "ledger/ledger.h"
#include "reconcile/outcome.h"

struct reconcile_options {
	const struct calendar *calendar;
	enum interest_start interest_start;
};

struct reconcile_summary {
	long events;
	long count[OUTCOME_COUNT];
	int64_t cents[OUTCOME_COUNT];
	long needs_human;
};

int reconcile_run(struct ledger *lg, const struct reconcile_options *opt, struct reconcile_summary *sum,
		  struct diag *d);

#endif
