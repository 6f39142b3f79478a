/* Boleto second copy: the page layout (recibo do pagador, cut line, ficha
 * de compensação) drawn once on any cairo context, and the PDF, PNG and
 * SVG surfaces that receive it. Field order and sizes: reference/boleto.md
 * §7. Everything is laid out in millimetres from the page's top-left
 * corner; the only raster-specific care (whole-pixel modules) lives in
 * i2of5.c and qr_draw.c. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "core/money.h"
#include "core/taxid.h"
#include "render/boleto_render.h"
#include "render/i2of5.h"
#include "render/qr_draw.h"

#define PT_PER_MM (72.0 / 25.4)

/* ---- page geometry (mm) ---- */

#define PAGE_W   210.0
#define PAGE_H   297.0
#define LEFT     10.0 /* ficha 190 mm wide: inside FEBRABAN's 170-216 */
#define RIGHT    200.0
#define RCOL     47.0 /* the right-hand column: vencimento, valores */
#define XR       (RIGHT - RCOL)
#define FICHA_Y  180.0 /* ficha from here to 287: 107 mm, inside 95-108 */
#define NOTES_Y  12.0  /* printing instructions */
#define RECIBO_Y 92.0  /* recibo do pagador: ends ~12 mm above the cut line */

/* header row: logo | code-DV | linha */
#define HEAD_H    10.0
#define LOGO_W    40.0
#define CODE_W    24.0
#define ROW_H     7.0
#define BENEF_H   10.0
#define INSTR_ROW 6.2 /* five boxes in the right column */
#define PAYER_H   14.5

/* type sizes (mm, em size) */
#define SZ_LABEL 1.7 /* field captions */
#define SZ_VALUE 2.7
#define SZ_SMALL 2.4
#define SZ_LINHA 4.3 /* linha digitável, bold: digits ~3.1 mm high */
#define SZ_CODE  6.5 /* bank code-DV, bold: digits ~4.7 mm high */
#define SZ_AUTH  1.9 /* "Autenticação mecânica": at most 2 mm */

#define LINE_THIN  0.18
#define LINE_THICK 0.55

#define FONT "DejaVu Sans"

/* ---- the bank's printed code ---- */

/* Printed code-DV of banks whose slips we have seen or whose manuals give
 * it. Kept as data rather than derived: the usual mod-11 rule maps the
 * remainder 10 to X for Sicredi (748-X) but Caixa prints 104-0. */
static const struct {
	short bank;
	char dv;
} bank_dvs[] = {
    {1, '9'},   {4, '3'},   {21, '3'},  {33, '7'},  {41, '8'},  {70, '1'},  {77, '9'},  {104, '0'},
    {136, '8'}, {237, '2'}, {336, '0'}, {341, '7'}, {422, '7'}, {707, '2'}, {748, 'X'}, {756, '0'},
};

char boleto_render_bank_dv(int bank)
{
	for (size_t i = 0; i < sizeof bank_dvs / sizeof bank_dvs[0]; i++)
		if (bank_dvs[i].bank == bank)
			return bank_dvs[i].dv;
	return 0;
}

/* ---- checking ---- */

/* Well-formed UTF-8 without C0 controls or DEL: what cairo can show on
 * one line. An invalid byte would put the whole context in an error
 * state and lose the page. Returns the 1-based offset of the first bad
 * byte, or 0. */
static size_t utf8_bad(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i]) {
		unsigned c = p[i];
		size_t k;
		unsigned cp;
		if (c < 0x20 || c == 0x7f)
			return i + 1;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return i + 1;
		}
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return i + j + 1;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp > 0x10ffff)
			return i + 1;
		/* C1 controls */
		if (cp >= 0x80 && cp < 0xa0)
			return i + 1;
		i += k + 1;
	}
	return 0;
}

static int blank(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static int check_text(const char *s, const char *field, int required, struct diag *d)
{
	size_t bad;

	if (blank(s))
		return required ? diag_set(d, DIAG_ERROR, NULL, 0, 0, field, "required") : 0;
	if ((bad = utf8_bad(s)) != 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, (int)(bad < 100000 ? bad : 100000), field,
		                "not printable UTF-8 text (byte 0x%02x at offset %zu)",
		                (unsigned char)s[bad - 1], bad);
	return 0;
}

static int check_party(const struct boleto_party *p, const char *prefix, int need_doc, int need_addr,
                       struct diag *d)
{
	char field[64];
	const struct {
		const char *name, *value;
		int required;
	} parts[] = {
	    {"name", p->name, 1}, {"document", p->document, need_doc}, {"address", p->address, need_addr},
	    {"cep", p->cep, 0},   {"city", p->city, need_addr},        {"uf", p->uf, 0},
	};

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		snprintf(field, sizeof field, "%s.%s", prefix, parts[i].name);
		if (check_text(parts[i].value, field, parts[i].required, d) != 0)
			return -1;
	}
	if (!blank(p->document)) {
		char norm[24];
		const char *why;
		snprintf(field, sizeof field, "%s.document", prefix);
		if (taxid_normalize(p->document, strlen(p->document), norm, &why) == TAXID_NONE)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, field, "'%s': %s", p->document, why);
	}
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

static int check_money(int64_t v, const char *field, struct diag *d)
{
	if (v < 0 || v > BOLETO_MAX_CENTS)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, field, "%lld centavos is outside 0..%lld",
		                (long long)v, (long long)BOLETO_MAX_CENTS);
	return 0;
}

