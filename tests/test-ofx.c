/* Unit tests for the OFX reader (src/codec/ofx*.c) on statements built
 * here: amounts and dates as banks write them, memo shapes of each bank,
 * the SGML tolerances (optional end tags, a missing </STMTTRN>, cp1252),
 * what becomes an event and with which identity, OFX 2 XML including the
 * refusal of DTDs (billion laughs, XXE), and each refusal's exact
 * FILE:LINE:COL message. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/bank_file.h"
#include "codec/ofx.h"
#include "codec/ofx_memo.h"

/* ---- running the reader on a string */

#define MAX_EVENTS 16
#define MAX_WARN   16

struct result {
	int rc;
	struct cnab_file_info info;
	struct bank_event ev[MAX_EVENTS];
	int n;
	char warn[MAX_WARN][600];
	int nwarn;
	char err[600];
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct result *r = ctx;
	(void)d;
	assert_true(r->n < MAX_EVENTS);
	r->ev[r->n++] = *ev;
	return 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	struct result *r = ctx;
	if (r->nwarn < MAX_WARN)
		diag_format(d, r->warn[r->nwarn++], sizeof r->warn[0]);
}

static struct result *parse_bytes(const char *text, size_t len)
{
	static struct result r;
	struct diag err;
	memset(&r, 0, sizeof r);
	diag_clear(&err);
	r.rc = ofx_parse("f.ofx", (const unsigned char *)text, len, &r.info, on_event, &r, on_warn, &r, &err);
	if (r.rc)
		diag_format(&err, r.err, sizeof r.err);
	return &r;
}

static struct result *parse(const char *text)
{
	return parse_bytes(text, strlen(text));
}

static int warned(const struct result *r, const char *part)
{
	for (int i = 0; i < r->nwarn; i++)
		if (strstr(r->warn[i], part))
			return 1;
	return 0;
}

#define HEADER                                                                                               \
	"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"          \
	"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
/* 11 lines of header: <OFX> is on line 11 */
#define OPEN_STMT(bankid)                                                                                    \
	"<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"                   \
	"<DTSERVER>20240315100000[-3:BRT]\n<LANGUAGE>POR\n</SONRS>\n</SIGNONMSGSRSV1>\n"                     \
	"<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STMTRS>\n<CURDEF>BRL\n<BANKACCTFROM>\n<BANKID>" bankid     \
	"\n<BRANCHID>0001\n<ACCTID>12345-6\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n"           \
	"<DTSTART>20240301\n<DTEND>20240315\n"
/* <OFX> line 11 ... <DTEND> line 35: the first <STMTTRN> is on line 36 */
#define CLOSE_STMT "</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
#define TXN(type, date, amount, fitid, memo)                                                                 \
	"<STMTTRN>\n<TRNTYPE>" type "\n<DTPOSTED>" date "\n<TRNAMT>" amount "\n<FITID>" fitid                \
	"\n<MEMO>" memo "\n</STMTTRN>\n"

/* ---- amounts */

static void test_amounts(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int64_t cents;
	} good[] = {
	    {"-12.34", -1234},
	    {"12,34", 1234},
	    {"            -11,76", -1176},
	    {"R$ 0,11", 11},
	    {"-R$ 0,01", -1},
	    {"3.098,97", 309897},
	    {"+5", 500},
	    {"100", 10000},
	    {".50", 50},
	    {"-530,86", -53086},
	    {"-11.7600", -1176},
	    {"1.000", 100},
	    {"-836.30 ", -83630},
	    {"1,234.56", 123456},
	    {"R$ 1.234,56", 123456},
	    {"0", 0},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t c = -999;
		const char *why = NULL;
		int rc = ofx_parse_amount(good[i].in, strlen(good[i].in), &c, &why);
		if (rc != 0)
			fail_msg("\"%s\": %s", good[i].in, why);
		assert_int_equal(c, good[i].cents);
	}
	static const char *const bad[] = {
	    "12A4", "            .  ", "",    "12.345", "R$ 1.234", "--5",
	    "5-",   "1.2.3,4,5",       "12.", "R$",     "1e3",      "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t c;
		const char *why = NULL;
		if (ofx_parse_amount(bad[i], strlen(bad[i]), &c, &why) == 0)
			fail_msg("\"%s\" accepted as %lld", bad[i], (long long)c);
		assert_non_null(why);
	}
}

