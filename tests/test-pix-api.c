/* Tests for src/codec/pix_api.c and json_pos.c: the field rules (amounts
 * exact to the centavo, RFC 3339 instants to the São Paulo date,
 * endToEndId), sniffing, the events of each document kind (identities,
 * amounts, dates, lines), every refusal with its position and JSON path,
 * the warnings, and the examples of the API Pix 2.9.0 spec itself (read
 * from interop/pix/api-pix-openapi-2.9.0.yaml; skipped, saying so, when that
 * folder is absent). Expected values come from the spec and from
 * reference/pix.md, worked out by hand. */
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
#include "codec/json_pos.h"
#include "codec/pix_api.h"
#include "core/date.h"
#include "core/diag.h"

/* ---- collecting what the reader reports ---- */

#define MAX_EVENTS 64
#define MAX_WARNS  32

static struct bank_event events[MAX_EVENTS];
static int nevents;
static char warns[MAX_WARNS][700];
static int nwarns;
static struct cnab_file_info info;
static struct diag err;
static int stop_at; /* the callback refuses event number stop_at (1-based); 0 = never */

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx;
	(void)d;
	if (nevents < MAX_EVENTS)
		events[nevents] = *ev;
	nevents++;
	return stop_at && nevents == stop_at ? -1 : 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	(void)ctx;
	assert_int_equal(d->severity, DIAG_WARNING);
	if (nwarns < MAX_WARNS)
		diag_format(d, warns[nwarns], sizeof warns[0]);
	nwarns++;
}

static int parse(const char *json)
{
	nevents = nwarns = 0;
	memset(events, 0, sizeof events);
	return pix_api_parse("f.json", (const unsigned char *)json, strlen(json), &info, on_event, NULL,
	                     on_warn, NULL, &err);
}

static const char *error_text(void)
{
	static char buf[700];
	return diag_format(&err, buf, sizeof buf);
}

static int warned(const char *fragment)
{
	for (int i = 0; i < nwarns && i < MAX_WARNS; i++)
		if (strstr(warns[i], fragment))
			return 1;
	return 0;
}

static cdate ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* ---- field rules ---- */

static void test_amount(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int rc;
		int64_t cents;
	} cases[] = {
	    {"123.45", 0, 12345},
	    {"0.01", 0, 1},
	    {"0.10", 0, 10},
	    {"0.00", 0, 0},
	    {"00012.30", 0, 1230},
	    {"9999999999.99", 0, INT64_C(999999999999)},
	    /* 0.1 + 0.2 style values that a double would not hold exactly */
	    {"4503599627.37", 0, INT64_C(450359962737)},
	    {"12.3", -1, 0},
	    {"12", -1, 0},
	    {"12.", -1, 0},
	    {".50", -1, 0},
	    {"1.005", -1, 0},
	    {"1,00", -1, 0},
	    {"-1.00", -1, 0},
	    {"+1.00", -1, 0},
	    {" 1.00", -1, 0},
	    {"1.00 ", -1, 0},
	    {"1e2.00", -1, 0},
	    {"12345678901.00", -1, 0},
	    {"", -1, 0},
	    {"1.0a", -1, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t cents = -7;
		int rc = pix_api_amount(cases[i].s, strlen(cases[i].s), &cents);
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, expected %d", cases[i].s, rc, cases[i].rc);
		if (rc == 0 && cents != cases[i].cents)
			fail_msg("'%s': %lld centavos, expected %lld", cases[i].s, (long long)cents,
			         (long long)cases[i].cents);
	}
}

static void test_instant(void **state)
{
	(void)state;
	const char *why;
	int64_t ms;
#define I(s) pix_api_instant(s, strlen(s), &ms, &why)
	/* 2026-11-23 is day 20780 since the epoch: 56 years, 14 of them leap, and 326 days */
	assert_int_equal(ymd(2026, 11, 23), 20780);
	assert_int_equal(I("2026-11-23T00:00:00Z"), 0);
	assert_true(ms == INT64_C(20780) * 86400000);
	assert_int_equal(I("2026-11-23T09:04:51.207-03:00"), 0);
	assert_true(ms == (INT64_C(20780) * 86400 + 12 * 3600 + 4 * 60 + 51) * 1000 + 207);
	assert_int_equal(I("2026-11-23t12:04:51.2077777z"), 0); /* lower case, long fraction: to the ms */
	assert_true(ms == (INT64_C(20780) * 86400 + 12 * 3600 + 4 * 60 + 51) * 1000 + 207);
	assert_int_equal(I("2026-11-23T12:04:51.5+05:30"), 0);
	assert_true(ms == (INT64_C(20780) * 86400 + 6 * 3600 + 34 * 60 + 51) * 1000 + 500);
	assert_int_equal(I("2016-12-31T23:59:60Z"), 0); /* leap second: read as :59 */
	assert_true(ms == (INT64_C(17166) * 86400 + 86399) * 1000);
	assert_int_equal(I("2026-11-23T09:04:51"), -1);
	assert_non_null(strstr(why, "no time zone offset"));
	assert_int_equal(I("2026-11-23 09:04:51Z"), -1);
	assert_int_equal(I("2026-02-29T09:04:51Z"), -1);
	assert_non_null(strstr(why, "not a real date"));
	assert_int_equal(I("2026-11-23T24:00:00Z"), -1);
	assert_int_equal(I("2026-11-23T09:04:51.Z"), -1);
	assert_int_equal(I("2026-11-23T09:04:51-0300"), -1);
	assert_int_equal(I("2026-11-23T09:04:51-03:60"), -1);
	assert_int_equal(I("2026-11-23T09:04:51Z "), -1);
	assert_int_equal(I("23/11/2026 09:04"), -1);
	assert_int_equal(I(""), -1);
#undef I

	/* The São Paulo date: UTC-3 all year. */
	static const struct {
		const char *s;
		int y, m, d;
	} local[] = {
	    {"2026-11-24T01:30:17.421Z", 2026, 11, 23}, /* 22:30 in Brasília */
	    {"2026-11-24T02:59:59.999Z", 2026, 11, 23},
	    {"2026-11-24T03:00:00Z", 2026, 11, 24},
	    {"2026-11-23T23:59:59-03:00", 2026, 11, 23},
	    {"2026-11-24T08:00:00+09:00", 2026, 11, 23}, /* 23:00Z the day before = 20:00 local */
	    {"2026-01-01T02:00:00Z", 2025, 12, 31},
	    {"2027-01-15T12:00:00-02:00", 2027, 1, 15}, /* an old DST offset as written: the instant counts */
	    {"1970-01-01T02:00:00Z", 1969, 12, 31},     /* before the epoch: floor, not truncation */
	};
	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
		assert_int_equal(pix_api_instant(local[i].s, strlen(local[i].s), &ms, &why), 0);
		if (pix_api_local_date(ms) != ymd(local[i].y, local[i].m, local[i].d))
			fail_msg("%s: wrong São Paulo date", local[i].s);
	}
}

