/* CNAB 240 cobrança return reader.
 *
 * One pass over the bytes, one record at a time, no allocation: a record
 * is used in place when it has the nominal length and copied into a fixed
 * buffer only when it must be padded or re-encoded. Field positions come
 * from the layout (resolved to field pointers once per file); the file
 * structure rules of reference/cnab.md §2 live here, checked in this order
 * as the records stream by:
 *   1. what kind of file this is (UTF-16, CNAB 400, remessa, extrato,
 *      critique return): refused before any integrity check, because
 *      integrity rules of the wrong kind of file only confuse;
 *   2. header first, trailer last, lotes opened and closed in order, every
 *      detail inside the lote of its number;
 *   3. detail sequence 00001, +1;
 *   4. T followed by its U (same movement code); other segments after a U
 *      belong to that title and are read past;
 *   5. lote trailer and file trailer counts.
 *
 * Caixa "critique" returns (a lote of segment W only, no T/U, sometimes
 * header 143 = '5') report that the bank rejected a remittance as a whole:
 * they carry no titles. They are refused with the W text quoted, so the
 * operator sees the bank's reason instead of a silently empty import. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec/cnab240.h"
#include "codec/nosso_numero.h"
#include "codec/record_reader.h"
#include "core/money.h"

/* Field pointers resolved once per file from the layout. */
struct ctl {
	const struct layout_field *lote, *seq, *seg, *mov;
};

struct bound {
	const struct layout *l;
	const struct layout_record *fh, *lh, *t, *u, *det, *lt, *ft;
	struct ctl ct, cu, cd;
	const struct layout_field *fh_banco, *fh_insc, *fh_convenio, *fh_agencia, *fh_agencia_dv, *fh_conta,
	    *fh_conta_dv, *fh_empresa, *fh_nome_banco, *fh_remret, *fh_data, *fh_nsa, *fh_versao;
	const struct layout_field *lh_lote, *lh_operacao, *lh_servico;
	const struct layout_field *t_banco, *t_nosso, *t_doc, *t_venc, *t_valor, *t_empresa, *t_pag_tipo,
	    *t_pag_insc, *t_pag_nome, *t_tarifa, *t_motivo;
	const struct layout_field *u_acresc, *u_desc, *u_abat, *u_iof, *u_pago, *u_liq, *u_outras_d,
	    *u_outros_c, *u_data_oc, *u_data_cred;
	const struct layout_field *d_conteudo;
	const struct layout_field *lt_lote, *lt_qtd;
	const struct layout_field *lt_qtd_simples, *lt_valor_simples; /* may be NULL */
	const struct layout_field *ft_lotes, *ft_regs;
};

