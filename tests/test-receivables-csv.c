/* The CSV reader and the receivables CSV: good files in both pt-BR and
 * plain notations, and one test per error the user can meet. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codec/csv.h"
#include "codec/receivables_csv.h"

/* ---- helpers ---- */

#define MAX_ROWS 8
#define MAX_WARN 8

struct collected {
	struct receivable_row rows[MAX_ROWS];
	int nrows;
	struct diag warns[MAX_WARN];
	int nwarns;
	int stop_at; /* callback refuses row number stop_at (1-based); 0 = never */
};

static struct collected got;
static struct diag err;

static int collect_row(void *ctx, const struct receivable_row *row, struct diag *d)
{
	struct collected *c = ctx;

	(void)d;
	if (c->stop_at && c->nrows + 1 == c->stop_at)
		return -1;
	if (c->nrows < MAX_ROWS)
		c->rows[c->nrows] = *row;
	c->nrows++;
	return 0;
}

static void collect_warn(void *ctx, const struct diag *d)
{
	struct collected *c = ctx;

	if (c->nwarns < MAX_WARN)
		c->warns[c->nwarns] = *d;
	c->nwarns++;
}

static long parse(const char *text)
{
	memset(&got, 0, sizeof got);
	memset(&err, 0, sizeof err);
	return receivables_csv_parse("in.csv", (const unsigned char *)text, strlen(text),
				     collect_row, &got, collect_warn, &got, &err);
}

/* Asserts a good parse of n rows, showing the error otherwise. */
static void expect_rows(const char *text, long n)
{
	long got_n = parse(text);

	if (got_n != n)
		print_error("got rc=%ld %s:%ld field '%s' msg '%s'\n", got_n, err.file, err.line,
			    err.field, err.msg);
	assert_int_equal(got_n, n);
	assert_int_equal(got.nrows, n);
	assert_string_equal(err.msg, "");
}

/* Asserts a failed parse with the error on line/column and a message. */
static void expect_error(const char *text, long line, const char *field, const char *msg)
{
	long n = parse(text);

	if (n != -1 || err.line != line || strcmp(err.field, field) != 0 ||
	    strcmp(err.msg, msg) != 0)
		print_error("got rc=%ld %s:%ld:%d field '%s' msg '%s'\n", n, err.file, err.line,
			    err.col, err.field, err.msg);
	assert_int_equal(n, -1);
	assert_int_equal(err.severity, DIAG_ERROR);
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, 0);
	assert_string_equal(err.field, field);
	assert_string_equal(err.msg, msg);
}

/* Same, for messages whose tail comes from core (taxid, percent wording). */
static void expect_error_with(const char *text, long line, const char *field, const char *part)
{
	long n = parse(text);

	if (n != -1 || err.line != line || strstr(err.msg, part) == NULL)
		print_error("got rc=%ld %s:%ld field '%s' msg '%s'\n", n, err.file, err.line,
			    err.field, err.msg);
	assert_int_equal(n, -1);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, 0);
	assert_string_equal(err.field, field);
	assert_non_null(strstr(err.msg, part));
}

static cdate ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

#define HDR "id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero\n"
/* a row of HDR with a valid CPF and everything right */
#define GOOD "A1,529.982.247-25,Maria,100.00,2026-11-24,341,12345678\n"

/* ---- csv reader ---- */

static int csv_all(struct csv_reader *r, const char *text, char out[][32], int max, long *lines)
{
	const char *why = NULL;
	int n = 0, rc;

	csv_init(r, (const unsigned char *)text, strlen(text));
	while ((rc = csv_next(r, &why)) > 0) {
		size_t k;
		char *o = out[n];

		/* record as "a|b|c" for easy comparison */
		o[0] = '\0';
		for (k = 0; k < r->nfields; k++) {
			size_t l = strlen(o);

			snprintf(o + l, 32 - l, "%s%.*s", k ? "|" : "", (int)r->fields[k].len,
				 r->fields[k].s);
		}
		if (lines)
			lines[n] = r->line;
		if (++n == max)
			break;
	}
	return rc < 0 ? -1 : n;
}

static void test_csv_basic(void **state)
{
	struct csv_reader r;
	char out[8][32];
	long lines[8];

	(void)state;
	assert_int_equal(csv_all(&r, "a,b,c\n1,2,3\n", out, 8, lines), 2);
	assert_int_equal(r.sep, ',');
	assert_string_equal(out[0], "a|b|c");
	assert_string_equal(out[1], "1|2|3");
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 2);
	csv_free(&r);

	/* ';' wins when it is more frequent; empty cells kept; no final newline */
	assert_int_equal(csv_all(&r, "a;b;c\r\n1;;2,5\r\n\r\n;x;", out, 8, lines), 3);
	assert_int_equal(r.sep, ';');
	assert_string_equal(out[1], "1||2,5");
	assert_string_equal(out[2], "|x|");
	assert_int_equal(lines[2], 4);
	csv_free(&r);
}

