/* The report writers on a model built by hand: hostile text (formulas,
 * markup, separators), a category this build does not know, a resolved
 * exception, and a proof that closes or not. The XLSX is unzipped and its
 * cells read back. Also the parsing of --from / --as-of. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/date.h"
#include "render/report.h"
#include "zip-read.h"

static struct report_item items[4];
static struct report_category categories[OUTCOME_COUNT + 1];

/* Four outcomes: an exact match; an underpayment by a debtor whose name is
 * a formula and markup; an overpayment already resolved; a category a newer
 * matcher wrote ("SPLIT_PAYMENT"). */
static void build(struct report *r)
{
	memset(r, 0, sizeof *r);
	memset(items, 0, sizeof items);
	snprintf(r->ledger_path, sizeof r->ledger_path, "<empresa>.db");
	snprintf(r->generated_at, sizeof r->generated_at, "2026-11-24T11:00:00Z");
	assert_int_equal(report_period_parse("2026-11-01", "2026-11-23", &r->period, NULL), 0);
	for (int c = 0; c < OUTCOME_COUNT; c++)
		categories[c] = (struct report_category){outcome_name((enum outcome_category)c),
							 outcome_label_pt((enum outcome_category)c),
							 outcome_needs_human((enum outcome_category)c), 0, 0};
	categories[OUTCOME_COUNT] = (struct report_category){"SPLIT_PAYMENT", "", true, 1, 700};
	categories[OUTCOME_MATCHED_EXACT].count = 1;
	categories[OUTCOME_MATCHED_EXACT].cents = 123456;
	categories[OUTCOME_UNDERPAID].count = 1;
	categories[OUTCOME_UNDERPAID].cents = 45000;
	categories[OUTCOME_OVERPAID].count = 1;
	categories[OUTCOME_OVERPAID].cents = 12500;
	r->categories = categories;
	r->ncategories = OUTCOME_COUNT + 1;
	r->total_count = 4;
	r->total_cents = 123456 + 45000 + 12500 + 700;
	r->needs_human = 3;
	r->exceptions = 2;

	items[0] = (struct report_item){
		.outcome_id = 1, .category = OUTCOME_MATCHED_EXACT, .category_name = "MATCHED_EXACT",
		.receivable_id = "0042", .debtor_name = "Maria da Silva", .debtor_document = "52998224725",
		.nosso_numero = "00000000101", .bank = 1, .paid_cents = 123456, .expected_cents = 123456,
		.allocated_cents = 123456, .is_payment = true, .payment_date = "2026-11-10",
		.due_date = "2026-11-10", .filename = "ret.ret", .line = 3, .rule = "R1 nosso_numero",
		.detail = "paid 1234.56 as expected", .decided_at = "2026-11-21T12:00:00Z"};
	items[1] = (struct report_item){
		.outcome_id = 2, .category = OUTCOME_UNDERPAID, .category_name = "UNDERPAID",
		.receivable_id = "R-1004", .debtor_name = "=HYPERLINK(\"http://x\";\"<script>alert(1)</script> & 'y'\")",
		.debtor_document = "98765432100", .nosso_numero = "104", .bank = 237, .paid_cents = 45000,
		.expected_cents = 50000, .allocated_cents = 45000, .is_payment = true, .has_difference = true,
		.difference_cents = -5000, .payment_date = "2026-11-10", .due_date = "2026-11-10",
		.filename = "ret;2.ret", .line = 10, .rule = "R1 nosso_numero",
		.detail = "paid 450.00, expected 500.00: 50.00 stays open", .needs_human = true, .reversed = true};
	items[2] = (struct report_item){
		.outcome_id = 3, .category = OUTCOME_OVERPAID, .category_name = "OVERPAID",
		.receivable_id = "R-1005", .debtor_name = "Carlos Lima", .debtor_document = "11144477735",
		.nosso_numero = "105", .bank = 237, .paid_cents = 12500, .expected_cents = 12000,
		.allocated_cents = 12000, .excess_cents = 500, .is_payment = true, .has_difference = true,
		.difference_cents = 500, .payment_date = "2026-11-16", .due_date = "2026-11-14",
		.filename = "ret.ret", .line = 12, .detail = "excess", .needs_human = true,
		.resolution_action = "refunded", .resolution_reason = "Pix back", .resolution_actor = "ana",
		.resolution_at = "2026-11-22T10:00:00Z"};
	items[3] = (struct report_item){
		.outcome_id = 4, .category = OUTCOME_COUNT, .category_name = "SPLIT_PAYMENT",
		.nosso_numero = "@SUM(A1)", .bank = 341, .paid_cents = 700, .excess_cents = 700,
		.is_payment = true, .payment_date = "2026-11-20", .filename = "pix.json", .line = 1,
		.detail = "line one\nline two; \"quoted\"", .needs_human = true};
	r->items = items;
	r->nitems = 4;
	r->totals.receivables = 3;
	r->totals.face_open_cents = 5000;
	r->proof = (struct balance_proof){
		.opening_cents = 100000, .new_cents = 123456 + 50000 + 12000, .principal_cents = 123456 + 45000 + 12000,
		.reversal_cents = 0, .cancelled_cents = 100000, .closing_cents = 5000,
		.applied_cents = 123456 + 45000 + 12000, .opening_replayed_cents = 100000,
		.closing_replayed_cents = 5000};
}

