/* Tests for src/codec/brcode.c: the CRC (against a bit-by-bit reference),
 * amounts, Pix keys, the encoder (the BCB example reproduced, limits,
 * warnings, refusals), every decoder rule on hand-made payloads, then
 * every row of interop/pix/brcode-vectors.tsv, whose verdict, fields and
 * stated reasons must all agree (skipped with a message when that folder
 * is absent). Expected payloads come from reference/pix.md, not from this
 * code. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/brcode.h"
#include "core/diag.h"

#define BCB_EXAMPLE                                                                                          \
	"00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-"                                           \
	"4266554400005204000053039865802BR5913Fulano "                                                       \
	"de Tal6008BRASILIA62070503***63041D3D"

static struct brcode_info info; /* large: not on the stack */

static int has_problem(const struct brcode_info *in, enum brcode_problem_code code, const char *field)
{
	for (int i = 0; i < in->nproblems; i++)
		if (in->problems[i].code == code && (!field || strcmp(in->problems[i].field, field) == 0))
			return 1;
	return 0;
}

static void dump_problems(const struct brcode_info *in)
{
	for (int i = 0; i < in->nproblems; i++)
		print_message("  %s %s [%s] col %d: %s\n", in->problems[i].severity == DIAG_ERROR ? "E" : "W",
		              brcode_problem_name(in->problems[i].code), in->problems[i].field,
		              in->problems[i].column, in->problems[i].msg);
}

static int decode(const char *s)
{
	return brcode_decode(s, strlen(s), &info);
}

/* Appends "6304" and the CRC (computed here bit by bit) to body. */
static unsigned ref_crc(const unsigned char *p, size_t n)
{
	unsigned crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= (unsigned)p[i] << 8;
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
	}
	return crc;
}

static const char *with_crc(const char *body, char *out, size_t n)
{
	snprintf(out, n, "%s6304", body);
	size_t len = strlen(out);
	snprintf(out + len, n - len, "%04X", ref_crc((const unsigned char *)out, len));
	return out;
}

/* ---- CRC ---- */

static void test_crc(void **state)
{
	(void)state;
	assert_int_equal(brcode_crc16("123456789", 9), 0x29B1);
	assert_int_equal(brcode_crc16("", 0), 0xFFFF);
	const char *bcb = BCB_EXAMPLE;
	assert_int_equal(brcode_crc16(bcb, strlen(bcb) - 4), 0x1D3D);
	/* the sliced tables against the bit-by-bit definition, every length
	 * and alignment up to 300 bytes of pseudo-random data */
	unsigned char buf[310];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n <= 300; n++)
			assert_int_equal(brcode_crc16(buf + off, n), ref_crc(buf + off, n));
}

/* ---- amounts ---- */

static void test_amount(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int rc;
		int64_t cents;
		bool canonical;
	} cases[] = {
	    {"123.45", 0, 12345, true},   {"0.01", 0, 1, true},    {"100", 0, 10000, false},
	    {"10.", 0, 1000, false},      {".50", 0, 50, false},   {"0.9", 0, 90, false},
	    {"1000.0", 0, 100000, false}, {"0.00", 0, 0, true},    {"9999999999.99", 0, 999999999999, true},
	    {"", -1, 0, false},           {".", -1, 0, false},     {".5", -1, 0, false},
	    {"1.234", -1, 0, false},      {"1,00", -1, 0, false},  {"-1.00", -1, 0, false},
	    {"1e3", -1, 0, false},        {" 1.00", -1, 0, false}, {"12345678901.00", -1, 0, false},
	    {"1..0", -1, 0, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t cents = -1;
		bool canonical = !cases[i].canonical;
		int rc = brcode_amount_parse(cases[i].s, strlen(cases[i].s), &cents, &canonical);
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, expected %d", cases[i].s, rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(cents, cases[i].cents);
			assert_int_equal(canonical, cases[i].canonical);
		}
	}
	char buf[24];
	assert_int_equal(brcode_amount_format(1, buf), 4);
	assert_string_equal(buf, "0.01");
	brcode_amount_format(1234, buf);
	assert_string_equal(buf, "12.34");
	brcode_amount_format(100, buf);
	assert_string_equal(buf, "1.00");
	brcode_amount_format(BRCODE_MAX_CENTS, buf);
	assert_string_equal(buf, "9999999999.99");
}

/* ---- keys ---- */

