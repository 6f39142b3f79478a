/* Unit tests for src/codec/cnab400.c on synthetic files built here, record
 * by record: a good file, the wrappers the reader must tolerate (EOLs,
 * BOM, 0x1A, blank tail, short and long lines), the bank amount semantics
 * (Itaú net of tarifa), 6- and 8-digit dates, extra record types, and
 * every kind of damage it must report, with its FILE:LINE:COL. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/cnab400.h"
#include "codec/record_reader.h"
#include "codec/layout.h"
#include "core/date.h"

#define RL       400
#define MAX_RECS 16

/* ---- building files */

struct cnab {
	char rec[MAX_RECS][RL + 8];
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
	assert_int_equal(v, 0);
}

/* Sequence numbers of every record, 1..n. */
static void number(struct cnab *f)
{
	for (int i = 0; i < f->n; i++)
		putnum(f->rec[i], 395, 400, i + 1);
}

static void add_header(struct cnab *f, const char *bank, const char *date6)
{
	char *r = new_rec(f);
	put(r, 1, "02RETORNO01COBRANCA");
	put(r, 27, "00001234500000000123");
	put(r, 47, "EMPRESA TESTE LTDA");
	put(r, 77, bank);
	put(r, 80, "BANCO TESTE");
	put(r, 95, date6);
}

/* A common-position detail (generic layout). */
static void add_detail(struct cnab *f, const char *nn, const char *occ, long long face, long long paid,
                       long long tarifa)
{
	char *r = new_rec(f);
	put(r, 1, "1");
	put(r, 2, "02");
	put(r, 4, "12345678000195");
	put(r, 38, "PEDIDO-1");
	put(r, 63, nn);
	put(r, 108, "1");
	put(r, 109, occ);
	put(r, 111, "201126");
	put(r, 117, "DOC1");
	put(r, 147, "151126");
	putnum(r, 153, 165, face);
	putnum(r, 176, 188, tarifa);
	putnum(r, 215, 227, 0);
	putnum(r, 228, 240, 0);
	putnum(r, 241, 253, 0);
	putnum(r, 254, 266, paid);
	putnum(r, 267, 279, 150);
	putnum(r, 280, 292, 0);
	putnum(r, 296, 301, 231126);
}

static void add_trailer(struct cnab *f)
{
	char *r = new_rec(f);
	put(r, 1, "9201999");
}

/* Joins the records with eol; pre is written first (BOM ...). */
static size_t join(const struct cnab *f, const char *pre, const char *eol, int final_eol, char *out, size_t n)
{
	size_t o = 0;
	size_t pl = strlen(pre), el = strlen(eol);
	assert_true(pl < n);
	memcpy(out, pre, pl);
	o = pl;
	for (int i = 0; i < f->n; i++) {
		size_t len = strlen(f->rec[i]);
		assert_true(o + len + el < n);
		memcpy(out + o, f->rec[i], len);
		o += len;
		if (i + 1 < f->n || final_eol) {
			memcpy(out + o, eol, el);
			o += el;
		}
	}
	return o;
}

static void good_file(struct cnab *f, const char *bank)
{
	memset(f, 0, sizeof *f);
	add_header(f, bank, "241126");
	add_detail(f, "00001234", "06", 10000, 10150, 250);
	add_detail(f, "00005678", "02", 5000, 0, 0);
	add_trailer(f);
	number(f);
}

/* ---- reading */

struct got {
	long n;
	struct bank_event ev[8];
	int warnings;
	char warn_text[4096];
	int stop_at; /* stop when this many titles were seen (0 = never) */
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct got *g = ctx;
	if (g->n < 8)
		g->ev[g->n] = *ev;
	g->n++;
	if (g->stop_at && g->n == g->stop_at) {
		diag_set(d, DIAG_ERROR, "x.ret", ev->line, 0, NULL, "stopped by the callback");
		return 1;
	}
	return 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	struct got *g = ctx;
	char buf[600];
	size_t used = strlen(g->warn_text);
	g->warnings++;
	snprintf(g->warn_text + used, sizeof g->warn_text - used, "%s\n", diag_format(d, buf, sizeof buf));
}

static char filebuf[RL * MAX_RECS * 2 + 64];

static int parse(const struct layout *l, const char *bytes, size_t len, struct cnab_file_info *info,
                 struct got *g, struct diag *err)
{
	memset(g, 0, sizeof *g);
	return cnab400_parse(l, "x.ret", (const unsigned char *)bytes, len, info, on_event, g, on_warn, g, err);
}

