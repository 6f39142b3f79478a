/* CNAB 400 cobrança return reader.
 *
 * One pass over the bytes, one record at a time, no allocation: a record
 * is used in place when it has the nominal length and copied into a fixed
 * buffer only when it must be padded or re-encoded. Field positions come
 * from the layout (resolved to field pointers once per file); the file
 * structure rules of reference/cnab.md §3 live here, checked in this order:
 *   1. what kind of file this is (UTF-16, CNAB 240, remessa): refused
 *      before any integrity check;
 *   2. header first (record `header`), trailer (record `trailer`) last;
 *   3. the sequence number of every record (the header's `sequencia`
 *      field, 395-400 in every manual) starts at 000001 and grows by 1. A
 *      gap is only a warning: excerpts of real files (BRB, Unicred samples)
 *      keep the numbers of the original, and the titles read are sound;
 *   4. every `detail` record is one title; records of any other type that
 *      follow it (Santander type 2 and Bradesco type 4 Pix data, messages)
 *      belong to it and are read past.
 *
 * Amounts are read as the bank means them: `paid-amount net-of-tariff` in
 * the layout (Itaú) says valor_pago is what was credited, so the gross
 * amount paid is valor_pago + valor_tarifa; otherwise valor_pago is gross.
 * The tarifa is always reported on its own (tariff_cents). */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "codec/cnab400.h"
#include "codec/nosso_numero.h"
#include "codec/record_reader.h"

/* Two-digit years of the header date are read around this day (1 Jan
 * 2000: 50-99 -> 1950s-1990s, 00-49 -> 2000s) because nothing else in the
 * file says the century, and a parser must not look at the clock. The
 * other 6-digit dates of the file use the header date as their pivot. */
#define HEADER_PIVOT ((cdate)10957)

struct bound {
	const struct layout *l;
	const struct layout_record *hdr, *det, *trl;
	/* header */
	const struct layout_field *h_banco, *h_operacao, *h_literal, *h_servico, *h_data, *h_seq;
	const struct layout_field *h_empresa, *h_nome_banco, *h_codigo_empresa, *h_inscricao, *h_agencia,
	    *h_conta, *h_nsa;
	/* detail */
	const struct layout_field *d_mov, *d_nosso, *d_valor, *d_pago;
	const struct layout_field *d_empresa, *d_doc, *d_data_oc, *d_venc, *d_tarifa, *d_iof, *d_abat,
	    *d_desc, *d_juros, *d_multa, *d_outros_c, *d_outras_d, *d_data_cred, *d_motivo, *d_pag_tipo,
	    *d_pag_insc, *d_pag_nome;
};

/* A required record or field, an optional field. */
#define F(member)   offsetof(struct bound, member), 0
#define OPT(member) offsetof(struct bound, member), 1
static const struct layout_binding wanted[] = {
    {"header", NULL, F(hdr)},
    {"detail", NULL, F(det)},
    {"trailer", NULL, F(trl)},
    {"header", "banco", F(h_banco)},
    {"header", "operacao", F(h_operacao)},
    {"header", "literal_operacao", F(h_literal)},
    {"header", "servico", F(h_servico)},
    {"header", "data_geracao", F(h_data)},
    {"header", "sequencia", F(h_seq)},
    {"header", "nome_empresa", OPT(h_empresa)},
    {"header", "nome_banco", OPT(h_nome_banco)},
    {"header", "codigo_empresa", OPT(h_codigo_empresa)},
    {"header", "numero_inscricao", OPT(h_inscricao)},
    {"header", "agencia", OPT(h_agencia)},
    {"header", "conta", OPT(h_conta)},
    {"header", "nsa", OPT(h_nsa)},
    {"detail", "codigo_ocorrencia", F(d_mov)},
    {"detail", "nosso_numero", F(d_nosso)},
    {"detail", "valor_titulo", F(d_valor)},
    {"detail", "valor_pago", F(d_pago)},
    {"detail", "uso_empresa", OPT(d_empresa)},
    {"detail", "numero_documento", OPT(d_doc)},
    {"detail", "data_ocorrencia", OPT(d_data_oc)},
    {"detail", "vencimento", OPT(d_venc)},
    {"detail", "valor_tarifa", OPT(d_tarifa)},
    {"detail", "valor_iof", OPT(d_iof)},
    {"detail", "valor_abatimento", OPT(d_abat)},
    {"detail", "valor_desconto", OPT(d_desc)},
    {"detail", "valor_juros", OPT(d_juros)},
    {"detail", "valor_multa", OPT(d_multa)},
    {"detail", "valor_outros_creditos", OPT(d_outros_c)},
    {"detail", "valor_outras_despesas", OPT(d_outras_d)},
    {"detail", "data_credito", OPT(d_data_cred)},
    {"detail", "motivo_ocorrencia", OPT(d_motivo)},
    {"detail", "pagador_tipo_inscricao", OPT(d_pag_tipo)},
    {"detail", "pagador_inscricao", OPT(d_pag_insc)},
    {"detail", "pagador_nome", OPT(d_pag_nome)},
};
#undef F
#undef OPT