static void test_e2e(void **state)
{
	(void)state;
	const char *why;
#define E(s) pix_api_check_e2e(s, strlen(s), &why)
	assert_int_equal(E("E18236120202611231204s0a1b2c3d4e"), 0);
	assert_int_equal(E("E12345678202009091221abcdef12345"), 0);    /* the spec's pixResponse1 */
	assert_int_equal(E("E12AB5678202611231204s0a1b2c3d4e"), 0);    /* alphanumeric ISPB (2.9.0) */
	assert_int_equal(E("E12345678202009091221ghijk78901234"), -1); /* the spec's pixResponse2: 34 */
	assert_non_null(strstr(why, "32 characters"));
	assert_int_equal(E("E18236120202611231204s0a1b2c3d4"), -1);
	assert_int_equal(E("E18236120202611231204s0a1b2c3d-e"), -1);
	assert_non_null(strstr(why, "letters and digits"));
	assert_int_equal(E("D11111111202611231800aB3cD4eF5gH"), -1); /* an rtrId */
	assert_non_null(strstr(why, "starts with 'E'"));
	assert_int_equal(E("e18236120202611231204s0a1b2c3d4e"), -1);
	/* date part: a warning, not a refusal */
	assert_int_equal(E("E87654321202613991221dfghi123456"), 1);
	assert_non_null(strstr(why, "yyyyMMddHHmm"));
	assert_int_equal(E("E18236120202611312460s0a1b2c3d4e"), 1);
	assert_int_equal(E("E18236120ABCDEFGHIJKLs0a1b2c3d4e"), 1);
#undef E
}

/* ---- json_pos ---- */

static void test_json_pos(void **state)
{
	(void)state;
	const char *t = "{\"a\" : [1, {\"b\": \"x\\\"}\"}, [2]],\n \"c\\u0064\": \"é\", \"e\": -1.5e3 }";
	const unsigned char *b = (const unsigned char *)t;
	size_t len = strlen(t);
	size_t a = json_pos_member(b, len, 0, "a");
	assert_int_equal(t[a], '[');
	struct json_pos_array it;
	assert_int_equal(json_pos_array_begin(&it, b, len, a), 0);
	assert_int_equal(t[json_pos_array_next(&it)], '1');
	size_t second = json_pos_array_next(&it);
	assert_int_equal(t[second], '{');
	assert_int_equal(t[json_pos_member(b, len, second, "b")], '"');
	assert_int_equal(t[json_pos_array_next(&it)], '[');
	assert_true(json_pos_array_next(&it) == JSON_POS_NONE);
	size_t d = json_pos_member(b, len, 0, "cd"); /* escaped key */
	assert_int_equal(t[d], '"');
	assert_int_equal(t[json_pos_member(b, len, 0, "e")], '-');
	assert_true(json_pos_member(b, len, 0, "z") == JSON_POS_NONE);
	assert_true(json_pos_member(b, len, a, "a") == JSON_POS_NONE); /* not an object */

	struct json_pos_cursor c;
	long line;
	int col;
	json_pos_cursor_init(&c, b, len);
	size_t e = json_pos_member(b, len, 0, "e");
	json_pos_locate(&c, e, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 23);           /* ' "c\u0064": "é", "e": ' is 22 characters (é is one) */
	json_pos_locate(&c, a, &line, &col); /* backwards over a line break */
	assert_int_equal(line, 1);
	assert_int_equal(col, 8);
	json_pos_locate(&c, d, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 13);

	/* garbage never makes it read out of bounds or loop */
	const char *bad[] = {"{\"a",      "{\"a\":", "{\"a\":[1,", "[\"\\",   "{,,,}",
	                     "{\"a\" 1}", "]]]",     "\"",         "{\"\\u12"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n = strlen(bad[i]);
		char *copy = malloc(n ? n : 1);
		memcpy(copy, bad[i], n);
		json_pos_member((const unsigned char *)copy, n, 0, "a");
		json_pos_skip_value((const unsigned char *)copy, n, 0);
		free(copy);
	}
}

/* ---- sniffing ---- */

static int sniff(const char *s)
{
	return pix_api_sniff((const unsigned char *)s, strlen(s));
}

static void test_sniff(void **state)
{
	(void)state;
	assert_true(sniff("{\"parametros\": {\"inicio\": \"x\"}, \"pix\": []}"));
	assert_true(sniff("\xEF\xBB\xBF \n {\"pix\": [{\"endToEndId\": 1}]}"));
	assert_true(sniff("{\"txid\": \"abc\", \"endToEndId\": \"E1\"}"));
	assert_true(sniff("{\"pix\": 3}")); /* claimed: the parser says what is wrong */
	assert_false(sniff("{\"calendario\": {}, \"txid\": \"abc\", \"pix\": []}")); /* a cob */
	assert_false(sniff("{\"parametros\": {}, \"cobs\": []}"));
	assert_false(sniff("[{\"endToEndId\": \"E1\"}]"));
	assert_false(sniff("{\"a\": {\"endToEndId\": \"E1\", \"pix\": []}}")); /* nested, not top level */
	assert_false(sniff("02400000         2"));
	assert_false(sniff("<?xml version=\"1.0\"?><Document/>"));
	assert_false(sniff(""));
	/* beyond the first 64 KiB nothing is looked at */
	size_t n = 70000;
	char *big = malloc(n + 64);
	strcpy(big, "{\"x\": \"");
	memset(big + 7, 'a', n);
	strcpy(big + 7 + n, "\", \"pix\": []}");
	assert_false(sniff(big));
	free(big);
}