static void expect_error(const char *bytes, size_t len, const char *want)
{
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	char buf[600];
	assert_int_equal(parse(NULL, bytes, len, &info, &g, &err), -1);
	diag_format(&err, buf, sizeof buf);
	if (strstr(buf, want) == NULL)
		fail_msg("got \"%s\", want \"%s\"", buf, want);
}

static cdate ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* ---- tests */

static void test_good_file(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	size_t len = join(&f, "", "\r\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.warnings, 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(info.titles, 2);
	assert_int_equal(info.records, 4);
	assert_int_equal(info.bank, 999);
	assert_string_equal(info.layout_name, "cnab400-generic");
	assert_string_equal(info.company_name, "EMPRESA TESTE LTDA");
	assert_string_equal(info.agreement, "00001234500000000123");
	assert_int_equal(info.generated, ymd(2026, 11, 24));

	const struct bank_event *e = &g.ev[0];
	assert_int_equal(e->line, 2);
	assert_int_equal(e->line_end, 2);
	assert_int_equal(e->bank, 999);
	assert_string_equal(e->nosso_numero_raw, "00001234");
	assert_string_equal(e->nosso_numero, "1234");
	assert_string_equal(e->occurrence, "06");
	assert_int_equal(e->kind, EVENT_LIQUIDATION);
	assert_string_equal(e->seu_numero, "DOC1");
	assert_string_equal(e->company_ref, "PEDIDO-1");
	assert_int_equal(e->face_cents, 10000);
	assert_int_equal(e->paid_cents, 10150);
	assert_int_equal(e->tariff_cents, 250);
	assert_int_equal(e->net_cents, 10150 - 250);
	assert_int_equal(e->charges_cents, 150);
	assert_int_equal(e->due_date, ymd(2026, 11, 15));
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 20));
	/* The generic layout leaves the credit date to the bank files. */
	assert_int_equal(e->credit_date, CDATE_NONE);
	assert_int_equal(g.ev[1].kind, EVENT_ENTRY_CONFIRMED);
	assert_int_equal(g.ev[1].paid_cents, 0);
}

static void test_bank_layouts_and_amounts(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;

	/* Itaú: 254-266 is net of the tarifa; the gross is 254-266 + tarifa. */
	good_file(&f, "341");
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_string_equal(info.layout_name, "cnab400-itau");
	assert_int_equal(g.ev[0].paid_cents, 10150 + 250);
	assert_int_equal(g.ev[0].net_cents, 10150);
	assert_int_equal(g.ev[0].tariff_cents, 250);
	assert_int_equal(g.ev[0].credit_date, ymd(2026, 11, 23));
	/* Nothing paid stays nothing paid (no tarifa added to an entry). */
	assert_int_equal(g.ev[1].paid_cents, 0);

	/* Bradesco: gross as written. */
	good_file(&f, "237");
	put(f.rec[1], 71, "00000001234P");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_string_equal(info.layout_name, "cnab400-bradesco");
	assert_int_equal(g.ev[0].paid_cents, 10150);
	assert_string_equal(g.ev[0].nosso_numero_raw, "00000001234P");

	/* Caixa: 06 is not a payment there, 21 is. */
	good_file(&f, "104");
	put(f.rec[2], 109, "21");
	put(f.rec[1], 294, "231126");
	put(f.rec[2], 294, "231126");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.ev[0].kind, EVENT_INSTRUCTION_ACK);
	assert_int_equal(g.ev[1].kind, EVENT_LIQUIDATION);

	/* Sicredi: AAAAMMDD header date and credit date. */
	good_file(&f, "748");
	put(f.rec[0], 95, "20261124");
	put(f.rec[1], 329, "20261125");
	put(f.rec[2], 329, "00000000");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(info.generated, ymd(2026, 11, 24));
	assert_int_equal(g.ev[0].credit_date, ymd(2026, 11, 25));
	assert_int_equal(g.ev[1].credit_date, CDATE_NONE);

	/* BB CBR643: detail type 7, nosso número 64-80. */
	memset(&f, 0, sizeof f);
	add_header(&f, "001", "241126");
	add_detail(&f, "", "06", 100, 100, 0);
	f.rec[1][0] = '7';
	put(f.rec[1], 64, "12345670000000001");
	put(f.rec[1], 176, "231126");
	putnum(f.rec[1], 182, 188, 90);
	add_trailer(&f);
	number(&f);
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_string_equal(info.layout_name, "cnab400-bb");
	assert_string_equal(g.ev[0].nosso_numero, "12345670000000001");
	assert_int_equal(g.ev[0].tariff_cents, 90);
	assert_int_equal(g.ev[0].credit_date, ymd(2026, 11, 23));
}