static int bind_layout(const struct layout *l, struct bound *b, struct diag *err)
{
	memset(b, 0, sizeof *b);
	b->l = l;
	if (strcmp(layout_family(l), "cnab400") != 0)
		return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "layout '%s' is for %s files, not cnab400",
		                layout_name(l), layout_family(l));
	if (layout_bind(l, wanted, sizeof wanted / sizeof wanted[0], b, err) != 0)
		return -1;
	/* The gross amount of a net-of-tariff layout needs the tarifa. */
	if (layout_paid_is_net_of_tariff(l) && b->d_tarifa == NULL)
		return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL,
		                "layout '%s' says `paid-amount net-of-tariff` but its detail has no "
		                "field 'valor_tarifa'",
		                layout_name(l));
	return 0;
}

/* Dates repeat within a file: remember the last spelling of each field. */
struct date_cache {
	const struct layout_field *f;
	unsigned char key[8];
	cdate value;
	int valid;
};

struct reader {
	struct bound b;
	struct cnab_file_info *info;
	cnab_event_fn on_event;
	void *ctx;
	cdate pivot;

	long records;
	int trailer_seen;
	long trailer_line;
	long expect_seq;
	long seq_gaps, seq_bad;

	int title_open;
	struct bank_event ev;

	long extra_records, unknown_extra;
	struct date_cache due, occurred, credited;

	struct record_reader in; /* lines, record length, diagnostics; last: it ends in a buffer */
};

/* Errors and warnings at the current line of the file. */
#define fail(r, ...) record_reader_fail(&(r)->in, __VA_ARGS__)
#define warn(r, ...) record_reader_warn(&(r)->in, __VA_ARGS__)

static char printable(unsigned char c)
{
	return (c >= 0x20 && c < 0x7F) ? (char)c : '?';
}

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len > n - 1)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int read_date(struct reader *r, struct date_cache *c, const struct layout_field *f,
                     const unsigned char *rec, cdate *out)
{
	size_t len;
	if (f == NULL) {
		*out = CDATE_NONE;
		return 0;
	}
	const unsigned char *s = layout_field_bytes(f, rec, &len);
	if (c->valid && c->f == f && len <= sizeof c->key && memcmp(s, c->key, len) == 0) {
		*out = c->value;
		return 0;
	}
	if (layout_read_date(f, rec, &r->in.w, r->pivot, out, r->in.err) != 0)
		return -1;
	if (len <= sizeof c->key) {
		c->f = f;
		memcpy(c->key, s, len);
		c->value = *out;
		c->valid = 1;
	}
	return 0;
}

/* An optional amount: 0 when the layout has no such field. */
static int read_money(struct reader *r, const struct layout_field *f, const unsigned char *rec, int64_t *out)
{
	*out = 0;
	return f ? layout_read_money(f, rec, &r->in.w, out, r->in.err) : 0;
}

static void read_text(const struct layout_field *f, const unsigned char *rec, char *out, size_t n)
{
	if (f)
		layout_read_text(f, rec, out, n);
	else
		out[0] = '\0';
}

static void read_raw(const struct layout_field *f, const unsigned char *rec, char *out, size_t n)
{
	if (f)
		layout_read_raw(f, rec, out, n);
	else
		out[0] = '\0';
}

/* ---- titles */

static void payer_document(const struct bound *b, const unsigned char *rec, char *out, size_t n)
{
	char raw[32], kind[4], digits[32];
	size_t k = 0;
	int nonzero = 0;
	out[0] = '\0';
	if (b->d_pag_insc == NULL)
		return;
	layout_read_raw(b->d_pag_insc, rec, raw, sizeof raw);
	read_raw(b->d_pag_tipo, rec, kind, sizeof kind);
	for (size_t i = 0; raw[i] && k + 1 < sizeof digits; i++) {
		char c = raw[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			digits[k++] = c;
			if (c != '0')
				nonzero = 1;
		}
	}
	digits[k] = '\0';
	if (!nonzero)
		return;
	/* Zero-filled on the left: keep the size its type announces
	 * (01 = CPF, 02 = CNPJ). */
	size_t keep = k;
	size_t tl = strlen(kind);
	if (tl && kind[tl - 1] == '1' && k > 11)
		keep = 11;
	else if (k > 14)
		keep = 14;
	if (keep > n - 1)
		keep = n - 1;
	memcpy(out, digits + (k - keep), keep);
	out[keep] = '\0';
}

