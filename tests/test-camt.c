/* Unit tests for the camt.053/054 reader (src/codec/camt*.c) on documents
 * built here: the text forms (amounts, dates, instants), every message
 * version, credits, batches, returns, skipped entries, payer documents,
 * identities, the currency rule, each error with its FILE:LINE:COL and
 * field path, and the hardening (DOCTYPE, billion laughs, XXE, encodings,
 * depth and text limits, line numbers past 65535). */
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
#include "codec/camt.h"
#include "codec/camt_internal.h"
#include "codec/ispb.h"
#include "core/fileio.h"

/* ---- collecting what the reader delivers */

#define MAX_GOT 64

static struct {
	struct bank_event ev[MAX_GOT];
	int n;
	struct diag warn[MAX_GOT];
	int nwarn, nnotes;
} got;

static int stop_after = -1; /* the callback refuses event number stop_after */
static int stop_with_diag;

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx;
	if (got.n == stop_after) {
		if (stop_with_diag)
			diag_set(d, DIAG_ERROR, "ledger.db", 0, 0, NULL, "disk full");
		return -1;
	}
	assert_true(got.n < MAX_GOT);
	got.ev[got.n++] = *ev;
	return 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	(void)ctx;
	assert_true(d->severity == DIAG_WARNING || d->severity == DIAG_NOTE);
	if (d->severity == DIAG_NOTE) {
		got.nnotes++;
		return;
	}
	assert_true(got.nwarn < MAX_GOT);
	got.warn[got.nwarn++] = *d;
}

static struct cnab_file_info info;
static struct camt_stats stats;
static struct diag err;

static int parse_bytes(const char *xml, size_t len, int any_currency)
{
	struct camt_options opt = {.any_currency = any_currency};
	memset(&got, 0, sizeof got);
	return camt_parse_with(&opt, "t.xml", (const unsigned char *)xml, len, &info, &stats, on_event, NULL,
	                       on_warn, NULL, &err);
}

static int parse(const char *xml)
{
	return parse_bytes(xml, strlen(xml), 0);
}

static const char *err_text(void)
{
	static char buf[1400];
	return diag_format(&err, buf, sizeof buf);
}

static void assert_error(const char *expected)
{
	if (strcmp(err_text(), expected) != 0)
		fail_msg("expected  %s\nfound     %s", expected, err_text());
}

static void assert_error_has(const char *part)
{
	if (strstr(err_text(), part) == NULL)
		fail_msg("expected an error with \"%s\"\nfound %s", part, err_text());
}

/* ---- building documents
 *
 * doc() lines: 1 declaration, 2 Document, 3 message, 4 GrpHdr, 5 Stmt or
 * Ntfctn, 6 its Id and CreDtTm, 7 Acct; the body starts on line 8. */

static char docbuf[1 << 17];