/* ---- dates */

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		int y, m, d;
	} cases[] = {
	    {"20240131", 0, 2024, 1, 31},
	    {"20240131120000", 0, 2024, 1, 31},
	    {"20240131120000[-3:BRT]", 0, 2024, 1, 31},
	    {"20130204000000[-03:EST]", 0, 2013, 2, 4},
	    {"20240131235959.123[0:GMT]", 0, 2024, 1, 31},
	    {"20240131120000[-3]", 0, 2024, 1, 31},
	    {"20240131120000[+5.30:IST]", 0, 2024, 1, 31},
	    {"20240131 ", 0, 2024, 1, 31},
	    {"20240131120000[-3:BRT", 1, 2024, 1, 31},
	    {"20240131256000", 1, 2024, 1, 31},
	    {"2024013112", 1, 2024, 1, 31},
	    {"20240131120000 BRT", 1, 2024, 1, 31},
	    {"00000000000000", -1, 0, 0, 0},
	    {"20240230", -1, 0, 0, 0},
	    {"2024-01-31", -1, 0, 0, 0},
	    {"", -1, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cdate d = CDATE_NONE;
		const char *why = NULL;
		int rc = ofx_parse_datetime(cases[i].in, strlen(cases[i].in), &d, &why);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, expected %d (%s)", cases[i].in, rc, cases[i].rc,
			         why ? why : "");
		if (rc >= 0)
			assert_int_equal(d, date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
		else
			assert_non_null(why);
	}
}

/* ---- memo shapes */

static void test_memo_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *memo, *name;
		const char *payer, *doc;
		int partial, pix, reversal;
		const char *e2e;
	} cases[] = {
	    /* Nubank, person (masked CPF) and company (full CNPJ) */
	    {"Transferência recebida pelo Pix - MARIA OLIVEIRA SANTOS - •••.456.789-•• - BCO DO BRASIL S.A. "
	     "(0001) "
	     "Agência: 1234 Conta: 56789-0",
	     NULL, "MARIA OLIVEIRA SANTOS", "***456789**", 1, 1, 0, ""},
	    {"Transferência recebida pelo Pix - TOCA F C LTDA - 11.222.333/0001-81 - BCO DO BRASIL S.A. "
	     "(0001)",
	     NULL, "TOCA F C LTDA", "11222333000181", 0, 1, 0, ""},
	    {"Transferência Recebida - Fulana de Tal - •••.123.456-•• - NU PAGAMENTOS - IP (0260)", NULL,
	     "Fulana de Tal", "***123456**", 1, 0, 0, ""},
	    {"Reembolso recebido pelo Pix - CICLANO DA SILVA - •••.111.222-•• - ITAÚ (0341)", NULL,
	     "CICLANO DA SILVA", "***111222**", 1, 1, 1, ""},
	    /* Banco do Brasil: date, time, id (000 + CPF here), truncated name */
	    {"Pix - Recebido - 07/03 11:26 00052998224725 MANOEL GALD", NULL, "MANOEL GALD", "52998224725", 0,
	     1, 0, ""},
	    {"PIX - RECEBIDO - 09/03 18:04 21708298370231 ERDESSON DOS R", NULL, "ERDESSON DOS R", "", 0, 1,
	     0, ""},
	    /* Inter: the ISPB of the payer's bank, then the name; NAME repeats it */
	    {"Pix recebido: \"Cp :60701190-CANTINHO DAS ESSENCIAS LTDA\"", "Cantinho Das Essencias Ltda",
	     "CANTINHO DAS ESSENCIAS LTDA", "", 0, 1, 0, ""},
	    /* Itaú */
	    {"PIX QR CODE RECEBIDO MARIA APARECIDA 11/05", NULL, "MARIA APARECIDA", "", 0, 1, 0, ""},
	    {"PIX RECEBIDO BRUNO L19/03 BRUNO LIMA COSTA 123.456.789-09", NULL, "BRUNO LIMA COSTA",
	     "12345678909", 0, 1, 0, ""},
	    {"PIX RECEB.OUTRA IF 4837", NULL, "", "", 0, 1, 0, ""},
	    /* Bradesco */
	    {"Transfe Pix Rem: Leticia Pires", NULL, "Leticia Pires", "", 0, 1, 0, ""},
	    {"DEVOLUCAO PIX JOAO AMEIXAS", NULL, "JOAO AMEIXAS", "", 0, 1, 1, ""},
	    {"PIX QR CODE DINAMICO JOSE DOCE", NULL, "JOSE DOCE", "", 0, 1, 0, ""},
	    /* generic */
	    {"PIX RECEBIDO - CLIENTE ALFA COMERCIO", NULL, "CLIENTE ALFA COMERCIO", "", 0, 1, 0, ""},
	    {"Estorno - Pix - Fulano", NULL, "Fulano", "", 0, 1, 1, ""},
	    /* an endToEndId in the text */
	    {"PIX RECEBIDO - ANA COSTA - E18236120202403081230s0123abcdef", NULL, "ANA COSTA", "", 0, 1, 0,
	     "E18236120202403081230s0123abcdef"},
	    /* 32 characters starting with E that are not an endToEndId (no real date) */
	    {"PIX RECEBIDO - ANA - E18236120209913081230s0123abcdef", NULL, "ANA", "", 0, 1, 0, ""},
	    /* not Pix, not a transfer: no payer guessed */
	    {"DEPÓSITO COMPE", NULL, "", "", 0, 0, 0, ""},
	    {"TRANSFERÊNCIA ON LINE", NULL, "", "", 0, 0, 0, ""},
	    {"ESTORNO DE DÉBITO", NULL, "", "", 0, 0, 1, ""},
	    {"Compra no débito - MERCADO CENTRAL", NULL, "", "", 0, 0, 0, ""},
	    /* a CPF with wrong check digits is not a document */
	    {"PIX RECEBIDO - JOSE - 123.456.789-00", NULL, "JOSE", "", 0, 1, 0, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ofx_memo m;
		ofx_memo_read(cases[i].memo, cases[i].name, &m);
		if (strcmp(m.payer_name, cases[i].payer) != 0 ||
		    strcmp(m.payer_document, cases[i].doc) != 0 ||
		    m.payer_document_partial != cases[i].partial || m.is_pix != cases[i].pix ||
		    m.is_reversal != cases[i].reversal || strcmp(m.end_to_end_id, cases[i].e2e) != 0)
			fail_msg("memo %zu \"%s\": got name \"%s\" doc \"%s\" partial %d pix %d reversal %d "
			         "e2e \"%s\"",
			         i, cases[i].memo, m.payer_name, m.payer_document, m.payer_document_partial,
			         m.is_pix, m.is_reversal, m.end_to_end_id);
	}
	assert_true(ofx_memo_is_balance("SALDO DIA"));
	assert_true(ofx_memo_is_balance("Saldo Anterior"));
	assert_true(ofx_memo_is_balance("  S A L D O  "));
	assert_false(ofx_memo_is_balance("SALDOS E APLICACOES XYZ"));
	assert_false(ofx_memo_is_balance("PIX RECEBIDO - SALDO SILVA"));
}