/* Reason codes: pairs; "00" and blank pairs carry nothing. */
static void reasons(const struct bound *b, const unsigned char *rec, char *out, size_t n)
{
	size_t len, o = 0;
	out[0] = '\0';
	if (b->d_motivo == NULL)
		return;
	const unsigned char *s = layout_field_bytes(b->d_motivo, rec, &len);
	for (size_t i = 0; i + 1 < len; i += 2) {
		if ((s[i] == '0' && s[i + 1] == '0') || (s[i] == ' ' && s[i + 1] == ' '))
			continue;
		if (o + 2 >= n)
			break;
		out[o++] = printable(s[i]);
		out[o++] = printable(s[i + 1]);
	}
	out[o] = '\0';
}

static int read_detail(struct reader *r, const unsigned char *rec)
{
	struct bank_event *ev = &r->ev;
	const struct bound *b = &r->b;
	int64_t juros, multa, pago;

	memset(ev, 0, sizeof *ev);
	ev->line = ev->line_end = r->in.w.line;
	ev->bank = r->info->bank;
	copy_str(ev->agreement, sizeof ev->agreement, r->info->agreement);
	layout_read_raw(b->d_nosso, rec, ev->nosso_numero_raw, sizeof ev->nosso_numero_raw);
	if (nosso_numero_normalize(ev->nosso_numero_raw, strlen(ev->nosso_numero_raw), ev->nosso_numero) < 0)
		ev->nosso_numero[0] = '\0';
	read_text(b->d_doc, rec, ev->seu_numero, sizeof ev->seu_numero);
	read_text(b->d_empresa, rec, ev->company_ref, sizeof ev->company_ref);
	layout_read_raw(b->d_mov, rec, ev->occurrence, sizeof ev->occurrence);
	const struct layout_occurrence *o = layout_occurrence(b->l, ev->occurrence, strlen(ev->occurrence));
	if (o) {
		ev->kind = o->kind;
		copy_str(ev->occurrence_text, sizeof ev->occurrence_text, o->text);
	} else {
		ev->kind = EVENT_UNKNOWN;
		warn(r, r->in.w.line, b->d_mov->start,
		     "occurrence code '%s' is not in the table of layout %s: reported as unknown",
		     ev->occurrence, layout_name(b->l));
	}
	reasons(b, rec, ev->reasons, sizeof ev->reasons);
	if (read_date(r, &r->due, b->d_venc, rec, &ev->due_date) != 0 ||
	    read_date(r, &r->occurred, b->d_data_oc, rec, &ev->occurrence_date) != 0 ||
	    read_date(r, &r->credited, b->d_data_cred, rec, &ev->credit_date) != 0 ||
	    read_money(r, b->d_valor, rec, &ev->face_cents) != 0 ||
	    read_money(r, b->d_pago, rec, &pago) != 0 || read_money(r, b->d_tarifa, rec, &ev->tariff_cents) != 0 ||
	    read_money(r, b->d_iof, rec, &ev->iof_cents) != 0 ||
	    read_money(r, b->d_abat, rec, &ev->rebate_cents) != 0 ||
	    read_money(r, b->d_desc, rec, &ev->discount_cents) != 0 || read_money(r, b->d_juros, rec, &juros) != 0 ||
	    read_money(r, b->d_multa, rec, &multa) != 0 ||
	    read_money(r, b->d_outros_c, rec, &ev->other_credits_cents) != 0 ||
	    read_money(r, b->d_outras_d, rec, &ev->other_expenses_cents) != 0)
		return -1;
	ev->charges_cents = juros + multa;
	/* CNAB 400 reports one amount: net_cents is the expected credit
	 * (gross - tarifa) when the layout says valor_pago is gross. */
	if (layout_paid_is_net_of_tariff(b->l)) {
		ev->net_cents = pago;
		ev->paid_cents = pago > 0 ? pago + ev->tariff_cents : 0;
	} else {
		ev->paid_cents = pago;
		ev->net_cents = pago > ev->tariff_cents ? pago - ev->tariff_cents : 0;
	}
	payer_document(b, rec, ev->payer_document, sizeof ev->payer_document);
	read_text(b->d_pag_nome, rec, ev->payer_name, sizeof ev->payer_name);
	return 0;
}

