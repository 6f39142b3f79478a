/* The HTML report: one self-contained page (inline CSS and SVG, no script,
 * no external asset; the Content-Security-Policy says so to the browser)
 * with the totals, a chart of the outcomes, the exceptions and the balance
 * proof. Every string from the ledger is escaped. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "render/report.h"

static void esc(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

static void brl(FILE *fp, int64_t cents)
{
	char buf[40];
	money_format_brl(cents, buf, sizeof buf);
	esc(fp, buf);
}

static void br_date(FILE *fp, const char *iso)
{
	cdate d;
	char buf[16];
	if (iso && date_parse_iso(iso, strlen(iso), &d) == 0) {
		date_format_br(d, buf, sizeof buf);
		fputs(buf, fp);
	} else {
		esc(fp, iso);
	}
}

static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}"
	"p.meta{color:#555;margin:.1em 0}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
	"th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
	"tr.attn td:first-child{border-left:4px solid #c0392b}tr.total td{font-weight:bold}"
	".ok{color:#2e7d32;font-weight:bold}.bad{color:#c0392b;font-weight:bold}"
	"svg text{font-size:12px;font-family:inherit}";

/* Bars of outcome counts and amounts per category (categories with
 * outcomes only), scaled to the largest of each. */
static void chart(FILE *fp, const struct report *r)
{
	long max_count = 0;
	int64_t max_cents = 0;
	int rows = 0;
	for (size_t c = 0; c < r->ncategories; c++) {
		const struct report_category *cat = &r->categories[c];
		if (cat->count == 0)
			continue;
		rows++;
		if (cat->count > max_count)
			max_count = cat->count;
		if (cat->cents > max_cents)
			max_cents = cat->cents;
	}
	if (rows == 0) {
		fputs("<p>Nenhum resultado no período.</p>\n", fp);
		return;
	}
	const int label_w = 190, bar_w = 260, gap = 130, row_h = 22, top = 22;
	int width = label_w + 2 * (bar_w + gap), height = top + rows * row_h + 6;
	fprintf(fp,
		"<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
		" role=\"img\" aria-label=\"Resultados por categoria: quantidade e valor\">\n",
		width, height, width, height);
	fprintf(fp, "<text x=\"%d\" y=\"14\" font-weight=\"bold\">Quantidade</text>\n", label_w);
	fprintf(fp, "<text x=\"%d\" y=\"14\" font-weight=\"bold\">Valor</text>\n", label_w + bar_w + gap);
	int row = 0;
	for (size_t c = 0; c < r->ncategories; c++) {
		const struct report_category *cat = &r->categories[c];
		if (cat->count == 0)
			continue;
		int y = top + row++ * row_h;
		const char *color = cat->needs_human ? "#c0392b" : "#2e7d32";
		/* Pixel widths, not amounts: a double is fine here. */
		int wc = max_count ? (int)((double)cat->count / (double)max_count * bar_w + 0.5) : 0;
		int wv = max_cents > 0 && cat->cents > 0 ? (int)((double)cat->cents / (double)max_cents * bar_w + 0.5)
							  : 0;
		fprintf(fp, "<text x=\"0\" y=\"%d\">", y + 14);
		esc(fp, cat->name);
		fputs("</text>\n", fp);
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>", label_w, y + 2,
			wc > 0 ? wc : 1, color);
		fprintf(fp, "<text x=\"%d\" y=\"%d\">%ld</text>\n", label_w + (wc > 0 ? wc : 1) + 4, y + 14,
			cat->count);
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\" fill-opacity=\"0.7\"/>",
			label_w + bar_w + gap, y + 2, wv > 0 ? wv : 1, color);
		fprintf(fp, "<text x=\"%d\" y=\"%d\">", label_w + bar_w + gap + (wv > 0 ? wv : 1) + 4, y + 14);
		brl(fp, cat->cents);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

static void summary(FILE *fp, const struct report *r)
{
	fputs("<table>\n<tr><th>Categoria</th><th>Descrição</th><th>Qtde</th><th>Valor</th></tr>\n", fp);
	for (size_t c = 0; c < r->ncategories; c++) {
		const struct report_category *cat = &r->categories[c];
		fputs(cat->needs_human && cat->count ? "<tr class=\"attn\"><td>" : "<tr><td>", fp);
		esc(fp, cat->name);
		fputs("</td><td>", fp);
		esc(fp, cat->label_pt);
		fprintf(fp, "</td><td class=\"n\">%ld</td><td class=\"n\">", cat->count);
		brl(fp, cat->cents);
		fputs("</td></tr>\n", fp);
	}
	fprintf(fp, "<tr class=\"total\"><td>TOTAL</td><td></td><td class=\"n\">%ld</td><td class=\"n\">",
		r->total_count);
	brl(fp, r->total_cents);
	fputs("</td></tr>\n</table>\n", fp);

	const struct ledger_totals *t = &r->totals;
	fprintf(fp,
		"<p>Títulos: %ld (em aberto %ld, liquidados %ld, cancelados %ld, em disputa %ld, renegociados %ld);"
		" saldo em aberto ",
		t->receivables, t->receivables_open, t->receivables_settled, t->receivables_cancelled,
		t->receivables_disputed, t->receivables_renegotiated);
	brl(fp, t->face_open_cents);
	fprintf(fp, ".<br>Arquivos importados: %ld; ocorrências: %ld (pagamentos %ld, não conciliados %ld).",
		t->imports, t->events, t->payment_events, t->pending_events);
	if (t->tariff_cents) {
		fputs("<br>Tarifas bancárias informadas nos arquivos: ", fp);
		brl(fp, t->tariff_cents);
		fputc('.', fp);
	}
	fputs("</p>\n", fp);
	if (t->held_imports)
		fprintf(fp, "<p class=\"bad\">ATENÇÃO: %ld arquivo(s) retido(s) para revisão (SEQUENCE_CONFLICT).</p>\n",
			t->held_imports);
}