/* ---- documents ---- */

/* One source line per line of the document, numbered: kept by hand. */
/* clang-format off */
#define PAGE_HEAD                                                                                            \
	"{\n"                                                                                                \
	"  \"parametros\": {\"inicio\": \"2026-11-23T00:00:00-03:00\", \"fim\": \"2026-11-23T23:59:59-03:00\",\n" \
	"    \"paginacao\": {\"paginaAtual\": 0, \"itensPorPagina\": 100, \"quantidadeDePaginas\": 1,\n"       \
	"                  \"quantidadeTotalDeItens\": 3}},\n"                                               \
	"  \"pix\": [\n"

static const char page[] =
    PAGE_HEAD
    "    {\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"txid\": \"fatura101\",\n"           /* 6 */
    "     \"valor\": \"204.14\", \"chave\": \"+5511987654321\",\n"                                  /* 7 */
    "     \"componentesValor\": {\"original\": {\"valor\": \"200.00\"}, \"multa\": {\"valor\": \"4.00\"},\n" /* 8 */
    "       \"juros\": {\"valor\": \"0.14\"}},\n"                                                   /* 9 */
    "     \"horario\": \"2026-11-23T09:04:51.207-03:00\", \"infoPagador\": \"Fatura 101\\nnovembro\",\n" /* 10 */
    "     \"pagador\": {\"cpf\": \"123.456.789-09\", \"nome\": \"Maria\"}},\n"                     /* 11 */
    "    {\"endToEndId\": \"E60701190202611231347Qm7Zt2Lp9Xa\", \"valor\": \"89.90\",\n"           /* 12 */
    "     \"chave\": \"+5511987654321\", \"horario\": \"2026-11-24T01:30:17.421Z\"},\n"            /* 13 */
    "    {\"endToEndId\": \"E00416968202611231733Rr4Ss5Tt6Uu\", \"valor\": \"300.00\",\n"          /* 14 */
    "     \"chave\": \"+5511987654321\", \"horario\": \"2026-11-23T14:33:08-03:00\",\n"            /* 15 */
    "     \"devolucoes\": [\n"                                                                       /* 16 */
    "       {\"id\": \"dev1\", \"rtrId\": \"D11111111202611231800aB3cD4eF5gH\", \"valor\": \"50.00\",\n" /* 17 */
    "        \"natureza\": \"MED_FRAUDE\", \"descricao\": \"golpe\", \"status\": \"DEVOLVIDO\",\n" /* 18 */
    "        \"horario\": {\"solicitacao\": \"2026-11-23T14:58:00-03:00\",\n"                      /* 19 */
    "                    \"liquidacao\": \"2026-11-24T03:00:01Z\"}},\n"                            /* 20 */
    "       {\"id\": \"dev2\", \"rtrId\": \"D11111111202611231900kL7mN8pQ9rS\", \"valor\": \"20.00\",\n" /* 21 */
    "        \"status\": \"EM_PROCESSAMENTO\", \"horario\": {\"solicitacao\": \"2026-11-23T15:59:40-03:00\"}},\n" /* 22 */
    "       {\"id\": \"dev3\", \"valor\": \"30.00\", \"status\": \"NAO_REALIZADO\", \"motivo\": \"conta encerrada\",\n" /* 23 */
    "        \"horario\": {\"solicitacao\": \"2026-11-23T16:00:00-03:00\"}}\n"                     /* 24 */
    "     ]}\n"                                                                                      /* 25 */
    "  ]\n"
    "}\n";
/* clang-format on */