/* A CrediSIS (097) detail: its own positions, none of the common ones. */
static void add_credisis_detail(struct cnab *f, const char *nn, const char *occ, long long face,
                                long long paid, long long tarifa)
{
	char *r = new_rec(f);
	put(r, 1, "1");
	put(r, 2, "02");
	put(r, 4, "12345678000195");
	put(r, 18, "0002");
	put(r, 22, "000632910");
	put(r, 57, nn);
	put(r, 77, occ);
	put(r, 79, "201126");
	put(r, 85, "DOC7");
	put(r, 147, "151126");
	putnum(r, 153, 165, face);
	putnum(r, 166, 175, tarifa);
	put(r, 176, "231126");
	putnum(r, 241, 253, 0);
	putnum(r, 254, 266, paid);
	putnum(r, 267, 279, 150);
	put(r, 338, "01");
	put(r, 340, "00012345678909");
	put(r, 354, "PAGADOR CREDISIS");
	/* The common occurrence position (filler here) must be ignored. */
	put(r, 109, "06");
}

static void test_credisis(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	char buf[600];
	memset(&f, 0, sizeof f);
	add_header(&f, "097", "241126");
	put(f.rec[0], 27, "0002 000632910");
	put(f.rec[0], 101, "0000008");
	add_credisis_detail(&f, "09710002009871000149", "02", 10000, 10150, 250);
	add_credisis_detail(&f, "09710002009871000150", "03", 5000, 0, 0);
	add_credisis_detail(&f, "09710002009871000151", "01", 7000, 0, 0);
	add_credisis_detail(&f, "09710002009871000152", "09", 7000, 0, 0);
	add_trailer(&f);
	number(&f);
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_string_equal(info.layout_name, "cnab400-credisis");
	assert_int_equal(info.bank, 97);
	assert_int_equal(info.nsa, 8);
	assert_string_equal(info.agency, "0002");
	assert_string_equal(info.account, "000632910");
	assert_int_equal(g.n, 4);

	const struct bank_event *e = &g.ev[0];
	assert_string_equal(e->nosso_numero_raw, "09710002009871000149");
	assert_string_equal(e->occurrence, "02");
	assert_int_equal(e->kind, EVENT_LIQUIDATION);
	assert_string_equal(e->seu_numero, "DOC7");
	assert_int_equal(e->face_cents, 10000);
	assert_int_equal(e->paid_cents, 10150);
	assert_int_equal(e->tariff_cents, 250);
	assert_int_equal(e->net_cents, 10150 - 250);
	assert_int_equal(e->charges_cents, 150);
	assert_int_equal(e->due_date, ymd(2026, 11, 15));
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 20));
	assert_int_equal(e->credit_date, ymd(2026, 11, 23));
	assert_string_equal(e->payer_document, "12345678909");
	assert_string_equal(e->payer_name, "PAGADOR CREDISIS");
	assert_int_equal(g.ev[1].kind, EVENT_WRITEOFF);
	assert_int_equal(g.ev[1].paid_cents, 0);
	assert_int_equal(g.ev[2].kind, EVENT_ENTRY_CONFIRMED);
	/* 09 is not in the CrediSIS table: unknown, at its own column. */
	assert_int_equal(g.ev[3].kind, EVENT_UNKNOWN);
	assert_int_equal(g.warnings, 1);
	assert_non_null(strstr(
	    g.warn_text,
	    "x.ret:5:77: warning: occurrence code '09' is not in the table of layout cnab400-credisis"));

	/* Damage is reported at the CrediSIS column. */
	put(f.rec[1], 79, "321126");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), -1);
	diag_format(&err, buf, sizeof buf);
	assert_non_null(strstr(buf, "x.ret:2:79: error: field 'data_ocorrencia'"));
}