/* ---- statements */

static void test_credits_and_skips(void **state)
{
	(void)state;
	struct result *r =
	    parse(HEADER OPEN_STMT("0260") TXN(
	        "CREDIT", "20240304000000[-3:BRT]", "150.00", "F1",
	        "Transferência recebida pelo Pix - MARIA SANTOS - •••.456.789-•• - BCO DO BRASIL S.A. (0001)")
	              TXN("DEBIT", "20240305", "-45.90", "F2", "Compra no débito - MERCADO")
	                  TXN("DEBIT", "20240306", "-150.00", "F3",
	                      "Reembolso enviado pelo Pix - MARIA SANTOS - •••.456.789-••")
	                      TXN("INT", "20240306", "0.11", "F4", "Rendimento")
	                          TXN("OTHER", "20240306", "0.00", "F5", "Lançamento informativo")
	                              TXN("DEP", "20240307", "1.234,56", "F6", "DEPÓSITO COMPE") CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->info.titles, 6);
	assert_int_equal(r->info.records, 6);
	assert_int_equal(r->info.bank, 260);
	assert_string_equal(r->info.agreement, "0001/12345-6");
	assert_string_equal(r->info.layout_name, "OFX 1.02 SGML");
	assert_int_equal(r->info.generated, date_from_ymd(2024, 3, 15));

	const struct bank_event *e = &r->ev[0];
	assert_int_equal(e->kind, EVENT_CREDIT);
	assert_int_equal(e->line, 36);
	assert_int_equal(e->line_end, 42);
	assert_int_equal(e->paid_cents, 15000);
	assert_int_equal(e->occurrence_date, date_from_ymd(2024, 3, 4));
	assert_string_equal(e->statement_ref, "F1");
	assert_string_equal(e->payer_name, "MARIA SANTOS");
	assert_string_equal(e->payer_document, "***456789**");
	assert_int_equal(e->payer_document_partial, 1);
	assert_int_equal(e->weak_identity, 1);
	assert_int_equal(strncmp(e->identity, "ofx|", 4), 0);
	assert_int_equal(strlen(e->identity), 36);
	assert_string_equal(e->agreement, "0001/12345-6");

	assert_int_equal(r->ev[1].kind, EVENT_REVERSAL);
	assert_int_equal(r->ev[1].paid_cents, 15000);
	assert_string_equal(r->ev[1].payer_name, "MARIA SANTOS");
	assert_int_equal(r->ev[2].kind, EVENT_CREDIT);
	assert_int_equal(r->ev[2].paid_cents, 123456);
	assert_string_equal(r->ev[2].payer_name, "");
	assert_int_equal(r->nwarn, 0);
}