int boleto_render_check(const struct boleto_copy *c, struct diag *d)
{
	struct boleto_info info;
	char linha[BOLETO_LINHA_LEN + 1];

	diag_clear(d);
	if (c->bank < 1 || c->bank > 999)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank", "%d is not a COMPE code (1..999)",
		                c->bank);
	if (c->bank_dv == 0 && boleto_render_bank_dv(c->bank) == 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank_dv",
		                "the printed check digit of bank %03d is not known: give it", c->bank);
	if (c->bank_dv != 0 && !((c->bank_dv >= '0' && c->bank_dv <= '9') || c->bank_dv == 'X'))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank_dv", "must be a digit or X");
	if (check_text(c->bank_name, "bank_name", 0, d) != 0)
		return -1;
	if (blank(c->bank_name) && boleto_bank_name_of(c->bank) == NULL)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank_name",
		                "bank %03d has no known name: give it", c->bank);

	/* the codes: checked, never repaired or re-derived */
	if (c->barcode == NULL || strlen(c->barcode) != BOLETO_BARCODE_LEN ||
	    !all_digits(c->barcode, BOLETO_BARCODE_LEN))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "barcode", "must be 44 digits");
	if (boleto_check(c->barcode, BOLETO_BARCODE_LEN, c->due_date != CDATE_NONE ? c->due_date : 0, &info,
	                 d) != 0)
		return -1;
	if (info.kind != BOLETO_BANCARIO)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "barcode", "an arrecadação code is not a boleto");
	if (info.bank != c->bank)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "barcode", "belongs to bank %03d, not %03d",
		                info.bank, c->bank);
	if (c->linha == NULL || strlen(c->linha) != BOLETO_LINHA_LEN ||
	    !all_digits(c->linha, BOLETO_LINHA_LEN))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "linha", "must be 47 digits");
	boleto_barcode_to_linha(c->barcode, linha);
	if (memcmp(linha, c->linha, BOLETO_LINHA_LEN) != 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "linha", "is not the barcode's (expected %s)",
		                linha);

	if (check_money(c->amount_cents, "amount_cents", d) ||
	    check_money(c->discount_cents, "discount_cents", d) ||
	    check_money(c->deduction_cents, "deduction_cents", d) ||
	    check_money(c->mora_cents, "mora_cents", d) ||
	    check_money(c->addition_cents, "addition_cents", d) ||
	    check_money(c->charged_cents, "charged_cents", d))
		return -1;
	if (info.amount_cents != 0 && info.amount_cents != c->amount_cents)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "amount_cents",
		                "%lld centavos, but the barcode holds %lld", (long long)c->amount_cents,
		                (long long)info.amount_cents);
	if (info.factor != 0 && c->due_date != CDATE_NONE &&
	    boleto_factor_from_date(c->due_date) != info.factor) {
		char due[16];
		date_format_br(c->due_date, due, sizeof due);
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "due_date",
		                "%s has fator %04d, but the barcode holds %04d", due,
		                boleto_factor_from_date(c->due_date), info.factor);
	}
	/* The boxes are printed as given; they must at least add up, or the
	 * payer reads one total and the bank charges another. */
	if (c->charged_cents != 0 && c->charged_cents != c->amount_cents - c->discount_cents -
	                                                     c->deduction_cents + c->mora_cents +
	                                                     c->addition_cents)
		return diag_set(
		    d, DIAG_ERROR, NULL, 0, 0, "charged_cents",
		    "valor cobrado %lld is not documento - desconto - deduções + mora + acréscimos",
		    (long long)c->charged_cents);

	/* a zero-initialized cdate is 1970-01-01, not "blank": refuse dates
	 * no boleto can carry rather than print them */
	const struct {
		const char *name;
		cdate v;
	} dates[] = {
	    {"document_date", c->document_date},
	    {"processing_date", c->processing_date},
	    {"due_date", c->due_date},
	    {"charges_date", c->charges_date},
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		if (dates[i].v != CDATE_NONE && dates[i].v < BOLETO_FACTOR_BASE)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, dates[i].name,
			                "before 1997-10-07: unset? (CDATE_NONE leaves it blank)");
	if (check_party(&c->beneficiary, "beneficiary", 1, 1, d) || check_party(&c->payer, "payer", 0, 0, d))
		return -1;
	if (!blank(c->guarantor.name) || !blank(c->guarantor.document))
		if (check_party(&c->guarantor, "guarantor", 0, 0, d))
			return -1;
	const struct {
		const char *name, *value;
		int required;
	} texts[] = {
	    {"agency_code", c->agency_code, 1},
	    {"nosso_numero", c->nosso_numero, 1},
	    {"numero_documento", c->numero_documento, 0},
	    {"especie_doc", c->especie_doc, 0},
	    {"aceite", c->aceite, 0},
	    {"carteira", c->carteira, 0},
	    {"especie_moeda", c->especie_moeda, 0},
	    {"uso_banco", c->uso_banco, 0},
	    {"local_pagamento", c->local_pagamento, 0},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (check_text(texts[i].value, texts[i].name, texts[i].required, d) != 0)
			return -1;
	for (size_t i = 0; i < BOLETO_RENDER_MAX_INSTRUCTIONS && c->instructions[i]; i++) {
		char field[32];
		snprintf(field, sizeof field, "instructions[%zu]", i);
		if (check_text(c->instructions[i], field, 0, d) != 0)
			return -1;
	}
	if (c->pix_payload != NULL) {
		if (check_text(c->pix_payload, "pix_payload", 1, d) != 0)
			return -1;
		/* EMV QR (the BR Code's base) caps a payload at 512 characters;
		 * far below what a QR holds at level M (2331 bytes), so the
		 * check needs no trial encoding */
		if (strlen(c->pix_payload) > BOLETO_RENDER_PIX_MAX)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix_payload",
			                "%zu bytes: a BR Code has at most %d", strlen(c->pix_payload),
			                BOLETO_RENDER_PIX_MAX);
	}
	return 0;
}

