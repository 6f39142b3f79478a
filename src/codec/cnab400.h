/* CNAB 400 cobrança return (retorno) reader: pure, streaming over a byte
 * buffer, driven by a declarative layout (formats/cnab400-*.layout).
 * Structure checks (header first, trailer last, record sequence 395-400,
 * retorno vs remessa) live here; field positions and the meaning of the
 * amounts live in the layout. Same contract as cnab240_parse: one
 * struct bank_event per title (a detail record plus the extra records of
 * other types that follow it), delivered through cnab_event_fn. */
#ifndef CONCILIA_CNAB400_H
#define CONCILIA_CNAB400_H

#include <stddef.h>
#include "codec/cnab240.h" /* struct cnab_file_info, cnab_event_fn */
#include "codec/layout.h"
#include "core/diag.h"

/* Parses buf as a CNAB 400 cobrança return. layout may be NULL to pick the
 * built-in layout of family cnab400 for the header's bank (positions
 * 77-79), else the generic one. filename is only used in diagnostics.
 * Warnings (short records padded, sequence gaps, odd service code ...) go
 * to warn. info->lotes is 0 and info->layout_version 0 (CNAB 400 has
 * neither). Returns 0, or -1 with err set to the first fatal problem
 * ("FILE:LINE:COL: field 'valor_pago': expected digits, found \"12A4\"").
 * Events already delivered before a failure must be discarded by the
 * caller. */
int cnab400_parse(const struct layout *layout, const char *filename, const unsigned char *buf,
		  size_t len, struct cnab_file_info *info, cnab_event_fn on_event, void *ctx,
		  diag_sink warn, void *wctx, struct diag *err);

#endif