static void test_csv_quotes(void **state)
{
	struct csv_reader r;
	char out[8][32];
	long lines[8];

	(void)state;
	/* a quoted ';' in the header does not vote for the separator */
	assert_int_equal(csv_all(&r, "\"a;b;c\",d\n\"x,y\",\"say \"\"hi\"\"\"\n", out, 8, lines),
			 2);
	assert_int_equal(r.sep, ',');
	assert_string_equal(out[0], "a;b;c|d");
	assert_string_equal(out[1], "x,y|say \"hi\"");
	csv_free(&r);

	/* newlines inside quotes: the record spans lines, the next one starts
	 * on the right line; blank lines are skipped but counted */
	assert_int_equal(
		csv_all(&r, "h1,h2\n\"two\nlines\",b\r\n\n \nc,\"d\r\ne\"\nf,g", out, 8, lines), 4);
	assert_string_equal(out[1], "two\nlines|b");
	assert_int_equal(lines[1], 2);
	assert_string_equal(out[2], "c|d\r\ne");
	assert_int_equal(lines[2], 6);
	assert_string_equal(out[3], "f|g");
	assert_int_equal(lines[3], 8);
	csv_free(&r);

	/* blanks before an opening quote are dropped, text after it kept */
	assert_int_equal(csv_all(&r, "a, \"b,c\" ,\"d\"e\n", out, 8, NULL), 1);
	assert_string_equal(out[0], "a|b,c |de");
	csv_free(&r);

	/* lone CR line ends (old Mac Excel) */
	assert_int_equal(csv_all(&r, "a,b\r1,2\r", out, 8, lines), 2);
	assert_string_equal(out[1], "1|2");
	assert_int_equal(lines[1], 2);
	csv_free(&r);
}