static void test_page(void **state)
{
	(void)state;
	assert_int_equal(sniff(page), 1);
	if (parse(page) != 0)
		fail_msg("%s", error_text());
	assert_string_equal(info.layout_name, PIX_API_LAYOUT_LIST);
	assert_int_equal(info.bank, 0);
	assert_string_equal(info.agreement, "+5511987654321");
	assert_int_equal(info.generated, ymd(2026, 11, 23));
	assert_int_equal(info.titles, 3);
	assert_int_equal(info.records, 3);
	assert_int_equal(nevents, 4);

	const struct bank_event *e = &events[0];
	assert_int_equal(e->kind, EVENT_CREDIT);
	assert_string_equal(e->identity, "pix|E18236120202611231204s0a1b2c3d4e");
	assert_false(e->weak_identity);
	assert_string_equal(e->end_to_end_id, "E18236120202611231204s0a1b2c3d4e");
	assert_string_equal(e->txid, "fatura101");
	assert_int_equal(e->line, 6);
	assert_int_equal(e->line_end, 11);
	assert_true(e->paid_cents == 20414 && e->net_cents == 20414);
	assert_true(e->face_cents == 20000 && e->charges_cents == 414);
	assert_true(e->discount_cents == 0 && e->rebate_cents == 0);
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 23));
	assert_int_equal(e->credit_date, ymd(2026, 11, 23));
	assert_int_equal(e->due_date, CDATE_NONE);
	assert_string_equal(e->payer_document, "12345678909");
	assert_false(e->payer_document_partial);
	assert_string_equal(e->payer_name, "Maria");
	assert_string_equal(e->free_text, "Fatura 101 novembro"); /* line break made a space */
	assert_string_equal(e->agreement, "+5511987654321");

	e = &events[1];
	assert_string_equal(e->identity, "pix|E60701190202611231347Qm7Zt2Lp9Xa");
	assert_string_equal(e->txid, "");
	assert_int_equal(e->line, 12);
	assert_int_equal(e->line_end, 13);
	assert_true(e->paid_cents == 8990 && e->face_cents == 8990);
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 23)); /* 01:30Z is 22:30 in Brasília */

	e = &events[2];
	assert_int_equal(e->kind, EVENT_CREDIT);
	assert_true(e->paid_cents == 30000);
	assert_int_equal(e->line, 14);
	assert_int_equal(e->line_end, 25);

	e = &events[3];
	assert_int_equal(e->kind, EVENT_REVERSAL);
	assert_string_equal(e->identity,
	                    "pixdev|E00416968202611231733Rr4Ss5Tt6Uu|D11111111202611231800aB3cD4eF5gH");
	assert_string_equal(e->end_to_end_id, "E00416968202611231733Rr4Ss5Tt6Uu");
	assert_string_equal(e->refund_id, "D11111111202611231800aB3cD4eF5gH");
	assert_string_equal(e->statement_ref, "dev1");
	assert_string_equal(e->occurrence_text, "MED_FRAUDE");
	assert_string_equal(e->free_text, "golpe");
	assert_true(e->paid_cents == 5000 && e->net_cents == 5000);
	assert_int_equal(e->occurrence_date, ymd(2026, 11, 24)); /* liquidacao 00:00:01 in Brasília */
	assert_int_equal(e->line, 17);
	assert_int_equal(e->line_end, 20);

	/* the two devoluções that moved no money */
	assert_int_equal(nwarns, 2);
	assert_true(warned("f.json:21:8: warning: field 'pix[2].devolucoes[1]': devolução 'dev2' of 20.00 is "
	                   "EM_PROCESSAMENTO"));
	assert_true(warned("f.json:23:8: warning: field 'pix[2].devolucoes[2]': devolução 'dev3' of 30.00 is "
	                   "NAO_REALIZADO (not made: conta encerrada)"));
}

static void test_webhook_and_object(void **state)
{
	(void)state;
	/* one line, as PSPs post it; different chaves: no file account */
	const char *hook =
	    "{\"pix\":[{\"endToEndId\":\"E18236120202611231204s0a1b2c3d4e\",\"valor\":\"1.00\","
	    "\"horario\":\"2026-11-23T09:04:51Z\",\"chave\":\"a@b.com\"},"
	    "{\"endToEndId\":\"E60701190202611251347Qm7Zt2Lp9Xa\",\"valor\":\"2.00\","
	    "\"horario\":\"2026-11-25T10:00:00-03:00\",\"chave\":\"c@d.com\"}]}";
	if (parse(hook) != 0)
		fail_msg("%s", error_text());
	assert_string_equal(info.layout_name, PIX_API_LAYOUT_WEBHOOK);
	assert_string_equal(info.agreement, "");
	assert_int_equal(info.generated, ymd(2026, 11, 25)); /* the latest horario */
	assert_int_equal(nevents, 2);
	assert_int_equal(events[0].line, 1);
	assert_int_equal(events[1].line, 1);
	assert_int_equal(nwarns, 0);

	/* a Pix without chave also leaves the account empty */
	const char *hook2 =
	    "{\"pix\":[{\"endToEndId\":\"E18236120202611231204s0a1b2c3d4e\",\"valor\":\"1.00\","
	    "\"horario\":\"2026-11-23T09:04:51Z\",\"chave\":\"a@b.com\"},"
	    "{\"endToEndId\":\"E60701190202611251347Qm7Zt2Lp9Xa\",\"valor\":\"2.00\","
	    "\"horario\":\"2026-11-25T10:00:00-03:00\"}]}";
	assert_int_equal(parse(hook2), 0);
	assert_string_equal(info.agreement, "");

	const char *one = "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"0.01\",\n"
	                  " \"horario\": \"2026-11-23T09:04:51Z\", \"chave\": \"12345678909\",\n"
	                  " \"pagador\": {\"cnpj\": \"12.ABC.345/0001-88\", \"nome\": \"Padaria\"}}";
	if (parse(one) != 0)
		fail_msg("%s", error_text());
	assert_string_equal(info.layout_name, PIX_API_LAYOUT_OBJECT);
	assert_string_equal(info.agreement, "12345678909");
	assert_int_equal(info.titles, 1);
	assert_int_equal(nevents, 1);
	assert_int_equal(events[0].paid_cents, 1);
	assert_string_equal(events[0].payer_document, "12ABC345000188"); /* alphanumeric CNPJ (2.9.0) */
	assert_int_equal(events[0].line, 1);
	assert_int_equal(events[0].line_end, 3);

	/* an empty page: no events, dated by parametros.fim */
	const char *empty =
	    "{\"parametros\": {\"inicio\": \"2026-11-01T00:00:00Z\", \"fim\": \"2026-11-02T02:00:00Z\","
	    " \"paginacao\": {\"paginaAtual\": 0, \"itensPorPagina\": 100, \"quantidadeDePaginas\": 1,"
	    " \"quantidadeTotalDeItens\": 0}}, \"pix\": []}";
	assert_int_equal(parse(empty), 0);
	assert_int_equal(nevents, 0);
	assert_int_equal(info.generated, ymd(2026, 11, 1));

	/* the BOM is skipped; the same Pix twice with the same content is delivered twice
	 * under one identity (the ledger keeps one) */
	const char *twice =
	    "\xEF\xBB\xBF{\"pix\":[{\"endToEndId\":\"E18236120202611231204s0a1b2c3d4e\",\"valor\":\"1.00\","
	    "\"horario\":\"2026-11-23T09:04:51Z\"},{\"horario\":\"2026-11-23T06:04:51-03:00\","
	    "\"valor\":\"1.00\",\"endToEndId\":\"E18236120202611231204s0a1b2c3d4e\"}]}";
	assert_int_equal(parse(twice), 0);
	assert_int_equal(nevents, 2);
	assert_string_equal(events[0].identity, events[1].identity);
}

