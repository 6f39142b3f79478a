/* Boleto second copy as a printed page: A4 portrait, recibo do pagador on
 * top, a dashed cut line, the ficha de compensação at the bottom with the
 * Interleaved 2 of 5 barcode at FEBRABAN size and, for a boleto híbrido,
 * the bank's Pix QR (reference/boleto.md §7). One drawing function, three
 * surfaces (PDF, PNG, SVG). Pure: no database, no clock, no amounts
 * computed here (mora, discounts and the total come in as given), nothing
 * re-derived: the barcode and linha come from codec/boleto*.c and are only
 * checked for consistency. */
#ifndef CONCILIA_BOLETO_RENDER_H
#define CONCILIA_BOLETO_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/diag.h"

/* A4 in PostScript points, the user units boleto_render_draw expects. */
#define BOLETO_RENDER_PAGE_W_PT (210.0 * 72.0 / 25.4)
#define BOLETO_RENDER_PAGE_H_PT (297.0 * 72.0 / 25.4)

#define BOLETO_RENDER_MAX_INSTRUCTIONS 8
#define BOLETO_RENDER_PIX_MAX          512 /* EMV QR payload limit */

/* Beneficiário, pagador or sacador/avalista. Strings are UTF-8; NULL or
 * "" leaves the part blank. */
struct boleto_party {
	const char *name;
	const char *document; /* CPF/CNPJ, punctuated or not (checked by taxid_normalize): the
	                         beneficiary's printed in full, the payer's masked (taxid_mask, LGPD) */
	const char *address;  /* street, number, complement, district */
	const char *cep;      /* 8 digits, printed 01310-100; other text as is */
	const char *city;
	const char *uf;
};

/* One second copy, as printed. Every string is UTF-8 and optional unless
 * said; money is centavos; the five adjustment boxes of the ficha print
 * blank when 0 (banks leave them blank rather than print R$ 0,00). Dates
 * left blank must be CDATE_NONE: a zeroed cdate is 1970-01-01 and is
 * refused. */
struct boleto_copy {
	int bank;              /* COMPE code (required) */
	char bank_dv;          /* DV printed after the code ("341-7"); 0 = from the table of
	                          known banks (boleto_render_bank_dv) */
	const char *bank_name; /* logo area; NULL = the codec's name of the bank */

	const char *barcode; /* 44 digits (required), from boleto_encode or the bank */
	const char *linha;   /* 47 digits (required), must be the barcode's */

	struct boleto_party beneficiary; /* name, document and address required (Lei 12.039/2009) */
	const char *agency_code;         /* "Agência / Código do beneficiário" as the bank writes it */
	struct boleto_party payer;       /* name required */
	struct boleto_party guarantor;   /* sacador/avalista, usually blank */

	const char *nosso_numero;     /* as printed, with its DV ("110/12345678-8"); required */
	const char *numero_documento; /* the beneficiary's own number */
	const char *especie_doc;      /* "DM", "DS", "NP"...; NULL = "DM" */
	const char *aceite;           /* "N" or "S"; NULL = "N" */
	const char *carteira;
	const char *especie_moeda; /* NULL = "R$" */
	const char *uso_banco;
	const char *local_pagamento; /* NULL = "Pagável em qualquer banco" */

	cdate document_date;   /* CDATE_NONE = blank */
	cdate processing_date; /* CDATE_NONE = blank */
	cdate due_date;        /* CDATE_NONE = "Contra apresentação" */

	int64_t amount_cents;    /* (=) Valor do documento (required, >= 0) */
	int64_t discount_cents;  /* (-) Desconto / Abatimento */
	int64_t deduction_cents; /* (-) Outras deduções */
	int64_t mora_cents;      /* (+) Mora / Multa */
	int64_t addition_cents;  /* (+) Outros acréscimos */
	int64_t charged_cents;   /* (=) Valor cobrado */
	cdate charges_date;      /* the payment date the computed boxes hold: printed as
	                            "Valores para pagamento em DD/MM/AAAA"; CDATE_NONE = none */

	const char *instructions[BOLETO_RENDER_MAX_INSTRUCTIONS]; /* lines, texto de
	                             responsabilidade do beneficiário; NULL ends the list */

	const char *pix_payload; /* the bank's dynamic BR Code (boleto híbrido); NULL = no QR.
	                            Never a static QR invented for a registered slip. */
};

/* The DV printed after a bank's code, for the banks whose printed code is
 * known ('7' for 341, 'X' for 748, '0' for 104), or 0. Printed codes are
 * data: one mod-11 rule gives most of them but not all (Caixa prints
 * 104-0 where the rule's remainder would give X). */
char boleto_render_bank_dv(int bank);

/* Checks a copy before drawing: required fields, valid UTF-8 everywhere,
 * 44-digit barcode with valid DVs, linha equal to the barcode's, value and
 * fator de vencimento of the barcode equal to amount_cents and due_date
 * (a zero value or factor 0000 in the code is accepted), the five boxes
 * adding up to the valor cobrado when it is given, a Pix payload of at most
 * BOLETO_RENDER_PIX_MAX bytes. Returns 0, or -1 with d (field = the member's
 * name; d must not be NULL, here and below). */
int boleto_render_check(const struct boleto_copy *c, struct diag *d);

struct _cairo;

/* Draws one page. The context's user units must be PostScript points
 * with the page's top-left corner at the origin (as a new PDF or SVG
 * surface of BOLETO_RENDER_PAGE_W_PT x BOLETO_RENDER_PAGE_H_PT gives);
 * the state is saved and restored. Checks the copy first (no drawing
 * when that fails). Returns 0, or -1 with d. */
int boleto_render_draw(struct _cairo *cr, const struct boleto_copy *c, struct diag *d);

enum boleto_render_format {
	BOLETO_RENDER_PDF = 1,
	BOLETO_RENDER_PNG = 2,
	BOLETO_RENDER_SVG = 3,
};

/* ".pdf", ".png", ".svg" (any case) at the end of path, or 0. */
enum boleto_render_format boleto_render_format_of(const char *path);

#define BOLETO_RENDER_DEFAULT_DPI 300

/* Writes n copies, one page each, to path in the format its extension
 * names. PDF takes any n >= 1; PNG and SVG hold one page, so n must be 1.
 * dpi is for PNG only (0 = BOLETO_RENDER_DEFAULT_DPI; 72..1200; at 300
 * a barcode module is exactly 3 pixels). Every copy is checked before
 * the file is created. Returns 0, or -1 with d (file = path when the
 * write failed). */
int boleto_render_file(const struct boleto_copy *copies, size_t n, const char *path, int dpi, struct diag *d);

/* Same, to a sink: write(ctx, bytes, len) returns 0 on success. */
typedef int (*boleto_render_sink)(void *ctx, const unsigned char *bytes, size_t len);
int boleto_render_stream(const struct boleto_copy *copies, size_t n, enum boleto_render_format fmt, int dpi,
                         boleto_render_sink sink, void *ctx, struct diag *d);

/* Drops cairo's font caches (fontconfig patterns, glyph caches). Call at
 * most once, at exit, after the last render: it keeps leak checkers quiet
 * and is never needed for correctness. */
void boleto_render_release(void);

#endif
