/* Unit tests for src/codec/cnab240.c on synthetic files built here, record
 * by record: a good file, every kind of wrapping the reader must tolerate
 * (EOLs, BOM, 0x1A, blank tail, short and long lines) and every kind of
 * damage it must report, with its FILE:LINE:COL. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/cnab240.h"
#include "codec/layout.h"
#include "core/date.h"

#define RL       240
/* A bank code with no layout of its own, so these files are read with
 * cnab240-febraban (bank variants: tests/test-cnab240-banks.c). */
#define TEST_BANK "999"
#define MAX_RECS 48

/* ---- building files */

struct cnab {
	char rec[MAX_RECS][RL + 8]; /* room for over-long records */
	int n;
};

static char *new_rec(struct cnab *f)
{
	assert_true(f->n < MAX_RECS);
	char *r = f->rec[f->n++];
	memset(r, ' ', RL);
	r[RL] = '\0';
	return r;
}

static void put(char *r, int start, const char *s)
{
	memcpy(r + start - 1, s, strlen(s));
}

static void putnum(char *r, int start, int end, long long v)
{
	for (int p = end; p >= start; p--, v /= 10)
		r[p - 1] = (char)('0' + v % 10);
	assert_int_equal(v, 0); /* the number fits */
}

static void add_header(struct cnab *f)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	put(r, 4, "0000");
	put(r, 8, "0");
	put(r, 18, "2");
	put(r, 19, "12345678000195");
	put(r, 33, "CONV123");
	put(r, 53, "01234");
	put(r, 58, "5");
	put(r, 59, "000000012345");
	put(r, 71, "6");
	put(r, 73, "EMPRESA TESTE LTDA");
	put(r, 103, "BANCO TESTE S.A.");
	put(r, 143, "2");
	put(r, 144, "24112026");
	put(r, 152, "101500");
	put(r, 158, "000042");
	put(r, 164, "103");
}

static void add_lote_header(struct cnab *f, int lote)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	putnum(r, 4, 7, lote);
	put(r, 8, "1");
	put(r, 9, "T");
	put(r, 10, "01");
	put(r, 14, "060");
	put(r, 18, "2");
	put(r, 19, "012345678000195");
	put(r, 74, "EMPRESA TESTE LTDA");
	putnum(r, 184, 191, 42);
	put(r, 192, "24112026");
	put(r, 200, "00000000");
}

struct title {
	const char *mov;
	const char *nosso;
	long long face, paid, net, tariff, charges;
};

/* T + U; returns the next sequence number. */
static int add_title(struct cnab *f, int lote, int seq, const struct title *t)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	putnum(r, 4, 7, lote);
	put(r, 8, "3");
	putnum(r, 9, 13, seq);
	put(r, 14, "T");
	put(r, 16, t->mov);
	put(r, 18, "012345");
	put(r, 38, t->nosso);
	put(r, 58, "1");
	put(r, 59, "DOC-1");
	put(r, 74, "10112026");
	putnum(r, 82, 96, t->face);
	put(r, 97, "341");
	put(r, 100, "01234");
	put(r, 106, "INV-0001");
	put(r, 131, "09");
	put(r, 133, "1");
	put(r, 134, "000012345678909");
	put(r, 149, "JOAO DA SILVA");
	putnum(r, 199, 213, t->tariff);
	put(r, 214, "0000000000");

	r = new_rec(f);
	put(r, 1, TEST_BANK);
	putnum(r, 4, 7, lote);
	put(r, 8, "3");
	putnum(r, 9, 13, seq + 1);
	put(r, 14, "U");
	put(r, 16, t->mov);
	putnum(r, 18, 32, t->charges);
	putnum(r, 33, 47, 0);
	putnum(r, 48, 62, 0);
	putnum(r, 63, 77, 0);
	putnum(r, 78, 92, t->paid);
	putnum(r, 93, 107, t->net);
	putnum(r, 108, 122, 0);
	putnum(r, 123, 137, 0);
	put(r, 138, "20112026");
	put(r, 146, "21112026");
	put(r, 154, "0000");
	put(r, 158, "00000000");
	putnum(r, 166, 180, 0);
	return seq + 2;
}

static void add_segment(struct cnab *f, int lote, int seq, char seg, const char *mov, const char *text)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	putnum(r, 4, 7, lote);
	put(r, 8, "3");
	putnum(r, 9, 13, seq);
	r[13] = seg;
	put(r, 16, mov);
	put(r, 18, text);
}