static void test_components_and_payer(void **state)
{
	(void)state;
	/* saque without original: the face value is what the sum rule leaves */
	const char *saque =
	    "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"100.00\","
	    " \"horario\": \"2026-11-23T09:04:51Z\", \"componentesValor\": {\"saque\": {\"valor\": "
	    "\"100.00\","
	    " \"modalidadeAgente\": \"AGPSS\", \"prestadorDoServicoDeSaque\": \"12345678\"}}}";
	assert_int_equal(parse(saque), 0);
	assert_int_equal(events[0].face_cents, 0);
	assert_int_equal(nwarns, 0);

	const char *desc = "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"470.00\","
	                   " \"horario\": \"2026-11-23T09:04:51Z\", \"componentesValor\": {\"original\": "
	                   "{\"valor\": \"500.00\"},"
	                   " \"abatimento\": {\"valor\": \"10.00\"}, \"desconto\": {\"valor\": \"20.00\"}}}";
	assert_int_equal(parse(desc), 0);
	assert_true(events[0].face_cents == 50000 && events[0].rebate_cents == 1000 &&
	            events[0].discount_cents == 2000 && events[0].charges_cents == 0);
	assert_int_equal(nwarns, 0);

	const char *mismatch =
	    "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"200.00\","
	    " \"horario\": \"2026-11-23T09:04:51Z\", \"componentesValor\": {\"original\": {\"valor\": "
	    "\"180.00\"}, \"saque\": {\"valor\": \"10.00\", \"modalidadeAgente\": \"AGXXX\"},"
	    " \"troco\": {\"valor\": \"5.00\"}}}";
	assert_int_equal(parse(mismatch), 0);
	assert_true(warned("= 195.00, but valor is 200.00"));
	assert_true(warned("both saque and troco"));
	assert_true(warned("'AGXXX' is not a modalidadeAgente"));
	assert_int_equal(events[0].face_cents, 18000);

	const char *masked =
	    "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\","
	    " \"horario\": \"2026-11-23T09:04:51Z\", \"pagador\": {\"cpf\": \"***.456.789-**\"}}";
	assert_int_equal(parse(masked), 0);
	assert_string_equal(events[0].payer_document, "***456789**");
	assert_true(events[0].payer_document_partial);

	/* long texts: cut at 140 characters, never inside a character */
	char longtext[1200];
	char *p = longtext;
	p += sprintf(p, "{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\","
	                " \"horario\": \"2026-11-23T09:04:51Z\", \"infoPagador\": \"");
	for (int i = 0; i < 150; i++)
		p += sprintf(p, "ç");
	sprintf(p, "\", \"pagador\": {\"nome\": \"%s\"}}",
	        "Ana Beatriz Conceição de Albuquerque Cavalcanti Figueiredo Magalhães Vasconcelos");
	assert_int_equal(parse(longtext), 0);
	assert_int_equal(strlen(events[0].free_text), 280); /* 140 x 2 bytes */
	assert_true(warned("150 characters, more than the API Pix's 140"));
	assert_int_equal(strlen(events[0].payer_name) <= 80, 1);
	assert_true(((unsigned char)events[0].payer_name[strlen(events[0].payer_name) - 1] & 0xC0) != 0xC0);
}