/* ---- drawing helpers (mm) ---- */

enum align { AL_LEFT, AL_RIGHT, AL_CENTER };
/* What a string too wide for its box may lose: names and addresses a
 * tail (with an ellipsis), codes, dates and amounts nothing (they are
 * condensed, then set smaller, but every character stays). */
enum fit { FIT_CUT, FIT_KEEP };

/* The two faces, looked up once per process: a page selects a font some
 * eighty times, and each cairo_select_font_face is a fontconfig-backed
 * lookup by name. Released by boleto_render_release. */
static cairo_font_face_t *faces[2];

static void font(cairo_t *cr, double size, int bold)
{
	if (!faces[bold])
		faces[bold] = cairo_toy_font_face_create(
		    FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_face(cr, faces[bold]);
	cairo_set_font_size(cr, size);
}

/* Shows s with its baseline at y inside [x, x + w]. Too wide: first
 * condensed (down to 80 %, as narrow faces do), then by fit: cut at a
 * character boundary with an ellipsis, or scaled down whole. Never spills
 * into the next box. */
static void text_fit(cairo_t *cr, double x, double y, double w, enum align al, enum fit fit, const char *s)
{
	cairo_text_extents_t e;
	char buf[512];
	double sx = 1.0, sy = 1.0, adv;
	size_t len;

	if (blank(s))
		return;
	len = strlen(s);
	if (len >= sizeof buf)
		len = sizeof buf - 4;
	memcpy(buf, s, len);
	buf[len] = '\0';
	cairo_text_extents(cr, buf, &e);
	adv = e.x_advance;
	if (adv > w && fit == FIT_KEEP) {
		/* condensed to 80 %, the rest by size: sx / sy stays >= 0.8 */
		sx = w / adv;
		sy = sx >= 0.8 ? 1.0 : sx / 0.8;
	} else if (adv > w) {
		sx = w / adv < 0.8 ? 0.8 : w / adv;
		while (adv * sx > w && len > 0) {
			/* drop the last character and append an ellipsis */
			do
				len--;
			while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80);
			while (len > 0 && buf[len - 1] == ' ')
				len--;
			memcpy(buf + len, "\xe2\x80\xa6", 4);
			cairo_text_extents(cr, buf, &e);
			adv = e.x_advance;
		}
	}
	adv *= sx;
	cairo_save(cr);
	cairo_move_to(cr, al == AL_LEFT ? x : al == AL_RIGHT ? x + w - adv : x + (w - adv) / 2, y);
	if (sx != 1.0 || sy != 1.0)
		cairo_scale(cr, sx, sy);
	cairo_show_text(cr, buf);
	cairo_restore(cr);
}

static void text(cairo_t *cr, double x, double y, double w, enum align al, const char *s)
{
	text_fit(cr, x, y, w, al, FIT_CUT, s);
}

/* Codes, dates and amounts: every character kept. */
static void code(cairo_t *cr, double x, double y, double w, enum align al, const char *s)
{
	text_fit(cr, x, y, w, al, FIT_KEEP, s);
}

static void line(cairo_t *cr, double x1, double y1, double x2, double y2, double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x1, y1);
	cairo_line_to(cr, x2, y2);
	cairo_stroke(cr);
}

/* The form's rules, collected and stroked once per width at the end: on
 * a PDF every stroke is an operation with its own state and bookkeeping,
 * and a page has some fifty of them. */
#define MAX_RULES 96
struct rules {
	double seg[MAX_RULES][4];
	unsigned char thick[MAX_RULES];
	int n;
};

static void rule(struct rules *ru, double x1, double y1, double x2, double y2, double width)
{
	if (ru->n == MAX_RULES)
		return; /* the layout has fewer; a debug build would trip the test's pixel checks */
	ru->seg[ru->n][0] = x1;
	ru->seg[ru->n][1] = y1;
	ru->seg[ru->n][2] = x2;
	ru->seg[ru->n][3] = y2;
	ru->thick[ru->n] = width == LINE_THICK;
	ru->n++;
}

static void rules_stroke(cairo_t *cr, struct rules *ru)
{
	for (int thick = 0; thick <= 1; thick++) {
		for (int i = 0; i < ru->n; i++)
			if (ru->thick[i] == thick) {
				cairo_move_to(cr, ru->seg[i][0], ru->seg[i][1]);
				cairo_line_to(cr, ru->seg[i][2], ru->seg[i][3]);
			}
		cairo_set_line_width(cr, thick ? LINE_THICK : LINE_THIN);
		cairo_stroke(cr);
	}
	ru->n = 0;
}

#define PAD 1.0 /* text inset from a box's left and right lines */

/* A box's caption at its top-left corner. */
static void caption(cairo_t *cr, double x, double y, double w, const char *s)
{
	font(cr, SZ_LABEL, 0);
	text(cr, x + PAD, y + 2.0, w - 2 * PAD, AL_LEFT, s);
}

/* Caption plus one value on the box's bottom line; the value is a code,
 * date or amount and keeps every character. */
static void field(cairo_t *cr, double x, double y, double w, double h, const char *cap, const char *val,
                  enum align al, int bold)
{
	caption(cr, x, y, w, cap);
	font(cr, SZ_VALUE, bold);
	code(cr, x + PAD, y + h - 1.3, w - 2 * PAD, al, val);
}

/* Same for free text (a name, the local de pagamento), which may be cut. */
static void field_text(cairo_t *cr, double x, double y, double w, double h, const char *cap, const char *val)
{
	caption(cr, x, y, w, cap);
	font(cr, SZ_VALUE, 0);
	text(cr, x + PAD, y + h - 1.3, w - 2 * PAD, AL_LEFT, val);
}

/* ---- formatting ---- */