static void add_lote_trailer(struct cnab *f, int lote, long count)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	putnum(r, 4, 7, lote);
	put(r, 8, "5");
	putnum(r, 18, 23, count);
	putnum(r, 24, 115, 0);
}

static void add_trailer(struct cnab *f, long lotes, long records)
{
	char *r = new_rec(f);
	put(r, 1, TEST_BANK);
	put(r, 4, "9999");
	put(r, 8, "9");
	putnum(r, 18, 23, lotes);
	putnum(r, 24, 29, records);
	putnum(r, 30, 35, 0);
}

static const struct title title1 = {"06", "00000000000000012345", 15000, 15250, 15000, 250, 250};
static const struct title title2 = {"02", "98765", 9990, 0, 0, 0, 0};

/* header, lote header, two titles, lote trailer, file trailer: 8 records */
static void good_file(struct cnab *f)
{
	memset(f, 0, sizeof *f);
	add_header(f);
	add_lote_header(f, 1);
	int seq = add_title(f, 1, 1, &title1);
	add_title(f, 1, seq, &title2);
	add_lote_trailer(f, 1, 6);
	add_trailer(f, 1, 8);
}

/* Joins the records with eol after each; the caller frees. */
static char *join(const struct cnab *f, const char *eol, size_t *len)
{
	size_t el = strlen(eol), total = 1;
	for (int i = 0; i < f->n; i++)
		total += strlen(f->rec[i]) + el;
	char *buf = malloc(total);
	size_t o = 0;
	assert_non_null(buf);
	for (int i = 0; i < f->n; i++) {
		size_t l = strlen(f->rec[i]);
		memcpy(buf + o, f->rec[i], l);
		o += l;
		memcpy(buf + o, eol, el);
		o += el;
	}
	buf[o] = '\0';
	*len = o;
	return buf;
}

/* ---- running the reader */

struct result {
	int rc;
	char err[1024];
	struct diag diag;
	struct cnab_file_info info;
	struct bank_event ev[16];
	int nev;
	int nwarn;
	char warnings[4096];
	int stop_after; /* callback fails after this many events (0 = never) */
};

static void on_warning(void *ctx, const struct diag *d)
{
	struct result *res = ctx;
	char buf[1024];
	res->nwarn++;
	assert_int_equal(d->severity, DIAG_WARNING);
	size_t used = strlen(res->warnings);
	snprintf(res->warnings + used, sizeof res->warnings - used, "%s\n", diag_format(d, buf, sizeof buf));
}

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct result *res = ctx;
	if (res->nev < 16)
		res->ev[res->nev] = *ev;
	res->nev++;
	if (res->stop_after && res->nev >= res->stop_after) {
		diag_set(d, DIAG_ERROR, "db", 0, 0, NULL, "disk full");
		return 1;
	}
	return 0;
}

static void run_layout(const struct layout *l, const void *buf, size_t len, struct result *res)
{
	int stop = res->stop_after;
	memset(res, 0, sizeof *res);
	res->stop_after = stop;
	res->rc = cnab240_parse(l, "t.ret", buf, len, &res->info, on_event, res, on_warning, res, &res->diag);
	if (res->rc != 0)
		diag_format(&res->diag, res->err, sizeof res->err);
}

static void run(const void *buf, size_t len, struct result *res)
{
	run_layout(NULL, buf, len, res);
}

static void run_file(const struct cnab *f, const char *eol, struct result *res)
{
	size_t len;
	char *buf = join(f, eol, &len);
	run(buf, len, res);
	free(buf);
}

static void expect_ok(const struct result *res, int titles)
{
	if (res->rc != 0)
		fail_msg("unexpected error: %s", res->err);
	assert_int_equal(res->nev, titles);
	assert_int_equal(res->info.titles, titles);
}

static void expect_error(const struct result *res, const char *prefix, const char *msg)
{
	if (res->rc == 0)
		fail_msg("parsed, but should fail with %s %s", prefix, msg);
	if (strncmp(res->err, prefix, strlen(prefix)) != 0 || strstr(res->err, msg) == NULL)
		fail_msg("got \"%s\", want \"%s ... %s\"", res->err, prefix, msg);
}