static char *render(const struct report *r, int (*fn)(const struct report *, FILE *), size_t *len)
{
	FILE *fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(fn(r, fp), 0);
	long n = ftell(fp);
	assert_true(n >= 0);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	rewind(fp);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return buf;
}

static int csv_rfc(const struct report *r, FILE *fp)
{
	return report_write_csv(r, REPORT_CSV_RFC4180, fp);
}

static int csv_br(const struct report *r, FILE *fp)
{
	return report_write_csv(r, REPORT_CSV_EXCEL_BR, fp);
}

static void proof_is_consistent(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	assert_int_equal(balance_proof_difference(&r.proof), 0);
	r.proof.closing_cents += 1;
	assert_int_equal(balance_proof_difference(&r.proof), 1);
}

static void text_report(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	char *out = render(&r, report_write_text, NULL);
	assert_non_null(strstr(out, "Período: de 01/11/2026 00:00:00 (Brasília) até 23/11/2026 23:59:59 (Brasília)"));
	assert_non_null(strstr(out, "SPLIT_PAYMENT                   1              R$ 7,00"));
	assert_non_null(strstr(out, "Requer atenção (2):"));
	assert_non_null(strstr(out, "(pagamento desfeito)"));
	assert_non_null(strstr(out, "diferença -R$ 50,00"));
	assert_non_null(strstr(out, "Exceções já resolvidas (1):\n  OVERPAID               título R-1005"));
	/* The resolved one is not among the exceptions. */
	assert_null(strstr(strstr(out, "Requer atenção"), "OVERPAID               título R-1005 (Carlos"));
	/* It ends with the proof. */
	const char *proof = strstr(out, "Prova do saldo em aberto");
	assert_non_null(proof);
	assert_non_null(strstr(proof, "= Saldo em aberto no início                             R$ 1.000,00\n"));
	assert_non_null(strstr(proof, "- Cancelados pelo ERP                                   R$ 1.000,00\n"));
	char closing[100];
	snprintf(closing, sizeof closing, "  = %-44s %20s\n", "Saldo em aberto no fim", "R$ 50,00");
	assert_non_null(strstr(proof, closing));
	assert_non_null(strstr(proof, "A prova confere ao centavo."));
	assert_null(strstr(out, "não fecha"));
	free(out);

	r.proof.closing_cents += 1;
	out = render(&r, report_write_text, NULL);
	assert_non_null(strstr(out, "ATENÇÃO: a prova não fecha; diferença de R$ 0,01."));
	free(out);
}