struct fmt {
	char bank_code[8]; /* "341-7" */
	char linha[BOLETO_LINHA_FMT_SIZE];
	char due[32]; /* "10/03/2026" or "Contra apresentação" */
	char doc_date[16], proc_date[16], charges_date[16];
	char amount[40], discount[40], deduction[40], mora[40], addition[40], charged[40];
	char benef_line[256]; /* "NAME - CNPJ 12.345.678/0001-95" */
	char benef_addr[256]; /* "street - CEP 01310-100 - São Paulo/SP" */
	char payer_line[256];
	char payer_addr[256];
	char payer_city[128];
	char guarantor[256];
	char charges_note[64];
	const char *bank_name;
};

static void money_box(int64_t cents, char *out, size_t n)
{
	char buf[40];

	if (cents == 0) {
		out[0] = '\0';
		return;
	}
	money_format_brl(cents, buf, sizeof buf);
	/* the espécie box says R$ already: print the figure alone */
	snprintf(out, n, "%s", strncmp(buf, "R$ ", 3) == 0 ? buf + 3 : buf);
}

static void cep_city(const struct boleto_party *p, char *out, size_t n)
{
	char cep[16] = "";
	size_t used = 0;

	if (!blank(p->cep)) {
		if (strlen(p->cep) == 8 && all_digits(p->cep, 8))
			snprintf(cep, sizeof cep, "%.5s-%.3s", p->cep, p->cep + 5);
		else
			snprintf(cep, sizeof cep, "%.15s", p->cep);
	}
	out[0] = '\0';
	if (cep[0])
		used += (size_t)snprintf(out + used, n - used, "CEP %s", cep);
	if (!blank(p->city) && used < n)
		used += (size_t)snprintf(out + used, n - used, "%s%s", used ? " - " : "", p->city);
	if (!blank(p->uf) && used < n)
		snprintf(out + used, n - used, "%s%s", blank(p->city) ? (used ? " - " : "") : "/", p->uf);
}

/* "NAME - CNPJ 12.345.678/0001-95"; masked (LGPD) for the payer. */
static void name_doc(const struct boleto_party *p, int mask, char *out, size_t n)
{
	char norm[24], doc[32];
	const char *why;
	enum taxid_kind k;

	if (blank(p->document)) {
		snprintf(out, n, "%s", blank(p->name) ? "" : p->name);
		return;
	}
	k = taxid_normalize(p->document, strlen(p->document), norm, &why);
	if (mask)
		taxid_mask(norm, doc, sizeof doc);
	else
		taxid_format(norm, doc, sizeof doc);
	snprintf(out, n, "%s%s%s %s", blank(p->name) ? "" : p->name, blank(p->name) ? "" : " - ",
	         k == TAXID_CPF ? "CPF" : "CNPJ", doc);
}

static void prepare(const struct boleto_copy *c, struct fmt *f)
{
	char city[128];
	char dv = c->bank_dv ? c->bank_dv : boleto_render_bank_dv(c->bank);

	snprintf(f->bank_code, sizeof f->bank_code, "%03d-%c", c->bank, dv);
	boleto_linha_format(c->linha, BOLETO_LINHA_LEN, f->linha);
	if (c->due_date == CDATE_NONE)
		snprintf(f->due, sizeof f->due, "%s", "Contra apresentação");
	else
		date_format_br(c->due_date, f->due, sizeof f->due);
	date_format_br(c->document_date, f->doc_date, sizeof f->doc_date);
	date_format_br(c->processing_date, f->proc_date, sizeof f->proc_date);
	date_format_br(c->charges_date, f->charges_date, sizeof f->charges_date);
	money_box(c->amount_cents, f->amount, sizeof f->amount);
	if (c->amount_cents == 0)
		snprintf(f->amount, sizeof f->amount, "0,00");
	money_box(c->discount_cents, f->discount, sizeof f->discount);
	money_box(c->deduction_cents, f->deduction, sizeof f->deduction);
	money_box(c->mora_cents, f->mora, sizeof f->mora);
	money_box(c->addition_cents, f->addition, sizeof f->addition);
	money_box(c->charged_cents, f->charged, sizeof f->charged);

	name_doc(&c->beneficiary, 0, f->benef_line, sizeof f->benef_line);
	cep_city(&c->beneficiary, city, sizeof city);
	snprintf(f->benef_addr, sizeof f->benef_addr, "%s%s%s",
	         blank(c->beneficiary.address) ? "" : c->beneficiary.address,
	         city[0] && !blank(c->beneficiary.address) ? " - " : "", city);
	name_doc(&c->payer, 1, f->payer_line, sizeof f->payer_line);
	snprintf(f->payer_addr, sizeof f->payer_addr, "%s", blank(c->payer.address) ? "" : c->payer.address);
	cep_city(&c->payer, f->payer_city, sizeof f->payer_city);
	name_doc(&c->guarantor, 0, f->guarantor, sizeof f->guarantor);
	f->charges_note[0] = '\0';
	if (c->charges_date != CDATE_NONE)
		snprintf(f->charges_note, sizeof f->charges_note, "Valores para pagamento em %s",
		         f->charges_date);
	f->bank_name = !blank(c->bank_name) ? c->bank_name : boleto_bank_name_of(c->bank);
}

static const char *or_default(const char *s, const char *def)
{
	return blank(s) ? def : s;
}

/* ---- the two parts ---- */

/* Bank name | code-DV | linha digitável (or a title), with the thick rule
 * under it that bank forms have. */