static void test_key_classify(void **state)
{
	(void)state;
	const char *why;
#define K(s) brcode_key_classify(s, strlen(s), &why)
	assert_int_equal(K("12345678909"), BRCODE_KEY_CPF);
	assert_int_equal(K("12345678900"), BRCODE_KEY_UNKNOWN); /* CPF check digits wrong */
	assert_non_null(strstr(why, "+55"));
	assert_int_equal(K("11111111111"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("11222333000181"), BRCODE_KEY_CNPJ);
	assert_int_equal(K("12ABC34501DE35"), BRCODE_KEY_CNPJ); /* alphanumeric CNPJ */
	assert_int_equal(K("11222333000182"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("fulano@example.com"), BRCODE_KEY_EMAIL);
	assert_int_equal(K("VENDAS@ENDOPLUS.ODO.BR"), BRCODE_KEY_EMAIL);
	assert_int_equal(K("fulano@example"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("a b@example.com"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("@example.com"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("a@-x.com"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("a@x.com."), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("+tag@example.com"), BRCODE_KEY_EMAIL); /* found by fuzzing */
	assert_int_equal(K("+5511943214321"), BRCODE_KEY_PHONE);
	assert_int_equal(K("+551143214321"), BRCODE_KEY_PHONE);
	assert_int_equal(K("+15551234567"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("+55119432143210"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("123e4567-e12b-12d1-a456-426655440000"), BRCODE_KEY_EVP);
	assert_int_equal(K("123E4567-E12B-12D1-A456-426655440000"), BRCODE_KEY_EVP);
	assert_int_equal(K("123e4567e12b12d1a456426655440000"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K("123e4567-e12b-12d1-a456-42665544000g"), BRCODE_KEY_UNKNOWN);
	assert_int_equal(K(""), BRCODE_KEY_UNKNOWN);
#undef K
	assert_string_equal(brcode_key_type_name(BRCODE_KEY_EVP), "evp");
	assert_string_equal(brcode_key_type_name(BRCODE_KEY_NONE), "");
}

static void test_key_normalize(void **state)
{
	(void)state;
	char out[BRCODE_KEY_MAX + 1];
	const char *why = NULL;
	assert_int_equal(brcode_key_normalize("123.456.789-09", out, &why), BRCODE_KEY_CPF);
	assert_string_equal(out, "12345678909");
	assert_int_equal(brcode_key_normalize(" 11.222.333/0001-81 ", out, &why), BRCODE_KEY_CNPJ);
	assert_string_equal(out, "11222333000181");
	assert_int_equal(brcode_key_normalize("12.ABC.345/01DE-35", out, &why), BRCODE_KEY_CNPJ);
	assert_string_equal(out, "12ABC34501DE35");
	assert_int_equal(brcode_key_normalize("Fulano@Example.COM", out, &why), BRCODE_KEY_EMAIL);
	assert_string_equal(out, "fulano@example.com");
	assert_int_equal(brcode_key_normalize("+55 (11) 94321-4321", out, &why), BRCODE_KEY_PHONE);
	assert_string_equal(out, "+5511943214321");
	assert_int_equal(brcode_key_normalize("123E4567-E12B-12D1-A456-426655440000", out, &why),
	                 BRCODE_KEY_EVP);
	assert_string_equal(out, "123e4567-e12b-12d1-a456-426655440000");

	assert_int_equal(brcode_key_normalize("11943214321", out, &why), BRCODE_KEY_NONE);
	assert_non_null(strstr(why, "phone"));
	assert_string_equal(out, "");
	assert_int_equal(brcode_key_normalize("123.456.789-00", out, &why), BRCODE_KEY_NONE);
	assert_non_null(strstr(why, "CPF"));
	assert_int_equal(brcode_key_normalize("+1 555 123 4567", out, &why), BRCODE_KEY_NONE);
	assert_int_equal(brcode_key_normalize("fulano@", out, &why), BRCODE_KEY_NONE);
	assert_int_equal(brcode_key_normalize("minha chave", out, &why), BRCODE_KEY_NONE);
	assert_int_equal(brcode_key_normalize("", out, &why), BRCODE_KEY_NONE);
	assert_int_equal(brcode_key_normalize(NULL, out, &why), BRCODE_KEY_NONE);
	char longmail[100];
	memset(longmail, 'a', 70);
	strcpy(longmail + 70, "@ex.com"); /* 77: fits */
	assert_int_equal(brcode_key_normalize(longmail, out, &why), BRCODE_KEY_EMAIL);
	memset(longmail, 'a', 71);
	strcpy(longmail + 71, "@ex.com"); /* 78 */
	assert_int_equal(brcode_key_normalize(longmail, out, &why), BRCODE_KEY_NONE);
}

/* ---- encoding ---- */

struct collected {
	int n;
	char field[8][64];
	char msg[8][512];
};

static void collect(void *ctx, const struct diag *d)
{
	struct collected *c = ctx;
	assert_int_equal(d->severity, DIAG_WARNING);
	if (c->n < 8) {
		snprintf(c->field[c->n], sizeof c->field[0], "%s", d->field);
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
	}
	c->n++;
}

static void test_encode_bcb_example(void **state)
{
	(void)state;
	struct brcode_request rq = {
	    .key = "123e4567-e12b-12d1-a456-426655440000", .name = "Fulano de Tal", .city = "BRASILIA"};
	struct brcode_payload p;
	struct diag d;
	struct collected w = {0};
	assert_int_equal(brcode_encode(&rq, &p, collect, &w, &d), 0);
	assert_string_equal(p.text, BCB_EXAMPLE);
	assert_int_equal(p.len, strlen(BCB_EXAMPLE));
	assert_int_equal(w.n, 0);
}

static void test_encode_static_fields(void **state)
{
	(void)state;
	char want[512];
	struct brcode_request rq = {.key = "Fulano@Example.com",
	                            .name = "Fulano de Tal",
	                            .city = "Sao Paulo",
	                            .amount_cents = 1234,
	                            .txid = "PEDIDO123",
	                            .description = "Pedido 123",
	                            .postal_code = "01310-100",
	                            .initiation = 11};
	struct brcode_payload p;
	struct diag d;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	with_crc("000201010211"
	         "26540014br.gov.bcb.pix0118fulano@example.com0210Pedido 123"
	         "52040000530398654051"
	         "2.345802BR5913Fulano de Tal6009Sao Paulo610801310100"
	         "62130509PEDIDO123",
	         want, sizeof want);
	assert_string_equal(p.text, want);
	assert_int_equal(decode(p.text), 0);
	assert_int_equal(info.nwarnings, 0);
	assert_int_equal(info.kind, BRCODE_STATIC);
	assert_int_equal(info.key_type, BRCODE_KEY_EMAIL);
	assert_int_equal(info.amount_cents, 1234);
	assert_int_equal(info.initiation, 11);

	/* the largest amount, a txid of 25 */
	rq.amount_cents = BRCODE_MAX_CENTS;
	rq.txid = "A123456789012345678901234";
	rq.description = NULL;
	rq.postal_code = NULL;
	rq.initiation = 0;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	assert_non_null(strstr(p.text, "54139999999999.99"));
	assert_non_null(strstr(p.text, "62290525A123456789012345678901234"));
	assert_null(strstr(p.text, "0102"));
	assert_int_equal(decode(p.text), 0);
	assert_int_equal(info.amount_cents, BRCODE_MAX_CENTS);
	/* "***" and "" mean no txid */
	rq.txid = "";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	assert_non_null(strstr(p.text, "62070503***6304"));
}

static void test_encode_dynamic(void **state)
{
	(void)state;
	char want[512];
	struct brcode_request rq = {
	    .url = "https://pix.example.com/qr/v2/9d36b84f", .name = "Loja", .city = "Rio de Janeiro"};
	struct brcode_payload p;
	struct diag d;
	struct collected w = {0};
	assert_int_equal(brcode_encode(&rq, &p, collect, &w, &d), 0);
	with_crc("000201010212"
	         "26520014br.gov.bcb.pix2530pix.example.com/qr/v2/9d36b84f"
	         "52040000530398658"
	         "02BR5904Loja6014Rio de Janeiro62070503***",
	         want, sizeof want);
	assert_string_equal(p.text, want);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.field[0], "26-25");
	assert_non_null(strstr(w.msg[0], "https://"));
	assert_int_equal(decode(p.text), 0);
	assert_int_equal(info.kind, BRCODE_DYNAMIC);
	assert_int_equal(info.initiation, 12);

	/* Two schemes: removing one would leave a code every reader refuses. */
	rq.url = "https://HTTP://pix.example.com/qr";
	diag_clear(&d);
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26-25");
	assert_non_null(strstr(d.msg, "second scheme"));

	rq.initiation = 11; /* a reusable dynamic code (cobv) */
	rq.url = "pix.example.com/qr/v2/9d36b84f";
	w.n = 0;
	assert_int_equal(brcode_encode(&rq, &p, collect, &w, &d), 0);
	assert_int_equal(w.n, 0);
	assert_non_null(strstr(p.text, "000201010211"));

	/* what only a static code carries is refused, not dropped */
	rq.amount_cents = 100;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "54");
	rq.amount_cents = 0;
	rq.txid = "ABC";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "62-05");
	rq.txid = "***";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	rq.description = "x";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26-02");
	rq.description = NULL;
	rq.url = "http://";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26-25");
	rq.url = "pix.example.com/a b";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	char longurl[100];
	memset(longurl, 'a', 78);
	longurl[78] = '\0';
	rq.url = longurl;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	longurl[77] = '\0'; /* 26 = 18 + 4 + 77 = 99 */
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	assert_int_equal(decode(p.text), 0);
}

static void test_encode_transliteration(void **state)
{
	(void)state;
	struct brcode_request rq = {.key = "+5511943214321",
	                            .name = "José Ávila da Conceição Comércio",
	                            .city = "São José dos Campos",
	                            .description = "Pedido nº 12 ☺"};
	struct brcode_payload p;
	struct diag d;
	struct collected w = {0};
	assert_int_equal(brcode_encode(&rq, &p, collect, &w, &d), 0);
	/* cut, with a warning naming the field and the text written */
	assert_non_null(strstr(p.text, "5925Jose Avila da Conceicao C"));
	assert_non_null(strstr(p.text, "6015Sao Jose dos Ca"));
	assert_non_null(strstr(p.text, "0212Pedido no 12"));
	assert_int_equal(w.n, 3);
	assert_string_equal(w.field[0], "59");
	assert_non_null(strstr(w.msg[0], "32 characters, cut to 25"));
	assert_string_equal(w.field[1], "60");
	assert_string_equal(w.field[2], "26-02"); /* the smiley was left out */
	assert_int_equal(decode(p.text), 0);
	assert_int_equal(info.nwarnings, 0);

	/* a cut that ends in a blank drops the blank */
	rq.name = "Maria Aparecida Silva Lt Ana";
	rq.city = "Rio";
	rq.description = NULL;
	w.n = 0;
	assert_int_equal(brcode_encode(&rq, &p, collect, &w, &d), 0);
	assert_non_null(strstr(p.text, "5924Maria Aparecida Silva Lt60"));
	assert_int_equal(w.n, 1);

	/* nothing left: refused */
	rq.name = " ☺ ";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "59");
	rq.name = "Ana";
	rq.city = "";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "60");
	rq.city = NULL;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
}

static void test_encode_refusals(void **state)
{
	(void)state;
	struct brcode_request rq = {
	    .key = "123e4567-e12b-12d1-a456-426655440000", .name = "Ana", .city = "Rio"};
	struct brcode_payload p;
	struct diag d;
	static const char *const bad_txids[] = {"PEDIDO-123", "my_id", "a b", "A1234567890123456789012345",
	                                        "é"};
	for (size_t i = 0; i < sizeof bad_txids / sizeof bad_txids[0]; i++) {
		rq.txid = bad_txids[i];
		if (brcode_encode(&rq, &p, NULL, NULL, &d) != -1)
			fail_msg("txid '%s' accepted", bad_txids[i]);
		assert_string_equal(d.field, "62-05");
	}
	rq.txid = NULL;

	/* 26 must fit 99: GUI 18 + key 4+36 + description 4+37 = 99 */
	char desc[64];
	memset(desc, 'x', 38);
	desc[38] = '\0';
	rq.description = desc;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26-02");
	assert_non_null(strstr(d.msg, "at most 37"));
	desc[37] = '\0';
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	assert_non_null(strstr(p.text, "2699"));
	assert_int_equal(decode(p.text), 0);
	rq.description = NULL;

	rq.amount_cents = BRCODE_MAX_CENTS + 1;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "54");
	rq.amount_cents = -1;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	rq.amount_cents = 0;

	rq.postal_code = "0131-0100";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "61");
	rq.postal_code = "013101000";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	rq.postal_code = "01310100";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), 0);
	rq.postal_code = NULL;

	rq.initiation = 13;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "01");
	rq.initiation = 0;

	rq.key = "11943214321";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26-01");
	rq.url = "pix.example.com/x";
	rq.key = "a@b.com";
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
	assert_string_equal(d.field, "26");
	rq.url = rq.key = NULL;
	assert_int_equal(brcode_encode(&rq, &p, NULL, NULL, &d), -1);
}