static void csv_machine(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	char *out = render(&r, csv_rfc, NULL);
	assert_true(strncmp(out, "category,needs_attention,receivable_id,", 39) == 0);
	assert_null(strchr(out, '\r'));
	assert_non_null(strstr(out, "\nMATCHED_EXACT,no,0042,00000000101,001,1234.56,1234.56,1234.56,0.00,2026-11-10,"));
	/* Formulas neutralized, quotes doubled. */
	assert_non_null(strstr(out, ",\"'=HYPERLINK(\"\"http://x\"\";\"\"<script>"));
	assert_non_null(strstr(out, ",'@SUM(A1),"));
	assert_non_null(strstr(out, ",\"line one\nline two; \"\"quoted\"\"\",4,no,\n"));
	assert_non_null(strstr(out, ",no,refunded\n"));
	/* Items end at the empty line; the proof follows. */
	const char *proof = strstr(out, "\n\nproof_line,label,amount\n");
	assert_non_null(proof);
	assert_non_null(strstr(proof, "\nopening,(=) Saldo em aberto no início,1000.00\n"));
	assert_non_null(strstr(proof, "\nclosing,(=) Saldo em aberto no fim,50.00\n"));
	assert_non_null(strstr(proof, "\ndifference,Diferença (0 = a prova confere),0.00\n"));
	free(out);
}

static void csv_excel_br(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	size_t len;
	char *out = render(&r, csv_br, &len);
	assert_memory_equal(out, "\xEF\xBB\xBF" "Categoria;Requer atenção;Título;Nosso número;", 3 + 43);
	/* Every line ends in CRLF, quoted line breaks aside. */
	size_t lf = 0, crlf = 0;
	for (size_t i = 0; i < len; i++)
		if (out[i] == '\n') {
			lf++;
			crlf += i > 0 && out[i - 1] == '\r';
		}
	assert_int_equal(lf, crlf + 1); /* the one inside "line one\nline two" */
	assert_true(len >= 2 && out[len - 2] == '\r' && out[len - 1] == '\n');
	assert_non_null(strstr(out, "\r\nMATCHED_EXACT;não;\"=\"\"0042\"\"\";\"=\"\"00000000101\"\"\";\"=\"\"001\"\"\";"
				    "1234,56;1234,56;1234,56;0,00;10/11/2026;10/11/2026;Maria da Silva;"));
	assert_non_null(strstr(out, ";\"'=HYPERLINK("));
	assert_non_null(strstr(out, ";'@SUM(A1);"));
	assert_non_null(strstr(out, ";\"ret;2.ret:10\";"));
	assert_non_null(strstr(out, "\r\n\r\nLinha;Prova do saldo em aberto;Valor\r\n"));
	assert_non_null(strstr(out, "\r\nnew;(+) Títulos novos;1854,56\r\n"));
	free(out);
}