static const char *doc_acct(int msg, int version, const char *acct, const char *body)
{
	int n = snprintf(docbuf, sizeof docbuf,
	                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                 "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.%03d.001.%02d\">\n"
	                 "<%s>\n"
	                 "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-24T06:00:00-03:00</CreDtTm></GrpHdr>\n"
	                 "<%s>\n"
	                 "<Id>S1</Id><CreDtTm>2026-11-24T06:00:00-03:00</CreDtTm>\n"
	                 "%s\n"
	                 "%s"
	                 "</%s>\n</%s>\n</Document>\n",
	                 msg, version, msg == 53 ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn",
	                 msg == 53 ? "Stmt" : "Ntfctn", acct, body, msg == 53 ? "Stmt" : "Ntfctn",
	                 msg == 53 ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn");
	assert_true(n > 0 && (size_t)n < sizeof docbuf);
	return docbuf;
}

#define ACCT_BRL "<Acct><Id><Othr><Id>1234/56789-0</Id></Othr></Id><Ccy>BRL</Ccy></Acct>"

static const char *doc(int msg, int version, const char *body)
{
	return doc_acct(msg, version, ACCT_BRL, body);
}

#define E2E1 "E18236120202611231014s0123456789"
#define E2E2 "E60701190202611231130Ab987654321"
#define RTR1 "D00000000202611231600Rf000000001"

/* One booked Pix credit of the shape of version v (Sts code or Sts/Cd,
 * Dbtr/Nm or Dbtr/Pty/Nm). */
static void pix_credit(char *out, size_t n, int version, const char *e2e, const char *amount)
{
	const char *sts = version >= 6 ? "<Sts><Cd>BOOK</Cd></Sts>" : "<Sts>BOOK</Sts>";
	const char *pty_open = version >= 8 ? "<Pty>" : "", *pty_close = version >= 8 ? "</Pty>" : "";
	snprintf(out, n,
	         "<Ntry><Amt Ccy=\"BRL\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd>%s"
	         "<BookgDt><Dt>2026-11-23</Dt></BookgDt><ValDt><Dt>2026-11-23</Dt></ValDt>"
	         "<AcctSvcrRef>REF1</AcctSvcrRef>"
	         "<NtryDtls><TxDtls><Refs><EndToEndId>%s</EndToEndId><TxId>cobv123abc</TxId></Refs>"
	         "<RltdPties><Dbtr>%s<Nm>Maria da Silva</Nm><Id><PrvtId><Othr><Id>123.456.789-09</Id></Othr>"
	         "</PrvtId></Id>%s</Dbtr></RltdPties>"
	         "<RmtInf><Ustrd>Pedido 123</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n",
	         amount, sts, e2e, pty_open, pty_close);
}

/* ---- text forms */

static void test_amounts(void **state)
{
	static const struct {
		const char *text;
		int rc;
		int64_t cents;
	} cases[] = {
	    {"123.45", 0, 12345},
	    {"0.5", 0, 50},
	    {"5.", 0, 500},
	    {".5", 0, 50},
	    {"18.150", 0, 1815},
	    {"5442.09000", 0, 544209},
	    {" 1 \n", 0, 100},
	    {"2700", 0, 270000},
	    {"0", 0, 0},
	    {"8.855", -2, 0},
	    {"0.001", -2, 0},
	    {"12,3", -1, 0},
	    {"-1.00", -1, 0},
	    {"+1", -1, 0},
	    {"1e3", -1, 0},
	    {"", -1, 0},
	    {".", -1, 0},
	    {"1.2.3", -1, 0},
	    {"1 000.00", -1, 0},
	    {"9999999999999999999", -1, 0},
	    {"999999999999999.99", 0, INT64_C(99999999999999999)},
	    {"1000000000000000.00", -1, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t cents = -7;
		const char *why = NULL;
		int rc = camt_amount_parse(cases[i].text, strlen(cases[i].text), &cents, &why);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, expected %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(cents, cases[i].cents);
		else if (rc == -1)
			assert_non_null(why);
	}
}

static void test_dates(void **state)
{
	static const struct {
		const char *text;
		int with_time, rc;
		const char *date;
	} cases[] = {
	    {"2026-11-23", 0, 0, "2026-11-23"},
	    {"20261123", 0, 0, "2026-11-23"},
	    {"2014-12-31+01:00", 0, 0, "2014-12-31"},
	    {"2014-12-31Z", 0, 0, "2014-12-31"},
	    {"2026-02-30", 0, -1, NULL},
	    {"23/11/2026", 0, -1, NULL},
	    {"2026-11-23T10:00", 0, -1, NULL},
	    /* instants become Brasília dates (UTC-3) */
	    {"2026-11-24T01:30:00Z", 1, 0, "2026-11-23"},
	    {"2026-11-24T03:00:00Z", 1, 0, "2026-11-24"},
	    {"2026-11-23T23:30:00-03:00", 1, 0, "2026-11-23"},
	    {"2026-11-23T22:00:00-05:00", 1, 0, "2026-11-24"},
	    {"2014-12-31T13:15:00+01:00", 1, 0, "2014-12-31"},
	    {"2015-01-01T01:00:00+01:00", 1, 0, "2014-12-31"},
	    {"2025-07-24T06:10:29.000000000", 1, 0, "2025-07-24"},
	    {"2014-01-06T16:20:26.673Z", 1, 0, "2014-01-06"},
	    {"20200706T18:11:51.173Z", 1, 0, "2020-07-06"},
	    {"2026-11-23T23:59", 1, 0, "2026-11-23"},
	    {"2026-11-23T24:00:00", 1, 0, "2026-11-23"},
	    {"2026-11-23", 1, -1, NULL},
	    {"2026-11-23T25:00:00", 1, -1, NULL},
	    {"2026-11-23T10:00:00+3", 1, -1, NULL},
	    {"2026-11-23T10:00:00.", 1, -1, NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cdate d = CDATE_NONE;
		char buf[16];
		size_t len = strlen(cases[i].text);
		int rc = cases[i].with_time ? camt_datetime_parse(cases[i].text, len, &d)
		                            : camt_date_parse(cases[i].text, len, &d);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, expected %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0) {
			date_format_iso(d, buf, sizeof buf);
			if (strcmp(buf, cases[i].date) != 0)
				fail_msg("\"%s\": %s, expected %s", cases[i].text, buf, cases[i].date);
		}
	}
}

static void test_small_values(void **state)
{
	char out[16];
	(void)state;
	assert_int_equal(camt_bool_parse("true", 4), 1);
	assert_int_equal(camt_bool_parse(" 0 ", 3), 0);
	assert_int_equal(camt_bool_parse("yes", 3), -1);
	assert_true(camt_is_pix_id(E2E1));
	assert_false(camt_is_pix_id("E1823612020261123101"));
	assert_false(camt_is_pix_id("TESTBANK/NL/20141229/01206408xxx"));
	assert_true(camt_is_refund_id(RTR1));
	assert_false(camt_is_refund_id(E2E1));
	assert_true(camt_is_txid("NF4471"));
	assert_false(camt_is_txid("ISR ref number V1"));
	assert_false(camt_is_txid(""));
	camt_text_copy(out, sizeof out, "  a \n\t b  ", 10);
	assert_string_equal(out, "a b");
	camt_text_copy(out, 6, "ab\xc3\xa3\xc3\xa3", 6); /* "abãã" cut before a split character */
	assert_string_equal(out, "ab\xc3\xa3");
	assert_int_equal(ispb_bank_code("00000000", 8), 1);
	assert_int_equal(ispb_bank_code("60701190", 8), 341);
	assert_int_equal(ispb_bank_code("237", 3), 237);
	assert_int_equal(ispb_bank_code("99999999", 8), 0);
	assert_int_equal(ispb_bank_code("NZNCC020368", 11), 0);
}

/* ---- what is read */

static void test_pix_credit_v08(void **state)
{
	(void)state;
	const char *body =
	    "<Ntry>\n"
	    "  <NtryRef>7</NtryRef>\n"
	    "  <Amt Ccy=\"BRL\">150.00</Amt>\n"
	    "  <CdtDbtInd>CRDT</CdtDbtInd>\n"
	    "  <Sts><Cd>BOOK</Cd></Sts>\n"
	    "  <BookgDt><DtTm>2026-11-23T10:15:02-03:00</DtTm></BookgDt>\n"
	    "  <ValDt><Dt>2026-11-24</Dt></ValDt>\n"
	    "  <AcctSvcrRef>BB2026112300001</AcctSvcrRef>\n"
	    "  "
	    "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RRCT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></"
	    "BkTxCd>\n"
	    "  <NtryDtls><TxDtls>\n"
	    "    <Refs><EndToEndId>" E2E1 "</EndToEndId><TxId>PEDIDO000123cobv2026abcdefghij</TxId></Refs>\n"
	    "    <Amt Ccy=\"BRL\">150.00</Amt>\n"
	    "    <RltdPties><Dbtr><Pty><Nm>  Maria   da Silva </Nm><Id><PrvtId><Othr><Id>123.456.789-09</Id>"
	    "</Othr></PrvtId></Id></Pty></Dbtr></RltdPties>\n"
	    "    <RmtInf><Ustrd>Pedido 123 &amp; frete</Ustrd><Ustrd><![CDATA[parcela "
	    "<1/3>]]></Ustrd></RmtInf>\n"
	    "    <RltdDts><AccptncDtTm>2026-11-23T02:14:58.123Z</AccptncDtTm></RltdDts>\n"
	    "  </TxDtls></NtryDtls>\n"
	    "</Ntry>\n";
	const char *acct =
	    "<Acct><Id><IBAN>BR9500000000012340000567890C1</IBAN></Id><Ccy>BRL</Ccy>"
	    "<Svcr><FinInstnId><ClrSysMmbId><MmbId>00000000</MmbId></ClrSysMmbId></FinInstnId></Svcr></Acct>";
	assert_int_equal(parse(doc_acct(53, 8, acct, body)), 0);
	assert_int_equal(got.n, 1);
	const struct bank_event *ev = &got.ev[0];
	char d[16];
	assert_int_equal(ev->kind, EVENT_CREDIT);
	assert_int_equal(ev->line, 8);
	assert_int_equal(ev->line_end, 24);
	assert_int_equal(ev->bank, 1);
	assert_string_equal(ev->agreement, "BR9500000000012340000567890C1"); /* the last 20 of the IBAN */
	assert_int_equal(ev->paid_cents, 15000);
	assert_int_equal(ev->net_cents, 15000);
	assert_string_equal(ev->end_to_end_id, E2E1);
	assert_string_equal(ev->txid, "PEDIDO000123cobv2026abcdefghij");
	assert_string_equal(ev->statement_ref, "BB2026112300001");
	assert_string_equal(ev->payer_name, "Maria da Silva");
	assert_string_equal(ev->payer_document, "12345678909");
	assert_false(ev->payer_document_partial);
	assert_string_equal(ev->free_text, "Pedido 123 & frete parcela <1/3>");
	assert_string_equal(ev->occurrence_text, "PMNT/RRCT/DMCT");
	assert_string_equal(ev->identity, "pix|" E2E1);
	assert_false(ev->weak_identity);
	/* accepted at 02:14Z = 23:14 of the day before in Brasília */
	date_format_iso(ev->occurrence_date, d, sizeof d);
	assert_string_equal(d, "2026-11-22");
	date_format_iso(ev->credit_date, d, sizeof d);
	assert_string_equal(d, "2026-11-24");
	assert_int_equal(ev->due_date, CDATE_NONE);

	assert_int_equal(info.bank, 1);
	assert_string_equal(info.agreement, "BR9500000000012340000567890C1");
	date_format_iso(info.generated, d, sizeof d);
	assert_string_equal(d, "2026-11-24");
	assert_string_equal(info.layout_name, "camt.053.001.08");
	assert_int_equal(info.lotes, 1);
	assert_int_equal(info.records, 1);
	assert_int_equal(info.titles, 1);
	assert_int_equal(stats.credits, 1);
	assert_int_equal(got.nwarn, 0);
}

static void test_every_version(void **state)
{
	(void)state;
	char entry[2048], name[32];
	for (int msg = 53; msg <= 54; msg++) {
		for (int v = 2; v <= 8; v++) {
			pix_credit(entry, sizeof entry, v, E2E1, "10.00");
			if (parse(doc(msg, v, entry)) != 0)
				fail_msg("camt.%03d.001.%02d: %s", msg, v, err_text());
			snprintf(name, sizeof name, "camt.%03d.001.%02d", msg, v);
			assert_string_equal(info.layout_name, name);
			assert_int_equal(got.n, 1);
			assert_int_equal(got.ev[0].paid_cents, 1000);
			assert_string_equal(got.ev[0].payer_name, "Maria da Silva");
			assert_string_equal(got.ev[0].payer_document, "12345678909");
			assert_string_equal(got.ev[0].txid, "cobv123abc");
			assert_string_equal(got.ev[0].agreement, "1234/56789-0");
		}
	}
	/* 001.01 and 001.09 are not read, nor camt.052 */
	pix_credit(entry, sizeof entry, 8, E2E1, "10.00");
	assert_int_equal(parse(doc(53, 9, entry)), -1);
	assert_error_has("t.xml:2:1: error: field 'Document': camt.053.001.09: concilia reads camt.053 "
	                 "(bank-to-customer statement) and camt.054 (debit/credit notification), versions "
	                 "001.02 to 001.08");
	assert_int_equal(parse(doc(53, 1, entry)), -1);
	assert_int_equal(parse(doc(52, 8, entry)), -1);
	assert_error_has("camt.052 is an intraday account report");
}

static void test_batch(void **state)
{
	(void)state;
#define TX_FMT "<TxDtls><Refs><EndToEndId>%s</EndToEndId></Refs>%s</TxDtls>"
	char body[4096], t1[512], t2[512];
	/* per-transaction amounts that add up: one event each */
	snprintf(t1, sizeof t1, TX_FMT, E2E1,
	         "<AmtDtls><TxAmt><Amt Ccy=\"BRL\">120.00</Amt></TxAmt></AmtDtls>");
	snprintf(t2, sizeof t2, TX_FMT, E2E2, "<Amt Ccy=\"BRL\">180.00</Amt>");
	snprintf(
	    body, sizeof body,
	    "<Ntry><Amt Ccy=\"BRL\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	    "<BookgDt><Dt>2026-11-23</Dt></BookgDt><NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>%s%s</NtryDtls>"
	    "</Ntry>\n",
	    t1, t2);
	assert_int_equal(parse(doc(53, 4, body)), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.ev[0].paid_cents, 12000);
	assert_int_equal(got.ev[1].paid_cents, 18000);
	assert_string_equal(got.ev[1].identity, "pix|" E2E2);
	assert_int_equal(got.ev[0].line, got.ev[1].line);
	assert_int_equal(info.titles, 1);
	assert_int_equal(got.nwarn, 0);

	/* they do not add up: which one is right cannot be told */
	snprintf(t2, sizeof t2, TX_FMT, E2E2, "<Amt Ccy=\"BRL\">170.00</Amt>");
	snprintf(body, sizeof body,
	         "<Ntry><Amt Ccy=\"BRL\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	         "<NtryDtls>%s%s</NtryDtls></Ntry>\n",
	         t1, t2);
	assert_int_equal(parse(doc(53, 4, body)), -1);
	assert_error(
	    "t.xml:8:1: error: field 'Ntry/Amt': the entry is 300.00 BRL but its 2 transactions (TxDtls) "
	    "add up to 290.00 BRL: which one is right cannot be told");

	/* no amount per transaction: one credit of the whole entry, said */
	snprintf(t1, sizeof t1, TX_FMT, E2E1, "");
	snprintf(t2, sizeof t2, TX_FMT, E2E2, "");
	snprintf(body, sizeof body,
	         "<Ntry><Amt Ccy=\"BRL\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	         "<BookgDt><Dt>2026-11-23</Dt></BookgDt><AcctSvcrRef>B1</AcctSvcrRef><NtryDtls>%s%s</"
	         "NtryDtls></Ntry>\n",
	         t1, t2);
	assert_int_equal(parse(doc(53, 4, body)), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].paid_cents, 30000);
	assert_true(got.ev[0].weak_identity);
	assert_string_equal(got.ev[0].statement_ref, "B1");
	assert_int_equal(got.nwarn, 1);
	assert_string_equal(
	    got.warn[0].msg,
	    "batch of 2 transactions without an amount for each: read as one credit of 300.00 BRL");

	/* one transaction whose amount differs: the booked amount wins, said */
	snprintf(t1, sizeof t1, TX_FMT, E2E1, "<Amt Ccy=\"BRL\">299.00</Amt>");
	snprintf(body, sizeof body,
	         "<Ntry><Amt Ccy=\"BRL\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	         "<ValDt><Dt>2026-11-23</Dt></ValDt><NtryDtls>%s</NtryDtls></Ntry>\n",
	         t1);
	assert_int_equal(parse(doc(53, 4, body)), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].paid_cents, 30000);
	assert_int_equal(got.nwarn, 1);
	assert_string_equal(got.warn[0].field, "Ntry/Amt");

	/* a transaction amount in another currency is the payer's, not the account's */
	snprintf(t1, sizeof t1, TX_FMT, E2E1, "<Amt Ccy=\"USD\">60.00</Amt>");
	snprintf(body, sizeof body,
	         "<Ntry><Amt Ccy=\"BRL\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	         "<ValDt><Dt>2026-11-23</Dt></ValDt><NtryDtls>%s</NtryDtls></Ntry>\n",
	         t1);
	assert_int_equal(parse(doc(53, 4, body)), 0);
	assert_int_equal(got.ev[0].paid_cents, 30000);
	assert_int_equal(got.nwarn, 0);

	/* an entry without dates: the statement's creation date, said; none at all: refused */
	assert_int_equal(
	    parse(
	        doc(53, 2,
	            "<Ntry><Amt Ccy=\"BRL\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n")),
	    0);
	assert_int_equal(got.nwarn, 1);
	assert_string_equal(got.warn[0].msg,
	                    "no booking date (BookgDt) nor value date (ValDt): dated 2026-11-24, "
	                    "the statement's creation date");
	assert_int_equal(got.ev[0].occurrence_date, got.ev[0].credit_date);
	assert_int_equal(got.ev[0].occurrence_date, info.generated);
	assert_int_equal(
	    parse(
	        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn>"
	        "<Ntfctn><Ntry><Amt Ccy=\"BRL\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
	        "</Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"),
	    -1);
	assert_error(
	    "t.xml:1:97: error: field 'Ntry/BookgDt': missing, as are ValDt and the statement's creation "
	    "date: the credit of 5.00 BRL cannot be dated");

	/* no TxDtls at all: the entry is the event */
	assert_int_equal(
	    parse(doc(53, 2,
	              "<Ntry><NtryRef>N9</NtryRef><Amt Ccy=\"BRL\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
	              "<Sts>BOOK</Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt></Ntry>\n")),
	    0);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.ev[0].statement_ref, "N9");
	assert_true(got.ev[0].weak_identity);
}