static void header(cairo_t *cr, struct rules *ru, double y, const struct fmt *f)
{
	double xc = LEFT + LOGO_W, xl = xc + CODE_W;

	/* logo area: the bank's name, bold, shrunk to fit */
	double size = 4.2;
	cairo_text_extents_t e;
	font(cr, size, 1);
	cairo_text_extents(cr, f->bank_name, &e);
	if (e.x_advance > LOGO_W - 2 && size * (LOGO_W - 2) / e.x_advance >= 3.0)
		size *= (LOGO_W - 2) / e.x_advance;
	else if (e.x_advance > LOGO_W - 2)
		size = 3.0;
	font(cr, size, 1);
	text(cr, LEFT + 0.5, y + HEAD_H - 2.2, LOGO_W - 1.5, AL_LEFT, f->bank_name);

	rule(ru, xc, y + 2.5, xc, y + HEAD_H, LINE_THICK);
	rule(ru, xl, y + 2.5, xl, y + HEAD_H, LINE_THICK);
	font(cr, SZ_CODE, 1);
	code(cr, xc, y + HEAD_H - 1.6, CODE_W, AL_CENTER, f->bank_code);

	font(cr, SZ_LINHA, 1);
	code(cr, xl + 1.0, y + HEAD_H - 2.0, RIGHT - xl - 1.0, AL_RIGHT, f->linha);
	rule(ru, LEFT, y + HEAD_H, RIGHT, y + HEAD_H, LINE_THICK);
}

/* Recibo do pagador: beneficiário (name, document, address), pagador,
 * nosso número, número do documento, vencimento, valor (the minimum of
 * reference/boleto.md §7) plus the adjustment boxes and instructions. */
static void recibo(cairo_t *cr, struct rules *ru, const struct boleto_copy *c, const struct fmt *f)
{
	double y = RECIBO_Y;
	double x;

	header(cr, ru, y, f);
	y += HEAD_H;

	/* beneficiário | agência / código */
	caption(cr, LEFT, y, XR - LEFT, "Beneficiário");
	font(cr, SZ_VALUE, 0);
	text(cr, LEFT + PAD, y + 5.0, XR - LEFT - 2 * PAD, AL_LEFT, f->benef_line);
	font(cr, SZ_SMALL, 0);
	text(cr, LEFT + PAD, y + 8.4, XR - LEFT - 2 * PAD, AL_LEFT, f->benef_addr);
	field(cr, XR, y, RCOL, BENEF_H, "Agência / Código do beneficiário", c->agency_code, AL_RIGHT, 0);
	rule(ru, XR, y, XR, y + BENEF_H, LINE_THIN);
	y += BENEF_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* pagador | nosso número */
	field_text(cr, LEFT, y, XR - LEFT, ROW_H, "Pagador", f->payer_line);
	field(cr, XR, y, RCOL, ROW_H, "Nosso número", c->nosso_numero, AL_RIGHT, 0);
	rule(ru, XR, y, XR, y + ROW_H, LINE_THIN);
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* nº documento | data documento | espécie | vencimento || valor */
	{
		const double w[] = {45, 30, 28, 40};
		const char *cap[] = {"Nº do documento", "Data do documento", "Espécie", "Vencimento"};
		const char *val[] = {c->numero_documento, f->doc_date, or_default(c->especie_moeda, "R$"),
		                     f->due};
		x = LEFT;
		for (int i = 0; i < 4; i++) {
			field(cr, x, y, w[i], ROW_H, cap[i], val[i], i == 3 ? AL_RIGHT : AL_LEFT, i == 3);
			x += w[i];
			rule(ru, x, y, x, y + ROW_H, LINE_THIN);
		}
		field(cr, XR, y, RCOL, ROW_H, "(=) Valor do documento", f->amount, AL_RIGHT, 1);
	}
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* the adjustment boxes in one row */
	{
		const char *cap[] = {"(-) Desconto / Abatimento", "(-) Outras deduções", "(+) Mora / Multa",
		                     "(+) Outros acréscimos"};
		const char *val[] = {f->discount, f->deduction, f->mora, f->addition};
		double w = (XR - LEFT) / 4;
		for (int i = 0; i < 4; i++) {
			field(cr, LEFT + i * w, y, w, ROW_H, cap[i], val[i], AL_RIGHT, 0);
			rule(ru, LEFT + (i + 1) * w, y, LEFT + (i + 1) * w, y + ROW_H, LINE_THIN);
		}
		field(cr, XR, y, RCOL, ROW_H, "(=) Valor cobrado", f->charged, AL_RIGHT, 1);
	}
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* instructions, the same text the ficha carries */
	caption(cr, LEFT, y, RIGHT - LEFT, "Instruções (texto de responsabilidade do beneficiário)");
	double ty = y + 5.0;
	font(cr, SZ_SMALL, 0);
	for (size_t i = 0; i < BOLETO_RENDER_MAX_INSTRUCTIONS && c->instructions[i]; i++, ty += 3.0)
		text(cr, LEFT + PAD, ty, RIGHT - LEFT - 2 * PAD, AL_LEFT, c->instructions[i]);
	if (f->charges_note[0]) {
		font(cr, SZ_SMALL, 1);
		text(cr, LEFT + PAD, ty, RIGHT - LEFT - 2 * PAD, AL_LEFT, f->charges_note);
	}
	y += 30.0;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);
	font(cr, SZ_AUTH, 0);
	text(cr, XR - 40, y + 3.0, RIGHT - XR + 40, AL_RIGHT, "Autenticação mecânica - Recibo do Pagador");
}

/* What banks print above the recibo of a second copy: how to print it so
 * that the barcode scans. */