/* Each broken document: the exact diagnostic (position and JSON path). */
static void test_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *json, *diag;
	} cases[] = {
	    {"{\"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"12.3\", "
	     "\"horario\": "
	     "\"2026-11-23T09:04:51Z\"}]}",
	     "f.json:1:70: error: field 'pix[0].valor': expected an amount like 123.45, found \"12.3\""},
	    {"{\"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": 12.30, "
	     "\"horario\": "
	     "\"2026-11-23T09:04:51Z\"}]}",
	     "f.json:1:70: error: field 'pix[0].valor': expected an amount as JSON text like \"123.45\" (the "
	     "API Pix "
	     "writes amounts as strings), found the number 12.30"},
	    {"{\"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"0.00\", "
	     "\"horario\": "
	     "\"2026-11-23T09:04:51Z\"}]}",
	     "f.json:1:70: error: field 'pix[0].valor': a Pix of 0.00 moves no money"},
	    {"{\"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\"}]}",
	     "f.json:1:10: error: field 'pix[0].valor': missing: required by the API Pix"},
	    {"{\"pix\": [{\"valor\": \"1.00\", \"horario\": \"2026-11-23T09:04:51Z\"}]}",
	     "f.json:1:10: error: field 'pix[0].endToEndId': missing: required by the API Pix"},
	    {"{\"pix\": [{\"endToEndId\": 5, \"valor\": \"1.00\"}]}",
	     "f.json:1:25: error: field 'pix[0].endToEndId': expected text, found the number 5"},
	    {"{\"pix\": [\"E18236120202611231204s0a1b2c3d4e\"]}",
	     "f.json:1:10: error: field 'pix[0]': expected a Pix object, found "
	     "\"E18236120202611231204s0a1b2c3d4e\""},
	    {"{\"pix\": {\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\"}}",
	     "f.json:1:9: error: field 'pix': expected a list of Pix, found an object"},
	    {"{\"endToEndId\": \"E1823612020261123120\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\"}",
	     "f.json:1:16: error: field 'endToEndId': an endToEndId has exactly 32 characters, found "
	     "\"E1823612020261123120\" (20 characters)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51\"}",
	     "f.json:1:80: error: field 'horario': has no time zone offset (Z or -03:00): the instant is "
	     "ambiguous, "
	     "found \"2026-11-23T09:04:51\""},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"txid\": \"a_b\"}",
	     "f.json:1:112: error: field 'txid': expected 1 to 35 letters or digits, found \"a_b\" (3 "
	     "characters)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"txid\": \"123456789012345678901234567890123456\"}",
	     "f.json:1:112: error: field 'txid': expected 1 to 35 letters or digits, found "
	     "\"123456789012345678901234567890123456\" (36 characters)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"pagador\": {\"cnpj\": \"11222333000180\"}}",
	     "f.json:1:124: error: field 'pagador.cnpj': \"11222333000180\" is not a valid CNPJ: CNPJ check "
	     "digits do "
	     "not match (expected 81)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"pagador\": {\"cnpj\": \"12345678909\"}}",
	     "f.json:1:124: error: field 'pagador.cnpj': \"12345678909\" is a CPF, not a CNPJ"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"pagador\": {\"cpf\": \"1234567890\"}}",
	     "f.json:1:123: error: field 'pagador.cpf': \"1234567890\" is not a valid CPF: 11 digits for a "
	     "CPF or 14 "
	     "characters for a CNPJ expected, found 10"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"pagador\": {\"cpf\": \"12345678909\", \"cnpj\": "
	     "\"11222333000181\"}}",
	     "f.json:1:115: error: field 'pagador': both cpf and cnpj: a payer is a person or a company"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"componentesValor\": {\"multa\": \"4.00\"}}",
	     "f.json:1:134: error: field 'componentesValor.multa': expected an object like {\"valor\": "
	     "\"1.00\"}, "
	     "found \"4.00\""},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"componentesValor\": {\"juros\": {\"valor\": \"0.1\"}}}",
	     "f.json:1:144: error: field 'componentesValor.juros.valor': expected an amount like 123.45, "
	     "found \"0.1\""},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"chave\": \"\"}",
	     "f.json:1:113: error: field 'chave': a Pix key has 1 to 77 characters, found 0"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": [{\"id\": \"d1\", \"valor\": \"1.00\", \"status\": "
	     "\"DEVOLVIDO\","
	     " \"horario\": {\"liquidacao\": \"2026-11-23T10:00:00Z\"}}]}",
	     "f.json:1:119: error: field 'devolucoes[0].rtrId': missing in a DEVOLVIDO devolução: the rtrId "
	     "names the "
	     "return (the devolução's identity)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": [{\"id\": \"d1\", \"rtrId\": "
	     "\"E18236120202611231204s0a1b2c3d4e\","
	     " \"valor\": \"1.00\", \"status\": \"DEVOLVIDO\", \"horario\": {}}]}",
	     "f.json:1:141: error: field 'devolucoes[0].rtrId': expected a return id of 32 letters and "
	     "digits starting "
	     "with 'D', found \"E18236120202611231204s0a1b2c3d4e\" (32 characters)"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": [{\"id\": \"d1\", \"rtrId\": "
	     "\"D11111111202611231800aB3cD4eF5gH\","
	     " \"valor\": \"1.00\", \"status\": \"DEVOLVIDA\", \"horario\": {}}]}",
	     "f.json:1:204: error: field 'devolucoes[0].status': expected EM_PROCESSAMENTO, DEVOLVIDO or "
	     "NAO_REALIZADO, found \"DEVOLVIDA\""},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": [{\"id\": \"d1\", \"rtrId\": "
	     "\"D11111111202611231800aB3cD4eF5gH\","
	     " \"valor\": \"1.00\", \"status\": \"DEVOLVIDO\", \"horario\": {}}]}",
	     "f.json:1:228: error: field 'devolucoes[0].horario': a DEVOLVIDO devolução without "
	     "horario.liquidacao "
	     "or solicitacao"},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": [{\"id\": \"d-1\", \"valor\": \"1.00\"}]}",
	     "f.json:1:126: error: field 'devolucoes[0].id': expected 1 to 35 letters or digits, found "
	     "\"d-1\""},
	    {"{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", \"horario\": "
	     "\"2026-11-23T09:04:51Z\", \"devolucoes\": \"none\"}",
	     "f.json:1:118: error: field 'devolucoes': expected a list of devoluções, found \"none\""},
	    {"{\"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\", "
	     "\"horario\": "
	     "\"2026-11-23T09:04:51Z\"},\n {\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": "
	     "\"1.00\","
	     " \"horario\": \"2026-11-23T09:04:52Z\"}]}",
	     "f.json:2:17: error: field 'pix[1].endToEndId': E18236120202611231204s0a1b2c3d4e also at line 1 "
	     "with "
	     "another horario: a repeated endToEndId with different content is a conflict, not an update"},
	    {"{\"parametros\": {\"fim\": \"2026-11-23T09:04:51Z\"}, \"pix\": []}",
	     "f.json:1:16: error: field 'parametros.inicio': missing: required by the API Pix"},
	    {"{\"parametros\": {\"inicio\": \"2026-11-23T09:04:51Z\", \"fim\": \"2026-11-23T09:04:51Z\", "
	     "\"paginacao\": {\"paginaAtual\": -1}}, \"pix\": []}",
	     "f.json:1:111: error: field 'parametros.paginacao.paginaAtual': expected a whole number >= 0, "
	     "found the "
	     "number -1"},
	    {"{\"pix\": [1,}", "f.json:1:12: error: not valid JSON: unexpected token near '}'"},
	    {"{\"pix\": [{\"valor\": \"1.00\", \"valor\": \"2.00\"}]}",
	     "f.json:1:34: error: not valid JSON: duplicate object key near '\"valor\"'"},
	    {"[{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\"}]",
	     "f.json:1:1: error: expected a JSON object (a GET /pix page, a webhook body or one Pix), found "
	     "a list"},
	    {"{\"cobs\": []}",
	     "f.json:1:1: error: neither a GET /pix page, a webhook body nor one Pix: no \"pix\" list and no "
	     "\"endToEndId\""},
	    {"  \n ", "f.json: error: empty file: no JSON in it"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (parse(cases[i].json) == 0)
			fail_msg("case %zu accepted: %s", i, cases[i].json);
		assert_int_equal(err.severity, DIAG_ERROR);
		if (strcmp(error_text(), cases[i].diag) != 0)
			fail_msg("case %zu:\n got  %s\n want %s", i, error_text(), cases[i].diag);
	}
}