static void test_returns_and_skipped(void **state)
{
	(void)state;
	/* a devolução: DBIT with RtrInf, the original e2e and the rtrId */
	const char *dev =
	    "<Ntry><Amt Ccy=\"BRL\">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
	    "<BookgDt><Dt>2026-11-23</Dt></BookgDt><AcctSvcrRef>R4</AcctSvcrRef>"
	    "<NtryDtls><TxDtls><Refs><InstrId>" RTR1 "</InstrId><EndToEndId>" E2E1 "</EndToEndId></Refs>"
	    "<RltdPties><Cdtr><Nm>Maria da Silva</Nm></Cdtr></RltdPties>"
	    "<RtrInf><Rsn><Prtry>MD06</Prtry></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>\n";
	assert_int_equal(parse(doc(54, 4, dev)), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].kind, EVENT_REVERSAL);
	assert_string_equal(got.ev[0].end_to_end_id, E2E1);
	assert_string_equal(got.ev[0].refund_id, RTR1);
	assert_string_equal(got.ev[0].identity, "pixdev|" E2E1 "|" RTR1);
	assert_string_equal(got.ev[0].payer_name, "Maria da Silva");
	assert_string_equal(got.ev[0].occurrence_text, "return MD06");
	assert_int_equal(stats.reversals, 1);

	/* the rtrId in EndToEndId, the original e2e elsewhere */
	assert_int_equal(
	    parse(doc(54, 4,
	              "<Ntry><Amt Ccy=\"BRL\">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
	              "<NtryDtls><TxDtls><Refs><EndToEndId>" RTR1 "</EndToEndId><TxId>" E2E1
	              "</TxId></Refs><RtrInf/></TxDtls></NtryDtls></Ntry>\n")),
	    0);
	assert_string_equal(got.ev[0].identity, "pixdev|" E2E1 "|" RTR1);
	assert_string_equal(got.ev[0].txid, "");

	/* a reversal without a refund id: the bank's entry id names it */
	assert_int_equal(
	    parse(doc(53, 2,
	              "<Ntry><Amt Ccy=\"BRL\">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>"
	              "<Sts>BOOK</Sts><AcctSvcrRef>R4</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>" E2E1
	              "</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>\n")),
	    0);
	assert_string_equal(got.ev[0].identity, "pixdev|" E2E1 "|R4");

	/* sub-family RRTN, no ids at all: weak */
	assert_int_equal(
	    parse(
	        doc(53, 2,
	            "<Ntry><Amt Ccy=\"BRL\">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
	            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IRCT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn>"
	            "</BkTxCd></Ntry>\n")),
	    0);
	assert_int_equal(got.ev[0].kind, EVENT_REVERSAL);
	assert_true(got.ev[0].weak_identity);

	/* not money received: counted and noted, never an event */
	const char *skipped =
	    "<Ntry><Amt Ccy=\"BRL\">2.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n"
	    "<Ntry><Amt Ccy=\"BRL\">9.90</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts></Ntry>\n"
	    "<Ntry><Amt Ccy=\"BRL\">9.90</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>INFO</Sts></Ntry>\n"
	    "<Ntry><Amt "
	    "Ccy=\"BRL\">7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>1</RvslInd><Sts>BOOK</Sts></Ntry>\n"
	    "<Ntry><Amt Ccy=\"BRL\">8.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	    "<NtryDtls><TxDtls><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>\n";
	assert_int_equal(parse(doc(53, 4, skipped)), 0);
	assert_int_equal(got.n, 0);
	assert_int_equal(got.nnotes, 5);
	assert_int_equal(stats.debits, 1);
	assert_int_equal(stats.not_booked, 2);
	assert_int_equal(stats.credits_not_payment, 2);
	assert_int_equal(info.records, 5);
	assert_int_equal(info.titles, 0);
}

