/* Inside the camt reader: what camt.c (the XML walk) collects of a
 * statement and of one entry, handed to camt_entry.c (what the entry
 * means: events, amounts, identities) and camt_value.c (the text forms of
 * amounts, dates and identifiers). Not for other modules. */
#ifndef CONCILIA_CAMT_INTERNAL_H
#define CONCILIA_CAMT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "codec/bank_event.h"
#include "codec/camt.h"
#include "core/date.h"
#include "core/diag.h"

#define CAMT_ID_MAX 35 /* ISO 20022 Max35Text: every reference we read */

/* A payer (Dbtr of a credit) or payee (Cdtr of a return). */
struct camt_party {
	char name[81];
	char doc[15];    /* CPF/CNPJ, bare characters, "" when none */
	int doc_partial; /* doc is masked ('*' = hidden digit) */
};

/* One NtryDtls/TxDtls. */
struct camt_tx {
	char e2e[CAMT_ID_MAX + 1];  /* Refs/EndToEndId */
	char txid[CAMT_ID_MAX + 1]; /* Refs/TxId */
	char instr[CAMT_ID_MAX + 1];
	char svcr_ref[CAMT_ID_MAX + 1]; /* Refs/AcctSvcrRef */
	char clr_ref[CAMT_ID_MAX + 1];
	char prtry_ref[CAMT_ID_MAX + 1];
	char cdtr_ref[CAMT_ID_MAX + 1]; /* first RmtInf/Strd/CdtrRefInf/Ref */
	int64_t amt, txamt;             /* TxDtls/Amt, AmtDtls/TxAmt/Amt */
	char amt_ccy[4], txamt_ccy[4];  /* "" when that amount is absent */
	struct camt_party dbtr, cdtr;
	char ustrd[141]; /* RmtInf/Ustrd, several joined by a space */
	int has_rtr;     /* RtrInf present: a returned payment */
	char rtr_reason[8];
	cdate accepted; /* RltdDts/AccptncDtTm */
	long line_end;  /* of </TxDtls> */
};

struct camt_entry {
	long line, line_end;
	int col;
	char ntry_ref[CAMT_ID_MAX + 1], svcr_ref[CAMT_ID_MAX + 1];
	int64_t amt;
	char ccy[4];
	int has_amt;
	int cdi;        /* +1 CRDT, -1 DBIT, 0 absent */
	int rvsl;       /* RvslInd true */
	char status[8]; /* "BOOK", "PDNG"... ("" when absent) */
	cdate booked, value;
	char domain[5], family[5], subfamily[5], prtry_code[CAMT_ID_MAX + 1]; /* BkTxCd */
	struct camt_tx *tx; /* TxDtls read so far (owned by the reader, reused) */
	size_t ntx;
};

/* The Stmt or Ntfctn being read. */
struct camt_stmt {
	char account[35]; /* IBAN or Othr/Id */
	char ccy[4];
	int bank; /* COMPE code, 0 when unknown */
	cdate created;
	/* opening (OPBD/PRCD) and closing (CLBD) booked balances */
	int has_open, has_close;
	int64_t open, close;
	char open_ccy[4], close_ccy[4];
	long close_line;
	int close_col;
	int64_t booked_sum; /* booked credits - booked debits */
	char sum_ccy[4];
	int sum_mixed; /* entries in more than one currency */
};

/* Where events and notes go, and the counts. */
struct camt_emit {
	const char *file;
	struct camt_options opt;
	struct camt_stats *stats;
	cnab_event_fn on_event;
	void *ctx;
	diag_sink warn;
	void *wctx;
	struct diag *err;
	struct bank_event ev; /* reused for every event */
	cdate fallback_date;  /* creation date of the statement or message */
};

/* Turns a finished entry into events (or a note when it is not money
 * received). Returns the number of events delivered, or -1 with em->err. */
long camt_entry_finish(struct camt_emit *em, struct camt_stmt *st, const struct camt_entry *e);

/* Reads one Othr/Id of a party: a valid CPF/CNPJ or a masked one becomes
 * its document (the first one wins). Returns 0, or -1 when the id looks
 * like a CPF/CNPJ but fails its check digits (*why says how), so that the
 * caller can warn. */
int camt_party_id(struct camt_party *p, const char *s, size_t len, const char **why);

/* A warning or a note about an entry or element, to em->warn. */
void camt_notice(struct camt_emit *em, enum diag_severity sev, long line, int col, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ---- camt_value.c: text forms */

/* An ISO 20022 amount: digits with an optional '.' and decimals, no sign,
 * no grouping, blanks around allowed. Decimals beyond the centavo must be
 * zeros. Returns 0 with *cents, or -1 with *why (a static English phrase
 * that completes "expected ..."), or -2 when a non-zero digit beyond the
 * centavo would be lost. */
int camt_amount_parse(const char *s, size_t len, int64_t *cents, const char **why);

/* xs:date "2026-11-24" (a zone suffix is ignored) or "20261124". */
int camt_date_parse(const char *s, size_t len, cdate *out);

/* xs:dateTime "2026-11-24T10:15:00[.fraction][Z|+hh:mm]" (also
 * "20261124T10:15:00"): the civil date in Brasília (UTC-3) when a zone is
 * given, the date as written otherwise. */
int camt_datetime_parse(const char *s, size_t len, cdate *out);

/* xs:boolean: 1, 0, or -1 when it is neither. */
int camt_bool_parse(const char *s, size_t len);

/* Copies text with blanks trimmed and inner runs of white space made one
 * space, cut at a UTF-8 character boundary to fit n. */
void camt_text_copy(char *dst, size_t n, const char *s, size_t len);

/* Pix identifiers (reference/pix.md §6): an endToEndId is 32 letters and
 * digits; a devolução id (rtrId) is one that starts with 'D'. A txid is 1
 * to 35 letters and digits. */
int camt_is_pix_id(const char *s);
int camt_is_refund_id(const char *s);
int camt_is_txid(const char *s);

#endif