static void expect_warning(const struct result *res, const char *text)
{
	if (strstr(res->warnings, text) == NULL)
		fail_msg("no warning \"%s\" in:\n%s", text, res->warnings);
}

/* ---- good files */

static void test_good_file(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	good_file(&f);
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);

	const struct cnab_file_info *in = &res.info;
	assert_int_equal(in->bank, 999);
	assert_string_equal(in->bank_name, "BANCO TESTE S.A.");
	assert_string_equal(in->company_name, "EMPRESA TESTE LTDA");
	assert_string_equal(in->company_document, "12345678000195");
	assert_string_equal(in->agreement, "CONV123");
	assert_string_equal(in->agency, "012345");
	assert_string_equal(in->account, "0000000123456");
	assert_int_equal(in->generated, date_from_ymd(2026, 11, 24));
	assert_int_equal(in->nsa, 42);
	assert_int_equal(in->layout_version, 103);
	assert_int_equal(in->records, 8);
	assert_int_equal(in->lotes, 1);
	assert_string_equal(in->layout_name, "cnab240-febraban");

	const struct bank_event *e = &res.ev[0];
	assert_int_equal(e->line, 3);
	assert_int_equal(e->line_end, 4);
	assert_int_equal(e->bank, 999);
	assert_string_equal(e->agreement, "CONV123");
	assert_string_equal(e->nosso_numero_raw, "00000000000000012345");
	assert_string_equal(e->nosso_numero, "12345");
	assert_string_equal(e->seu_numero, "DOC-1");
	assert_string_equal(e->company_ref, "INV-0001");
	assert_string_equal(e->occurrence, "06");
	assert_int_equal(e->kind, EVENT_LIQUIDATION);
	assert_string_equal(e->occurrence_text, "Liquidação");
	assert_string_equal(e->reasons, "");
	assert_int_equal(e->due_date, date_from_ymd(2026, 11, 10));
	assert_int_equal(e->occurrence_date, date_from_ymd(2026, 11, 20));
	assert_int_equal(e->credit_date, date_from_ymd(2026, 11, 21));
	assert_int_equal(e->face_cents, 15000);
	assert_int_equal(e->paid_cents, 15250);
	assert_int_equal(e->net_cents, 15000);
	assert_int_equal(e->tariff_cents, 250);
	assert_int_equal(e->charges_cents, 250);
	assert_int_equal(e->discount_cents, 0);
	assert_string_equal(e->payer_document, "12345678909");
	assert_string_equal(e->payer_name, "JOAO DA SILVA");

	e = &res.ev[1];
	assert_int_equal(e->line, 5);
	assert_string_equal(e->nosso_numero_raw, "98765");
	assert_string_equal(e->nosso_numero, "98765");
	assert_int_equal(e->kind, EVENT_ENTRY_CONFIRMED);
	assert_int_equal(e->paid_cents, 0);
	assert_int_equal(e->face_cents, 9990);
}

static void test_payer_document_and_reasons(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	good_file(&f);
	/* CNPJ payer, reasons "A1" and "07" among empty pairs */
	put(f.rec[2], 133, "2");
	put(f.rec[2], 134, "012345678000195");
	put(f.rec[2], 214, "A1000007  ");
	/* no payer document at all */
	put(f.rec[4], 133, "0");
	put(f.rec[4], 134, "000000000000000");
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_string_equal(res.ev[0].payer_document, "12345678000195");
	assert_string_equal(res.ev[0].reasons, "A107");
	assert_string_equal(res.ev[1].payer_document, "");
}