/* A required record or field, an optional field. */
#define F(member)   offsetof(struct bound, member), 0
#define OPT(member) offsetof(struct bound, member), 1
static const struct layout_binding wanted[] = {
    {"file_header", NULL, F(fh)},
    {"lote_header", NULL, F(lh)},
    {"segment_t", NULL, F(t)},
    {"segment_u", NULL, F(u)},
    {"detail", NULL, F(det)},
    {"lote_trailer", NULL, F(lt)},
    {"file_trailer", NULL, F(ft)},
    {"file_header", "banco", F(fh_banco)},
    {"file_header", "numero_inscricao", F(fh_insc)},
    {"file_header", "convenio", F(fh_convenio)},
    {"file_header", "agencia", F(fh_agencia)},
    {"file_header", "agencia_dv", F(fh_agencia_dv)},
    {"file_header", "conta", F(fh_conta)},
    {"file_header", "conta_dv", F(fh_conta_dv)},
    {"file_header", "nome_empresa", F(fh_empresa)},
    {"file_header", "nome_banco", F(fh_nome_banco)},
    {"file_header", "codigo_remessa_retorno", F(fh_remret)},
    {"file_header", "data_geracao", F(fh_data)},
    {"file_header", "nsa", F(fh_nsa)},
    {"file_header", "versao_layout", F(fh_versao)},
    {"lote_header", "lote", F(lh_lote)},
    {"lote_header", "operacao", F(lh_operacao)},
    {"lote_header", "servico", F(lh_servico)},
    {"segment_t", "lote", F(ct.lote)},
    {"segment_t", "sequencia", F(ct.seq)},
    {"segment_t", "segmento", F(ct.seg)},
    {"segment_t", "codigo_movimento", F(ct.mov)},
    {"segment_t", "banco", F(t_banco)},
    {"segment_t", "nosso_numero", F(t_nosso)},
    {"segment_t", "numero_documento", F(t_doc)},
    {"segment_t", "vencimento", F(t_venc)},
    {"segment_t", "valor_titulo", F(t_valor)},
    {"segment_t", "uso_empresa", F(t_empresa)},
    {"segment_t", "pagador_tipo_inscricao", F(t_pag_tipo)},
    {"segment_t", "pagador_inscricao", F(t_pag_insc)},
    {"segment_t", "pagador_nome", F(t_pag_nome)},
    {"segment_t", "valor_tarifa", F(t_tarifa)},
    {"segment_t", "motivo_ocorrencia", F(t_motivo)},
    {"segment_u", "lote", F(cu.lote)},
    {"segment_u", "sequencia", F(cu.seq)},
    {"segment_u", "segmento", F(cu.seg)},
    {"segment_u", "codigo_movimento", F(cu.mov)},
    {"segment_u", "valor_acrescimos", F(u_acresc)},
    {"segment_u", "valor_desconto", F(u_desc)},
    {"segment_u", "valor_abatimento", F(u_abat)},
    {"segment_u", "valor_iof", F(u_iof)},
    {"segment_u", "valor_pago", F(u_pago)},
    {"segment_u", "valor_liquido", F(u_liq)},
    {"segment_u", "valor_outras_despesas", F(u_outras_d)},
    {"segment_u", "valor_outros_creditos", F(u_outros_c)},
    {"segment_u", "data_ocorrencia", F(u_data_oc)},
    {"segment_u", "data_credito", F(u_data_cred)},
    {"detail", "lote", F(cd.lote)},
    {"detail", "sequencia", F(cd.seq)},
    {"detail", "segmento", F(cd.seg)},
    {"detail", "codigo_movimento", F(cd.mov)},
    {"detail", "conteudo", F(d_conteudo)},
    {"lote_trailer", "lote", F(lt_lote)},
    {"lote_trailer", "quantidade_registros", F(lt_qtd)},
    /* Optional: a layout without them only skips the check of the totals. */
    {"lote_trailer", "quantidade_simples", OPT(lt_qtd_simples)},
    {"lote_trailer", "valor_simples", OPT(lt_valor_simples)},
    {"file_trailer", "quantidade_lotes", F(ft_lotes)},
    {"file_trailer", "quantidade_registros", F(ft_regs)},
};
#undef F
#undef OPT

static int bind_layout(const struct layout *l, struct bound *b, struct diag *err)
{
	memset(b, 0, sizeof *b);
	b->l = l;
	if (strcmp(layout_family(l), "cnab240") != 0)
		return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "layout '%s' is for %s files, not cnab240",
		                layout_name(l), layout_family(l));
	/* The structure checks below read fixed CNAB 240 positions (8, 14). */
	if (layout_length(l) != 240)
		return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL,
		                "layout '%s' has %d-character records; cnab240 records have 240",
		                layout_name(l), layout_length(l));
	if (layout_bind(l, wanted, sizeof wanted / sizeof wanted[0], b, err) != 0)
		return -1;
	return 0;
}

enum title_state { TITLE_NONE, TITLE_T, TITLE_TU };

/* Dates repeat within a file (one occurrence date, one credit date for a
 * whole batch): remember the last spelling of each date field. */
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
	int header_seen, trailer_seen;
	long trailer_line;

	int in_lote;
	long lote_no, lote_line, lote_records, lote_details, expect_seq;
	long lote_titles;
	int64_t lote_face_cents; /* sum of valor_titulo, saturated */
	long lotes;

	enum title_state title;
	struct bank_event ev;
	char t_mov[3];
	long t_line;

	struct date_cache due, occurred, credited;

	struct record_reader in; /* lines, record length, diagnostics; last: it ends in a buffer */
};

