/* The XLSX report (libxlsxwriter): one sheet per section (Resumo, Detalhe,
 * Exceções, Prova) with real number cells in an R$ format, real date
 * cells, frozen header rows, autofilters and column widths, headers in
 * Portuguese like the text report.
 *
 * A number cell holds a double: amounts leave int64 centavos only here,
 * as cents / 100.0, the nearest double to the amount, which spreadsheets
 * read and show (15 significant digits) as the exact centavo value. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "render/report.h"

struct xl {
	lxw_workbook *wb;
	lxw_format *head, *money, *money_total, *date, *bold, *wrap;
	int failed;
};

static void check(struct xl *x, lxw_error e)
{
	if (e != LXW_NO_ERROR)
		x->failed = 1;
}

static void text(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
	if (s && *s)
		check(x, worksheet_write_string(ws, row, col, s, f));
}

static void money(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int64_t cents, lxw_format *f)
{
	check(x, worksheet_write_number(ws, row, col, (double)cents / 100.0, f ? f : x->money));
}

static void number(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v)
{
	check(x, worksheet_write_number(ws, row, col, v, NULL));
}

/* An ISO date as a date cell; anything else as text. */
static void date_cell(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *iso)
{
	cdate d;
	if (iso && date_parse_iso(iso, strlen(iso), &d) == 0) {
		lxw_datetime dt = {0};
		date_to_ymd(d, &dt.year, &dt.month, &dt.day);
		if (dt.year >= 1900) {
			check(x, worksheet_write_datetime(ws, row, col, &dt, x->date));
			return;
		}
	}
	text(x, ws, row, col, iso, NULL);
}

static void header_row(struct xl *x, lxw_worksheet *ws, lxw_row_t row, const char *const *names, int n,
		       const double *widths)
{
	for (int c = 0; c < n; c++) {
		check(x, worksheet_write_string(ws, row, (lxw_col_t)c, names[c], x->head));
		check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL));
	}
}

static void sheet_summary(struct xl *x, const struct report *r)
{
	static const char *const names[] = {"Categoria", "Descrição", "Requer atenção", "Qtde", "Valor"};
	static const double widths[] = {26, 40, 15, 10, 18};
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Resumo");
	char line[800];
	if (!ws) {
		x->failed = 1;
		return;
	}
	snprintf(line, sizeof line, "Conciliação bancária — %s", r->ledger_path);
	text(x, ws, 0, 0, line, x->bold);
	snprintf(line, sizeof line, "Gerado em %s. Período: %s %s", r->generated_at, r->period.from_pt,
		 r->period.until_pt);
	text(x, ws, 1, 0, line, NULL);
	lxw_row_t head = 3, row = head + 1;
	header_row(x, ws, head, names, 5, widths);
	for (size_t c = 0; c < r->ncategories; c++, row++) {
		const struct report_category *cat = &r->categories[c];
		text(x, ws, row, 0, cat->name, NULL);
		text(x, ws, row, 1, cat->label_pt, NULL);
		text(x, ws, row, 2, cat->needs_human ? "sim" : "não", NULL);
		number(x, ws, row, 3, (double)cat->count);
		money(x, ws, row, 4, cat->cents, NULL);
	}
	check(x, worksheet_autofilter(ws, head, 0, row - 1, 4));
	text(x, ws, row, 0, "TOTAL", x->bold);
	check(x, worksheet_write_number(ws, row, 3, (double)r->total_count, x->bold));
	money(x, ws, row, 4, r->total_cents, x->money_total);
	row += 2;

	const struct ledger_totals *t = &r->totals;
	const struct {
		const char *label;
		long count;
	} counts[] = {
		{"Títulos", t->receivables},
		{"Títulos em aberto", t->receivables_open},
		{"Títulos liquidados", t->receivables_settled},
		{"Títulos cancelados", t->receivables_cancelled},
		{"Títulos em disputa", t->receivables_disputed},
		{"Títulos renegociados", t->receivables_renegotiated},
		{"Arquivos importados", t->imports},
		{"Arquivos retidos para revisão", t->held_imports},
		{"Ocorrências", t->events},
		{"Pagamentos", t->payment_events},
		{"Ocorrências não conciliadas", t->pending_events},
		{"Exceções (requer atenção)", r->exceptions},
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++, row++) {
		text(x, ws, row, 0, counts[i].label, NULL);
		number(x, ws, row, 3, (double)counts[i].count);
	}
	text(x, ws, row, 0, "Saldo em aberto", NULL);
	money(x, ws, row++, 4, t->face_open_cents, NULL);
	text(x, ws, row, 0, "Tarifas bancárias informadas nos arquivos", NULL);
	money(x, ws, row++, 4, t->tariff_cents, NULL);
	worksheet_freeze_panes(ws, head + 1, 0);
}