/* The same transaction in two exports has one identity; two identical
 * ones in a file share it too (the ledger numbers them #1, #2); any
 * difference of content makes another. */
static void test_identity(void **state)
{
	(void)state;
	char a[2][40], b[3][40];
	struct result *r = parse(
	    HEADER OPEN_STMT("0260") TXN("CREDIT", "20240307", "80.00", "00000000000", "PIX RECEBIDO - JOAO")
	        TXN("CREDIT", "20240307", "80.00", "00000000000", "PIX RECEBIDO - JOAO") CLOSE_STMT);
	assert_int_equal(r->n, 2);
	strcpy(a[0], r->ev[0].identity);
	strcpy(a[1], r->ev[1].identity);
	assert_string_equal(a[0], a[1]);

	r = parse(
	    HEADER OPEN_STMT("0260")
	        TXN("CREDIT", "20240307120000[-03:EST]", "80,00", "00000000000", "PIX RECEBIDO -  joao ")
	            TXN("CREDIT", "20240307", "80.00", "00000000001", "PIX RECEBIDO - JOAO")
	                TXN("CREDIT", "20240308", "80.00", "00000000000", "PIX RECEBIDO - JOAO") CLOSE_STMT);
	assert_int_equal(r->n, 3);
	for (int i = 0; i < 3; i++)
		strcpy(b[i], r->ev[i].identity);
	/* padding, case, time and zone, decimal comma: the same transaction */
	assert_string_equal(b[0], a[0]);
	assert_string_not_equal(b[1], a[0]);
	assert_string_not_equal(b[2], a[0]);

	/* another account: another transaction */
	r = parse(HEADER OPEN_STMT("0077")
	              TXN("CREDIT", "20240307", "80.00", "00000000000", "PIX RECEBIDO - JOAO") CLOSE_STMT);
	assert_string_not_equal(r->ev[0].identity, a[0]);

	/* an endToEndId gives the Pix identity shared with camt and API Pix */
	r = parse(HEADER OPEN_STMT("0260") TXN("CREDIT", "20240307", "80.00", "X",
	                                       "PIX RECEBIDO - JOAO E18236120202403071230s0123abcdef")
	              TXN("DEBIT", "20240308", "-80.00", "Y",
	                  "DEVOLUCAO PIX E18236120202403071230s0123abcdef D18236120202403081100abcdefghijk")
	                  CLOSE_STMT);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ev[0].identity, "pix|E18236120202403071230s0123abcdef");
	assert_int_equal(r->ev[0].weak_identity, 0);
	assert_string_equal(r->ev[0].end_to_end_id, "E18236120202403071230s0123abcdef");
	assert_int_equal(r->ev[1].kind, EVENT_REVERSAL);
	assert_string_equal(r->ev[1].identity,
	                    "pixdev|E18236120202403071230s0123abcdef|D18236120202403081100abcdefghijk");
	assert_string_equal(r->ev[1].refund_id, "D18236120202403081100abcdefghijk");
}