/* A BRB (070) detail: 8-digit dates, amounts shifted by 4 from the common ones. */
static void add_brb_detail(struct cnab *f, const char *nn, const char *occ, long long face, long long paid)
{
	char *r = new_rec(f);
	put(r, 1, "1");
	put(r, 2, "02");
	put(r, 4, "12345678000195");
	put(r, 71, nn);
	put(r, 109, occ);
	put(r, 111, "20112026");
	put(r, 149, "15112026");
	putnum(r, 157, 169, face);
	putnum(r, 180, 192, 120);
	putnum(r, 219, 231, 0);
	putnum(r, 232, 244, 0);
	putnum(r, 245, 257, 0);
	putnum(r, 258, 270, paid);
	putnum(r, 284, 296, 0);
	put(r, 300, "23112026");
}

static void test_brb(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		enum event_kind kind;
	} want[] = {
	    {"05", EVENT_LIQUIDATION},     {"06", EVENT_LIQUIDATION}, {"15", EVENT_LIQUIDATION},
	    {"16", EVENT_LIQUIDATION},     {"09", EVENT_OTHER},       {"00", EVENT_WRITEOFF},
	    {"02", EVENT_ENTRY_CONFIRMED}, {"07", EVENT_UNKNOWN},
	};
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	memset(&f, 0, sizeof f);
	add_header(&f, "070", "24112026");
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		add_brb_detail(&f, "107851907015", want[i].code, 26492, i < 4 ? 26492 : 0);
	add_trailer(&f);
	number(&f);
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_string_equal(info.layout_name, "cnab400-brb");
	assert_int_equal(info.generated, ymd(2026, 11, 24));
	assert_int_equal(g.n, 8);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(g.ev[i].occurrence, want[i].code);
		if (g.ev[i].kind != want[i].kind)
			fail_msg("BRB code %s: kind %s", want[i].code, event_kind_name(g.ev[i].kind));
	}
	const struct bank_event *e = &g.ev[0];
	assert_string_equal(e->nosso_numero_raw, "107851907015");
	assert_string_equal(e->occurrence_text, "Liquidação sem registro");
	assert_int_equal(e->face_cents, 26492);
	assert_int_equal(e->paid_cents, 26492);
	assert_int_equal(e->tariff_cents, 120);
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 20));
	assert_int_equal(e->due_date, ymd(2026, 11, 15));
	assert_int_equal(e->credit_date, ymd(2026, 11, 23));
	assert_int_equal(g.warnings, 1);
	assert_non_null(
	    strstr(g.warn_text,
	           "x.ret:9:109: warning: occurrence code '07' is not in the table of layout cnab400-brb"));
}

static void test_century(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	/* A file of late December 1999 with a title due in January 2000. */
	good_file(&f, "999");
	put(f.rec[0], 95, "301299");
	put(f.rec[1], 147, "050100");
	put(f.rec[1], 111, "291299");
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(info.generated, ymd(1999, 12, 30));
	assert_int_equal(g.ev[0].due_date, ymd(2000, 1, 5));
	assert_int_equal(g.ev[0].occurrence_date, ymd(1999, 12, 29));
}

static void test_wrappers(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	/* BOM + LF + no final EOL */
	size_t len = join(&f, "\xEF\xBB\xBF", "\n", 0, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.warnings, 0);
	/* CRLF, 0x1A and blank tail lines */
	len = join(&f, "", "\r\n", 1, filebuf, sizeof filebuf);
	memcpy(filebuf + len, "   \r\n\r\n\x1A", 8);
	len += 8;
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.warnings, 0); /* blank tail lines are a wrapper */
	const unsigned char *first;
	assert_int_equal(record_first((const unsigned char *)filebuf, len, &first), 400);
	assert_ptr_equal(first, (const unsigned char *)filebuf);
	assert_int_equal(record_first((const unsigned char *)"\xEF\xBB\xBF\r\n  \nabc\r\n", 13, &first), 3);
	assert_memory_equal(first, "abc", 3);
	assert_int_equal(record_first((const unsigned char *)"", 0, &first), 0);
	/* The bank code of the header: 77-79 in CNAB 400, 1-3 in CNAB 240. */
	assert_int_equal(record_bank_code((const unsigned char *)filebuf, 400, 77), 999);
	assert_int_equal(record_bank_code((const unsigned char *)"34A", 3, 1), -1);
	assert_int_equal(record_bank_code((const unsigned char *)"34", 2, 1), -1);
	assert_int_equal(record_bank_code((const unsigned char *)"341", 3, 1), 341);
}