static int emit_title(struct reader *r)
{
	if (!r->title_open)
		return 0;
	r->title_open = 0;
	r->info->titles++;
	/* Discounted-portfolio titles and templates report a liquidation with
	 * nothing paid: keep it, but say so. */
	if (event_kind_is_payment(r->ev.kind) && r->ev.paid_cents == 0)
		warn(r, r->ev.line, 0, "liquidation (code %s) of nosso número %s reports no amount paid",
		     r->ev.occurrence, r->ev.nosso_numero_raw);
	if (r->on_event == NULL)
		return 0;
	r->in.err->msg[0] = '\0';
	if (r->on_event(r->ctx, &r->ev, r->in.err) != 0) {
		if (r->in.err->msg[0] == '\0')
			diag_set(r->in.err, DIAG_ERROR, r->in.file, r->ev.line, 0, NULL,
			         "import stopped while storing this title");
		return -1;
	}
	return 0;
}

/* ---- record handlers */

static int on_header(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	struct cnab_file_info *info = r->info;
	char literal[16], service[8], tmp[32];
	int64_t v;

	read_raw(b->h_literal, rec, literal, sizeof literal);
	char op = (char)rec[b->h_operacao->start - 1];
	if (op == '1' || strcmp(literal, "REMESSA") == 0)
		return fail(r, b->h_operacao->start, NULL,
		            "this is a remessa (remittance) file, not a retorno (header starts "
		            "'0%c%s')",
		            printable((unsigned char)op), literal);
	if (op != '2' || strcmp(literal, "RETORNO") != 0)
		warn(r, r->in.w.line, b->h_operacao->start,
		     "header says '%c%s', expected '2RETORNO': reading it as a retorno",
		     printable((unsigned char)op), literal);
	read_raw(b->h_servico, rec, service, sizeof service);
	if (strcmp(service, "01") != 0)
		warn(r, r->in.w.line, b->h_servico->start,
		     "header service is '%s', expected '01' (cobrança): reading it as cobrança", service);
	if (layout_read_num(b->h_banco, rec, &r->in.w, &v, r->in.err) != 0)
		return -1;
	info->bank = (int)v;
	read_text(b->h_nome_banco, rec, info->bank_name, sizeof info->bank_name);
	read_text(b->h_empresa, rec, info->company_name, sizeof info->company_name);
	read_raw(b->h_inscricao, rec, info->company_document, sizeof info->company_document);
	read_raw(b->h_codigo_empresa, rec, info->agreement, sizeof info->agreement);
	read_raw(b->h_agencia, rec, tmp, sizeof tmp);
	snprintf(info->agency, sizeof info->agency, "%.6s", tmp);
	read_raw(b->h_conta, rec, tmp, sizeof tmp);
	snprintf(info->account, sizeof info->account, "%.13s", tmp);
	if (layout_read_date(b->h_data, rec, &r->in.w, HEADER_PIVOT, &info->generated, r->in.err) != 0)
		return -1;
	r->pivot = info->generated != CDATE_NONE ? info->generated : HEADER_PIVOT;
	if (b->h_nsa) {
		if (layout_read_num(b->h_nsa, rec, &r->in.w, &v, r->in.err) != 0)
			return -1;
		info->nsa = (long)v;
	}
	return 0;
}

/* The record sequence number (395-400): starts at 1, +1 per record. */
static void check_sequence(struct reader *r, const unsigned char *rec)
{
	const struct layout_field *f = r->b.h_seq;
	size_t len;
	const unsigned char *s = layout_field_bytes(f, rec, &len);
	long seq = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			if (r->seq_bad++ == 0)
				warn(r, r->in.w.line, f->start,
				     "record sequence number (positions %d-%d) is not a number", f->start,
				     f->end);
			r->expect_seq++;
			return;
		}
		seq = seq * 10 + (s[i] - '0');
	}
	if (seq != r->expect_seq && r->seq_gaps++ == 0)
		warn(r, r->in.w.line, f->start,
		     "record sequence number is %06ld, expected %06ld (records missing: truncated "
		     "file or an excerpt?)",
		     seq, r->expect_seq);
	r->expect_seq = seq + 1;
}