static void test_payer_documents(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		const char *doc;
		int partial, warns;
	} cases[] = {
	    {"123.456.789-09", "12345678909", 0, 0},
	    {"11.222.333/0001-81", "11222333000181", 0, 0},
	    {"***.456.789-**", "***456789**", 1, 0},
	    {"\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2.456.789-\xe2\x80\xa2\xe2\x80\xa2", "***456789**", 1, 0},
	    {"111.111.111-12", "", 0, 1},
	    {"11.222.333/0001-80", "", 0, 1},
	    {"455454654", "", 0, 0}, /* a foreign company number: not ours to judge */
	    {"ABC-123", "", 0, 0},
	};
	char body[2048];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(body, sizeof body,
		         "<Ntry><Amt "
		         "Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</"
		         "Sts><ValDt><Dt>2026-11-23</Dt>"
		         "</ValDt><NtryDtls><TxDtls><RltdPties><Dbtr><Id><OrgId><Othr><Id>%s</Id></Othr></"
		         "OrgId></Id></Dbtr></RltdPties>"
		         "</TxDtls></NtryDtls></Ntry>\n",
		         cases[i].id);
		assert_int_equal(parse(doc(53, 2, body)), 0);
		if (strcmp(got.ev[0].payer_document, cases[i].doc) != 0 ||
		    got.ev[0].payer_document_partial != cases[i].partial || got.nwarn != cases[i].warns)
			fail_msg("\"%s\": doc \"%s\" partial %d, %d warnings", cases[i].id,
			         got.ev[0].payer_document, got.ev[0].payer_document_partial, got.nwarn);
	}
	/* the first valid one wins over a masked one */
	assert_int_equal(
	    parse(
	        doc(53, 2,
	            "<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>"
	            "<TxDtls><RltdPties><Dbtr><Id><PrvtId><Othr><Id>***.456.789-**</Id></Othr><Othr><Id>"
	            "12345678909</Id></Othr></PrvtId></Id></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>\n")),
	    0);
	assert_string_equal(got.ev[0].payer_document, "12345678909");
	assert_false(got.ev[0].payer_document_partial);
	/* the warning names the element path and line */
	assert_int_equal(
	    parse(doc(53, 8,
	              "<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
	              "<BookgDt><Dt>2026-11-23</Dt></BookgDt>\n"
	              "<NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Id><PrvtId><Othr>\n"
	              "  <Id>111.111.111-12</Id></Othr></PrvtId></Id></Pty></Dbtr></RltdPties></TxDtls>"
	              "</NtryDtls></Ntry>\n")),
	    0);
	assert_int_equal(got.nwarn, 1);
	assert_int_equal(got.warn[0].line, 10);
	assert_int_equal(got.warn[0].col, 3);
	assert_string_equal(got.warn[0].field, "Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Id/PrvtId/Othr/Id");
}