static void test_short_and_long_records(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;

	/* Trailing spaces stripped: padded, one warning + summary. */
	good_file(&f, "999");
	f.rec[3][300] = '\0'; /* a 300-character trailer */
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_non_null(strstr(g.warn_text, "x.ret:4:301: warning: record is 300 characters long, padded"));
	/* the padded trailer has no sequence number: a warning, not an error */
	assert_non_null(strstr(g.warn_text, "not a number"));

	/* Extra blanks after 400: fine with a warning; anything else: error. */
	good_file(&f, "999");
	strcat(f.rec[1], "  ");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_non_null(strstr(g.warn_text, "record is 402 characters long; the 2 blanks"));
	good_file(&f, "999");
	strcat(f.rec[1], " X");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:2:401: error: record is 402 characters long, expected 400");

	/* A CNAB 240 file given to this reader. */
	good_file(&f, "999");
	f.rec[0][240] = '\0';
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:1:241: error: record is 240 characters long: this looks like a CNAB 240");
}

static void test_file_kind(void **state)
{
	(void)state;
	struct cnab f;
	size_t len;

	good_file(&f, "999");
	put(f.rec[0], 1, "01REMESSA");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:1:2: error: this is a remessa (remittance) file, not a retorno");

	expect_error("\xFF\xFE" "0\0" "2\0", 6, "x.ret:1:1: error: file is UTF-16");
	expect_error("", 0, "empty file");
	expect_error("\n  \n", 4, "empty file");

	/* Odd header literals: warnings, read as a retorno. */
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	put(f.rec[0], 3, "RETORNX00");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_non_null(strstr(g.warn_text, "x.ret:1:2: warning: header says '2RETORNX'"));
	assert_non_null(strstr(g.warn_text, "x.ret:1:10: warning: header service is '00'"));

	/* A layout of another family. */
	const struct layout *l240 = layout_builtin("cnab240-febraban", &err);
	assert_non_null(l240);
	good_file(&f, "999");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(l240, filebuf, len, &info, &g, &err), -1);
	assert_non_null(strstr(err.msg, "not cnab400"));
}

static void test_structure(void **state)
{
	(void)state;
	struct cnab f;
	size_t len;

	/* header not first */
	good_file(&f, "999");
	f.rec[0][0] = '1';
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:1:1: error: the first record is not a file header (position 1 is '1'");

	/* no trailer */
	good_file(&f, "999");
	f.n = 3;
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:3: error: file ends without a trailer (type 9)");

	/* data after the trailer */
	good_file(&f, "999");
	memcpy(f.rec[f.n], f.rec[1], sizeof f.rec[1]);
	f.n++;
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:5:1: error: data after the trailer (line 4)");

	/* a second header */
	good_file(&f, "999");
	memcpy(f.rec[2], f.rec[0], sizeof f.rec[0]);
	number(&f);
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:3:1: error: a second file header");

	/* an extra record type before any detail */
	good_file(&f, "999");
	f.rec[1][0] = '2';
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:2:1: error: record type '2' does not follow a detail record");

	/* bad digits in an amount */
	good_file(&f, "999");
	put(f.rec[1], 260, "A");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:2:254: error: field 'valor_pago'");

	/* an impossible date */
	good_file(&f, "999");
	put(f.rec[1], 147, "311326");
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	expect_error(filebuf, len, "x.ret:2:147: error: field 'vencimento'");
}

static void test_sequence(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	putnum(f.rec[3], 395, 400, 30); /* an excerpt of a bigger file */
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.warnings, 1);
	assert_non_null(strstr(g.warn_text, "x.ret:4:395: warning: record sequence number is 000030, expected 000004"));

	/* a file that does not start at 000001, then a second gap: one
	 * warning each at first, a summary at the end */
	good_file(&f, "999");
	putnum(f.rec[0], 395, 400, 7);
	putnum(f.rec[2], 395, 400, 20);
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_non_null(strstr(g.warn_text, "x.ret:1:395: warning: record sequence number is 000007, expected 000001"));
	assert_non_null(strstr(g.warn_text, "gaps in the record sequence"));
}