static void printing_notes(cairo_t *cr, const struct boleto_copy *c, const struct fmt *f)
{
	const char *lines[] = {
	    "Imprima em papel A4 (210 x 297 mm), em impressora laser ou jato de tinta, sem ajustar a página "
	    "ao papel (escala 100%).",
	    "Evite o modo econômico: o código de barras só é lido com barras pretas e nítidas.",
	    "Corte na linha pontilhada. Não dobre, rasure nem fure a área do código de barras.",
	    c->pix_payload
	        ? "Pague em qualquer banco, app ou internet banking, pelo código de barras, pela linha "
	          "digitável ou pelo QR Code Pix."
	        : "Pague em qualquer banco, app ou internet banking, pelo código de barras ou pela "
	          "linha digitável.",
	};
	double y = NOTES_Y;

	font(cr, 3.0, 1);
	text(cr, LEFT, y + 3.0, RIGHT - LEFT, AL_LEFT, "Instruções de impressão");
	font(cr, SZ_SMALL, 0);
	y += 7.0;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++, y += 3.4)
		text(cr, LEFT, y, RIGHT - LEFT, AL_LEFT, lines[i]);
	if (f->proc_date[0]) {
		char buf[64];
		snprintf(buf, sizeof buf, "Segunda via emitida em %s.", f->proc_date);
		text(cr, LEFT, y, RIGHT - LEFT, AL_LEFT, buf);
	}
}

/* Dashed cut line across the page, a few millimetres above the ficha. */
static void cut_line(cairo_t *cr)
{
	const double dash[] = {1.6, 1.0};
	double y = FICHA_Y - 5.0;

	cairo_save(cr);
	cairo_set_dash(cr, dash, 2, 0);
	line(cr, LEFT + 4.0, y, PAGE_W - 5.0, y, LINE_THIN);
	cairo_restore(cr);
	font(cr, 3.4, 0);
	text(cr, LEFT - 1.0, y + 1.2, 5.0, AL_LEFT, "\xe2\x9c\x82"); /* U+2702 black scissors */
	font(cr, SZ_AUTH, 0);
	text(cr, LEFT, y - 1.0, RIGHT - LEFT, AL_RIGHT, "Corte na linha pontilhada");
}

static int ficha(cairo_t *cr, struct rules *ru, const struct boleto_copy *c, const struct fmt *f,
                 struct diag *d)
{
	double y = FICHA_Y, x;

	header(cr, ru, y, f);
	y += HEAD_H;

	/* 2. local de pagamento | vencimento */
	field_text(cr, LEFT, y, XR - LEFT, ROW_H, "Local de pagamento",
	           or_default(c->local_pagamento, "Pagável em qualquer banco"));
	field(cr, XR, y, RCOL, ROW_H, "Vencimento", f->due, AL_RIGHT, 1);
	rule(ru, XR, y, XR, y + ROW_H, LINE_THIN);
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* 3. beneficiário | agência / código do beneficiário */
	caption(cr, LEFT, y, XR - LEFT, "Beneficiário");
	font(cr, SZ_VALUE, 0);
	text(cr, LEFT + PAD, y + 5.0, XR - LEFT - 2 * PAD, AL_LEFT, f->benef_line);
	font(cr, SZ_SMALL, 0);
	text(cr, LEFT + PAD, y + 8.4, XR - LEFT - 2 * PAD, AL_LEFT, f->benef_addr);
	field(cr, XR, y, RCOL, BENEF_H, "Agência / Código do beneficiário", c->agency_code, AL_RIGHT, 0);
	rule(ru, XR, y, XR, y + BENEF_H, LINE_THIN);
	y += BENEF_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* 4. data doc | nº doc | espécie doc | aceite | data processamento | nosso número */
	{
		const double w[] = {28, 35, 18, 12, XR - LEFT - 93};
		const char *cap[] = {"Data do documento", "Nº do documento", "Espécie doc.", "Aceite",
		                     "Data processamento"};
		const char *val[] = {f->doc_date, c->numero_documento, or_default(c->especie_doc, "DM"),
		                     or_default(c->aceite, "N"), f->proc_date};
		x = LEFT;
		for (int i = 0; i < 5; i++) {
			field(cr, x, y, w[i], ROW_H, cap[i], val[i], AL_LEFT, 0);
			x += w[i];
			rule(ru, x, y, x, y + ROW_H, LINE_THIN);
		}
		field(cr, XR, y, RCOL, ROW_H, "Nosso número", c->nosso_numero, AL_RIGHT, 0);
	}
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* 5. uso do banco | carteira | espécie | quantidade | valor | valor do documento */
	{
		const double w[] = {28, 35, 18, 30, XR - LEFT - 111};
		const char *cap[] = {"Uso do banco", "Carteira", "Espécie", "Quantidade", "Valor"};
		const char *val[] = {c->uso_banco, c->carteira, or_default(c->especie_moeda, "R$"), "", ""};
		x = LEFT;
		for (int i = 0; i < 5; i++) {
			field(cr, x, y, w[i], ROW_H, cap[i], val[i], AL_LEFT, 0);
			x += w[i];
			rule(ru, x, y, x, y + ROW_H, LINE_THIN);
		}
		field(cr, XR, y, RCOL, ROW_H, "(=) Valor do documento", f->amount, AL_RIGHT, 1);
	}
	y += ROW_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* 6. instructions on the left; five adjustment boxes on the right */
	double instr_h = 5 * INSTR_ROW;
	double text_w = XR - LEFT - 2 * PAD;
	if (c->pix_payload) {
		/* the Pix QR (about 25 mm) sits at the right of this area with
		 * its caption to its left, in a 30 mm square that holds the
		 * symbol and its 4-module quiet zone */
		const double qs = 30.0, capw = 22.0;
		double qx = XR - 0.3 - qs, qy = y + (instr_h - qs) / 2;
		double cx = qx - capw;
		if (qr_draw(cr, qx, qy, qs, 4, c->pix_payload, QR_DRAW_M, d) < 0)
			return -1;
		font(cr, 3.2, 1);
		text(cr, cx, qy + 10.5, capw, AL_LEFT, "Pague com Pix");
		font(cr, SZ_LABEL + 0.2, 0);
		text(cr, cx, qy + 14.5, capw, AL_LEFT, "Aponte a câmera do");
		text(cr, cx, qy + 16.9, capw, AL_LEFT, "app do seu banco");
		text(cr, cx, qy + 19.3, capw, AL_LEFT, "para o QR Code.");
		text(cr, cx, qy + 21.7, capw, AL_LEFT, "Ou pague pelo código");
		text(cr, cx, qy + 24.1, capw, AL_LEFT, "de barras.");
		text_w = cx - 3.0 - LEFT - PAD;
	}
	caption(cr, LEFT, y, XR - LEFT, "Instruções (texto de responsabilidade do beneficiário)");
	double ty = y + 5.0;
	font(cr, SZ_SMALL, 0);
	for (size_t i = 0; i < BOLETO_RENDER_MAX_INSTRUCTIONS && c->instructions[i]; i++, ty += 2.9)
		text(cr, LEFT + PAD, ty, text_w, AL_LEFT, c->instructions[i]);
	if (f->charges_note[0]) {
		font(cr, SZ_SMALL, 1);
		text(cr, LEFT + PAD, ty, text_w, AL_LEFT, f->charges_note);
	}
	{
		const char *cap[] = {"(-) Desconto / Abatimento", "(-) Outras deduções", "(+) Mora / Multa",
		                     "(+) Outros acréscimos", "(=) Valor cobrado"};
		const char *val[] = {f->discount, f->deduction, f->mora, f->addition, f->charged};
		for (int i = 0; i < 5; i++) {
			double by = y + i * INSTR_ROW;
			field(cr, XR, by, RCOL, INSTR_ROW, cap[i], val[i], AL_RIGHT, i == 4);
			if (i > 0)
				rule(ru, XR, by, RIGHT, by, LINE_THIN);
		}
		rule(ru, XR, y, XR, y + instr_h, LINE_THIN);
	}
	y += instr_h;
	rule(ru, LEFT, y, RIGHT, y, LINE_THIN);