static const char *const detail_names[] = {
	"Categoria", "Descrição", "Requer atenção", "Título", "Devedor", "CPF/CNPJ", "Nosso número",
	"Banco", "Pago", "Devido", "Aplicado", "Excedente", "Diferença", "Data do pagamento", "Vencimento",
	"Origem", "Regra", "Detalhe", "Desfeito", "Resolução",
};
static const double detail_widths[] = {
	24, 32, 10, 12, 28, 16, 18, 7, 14, 14, 14, 14, 14, 12, 12, 34, 16, 60, 9, 24,
};
enum { DETAIL_COLUMNS = sizeof detail_names / sizeof detail_names[0] };
_Static_assert(sizeof detail_widths / sizeof detail_widths[0] == DETAIL_COLUMNS, "one width per column");

static void detail_row(struct xl *x, lxw_worksheet *ws, lxw_row_t row, const struct report_item *it)
{
	char bank[8], source[700];
	text(x, ws, row, 0, it->category_name, NULL);
	text(x, ws, row, 1, outcome_label_pt(it->category), NULL);
	text(x, ws, row, 2, it->needs_human ? "sim" : "não", NULL);
	text(x, ws, row, 3, it->receivable_id, NULL);
	text(x, ws, row, 4, it->debtor_name, NULL);
	text(x, ws, row, 5, it->debtor_document, NULL);
	text(x, ws, row, 6, it->nosso_numero, NULL);
	snprintf(bank, sizeof bank, "%03d", it->bank);
	text(x, ws, row, 7, bank, NULL);
	money(x, ws, row, 8, it->paid_cents, NULL);
	if (it->receivable_id)
		money(x, ws, row, 9, it->expected_cents, NULL);
	money(x, ws, row, 10, it->allocated_cents, NULL);
	money(x, ws, row, 11, it->excess_cents, NULL);
	if (it->has_difference)
		money(x, ws, row, 12, it->difference_cents, NULL);
	date_cell(x, ws, row, 13, it->payment_date);
	date_cell(x, ws, row, 14, it->due_date);
	snprintf(source, sizeof source, "%s:%ld", it->filename ? it->filename : "", it->line);
	text(x, ws, row, 15, source, NULL);
	text(x, ws, row, 16, it->rule, NULL);
	text(x, ws, row, 17, it->detail, NULL);
	text(x, ws, row, 18, it->reversed ? "sim" : "não", NULL);
	text(x, ws, row, 19, it->resolution_action, NULL);
}

/* Detalhe (every outcome) or Exceções (only those nobody resolved). */
static void sheet_items(struct xl *x, const struct report *r, const char *name, int only_exceptions)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		x->failed = 1;
		return;
	}
	header_row(x, ws, 0, detail_names, DETAIL_COLUMNS, detail_widths);
	lxw_row_t row = 1;
	for (size_t i = 0; i < r->nitems; i++) {
		if (only_exceptions && !report_item_is_exception(&r->items[i]))
			continue;
		detail_row(x, ws, row++, &r->items[i]);
	}
	check(x, worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 1, DETAIL_COLUMNS - 1));
	worksheet_freeze_panes(ws, 1, 0);
}