static void exceptions(FILE *fp, const struct report *r)
{
	fprintf(fp, "<h2>Exceções: requer atenção (%ld)</h2>\n", r->exceptions);
	if (r->exceptions == 0) {
		fputs("<p class=\"ok\">Nada requer atenção.</p>\n", fp);
	} else {
		fputs("<table>\n<tr><th>Categoria</th><th>Título</th><th>Devedor</th><th>Nosso número</th>"
		      "<th>Pago</th><th>Devido</th><th>Diferença</th><th>Data</th><th>Origem</th><th>Detalhe</th></tr>\n",
		      fp);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct report_item *it = &r->items[i];
			if (!report_item_is_exception(it))
				continue;
			fputs("<tr class=\"attn\"><td>", fp);
			esc(fp, it->category_name);
			fputs("<br><small>", fp);
			esc(fp, outcome_label_pt(it->category));
			fputs("</small></td><td>", fp);
			esc(fp, it->receivable_id);
			fputs("</td><td>", fp);
			esc(fp, it->debtor_name);
			fputs("</td><td>", fp);
			esc(fp, it->nosso_numero);
			fputs("</td><td class=\"n\">", fp);
			if (it->is_payment)
				brl(fp, it->paid_cents);
			fputs("</td><td class=\"n\">", fp);
			if (it->has_difference)
				brl(fp, it->expected_cents);
			fputs("</td><td class=\"n\">", fp);
			if (it->has_difference)
				brl(fp, it->difference_cents);
			fputs("</td><td>", fp);
			br_date(fp, it->payment_date);
			fputs("</td><td>", fp);
			esc(fp, it->filename);
			fprintf(fp, ":%ld</td><td>", it->line);
			esc(fp, it->detail);
			if (it->reversed)
				fputs(" (pagamento desfeito)", fp);
			fputs("</td></tr>\n", fp);
		}
		fputs("</table>\n", fp);
	}
	if (r->needs_human > r->exceptions)
		fprintf(fp, "<p>Exceções já resolvidas no período: %ld.</p>\n", r->needs_human - r->exceptions);
}

static void proof(FILE *fp, const struct report *r)
{
	struct report_proof_line lines[REPORT_PROOF_LINES], info[REPORT_PROOF_INFO_LINES];
	report_proof_lines(&r->proof, lines, info);
	fputs("<h2>Prova do saldo em aberto</h2>\n<p class=\"meta\">Valor de face dos títulos em aberto, ", fp);
	esc(fp, r->period.from_pt);
	fputc(' ', fp);
	esc(fp, r->period.until_pt);
	fputs(".</p>\n<table>\n", fp);
	for (int i = 0; i < REPORT_PROOF_LINES; i++) {
		fprintf(fp, "<tr%s><td>%c</td><td>", lines[i].sign == '=' ? " class=\"total\"" : "", lines[i].sign);
		esc(fp, lines[i].label_pt);
		fputs("</td><td class=\"n\">", fp);
		brl(fp, lines[i].cents);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
	int64_t diff = balance_proof_difference(&r->proof);
	if (diff == 0) {
		fputs("<p class=\"ok\">A prova confere ao centavo.</p>\n", fp);
	} else {
		fputs("<p class=\"bad\">ATENÇÃO: a prova não fecha; diferença de ", fp);
		brl(fp, diff);
		fputs(".</p>\n", fp);
	}
	fputs("<table>\n<tr><th colspan=\"2\">Informativo (não altera o saldo)</th></tr>\n", fp);
	for (int i = 0; i < REPORT_PROOF_INFO_LINES; i++) {
		fputs("<tr><td>", fp);
		esc(fp, info[i].label_pt);
		fputs("</td><td class=\"n\">", fp);
		brl(fp, info[i].cents);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

int report_write_html(const struct report *r, FILE *fp)
{
	fputs("<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>Conciliação bancária — ",
	      fp);
	esc(fp, r->ledger_path);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Conciliação bancária — ", style);
	esc(fp, r->ledger_path);
	fputs("</h1>\n<p class=\"meta\">Gerado em ", fp);
	esc(fp, r->generated_at);
	fputs("</p>\n<p class=\"meta\">Período: ", fp);
	esc(fp, r->period.from_pt);
	fputc(' ', fp);
	esc(fp, r->period.until_pt);
	fputs("</p>\n<h2>Resultados por categoria</h2>\n", fp);
	summary(fp, r);
	chart(fp, r);
	exceptions(fp, r);
	proof(fp, r);
	fputs("</body>\n</html>\n", fp);
	return ferror(fp) ? -1 : 0;
}
