/* OFX bank statements (OFX 1.x SGML and OFX 2.x XML) as Brazilian banks
 * export them: each credit becomes an EVENT_CREDIT, each Pix devolução or
 * estorno an EVENT_REVERSAL; other debits are counted and skipped. Pure:
 * bytes in, events out (README "OFX statements" describes every rule). */
#ifndef CONCILIA_OFX_H
#define CONCILIA_OFX_H

#include <stddef.h>
#include <stdint.h>
#include "codec/bank_file.h"
#include "codec/cnab240.h"
#include "core/date.h"
#include "core/diag.h"

/* The entry for bank_file.c's table of statement readers (family "ofx"). */
extern const struct statement_reader ofx_statement_reader;

/* 1 when buf starts (after a BOM and blank lines) with an OFX 1.x header
 * "OFXHEADER:", a bare <OFX> element, or an XML prolog holding <?OFX ...?>
 * or an <OFX> root. */
int ofx_sniff(const unsigned char *buf, size_t len);

/* Same contract as cnab240_parse. info: bank = BANKID when it is a bank
 * code (1-999, else 0), agreement = "BRANCHID/ACCTID" (or ACCTID),
 * generated = DTSERVER (else DTEND), layout_name = "OFX 1.02 SGML",
 * "OFX 2.1.1 XML" ..., titles = records = transactions read. */
int ofx_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
              cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err);

/* TRNAMT as banks write it: "-12.34", "12,34", "            -11,76",
 * "R$ 0,11", "-R$ 1.234,56", "+5". A lone separator is the decimal one
 * (OFX has no grouping); grouping is read only next to "R$" or when both
 * '.' and ',' occur (money_parse_decimal). Decimals past the second must be
 * zeros. Returns 0 with *cents, or -1 with *why (static text). */
int ofx_parse_amount(const char *s, size_t len, int64_t *cents, const char **why);

/* An OFX date-time "YYYYMMDD[HHMM[SS[.XXX]]][[+-H[.MM][:LABEL]]]": the
 * civil date as written (the bank's posting date; the time and zone never
 * move it). Returns 0 when all of it is well formed, 1 when the date is
 * good but what follows is not (*why says what), -1 when there is no
 * valid date (all zeros included). */
int ofx_parse_datetime(const char *s, size_t len, cdate *date, const char **why);

#endif