static void sheet_proof(struct xl *x, const struct report *r)
{
	static const char *const names[] = {"Sinal", "Prova do saldo em aberto", "Valor"};
	static const double widths[] = {7, 48, 20};
	struct report_proof_line lines[REPORT_PROOF_LINES], info[REPORT_PROOF_INFO_LINES];
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Prova");
	char sign[2] = "";
	if (!ws) {
		x->failed = 1;
		return;
	}
	report_proof_lines(&r->proof, lines, info);
	header_row(x, ws, 0, names, 3, widths);
	for (int i = 0; i < REPORT_PROOF_LINES; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		sign[0] = lines[i].sign;
		text(x, ws, row, 0, sign, NULL);
		text(x, ws, row, 1, lines[i].label_pt, lines[i].sign == '=' ? x->bold : NULL);
		money(x, ws, row, 2, lines[i].cents, lines[i].sign == '=' ? x->money_total : NULL);
	}
	/* The check as a formula, so that the spreadsheet redoes the sum; its
	 * cached result is the model's difference. Line i is in row i + 2
	 * (Excel's rows count from 1, under the header): the last line is the
	 * closing, the others move from the opening by their sign. */
	lxw_row_t row = REPORT_PROOF_LINES + 1;
	char formula[256];
	int n = snprintf(formula, sizeof formula, "=C%d-(C2", REPORT_PROOF_LINES + 1);
	for (int i = 1; i + 1 < REPORT_PROOF_LINES; i++)
		n += snprintf(formula + n, sizeof formula - (size_t)n, "%cC%d", lines[i].sign, i + 2);
	snprintf(formula + n, sizeof formula - (size_t)n, ")");
	text(x, ws, row, 1, "Diferença (0 = a prova confere)", x->bold);
	check(x, worksheet_write_formula_num(ws, row, 2, formula, x->money_total,
					     (double)balance_proof_difference(&r->proof) / 100.0));
	row += 2;
	text(x, ws, row++, 1, "Informativo (não altera o saldo)", x->bold);
	for (int i = 0; i < REPORT_PROOF_INFO_LINES; i++, row++) {
		text(x, ws, row, 1, info[i].label_pt, NULL);
		money(x, ws, row, 2, info[i].cents, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* generated_at as the document's creation time, so that the same ledger
 * gives the same file. */
static time_t parse_generated(const char *s)
{
	cdate d;
	int h, m, sec;
	if (strlen(s) < 19 || date_parse_iso(s, 10, &d) != 0 || sscanf(s + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3)
		return time(NULL);
	return (time_t)d * 86400 + h * 3600 + m * 60 + sec;
}

static int copy_file(const char *path, FILE *out)
{
	FILE *in = fopen(path, "rb");
	char buf[65536];
	size_t n;
	if (!in)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	int rc = ferror(in) || ferror(out) ? -1 : 0;
	fclose(in);
	return rc;
}

int report_write_xlsx(const struct report *r, FILE *fp)
{
	const char *dir = getenv("TMPDIR");
	char path[1024];
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/concilia-report-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);

	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
	struct xl x = {.wb = workbook_new_opt(path, &opt)};
	if (!x.wb) {
		unlink(path);
		return -1;
	}
	lxw_doc_properties props = {.title = "Conciliação bancária", .author = "concilia",
				    .created = parse_generated(r->generated_at)};
	check(&x, workbook_set_properties(x.wb, &props));
	x.head = workbook_add_format(x.wb);
	format_set_bold(x.head);
	format_set_bg_color(x.head, 0xF2F2F2);
	format_set_bottom(x.head, LXW_BORDER_THIN);
	x.bold = workbook_add_format(x.wb);
	format_set_bold(x.bold);
	x.money = workbook_add_format(x.wb);
	format_set_num_format(x.money, "\"R$\" #,##0.00;[Red]-\"R$\" #,##0.00");
	x.money_total = workbook_add_format(x.wb);
	format_set_num_format(x.money_total, "\"R$\" #,##0.00;[Red]-\"R$\" #,##0.00");
	format_set_bold(x.money_total);
	x.date = workbook_add_format(x.wb);
	format_set_num_format(x.date, "dd/mm/yyyy");

	sheet_summary(&x, r);
	sheet_items(&x, r, "Detalhe", 0);
	sheet_items(&x, r, "Exceções", 1);
	sheet_proof(&x, r);
	lxw_error closed = workbook_close(x.wb);
	int rc = x.failed || closed != LXW_NO_ERROR ? -1 : copy_file(path, fp);
	unlink(path);
	return rc;
}