static void test_warnings(void **state)
{
	(void)state;
	const char *doc =
	    "{\"parametros\": {\"inicio\": \"2026-11-23T00:00:00-03:00\", \"fim\": "
	    "\"2026-11-22T00:00:00-03:00\","
	    " \"paginacao\": {\"paginaAtual\": 3, \"itensPorPagina\": 1, \"quantidadeDePaginas\": 2}},"
	    " \"pix\": [{\"endToEndId\": \"E18236120202611231204s0a1b2c3d4e\", \"valor\": \"1.00\","
	    " \"txid\": \"\", \"chave\": \"not a key\", \"horario\": \"2026-11-24T09:04:51Z\"},"
	    " {\"endToEndId\": \"E1823612020261399120400a1b2c3d4e\", \"valor\": \"1.00\","
	    " \"horario\": \"2019-11-23T09:04:51Z\", \"devolucoes\": {\"id\": \"x\", \"valor\": \"1.00\","
	    " \"status\": \"EM_PROCESSAMENTO\", \"natureza\": \"OUTRA\", \"horario\": {}}}]}";
	if (parse(doc) != 0)
		fail_msg("%s", error_text());
	assert_int_equal(nevents, 2);
	assert_true(warned("field 'parametros.fim': before parametros.inicio"));
	assert_true(warned("field 'pix[0].txid': empty: read as no txid"));
	assert_true(warned("field 'pix[0].chave': 'not a key' is not a Pix key"));
	assert_true(warned("field 'pix[0].horario': outside the query's window"));
	assert_true(
	    warned("field 'pix[1].endToEndId': E1823612020261399120400a1b2c3d4e: its characters 10-21"));
	assert_true(warned("field 'pix[1].horario': before Pix existed"));
	assert_true(warned("field 'pix[1].devolucoes': one object where the API Pix says a list"));
	assert_true(warned("field 'pix[1].devolucoes.natureza': 'OUTRA' is not a natureza"));
	assert_true(warned("field 'pix[1].devolucoes': devolução 'x' of 1.00 is EM_PROCESSAMENTO"));
	assert_true(warned("field 'parametros.paginacao.quantidadeTotalDeItens': missing"));
	assert_true(warned("1 items per page, but this page holds 2 Pix"));
	assert_true(warned("page 3 of 2"));
	assert_true(warned("f.json:1:398: warning: field 'pix[1].horario': outside the query's window"));
	assert_int_equal(nwarns, 13);

	/* without a sink nothing is reported, the result is the same */
	assert_int_equal(pix_api_parse("f.json", (const unsigned char *)doc, strlen(doc), NULL, NULL, NULL,
	                               NULL, NULL, &err),
	                 0);
}

static void test_callback_stops(void **state)
{
	(void)state;
	stop_at = 2;
	int rc = parse(page);
	stop_at = 0;
	assert_int_equal(rc, -1);
	assert_int_equal(nevents, 2);
	assert_string_equal(error_text(), "f.json:12: error: import stopped while storing this entry");
}