static void test_csv_bom_and_errors(void **state)
{
	struct csv_reader r;
	char out[8][32];
	const char *why = NULL;
	static const char unterminated[] = "a,b\n1,\"open\n2,3\n";

	(void)state;
	assert_int_equal(csv_all(&r, "\xEF\xBB\xBFid;x\n", out, 8, NULL), 1);
	assert_string_equal(out[0], "id|x");
	assert_int_equal(r.sep, ';');
	csv_free(&r);

	assert_int_equal(csv_all(&r, "", out, 8, NULL), 0);
	csv_free(&r);
	assert_int_equal(csv_all(&r, "\n\n  \n", out, 8, NULL), 0);
	csv_free(&r);

	csv_init(&r, (const unsigned char *)unterminated, strlen(unterminated));
	assert_int_equal(csv_next(&r, &why), 1);
	assert_int_equal(csv_next(&r, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, "unterminated quoted field");
	assert_int_equal(r.line, 2);
	assert_int_equal(csv_next(&r, &why), 0);
	csv_free(&r);
}

/* A record wider than the first one grows the buffers and keeps the fields
 * of the new record intact (they point into a store that moved). */
static void test_csv_growth(void **state)
{
	static char text[20000];
	struct csv_reader r;
	const char *why = NULL;
	size_t o = 0, k;

	(void)state;
	o += (size_t)snprintf(text + o, sizeof text - o, "a\n");
	for (k = 0; k < 1000; k++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%s\"cell%04zu\"", k ? "," : "",
				      k);
	snprintf(text + o, sizeof text - o, "\n");
	csv_init(&r, (const unsigned char *)text, strlen(text));
	assert_int_equal(csv_next(&r, &why), 1);
	assert_int_equal(csv_next(&r, &why), 1);
	assert_int_equal(r.nfields, 1000);
	assert_int_equal(r.fields[0].len, 8);
	assert_memory_equal(r.fields[0].s, "cell0000", 8);
	assert_memory_equal(r.fields[999].s, "cell0999", 8);
	assert_int_equal(csv_next(&r, &why), 0);
	csv_free(&r);
}

/* ---- receivables: good files ---- */

static void test_happy_comma(void **state)
{
	const struct receivable_row *a, *b;

	(void)state;
	expect_rows(
		"nosso_numero,ID,Debtor_Name , amount,due_date,bank,debtor_document,pix_txid,"
		"issue_date,fine_percent,interest_percent_month,discount_amount,discount_until,"
		"status,email,phone,state\n"
		"0001234-5,A-1,Maria da Silva,1234.56,2026-11-24,1,529.982.247-25,"
		"abcdefghijklmnopqrstuvwxyz01,2026-10-01,2,1,10.00,2026-11-20,open,"
		"maria@example.com,+55 (11) 98765-4321,sp\n"
		"\n"
		"99,A-2,Empresa Ltda,\"1,234.50\",2026-12-01,033,11.222.333/0001-81,,,,,,,CANCELED,"
		",,\n",
		2);
	assert_int_equal(got.nwarns, 0);
	a = &got.rows[0];
	assert_int_equal(a->line, 2);
	assert_string_equal(a->id, "A-1");
	assert_string_equal(a->debtor_document, "52998224725");
	assert_string_equal(a->debtor_name, "Maria da Silva");
	assert_int_equal(a->amount_cents, 123456);
	assert_int_equal(a->due_date, ymd(2026, 11, 24));
	assert_int_equal(a->bank, 1);
	assert_string_equal(a->nosso_numero_raw, "0001234-5");
	assert_string_equal(a->nosso_numero, "12345");
	assert_string_equal(a->pix_txid, "abcdefghijklmnopqrstuvwxyz01");
	assert_int_equal(a->issue_date, ymd(2026, 10, 1));
	assert_int_equal(a->fine_e4, 20000);
	assert_int_equal(a->interest_month_e4, 10000);
	assert_int_equal(a->discount_cents, 1000);
	assert_int_equal(a->discount_until, ymd(2026, 11, 20));
	assert_int_equal(a->status, RECEIVABLE_OPEN);
	assert_string_equal(a->email, "maria@example.com");
	assert_string_equal(a->phone, "+5511987654321");
	assert_string_equal(a->state, "SP");

	b = &got.rows[1];
	assert_int_equal(b->line, 4);
	assert_string_equal(b->debtor_document, "11222333000181");
	assert_int_equal(b->amount_cents, 123450);
	assert_int_equal(b->bank, 33);
	assert_string_equal(b->nosso_numero, "99");
	assert_string_equal(b->pix_txid, "");
	assert_int_equal(b->issue_date, CDATE_NONE);
	assert_int_equal(b->fine_e4, 0);
	assert_int_equal(b->discount_cents, 0);
	assert_int_equal(b->discount_until, CDATE_NONE);
	assert_int_equal(b->status, RECEIVABLE_CANCELLED);
	assert_string_equal(b->email, "");
	assert_string_equal(b->phone, "");
	assert_string_equal(b->state, "");
}

/* The ERP's other states, and the collection account label. */
static void test_status_and_account(void **state)
{
	(void)state;
	expect_rows("id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,status,account\n"
		    "D-1,52998224725,Ana,10.00,2026-11-24,341,1,Disputed,itau-sp\n"
		    "D-2,52998224725,Ana,10.00,2026-11-24,341,2,renegotiated,\n",
		    2);
	assert_int_equal(got.rows[0].status, RECEIVABLE_DISPUTED);
	assert_string_equal(got.rows[0].account, "itau-sp");
	assert_int_equal(got.rows[1].status, RECEIVABLE_RENEGOTIATED);
	assert_string_equal(got.rows[1].account, "");
	assert_string_equal(receivable_status_name(RECEIVABLE_RENEGOTIATED), "renegotiated");
	expect_error("id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,account\n"
		     "D-1,52998224725,Ana,10.00,2026-11-24,341,1,conta sp\n",
		     2, "account", "expected an account label (letters, digits, '-', '_', '.'), found \"conta sp\"");
}

/* What Excel in pt-BR writes: BOM, ';', CRLF, decimal comma, DD/MM/YYYY. */
static void test_happy_semicolon_ptbr(void **state)
{
	(void)state;
	expect_rows("\xEF\xBB\xBF"
		    "id;debtor_document;debtor_name;amount;due_date;bank;nosso_numero;"
		    "fine_percent;discount_amount;discount_until\r\n"
		    "7;11222333000181;\"Padaria; Doces & Cia\";1.234,56;05/01/2027;237;"
		    "  00042 ;2,5;0,00;\r\n"
		    "8;52998224725;\"O \"\"Rei\"\" do Bolo\";\"R$ 10,5\";28/02/2027;237;43;"
		    "0,033;1,50;20/02/2027\r\n",
		    2);
	assert_int_equal(got.rows[0].line, 2);
	assert_string_equal(got.rows[0].debtor_name, "Padaria; Doces & Cia");
	assert_int_equal(got.rows[0].amount_cents, 123456);
	assert_int_equal(got.rows[0].due_date, ymd(2027, 1, 5));
	assert_string_equal(got.rows[0].nosso_numero_raw, "00042");
	assert_string_equal(got.rows[0].nosso_numero, "42");
	assert_int_equal(got.rows[0].fine_e4, 25000);
	/* 0,00 is how ERPs say "no discount" */
	assert_int_equal(got.rows[0].discount_cents, 0);
	assert_int_equal(got.rows[0].discount_until, CDATE_NONE);
	assert_string_equal(got.rows[1].debtor_name, "O \"Rei\" do Bolo");
	assert_int_equal(got.rows[1].amount_cents, 1050);
	assert_int_equal(got.rows[1].fine_e4, 330);
	assert_int_equal(got.rows[1].discount_cents, 150);
	assert_int_equal(got.rows[1].discount_until, ymd(2027, 2, 20));
}

/* A multi-line quoted cell in an ignored column moves the line numbers of
 * what follows, and rows of empty cells are skipped. */
static void test_multiline_and_blank_rows(void **state)
{
	(void)state;
	expect_rows("id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,notes\n"
		    "A1,529.982.247-25,Maria,100.00,2026-11-24,341,1,\"first\nsecond\n\"\n"
		    ",,,,,,,\n"
		    "A2,529.982.247-25,Maria,100.00,2026-11-24,341,2,\n",
		    2);
	assert_int_equal(got.nwarns, 1);
	assert_string_equal(got.warns[0].field, "notes");
	assert_int_equal(got.warns[0].severity, DIAG_WARNING);
	assert_int_equal(got.warns[0].line, 1);
	assert_int_equal(got.rows[0].line, 2);
	assert_int_equal(got.rows[1].line, 6);
}

static void test_cp1252(void **state)
{
	(void)state;
	/* Windows-1252: é = E9, ç = E7, ã = E3, õ = F5 */
	expect_rows("id;debtor_document;debtor_name;amount;due_date;bank;nosso_numero;"
		    "Observa\xE7\xF5"
		    "es\n"
		    "1;52998224725;Jos\xE9 da Concei\xE7\xE3o;10,00;24/11/2026;1;5;x\n",
		    1);
	assert_string_equal(got.rows[0].debtor_name, "Jos\xC3\xA9 da Concei\xC3\xA7\xC3\xA3o");
	assert_int_equal(got.nwarns, 1);
	assert_string_equal(got.warns[0].field, "Observa\xC3\xA7\xC3\xB5"
						"es");
	assert_string_equal(got.warns[0].msg, "unknown column ignored");

	/* the same name in UTF-8 is kept as is */
	expect_rows(HDR "1,52998224725,Jos\xC3\xA9,10.00,2026-11-24,1,5\n", 1);
	assert_string_equal(got.rows[0].debtor_name, "Jos\xC3\xA9");
}

static void test_header_only_and_warnings(void **state)
{
	(void)state;
	expect_rows(HDR, 0);
	assert_int_equal(got.nrows, 0);
	expect_rows("id,,debtor_document,debtor_name,amount,due_date,bank,nosso_numero\n"
		    "A1,,529.982.247-25,Maria,100.00,2026-11-24,341,12345678\n",
		    1);
	assert_int_equal(got.nwarns, 1);
	assert_string_equal(got.warns[0].field, "");
	assert_string_equal(got.warns[0].msg, "column 2 has no name; ignored");
	/* a NULL callback and a NULL sink only validate */
	assert_int_equal(receivables_csv_parse("in.csv", (const unsigned char *)HDR GOOD,
					       strlen(HDR GOOD), NULL, NULL, NULL, NULL, &err),
			 1);
}

/* ---- receivables: every error ---- */

static void test_errors_header(void **state)
{
	(void)state;
	expect_error("", 1, "", "no header row: the file is empty");
	expect_error("id,debtor_document,debtor_name,due_date,bank,nosso_numero\n", 1, "amount",
		     "required column missing");
	expect_error("\n\nid,debtor_name,due_date,nosso_numero\n", 3, "debtor_document",
		     "required column missing (also missing: 'amount', 'bank')");
	expect_error("id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,AMOUNT\n", 1,
		     "amount", "duplicate column (columns 4 and 8)");
	expect_error(HDR "1,\"x\n", 2, "", "unterminated quoted field");
}

static void test_errors_shape(void **state)
{
	(void)state;
	expect_error(HDR GOOD "A2,529.982.247-25,Maria,100.00,2026-11-24,341\n", 3, "",
		     "row has 6 cells, but the header has 7 columns");
	expect_error(HDR GOOD "A2,529.982.247-25,Maria,100.00,2026-11-24,341,1,x\n", 3, "",
		     "row has 8 cells, but the header has 7 columns");
	expect_error(HDR "\n" GOOD "\n" GOOD, 5, "id", "duplicate id \"A1\", first on line 3");
	expect_error(HDR " ,529.982.247-25,Maria,100.00,2026-11-24,341,12345678\n", 2, "id",
		     "required value is blank");
}

static void test_errors_amount(void **state)
{
	(void)state;
	expect_error(HDR "A1,529.982.247-25,Maria,12x,2026-11-24,341,1\n", 2, "amount",
		     "expected an amount like 1234.56 or 1.234,56, found \"12x\"");
	/* ambiguous: thousands or decimals? refused rather than guessed */
	expect_error(HDR "A1,529.982.247-25,Maria,1.234,2026-11-24,341,1\n", 2, "amount",
		     "expected an amount like 1234.56 or 1.234,56, found \"1.234\"");
	expect_error(HDR "A1,529.982.247-25,Maria,\"0,00\",2026-11-24,341,1\n", 2, "amount",
		     "expected an amount greater than zero, found \"0,00\"");
	expect_error(HDR "A1,529.982.247-25,Maria,-5.00,2026-11-24,341,1\n", 2, "amount",
		     "expected an amount greater than zero, found \"-5.00\"");
}

static void test_errors_cells(void **state)
{
	(void)state;
	/* the message ends with taxid's reason; its start is ours */
	expect_error_with(HDR "A1,529.982.247-26,Maria,1.00,2026-11-24,341,1\n", 2,
			  "debtor_document", "expected a CPF or CNPJ, found \"529.982.247-26\": ");
	expect_error_with(HDR "A1,1234,Maria,1.00,2026-11-24,341,1\n", 2, "debtor_document",
			  "expected a CPF or CNPJ, found \"1234\": ");

	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-02-29,341,1\n", 2, "due_date",
		     "expected a date like 2026-11-24 or 24/11/2026, found \"2026-02-29\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,31/04/2026,341,1\n", 2, "due_date",
		     "expected a date like 2026-11-24 or 24/11/2026, found \"31/04/2026\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,3410,1\n", 2, "bank",
		     "expected a bank code of 1 to 3 digits like 001 or 341, found \"3410\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,000,1\n", 2, "bank",
		     "expected a bank code of 1 to 3 digits like 001 or 341, found \"000\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,34a,1\n", 2, "bank",
		     "expected a bank code of 1 to 3 digits like 001 or 341, found \"34a\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,341,12#4\n", 2, "nosso_numero",
		     "expected a nosso numero of letters and digits (at most 20 without "
		     "punctuation and leading zeros), found \"12#4\"");
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,341,--/.\n", 2, "nosso_numero",
		     "expected a nosso numero of letters and digits (at most 20 without "
		     "punctuation and leading zeros), found \"--/.\"");
	/* never truncated: 21 characters as written */
	expect_error(HDR "A1,529.982.247-25,Maria,1.00,2026-11-24,341,123456789012345678901\n", 2,
		     "nosso_numero", "too long: 21 bytes, the limit is 20 bytes");
	expect_error(HDR "A1,529.982.247-25,\"Ma\nria\",1.00,2026-11-24,341,1\n", 2, "debtor_name",
		     "control character (line break, tab) not allowed in \"Ma\\x0Aria\"");
	expect_error(HDR "A1,529.982.247-25,,1.00,2026-11-24,341,1\n", 2, "debtor_name",
		     "required value is blank");
}