static void test_identities(void **state)
{
	(void)state;
	/* NOTPROVIDED and European ids are not Pix ids: weak */
	assert_int_equal(
	    parse(doc(53, 2,
	              "<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>"
	              "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls>"
	              "<TxDtls><Refs><EndToEndId>MUELL/FINP/RA12345</EndToEndId></Refs></TxDtls>"
	              "</NtryDtls></Ntry>\n")),
	    0);
	assert_int_equal(got.n, 1); /* a batch without amounts */
	assert_string_equal(got.ev[0].end_to_end_id, "");
	assert_true(got.ev[0].weak_identity);
	assert_int_equal(strncmp(got.ev[0].identity, "camt|", 5), 0);
	assert_int_equal(strlen(got.ev[0].identity), 37);

	/* The same TED in a camt.054 v04 and a camt.053 v08: different lines,
	 * NtryRef, date forms, name wrappers; same identity. */
	const char *in054 =
	    "<Ntry><NtryRef>N-4</NtryRef><Amt "
	    "Ccy=\"BRL\">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
	    "<BookgDt><DtTm>2026-11-23T15:42:00-03:00</DtTm></BookgDt><ValDt><Dt>2026-11-23</Dt></ValDt>"
	    "<AcctSvcrRef>BB5</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>COMERCIAL ALFA LTDA</Nm>"
	    "<Id><OrgId><Othr><Id>11.222.333/0001-81</Id></Othr></OrgId></Id></Dbtr></RltdPties>"
	    "<RmtInf><Ustrd>TED NF 4480</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n";
	const char *in053 =
	    "<Ntry>\n<NtryRef>5</NtryRef><Amt Ccy=\"BRL\">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
	    "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt><ValDt><Dt>2026-11-23</Dt></ValDt>"
	    "<AcctSvcrRef>BB5</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></"
	    "Refs>"
	    "<RltdPties><Dbtr><Pty><Nm>Comercial  Alfa "
	    "Ltda</Nm><Id><OrgId><Othr><Id>11222333000181</Id></Othr>"
	    "</OrgId></Id></Pty></Dbtr></RltdPties><RmtInf><Ustrd>TED NF 4480</Ustrd></RmtInf></TxDtls>"
	    "</NtryDtls></Ntry>\n";
	char id054[128];
	assert_int_equal(parse(doc(54, 4, in054)), 0);
	assert_true(got.ev[0].weak_identity);
	snprintf(id054, sizeof id054, "%s", got.ev[0].identity);
	assert_int_equal(parse(doc(53, 8, in053)), 0);
	assert_string_equal(got.ev[0].identity, id054);
	/* another amount is another payment */
	char other[2048];
	snprintf(other, sizeof other, "%s", in053);
	memcpy(strstr(other, "500.00"), "500.01", 6);
	assert_int_equal(parse(doc(53, 8, other)), 0);
	assert_string_not_equal(got.ev[0].identity, id054);

	/* a Pix credit: the same identity in a 054 and a 053 */
	char entry[2048];
	pix_credit(entry, sizeof entry, 4, E2E2, "80.00");
	assert_int_equal(parse(doc(54, 4, entry)), 0);
	assert_string_equal(got.ev[0].identity, "pix|" E2E2);
	pix_credit(entry, sizeof entry, 8, E2E2, "80.00");
	assert_int_equal(parse(doc(53, 8, entry)), 0);
	assert_string_equal(got.ev[0].identity, "pix|" E2E2);
}

static void test_currency_rule(void **state)
{
	(void)state;
	char entry[2048];
	pix_credit(entry, sizeof entry, 2, E2E1, "10.00");
	/* the account's currency */
	assert_int_equal(
	    parse(doc_acct(53, 2, "<Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id><Ccy>EUR</Ccy></Acct>",
	                   entry)),
	    -1);
	assert_error(
	    "t.xml:7:47: error: field 'Acct/Ccy': the account NL26VAYB8060476890 is in EUR: concilia "
	    "reconciles BRL accounts only, and amounts in EUR cannot be matched against receivables in "
	    "reais");
	/* an entry's currency, named with the entry */
	memcpy(strstr(entry, "\"BRL\""), "\"CHF\"", 5);
	assert_int_equal(parse(doc_acct(53, 2, "<Acct><Id><Othr><Id>X</Id></Othr></Id></Acct>", entry)), -1);
	assert_error(
	    "t.xml:8:7: error: field 'Ntry/Amt': an entry of 10.00 is in CHF: concilia reconciles BRL "
	    "accounts only, and amounts in CHF cannot be matched against receivables in reais");
	assert_int_equal(got.n, 0);
	/* read anyway when asked (the interop tests) */
	assert_int_equal(parse_bytes(docbuf, strlen(docbuf), 1), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].paid_cents, 1000);
	/* a balance in another currency */
	assert_int_equal(
	    parse(doc(53, 2,
	              "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"RON\">5442.09000</Amt>"
	              "<CdtDbtInd>CRDT</CdtDbtInd></Bal>\n")),
	    -1);
	assert_error_has("field 'Bal/Amt': a balance is in RON");
}