static void test_wrappers(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	size_t len;
	good_file(&f);

	/* CRLF */
	run_file(&f, "\r\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);

	/* CRLF/LF mix, no EOL after the last record */
	char *buf = join(&f, "\n", &len);
	char *mixed = malloc(len + 16);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' && (i / 241) % 2 == 0)
			mixed[o++] = '\r';
		mixed[o++] = buf[i];
	}
	o--; /* drop the final LF */
	run(mixed, o, &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);
	assert_int_equal(res.ev[1].line, 5);

	/* trailing blank lines and 0x1A */
	memcpy(mixed + o, "\r\n  \n\n\x1A", 7);
	run(mixed, o + 7, &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);
	memcpy(mixed + o, "\x1A\x1A", 2);
	run(mixed, o + 2, &res);
	expect_ok(&res, 2);
	assert_int_equal(res.info.records, 8);
	free(mixed);

	/* UTF-8 BOM: skipped */
	char *bom = malloc(len + 3);
	memcpy(bom, "\xEF\xBB\xBF", 3);
	memcpy(bom + 3, buf, len);
	run(bom, len + 3, &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);

	/* UTF-16 BOM: refused */
	bom[0] = (char)0xFF;
	bom[1] = (char)0xFE;
	run(bom, len + 3, &res);
	expect_error(&res, "t.ret:1:1: error:", "file is UTF-16; bank files are Latin-1 text");
	bom[0] = (char)0xFE;
	bom[1] = (char)0xFF;
	run(bom, len + 3, &res);
	expect_error(&res, "t.ret:1:1:", "UTF-16");
	free(bom);

	/* a blank line in the middle: skipped with a warning */
	char *mid = malloc(len + 2);
	memcpy(mid, buf, 241);
	mid[241] = '\n';
	memcpy(mid + 242, buf + 241, len - 241);
	run(mid, len + 1, &res);
	expect_ok(&res, 2);
	expect_warning(&res, "t.ret:2: warning: 1 blank line(s) skipped");
	assert_int_equal(res.ev[0].line, 4); /* physical line numbers */
	free(mid);
	free(buf);
}

static void test_short_and_long_records(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;

	/* Trailing spaces stripped (editor): padded, one warning + a summary. */
	good_file(&f);
	for (int i = 0; i < f.n; i++) {
		size_t l = strlen(f.rec[i]);
		while (l && f.rec[i][l - 1] == ' ')
			f.rec[i][--l] = '\0';
	}
	run_file(&f, "\r\n", &res);
	expect_ok(&res, 2);
	expect_warning(&res, "t.ret:1:167: warning: record is 166 characters long, padded with "
	                     "spaces to 240");
	expect_warning(&res, "8 records were shorter than 240 characters");
	assert_int_equal(res.ev[0].paid_cents, 15250);

	/* Truly truncated: valor_pago falls in the padding. */
	good_file(&f);
	f.rec[3][77] = '\0';
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:4:78: error: field 'valor_pago':", "expected digits, found blanks");
	/* Cut inside the field. */
	good_file(&f);
	f.rec[3][85] = '\0';
	run_file(&f, "\n", &res);
	expect_error(&res,
	             "t.ret:4:78: error: field 'valor_pago':", "expected digits, found \"00000000       \"");

	/* Longer: extra blanks are a warning, anything else an error. */
	good_file(&f);
	static struct cnab g;
	g = f;
	strcat(g.rec[2], "  ");
	run_file(&g, "\n", &res);
	expect_ok(&res, 2);
	expect_warning(&res, "t.ret:3:241: warning: record is 242 characters long");
	g = f;
	strcat(g.rec[2], " X");
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:3:241: error:", "record is 242 characters long, expected 240");

	/* A UTF-8 name makes the record 241 bytes but 240 characters: read as UTF-8. */
	g = f;
	memmove(g.rec[2] + 149, g.rec[2] + 148, RL - 148 + 1);
	memcpy(g.rec[2] + 148, "\xC3\x87", 2); /* Ç, shifting the rest by one byte */
	memcpy(g.rec[2] + 150, "OAO DA SILVA", 12);
	run_file(&g, "\n", &res);
	expect_ok(&res, 2);
	assert_string_equal(res.ev[0].payer_name, "ÇOAO DA SILVA");
	assert_int_equal(res.ev[0].tariff_cents, 250);
	expect_warning(&res, "UTF-8");

	/* The same name in Latin-1 is one byte: 240 bytes, read as Latin-1. */
	g = f;
	g.rec[2][148] = (char)0xC7;
	run_file(&g, "\n", &res);
	expect_ok(&res, 2);
	assert_string_equal(res.ev[0].payer_name, "ÇOAO DA SILVA");
	assert_int_equal(res.nwarn, 0);

	/* NUL bytes: not a text file */
	g = f;
	size_t len;
	char *buf = join(&g, "\n", &len);
	buf[241 + 20] = '\0';
	run(buf, len, &res);
	expect_error(&res, "t.ret:2:21:", "NUL byte");
	free(buf);
}