static void test_errors_lengths(void **state)
{
	char text[1024];
	char id65[66], name121[122];

	(void)state;
	memset(id65, 'x', 65);
	id65[65] = '\0';
	memset(name121, 'n', 121);
	name121[121] = '\0';
	snprintf(text, sizeof text, HDR "%s,529.982.247-25,Maria,1.00,2026-11-24,341,1\n", id65);
	expect_error(text, 2, "id", "too long: 65 bytes, the limit is 64 bytes");
	/* 64 is fine */
	snprintf(text, sizeof text, HDR "%.64s,529.982.247-25,%.120s,1.00,2026-11-24,341,1\n", id65,
		 name121);
	expect_rows(text, 1);
	assert_int_equal(strlen(got.rows[0].id), 64);
	assert_int_equal(strlen(got.rows[0].debtor_name), 120);
	snprintf(text, sizeof text, HDR "A1,529.982.247-25,%s,1.00,2026-11-24,341,1\n", name121);
	expect_error(text, 2, "debtor_name", "too long: 121 bytes, the limit is 120 bytes");
}

#define HDR_OPT "id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,"
#define ROW_OPT "A1,529.982.247-25,Maria,100.00,2026-11-24,341,1,"

static void test_errors_optional(void **state)
{
	(void)state;
	expect_error(HDR_OPT "pix_txid\n" ROW_OPT "abc\n", 2, "pix_txid",
		     "expected a Pix txid of 26 to 35 letters and digits, found \"abc\"");
	expect_error(HDR_OPT "pix_txid\n" ROW_OPT "abcdefghijklmnopqrstuvwxyz-1\n", 2, "pix_txid",
		     "expected a Pix txid of 26 to 35 letters and digits, found "
		     "\"abcdefghijklmnopqrstuvwxyz-1\"");
	expect_error(HDR_OPT "issue_date\n" ROW_OPT "25/11/2026\n", 2, "issue_date",
		     "issue date 2026-11-25 is after the due date 2026-11-24");
	expect_error(HDR_OPT "issue_date\n" ROW_OPT "yesterday\n", 2, "issue_date",
		     "expected a date like 2026-11-24 or 24/11/2026, found \"yesterday\"");
	expect_error_with(HDR_OPT "fine_percent\n" ROW_OPT "2x\n", 2, "fine_percent",
			  "expected a percentage like 2 or 0,033, found \"2x\": ");
	expect_error_with(HDR_OPT "interest_percent_month\n" ROW_OPT "101\n", 2,
			  "interest_percent_month",
			  "expected a percentage like 2 or 0,033, found \"101\": ");
	expect_error(HDR_OPT "discount_amount\n" ROW_OPT "5.00\n", 2, "discount_until",
		     "required when discount_amount is given");
	expect_error(HDR_OPT "discount_amount,discount_until\n" ROW_OPT ",2026-11-20\n", 2,
		     "discount_amount",
		     "required (greater than zero) when discount_until is given");
	expect_error(HDR_OPT "discount_amount,discount_until\n" ROW_OPT "100.00,2026-11-20\n", 2,
		     "discount_amount", "discount 100.00 must be less than the amount 100.00");
	expect_error(HDR_OPT "discount_amount,discount_until\n" ROW_OPT "5x,2026-11-20\n", 2,
		     "discount_amount",
		     "expected an amount like 1234.56 or 1.234,56, found \"5x\"");
	expect_error(HDR_OPT "discount_amount,discount_until\n" ROW_OPT "5.00,2026-13-20\n", 2,
		     "discount_until",
		     "expected a date like 2026-11-24 or 24/11/2026, found \"2026-13-20\"");
	expect_error(HDR_OPT "status\n" ROW_OPT "paid\n", 2, "status",
		     "expected open, cancelled, disputed or renegotiated, found \"paid\"");
	expect_error(
		HDR_OPT "email\n" ROW_OPT "maria at example.com\n", 2, "email",
		"expected an e-mail address like name@example.com, found \"maria at example.com\"");
	expect_error(HDR_OPT "email\n" ROW_OPT "a@b@c\n", 2, "email",
		     "expected an e-mail address like name@example.com, found \"a@b@c\"");
	expect_error(HDR_OPT "phone\n" ROW_OPT "11 9876-543x\n", 2, "phone",
		     "expected a phone number of 8 to 20 digits, with an optional leading '+', "
		     "found \"11 9876-543x\"");
	expect_error(HDR_OPT "phone\n" ROW_OPT "1234+5678\n", 2, "phone",
		     "expected a phone number of 8 to 20 digits, with an optional leading '+', "
		     "found \"1234+5678\"");
	expect_error(HDR_OPT "state\n" ROW_OPT "XX\n", 2, "state",
		     "expected a Brazilian state code (UF) like SP or RJ, found \"XX\"");
	expect_error(HDR_OPT "state\n" ROW_OPT "SPO\n", 2, "state",
		     "expected a Brazilian state code (UF) like SP or RJ, found \"SPO\"");
}