static void test_balances(void **state)
{
	(void)state;
	char body[4096], entry[2048];
	pix_credit(entry, sizeof entry, 2, E2E1, "10.00");
#define BAL_FMT                                                                                              \
	"<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy=\"BRL\">%s</Amt><CdtDbtInd>%s</CdtDbtInd>" \
	"<Dt><Dt>2026-11-23</Dt></Dt></Bal>\n"
	char b1[512], b2[512];
	snprintf(b1, sizeof b1, BAL_FMT, "OPBD", "5.00", "DBIT");
	snprintf(b2, sizeof b2, BAL_FMT, "CLBD", "3.00", "CRDT");
	snprintf(body, sizeof body,
	         "%s%s%s<Ntry><Amt Ccy=\"BRL\">2.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n"
	         "<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts></Ntry>\n",
	         b1, b2, entry);
	assert_int_equal(parse(doc(53, 2, body)), 0); /* -5 + 10 - 2 = 3 */
	assert_int_equal(stats.balance_checks, 1);
	assert_int_equal(got.nwarn, 0);
	snprintf(b2, sizeof b2, BAL_FMT, "CLBD", "3.05", "CRDT");
	snprintf(body, sizeof body, "%s%s%s", b1, b2, entry);
	assert_int_equal(parse(doc(53, 2, body)), 0);
	assert_int_equal(got.nwarn, 1);
	assert_int_equal(got.warn[0].line, 9);
	assert_string_equal(
	    got.warn[0].msg,
	    "closing balance 3.05 BRL is not the opening balance -5.00 plus the booked entries 10.00 "
	    "(difference -1.95): entries missing from this statement, or added?");
}

static void test_several_statements(void **state)
{
	(void)state;
	char e1[2048], e2[2048], body[8192];
	pix_credit(e1, sizeof e1, 8, E2E1, "1.00");
	pix_credit(e2, sizeof e2, 8, E2E2, "2.00");
	snprintf(body, sizeof body,
	         "%s</Stmt>\n<Stmt><Id>S2</Id><CreDtTm>2026-11-25T06:00:00-03:00</CreDtTm>"
	         "<Acct><Id><Othr><Id>9999/11111-1</Id></Othr></Id></Acct>\n%s",
	         e1, e2);
	assert_int_equal(parse(doc(53, 8, body)), 0);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.ev[0].agreement, "1234/56789-0");
	assert_string_equal(got.ev[1].agreement, "9999/11111-1");
	assert_string_equal(info.agreement, "1234/56789-0");
	assert_int_equal(info.lotes, 2);
	assert_int_equal(stats.statements, 2);
}

static void test_namespaces(void **state)
{
	(void)state;
	/* a prefix on every element, and foreign elements read past */
	const char *xml =
	    "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\" "
	    "xmlns:x=\"urn:example:other\">"
	    "<c:BkToCstmrDbtCdtNtfctn><c:GrpHdr><c:CreDtTm>2026-11-24T06:00:00</c:CreDtTm></c:GrpHdr>"
	    "<c:Ntfctn><c:Acct><c:Id><c:Othr><c:Id>A1</c:Id></c:Othr></c:Id></c:Acct>"
	    "<x:Ntry><x:Amt Ccy=\"BRL\">99.00</x:Amt></x:Ntry>"
	    "<c:Ntry><c:Amt "
	    "Ccy=\"BRL\">1.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>"
	    "<c:SplmtryData><c:Envlp><x:Amt>bad</x:Amt></c:Envlp></c:SplmtryData></c:Ntry>"
	    "</c:Ntfctn></c:BkToCstmrDbtCdtNtfctn></c:Document>";
	assert_int_equal(parse(xml), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].paid_cents, 100);
	assert_string_equal(info.agreement, "A1");
	assert_int_equal(info.records, 1);
	/* no namespace, another one, a camt root that is not Document */
	assert_int_equal(parse("<Document><BkToCstmrStmt/></Document>"), -1);
	assert_error_has(
	    "t.xml:1:1: error: field 'Document': root element Document in namespace '(none)': not an "
	    "ISO 20022 camt message");
	assert_int_equal(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>"), -1);
	assert_error_has("not an ISO 20022 camt message");
	assert_int_equal(parse("<Doc xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>"), -1);
	assert_error_has("root element Doc: an ISO 20022 message starts with Document");
	/* a notification inside a statement message */
	assert_int_equal(
	    parse(
	        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Ntfctn/>"
	        "</BkToCstmrStmt></Document>"),
	    -1);
	assert_error_has("field 'Ntfctn': a camt.053 message holds Stmt, not this");
}

