/* The text report: what a finance clerk reads at 8 a.m. Totals per
 * category in R$ first, then only the items that need a person, then the
 * balance proof. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "render/report.h"

/* Dates as a Brazilian reader writes them: 24/11/2026. */
static const char *br_date(const char *iso, char *buf, size_t n)
{
	cdate d;
	if (!iso || date_parse_iso(iso, strlen(iso), &d) != 0)
		return iso ? iso : "";
	date_format_br(d, buf, n);
	return buf;
}

static void print_source(FILE *fp, const struct report_item *it)
{
	fprintf(fp, " [%s:%ld]\n", it->filename ? it->filename : "?", it->line);
}

static void print_item(FILE *fp, const struct report_item *it)
{
	char paid[40], expected[40], diff[40];
	fprintf(fp, "  %-22s ", it->category_name);
	if (it->receivable_id)
		fprintf(fp, "título %s (%s) ", it->receivable_id, it->debtor_name ? it->debtor_name : "");
	if (!it->is_payment) {
		/* Not a payment: say what the bank reported. */
		fprintf(fp, "nosso número %s: %s (%s)", it->nosso_numero ? it->nosso_numero : "-",
			outcome_label_pt(it->category), it->detail ? it->detail : "");
		print_source(fp, it);
		return;
	}
	money_format_brl(it->paid_cents, paid, sizeof paid);
	fprintf(fp, "nosso número %s, pago %s", it->nosso_numero ? it->nosso_numero : "-", paid);
	if (it->payment_date) {
		char when[16];
		fprintf(fp, " em %s", br_date(it->payment_date, when, sizeof when));
	}
	if (it->has_difference) {
		money_format_brl(it->expected_cents, expected, sizeof expected);
		money_format_brl(it->difference_cents, diff, sizeof diff);
		fprintf(fp, ", devido %s, diferença %s", expected, diff);
	}
	if (it->reversed)
		fputs(" (pagamento desfeito)", fp);
	print_source(fp, it);
}

/* s left-aligned in width characters (UTF-8: continuation bytes do not
 * take a column). */
static void print_padded(FILE *fp, const char *s, int width)
{
	int cols = 0;
	for (const char *p = s; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			cols++;
	fputs(s, fp);
	for (; cols < width; cols++)
		fputc(' ', fp);
}

static void print_proof(FILE *fp, const struct report *r)
{
	struct report_proof_line lines[REPORT_PROOF_LINES], info[REPORT_PROOF_INFO_LINES];
	char amount[40];
	report_proof_lines(&r->proof, lines, info);
	fprintf(fp, "\nProva do saldo em aberto (valor de face dos títulos, %s %s):\n", r->period.from_pt,
		r->period.until_pt);
	for (int i = 0; i < REPORT_PROOF_LINES; i++) {
		money_format_brl(lines[i].cents, amount, sizeof amount);
		fprintf(fp, "  %c ", lines[i].sign);
		print_padded(fp, lines[i].label_pt, 44);
		fprintf(fp, " %20s\n", amount);
	}
	int64_t diff = balance_proof_difference(&r->proof);
	if (diff == 0) {
		fprintf(fp, "  A prova confere ao centavo.\n");
	} else {
		money_format_brl(diff, amount, sizeof amount);
		fprintf(fp, "  ATENÇÃO: a prova não fecha; diferença de %s.\n", amount);
	}
	fprintf(fp, "Informativo (não altera o saldo):\n");
	for (int i = 0; i < REPORT_PROOF_INFO_LINES; i++) {
		money_format_brl(info[i].cents, amount, sizeof amount);
		fputs("    ", fp);
		print_padded(fp, info[i].label_pt, 44);
		fprintf(fp, " %20s\n", amount);
	}
}

int report_write_text(const struct report *r, FILE *fp)
{
	char amount[40];
	fprintf(fp, "Conciliação bancária — %s\n", r->ledger_path);
	fprintf(fp, "Gerado em %s\n", r->generated_at);
	fprintf(fp, "Período: %s %s\n\n", r->period.from_pt, r->period.until_pt);

	fprintf(fp, "%-24s %8s %20s  %s\n", "Categoria", "Qtde", "Valor", "Descrição");
	for (size_t c = 0; c < r->ncategories; c++) {
		const struct report_category *cat = &r->categories[c];
		money_format_brl(cat->cents, amount, sizeof amount);
		fprintf(fp, "%-24s %8ld %20s  %s\n", cat->name, cat->count, amount, cat->label_pt);
	}
	money_format_brl(r->total_cents, amount, sizeof amount);
	fprintf(fp, "%-24s %8ld %20s\n\n", "TOTAL", r->total_count, amount);

	money_format_brl(r->totals.face_open_cents, amount, sizeof amount);
	fprintf(fp, "Títulos: %ld (em aberto %ld, liquidados %ld, cancelados %ld", r->totals.receivables,
		r->totals.receivables_open, r->totals.receivables_settled, r->totals.receivables_cancelled);
	if (r->totals.receivables_disputed)
		fprintf(fp, ", em disputa %ld", r->totals.receivables_disputed);
	if (r->totals.receivables_renegotiated)
		fprintf(fp, ", renegociados %ld", r->totals.receivables_renegotiated);
	fprintf(fp, "); saldo em aberto %s\n", amount);
	fprintf(fp, "Arquivos importados: %ld; ocorrências: %ld (pagamentos %ld, não conciliados %ld)\n",
		r->totals.imports, r->totals.events, r->totals.payment_events, r->totals.pending_events);
	if (r->totals.tariff_cents) {
		money_format_brl(r->totals.tariff_cents, amount, sizeof amount);
		fprintf(fp, "Tarifas bancárias informadas nos arquivos: %s\n", amount);
	}
	if (r->totals.held_imports)
		fprintf(fp, "ATENÇÃO: %ld arquivo%s retido%s para revisão (SEQUENCE_CONFLICT)\n", r->totals.held_imports,
			r->totals.held_imports == 1 ? "" : "s", r->totals.held_imports == 1 ? "" : "s");
	fputc('\n', fp);

	if (r->exceptions == 0) {
		fprintf(fp, "Nada requer atenção.\n");
	} else {
		fprintf(fp, "Requer atenção (%ld):\n", r->exceptions);
		for (size_t i = 0; i < r->nitems; i++)
			if (report_item_is_exception(&r->items[i]))
				print_item(fp, &r->items[i]);
	}
	if (r->needs_human > r->exceptions) {
		fprintf(fp, "Exceções já resolvidas (%ld):\n", r->needs_human - r->exceptions);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct report_item *it = &r->items[i];
			if (!it->needs_human || !it->resolution_action)
				continue;
			fprintf(fp, "  %-22s ", it->category_name);
			if (it->receivable_id)
				fprintf(fp, "título %s, ", it->receivable_id);
			fprintf(fp, "nosso número %s: %s (%s), por %s em %s\n",
				it->nosso_numero ? it->nosso_numero : "-", it->resolution_action,
				it->resolution_reason ? it->resolution_reason : "",
				it->resolution_actor ? it->resolution_actor : "?",
				it->resolution_at ? it->resolution_at : "?");
		}
	}
	print_proof(fp, r);
	return ferror(fp) ? -1 : 0;
}