	/* 7. pagador (name, document, address, CEP, city, UF) and sacador/avalista */
	caption(cr, LEFT, y, RIGHT - LEFT, "Pagador");
	font(cr, SZ_VALUE, 0);
	text(cr, LEFT + PAD, y + 5.0, RIGHT - LEFT - 2 * PAD, AL_LEFT, f->payer_line);
	font(cr, SZ_SMALL, 0);
	text(cr, LEFT + PAD, y + 8.1, RIGHT - LEFT - 2 * PAD, AL_LEFT, f->payer_addr);
	text(cr, LEFT + PAD, y + 11.0, RIGHT - LEFT - 2 * PAD, AL_LEFT, f->payer_city);
	font(cr, SZ_LABEL, 0);
	text(cr, LEFT + PAD, y + PAYER_H - 0.9, 22.0, AL_LEFT, "Sacador/Avalista");
	font(cr, SZ_SMALL - 0.2, 0);
	text(cr, LEFT + 22.0, y + PAYER_H - 0.9, XR - LEFT - 23.0, AL_LEFT, f->guarantor);
	y += PAYER_H;
	rule(ru, LEFT, y, RIGHT, y, LINE_THICK);

	/* 8. barcode bottom left (5 mm quiet zone inside the ficha), caption
	 * bottom right */
	font(cr, SZ_AUTH, 0);
	text(cr, XR - 40, y + 2.6, RIGHT - XR + 40, AL_RIGHT, "Autenticação mecânica - Ficha de Compensação");
	if (i2of5_draw(cr, LEFT + I2OF5_QUIET_MM, y + 2.0, I2OF5_NARROW_MM, I2OF5_HEIGHT_MM, c->barcode,
	               BOLETO_BARCODE_LEN) < 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "barcode", "not drawable");
	return 0;
}

static int draw_checked(cairo_t *cr, const struct boleto_copy *c, struct diag *d)
{
	struct rules ru = {.n = 0};
	struct fmt f;
	int rc;

	prepare(c, &f);

	cairo_save(cr);
	cairo_scale(cr, PT_PER_MM, PT_PER_MM);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);

	printing_notes(cr, c, &f);
	recibo(cr, &ru, c, &f);
	cut_line(cr);
	rc = ficha(cr, &ru, c, &f, d);
	rules_stroke(cr, &ru);
	cairo_restore(cr);
	if (rc != 0)
		return -1;
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "drawing failed: %s",
		                cairo_status_to_string(cairo_status(cr)));
	return 0;
}

int boleto_render_draw(cairo_t *cr, const struct boleto_copy *c, struct diag *d)
{
	if (boleto_render_check(c, d) != 0)
		return -1;
	return draw_checked(cr, c, d);
}

/* ---- surfaces ---- */

enum boleto_render_format boleto_render_format_of(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	if (n < 5 || path[n - 4] != '.')
		return 0;
	if (strcasecmp(path + n - 3, "pdf") == 0)
		return BOLETO_RENDER_PDF;
	if (strcasecmp(path + n - 3, "png") == 0)
		return BOLETO_RENDER_PNG;
	if (strcasecmp(path + n - 3, "svg") == 0)
		return BOLETO_RENDER_SVG;
	return 0;
}

struct sink_ctx {
	boleto_render_sink sink;
	void *ctx;
	int failed;
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink_ctx *s = closure;

	if (s->failed || s->sink(s->ctx, data, length) != 0) {
		s->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static int surface_error(cairo_surface_t *s, struct sink_ctx *sc, struct diag *d)
{
	cairo_status_t st = cairo_surface_status(s);

	if (sc->failed || st == CAIRO_STATUS_WRITE_ERROR)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "write failed");
	return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "cairo: %s", cairo_status_to_string(st));
}