static void test_sgml_tolerances(void **state)
{
	(void)state;
	/* BB: tabs, trailing blanks, end tags on some values, cp1252 bytes,
	 * a transaction without </STMTTRN>, balance lines */
	static const char text[] = HEADER OPEN_STMT(
	    "001") "\t<STMTTRN>\n\t <TRNTYPE>DEP </TRNTYPE>\n\t <DTPOSTED>20101006 \n\t <TRNAMT>18.83 "
	           "</TRNAMT>\n"
	           "\t <FITID>2010100601883 \n\t <MEMO>ESTORNO DE D\xC9"
	           "BITO   \n"
	           "\t <STMTTRN>\n\t <TRNTYPE>OTHER\n\t <DTPOSTED>20101006\n\t <TRNAMT>            .  \n"
	           "\t <FITID>0\n\t <MEMO>SALDO DIA\n\t </STMTTRN>\n"
	           "\t<STMTTRN><TRNTYPE>C</TRNTYPE><DTPOSTED>20210128</DTPOSTED><TRNAMT>R$ 0,11</TRNAMT>"
	           "<FITID>20210128108</FITID><NAME></NAME><MEMO>CART\xC3O &amp; "
	           "CIA</MEMO></STMTTRN>\n" CLOSE_STMT;
	struct result *r = parse(text);
	if (r->rc)
		fail_msg("%s", r->err);
	assert_int_equal(r->info.titles, 3);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ev[0].free_text, "ESTORNO DE DÉBITO");
	assert_int_equal(r->ev[0].paid_cents, 1883);
	assert_int_equal(r->ev[0].line, 36);
	assert_int_equal(r->ev[1].paid_cents, 11);
	assert_string_equal(r->ev[1].free_text, "CARTÃO & CIA");
	assert_int_equal(r->info.bank, 1);
	assert_true(
	    warned(r, "f.ofx:42:3: warning: <STMTTRN> opened at line 36 has no closing tag: closed by the "
	              "<STMTTRN> at line 42"));
	assert_true(warned(
	    r, "f.ofx:45:23: warning: field 'TRNAMT': balance line \"SALDO DIA\" with no amount (\".\")"));
	assert_int_equal(r->nwarn, 2);

	/* Santander: BANKID 034 with <FI> SANTANDER is bank 033 */
	r = parse(
	    HEADER
	    "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<DTSERVER>20170904082855[-3:GMT]\n<FI>\n<ORG>SANTANDER\n"
	    "<FID>SANTANDER\n</FI>\n</SONRS>\n</SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n"
	    "<BANKACCTFROM>\n<BANKID>034\n<ACCTID>3423130031625\n</BANKACCTFROM>\n<BANKTRANLIST>\n" TXN(
	        "OTHER", "20170901000000[-3:GMT]", "             47,01", "00050409", "RESGATE") CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->info.bank, 33);
	assert_int_equal(r->ev[0].paid_cents, 4701);
	assert_int_equal(r->info.generated, date_from_ymd(2017, 9, 4));

	/* a blank line before the header (Bradesco), DTSERVER of zeros: DTEND */
	r = parse("\n" HEADER "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<DTSERVER>00000000000000\n</SONRS>\n"
	          "</SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n<BANKACCTFROM>\n<BANKID>0237\n"
	          "<ACCTID>34545\n</BANKACCTFROM>\n<BANKTRANLIST>\n<DTEND>20150730120000\n" TXN(
	              "DEBIT", "20150730120000", "-530,86", "5649673", "PAGTO ELETRONICO TRIBUTO")
	              CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->info.bank, 237);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->info.titles, 1);
	assert_int_equal(r->info.generated, date_from_ymd(2015, 7, 30));

	/* an unknown empty element inside a transaction is a value, not an
	 * aggregate that would swallow the fields after it */
	r = parse(HEADER OPEN_STMT("0260") "<STMTTRN>\n<TRNTYPE>CREDIT\n<XBANKFLAG>\n<DTPOSTED>20240304\n"
	                                   "<TRNAMT>2.00\n<FITID>Z\n</STMTTRN>\n" CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0].paid_cents, 200);
	assert_int_equal(r->nwarn, 0);

	/* no header at all: read as OFX 1.x, with a warning */
	r = parse(OPEN_STMT("0260") TXN("CREDIT", "20240304", "1.00", "A", "x") CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n, 1);
	assert_true(warned(r, "no OFX header"));
	assert_string_equal(r->info.layout_name, "OFX 1.x SGML");

	/* header says UTF-8, text is not */
	r = parse("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:UTF-8\n\n" OPEN_STMT("0260")
	              TXN("CREDIT", "20240304", "1.00", "A", "DEP\xD3SITO") CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->ev[0].free_text, "DEPÓSITO");
	assert_true(warned(r, "not valid UTF-8: read as Windows-1252"));
}

