/* Outcome categories of a reconciled payment and the pure rule that picks
 * one. The names are public (JSON, CSV, exit codes): never rename one. */
#ifndef CONCILIA_OUTCOME_H
#define CONCILIA_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "reconcile/expected.h"

enum outcome_category {
	OUTCOME_MATCHED_EXACT = 0,
	OUTCOME_MATCHED_WITH_CHARGES,
	OUTCOME_MATCHED_WITH_DISCOUNT,
	OUTCOME_UNDERPAID,
	OUTCOME_OVERPAID,
	OUTCOME_DUPLICATE_PAYMENT,
	OUTCOME_UNKNOWN_REFERENCE,
	OUTCOME_PAID_CLOSED_RECEIVABLE,
	/* Bank events that are not payments but change what we know. */
	OUTCOME_REGISTRATION_REJECTED, /* the bank refused to register the boleto */
	OUTCOME_FEE_ONLY,              /* a tariff debit: an expense, not a payment */
	OUTCOME_BANK_WRITEOFF,         /* baixa: the boleto left collection, no money */
	OUTCOME_BANK_PROTEST,          /* sent to or registered at the notary */
	OUTCOME_UNKNOWN_OCCURRENCE,    /* a code the bank's table does not list */
	/* The matcher's other verdicts (reference/reconciliation.md §4). */
	OUTCOME_AMBIGUOUS,             /* two or more candidates at the deciding rule */
	OUTCOME_UNIDENTIFIED_CREDIT,   /* no reference and no candidate (or proposals only) */
	OUTCOME_PAYER_MISMATCH,        /* reference hit, but someone else paid */
	OUTCOME_DATE_ANOMALY,          /* paid before issue, credited before paid, in the future */
	OUTCOME_REVERSAL,              /* money went back (Pix devolução): allocation reopened */
	OUTCOME_BANK_CHARGES_DIFFER,   /* the bank's fine/interest/discount is not ours */
	/* Not outcomes of an event, counted by reports: the same event seen
	 * again at import, and receivables past due with no payment. */
	OUTCOME_DUPLICATE_EVENT,
	OUTCOME_EXPECTED_NOT_RECEIVED,
	OUTCOME_COUNT
};

const char *outcome_name(enum outcome_category c);         /* "MATCHED_EXACT" */
const char *outcome_label_pt(enum outcome_category c);     /* "Pago no valor exato" */
enum outcome_category outcome_from_name(const char *name); /* OUTCOME_COUNT when unknown */
/* Anything but an exact or correctly charged match needs a person. */
bool outcome_needs_human(enum outcome_category c);

/* What the matcher knows about one payment when it decides. */
struct outcome_input {
	int64_t paid_cents;
	bool receivable_found;
	bool receivable_cancelled;     /* closed: cancelled by the ERP, or written off /
	                                * protested at the bank (closed_state says which) */
	const char *closed_state;      /* "cancelled", "written off", "protested"; NULL = cancelled */
	bool receivable_settled;       /* an earlier payment already settled it */
	bool payer_mismatch;           /* the payer's document is known and is not the debtor's */
	int64_t already_allocated;     /* money applied by earlier partial payments */
	struct expected_amount expected; /* for the payment date (when found) */
};

struct outcome_decision {
	enum outcome_category category;
	int64_t expected_cents;   /* still due on the payment date before this payment */
	int64_t allocated_cents;  /* applied to the receivable */
	int64_t excess_cents;     /* left over: payer credit or refund */
	bool settles;
	char detail[640];         /* why, in one English sentence with the figures */
};

void outcome_decide(const struct outcome_input *in, struct outcome_decision *out);

#endif