/* ---- decoding: one rule at a time ---- */

static void expect_error(const char *payload, enum brcode_problem_code code, const char *field)
{
	int rc = brcode_decode(payload, strlen(payload), &info);
	if (rc != -1 || !has_problem(&info, code, field)) {
		dump_problems(&info);
		fail_msg("'%s': expected error %s on field '%s'", payload, brcode_problem_name(code),
		         field ? field : "(any)");
	}
	assert_true(info.nerrors > 0);
}

static void expect_warning(const char *payload, enum brcode_problem_code code, const char *field)
{
	int rc = brcode_decode(payload, strlen(payload), &info);
	if (rc != 0 || !has_problem(&info, code, field)) {
		dump_problems(&info);
		fail_msg("'%s': expected a valid code with warning %s on '%s'", payload,
		         brcode_problem_name(code), field ? field : "(any)");
	}
}

#define HEAD "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
#define MIDDLE                                                                                               \
	"52040000530398658"                                                                                  \
	"02BR5913Fulano de Tal6008BRASILIA"
#define TAIL "62070503***"

static void test_decode_valid(void **state)
{
	(void)state;
	assert_int_equal(decode(BCB_EXAMPLE), 0);
	assert_int_equal(info.nproblems, 0);
	assert_int_equal(info.kind, BRCODE_STATIC);
	assert_int_equal(info.pix_template, 26);
	assert_int_equal(info.key_type, BRCODE_KEY_EVP);
	assert_int_equal(info.key.len, 36);
	assert_memory_equal(info.key.s, "123e4567-e12b-12d1-a456-426655440000", 36);
	assert_null(info.amount.s);
	assert_int_equal(info.txid.len, 3);
	assert_true(info.crc_checked);
	assert_int_equal(info.crc_computed, 0x1D3D);
	assert_int_equal(info.nchars, strlen(BCB_EXAMPLE));
	/* 00, 26 (+00, 01), 52, 53, 58, 59, 60, 62 (+05), 63 */
	assert_int_equal(info.nobjects, 12);
	assert_int_equal(info.objects[1].id, 26);
	assert_int_equal(info.objects[1].nchildren, 2);
	assert_int_equal(info.objects[2].parent, 26);
	assert_int_equal(info.objects[3].column, 29);
	assert_string_equal(brcode_object_name(26, 1, info.pix_template), "Pix key");
	assert_string_equal(brcode_object_name(BRCODE_TOP, 59, 26), "merchant name");
	assert_string_equal(brcode_object_name(62, 5, 26), "reference label (txid)");
	assert_null(brcode_object_name(BRCODE_TOP, 70, 26));

	/* LEN counts characters: "BRASÍLIA" is 8 characters, 9 bytes */
	char buf[512];
	expect_warning(with_crc(HEAD "52040000530398658"
	                             "02BR5913Fulano de Tal6008BRASÍLIA" TAIL,
	                        buf, sizeof buf),
	               BRCODE_W_NON_ASCII, "60");
	assert_int_equal(info.city.len, 9);
}