/* The charge terms beyond fine_percent / interest_percent_month /
 * discount_amount: fixed fine and interest, start dates, rebate, discount
 * as a percentage, tiers 2 and 3. */
static void test_charge_terms(void **state)
{
	(void)state;
	expect_rows(HDR_OPT "fine_amount,fine_after,interest_amount_day,interest_after,rebate_amount,"
			    "discount_percent,discount_until,discount2_amount,discount2_until,discount3_percent,"
			    "discount3_until\n" ROW_OPT "5.00,2026-11-27,0.12,2026-11-24,10.00,5,2026-11-01,2.50,"
			    "2026-11-10,1,2026-11-24\n",
		    1);
	const struct receivable_row *r = &got.rows[0];
	assert_int_equal(r->fine_cents, 500);
	assert_int_equal(r->fine_e4, 0);
	assert_int_equal(r->fine_after, ymd(2026, 11, 27));
	assert_int_equal(r->interest_day_cents, 12);
	assert_int_equal(r->interest_month_e4, 0);
	assert_int_equal(r->interest_after, ymd(2026, 11, 24));
	assert_int_equal(r->rebate_cents, 1000);
	assert_int_equal(r->discount_e4, 50000);
	assert_int_equal(r->discount_cents, 0);
	assert_int_equal(r->discount_until, ymd(2026, 11, 1));
	assert_int_equal(r->discount2_cents, 250);
	assert_int_equal(r->discount2_until, ymd(2026, 11, 10));
	assert_int_equal(r->discount3_e4, 10000);
	assert_int_equal(r->discount3_until, ymd(2026, 11, 24));
	/* absent columns and blank cells: nothing, dates CDATE_NONE */
	expect_rows(HDR_OPT "fine_amount,fine_after,discount2_amount,discount2_until\n" ROW_OPT "0.00,,,\n", 1);
	assert_int_equal(got.rows[0].fine_cents, 0);
	assert_int_equal(got.rows[0].fine_after, CDATE_NONE);
	assert_int_equal(got.rows[0].interest_after, CDATE_NONE);
	assert_int_equal(got.rows[0].discount2_until, CDATE_NONE);
	assert_int_equal(got.rows[0].discount3_until, CDATE_NONE);
}