/* Errors and warnings at the current line of the file. */
#define fail(r, ...) record_reader_fail(&(r)->in, __VA_ARGS__)
#define warn(r, ...) record_reader_warn(&(r)->in, __VA_ARGS__)

/* A single-character field as a printable char for messages. */
static char char_at(const unsigned char *rec, int pos)
{
	unsigned char c = rec[pos - 1];
	return (c >= 0x20 && c < 0x7F) ? (char)c : '?';
}

/* strcpy truncated to n - 1 bytes (snprintf costs too much per title). */
static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len > n - 1)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int read_num(struct reader *r, const struct layout_field *f, const unsigned char *rec, long *out)
{
	int64_t v;
	if (layout_read_num(f, rec, &r->in.w, &v, r->in.err) != 0)
		return -1;
	*out = (long)v;
	return 0;
}

static int read_date(struct reader *r, struct date_cache *c, const struct layout_field *f,
                     const unsigned char *rec, cdate *out)
{
	size_t len;
	const unsigned char *s = layout_field_bytes(f, rec, &len);
	if (c->valid && c->f == f && len == sizeof c->key && memcmp(s, c->key, len) == 0) {
		*out = c->value;
		return 0;
	}
	if (layout_read_date(f, rec, &r->in.w, r->pivot, out, r->in.err) != 0)
		return -1;
	if (len == sizeof c->key) {
		c->f = f;
		memcpy(c->key, s, len);
		c->value = *out;
		c->valid = 1;
	}
	return 0;
}

/* ---- events */