/* Vector pages (PDF: n pages; SVG: one). */
static int vector_pages(const struct boleto_copy *copies, size_t n, enum boleto_render_format fmt,
                        struct sink_ctx *sc, struct diag *d)
{
	cairo_surface_t *s;
	cairo_t *cr;
	int rc = 0;

	if (fmt == BOLETO_RENDER_PDF) {
		s = cairo_pdf_surface_create_for_stream(write_cb, sc, BOLETO_RENDER_PAGE_W_PT,
		                                        BOLETO_RENDER_PAGE_H_PT);
		/* no clock: cairo would stamp the current time as the creation
		 * date; the processing date is this document's date */
		char date[32] = "", title[160];
		if (copies[0].processing_date != CDATE_NONE) {
			date_format_iso(copies[0].processing_date, date, sizeof date);
			strcat(date, "T00:00:00");
		}
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
		snprintf(title, sizeof title, "Boleto %03d - nosso número %.100s", copies[0].bank,
		         copies[0].nosso_numero);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, n == 1 ? title : "Boletos");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
		                               PACKAGE_NAME " " PACKAGE_VERSION);
	} else {
		s = cairo_svg_surface_create_for_stream(write_cb, sc, BOLETO_RENDER_PAGE_W_PT,
		                                        BOLETO_RENDER_PAGE_H_PT);
	}
	cr = cairo_create(s);
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = draw_checked(cr, &copies[i], d);
		if (rc == 0)
			cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = surface_error(s, sc, d);
	cairo_surface_destroy(s);
	return rc;
}

static int png_page(const struct boleto_copy *c, int dpi, struct sink_ctx *sc, struct diag *d)
{
	int w = (int)(PAGE_W / 25.4 * dpi + 0.5), h = (int)(PAGE_H / 25.4 * dpi + 0.5);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	int rc;

	cairo_scale(cr, dpi / 72.0, dpi / 72.0);
	rc = draw_checked(cr, c, d);
	cairo_destroy(cr);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = surface_error(s, sc, d);
	if (rc == 0 && cairo_surface_write_to_png_stream(s, write_cb, sc) != CAIRO_STATUS_SUCCESS)
		rc = diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "PNG write failed");
	cairo_surface_destroy(s);
	return rc;
}

/* Arguments and every copy, before any byte is written: no half-written
 * file for a bad tenth copy. */
static int check_all(const struct boleto_copy *copies, size_t n, enum boleto_render_format fmt, int dpi,
                     struct diag *d)
{
	diag_clear(d);
	if (n == 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "no copy to render");
	if (fmt != BOLETO_RENDER_PDF && fmt != BOLETO_RENDER_PNG && fmt != BOLETO_RENDER_SVG)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "format", "not PDF, PNG or SVG");
	if (fmt != BOLETO_RENDER_PDF && n != 1)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "format",
		                "a PNG or SVG holds one page: %zu copies need a PDF", n);
	if (dpi != 0 && (dpi < 72 || dpi > 1200))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "dpi", "%d is outside 72..1200", dpi);
	for (size_t i = 0; i < n; i++)
		if (boleto_render_check(&copies[i], d) != 0) {
			if (n > 1) {
				char msg[sizeof d->msg];
				snprintf(msg, sizeof msg, "%s", d->msg);
				snprintf(d->msg, sizeof d->msg, "copy %zu: %.480s", i + 1, msg);
			}
			return -1;
		}
	return 0;
}

static int stream_checked(const struct boleto_copy *copies, size_t n, enum boleto_render_format fmt, int dpi,
                          boleto_render_sink sink, void *ctx, struct diag *d)
{
	struct sink_ctx sc = {sink, ctx, 0};

	if (fmt == BOLETO_RENDER_PNG)
		return png_page(&copies[0], dpi ? dpi : BOLETO_RENDER_DEFAULT_DPI, &sc, d);
	return vector_pages(copies, n, fmt, &sc, d);
}

int boleto_render_stream(const struct boleto_copy *copies, size_t n, enum boleto_render_format fmt, int dpi,
                         boleto_render_sink sink, void *ctx, struct diag *d)
{
	if (check_all(copies, n, fmt, dpi, d) != 0)
		return -1;
	return stream_checked(copies, n, fmt, dpi, sink, ctx, d);
}

static int file_sink(void *ctx, const unsigned char *bytes, size_t len)
{
	return fwrite(bytes, 1, len, ctx) == len ? 0 : -1;
}

int boleto_render_file(const struct boleto_copy *copies, size_t n, const char *path, int dpi, struct diag *d)
{
	enum boleto_render_format fmt = boleto_render_format_of(path);
	FILE *fp;
	int rc;

	diag_clear(d);
	if (fmt == 0)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "the name must end in .pdf, .png or .svg");
	/* checked before the file exists, so a refused copy leaves nothing */
	if (check_all(copies, n, fmt, dpi, d) != 0)
		return -1;
	fp = fopen(path, "wb");
	if (fp == NULL)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
	rc = stream_checked(copies, n, fmt, dpi, file_sink, fp, d);
	if (fclose(fp) != 0 && rc == 0)
		rc = diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "write failed: %s", strerror(errno));
	if (rc != 0) {
		if (d->file[0] == '\0')
			snprintf(d->file, sizeof d->file, "%s", path);
		remove(path);
	}
	return rc;
}

void boleto_render_release(void)
{
	for (int i = 0; i < 2; i++) {
		cairo_font_face_destroy(faces[i]); /* NULL is fine */
		faces[i] = NULL;
	}
	cairo_debug_reset_static_data();
	/* cairo's reset leaves fontconfig's parsed configuration behind */
	FcFini();
}
