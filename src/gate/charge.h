/* A charge document for one receivable, prepared at send time: the
 * receivable and its collecting account read from the ledger, the gate's
 * decision over the facts read now, the amount due on the payment date,
 * and, when the gate allows it, the registered boleto's codes and the Pix
 * BR Code for the amount due. Every outbound document (boleto second
 * copy, Pix QR) goes through charge_prepare; writers only print what it
 * decided and computed. */
#ifndef CONCILIA_CHARGE_H
#define CONCILIA_CHARGE_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/boleto_bank.h"
#include "codec/brcode.h"
#include "core/calendar.h"
#include "core/diag.h"
#include "gate/gate.h"
#include "ledger/ledger.h"
#include "reconcile/expected.h"

#define CHARGE_MAX_CANDIDATES   32
#define CHARGE_MAX_INSTRUCTIONS 6

enum charge_kind {
	CHARGE_BOLETO = 1, /* second copy: the registered slip, and a Pix QR when the account has a key */
	CHARGE_PIX = 2,    /* a Pix QR alone */
};

struct charge_options {
	enum charge_kind kind;
	cdate today;  /* send time (date_today()) */
	cdate pay_on; /* the payment date amounts are computed for; >= today */
	const struct calendar *cal;
	enum interest_start interest_start; /* as reconcile uses it */
	const char *accept_stale;           /* gate override reason, or NULL */
	diag_sink warn;                     /* warnings (name cut in the BR Code, no QR possible...) */
	void *warn_ctx;
};

struct charge {
	struct ledger_receivable rcv;
	struct ledger_account account;
	struct gate_candidate candidates[CHARGE_MAX_CANDIDATES];
	struct gate_decision decision;

	cdate pay_on;
	struct expected_amount due; /* on pay_on, before what was applied */
	int64_t allocated_cents;    /* already received (partial payments) */
	int64_t amount_due_cents;   /* due.total_cents - allocated_cents */

	/* Filled only when the gate allows it. The boleto is the registered
	 * one: face value and original due date, whatever pay_on is
	 * (reference/boleto.md §5: never a barcode that differs from the
	 * registration); charges and discounts go into the boxes. */
	struct boleto_slip slip;
	char nosso_numero_printed[48]; /* "09/00000000101-P" */
	char agency_code[64];          /* "Agência / Código do beneficiário" */
	char instructions[CHARGE_MAX_INSTRUCTIONS][240];
	int ninstructions;
	bool has_pix; /* pix holds a static BR Code for amount_due_cents */
	struct brcode_payload pix;
};

/* Prepares the document for the receivable whose ERP id is receivable_id.
 * Returns 0 with out->decision telling whether it may be sent (and why
 * not); -1 with d when it cannot even be decided or built: no such
 * receivable, no (or more than one) collecting account, a pay_on before
 * today, an account whose data cannot make a boleto or a BR Code. *status
 * says which kind of failure: 2 (input or configuration), 3 (database). */
int charge_prepare(struct ledger *lg, const char *receivable_id, const struct charge_options *o,
                   struct charge *out, int *status, struct diag *d);

/* Journals a document that left (action "second_copy" or "pix_qr",
 * subject the receivable, detail the amount, date and where it went) and,
 * when the gate let it out only because of --accept-stale, the override
 * (action "gate_override" with the reason). One transaction. */
int charge_record(struct ledger *lg, const struct charge *c, const char *action, const char *where,
                  const char *accept_stale, struct diag *d);

/* Checks and normalizes an account before it is stored: the document
 * (CNPJ or CPF, check digits), the Pix key by its type (kept the way DICT
 * stores it), the bank options by the codec's per-bank option names, and
 * a trial boleto so that agency, account, wallet and convênio are known
 * to make a barcode. Returns 0, or -1 with d (field = the option's name
 * without dashes: "document", "pix-key", "opt"...). */
int charge_account_check(struct ledger_account *a, struct diag *d);

#endif
