/* What a human does about the matcher's work: undo an allocation, and
 * resolve an exception (apply the money, accept a proposal, record a
 * refund, or dismiss it). Each is one transaction, journaled with who and
 * why; nothing is edited, every correction is a new row. */
#ifndef CONCILIA_EXCEPTIONS_H
#define CONCILIA_EXCEPTIONS_H

#include <stdint.h>
#include "ledger/ledger.h"
#include "reconcile/reconcile.h"

/* Result of a refused request: which exit status it deserves. */
enum human_refusal {
	HUMAN_OK = 0,
	HUMAN_REFUSED = 2, /* the request does not fit the ledger (d says why) */
	HUMAN_ERROR = 3,   /* the ledger failed */
};

/* Writes the compensating row of allocation id (its remaining money),
 * with the reason; *cents = what was taken back. */
enum human_refusal exceptions_undo(struct ledger *lg, int64_t id, const char *reason, int64_t *cents,
				   struct diag *d);

enum resolve_action {
	RESOLVE_APPLY,   /* apply the event's money to --receivable (all of what is unapplied, or --amount) */
	RESOLVE_ACCEPT,  /* apply as proposed (the single candidate, or the R5 set) */
	RESOLVE_REFUND,  /* the money goes back to the payer outside concilia */
	RESOLVE_DISMISS, /* nothing to apply: reviewed and accepted as is */
};

/* "apply", "accept", "refund", "dismiss"; -1 when unknown. */
int resolve_action_from_name(const char *name);
const char *resolve_action_name(enum resolve_action a);

struct resolve_request {
	int64_t outcome_id;
	enum resolve_action action;
	const char *receivable_id; /* ERP id, for apply */
	int64_t amount_cents;      /* for apply; 0 = all that is unapplied (up to what is due) */
	const char *reason;
};

/* Carries out the action; *applied = money applied to receivables. An
 * apply that leaves part of the payment unapplied keeps the exception open
 * (the allocation and the journal record it). */
enum human_refusal exceptions_resolve(struct ledger *lg, const struct reconcile_options *opt,
				      const struct resolve_request *req, int64_t *applied, struct diag *d);

#endif