static void test_type_and_sign(void **state)
{
	(void)state;
	struct result *r = parse(
	    HEADER OPEN_STMT("0260") TXN("DEBIT", "20240304", "50.00", "A", "PAGAMENTO")
	        TXN("CREDIT", "20240304", "-50.00", "B", "TED") TXN("WEIRD", "20240304", "7.00", "C", "x")
	            TXN("XFER", "20240304", "8.00", "D", "TRANSFERENCIA")
	                TXN("OTHER", "20240304[-3:BRT", "9.00", "E", "y") CLOSE_STMT);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->ev[0].paid_cents, 700);
	assert_int_equal(r->ev[1].paid_cents, 800);
	assert_int_equal(r->ev[2].paid_cents, 900);
	assert_true(warned(r, "f.ofx:39:9: warning: field 'TRNAMT': TRNTYPE DEBIT with a positive amount"));
	assert_true(warned(r, "field 'TRNAMT': TRNTYPE CREDIT with a negative amount: read as a debit"));
	assert_true(warned(r, "field 'TRNTYPE': 'WEIRD' is not an OFX transaction type"));
	assert_true(warned(r, "field 'DTPOSTED': unexpected text after the date-time"));
}

/* Each refusal with its exact place. */
static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {HEADER OPEN_STMT("0260") TXN("CREDIT", "20240304", "12A4", "A", "x") CLOSE_STMT,
	     "f.ofx:39:9: error: field 'TRNAMT': expected an amount like -12.34, found \"12A4\""},
	    {HEADER OPEN_STMT("0260") TXN("CREDIT", "20240304", "            .  ", "A", "PIX RECEBIDO")
	         CLOSE_STMT,
	     "f.ofx:39:21: error: field 'TRNAMT': expected an amount like -12.34, found \".\""},
	    {HEADER OPEN_STMT("0260") TXN("CREDIT", "20240304", "12.345", "A", "x") CLOSE_STMT,
	     "f.ofx:39:9: error: field 'TRNAMT': expected an amount like -12.34, found \"12.345\" (more than "
	     "two "
	     "decimals)"},
	    {HEADER OPEN_STMT("0260") TXN("CREDIT", "2024-03-04", "1.00", "A", "x") CLOSE_STMT,
	     "f.ofx:38:11: error: field 'DTPOSTED': expected a date like 20240131 or 20240131120000[-3:BRT], "
	     "found "
	     "\"2024-03-04\""},
	    {HEADER OPEN_STMT(
	         "0260") "<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20240304\n<TRNAMT>1.00\n<TRNAMT>2.00\n"
	                 "</STMTTRN>\n" CLOSE_STMT,
	     "f.ofx:40:9: error: field 'TRNAMT': given twice in the transaction that starts at line 36"},
	    {HEADER OPEN_STMT(
	         "0260") "<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20240304\n</STMTTRN>\n" CLOSE_STMT,
	     "f.ofx:36: error: <STMTTRN> without <TRNAMT>"},
	    {HEADER OPEN_STMT("0260") TXN("CREDIT", "20240304", "1.00", "A", "x"),
	     "f.ofx:42: error: the file ends inside <BANKTRANLIST> opened at line 33: it is truncated, or "
	     "that "
	     "element has no closing tag"},
	    {HEADER OPEN_STMT("0260") "</STMTTRN>\n" CLOSE_STMT,
	     "f.ofx:36:1: error: closing tag </STMTTRN> has no open element of that name"},
	    {HEADER OPEN_STMT("0260") "<STMTTRN>\n<TRNAMT 1.00\n" CLOSE_STMT,
	     "f.ofx:37:8: error: expected '>' to end the tag <TRNAMT"},
	    {HEADER "<!DOCTYPE OFX>\n<OFX>\n</OFX>\n", "f.ofx:11:1: error: '<!': declarations, comments and "
	                                               "processing instructions have no place in OFX 1.x "
	                                               "SGML"},
	    {HEADER "<OFX>\n<SIGNONMSGSRSV1>\n</SIGNONMSGSRSV1>\n</OFX>\n",
	     "f.ofx: error: no bank statement (<STMTRS>) in the file"},
	    {HEADER
	     "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>15500\n<SEVERITY>ERROR\n<MESSAGE>Senha "
	     "inválida\n</STATUS>\n</SONRS>\n</SIGNONMSGSRSV1>\n</OFX>\n",
	     "f.ofx: error: no bank statement: the bank's response is an error (STATUS CODE 15500: Senha "
	     "inválida)"},
	    {HEADER "<OFX>\n<CREDITCARDMSGSRSV1>\n<CCSTMTTRNRS>\n<CCSTMTRS>\n",
	     "f.ofx:14: error: a credit-card statement (<CCSTMTRS>): concilia reads bank account statements"},
	    {"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCOMPRESSION:GZIP\n\n<OFX>\n</OFX>\n",
	     "f.ofx:4: error: compressed OFX (COMPRESSION:GZIP) is not read: export it uncompressed"},
	    {"OFXHEADER:100\nDATA:OFXSGML\nthis is not a header\n<OFX>\n</OFX>\n",
	     "f.ofx:3:1: error: expected an OFX header line like VERSION:102, found \"this is not a "
	     "header\""},
	    {HEADER OPEN_STMT("0260") "<STMTRS>\n<CURDEF>USD\n" CLOSE_STMT,
	     "f.ofx:37:9: error: field 'CURDEF': statement in USD: concilia reads statements in reais (BRL) "
	     "only"},
	    {HEADER "<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n<BANKTRANLIST>\n" TXN(
	         "CREDIT", "20240304", "1.00", "A", "x") CLOSE_STMT,
	     "f.ofx:16: error: <STMTTRN> outside a bank statement, or before its account (<BANKACCTFROM>)"},
	    {HEADER "<OFX>\n</OFX>\n<OFX>\n</OFX>\n",
	     "f.ofx:13:1: error: element <OFX> after the end of the OFX document"},
	    {HEADER "<SIGNONMSGSRSV1>\n</SIGNONMSGSRSV1>\n",
	     "f.ofx:11:1: error: expected <OFX> as the first element, found <SIGNONMSGSRSV1>"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct result *r = parse(cases[i].text);
		if (r->rc == 0 || strcmp(r->err, cases[i].msg) != 0)
			fail_msg("case %zu: rc %d\n   got: %s\nwanted: %s", i, r->rc, r->err, cases[i].msg);
	}
}