static void test_bad_digits(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	good_file(&f);
	put(f.rec[3], 78, "0000000000012A4");
	run_file(&f, "\n", &res);
	expect_error(&res,
	             "t.ret:4:78: error: field 'valor_pago': ", "expected digits, found \"0000000000012A4\"");
	assert_int_equal(res.diag.line, 4);
	assert_int_equal(res.diag.col, 78);
	assert_string_equal(res.diag.field, "valor_pago");
	/* The first title was not complete yet: nothing delivered. */
	assert_int_equal(res.nev, 0);

	good_file(&f);
	put(f.rec[2], 74, "31022026");
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:3:74: error: field 'vencimento': ",
	             "expected a date (DDMMAAAA), found \"31022026\"");

	/* No due date (zeros) is fine. */
	good_file(&f);
	put(f.rec[2], 74, "00000000");
	put(f.rec[3], 146, "        ");
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.ev[0].due_date, CDATE_NONE);
	assert_int_equal(res.ev[0].credit_date, CDATE_NONE);
}

static void test_counts(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;

	good_file(&f);
	putnum(f.rec[6], 18, 23, 7);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:7:18: error: field 'quantidade_registros': ",
	             "lote 0001 trailer says 7 records, lote has 6");
	/* Titles of the lote were delivered before the trailer was read. */
	assert_int_equal(res.nev, 2);

	good_file(&f);
	putnum(f.rec[7], 24, 29, 71);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:8:24:", "file trailer says 71 records, file has 8");

	good_file(&f);
	putnum(f.rec[7], 18, 23, 2);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:8:18:", "file trailer says 2 lotes, file has 1");

	/* A variant whose lote trailers count details only. */
	static const char text[] = "layout details-only\ninherits cnab240-febraban\n"
	                           "lote-count details\n";
	struct diag err;
	struct layout *l = layout_parse("d.layout", text, strlen(text), &err);
	assert_non_null(l);
	good_file(&f);
	size_t len;
	char *buf = join(&f, "\n", &len);
	run_layout(l, buf, len, &res);
	expect_error(&res, "t.ret:7:18:", "lote 0001 trailer says 6 detail records, lote has 4");
	free(buf);
	putnum(f.rec[6], 18, 23, 4);
	buf = join(&f, "\n", &len);
	run_layout(l, buf, len, &res);
	expect_ok(&res, 2);
	assert_string_equal(res.info.layout_name, "details-only");
	free(buf);
	layout_free(l);
}

/* Lote trailer 24-29 / 30-46: titles and amount in cobrança simples. Many
 * banks put portfolio totals there, so a mismatch is only a warning. */
static void test_simples_totals(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;

	/* The lote's own totals: 2 titles, 150,00 + 99,90. */
	good_file(&f);
	putnum(f.rec[6], 24, 29, 2);
	putnum(f.rec[6], 30, 46, 24990);
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);

	/* Portfolio totals: both figures named, at the count's column. */
	putnum(f.rec[6], 24, 29, 12);
	putnum(f.rec[6], 30, 46, 123456);
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 1);
	expect_warning(&res, "t.ret:7:24: warning: lote 0001 trailer says 12 titles in cobrança simples "
	                     "totalling R$ 1.234,56; the lote has 2 titles totalling R$ 249,90");

	/* Only the amount is off (count not filled in): at the amount's column. */
	putnum(f.rec[6], 24, 29, 0);
	putnum(f.rec[6], 30, 46, 24991);
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 1);
	expect_warning(&res, "t.ret:7:30: warning: lote 0001 trailer says 0 titles in cobrança simples "
	                     "totalling R$ 249,91; the lote has 2 titles totalling R$ 249,90");

	/* Only the count is off. */
	putnum(f.rec[6], 24, 29, 3);
	putnum(f.rec[6], 30, 46, 24990);
	run_file(&f, "\n", &res);
	assert_int_equal(res.nwarn, 1);
	expect_warning(&res, "t.ret:7:24: warning: lote 0001 trailer says 3 titles in cobrança simples "
	                     "totalling R$ 249,90; the lote has 2 titles");

	/* Blank or garbled totals say nothing: no warning, no error. */
	put(f.rec[6], 24, "      ");
	put(f.rec[6], 30, "                 ");
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);
	put(f.rec[6], 24, "00001X");
	put(f.rec[6], 30, "ABC");
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 0);

	/* Totals are per lote: the second lote counts only its own title. */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &title1);
	add_lote_trailer(&f, 1, 4);
	putnum(f.rec[4], 24, 29, 1);
	putnum(f.rec[4], 30, 46, 15000);
	add_lote_header(&f, 2);
	add_title(&f, 2, 1, &title2);
	add_lote_trailer(&f, 2, 4);
	putnum(f.rec[8], 24, 29, 2);
	putnum(f.rec[8], 30, 46, 24990);
	add_trailer(&f, 2, 10);
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	assert_int_equal(res.nwarn, 1);
	expect_warning(&res, "t.ret:9:24: warning: lote 0002 trailer says 2 titles in cobrança simples "
	                     "totalling R$ 249,90; the lote has 1 titles totalling R$ 99,90");
}

