/* CNAB 240 cobrança return (retorno) reader: pure, streaming over a byte
 * buffer, driven by a declarative layout (formats/cnab240-*.layout).
 * Structure checks (record order, lote numbering, T/U pairing, trailer
 * counts, retorno vs remessa) live here; field positions live in the layout. */
#ifndef CONCILIA_CNAB240_H
#define CONCILIA_CNAB240_H

#include <stddef.h>
#include "codec/bank_event.h"
#include "codec/layout.h"
#include "core/diag.h"

struct cnab_file_info {
	int bank;                 /* header 1-3 */
	char bank_name[31];
	char company_name[31];
	char company_document[15];
	char agreement[81];       /* convênio, trimmed; statements: the account or Pix key */
	char agency[7];
	char account[14];
	cdate generated;          /* generation date */
	long nsa;                 /* file sequence number */
	int layout_version;
	long records;             /* physical records read (excluding blank tail lines) */
	long lotes;
	long titles;              /* T/U groups */
	const char *layout_name;  /* the layout actually used */
};

/* Called once per title (T + U [+ Y...]); return non-zero to stop (the parse
 * then fails with the callback's diag, if it set one, else a generic one). */
typedef int (*cnab_event_fn)(void *ctx, const struct bank_event *ev, struct diag *d);

/* Parses buf as a CNAB 240 cobrança return. layout may be NULL to pick the
 * built-in one for the header's bank. filename is only used in diagnostics.
 * Warnings (short lines padded, odd retorno flag ...) go to warn.
 * Returns 0, or -1 with err set to the first fatal problem
 * ("FILE:LINE:COL: field 'valor_pago': expected digits, found \"12A4\"").
 * Events already delivered before a failure must be discarded by the caller
 * (the ledger does that by rolling back the file's transaction). */
int cnab240_parse(const struct layout *layout, const char *filename, const unsigned char *buf,
		  size_t len, struct cnab_file_info *info, cnab_event_fn on_event, void *ctx,
		  diag_sink warn, void *wctx, struct diag *err);

#endif