static void html_page(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	char *out = render(&r, report_write_html, NULL);
	assert_true(strncmp(out, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(out, "<title>Conciliação bancária — &lt;empresa&gt;.db</title>"));
	/* Self-contained: no script, no external reference of any kind. */
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "src="));
	assert_null(strstr(out, "href="));
	assert_null(strstr(out, "url("));
	assert_null(strstr(out, "@import"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;y&#39;"));
	assert_non_null(strstr(out, "=HYPERLINK(&quot;http://x&quot;"));
	/* The chart: one bar pair per category with outcomes. */
	const char *svg = strstr(out, "<svg ");
	assert_non_null(svg);
	int rects = 0;
	for (const char *p = svg; (p = strstr(p, "<rect ")) != NULL && p < strstr(svg, "</svg>"); p++)
		rects++;
	assert_int_equal(rects, 2 * 4);
	/* Exceptions: unresolved ones only, the unknown category included. */
	const char *exc = strstr(out, "<h2>Exceções: requer atenção (2)</h2>");
	assert_non_null(exc);
	const char *proof = strstr(out, "<h2>Prova do saldo em aberto</h2>");
	assert_non_null(proof);
	assert_true(proof > exc);
	assert_non_null(strstr(exc, "SPLIT_PAYMENT"));
	const char *r1005 = strstr(exc, "R-1005");
	assert_true(r1005 == NULL || r1005 > proof);
	assert_non_null(strstr(proof, "A prova confere ao centavo."));
	assert_non_null(strstr(out, "</html>\n"));
	free(out);
}

static void json_report(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	char *out = render(&r, report_write_json, NULL);
	json_error_t err;
	json_t *root = json_loads(out, 0, &err);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "schema")), 1);
	json_t *period = json_object_get(root, "period");
	assert_string_equal(json_string_value(json_object_get(period, "from")), "2026-11-01T03:00:00Z");
	assert_string_equal(json_string_value(json_object_get(period, "until")), "2026-11-24T03:00:00Z");
	json_t *summary = json_object_get(root, "summary");
	assert_int_equal(json_object_size(summary), OUTCOME_COUNT + 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(summary, "SPLIT_PAYMENT"), "cents")), 700);
	assert_int_equal(json_integer_value(json_object_get(root, "needs_attention")), 3);
	assert_int_equal(json_integer_value(json_object_get(root, "exceptions")), 2);
	json_t *items_json = json_object_get(root, "items");
	assert_int_equal(json_array_size(items_json), 4);
	json_t *over = json_array_get(items_json, 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(over, "resolution"), "action")),
			    "refunded");
	assert_true(json_is_null(json_object_get(json_array_get(items_json, 0), "resolution")));
	assert_true(json_is_true(json_object_get(json_array_get(items_json, 1), "reversed")));
	assert_true(json_is_null(json_object_get(json_array_get(items_json, 3), "expected_cents")));
	/* The proof is the last member. */
	const char *last_key = NULL;
	const char *key;
	json_t *value;
	json_object_foreach(root, key, value) last_key = key;
	assert_string_equal(last_key, "proof");
	json_t *proof = json_object_get(root, "proof");
	assert_int_equal(json_integer_value(json_object_get(proof, "opening_cents")), 100000);
	assert_int_equal(json_integer_value(json_object_get(proof, "closing_cents")), 5000);
	assert_int_equal(json_integer_value(json_object_get(proof, "difference_cents")), 0);
	assert_true(json_is_true(json_object_get(proof, "closes")));
	json_decref(root);
	free(out);
}

/* The text of cell REF in a sheet's XML (value of <v>, or inline string). */
static int cell(const char *xml, const char *ref, char *out, size_t n, int *style)
{
	char needle[32];
	snprintf(needle, sizeof needle, "<c r=\"%s\"", ref);
	const char *c = strstr(xml, needle);
	if (!c)
		return -1;
	const char *end = strstr(c, "</c>");
	const char *s = strstr(c, " s=\"");
	*style = s && s < end ? atoi(s + 4) : 0;
	const char *v = strstr(c, "<v>");
	const char *t = strstr(c, "<t>");
	const char *start = v && v < end ? v + 3 : t && t < end ? t + 3 : NULL;
	if (!start)
		return -1;
	const char *stop = strchr(start, '<');
	snprintf(out, n, "%.*s", (int)(stop - start), start);
	return 0;
}

/* The number format code of cell style index `style` (cellXfs order). */
static void format_code(const char *styles, int style, char *out, size_t n)
{
	const char *xfs = strstr(styles, "<cellXfs");
	assert_non_null(xfs);
	const char *xf = xfs;
	for (int i = 0; i <= style; i++) {
		xf = strstr(xf + 1, "<xf ");
		assert_non_null(xf);
	}
	int id = atoi(strstr(xf, "numFmtId=\"") + 10);
	char needle[48];
	snprintf(needle, sizeof needle, "<numFmt numFmtId=\"%d\" formatCode=\"", id);
	const char *f = strstr(styles, needle);
	assert_non_null(f);
	f += strlen(needle);
	snprintf(out, n, "%.*s", (int)(strchr(f, '"') - f), f);
}

static void assert_money_cell(const char *sheet, const char *styles, const char *ref, int64_t cents)
{
	char v[64], fmt[128];
	int style;
	assert_int_equal(cell(sheet, ref, v, sizeof v, &style), 0);
	/* A real number, the nearest double to the amount. */
	assert_true(llround(strtod(v, NULL) * 100.0) == cents);
	format_code(styles, style, fmt, sizeof fmt);
	assert_non_null(strstr(fmt, "&quot;R$&quot; #,##0.00"));
}