static void test_charge_terms_errors(void **state)
{
	(void)state;
	/* each charge in one form only */
	expect_error(HDR_OPT "fine_percent,fine_amount\n" ROW_OPT "2,1.00\n", 2, "fine_amount",
		     "give fine_percent or fine_amount, not both");
	expect_error(HDR_OPT "interest_percent_month,interest_amount_day\n" ROW_OPT "1,0.03\n", 2,
		     "interest_amount_day", "give interest_percent_month or interest_amount_day, not both");
	expect_error(HDR_OPT "discount_amount,discount_percent,discount_until\n" ROW_OPT "1.00,2,2026-11-20\n",
		     2, "discount_percent", "give discount_amount or discount_percent, not both");
	/* amounts */
	expect_error(HDR_OPT "fine_amount\n" ROW_OPT "-1.00\n", 2, "fine_amount",
		     "expected an amount of zero or more, found \"-1.00\"");
	expect_error(HDR_OPT "fine_amount\n" ROW_OPT "100.01\n", 2, "fine_amount",
		     "fine 100.01 is more than the amount 100.00");
	expect_error(HDR_OPT "interest_amount_day\n" ROW_OPT "abc\n", 2, "interest_amount_day",
		     "expected an amount like 1234.56 or 1.234,56, found \"abc\"");
	expect_error(HDR_OPT "interest_amount_day\n" ROW_OPT "200\n", 2, "interest_amount_day",
		     "interest of 200.00 a day is more than the amount 100.00");
	expect_error(HDR_OPT "rebate_amount\n" ROW_OPT "100.00\n", 2, "rebate_amount",
		     "rebate 100.00 must be less than the amount 100.00");
	expect_error(HDR_OPT "rebate_amount,discount_amount,discount_until\n" ROW_OPT "60,40,2026-11-20\n", 2,
		     "discount_amount", "discount 40.00 must be less than the amount 40.00 less the rebate");
	expect_error(HDR_OPT "discount_percent,discount_until\n" ROW_OPT "100,2026-11-20\n", 2,
		     "discount_percent", "a discount must be less than 100%");
	/* start dates */
	expect_error(HDR_OPT "fine_after\n" ROW_OPT "2026-11-30\n", 2, "fine_after",
		     "given without fine_percent or fine_amount");
	expect_error(HDR_OPT "fine_percent,fine_after\n" ROW_OPT "2,2026-11-23\n", 2, "fine_after",
		     "2026-11-23 is before the due date 2026-11-24");
	expect_error(HDR_OPT "fine_percent,fine_after\n" ROW_OPT "2,2036-12-31\n", 2, "fine_after",
		     "2036-12-31 is more than ten years after the due date 2026-11-24");
	expect_error(HDR_OPT "interest_percent_month,interest_after\n" ROW_OPT "1,tomorrow\n", 2,
		     "interest_after", "expected a date like 2026-11-24 or 24/11/2026, found \"tomorrow\"");
	expect_error(HDR_OPT "interest_after\n" ROW_OPT "2026-11-30\n", 2, "interest_after",
		     "given without interest_percent_month or interest_amount_day");
	/* tiers */
	expect_error(HDR_OPT "discount_percent\n" ROW_OPT "2\n", 2, "discount_until",
		     "required when discount_percent is given");
	expect_error(HDR_OPT "discount_amount,discount_percent,discount_until\n" ROW_OPT ",,2026-11-20\n", 2,
		     "discount_amount",
		     "discount_amount or discount_percent required (greater than zero) when discount_until is given");
	expect_error(HDR_OPT "discount_amount,discount_until\n" ROW_OPT "1.00,2026-11-25\n", 2, "discount_until",
		     "2026-11-25 is after the due date 2026-11-24");
	expect_error(HDR_OPT "discount2_amount,discount2_until\n" ROW_OPT "1.00,2026-11-20\n", 2,
		     "discount2_amount", "given without discount tier 1 (discount_amount or discount_percent)");
	expect_error(HDR_OPT "discount_amount,discount_until,discount3_percent,discount3_until\n" ROW_OPT
		     "2.00,2026-11-10,1,2026-11-20\n",
		     2, "discount3_percent", "given without discount tier 2 (discount2_amount or discount2_percent)");
	expect_error(HDR_OPT "discount_amount,discount_until,discount2_amount,discount2_until\n" ROW_OPT
		     "2.00,2026-11-10,1.00,2026-11-10\n",
		     2, "discount2_until", "2026-11-10 must be after discount_until 2026-11-10");
	expect_error(HDR_OPT "discount2_until\n" ROW_OPT "2026-11-10\n", 2, "discount2_amount",
		     "required (greater than zero) when discount2_until is given");
}

