/* One normalized fact reported by a bank or PSP: whatever the wire format
 * (CNAB 240/400 detail, camt entry, API Pix credit, OFX transaction), the
 * ledger and the matcher see this. */
#ifndef CONCILIA_BANK_EVENT_H
#define CONCILIA_BANK_EVENT_H

#include <stdint.h>
#include "core/date.h"

/* What an occurrence means, normalized across banks (reference/cnab.md §4). */
enum event_kind {
	EVENT_OTHER = 0,
	EVENT_ENTRY_CONFIRMED,
	EVENT_ENTRY_REJECTED,
	EVENT_LIQUIDATION,
	EVENT_LIQUIDATION_AFTER_WRITEOFF,
	EVENT_WRITEOFF,
	EVENT_PROTEST,
	EVENT_INSTRUCTION_ACK,
	EVENT_INSTRUCTION_REJECTED,
	EVENT_TARIFF,
	EVENT_UNKNOWN, /* a code the layout's table does not list: reported, never guessed */
	/* Statements (camt, API Pix, OFX): money in that is not a boleto
	 * liquidation (a Pix or a transfer), and money going back (a Pix
	 * devolução, an estorno). */
	EVENT_CREDIT,
	EVENT_REVERSAL,
	EVENT_KIND_COUNT
};

/* "liquidation", "entry_confirmed", ... (stable, used in JSON and layouts). */
const char *event_kind_name(enum event_kind k);
/* Inverse of event_kind_name; EVENT_KIND_COUNT when unknown. */
enum event_kind event_kind_from_name(const char *name);
/* Liquidations (including after write-off) and statement credits are the
 * events that carry money in. */
int event_kind_is_payment(enum event_kind k);

struct bank_event {
	long line;                 /* first record of the event (T), 1-based */
	long line_end;             /* last record (U, or Y after it) */
	int bank;                  /* bank code from the record, e.g. 1, 341 */
	char agreement[81];        /* convênio from the file header, trimmed; for a
	                            * statement the account (IBAN, receiving Pix key <= 77) */
	char nosso_numero_raw[21]; /* the field exactly as the bank wrote it (trimmed) */
	char nosso_numero[21];     /* normalized (nosso_numero_normalize) */
	char seu_numero[16];       /* número do documento, trimmed */
	char company_ref[26];      /* the company's own title id (T 106-130), trimmed */
	char occurrence[3];        /* movement/occurrence code as written, e.g. "06" */
	enum event_kind kind;
	char occurrence_text[64];  /* the bank's description of the code ("" if unknown) */
	char reasons[11];          /* up to five 2-char reason codes, trimmed */
	cdate due_date;            /* CDATE_NONE when absent */
	cdate occurrence_date;     /* payment date for liquidations */
	cdate credit_date;
	int64_t face_cents;        /* valor nominal */
	int64_t paid_cents;        /* gross amount paid by the payer */
	int64_t net_cents;         /* amount credited (net of tariff) as reported */
	int64_t tariff_cents;
	int64_t charges_cents;     /* acréscimos: interest + fine + other charges */
	int64_t discount_cents;
	int64_t rebate_cents;      /* abatimento */
	int64_t iof_cents;
	int64_t other_expenses_cents;
	int64_t other_credits_cents;
	char payer_document[15];   /* digits/letters only, "" when absent or zero */
	char payer_name[81];       /* UTF-8, trimmed */
	/* Statements (camt.053/054, API Pix JSON, OFX); "" when absent. */
	char end_to_end_id[36];    /* Pix endToEndId (32 chars) of the credit; for a
	                            * REVERSAL, of the credit being returned */
	char txid[36];             /* Pix txid of the charge (cob/cobv), 1-35 chars */
	char refund_id[36];        /* devolução id (rtrId) of a REVERSAL */
	char statement_ref[256];   /* the statement's own id: OFX FITID (up to 255: Nubank
	                            * writes 36-character UUIDs), camt AcctSvcrRef */
	char free_text[561];       /* UTF-8: remittance info, OFX memo (the payer's words);
	                            * 140 characters of up to 4 bytes each */
	int payer_document_partial; /* payer_document is masked: '*' marks hidden digits
	                             * ("***123456**"), to be matched as partial */
	/* The parser's identity of this fact when the format has one
	 * ("pix|E2E...", "pixdev|E2E...|RTR..."), "" to let the ledger derive the
	 * CNAB identity. With weak_identity the text is a content hash (no bank
	 * id, e.g. OFX with non-unique FITIDs): the ledger numbers identical
	 * ones within a file, and reports show them as weak. */
	char identity[128];
	int weak_identity;
};

#endif