static void xlsx_workbook(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	size_t len;
	char *zip = render(&r, report_write_xlsx, &len);
	assert_true(len > 100 && zip[0] == 'P' && zip[1] == 'K');
	const unsigned char *z = (const unsigned char *)zip;
	char *workbook = zip_read_member(z, len, "xl/workbook.xml", NULL);
	char *styles = zip_read_member(z, len, "xl/styles.xml", NULL);
	char *resumo = zip_read_member(z, len, "xl/worksheets/sheet1.xml", NULL);
	char *detalhe = zip_read_member(z, len, "xl/worksheets/sheet2.xml", NULL);
	char *excecoes = zip_read_member(z, len, "xl/worksheets/sheet3.xml", NULL);
	char *prova = zip_read_member(z, len, "xl/worksheets/sheet4.xml", NULL);
	assert_non_null(workbook);
	assert_non_null(styles);
	assert_non_null(resumo);
	assert_non_null(detalhe);
	assert_non_null(excecoes);
	assert_non_null(prova);
	const char *s1 = strstr(workbook, "<sheet name=\"Resumo\"");
	const char *s2 = strstr(workbook, "<sheet name=\"Detalhe\"");
	const char *s3 = strstr(workbook, "<sheet name=\"Exceções\"");
	const char *s4 = strstr(workbook, "<sheet name=\"Prova\"");
	assert_true(s1 && s2 && s3 && s4 && s1 < s2 && s2 < s3 && s3 < s4);

	char v[256];
	int style;
	/* Resumo: the header at row 4, one row per category, then TOTAL. */
	assert_int_equal(cell(resumo, "A4", v, sizeof v, &style), 0);
	assert_string_equal(v, "Categoria");
	assert_int_equal(cell(resumo, "A5", v, sizeof v, &style), 0);
	assert_string_equal(v, "MATCHED_EXACT");
	assert_money_cell(resumo, styles, "E5", 123456);
	/* Rows follow the category list, whatever its length. */
	char ref[32], filter[64];
	int last = 5 + OUTCOME_COUNT; /* the unknown category, after every known one */
	snprintf(ref, sizeof ref, "A%d", last);
	assert_int_equal(cell(resumo, ref, v, sizeof v, &style), 0);
	assert_string_equal(v, "SPLIT_PAYMENT");
	snprintf(ref, sizeof ref, "A%d", last + 1);
	assert_int_equal(cell(resumo, ref, v, sizeof v, &style), 0);
	assert_string_equal(v, "TOTAL");
	snprintf(ref, sizeof ref, "E%d", last + 1);
	assert_money_cell(resumo, styles, ref, 123456 + 45000 + 12500 + 700);
	snprintf(filter, sizeof filter, "<autoFilter ref=\"A4:E%d\"/>", last);
	assert_non_null(strstr(resumo, filter));
	assert_non_null(strstr(resumo, "state=\"frozen\""));

	/* Detalhe: header, then one row per outcome; amounts and dates are real
	 * numbers; strings are strings (the formula stays text). */
	assert_int_equal(cell(detalhe, "I1", v, sizeof v, &style), 0);
	assert_string_equal(v, "Pago");
	assert_money_cell(detalhe, styles, "I2", 123456);
	assert_money_cell(detalhe, styles, "M3", -5000);
	assert_int_equal(cell(detalhe, "N2", v, sizeof v, &style), 0);
	assert_int_equal(atoi(v), date_from_ymd(2026, 11, 10) - date_from_ymd(1899, 12, 30));
	char fmt[64];
	format_code(styles, style, fmt, sizeof fmt);
	assert_string_equal(fmt, "dd/mm/yyyy");
	assert_int_equal(cell(detalhe, "E3", v, sizeof v, &style), 0);
	assert_true(strncmp(v, "=HYPERLINK(\"http://x\";\"&lt;script&gt;", 31) == 0);
	assert_non_null(strstr(detalhe, "<c r=\"E3\" t=\"inlineStr\">"));
	assert_int_equal(cell(detalhe, "A5", v, sizeof v, &style), 0);
	assert_string_equal(v, "SPLIT_PAYMENT");
	assert_null(strstr(detalhe, "<row r=\"6\""));
	assert_non_null(strstr(detalhe, "<autoFilter ref=\"A1:T5\"/>"));
	assert_non_null(strstr(detalhe, "state=\"frozen\""));
	assert_non_null(strstr(detalhe, "<col min=\"5\" max=\"5\" width=\"28"));

	/* Exceções: the two unresolved ones. */
	assert_int_equal(cell(excecoes, "A2", v, sizeof v, &style), 0);
	assert_string_equal(v, "UNDERPAID");
	assert_int_equal(cell(excecoes, "A3", v, sizeof v, &style), 0);
	assert_string_equal(v, "SPLIT_PAYMENT");
	assert_null(strstr(excecoes, "<row r=\"4\""));

	/* Prova: the lines as numbers and the check as a formula. */
	assert_money_cell(prova, styles, "C2", 100000);
	assert_money_cell(prova, styles, "C9", 100000);
	assert_money_cell(prova, styles, "C11", 5000);
	assert_non_null(strstr(prova, "<f>C11-(C2+C3+C4+C5-C6-C7+C8-C9-C10)</f><v>0</v>"));

	free(workbook);
	free(styles);
	free(resumo);
	free(detalhe);
	free(excecoes);
	free(prova);
	free(zip);
}