/* Rows before the error were handed over; parsing stops at the first bad
 * one, and a refusing callback stops it too. */
static void test_stops_at_first_error(void **state)
{
	(void)state;
	assert_int_equal(parse(HDR GOOD "A2,529.982.247-25,Maria,x,2026-11-24,341,1\n"
					"A3,529.982.247-25,Maria,y,2026-11-24,341,1\n"),
			 -1);
	assert_int_equal(got.nrows, 1);
	assert_int_equal(err.line, 3);

	memset(&got, 0, sizeof got);
	got.stop_at = 2;
	diag_clear(&err);
	assert_int_equal(receivables_csv_parse(
				 "in.csv",
				 (const unsigned char *)HDR GOOD
				 "A2,529.982.247-25,Maria,1.00,2026-11-24,341,1\n",
				 strlen(HDR GOOD "A2,529.982.247-25,Maria,1.00,2026-11-24,341,1\n"),
				 collect_row, &got, NULL, NULL, &err),
			 -1);
	assert_int_equal(got.nrows, 1);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "row rejected");
}

/* The id set grows past its first size and still finds an early id. */
static void test_duplicate_id_after_growth(void **state)
{
	static char text[300000];
	size_t o = 0;
	int k;

	(void)state;
	o += (size_t)snprintf(text + o, sizeof text - o, HDR);
	for (k = 1; k <= 3000; k++)
		o += (size_t)snprintf(text + o, sizeof text - o,
				      "ID-%d,529.982.247-25,Maria,1.00,2026-11-24,341,%d\n", k, k);
	expect_rows(text, 3000);
	snprintf(text + o, sizeof text - o, "ID-7,529.982.247-25,Maria,1.00,2026-11-24,341,1\n");
	expect_error(text, 3002, "id", "duplicate id \"ID-7\", first on line 8");
}