static void test_file_kind(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;

	good_file(&f);
	put(f.rec[0], 143, "1");
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:1:143: error:", "this is a remessa (remittance) file, not a retorno");

	good_file(&f);
	put(f.rec[0], 143, "5");
	run_file(&f, "\n", &res);
	expect_ok(&res, 2);
	expect_warning(&res, "t.ret:1:143: warning: file header position 143 is '5', expected '2'");

	good_file(&f);
	put(f.rec[1], 9, "R");
	put(f.rec[0], 143, "0");
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:2:9:", "remessa");

	/* remessa segments */
	good_file(&f);
	f.rec[2][13] = 'P';
	put(f.rec[0], 143, "0");
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:3:14:", "segment P is a remittance segment");

	/* extrato: lote operation E, or a segment E */
	good_file(&f);
	put(f.rec[1], 9, "E04");
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:2:9:", "bank statement (extrato");
	good_file(&f);
	f.rec[2][13] = 'E';
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:3:14:", "extrato");

	/* CNAB 400 */
	char line400[402];
	memset(line400, ' ', 400);
	memcpy(line400, "02RETORNO01COBRANCA", 19);
	memcpy(line400 + 394, "000001", 6);
	line400[400] = '\n';
	run(line400, 401, &res);
	expect_error(&res, "t.ret:1:241:", "looks like a CNAB 400 file");

	/* empty */
	run("", 0, &res);
	expect_error(&res, "t.ret: error:", "empty file");
	run("\n \r\n\x1A", 5, &res);
	expect_error(&res, "t.ret:", "empty file");
}

static void test_critique_return(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	memset(&f, 0, sizeof f);
	add_header(&f);
	put(f.rec[0], 143, "5");
	add_lote_header(&f, 1);
	add_segment(&f, 1, 1, 'W', "02", "000001 10.0VL    CEDENTE NAO CADASTRADO");
	add_lote_trailer(&f, 1, 3);
	add_trailer(&f, 1, 5);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:3:14:",
	             "bank critique return (segment W without titles: \"02000001 10.0VL CEDENTE NAO "
	             "CADASTRADO\")");
	assert_int_equal(res.nev, 0);
}

static void test_structure(void **state)
{
	(void)state;
	static struct cnab f, g;
	static struct result res;
	good_file(&f);

	/* missing file trailer */
	g = f;
	g.n = 7;
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:7:", "file ends without a file trailer");
	g.n = 6;
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:6:", "lote 0001 (line 2) has no lote trailer either");

	/* data after the file trailer */
	g = f;
	memcpy(g.rec[g.n++], f.rec[2], RL + 1);
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:9:1:", "data after the file trailer (line 8)");

	/* the first record is not a header */
	g = f;
	memmove(&g.rec[0], &g.rec[1], sizeof g.rec[0] * 7);
	g.n = 7;
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:1:8:", "the first record is not a file header");

	/* a second header */
	g = f;
	memcpy(g.rec[1], f.rec[0], RL + 1);
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:2:8:", "a second file header");

	/* unknown record type */
	g = f;
	g.rec[2][7] = '7';
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:3:8:", "record type '7' (position 8) is not part of layout");

	/* detail of another lote */
	g = f;
	put(g.rec[3], 4, "0002");
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:4:4:", "detail of lote 0002 inside lote 0001");

	/* lote trailer of another lote */
	g = f;
	put(g.rec[6], 4, "0002");
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:7:4:", "trailer of lote 0002, but the open lote is 0001");

	/* sequence: must start at 1 and grow by 1 */
	g = f;
	put(g.rec[2], 9, "00003");
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:3:9:",
	             "segment sequence number is 00003, expected 00001 (first detail of the lote)");
	g = f;
	put(g.rec[4], 9, "00004");
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:5:9:", "segment sequence number is 00004, expected 00003");

	/* lote header inside a lote; lote trailer / detail outside */
	g = f;
	memcpy(g.rec[4], f.rec[1], RL + 1);
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:5:8:", "lote 0001 (line 2) has no lote trailer yet");
	g = f;
	memcpy(g.rec[1], f.rec[6], RL + 1);
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:2:8:", "lote trailer without a lote header");
	g = f;
	memcpy(g.rec[1], f.rec[2], RL + 1);
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:2:8:", "detail record outside a lote");
	/* file trailer with a lote open */
	g = f;
	memcpy(g.rec[6], f.rec[7], RL + 1);
	g.n = 7;
	run_file(&g, "\n", &res);
	expect_error(&res, "t.ret:7:8:", "file trailer, but lote 0001 (line 2) has no lote trailer");
}