static void test_extra_records(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;

	/* Santander type 2 (Pix) belongs to the title above it: no warning. */
	memset(&f, 0, sizeof f);
	add_header(&f, "033", "241126");
	add_detail(&f, "00001234", "06", 100, 100, 0);
	put(new_rec(&f), 1, "2");
	add_detail(&f, "00005678", "02", 100, 0, 0);
	add_trailer(&f);
	number(&f);
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.n, 2);
	if (g.warnings != 0)
		fail_msg("unexpected warnings:\n%s", g.warn_text);
	assert_int_equal(g.ev[0].line, 2);
	assert_int_equal(g.ev[0].line_end, 3);
	assert_int_equal(g.ev[1].line, 4);

	/* The generic layout does not describe type 4: read past, with a note. */
	memset(&f, 0, sizeof f);
	add_header(&f, "999", "241126");
	add_detail(&f, "00001234", "06", 100, 100, 0);
	put(new_rec(&f), 1, "4");
	add_trailer(&f);
	number(&f);
	len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].line_end, 3);
	assert_non_null(strstr(g.warn_text, "x.ret:3:1: warning: record type '4' is not described by layout cnab400-generic"));
}

static void test_unknown_occurrence_and_zero_paid(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	put(f.rec[2], 109, "77");
	putnum(f.rec[1], 254, 266, 0);
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(NULL, filebuf, len, &info, &g, &err), 0);
	assert_int_equal(g.ev[1].kind, EVENT_UNKNOWN);
	assert_string_equal(g.ev[1].occurrence_text, "");
	assert_non_null(strstr(g.warn_text, "x.ret:3:109: warning: occurrence code '77' is not in the table"));
	assert_non_null(strstr(g.warn_text, "x.ret:2: warning: liquidation (code 06) of nosso número 00001234 reports no amount paid"));
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	struct diag err;
	good_file(&f, "999");
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	memset(&g, 0, sizeof g);
	g.stop_at = 1;
	assert_int_equal(cnab400_parse(NULL, "x.ret", (const unsigned char *)filebuf, len, &info, on_event, &g,
	                               on_warn, &g, &err),
	                 -1);
	assert_int_equal(g.n, 1);
	assert_string_equal(err.msg, "stopped by the callback");
}

static void test_layout_checks(void **state)
{
	(void)state;
	struct diag err;
	/* a net-of-tariff layout must say where the tarifa is */
	static const char text[] = "layout t400\nfamily cnab400\nlength 400\nbank *\n"
	                           "paid-amount net-of-tariff\n"
	                           "record header when 1-1 = \"0\"\n"
	                           "  field banco 77 79 num\n  field operacao 2 2 alnum\n"
	                           "  field literal_operacao 3 9 alnum\n  field servico 10 11 alnum\n"
	                           "  field data_geracao 95 100 date6\n  field sequencia 395 400 num\n"
	                           "record detail when 1-1 = \"1\"\n"
	                           "  field codigo_ocorrencia 109 110 alnum\n  field nosso_numero 63 70 alnum\n"
	                           "  field valor_titulo 153 165 money\n  field valor_pago 254 266 money\n"
	                           "record trailer when 1-1 = \"9\"\n";
	struct layout *l = layout_parse("t.layout", text, sizeof text - 1, &err);
	assert_non_null(l);
	assert_int_equal(layout_paid_is_net_of_tariff(l), 1);
	struct cnab f;
	struct cnab_file_info info;
	struct got g;
	good_file(&f, "999");
	size_t len = join(&f, "", "\n", 1, filebuf, sizeof filebuf);
	assert_int_equal(parse(l, filebuf, len, &info, &g, &err), -1);
	assert_non_null(strstr(err.msg, "has no field 'valor_tarifa'"));
	layout_free(l);

	static const char bad[] = "layout t\nfamily cnab400\nlength 400\npaid-amount net\n";
	assert_null(layout_parse("b.layout", bad, sizeof bad - 1, &err));
	assert_non_null(strstr(err.msg, "expected `gross` or `net-of-tariff`"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_bank_layouts_and_amounts),
	    cmocka_unit_test(test_credisis),
	    cmocka_unit_test(test_brb),
	    cmocka_unit_test(test_century),
	    cmocka_unit_test(test_wrappers),
	    cmocka_unit_test(test_short_and_long_records),
	    cmocka_unit_test(test_file_kind),
	    cmocka_unit_test(test_structure),
	    cmocka_unit_test(test_sequence),
	    cmocka_unit_test(test_extra_records),
	    cmocka_unit_test(test_unknown_occurrence_and_zero_paid),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_layout_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