static void period_parsing(void **state)
{
	(void)state;
	struct report_period p;
	struct diag d;
	assert_int_equal(report_period_parse(NULL, NULL, &p, &d), 0);
	assert_string_equal(p.from, "");
	assert_string_equal(p.until, "");
	assert_string_equal(p.from_pt, "desde o início");
	assert_string_equal(p.until_pt, "até agora");
	/* A day is a Brasília day: 03:00 UTC to 03:00 UTC. */
	assert_int_equal(report_period_parse("2026-11-01", "30/11/2026", &p, &d), 0);
	assert_string_equal(p.from, "2026-11-01T03:00:00Z");
	assert_string_equal(p.until, "2026-12-01T03:00:00Z");
	assert_int_equal(report_period_parse(NULL, "2026-12-31", &p, &d), 0);
	assert_string_equal(p.until, "2027-01-01T03:00:00Z");
	/* An instant includes its second. */
	assert_int_equal(report_period_parse("2026-11-01T10:00:00Z", "2026-11-30T23:59:59Z", &p, &d), 0);
	assert_string_equal(p.from, "2026-11-01T10:00:00Z");
	assert_string_equal(p.until, "2026-12-01T00:00:00Z");
	assert_string_equal(p.until_pt, "até 2026-11-30T23:59:59Z");
	/* Refused. */
	assert_int_equal(report_period_parse("2026-02-29", NULL, &p, &d), -1);
	assert_non_null(strstr(d.msg, "--from '2026-02-29' is not a date"));
	assert_int_equal(report_period_parse(NULL, "2026-11-30T24:00:00Z", &p, &d), -1);
	assert_int_equal(report_period_parse(NULL, "2026-11-30 10:00", &p, &d), -1);
	assert_int_equal(report_period_parse(NULL, "9999-12-31", &p, &d), -1);
	assert_int_equal(report_period_parse("2026-11-02", "2026-11-01", &p, &d), -1);
	assert_non_null(strstr(d.msg, "ends before"));
	/* The same day is a one-day period. */
	assert_int_equal(report_period_parse("2026-11-02", "2026-11-02", &p, &d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proof_is_consistent), cmocka_unit_test(text_report),
		cmocka_unit_test(csv_machine),         cmocka_unit_test(csv_excel_br),
		cmocka_unit_test(html_page),           cmocka_unit_test(json_report),
		cmocka_unit_test(xlsx_workbook),       cmocka_unit_test(period_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