/* ---- OFX 2 (XML) */

#define XML_HEAD                                                                                             \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                       \
	"<?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" "                     \
	"NEWFILEUID=\"NONE\"?>\n"
#define XML_STMT_OPEN                                                                                        \
	"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n"             \
	"<DTSERVER>20240320083000[-03:EST]</DTSERVER></SONRS></SIGNONMSGSRSV1>\n"                            \
	"<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STMTRS><CURDEF>BRL</CURDEF>\n"                          \
	"<BANKACCTFROM><BANKID>0341</BANKID><BRANCHID>0500</BRANCHID><ACCTID>12345-6</ACCTID></"             \
	"BANKACCTFROM>\n"                                                                                    \
	"<BANKTRANLIST>\n"
#define XML_STMT_CLOSE "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"

static void test_xml(void **state)
{
	(void)state;
	struct result *r =
	    parse(XML_HEAD XML_STMT_OPEN
	          "<STMTTRN>\n<TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240318100000[-03:EST]</DTPOSTED>"
	          "<TRNAMT>420.00</TRNAMT><FITID>00000000000</FITID>\n"
	          "<MEMO>PIX QR CODE RECEBIDO FERNANDA ROCHA 18/03</MEMO><NAME/></STMTTRN>\n"
	          "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240319</DTPOSTED><TRNAMT>-1.00</TRNAMT>"
	          "<FITID>2</FITID><MEMO><![CDATA[SISPAG & <CIA>]]></MEMO></STMTTRN>\n"
	          "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240319</DTPOSTED><TRNAMT>5.00</TRNAMT>"
	          "<FITID>3</FITID><MEMO>A &amp;amp; B &#201;</MEMO></STMTTRN>\n" XML_STMT_CLOSE);
	if (r->rc)
		fail_msg("%s", r->err);
	assert_string_equal(r->info.layout_name, "OFX 2.1.1 XML");
	assert_int_equal(r->info.bank, 341);
	assert_int_equal(r->info.titles, 3);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->ev[0].line, 8);
	assert_int_equal(r->ev[0].paid_cents, 42000);
	assert_string_equal(r->ev[0].payer_name, "FERNANDA ROCHA");
	/* XML text is decoded once: "&amp;amp;" is "&amp;" */
	assert_string_equal(r->ev[1].free_text, "A &amp; B É");

	/* a bad amount: its line and the column after the tag */
	r = parse(XML_HEAD XML_STMT_OPEN "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE>\n<DTPOSTED>20240318</DTPOSTED>\n"
	                                 "  <TRNAMT>12A4</TRNAMT></STMTTRN>\n" XML_STMT_CLOSE);
	assert_string_equal(
	    r->err, "f.ofx:10:11: error: field 'TRNAMT': expected an amount like -12.34, found \"12A4\"");

	/* malformed XML: libxml2's words, with the place */
	r = parse(XML_HEAD XML_STMT_OPEN "<STMTTRN><TRNAMT>1.00</TRNTYPE></STMTTRN>\n" XML_STMT_CLOSE);
	assert_int_not_equal(r->rc, 0);
	assert_non_null(strstr(r->err, "f.ofx:8:"));
	assert_non_null(strstr(r->err, "malformed XML"));

	/* no <?OFX?> processing instruction: read, with a warning */
	r = parse("<?xml version=\"1.0\"?>\n" XML_STMT_OPEN XML_STMT_CLOSE);
	assert_int_equal(r->rc, 0);
	assert_true(warned(r, "no <?OFX"));
}