static void test_decode_structure(void **state)
{
	(void)state;
	char buf[700];
	expect_error("", BRCODE_E_EMPTY, "");
	expect_error(BCB_EXAMPLE "\n", BRCODE_E_LINE_BREAK, "");
	assert_int_equal(info.problems[0].column, (int)strlen(BCB_EXAMPLE) + 1);
	expect_error("0002\r01", BRCODE_E_LINE_BREAK, "");
	expect_error("000201\xC3(", BRCODE_E_UTF8, "");
	expect_error("000AXYZ", BRCODE_E_TLV, "00");
	expect_error("0002010", BRCODE_E_TLV, NULL);
	expect_error("4213ABCDEF", BRCODE_E_TRUNCATED, "42");
	assert_true(has_problem(&info, BRCODE_E_FIRST, "00"));
	expect_error(BCB_EXAMPLE "0000", BRCODE_E_AFTER_CRC, "63");
	/* the CRC after the damage is still checked */
	snprintf(buf, sizeof buf, "%s", BCB_EXAMPLE);
	buf[40] = 'X';
	expect_error(buf, BRCODE_E_CRC_MISMATCH, NULL);
	/* 513 characters */
	memset(buf, '0', 513);
	buf[513] = '\0';
	expect_error(buf, BRCODE_E_TOO_LONG, "");
	/* first object */
	expect_error(
	    with_crc("01021200020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" MIDDLE TAIL,
	             buf, sizeof buf),
	    BRCODE_E_FIRST, "00");
	expect_error(with_crc("000202"
	                      "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" MIDDLE TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_FIRST, "00");
	/* CRC object */
	expect_error(HEAD MIDDLE TAIL, BRCODE_E_NO_CRC, "63");
	expect_error(HEAD MIDDLE TAIL "6304", BRCODE_E_CRC_FORMAT, "63");
	expect_error(HEAD MIDDLE TAIL "630512345", BRCODE_E_CRC_FORMAT, "63");
	expect_error(HEAD MIDDLE TAIL "6304ZZZZ", BRCODE_E_CRC_FORMAT, "63");
	expect_error(HEAD MIDDLE TAIL "6304ABCD", BRCODE_E_CRC_MISMATCH, "63");
	/* duplicates */
	expect_error(with_crc(HEAD MIDDLE "5802BR" TAIL, buf, sizeof buf), BRCODE_E_DUPLICATE, "58");
	expect_error(with_crc("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" MIDDLE
	                      "62140503***0503abc",
	                      buf, sizeof buf),
	             BRCODE_E_DUPLICATE, "62-05");
	/* 62 that is not made of objects */
	expect_error(with_crc(HEAD MIDDLE "62080503***6", buf, sizeof buf), BRCODE_E_TEMPLATE, NULL);
}

static void test_decode_fields(void **state)
{
	(void)state;
	char buf[700];
	/* mandatory objects */
	expect_error(with_crc(HEAD "530398658"
	                           "02BR5913Fulano de Tal6008BRASILIA" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_MISSING, "52");
	expect_error(with_crc(HEAD MIDDLE, buf, sizeof buf), BRCODE_E_NO_62, "62");
	expect_error(with_crc(HEAD MIDDLE "62050701X", buf, sizeof buf), BRCODE_E_NO_TXID, "62");
	expect_error(with_crc(HEAD "5204000A530398658"
	                           "02BR5913Fulano de Tal6008BRASILIA" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_MCC, "52");
	expect_error(with_crc(HEAD "52040000530384058"
	                           "02BR5913Fulano de Tal6008BRASILIA" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_CURRENCY, "53");
	expect_error(with_crc(HEAD "52040000530398658"
	                           "02US5913Fulano de Tal6008BRASILIA" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_COUNTRY, "58");
	expect_error(with_crc(HEAD "52040000530398658"
	                           "02BR59006008BRASILIA" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_NAME, "59");
	expect_error(with_crc(HEAD "52040000530398658"
	                           "02BR5903Ana6016CIDADE MUITO LON" TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_CITY, "60");
	/* 01 */
	expect_error(with_crc("000201010213"
	                      "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" MIDDLE TAIL,
	                      buf, sizeof buf),
	             BRCODE_E_INITIATION, "01");
	/* amounts */
	expect_error(with_crc(HEAD "52040000530398654040.005802BR5903Ana6003Rio" TAIL, buf, sizeof buf),
	             BRCODE_E_AMOUNT, "54");
	expect_error(with_crc(HEAD "52040000530398654041,005802BR5903Ana6003Rio" TAIL, buf, sizeof buf),
	             BRCODE_E_AMOUNT, "54");
	expect_error(
	    with_crc(HEAD "5204000053039865414123456789012.05802BR5903Ana6003Rio" TAIL, buf, sizeof buf),
	    BRCODE_E_AMOUNT, "54");
	expect_warning(with_crc(HEAD "5204000053039865403.505802BR5903Ana6003Rio" TAIL, buf, sizeof buf),
	               BRCODE_W_AMOUNT_FORM, "54");
	assert_int_equal(info.amount_cents, 50);
	/* txid */
	expect_error(with_crc(HEAD MIDDLE "62080504A B1", buf, sizeof buf), BRCODE_E_TXID, "62-05");
	expect_error(with_crc(HEAD MIDDLE "62300526ABCDEFGHIJKLMNOPQRSTUVWXYZ", buf, sizeof buf),
	             BRCODE_E_TXID, "62-05");
	expect_error(with_crc(HEAD MIDDLE "62040500", buf, sizeof buf), BRCODE_E_TXID, "62-05");
	/* postal code */
	expect_warning(with_crc(HEAD MIDDLE "61090131-0100" TAIL, buf, sizeof buf), BRCODE_W_POSTAL_CODE,
	               "61");
}

static void test_decode_pix_template(void **state)
{
	(void)state;
	char buf[700];
	/* no Pix GUI; the obsolete draft GUI is named */
	expect_error(with_crc("00020126180014br.gov.bcb.xyz" MIDDLE TAIL, buf, sizeof buf), BRCODE_E_NOT_PIX,
	             NULL);
	expect_error(with_crc("00020126330014br.gov.bcb.spi0111a@b.example" MIDDLE TAIL, buf, sizeof buf),
	             BRCODE_E_NOT_PIX, "26");
	assert_non_null(strstr(info.problems[0].msg, "obsolete"));
	/* the Pix template may be any of 26-51, GUI in any case */
	assert_int_equal(
	    decode(with_crc("00020127290014BR.GOV.BCB.PIX0107a@b.com" MIDDLE TAIL, buf, sizeof buf)), 0);
	assert_int_equal(info.pix_template, 27);
	/* a template of another arrangement need not be made of objects */
	assert_int_equal(
	    decode(with_crc("00020126290014br.gov.bcb.pix0107a@b.com2705abcde" MIDDLE TAIL, buf, sizeof buf)),
	    0);
	/* two Pix templates */
	expect_error(
	    with_crc("00020126290014br.gov.bcb.pix0107a@b.com27290014br.gov.bcb.pix0107c@d.com" MIDDLE TAIL,
	             buf, sizeof buf),
	    BRCODE_E_DUPLICATE, "27");
	/* key and URL, neither */
	expect_error(
	    with_crc("00020126430014br.gov.bcb.pix0107a@b.com2510pix.ex.com" MIDDLE TAIL, buf, sizeof buf),
	    BRCODE_E_KEY_AND_URL, "26");
	expect_error(with_crc("00020126180014br.gov.bcb.pix" MIDDLE TAIL, buf, sizeof buf),
	             BRCODE_E_NO_KEY_OR_URL, "26");
	/* key: empty, too long, unknown type */
	expect_error(with_crc("00020126220014br.gov.bcb.pix0100" MIDDLE TAIL, buf, sizeof buf), BRCODE_E_KEY,
	             "26-01");
	/* 77 characters, the most that fits: a length the key may have */
	expect_warning(
	    with_crc(
	        "00020126990014br.gov.bcb.pix0177"
	        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" MIDDLE TAIL,
	        buf, sizeof buf),
	    BRCODE_W_KEY_FORMAT, "26-01");
	expect_warning(
	    with_crc("00020126330014br.gov.bcb.pix0111119998877665204000053039865802BR5903Ana6003Rio" TAIL,
	             buf, sizeof buf),
	    BRCODE_W_KEY_FORMAT, "26-01");
	expect_warning(with_crc("00020126290014br.gov.bcb.pix0107A@B.COM" MIDDLE TAIL, buf, sizeof buf),
	               BRCODE_W_KEY_CASE, "26-01");
	/* FSS */
	expect_error(
	    with_crc("00020126400014br.gov.bcb.pix0107a@b.com0307ABCDEFG" MIDDLE TAIL, buf, sizeof buf),
	    BRCODE_E_FSS, "26-03");
	/* description outside ASCII: a warning */
	expect_warning(
	    with_crc("00020126370014br.gov.bcb.pix0107a@b.com0204Ação" MIDDLE TAIL, buf, sizeof buf),
	    BRCODE_W_NON_ASCII, "26-02");
	/* URL */
	expect_error(
	    with_crc("00020126420014br.gov.bcb.pix2520https://pix.ex.com/a" MIDDLE TAIL, buf, sizeof buf),
	    BRCODE_E_URL, "26-25");
	expect_error(
	    with_crc("00020126410014br.gov.bcb.pix2519HTTP://pix.ex.com/a" MIDDLE TAIL, buf, sizeof buf),
	    BRCODE_E_URL, "26-25");
	expect_error(with_crc("00020126220014br.gov.bcb.pix2500" MIDDLE TAIL, buf, sizeof buf), BRCODE_E_URL,
	             "26-25");
	/* dynamic code: txid and amount ignored, with warnings */
	expect_warning(with_crc("00020126340014br.gov.bcb.pix2512pix.ex.com/a52040000530398654041.00"
	                        "5802BR5903Ana6003Rio62070503ABC",
	                        buf, sizeof buf),
	               BRCODE_W_DYNAMIC_TXID, "62-05");
	assert_true(has_problem(&info, BRCODE_W_DYNAMIC_AMOUNT, "54"));
	assert_int_equal(info.kind, BRCODE_DYNAMIC);
	/* recurrence only: 26 holds the GUI, 80 the URL */
	assert_int_equal(decode(with_crc("00020126180014br.gov.bcb.pix" MIDDLE TAIL
	                                 "80340014br.gov.bcb.pix2512pix.ex.com/r",
	                                 buf, sizeof buf)),
	                 0);
	assert_int_equal(info.kind, BRCODE_RECURRENCE);
	assert_int_equal(info.recurrence_url.len, 12);
	expect_error(with_crc("00020126180014br.gov.bcb.pix" MIDDLE TAIL
	                      "80380014br.gov.bcb.pix2516https://ex.com/r",
	                      buf, sizeof buf),
	             BRCODE_E_URL, "80-25");
}

static void test_decode_many_problems(void **state)
{
	(void)state;
	char buf[700];
	/* every problem is listed, not only the first */
	decode(with_crc("000201010299"
	                "26180014br.gov.bcb.pix52040000530384054040.005802US59006000",
	                buf, sizeof buf));
	assert_true(info.nerrors >= 8);
	assert_true(has_problem(&info, BRCODE_E_INITIATION, "01"));
	assert_true(has_problem(&info, BRCODE_E_CURRENCY, "53"));
	assert_true(has_problem(&info, BRCODE_E_AMOUNT, "54"));
	assert_true(has_problem(&info, BRCODE_E_COUNTRY, "58"));
	assert_true(has_problem(&info, BRCODE_E_NAME, "59"));
	assert_true(has_problem(&info, BRCODE_E_CITY, "60"));
	assert_true(has_problem(&info, BRCODE_E_NO_62, "62"));
	assert_true(has_problem(&info, BRCODE_E_NO_KEY_OR_URL, "26"));
	for (int i = 0; i < info.nproblems; i++)
		assert_true(info.problems[i].msg[0] != '\0');
	assert_string_equal(brcode_problem_name(BRCODE_E_CRC_MISMATCH), "crc_mismatch");
	assert_string_equal(brcode_kind_name(BRCODE_RECURRENCE), "recurrence");
}

/* ---- the shared vectors ---- */

static const char *interop_dir(void)
{
	const char *e = getenv("CONCILIA_INTEROP");
	return e && *e ? e : SHARED_INTEROP_DIR;
}

#define MAX_COLS 16

static int split_tabs(char *line, char **col)
{
	int n = 0;
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	col[n++] = line;
	for (char *p = line; *p && n < MAX_COLS; p++)
		if (*p == '\t') {
			*p = '\0';
			col[n++] = p + 1;
		}
	return n;
}

/* The notes column says in words why a row is rejected or warned about;
 * each phrase below names the problem our decoder must report for it.
 * A reject row that no phrase explains fails the test: a new row needs
 * its reason added here. */
struct reason {
	const char *phrase;
	enum brcode_problem_code code;
	const char *field;  /* NULL: any */
	const char *unless; /* not when the notes say this too */
};

static const struct reason reject_reasons[] = {
    {"ID 00 mangled", BRCODE_E_FIRST, "00", NULL},
    {"is wrong (computed", BRCODE_E_CRC_MISMATCH, "63", NULL},
    {"CRC written with 3 hex digits", BRCODE_E_CRC_FORMAT, "63", NULL},
    {"62 declares length 08 but holds 7", BRCODE_E_TEMPLATE, NULL, NULL},
    {"59 has 26 chars", BRCODE_E_NAME, "59", NULL},
    {"59 has 28 chars", BRCODE_E_NAME, "59", NULL},
    {"emoji in 62-05", BRCODE_E_TXID, "62-05", NULL},
    {"26-25 url", BRCODE_E_URL, "26-25", NULL},
    {"513 characters", BRCODE_E_TOO_LONG, NULL, NULL},
    {"length digits \"0A\" are not numeric", BRCODE_E_TLV, NULL, NULL},
    {"not a BR Code at all", BRCODE_E_TLV, NULL, NULL},
    {"ID 42 declares 13 chars", BRCODE_E_TRUNCATED, "42", NULL},
    {"first character of a valid Inter code deleted", BRCODE_E_FIRST, "00", NULL},
    {"CRC replaced by", BRCODE_E_CRC_MISMATCH, "63", NULL},
    {"has \"_\"", BRCODE_E_TXID, "62-05", NULL},
    /* a txid beyond the broken structure cannot be read */
    {"has \"-\"", BRCODE_E_TXID, "62-05", "txid also has"},
    {"no 62", BRCODE_E_NO_62, "62", NULL},
    {"obsolete draft GUI br.gov.bcb.spi", BRCODE_E_NOT_PIX, NULL, NULL},
    {"computed over UTF-16", BRCODE_E_CRC_MISMATCH, "63", NULL},
    {"tag reads 6303", BRCODE_E_CRC_FORMAT, "63", NULL},
    {"CRC hex in lower case", BRCODE_E_CRC_FORMAT, "63", NULL},
    {"63 declares 4 chars, none present", BRCODE_E_CRC_FORMAT, "63", NULL},
};

static const struct reason warn_reasons[] = {
    {"non-ANS char in 60", BRCODE_W_NON_ASCII, "60", NULL},
    {"non-ASCII city", BRCODE_W_NON_ASCII, "60", NULL},
    {"dynamic carrying 54", BRCODE_W_DYNAMIC_AMOUNT, "54", NULL},
    {"value in 62-05", BRCODE_W_DYNAMIC_TXID, "62-05", NULL},
    {"txid in 62-05 of a dynamic code", BRCODE_W_DYNAMIC_TXID, "62-05", NULL},
    {"without decimals", BRCODE_W_AMOUNT_FORM, "54", NULL},
    {"one decimal", BRCODE_W_AMOUNT_FORM, "54", NULL},
    {"fails DICT rules", BRCODE_W_KEY_FORMAT, "26-01", NULL},
    {"postal code has 9 digits", BRCODE_W_POSTAL_CODE, "61", NULL},
    {"e-mail key in upper case", BRCODE_W_KEY_CASE, "26-01", NULL},
};

/* Checks one decoded text column against the TSV (empty = absent). */
static int field_agrees(const char *what, const char *want, struct brcode_text got, int row)
{
	size_t n = strlen(want);
	if ((n == 0 && !got.s) || (got.s && got.len == n && memcmp(got.s, want, n) == 0))
		return 1;
	print_message("row %d: %s is '%.*s', the vectors say '%s'\n", row, what, got.s ? (int)got.len : 0,
	              got.s ? got.s : "", want);
	return 0;
}

static void test_vectors(void **state)
{
	(void)state;
	char path[1024], line[8192];
	snprintf(path, sizeof path, "%s/pix/brcode-vectors.tsv", interop_dir());
	FILE *fp = fopen(path, "r");
	if (!fp) {
		print_message("SKIP: %s not found (set CONCILIA_INTEROP)\n", path);
		skip();
	}
	int rows = 0, failures = 0, valid_rows = 0, rejected_rows = 0;
	assert_non_null(fgets(line, sizeof line, fp)); /* header */
	assert_non_null(strstr(line, "payload\tis_valid\tkind"));
	while (fgets(line, sizeof line, fp)) {
		char *c[MAX_COLS];
		if (line[0] == '\n' || split_tabs(line, c) < 10)
			continue;
		rows++;
		const char *payload = c[0], *notes = c[9];
		int want_valid = strcmp(c[1], "1") == 0;
		int rc = brcode_decode(payload, strlen(payload), &info);
		int bad = 0;
		if ((rc == 0) != want_valid) {
			print_message("row %d: decoder says %s, the vectors say %s\n", rows,
			              rc == 0 ? "valid" : "invalid", want_valid ? "valid" : "invalid");
			bad = 1;
		}
		if (want_valid) {
			valid_rows++;
			if (strcmp(brcode_kind_name(info.kind), c[2]) != 0) {
				print_message("row %d: kind %s, the vectors say %s\n", rows,
				              brcode_kind_name(info.kind), c[2]);
				bad = 1;
			}
			bad |= !field_agrees("key", c[3], info.key, rows);
			bad |= !field_agrees("amount", c[4], info.amount, rows);
			bad |= !field_agrees("txid", c[5], info.txid, rows);
			bad |= !field_agrees("merchant name", c[6], info.name, rows);
			bad |= !field_agrees("merchant city", c[7], info.city, rows);
			const char *u = strstr(notes, "url=");
			if (u && info.kind == BRCODE_DYNAMIC) {
				char url[128];
				snprintf(url, sizeof url, "%.*s", (int)strcspn(u + 4, "; "), u + 4);
				bad |= !field_agrees("url", url, info.url, rows);
			}
			/* every warning the notes state is reported; a row that
			 * states none gets none */
			int stated = 0;
			for (size_t k = 0; k < sizeof warn_reasons / sizeof warn_reasons[0]; k++) {
				if (!strstr(notes, warn_reasons[k].phrase))
					continue;
				stated++;
				if (!has_problem(&info, warn_reasons[k].code, warn_reasons[k].field)) {
					print_message("row %d: no warning %s on %s ('%s')\n", rows,
					              brcode_problem_name(warn_reasons[k].code),
					              warn_reasons[k].field, warn_reasons[k].phrase);
					bad = 1;
				}
			}
			if (!strstr(notes, "warn") && info.nwarnings != stated) {
				print_message("row %d: %d warnings, the notes state %d\n", rows,
				              info.nwarnings, stated);
				bad = 1;
			}
		} else {
			rejected_rows++;
			int stated = 0;
			for (size_t k = 0; k < sizeof reject_reasons / sizeof reject_reasons[0]; k++) {
				if (!strstr(notes, reject_reasons[k].phrase) ||
				    (reject_reasons[k].unless && strstr(notes, reject_reasons[k].unless)))
					continue;
				stated++;
				if (!has_problem(&info, reject_reasons[k].code, reject_reasons[k].field)) {
					print_message("row %d: no error %s on %s for '%s'\n", rows,
					              brcode_problem_name(reject_reasons[k].code),
					              reject_reasons[k].field ? reject_reasons[k].field
					                                      : "(any)",
					              reject_reasons[k].phrase);
					bad = 1;
				}
			}
			if (!stated) {
				print_message("row %d: no reason in this test matches the notes '%s'\n", rows,
				              notes);
				bad = 1;
			}
		}
		if (bad) {
			dump_problems(&info);
			failures++;
		}
	}
	fclose(fp);
	print_message("brcode vectors: %d rows (%d valid, %d rejected), %d disagreements\n", rows, valid_rows,
	              rejected_rows, failures);
	assert_true(rows >= 60);
	assert_true(valid_rows > 0 && rejected_rows > 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc),
	    cmocka_unit_test(test_amount),
	    cmocka_unit_test(test_key_classify),
	    cmocka_unit_test(test_key_normalize),
	    cmocka_unit_test(test_encode_bcb_example),
	    cmocka_unit_test(test_encode_static_fields),
	    cmocka_unit_test(test_encode_dynamic),
	    cmocka_unit_test(test_encode_transliteration),
	    cmocka_unit_test(test_encode_refusals),
	    cmocka_unit_test(test_decode_valid),
	    cmocka_unit_test(test_decode_structure),
	    cmocka_unit_test(test_decode_fields),
	    cmocka_unit_test(test_decode_pix_template),
	    cmocka_unit_test(test_decode_many_problems),
	    cmocka_unit_test(test_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