static void test_t_u_pairing(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;

	/* T followed by T */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &title1);
	memcpy(f.rec[3], f.rec[2], RL + 1);
	put(f.rec[3], 9, "00002");
	add_lote_trailer(&f, 1, 4);
	add_trailer(&f, 1, 6);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:4:14:",
	             "segment T at line 3 is not followed by its segment U (found another segment T)");

	/* T then the lote trailer */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &title1);
	f.n--; /* drop the U */
	add_lote_trailer(&f, 1, 3);
	add_trailer(&f, 1, 5);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:4:14:", "(found the lote trailer)");

	/* T then Y */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &title1);
	f.n--;
	add_segment(&f, 1, 2, 'Y', "06", "01");
	add_lote_trailer(&f, 1, 4);
	add_trailer(&f, 1, 6);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:4:14:",
	             "segment T at line 3 is not followed by its segment U "
	             "(found segment Y)");

	/* U without T */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 0, &title1);
	memmove(f.rec[2], f.rec[3], RL + 1);
	f.n--;
	add_lote_trailer(&f, 1, 3);
	add_trailer(&f, 1, 5);
	run_file(&f, "\n", &res);
	expect_error(&res, "t.ret:3:14:", "segment U does not follow a segment T");

	/* U with another movement code */
	static struct cnab g;
	good_file(&g);
	put(g.rec[3], 16, "09");
	run_file(&g, "\n", &res);
	expect_error(
	    &res, "t.ret:4:16:", "segment U movement code '09' differs from its segment T's '06' (line 3)");

	/* Neither code is a liquidation (Sicoob writes T=03 with U=01): the
	 * T's code governs, with a warning. */
	static struct cnab h;
	good_file(&h);
	put(h.rec[2], 16, "03");
	put(h.rec[3], 16, "01");
	run_file(&h, "\n", &res);
	expect_ok(&res, 2);
	assert_string_equal(res.ev[0].occurrence, "03");
	assert_int_equal(res.ev[0].kind, EVENT_ENTRY_REJECTED);
	expect_warning(&res, "segment U movement code '01' differs from its segment T's '03' (line 3); using the T's");
}

static void test_t_u_y_grouping(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	int seq = add_title(&f, 1, 1, &title1);
	add_segment(&f, 1, seq++, 'Y', "06", "03 pix.example/qr/123");
	add_segment(&f, 1, seq++, 'Y', "06", "04 second Y");
	seq = add_title(&f, 1, seq, &title2);
	add_segment(&f, 1, seq++, 'W', "02", "message");
	seq = add_title(&f, 1, seq, &title1);
	add_lote_trailer(&f, 1, 11);
	add_trailer(&f, 1, 13);
	run_file(&f, "\n", &res);
	expect_ok(&res, 3);
	assert_int_equal(res.ev[0].line, 3);
	assert_int_equal(res.ev[0].line_end, 6);
	assert_string_equal(res.ev[0].nosso_numero, "12345");
	assert_int_equal(res.ev[1].line, 7);
	assert_int_equal(res.ev[1].line_end, 9);
	assert_string_equal(res.ev[1].nosso_numero, "98765");
	assert_int_equal(res.ev[2].line, 10);
	assert_int_equal(res.ev[2].line_end, 11);
	assert_int_equal(res.ev[2].paid_cents, 15250);
	assert_int_equal(res.nwarn, 0);

	/* An orphan Y at the start of a lote is skipped with a warning. */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_segment(&f, 1, 1, 'Y', "06", "01");
	add_title(&f, 1, 2, &title1);
	add_lote_trailer(&f, 1, 5);
	add_trailer(&f, 1, 7);
	run_file(&f, "\n", &res);
	expect_ok(&res, 1);
	expect_warning(&res, "t.ret:3:14: warning: segment Y does not follow a title (T/U): skipped");

	/* Two lotes. */
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &title1);
	add_lote_trailer(&f, 1, 4);
	add_lote_header(&f, 2);
	add_title(&f, 2, 1, &title2);
	add_title(&f, 2, 3, &title1);
	add_lote_trailer(&f, 2, 6);
	add_trailer(&f, 2, 12);
	run_file(&f, "\n", &res);
	expect_ok(&res, 3);
	assert_int_equal(res.info.lotes, 2);
}