static void test_xml_hostile(void **state)
{
	(void)state;
	static const char *const refused_doctype[] = {
	    /* billion laughs: ten levels of tenfold entities */
	    XML_HEAD "<!DOCTYPE OFX [\n <!ENTITY lol \"lol\">\n"
	             " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	             " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	             " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	             " <!ENTITY lol9 "
	             "\"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n" XML_STMT_OPEN
	             "<STMTTRN><MEMO>&lol9;</MEMO></STMTTRN>" XML_STMT_CLOSE,
	    /* XXE: an external entity naming a local file */
	    XML_HEAD "<!DOCTYPE OFX [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n" XML_STMT_OPEN
	             "<STMTTRN><MEMO>&xxe;</MEMO></STMTTRN>" XML_STMT_CLOSE,
	    /* an external DTD, after a comment */
	    "<?xml version=\"1.0\"?>\n<!-- export -->\n<!DOCTYPE OFX SYSTEM "
	    "\"http://example.invalid/ofx.dtd\">\n"
	    "<OFX/>\n",
	};
	for (size_t i = 0; i < sizeof refused_doctype / sizeof refused_doctype[0]; i++) {
		struct result *r = parse(refused_doctype[i]);
		assert_int_not_equal(r->rc, 0);
		if (!strstr(r->err, "DOCTYPE or other declaration refused"))
			fail_msg("case %zu: %s", i, r->err);
		assert_int_equal(r->n, 0);
	}
	struct result *r = parse(refused_doctype[0]);
	assert_string_equal(
	    r->err, "f.ofx:3: error: DOCTYPE or other declaration refused: OFX 2 files have none, and "
	            "a DTD can expand entities without bound (billion laughs) or read other files "
	            "(XXE)");
	/* an entity used without a DTD: undefined, refused by the parser */
	r = parse(XML_HEAD XML_STMT_OPEN "<STMTTRN><MEMO>&xxe;</MEMO></STMTTRN>" XML_STMT_CLOSE);
	assert_int_not_equal(r->rc, 0);
	assert_non_null(strstr(r->err, "malformed XML"));
	assert_non_null(strstr(r->err, "xxe"));
	/* a root that is not OFX */
	r = parse(XML_HEAD "<Document/>\n");
	assert_string_equal(r->err, "f.ofx:3: error: the root element is <Document>, not <OFX>");
}

/* ---- detection */

static void test_sniff(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int is_ofx;
	} cases[] = {
	    {"OFXHEADER:100\nDATA:OFXSGML\n", 1},
	    {"\xEF\xBB\xBF\r\nOFXHEADER:100\n", 1},
	    {"<OFX>\n<SIGNONMSGSRSV1>", 1},
	    {"<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>\n<OFX>", 1},
	    {"<?xml version=\"1.0\"?>\n<OFX>", 1},
	    {"<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">",
	     0},
	    {"{\"pix\": []}", 0},
	    {"02300000         2", 0},
	    {"", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(ofx_sniff((const unsigned char *)cases[i].text, strlen(cases[i].text)),
		                 cases[i].is_ofx);

	/* and bank_file_detect picks the OFX reader */
	static const char ofx[] = HEADER OPEN_STMT("0260") CLOSE_STMT;
	struct bank_file_format fmt;
	struct layout *own;
	struct diag d;
	assert_int_equal(
	    bank_file_detect("f.ofx", (const unsigned char *)ofx, strlen(ofx), NULL, &fmt, &own, &d), 0);
	assert_string_equal(fmt.family, "ofx");
	assert_ptr_equal(fmt.statement, &ofx_statement_reader);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amounts),       cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_memo_shapes),   cmocka_unit_test(test_credits_and_skips),
	    cmocka_unit_test(test_identity),      cmocka_unit_test(test_sgml_tolerances),
	    cmocka_unit_test(test_type_and_sign), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_xml),           cmocka_unit_test(test_xml_hostile),
	    cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