static int on_extra(struct reader *r, const unsigned char *rec, const struct layout_record *rd)
{
	char type = printable(rec[0]);
	if (!r->title_open)
		return fail(r, 1, NULL, "record type '%c' does not follow a detail record", type);
	/* Pix data, messages ...: part of the title; a type the layout does
	 * not describe is read past all the same (reference/cnab.md §7). */
	if (rd == NULL && r->unknown_extra++ == 0)
		warn(r, r->in.w.line, 1,
		     "record type '%c' is not described by layout %s: read past as part of the title "
		     "above (line %ld)",
		     type, layout_name(r->b.l), r->ev.line);
	r->extra_records++;
	r->ev.line_end = r->in.w.line;
	return 0;
}

/* Picks the layout from the header's bank code (77-79) when none was forced. */
static int choose_layout(struct reader *r, const struct layout *forced, const unsigned char *line, size_t len)
{
	const struct layout *l = forced;
	if (l == NULL) {
		l = layout_builtin_for_bank("cnab400", record_bank_code(line, len, 77), r->in.err);
		if (l == NULL)
			return -1;
	}
	if (bind_layout(l, &r->b, r->in.err) != 0)
		return -1;
	r->in.length = (size_t)layout_length(l);
	r->info->layout_name = layout_name(l);
	return 0;
}

static int process(struct reader *r, const unsigned char *line, size_t len)
{
	const unsigned char *rec = NULL;
	if (r->trailer_seen)
		return fail(r, 1, NULL, "data after the trailer (line %ld)", r->trailer_line);
	if (record_reader_fit(&r->in, line, len, r->records == 0, &rec) != 0)
		return -1;
	const struct bound *b = &r->b;
	const struct layout_record *rd = layout_match(b->l, rec);
	if (r->records == 0 && rd != b->hdr)
		return fail(r, 1, NULL, "the first record is not a file header (position 1 is '%c', expected '0')",
		            printable(rec[0]));
	r->records++;
	check_sequence(r, rec);
	if (rd == b->hdr) {
		if (r->records > 1)
			return fail(r, 1, NULL, "a second file header");
		return on_header(r, rec);
	}
	if (rd == b->det) {
		if (emit_title(r) != 0)
			return -1;
		if (read_detail(r, rec) != 0)
			return -1;
		r->title_open = 1;
		return 0;
	}
	if (rd == b->trl) {
		if (emit_title(r) != 0)
			return -1;
		r->trailer_seen = 1;
		r->trailer_line = r->in.w.line;
		return 0;
	}
	return on_extra(r, rec, rd);
}

int cnab400_parse(const struct layout *layout, const char *filename, const unsigned char *buf, size_t len,
                  struct cnab_file_info *info, cnab_event_fn on_event, void *ctx, diag_sink warn_sink,
                  void *wctx, struct diag *err)
{
	static const struct record_lookalike cnab240 = {235, 245, "CNAB 240 file, not CNAB 400"};
	struct cnab_file_info dummy;
	struct reader reader;
	struct reader *r = &reader;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof *info);
	info->generated = CDATE_NONE;
	diag_clear(err);
	memset(r, 0, offsetof(struct reader, in));
	r->info = info;
	r->on_event = on_event;
	r->ctx = ctx;
	r->pivot = HEADER_PIVOT;
	r->expect_seq = 1;
	if (record_reader_open(&r->in, filename, buf, len, &cnab240, warn_sink, wctx, err) != 0)
		return -1;

	const unsigned char *line;
	size_t llen;
	int rc = 0;
	while (record_reader_next(&r->in, &line, &llen)) {
		if (r->records == 0 && choose_layout(r, layout, line, llen) != 0) {
			rc = -1;
			break;
		}
		if (process(r, line, llen) != 0) {
			rc = -1;
			break;
		}
	}

	if (rc == 0) {
		if (r->records == 0)
			rc = diag_set(err, DIAG_ERROR, r->in.file, 0, 0, NULL, "empty file: no records");
		else if (!r->trailer_seen) /* reported at the last record read */
			rc = fail(r, 0, NULL, "file ends without a trailer (type 9): truncated?");
	}
	if (r->seq_gaps > 1)
		warn(r, 0, 0, "%ld gaps in the record sequence numbers", r->seq_gaps);
	record_reader_summary(&r->in);
	if (r->unknown_extra > 1)
		warn(r, 0, 0, "%ld records of types the layout does not describe were read past",
		     r->unknown_extra);
	info->records = r->records;
	info->lotes = 0;
	return rc;
}