/* ---- errors */

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		const char *expected;
	} cases[] = {
	    {"<Ntry>\n  <Amt Ccy=\"BRL\">12,3</Amt></Ntry>\n",
	     "t.xml:9:3: error: field 'Ntry/Amt': expected an amount like 123.45, found \"12,3\""},
	    {"<Ntry><Amt Ccy=\"BRL\">8.855</Amt></Ntry>\n",
	     "t.xml:8:7: error: field 'Ntry/Amt': \"8.855\" has decimals beyond the centavo that are not "
	     "zero: "
	     "concilia does not round money"},
	    {"<Ntry><Amt>8.85</Amt></Ntry>\n",
	     "t.xml:8:7: error: field 'Ntry/Amt': no currency: an amount has the attribute Ccy=\"BRL\""},
	    {"<Ntry><Amt Ccy=\"REAL\">8.85</Amt></Ntry>\n",
	     "t.xml:8:7: error: field 'Ntry/Amt': currency \"REAL\" is not an ISO 4217 code of three "
	     "letters"},
	    {"<Ntry><Amt Ccy=\"BRL\">1.00</Amt><Sts>BOOK</Sts></Ntry>\n",
	     "t.xml:8:1: error: field 'Ntry/CdtDbtInd': missing: every entry says CRDT (money in) or DBIT "
	     "(money "
	     "out)"},
	    {"<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CREDIT</CdtDbtInd></Ntry>\n",
	     "t.xml:8:32: error: field 'Ntry/CdtDbtInd': expected CRDT or DBIT, found \"CREDIT\""},
	    {"<Ntry><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n",
	     "t.xml:8:1: error: field 'Ntry/Amt': missing: every entry has an amount"},
	    {"<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>\n",
	     "t.xml:8:1: error: field 'Ntry/Sts': missing: every entry has a status, and only booked (BOOK) "
	     "entries "
	     "are money"},
	    {"<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>yes</RvslInd></Ntry>\n",
	     "t.xml:8:59: error: field 'Ntry/RvslInd': expected true or false, found \"yes\""},
	    {"<Ntry><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>\n",
	     "t.xml:8:16: error: field 'Ntry/BookgDt/Dt': expected a date like 2026-11-24, found "
	     "\"2026-02-30\""},
	    {"<Ntry><ValDt><DtTm>2026-11-23</DtTm></ValDt></Ntry>\n",
	     "t.xml:8:14: error: field 'Ntry/ValDt/DtTm': expected a date and time like "
	     "2026-11-24T10:15:00-03:00, "
	     "found \"2026-11-23\""},
	    {"<Ntry><NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"BRL\">1.2.3</Amt></TxAmt></AmtDtls></TxDtls>"
	     "</NtryDtls></Ntry>\n",
	     "t.xml:8:41: error: field 'Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt': expected an amount like "
	     "123.45, found "
	     "\"1.2.3\""},
	    {"<Ntry><Amt Ccy=\"BRL\">1.00</Amt>\n<Amt Ccy=\"BRL\">1.00</Amt\n",
	     "t.xml:10:1: error: not well-formed XML: expected '>'"},
	    {"<Ntry><NtryDtls><TxDtls><RmtInf><Ustrd>&foo;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n",
	     "t.xml:8:45: error: not well-formed XML: Entity 'foo' not defined"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (parse(doc(53, 2, cases[i].body)) != -1)
			fail_msg("case %zu accepted", i);
		if (strcmp(err_text(), cases[i].expected) != 0)
			fail_msg("case %zu\nexpected  %s\nfound     %s", i, cases[i].expected, err_text());
	}
	/* a message header and no statement (the "wrong" interop sample) */
	assert_int_equal(
	    parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
	          "<GrpHdr><MsgId>1</MsgId></GrpHdr></BkToCstmrStmt></Document>"),
	    -1);
	assert_error(
	    "t.xml: error: no statement (Stmt) in this camt.053: the file has a message header but no "
	    "statement, so nothing to read");
	assert_int_equal(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\">"
	                       "<BkToCstmrDbtCdtNtfctn/></Document>"),
	                 -1);
	assert_error_has("no notification (Ntfctn) in this camt.054");
	/* an id longer than ISO's 35 characters is not used, and said */
	assert_int_equal(
	    parse(
	        doc(53, 2,
	            "<Ntry><Amt Ccy=\"BRL\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>"
	            "2026-11-23</Dt></BookgDt><NtryDtls><TxDtls><Refs><EndToEndId>"
	            "E18236120202611231014s0123456789XXXXXXXX</EndToEndId></Refs>"
	            "</TxDtls></NtryDtls></Ntry>\n")),
	    0);
	assert_string_equal(got.ev[0].end_to_end_id, "");
	assert_int_equal(got.nwarn, 1);
	assert_string_equal(got.warn[0].field, "Ntry/NtryDtls/TxDtls/Refs/EndToEndId");
}

static void test_callback_stops(void **state)
{
	(void)state;
	char e1[2048], e2[2048], body[4096];
	pix_credit(e1, sizeof e1, 8, E2E1, "1.00");
	pix_credit(e2, sizeof e2, 8, E2E2, "2.00");
	snprintf(body, sizeof body, "%s%s", e1, e2);
	stop_after = 1;
	stop_with_diag = 1;
	assert_int_equal(parse(doc(53, 8, body)), -1);
	assert_string_equal(err.msg, "disk full");
	stop_with_diag = 0;
	assert_int_equal(parse(doc(53, 8, body)), -1);
	assert_error("t.xml:9:1: error: import stopped while storing this entry");
	stop_after = -1;
	assert_int_equal(got.n, 1);
}

/* ---- hardening */

/* tests/data/camt/NAME from $top_srcdir (set by make check), else from
 * the source tree beside ../shared/interop. */