static void test_unknown_occurrence(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	static const struct title odd = {"98", "555", 100, 0, 0, 0, 0};
	memset(&f, 0, sizeof f);
	add_header(&f);
	add_lote_header(&f, 1);
	add_title(&f, 1, 1, &odd);
	add_lote_trailer(&f, 1, 4);
	add_trailer(&f, 1, 6);
	run_file(&f, "\n", &res);
	expect_ok(&res, 1);
	assert_int_equal(res.ev[0].kind, EVENT_UNKNOWN);
	assert_string_equal(res.ev[0].occurrence, "98");
	assert_string_equal(res.ev[0].occurrence_text, "");
	expect_warning(&res, "t.ret:3:16: warning: occurrence code '98' is not in the table of "
	                     "layout cnab240-febraban: reported as unknown");
}

static void test_callback_stops(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	good_file(&f);
	res.stop_after = 1;
	run_file(&f, "\n", &res);
	expect_error(&res, "db: error:", "disk full");
	assert_int_equal(res.nev, 1);
	res.stop_after = 0;
}

static void test_forced_layout(void **state)
{
	(void)state;
	static struct cnab f;
	static struct result res;
	/* A variant reading the nosso número from other positions. */
	static const char text[] = "layout moved\ninherits cnab240-febraban\n"
	                           "record segment_t\n  field nosso_numero 41 53 alnum\n";
	struct diag err;
	struct layout *l = layout_parse("m.layout", text, strlen(text), &err);
	assert_non_null(l);
	good_file(&f);
	size_t len;
	char *buf = join(&f, "\n", &len);
	run_layout(l, buf, len, &res);
	expect_ok(&res, 2);
	/* 41-53 of "00000000000000012345" (written at 38-57) */
	assert_string_equal(res.ev[0].nosso_numero_raw, "0000000000001");
	assert_string_equal(res.ev[0].nosso_numero, "1");
	layout_free(l);

	/* A layout missing a field the reader needs is refused up front. */
	static const char broken[] = "layout nofield\nfamily cnab240\nlength 240\n"
	                             "record file_header when 8-8 = \"0\"\n  field banco 1 3 num\n";
	l = layout_parse("b.layout", broken, strlen(broken), &err);
	assert_non_null(l);
	run_layout(l, buf, len, &res);
	expect_error(&res, "", "layout 'nofield' has no record 'lote_header'");
	layout_free(l);

	/* A layout of another family is refused too. */
	static const char other[] = "layout four\nfamily cnab400\nlength 400\n"
	                            "record h when 1-1 = \"0\"\n";
	l = layout_parse("o.layout", other, strlen(other), &err);
	assert_non_null(l);
	run_layout(l, buf, len, &res);
	expect_error(&res, "", "is for cnab400 files, not cnab240");
	layout_free(l);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),      cmocka_unit_test(test_payer_document_and_reasons),
	    cmocka_unit_test(test_wrappers),       cmocka_unit_test(test_short_and_long_records),
	    cmocka_unit_test(test_bad_digits),     cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_file_kind),      cmocka_unit_test(test_critique_return),
	    cmocka_unit_test(test_structure),      cmocka_unit_test(test_t_u_pairing),
	    cmocka_unit_test(test_t_u_y_grouping), cmocka_unit_test(test_unknown_occurrence),
	    cmocka_unit_test(test_callback_stops), cmocka_unit_test(test_forced_layout),
	    cmocka_unit_test(test_simples_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
