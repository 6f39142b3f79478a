/* The charge gate (reference/reconciliation.md §5): the single yes or no,
 * with the reasons, for any outbound charge document (boleto second copy,
 * Pix QR, dunning message). Pure: a decision over a struct of facts that
 * gate/charge.c reads from the ledger at send time; no database, no
 * clock, no printing. Every refusal names its reason; only a stale import
 * may be overridden, and the caller journals the override. */
#ifndef CONCILIA_GATE_H
#define CONCILIA_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/receivables_csv.h"
#include "core/date.h"

/* Refusal reasons; the names (gate_reason_name) are public, like outcome
 * categories: never rename one. */
enum gate_reason {
	GATE_SETTLED = 0,     /* paid in full (allocations), nothing left to charge */
	GATE_CANCELLED,       /* the ERP cancelled the debt */
	GATE_RENEGOTIATED,    /* replaced by a negotiated agreement */
	GATE_DISPUTED,        /* the debtor disputes it */
	GATE_BANK_CLOSED,     /* the bank wrote the boleto off, protested it or refused to register it */
	GATE_PAYMENT_PENDING, /* a payment with its reference is imported and not reconciled */
	GATE_OPEN_EXCEPTION,  /* an open exception of the debtor could be this payment */
	GATE_HELD_IMPORT,     /* a return file of the collecting account is held for a human */
	GATE_STALE_IMPORT,    /* no import of the account covers the previous business day */
	GATE_REASON_COUNT
};

/* "SETTLED", "CANCELLED", "RENEGOTIATED", "DISPUTED", "BANK_CLOSED",
 * "PAYMENT_PENDING", "OPEN_EXCEPTION", "HELD_IMPORT", "STALE_IMPORT". */
const char *gate_reason_name(enum gate_reason r);

/* An open exception (an outcome that needs a human, not resolved) that
 * the ledger found near the debtor: the decision says whether it could be
 * this receivable's payment. */
struct gate_candidate {
	char category[40]; /* outcome category name */
	int64_t paid_cents;
	int64_t due_then_cents;      /* what the receivable was worth on that payment's date
	                                (minus what was applied), -1 when unknown */
	char payer_document[15];     /* as the event has it, "" when none */
	bool payer_document_partial; /* masked: '*' stands for any character */
	char receivable_debtor[15];  /* debtor of the outcome's receivable, "" when none */
	char receivable_id[65];
	char source[600]; /* "FILE:LINE" */
};

struct gate_facts {
	const char *receivable_id;   /* the ERP's id, for messages */
	const char *debtor_document; /* normalized */
	enum receivable_status erp_status;
	bool settled;             /* an allocation settled it */
	int64_t allocated_cents;  /* applied so far */
	int64_t amount_due_cents; /* on the document's payment date, minus what was applied */
	const char *bank_state;   /* "", "registration_rejected", "written_off", "protested" */

	long pending_payments;      /* money events with its reference and no outcome */
	const char *pending_source; /* the first, "FILE:LINE" */

	const struct gate_candidate *candidates;
	int ncandidates;
	bool candidates_truncated; /* more were found than the array holds */

	const char *account_label; /* the collecting account */
	bool has_import;           /* an imported file of that account with a date */
	cdate latest_import;       /* the newest generation date */
	const char *latest_file;
	long held_imports;
	const char *held_file, *held_reason;
	cdate previous_business_day; /* of today (send time, not schedule time) */
};

struct gate_options {
	const char *accept_stale; /* reason to send despite a stale import; NULL or "" = none */
};

struct gate_refusal {
	enum gate_reason reason;
	char message[600]; /* one English sentence naming what was found */
};

struct gate_decision {
	bool allowed;
	bool stale_overridden;   /* allowed only because of accept_stale: journal it */
	char stale_message[600]; /* what was overridden (when stale_overridden) */
	int nrefusals;
	struct gate_refusal refusals[GATE_REASON_COUNT];
};

/* Whether an open exception could be this receivable's payment: the
 * event's payer document is the debtor's (or a masked document whose
 * visible characters are the debtor's), the outcome's receivable belongs
 * to the debtor, or it is money nobody could place (UNIDENTIFIED_CREDIT,
 * UNKNOWN_REFERENCE) of exactly the amount the receivable was due on
 * that payment's date or is due now. */
bool gate_candidate_applies(const struct gate_facts *f, const struct gate_candidate *c);

/* Decides. Every failing check is listed in out->refusals, in the order
 * of enum gate_reason. */
void gate_decide(const struct gate_facts *f, const struct gate_options *o, struct gate_decision *out);

#endif