static void payer_document(struct reader *r, const unsigned char *rec, char *out, size_t n)
{
	char raw[32], kind[4];
	size_t k = 0;
	layout_read_raw(r->b.t_pag_insc, rec, raw, sizeof raw);
	layout_read_raw(r->b.t_pag_tipo, rec, kind, sizeof kind);
	char digits[32];
	int nonzero = 0;
	for (size_t i = 0; raw[i]; i++) {
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
	out[0] = '\0';
	if (!nonzero)
		return;
	/* The 15-position field is zero-filled on the left: keep the size of
	 * the document its type announces (1 = CPF, 2 = CNPJ). */
	size_t keep = k;
	if (kind[0] == '1' && k > 11)
		keep = 11;
	else if (k > 14)
		keep = 14;
	if (keep > n - 1)
		keep = n - 1;
	memcpy(out, digits + (k - keep), keep);
	out[keep] = '\0';
}

/* Reason codes: up to five pairs; "00" and blank pairs carry nothing. */
static void reasons(struct reader *r, const unsigned char *rec, char *out, size_t n)
{
	size_t len, o = 0;
	const unsigned char *s = layout_field_bytes(r->b.t_motivo, rec, &len);
	for (size_t i = 0; i + 1 < len; i += 2) {
		if ((s[i] == '0' && s[i + 1] == '0') || (s[i] == ' ' && s[i + 1] == ' '))
			continue;
		if (o + 2 >= n)
			break;
		out[o++] = (s[i] >= 0x20 && s[i] < 0x7F) ? (char)s[i] : '?';
		out[o++] = (s[i + 1] >= 0x20 && s[i + 1] < 0x7F) ? (char)s[i + 1] : '?';
	}
	out[o] = '\0';
}

static int read_segment_t(struct reader *r, const unsigned char *rec)
{
	struct bank_event *ev = &r->ev;
	const struct bound *b = &r->b;
	long bank;

	memset(ev, 0, sizeof *ev);
	ev->line = ev->line_end = r->in.w.line;
	if (read_num(r, b->t_banco, rec, &bank) != 0)
		return -1;
	ev->bank = (int)bank;
	copy_str(ev->agreement, sizeof ev->agreement, r->info->agreement);
	layout_read_raw(b->t_nosso, rec, ev->nosso_numero_raw, sizeof ev->nosso_numero_raw);
	if (nosso_numero_normalize(ev->nosso_numero_raw, strlen(ev->nosso_numero_raw), ev->nosso_numero) < 0)
		ev->nosso_numero[0] = '\0';
	layout_read_text(b->t_doc, rec, ev->seu_numero, sizeof ev->seu_numero);
	layout_read_text(b->t_empresa, rec, ev->company_ref, sizeof ev->company_ref);
	layout_read_raw(b->ct.mov, rec, ev->occurrence, sizeof ev->occurrence);
	const struct layout_occurrence *o = layout_occurrence(b->l, ev->occurrence, strlen(ev->occurrence));
	if (o) {
		ev->kind = o->kind;
		copy_str(ev->occurrence_text, sizeof ev->occurrence_text, o->text);
	} else {
		ev->kind = EVENT_UNKNOWN;
		warn(r, r->in.w.line, b->ct.mov->start,
		     "occurrence code '%s' is not in the table of layout %s: reported as unknown",
		     ev->occurrence, layout_name(b->l));
	}
	reasons(r, rec, ev->reasons, sizeof ev->reasons);
	if (read_date(r, &r->due, b->t_venc, rec, &ev->due_date) != 0 ||
	    layout_read_money(b->t_valor, rec, &r->in.w, &ev->face_cents, r->in.err) != 0 ||
	    layout_read_money(b->t_tarifa, rec, &r->in.w, &ev->tariff_cents, r->in.err) != 0)
		return -1;
	payer_document(r, rec, ev->payer_document, sizeof ev->payer_document);
	layout_read_text(b->t_pag_nome, rec, ev->payer_name, sizeof ev->payer_name);
	/* Dates of the U segment stay "none" if the U never comes. */
	ev->occurrence_date = ev->credit_date = CDATE_NONE;
	return 0;
}

static int read_segment_u(struct reader *r, const unsigned char *rec)
{
	struct bank_event *ev = &r->ev;
	const struct bound *b = &r->b;
	const struct layout_where *w = &r->in.w;

	ev->line_end = w->line;
	if (layout_read_money(b->u_acresc, rec, w, &ev->charges_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_desc, rec, w, &ev->discount_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_abat, rec, w, &ev->rebate_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_iof, rec, w, &ev->iof_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_pago, rec, w, &ev->paid_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_liq, rec, w, &ev->net_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_outras_d, rec, w, &ev->other_expenses_cents, r->in.err) != 0 ||
	    layout_read_money(b->u_outros_c, rec, w, &ev->other_credits_cents, r->in.err) != 0 ||
	    read_date(r, &r->occurred, b->u_data_oc, rec, &ev->occurrence_date) != 0 ||
	    read_date(r, &r->credited, b->u_data_cred, rec, &ev->credit_date) != 0)
		return -1;
	return 0;
}

static int emit_title(struct reader *r)
{
	if (r->title != TITLE_TU)
		return 0;
	r->title = TITLE_NONE;
	r->info->titles++;
	r->lote_titles++;
	if (r->ev.face_cents > INT64_MAX - r->lote_face_cents)
		r->lote_face_cents = INT64_MAX;
	else
		r->lote_face_cents += r->ev.face_cents;
	/* Discounted-portfolio titles and some anonymised files report a
	 * liquidation with nothing paid: keep it, but say so. */
	if (event_kind_is_payment(r->ev.kind) && r->ev.paid_cents == 0)
		warn(r, r->ev.line, 0, "liquidation (code %s) of nosso número %s reports no amount paid",
		     r->ev.occurrence, r->ev.nosso_numero_raw);
	if (r->on_event == NULL)
		return 0;
	/* Only the message tells whether the callback explained itself: a
	 * full diag_clear per title would cost more than the title. */
	r->in.err->msg[0] = '\0';
	if (r->on_event(r->ctx, &r->ev, r->in.err) != 0) {
		if (r->in.err->msg[0] == '\0')
			diag_set(r->in.err, DIAG_ERROR, r->in.file, r->ev.line, 0, NULL,
			         "import stopped while storing this title");
		return -1;
	}
	return 0;
}

static int t_without_u(struct reader *r, const char *found)
{
	return fail(r, 14, NULL, "segment T at line %ld is not followed by its segment U (found %s)",
	            r->t_line, found);
}

/* ---- record handlers */

static int on_file_header(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	struct cnab_file_info *info = r->info;
	long v;
	char tmp[32];

	if (read_num(r, b->fh_banco, rec, &v) != 0)
		return -1;
	info->bank = (int)v;
	char flag = (char)rec[b->fh_remret->start - 1];
	if (flag == '1')
		return fail(r, b->fh_remret->start, NULL,
		            "this is a remessa (remittance) file, not a retorno "
		            "(file header position %d is '1')",
		            b->fh_remret->start);
	if (flag != '2')
		warn(r, r->in.w.line, b->fh_remret->start,
		     "file header position %d is '%c', expected '2' (retorno): reading it as a retorno",
		     b->fh_remret->start, char_at(rec, b->fh_remret->start));
	layout_read_text(b->fh_nome_banco, rec, info->bank_name, sizeof info->bank_name);
	layout_read_text(b->fh_empresa, rec, info->company_name, sizeof info->company_name);
	/* A 15-position inscription (Santander 18-32) is zero-filled on the
	 * left: keep the rightmost digits, a CNPJ has 14. */
	size_t insc_len = layout_read_raw(b->fh_insc, rec, tmp, sizeof tmp), insc_skip = 0;
	while (insc_len - insc_skip >= sizeof info->company_document && tmp[insc_skip] == '0')
		insc_skip++;
	copy_str(info->company_document, sizeof info->company_document, tmp + insc_skip);
	layout_read_raw(b->fh_convenio, rec, info->agreement, sizeof info->agreement);
	layout_read_raw(b->fh_agencia, rec, tmp, sizeof tmp);
	snprintf(info->agency, sizeof info->agency, "%.5s", tmp);
	layout_read_raw(b->fh_agencia_dv, rec, tmp, sizeof tmp);
	snprintf(info->agency + strlen(info->agency), sizeof info->agency - strlen(info->agency), "%.1s",
	         tmp);
	layout_read_raw(b->fh_conta, rec, tmp, sizeof tmp);
	snprintf(info->account, sizeof info->account, "%.12s", tmp);
	layout_read_raw(b->fh_conta_dv, rec, tmp, sizeof tmp);
	snprintf(info->account + strlen(info->account), sizeof info->account - strlen(info->account), "%.1s",
	         tmp);
	if (layout_read_date(b->fh_data, rec, &r->in.w, CDATE_NONE, &info->generated, r->in.err) != 0)
		return -1;
	r->pivot = info->generated;
	if (read_num(r, b->fh_nsa, rec, &info->nsa) != 0 || read_num(r, b->fh_versao, rec, &v) != 0)
		return -1;
	info->layout_version = (int)v;
	r->header_seen = 1;
	return 0;
}

static int on_lote_header(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	char op = (char)rec[b->lh_operacao->start - 1];
	char service[8];

	if (r->in_lote)
		return fail(r, 8, NULL, "lote header, but lote %04ld (line %ld) has no lote trailer yet",
		            r->lote_no, r->lote_line);
	layout_read_raw(b->lh_servico, rec, service, sizeof service);
	if (op == 'E' || strcmp(service, "04") == 0)
		return fail(r, b->lh_operacao->start, NULL,
		            "this is a bank statement (extrato, lote operation '%c', service '%s'), "
		            "not a cobrança return",
		            char_at(rec, b->lh_operacao->start), service);
	if (op == 'R')
		return fail(r, b->lh_operacao->start, NULL,
		            "this is a remessa (remittance) file, not a retorno "
		            "(lote header operation is 'R')");
	if (op != 'T')
		warn(r, r->in.w.line, b->lh_operacao->start,
		     "lote header operation is '%c', expected 'T' (retorno)",
		     char_at(rec, b->lh_operacao->start));
	if (strcmp(service, "01") != 0)
		warn(r, r->in.w.line, b->lh_servico->start, "lote service is '%s', expected '01' (cobrança)",
		     service);
	if (read_num(r, b->lh_lote, rec, &r->lote_no) != 0)
		return -1;
	r->in_lote = 1;
	r->lote_line = r->in.w.line;
	r->lote_records = 1;
	r->lote_details = 0;
	r->lote_titles = 0;
	r->lote_face_cents = 0;
	r->expect_seq = 1;
	return 0;
}

/* The W text of a critique return, blanks squeezed, for the message. */
static void squeeze_text(const struct layout_field *f, const unsigned char *rec, char *out, size_t n)
{
	char tmp[300];
	size_t o = 0;
	int blank = 0;
	layout_read_text(f, rec, tmp, sizeof tmp);
	for (size_t i = 0; tmp[i] && o + 1 < n; i++) {
		if (tmp[i] == ' ') {
			blank = 1;
			continue;
		}
		if (blank && o + 2 < n)
			out[o++] = ' ';
		blank = 0;
		out[o++] = tmp[i];
	}
	out[o] = '\0';
}

static int on_detail(struct reader *r, const unsigned char *rec, const struct layout_record *rd)
{
	const struct bound *b = &r->b;
	const struct ctl *c = rd == b->t ? &b->ct : rd == b->u ? &b->cu : &b->cd;
	char seg = (char)rec[c->seg->start - 1];
	long lote, seq;

	if (!r->in_lote)
		return fail(r, 8, NULL, "detail record outside a lote (no lote header before it)");

	/* 1. the kind of file */
	if (seg == 'P' || seg == 'Q' || seg == 'R' || seg == 'S')
		return fail(r, c->seg->start, NULL,
		            "segment %c is a remittance segment: this is a remessa file, not a "
		            "retorno",
		            seg);
	if (seg == 'E')
		return fail(r, c->seg->start, NULL,
		            "segment E is a bank statement entry: this is an extrato (account "
		            "statement), not a cobrança return");
	if (seg == 'W' && r->title == TITLE_NONE && r->info->titles == 0) {
		char text[120];
		squeeze_text(b->d_conteudo, rec, text, sizeof text);
		return fail(r, c->seg->start, NULL,
		            "bank critique return (segment W without titles: \"%s\"): the bank "
		            "rejected a remittance; this file carries no cobrança titles",
		            text);
	}

	/* 2. lote membership, 3. sequence */
	if (read_num(r, c->lote, rec, &lote) != 0)
		return -1;
	if (lote != r->lote_no)
		return fail(r, c->lote->start, NULL,
		            "detail of lote %04ld inside lote %04ld (opened at line %ld)", lote, r->lote_no,
		            r->lote_line);
	if (read_num(r, c->seq, rec, &seq) != 0)
		return -1;
	if (seq != r->expect_seq)
		return fail(r, c->seq->start, NULL,
		            r->expect_seq == 1 ? "segment sequence number is %05ld, expected %05ld "
		                                 "(first detail of the lote)"
		                               : "segment sequence number is %05ld, expected %05ld",
		            seq, r->expect_seq);
	r->expect_seq++;
	r->lote_details++;
	r->lote_records++;

	/* 4. titles */
	if (rd == b->t) {
		if (r->title == TITLE_T)
			return t_without_u(r, "another segment T");
		if (emit_title(r) != 0)
			return -1;
		if (read_segment_t(r, rec) != 0)
			return -1;
		layout_read_raw(c->mov, rec, r->t_mov, sizeof r->t_mov);
		r->t_line = r->in.w.line;
		r->title = TITLE_T;
		return 0;
	}
	if (rd == b->u) {
		char mov[3];
		if (r->title != TITLE_T)
			return fail(r, c->seg->start, NULL, "segment U does not follow a segment T");
		layout_read_raw(c->mov, rec, mov, sizeof mov);
		if (strcmp(mov, r->t_mov) != 0) {
			/* Real returns (Sicoob) carry T=03 with U=01: the T's code,
			 * which also carries the reasons, governs. But when only one
			 * of the two says "payment", nobody can tell whether money
			 * arrived: refuse rather than guess. */
			const struct layout_occurrence *ot = layout_occurrence(b->l, r->t_mov, strlen(r->t_mov));
			const struct layout_occurrence *ou = layout_occurrence(b->l, mov, strlen(mov));
			int t_pays = ot && event_kind_is_payment(ot->kind);
			int u_pays = ou && event_kind_is_payment(ou->kind);
			if (t_pays != u_pays)
				return fail(r, c->mov->start, NULL,
				            "segment U movement code '%s' differs from its segment T's '%s' "
				            "(line %ld) and only one of them is a liquidation",
				            mov, r->t_mov, r->t_line);
			warn(r, r->in.w.line, c->mov->start,
			     "segment U movement code '%s' differs from its segment T's '%s' (line %ld); "
			     "using the T's",
			     mov, r->t_mov, r->t_line);
		}
		if (read_segment_u(r, rec) != 0)
			return -1;
		r->title = TITLE_TU;
		return 0;
	}
	if (r->title == TITLE_T) {
		char what[24];
		snprintf(what, sizeof what, "segment %c", char_at(rec, c->seg->start));
		return t_without_u(r, what);
	}
	if (r->title == TITLE_TU) {
		/* Y (Pix, sacador), W (messages) ...: part of the same title. */
		r->ev.line_end = r->in.w.line;
		return 0;
	}
	warn(r, r->in.w.line, c->seg->start, "segment %c does not follow a title (T/U): skipped",
	     char_at(rec, c->seg->start));
	return 0;
}

/* The value of an all-digit field; -1 when it is blank, holds anything
 * else or is too long to add up. */
static int64_t digits_value(const struct layout_field *f, const unsigned char *rec)
{
	size_t len;
	int64_t v = 0;
	if (f == NULL)
		return -1;
	const unsigned char *s = layout_field_bytes(f, rec, &len);
	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The cobrança simples totals of a lote trailer (quantity and amount of
 * the titles): only a warning when they disagree with the titles of the
 * lote, because many banks put the totals of the whole portfolio there,
 * not those of the file. Zero, blank or garbled totals say nothing. */
static void check_simples_totals(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	int64_t count = digits_value(b->lt_qtd_simples, rec);
	int64_t total = digits_value(b->lt_valor_simples, rec);
	int count_off = count > 0 && count != r->lote_titles;
	int total_off = total > 0 && total != r->lote_face_cents;
	if (!count_off && !total_off)
		return;
	char said[40], has[40];
	money_format_brl(total > 0 ? total : 0, said, sizeof said);
	money_format_brl(r->lote_face_cents, has, sizeof has);
	warn(r, r->in.w.line, count_off ? b->lt_qtd_simples->start : b->lt_valor_simples->start,
	     "lote %04ld trailer says %lld titles in cobrança simples totalling %s; the lote has %ld "
	     "titles totalling %s",
	     r->lote_no, (long long)(count > 0 ? count : 0), said, r->lote_titles, has);
}

static int on_lote_trailer(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	long lote, count;

	if (!r->in_lote)
		return fail(r, 8, NULL, "lote trailer without a lote header");
	if (read_num(r, b->lt_lote, rec, &lote) != 0)
		return -1;
	if (lote != r->lote_no)
		return fail(r, b->lt_lote->start, NULL,
		            "trailer of lote %04ld, but the open lote is %04ld (line %ld)", lote, r->lote_no,
		            r->lote_line);
	if (r->title == TITLE_T)
		return t_without_u(r, "the lote trailer");
	if (emit_title(r) != 0)
		return -1;
	r->lote_records++;
	if (read_num(r, b->lt_qtd, rec, &count) != 0)
		return -1;
	if (layout_lote_counts_details(b->l)) {
		if (count != r->lote_details)
			return fail(r, b->lt_qtd->start, b->lt_qtd->name,
			            "lote %04ld trailer says %ld detail records, lote has %ld", r->lote_no,
			            count, r->lote_details);
	} else if (count != r->lote_records) {
		return fail(r, b->lt_qtd->start, b->lt_qtd->name,
		            "lote %04ld trailer says %ld records, lote has %ld", r->lote_no, count,
		            r->lote_records);
	}
	check_simples_totals(r, rec);
	r->in_lote = 0;
	r->lotes++;
	return 0;
}

static int on_file_trailer(struct reader *r, const unsigned char *rec)
{
	const struct bound *b = &r->b;
	long lotes, count;

	if (r->in_lote)
		return fail(r, 8, NULL, "file trailer, but lote %04ld (line %ld) has no lote trailer",
		            r->lote_no, r->lote_line);
	if (read_num(r, b->ft_lotes, rec, &lotes) != 0)
		return -1;
	if (lotes != r->lotes)
		return fail(r, b->ft_lotes->start, b->ft_lotes->name,
		            "file trailer says %ld lotes, file has %ld", lotes, r->lotes);
	if (read_num(r, b->ft_regs, rec, &count) != 0)
		return -1;
	if (count != r->records)
		return fail(r, b->ft_regs->start, b->ft_regs->name,
		            "file trailer says %ld records, file has %ld", count, r->records);
	r->trailer_seen = 1;
	r->trailer_line = r->in.w.line;
	return 0;
}

/* Picks the layout from the header's bank code when none was forced. */
static int choose_layout(struct reader *r, const struct layout *forced, const unsigned char *line, size_t len)
{
	const struct layout *l = forced;
	if (l == NULL) {
		l = layout_builtin_for_bank("cnab240", record_bank_code(line, len, 1), r->in.err);
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
		return fail(r, 1, NULL, "data after the file trailer (line %ld)", r->trailer_line);
	if (record_reader_fit(&r->in, line, len, r->records == 0, &rec) != 0)
		return -1;
	const struct bound *b = &r->b;
	const struct layout_record *rd = layout_match(b->l, rec);
	if (r->records == 0 && rd != b->fh)
		return fail(r, 8, NULL,
		            "the first record is not a file header (position 8 is '%c', expected '0')",
		            char_at(rec, 8));
	r->records++;
	if (rd == NULL)
		return fail(r, 8, NULL, "record type '%c' (position 8) is not part of layout %s",
		            char_at(rec, 8), layout_name(b->l));
	if (rd == b->fh) {
		if (r->header_seen)
			return fail(r, 8, NULL, "a second file header");
		return on_file_header(r, rec);
	}
	if (rd == b->lh)
		return on_lote_header(r, rec);
	if (rd == b->t || rd == b->u || rd == b->det)
		return on_detail(r, rec, rd);
	if (rd == b->lt)
		return on_lote_trailer(r, rec);
	if (rd == b->ft)
		return on_file_trailer(r, rec);
	return fail(r, 8, NULL, "record '%s' of layout %s is not expected in a cnab240 return",
	            layout_record_name(rd), layout_name(b->l));
}

int cnab240_parse(const struct layout *layout, const char *filename, const unsigned char *buf, size_t len,
                  struct cnab_file_info *info, cnab_event_fn on_event, void *ctx, diag_sink warn_sink,
                  void *wctx, struct diag *err)
{
	static const struct record_lookalike cnab400 = {395, 410, "CNAB 400 file, not CNAB 240"};
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
	r->pivot = CDATE_NONE;
	if (record_reader_open(&r->in, filename, buf, len, &cnab400, warn_sink, wctx, err) != 0)
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
		if (r->records == 0) {
			rc = diag_set(err, DIAG_ERROR, r->in.file, 0, 0, NULL, "empty file: no records");
		} else if (!r->trailer_seen) {
			/* Reported at the last record read. */
			rc = r->in_lote ? fail(r, 0, NULL,
			                       "file ends without a file trailer (type 9); lote %04ld "
			                       "(line %ld) has no lote trailer either",
			                       r->lote_no, r->lote_line)
			                : fail(r, 0, NULL, "file ends without a file trailer (type 9)");
		}
	}
	record_reader_summary(&r->in);
	info->records = r->records;
	info->lotes = r->lotes;
	return rc;
}