/* Errors echo the cell in UTF-8, escaped and shortened. */
static void test_error_echo(void **state)
{
	char text[1024];

	(void)state;
	expect_error(HDR_OPT "state\n" ROW_OPT "S\xE3o\n", 2, "state",
		     "expected a Brazilian state code (UF) like SP or RJ, found \"S\xC3\xA3o\"");
	snprintf(text, sizeof text, HDR_OPT "status\n" ROW_OPT "%s\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	expect_error(text, 2, "status",
		     "expected open, cancelled, disputed or renegotiated, found "
		     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
	expect_error(HDR_OPT "status\n" ROW_OPT "\"a\"\"b\\c\"\n", 2, "status",
		     "expected open, cancelled, disputed or renegotiated, found \"a\\\"b\\\\c\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_quotes),
		cmocka_unit_test(test_csv_bom_and_errors),
		cmocka_unit_test(test_csv_growth),
		cmocka_unit_test(test_happy_comma),
		cmocka_unit_test(test_status_and_account),
		cmocka_unit_test(test_happy_semicolon_ptbr),
		cmocka_unit_test(test_charge_terms),
		cmocka_unit_test(test_charge_terms_errors),
		cmocka_unit_test(test_multiline_and_blank_rows),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_header_only_and_warnings),
		cmocka_unit_test(test_errors_header),
		cmocka_unit_test(test_errors_shape),
		cmocka_unit_test(test_errors_amount),
		cmocka_unit_test(test_errors_cells),
		cmocka_unit_test(test_errors_lengths),
		cmocka_unit_test(test_errors_optional),
		cmocka_unit_test(test_stops_at_first_error),
		cmocka_unit_test(test_duplicate_id_after_growth),
		cmocka_unit_test(test_error_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