/* bank_file_detect hands these documents to this reader. */
static void test_detect(void **state)
{
	(void)state;
	struct bank_file_format fmt;
	struct layout *owned;
	assert_int_equal(
	    bank_file_detect("f.json", (const unsigned char *)page, strlen(page), NULL, &fmt, &owned, &err),
	    0);
	assert_string_equal(fmt.family, "pix-api");
	assert_ptr_equal(fmt.statement, &pix_api_reader);
	assert_int_equal(bank_file_parse(&fmt, "f.json", (const unsigned char *)page, strlen(page), &info,
	                                 NULL, NULL, NULL, NULL, &err),
	                 0);
	assert_int_equal(info.titles, 3);
	const char *cob = "{\"calendario\": {}, \"pix\": []}";
	assert_int_equal(
	    bank_file_detect("f.json", (const unsigned char *)cob, strlen(cob), NULL, &fmt, &owned, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not a statement concilia reads"));
}

/* ---- the spec's own examples ---- */

static const char *interop_dir(void)
{
	const char *e = getenv("CONCILIA_INTEROP");
	return e && *e ? e : SHARED_INTEROP_DIR;
}

/* The YAML of one `components.examples.NAME.value` block (mappings, lists
 * of mappings, scalars) turned into JSON: just enough for the Pix
 * examples, whose scalars are all text. */
struct yline {
	int indent;
	char text[200];
};

static struct yline ylines[64];

static void json_append(char *out, size_t n, const char *s)
{
	size_t used = strlen(out);
	snprintf(out + used, n - used, "%s", s);
}

static void yaml_map(size_t *i, size_t nl, int indent, char *out, size_t n);

static void yaml_list(size_t *i, size_t nl, int indent, char *out, size_t n)
{
	json_append(out, n, "[");
	int first = 1;
	while (*i < nl && ylines[*i].indent == indent && strncmp(ylines[*i].text, "- ", 2) == 0) {
		memmove(ylines[*i].text, ylines[*i].text + 2, strlen(ylines[*i].text) - 1);
		ylines[*i].indent += 2;
		if (!first)
			json_append(out, n, ",");
		first = 0;
		yaml_map(i, nl, indent + 2, out, n);
	}
	json_append(out, n, "]");
}

static void yaml_map(size_t *i, size_t nl, int indent, char *out, size_t n)
{
	json_append(out, n, "{");
	int first = 1;
	while (*i < nl && ylines[*i].indent == indent && strncmp(ylines[*i].text, "- ", 2) != 0) {
		char *t = ylines[*i].text, *colon = strchr(t, ':');
		assert_non_null(colon);
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ')
			v++;
		size_t vl = strlen(v);
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v[vl - 1] = '\0';
			v++;
		}
		char item[260];
		snprintf(item, sizeof item, "%s\"%s\":", first ? "" : ",", t);
		json_append(out, n, item);
		first = 0;
		(*i)++;
		if (*v) {
			snprintf(item, sizeof item, "\"%s\"", v);
			json_append(out, n, item);
		} else if (*i < nl && ylines[*i].indent > indent) {
			if (strncmp(ylines[*i].text, "- ", 2) == 0)
				yaml_list(i, nl, ylines[*i].indent, out, n);
			else
				yaml_map(i, nl, ylines[*i].indent, out, n);
		} else {
			json_append(out, n, "null");
		}
	}
	json_append(out, n, "}");
}

/* 0 and out filled, or -1 when the example is not in the file. */
static int spec_example(FILE *fp, const char *name, char *out, size_t n)
{
	char line[512], head[80];
	snprintf(head, sizeof head, "    %s:\n", name);
	rewind(fp);
	while (fgets(line, sizeof line, fp) && strcmp(line, head) != 0)
		;
	if (feof(fp))
		return -1;
	while (fgets(line, sizeof line, fp) && strcmp(line, "      value:\n") != 0)
		;
	size_t nl = 0;
	while (fgets(line, sizeof line, fp)) {
		int ind = 0;
		while (line[ind] == ' ')
			ind++;
		if (line[ind] == '\n')
			continue;
		if (ind <= 6)
			break;
		line[strcspn(line, "\n")] = '\0';
		assert_true(nl < sizeof ylines / sizeof ylines[0]);
		ylines[nl].indent = ind;
		snprintf(ylines[nl].text, sizeof ylines[nl].text, "%s", line + ind);
		nl++;
	}
	out[0] = '\0';
	size_t i = 0;
	yaml_map(&i, nl, nl ? ylines[0].indent : 8, out, n);
	assert_int_equal(i, nl);
	return 0;
}

static void test_spec_examples(void **state)
{
	(void)state;
	char path[1024], json[4096];
	snprintf(path, sizeof path, "%s/pix/api-pix-openapi-2.9.0.yaml", interop_dir());
	FILE *fp = fopen(path, "r");
	if (!fp) {
		print_message("SKIP: %s not found (set CONCILIA_INTEROP)\n", path);
		skip();
	}
	/* pixResponse1: one Pix with a devolução EM_PROCESSAMENTO (no money moved yet) */
	assert_int_equal(spec_example(fp, "pixResponse1", json, sizeof json), 0);
	if (parse(json) != 0)
		fail_msg("pixResponse1: %s\n%s", error_text(), json);
	assert_int_equal(nevents, 1);
	assert_string_equal(events[0].identity, "pix|E12345678202009091221abcdef12345");
	assert_int_equal(events[0].paid_cents, 10000);
	assert_string_equal(events[0].free_text, "Reforma da casa");
	assert_int_equal(events[0].occurrence_date, ymd(2020, 9, 10));
	assert_true(warned("devolução '000AAA111' of 11.00 is EM_PROCESSAMENTO"));
	assert_true(warned("before Pix existed")); /* the examples predate the launch */

	/* pixResponse2 and 3: 34-character endToEndIds (SOURCES.md names only 2) */
	assert_int_equal(spec_example(fp, "pixResponse2", json, sizeof json), 0);
	assert_int_equal(parse(json), -1);
	assert_non_null(strstr(error_text(), "field 'endToEndId': an endToEndId has exactly 32 characters"));
	assert_int_equal(spec_example(fp, "pixResponse3", json, sizeof json), 0);
	assert_int_equal(parse(json), -1);
	assert_non_null(strstr(error_text(), "(34 characters)"));
	/* ... whose componentesValor (misspelled prestadorDeServicoDeSaque) read once the id is fixed */
	char *id = strstr(json, "E88631478202009091221ghijk78901234");
	assert_non_null(id);
	memmove(id + 32, id + 34, strlen(id + 34) + 1);
	if (parse(json) != 0)
		fail_msg("pixResponse3 fixed: %s", error_text());
	assert_true(events[0].face_cents == 18000 && events[0].paid_cents == 20000);

	/* pixWebhook1: devolucoes as one object; pixWebhook2: plain */
	char body[8300], one[4096];
	assert_int_equal(spec_example(fp, "pixWebhook1", one, sizeof one), 0);
	assert_int_equal(spec_example(fp, "pixWebhook2", json, sizeof json), 0);
	snprintf(body, sizeof body, "{\"pix\": [%s, %s]}", one, json);
	if (parse(body) != 0)
		fail_msg("webhook: %s\n%s", error_text(), body);
	assert_string_equal(info.layout_name, PIX_API_LAYOUT_WEBHOOK);
	assert_int_equal(nevents, 2);
	assert_string_equal(events[1].identity, "pix|E87654321202009091221dfghi123456");
	assert_true(warned("field 'pix[0].devolucoes': one object where the API Pix says a list"));

	/* the schema facts this reader is built on */
	char line[512];
	int amount_pattern = 0, e2e_len = 0, statuses = 0, required = 0;
	rewind(fp);
	while (fgets(line, sizeof line, fp)) {
		amount_pattern += strstr(line, "pattern: \"\\\\d{1,10}\\\\.\\\\d{2}\"") != NULL;
		e2e_len += strstr(line, "pattern: \"[a-zA-Z0-9]{32}\"") != NULL;
		statuses +=
		    strstr(line, "enum: [\"EM_PROCESSAMENTO\", \"DEVOLVIDO\", \"NAO_REALIZADO\"]") != NULL;
		required += strstr(line, "required: [\"endToEndId\", \"valor\", \"horario\"]") != NULL;
	}
	fclose(fp);
	assert_true(amount_pattern >= 10);
	assert_true(e2e_len >= 1);
	assert_true(statuses >= 1);
	assert_int_equal(required, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amount),
	    cmocka_unit_test(test_instant),
	    cmocka_unit_test(test_e2e),
	    cmocka_unit_test(test_json_pos),
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_page),
	    cmocka_unit_test(test_webhook_and_object),
	    cmocka_unit_test(test_components_and_payer),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_spec_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