static char *data_file(const char *name, size_t *len)
{
	char path[1024];
	static const char suffix[] = "/../shared/interop";
	const char *src = getenv("top_srcdir");
	size_t n = strlen(SHARED_INTEROP_DIR);
	if (src)
		snprintf(path, sizeof path, "%s/tests/data/camt/%s", src, name);
	else
		snprintf(path, sizeof path, "%.*s/tests/data/camt/%s", (int)(n - (sizeof suffix - 1)),
		         SHARED_INTEROP_DIR, name);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s (set top_srcdir)", path);
	static char buf[65536];
	*len = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

static void test_hostile_files(void **state)
{
	(void)state;
	size_t len;
	char *xml = data_file("billion-laughs.xml", &len);
	assert_true(camt_sniff((const unsigned char *)xml, len));
	assert_int_equal(parse_bytes(xml, len, 1), -1);
	assert_error(
	    "t.xml:5:1: error: a DOCTYPE declaration before the root element: refused. A camt file has no "
	    "DTD, and concilia does not read DTDs (their entities could expand without bound or read local "
	    "files)");
	assert_int_equal(got.n, 0);
	xml = data_file("xxe.xml", &len);
	assert_int_equal(parse_bytes(xml, len, 1), -1);
	assert_error_has("t.xml:5:1: error: a DOCTYPE declaration before the root element: refused.");
	assert_int_equal(got.n, 0);
	/* whatever the spelling or what comes before */
	assert_int_equal(
	    parse("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- x -->\n<?pi x?>\n  <!doctype x>\n<Document/>"),
	    -1);
	assert_error_has("t.xml:4:3: error: a DOCTYPE declaration");
	assert_int_equal(parse("<!ELEMENT x ANY><Document/>"), -1);
	assert_error_has("a markup declaration before the root element: refused");
}

static void test_encodings(void **state)
{
	(void)state;
	/* UTF-16 (BOM or not), and an ASCII declaration of a non-ASCII encoding */
	assert_int_equal(parse_bytes("\xff\xfe<\0D\0", 6, 0), -1);
	assert_error_has("UTF-16 or UTF-32 text");
	assert_int_equal(parse_bytes("<\0D\0", 4, 0), -1);
	assert_error_has("UTF-16 or UTF-32 text");
	assert_int_equal(parse("<?xml version=\"1.0\" encoding=\"IBM037\"?>\x4c\x5a\xc4\xd6"), -1);
	assert_error(
	    "t.xml:1:1: error: declared encoding \"IBM037\": concilia reads camt files in UTF-8 (also "
	    "ISO-8859-1 and Windows-1252)");
	assert_int_equal(parse("   not xml"), -1);
	assert_error_has("does not start with '<'");
	assert_int_equal(parse(""), -1);
	assert_error("t.xml: error: empty file");
	/* Latin-1 declared: names arrive in UTF-8 */
	char entry[2048];
	pix_credit(entry, sizeof entry, 2, E2E1, "1.00");
	char *name = strstr(entry, "Maria da Silva");
	memcpy(name, "Jo\xe3o  ", 6);
	doc(53, 2, entry);
	char *decl = strstr(docbuf, "UTF-8");
	memmove(decl + 6, decl + 5, strlen(decl + 5) + 1);
	memcpy(decl, "LATIN1", 6);
	assert_int_equal(parse(docbuf), 0);
	assert_string_equal(got.ev[0].payer_name, "Jo\xc3\xa3o da Silva");
}

static void test_limits(void **state)
{
	(void)state;
	/* depth */
	char *deep = malloc(CAMT_MAX_DEPTH * 8 + 4096);
	size_t o = 0;
	assert_non_null(deep);
	o += (size_t)sprintf(deep, "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">");
	for (int i = 0; i < CAMT_MAX_DEPTH + 5; i++)
		o += (size_t)sprintf(deep + o, "<a>");
	deep[o] = '\0';
	assert_int_equal(parse(deep), -1);
	assert_error_has("elements nested deeper than 64: refused");
	free(deep);
	/* text */
	char *big = malloc(CAMT_MAX_TEXT + 4096);
	assert_non_null(big);
	strcpy(big, "<Ntry><NtryDtls><TxDtls><RmtInf><Ustrd>");
	memset(big + strlen(big), 'a', CAMT_MAX_TEXT + 1);
	strcpy(big + strlen("<Ntry><NtryDtls><TxDtls><RmtInf><Ustrd>") + CAMT_MAX_TEXT + 1,
	       "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n");
	assert_int_equal(parse(doc(53, 2, big)), -1);
	assert_error(
	    "t.xml:8:33: error: field 'Ntry/NtryDtls/TxDtls/RmtInf/Ustrd': text longer than 4096 bytes: "
	    "refused");
	free(big);
	/* text we do not read may be long (libxml2's own limit applies) */
	big = malloc(100000);
	assert_non_null(big);
	strcpy(big, "<AddtlStmtInf>");
	memset(big + 14, 'b', 50000);
	strcpy(big + 14 + 50000, "</AddtlStmtInf>\n");
	assert_int_equal(parse(doc(53, 2, big)), 0);
	free(big);
	/* transactions per entry */
	size_t cap = (size_t)(CAMT_MAX_TX_PER_ENTRY + 1) * 20 + 4096;
	big = malloc(cap);
	assert_non_null(big);
	o = (size_t)sprintf(big, "<Ntry><NtryDtls>\n");
	for (int i = 0; i <= CAMT_MAX_TX_PER_ENTRY; i++)
		o += (size_t)sprintf(big + o, "<TxDtls/>\n");
	strcpy(big + o, "</NtryDtls></Ntry>\n");
	char *xml = malloc(cap + 1024);
	assert_non_null(xml);
	snprintf(
	    xml, cap + 1024,
	    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>\n%s"
	    "</Stmt></BkToCstmrStmt></Document>",
	    big);
	assert_int_equal(parse(xml), -1);
	assert_error(
	    "t.xml:10003:1: error: field 'Ntry/NtryDtls/TxDtls': more than 10000 transactions in one "
	    "entry: refused (limit of this reader)");
	free(xml);
	free(big);
	/* file size */
	assert_int_equal(parse_bytes("<", CAMT_MAX_BYTES + 1, 0), -1);
	assert_error_has("larger than the 1073741824 concilia reads");
}

/* Line numbers are exact past 65535 (libxml2 tree nodes keep 16 bits). */
static void test_big_line_numbers(void **state)
{
	(void)state;
	const int blank = 70000;
	size_t cap = (size_t)blank + 8192;
	char *body = malloc(cap);
	assert_non_null(body);
	memset(body, '\n', (size_t)blank);
	char entry[2048];
	pix_credit(entry, sizeof entry, 8, E2E1, "1.00");
	snprintf(body + blank, cap - (size_t)blank, "%s  <Ntry><Amt Ccy=\"BRL\">x</Amt></Ntry>\n", entry);
	static char xml[1 << 18];
	assert_true(strlen(body) < sizeof docbuf);
	snprintf(xml, sizeof xml, "%s", doc(53, 8, body));
	free(body);
	assert_int_equal(parse(xml), -1);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ev[0].line, 8 + blank);
	assert_error("t.xml:70009:9: error: field 'Ntry/Amt': expected an amount like 123.45, found \"x\"");
}

static void test_sniff_and_registry(void **state)
{
	(void)state;
	char entry[2048];
	pix_credit(entry, sizeof entry, 8, E2E1, "1.00");
	const char *xml = doc(53, 8, entry);
	assert_true(camt_sniff((const unsigned char *)xml, strlen(xml)));
	assert_false(camt_sniff((const unsigned char *)"0010000", 7));
	assert_false(camt_sniff((const unsigned char *)"{\"pix\":[]}", 10));
	assert_false(camt_sniff((const unsigned char *)"<OFX><x/></OFX>", 15));
	assert_false(camt_sniff((const unsigned char *)"", 0));
	/* bank_file_detect picks the camt reader by content */
	struct bank_file_format fmt;
	struct layout *own = NULL;
	assert_int_equal(
	    bank_file_detect("t.xml", (const unsigned char *)xml, strlen(xml), NULL, &fmt, &own, &err), 0);
	assert_non_null(fmt.statement);
	assert_string_equal(fmt.family, "camt");
	memset(&got, 0, sizeof got);
	assert_int_equal(bank_file_parse(&fmt, "t.xml", (const unsigned char *)xml, strlen(xml), &info,
	                                 on_event, NULL, on_warn, NULL, &err),
	                 0);
	assert_int_equal(got.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amounts),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_small_values),
	    cmocka_unit_test(test_pix_credit_v08),
	    cmocka_unit_test(test_every_version),
	    cmocka_unit_test(test_batch),
	    cmocka_unit_test(test_returns_and_skipped),
	    cmocka_unit_test(test_payer_documents),
	    cmocka_unit_test(test_identities),
	    cmocka_unit_test(test_currency_rule),
	    cmocka_unit_test(test_balances),
	    cmocka_unit_test(test_several_statements),
	    cmocka_unit_test(test_namespaces),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_hostile_files),
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_big_line_numbers),
	    cmocka_unit_test(test_sniff_and_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
