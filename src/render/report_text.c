/* The text report: what a finance clerk reads at 8 a.m. Totals per
 * category in R$ first, then only the items that need a person. */
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
	fprintf(fp, "%s:%ld", it->filename ? it->filename : "?", it->line);
}

int report_write_text(const struct report *r, FILE *fp)
{
	char amount[40];
	fprintf(fp, "Conciliação bancária — %s\n", r->ledger_path);
	fprintf(fp, "Gerado em %s\n\n", r->generated_at);

	fprintf(fp, "%-24s %8s %20s  %s\n", "Categoria", "Qtde", "Valor", "Descrição");
	for (int c = 0; c < OUTCOME_COUNT; c++) {
		money_format_brl(r->cents[c], amount, sizeof amount);
		fprintf(fp, "%-24s %8ld %20s  %s\n", outcome_name((enum outcome_category)c), r->count[c], amount,
			outcome_label_pt((enum outcome_category)c));
	}
	money_format_brl(r->total_cents, amount, sizeof amount);
	fprintf(fp, "%-24s %8ld %20s\n\n", "TOTAL", r->total_count, amount);

	money_format_brl(r->totals.face_open_cents, amount, sizeof amount);
	fprintf(fp, "Títulos: %ld (em aberto %ld, liquidados %ld, cancelados %ld); saldo em aberto %s\n",
		r->totals.receivables, r->totals.receivables_open, r->totals.receivables_settled,
		r->totals.receivables_cancelled, amount);
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

	if (r->needs_human == 0) {
		fprintf(fp, "Nada requer atenção.\n");
		return ferror(fp) ? -1 : 0;
	}
	fprintf(fp, "Requer atenção (%ld):\n", r->needs_human);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		char paid[40], expected[40], diff[40];
		if (!outcome_needs_human(it->category))
			continue;
		money_format_brl(it->paid_cents, paid, sizeof paid);
		fprintf(fp, "  %-22s ", outcome_name(it->category));
		if (it->receivable_id)
			fprintf(fp, "título %s (%s) ", it->receivable_id, it->debtor_name ? it->debtor_name : "");
		if (it->category >= OUTCOME_REGISTRATION_REJECTED) {
			/* Not a payment: say what the bank reported. */
			fprintf(fp, "nosso número %s: %s (%s) [", it->nosso_numero ? it->nosso_numero : "-",
				outcome_label_pt(it->category), it->detail ? it->detail : "");
			print_source(fp, it);
			fputs("]\n", fp);
			continue;
		}
		fprintf(fp, "nosso número %s, pago %s", it->nosso_numero ? it->nosso_numero : "-", paid);
		if (it->payment_date) {
			char when[16];
			fprintf(fp, " em %s", br_date(it->payment_date, when, sizeof when));
		}
		if (it->category == OUTCOME_UNDERPAID || it->category == OUTCOME_OVERPAID) {
			money_format_brl(it->expected_cents, expected, sizeof expected);
			money_format_brl(it->paid_cents - it->expected_cents, diff, sizeof diff);
			fprintf(fp, ", devido %s, diferença %s", expected, diff);
		}
		fputs(" [", fp);
		print_source(fp, it);
		fputs("]\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}
