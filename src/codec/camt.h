/* ISO 20022 bank-to-customer statements (camt.053) and debit/credit
 * notifications (camt.054), versions 001.02 to 001.08: money in becomes
 * statement events (reference/pix.md §9).
 *
 * Pure and streaming: bytes in, one event per transaction out, no
 * database, no clock, memory independent of the file size (libxml2's SAX
 * parser; nothing but the current entry is kept). Hardened: documents with
 * a DOCTYPE are refused before libxml2 sees them (no entity expansion, no
 * external entities, no DTD), no network, depth, text and size limits.
 *
 * What becomes an event:
 *   - a booked credit (CdtDbtInd CRDT, Sts BOOK): EVENT_CREDIT, one per
 *     transaction (NtryDtls/TxDtls; a batched entry has several);
 *   - a booked debit that gives back a credit (RvslInd true, return
 *     information RtrInf, bank transaction sub-family RRTN): EVENT_REVERSAL;
 *   - everything else (plain debits, pending or informative entries,
 *     credits that reverse a debit or bring back a returned payment) is
 *     not money received: counted in struct camt_stats and reported as a
 *     note (DIAG_NOTE) to the warning sink, never an event. */
#ifndef CONCILIA_CAMT_H
#define CONCILIA_CAMT_H

#include <stddef.h>

#include "codec/bank_file.h"
#include "codec/cnab240.h"
#include "core/diag.h"

/* Largest file read: a 100 000-entry statement is about 150 MB. */
#define CAMT_MAX_BYTES ((size_t)1 << 30)
/* Deepest element nesting accepted (camt itself needs about 12). */
#define CAMT_MAX_DEPTH 64
/* Longest text of an element concilia reads (schema maximum: 500). */
#define CAMT_MAX_TEXT 4096
/* Most transactions (TxDtls) in one entry: they are kept until the entry
 * ends, to check that they add up to it. */
#define CAMT_MAX_TX_PER_ENTRY 10000

/* The reader registered in bank_file.c (family "camt"): BRL accounts only. */
extern const struct statement_reader camt_reader;

/* 1 when buf looks like a camt document (XML with an ISO 20022 camt
 * namespace near the start), 0 otherwise. */
int camt_sniff(const unsigned char *buf, size_t len);

struct camt_options {
	/* 0 (what import does): an account, balance or entry in another
	 * currency than BRL refuses the file, naming it, since such amounts
	 * cannot be matched against receivables in reais. 1: read any
	 * currency, the amount in hundredths of its unit (the interop tests
	 * read the European samples this way). */
	int any_currency;
};

/* What was found, beyond the events. */
struct camt_stats {
	long statements;          /* Stmt / Ntfctn blocks */
	long entries;             /* Ntry, all of them */
	long credits, reversals;  /* events delivered */
	long debits;              /* booked debits that are not returns: skipped */
	long not_booked;          /* Sts other than BOOK (PDNG, INFO, FUTR): skipped */
	long credits_not_payment; /* credits reversing a debit or returning our payment: skipped */
	long balance_checks;      /* statements whose opening + entries = closing was checked */
};

/* Reads a camt.053/054 document with the contract of cnab240_parse: info
 * gets bank (the COMPE code of the account servicer's ISPB, 0 when
 * unknown), agreement (the account: IBAN or Othr/Id, its last 20
 * characters when longer), generated (creation date of the first
 * statement), layout_name (the exact message version, "camt.053.001.08"),
 * lotes (statements), records (entries) and titles (entries that gave
 * events). opt and stats may be NULL (defaults: BRL only). Errors name the
 * element path relative to Stmt/Ntfctn ("Ntry/Amt") at the element's line
 * and column. Returns 0, or -1 with err. */
int camt_parse_with(const struct camt_options *opt, const char *filename, const unsigned char *buf,
                    size_t len, struct cnab_file_info *info, struct camt_stats *stats, cnab_event_fn on_event,
                    void *ctx, diag_sink warn, void *wctx, struct diag *err);

/* camt_parse_with with the defaults: the statement_reader entry point. */
int camt_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
               cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err);

#endif
