/* Tests for src/codec/boleto.c and boleto_bank.c: check digits, the fator
 * de vencimento and its 2025 reset, the decoding window, barcode <-> linha,
 * arrecadação, every bank layout; then every row of the shared vectors
 * (interop/boleto/ TSV files), skipped with a message when that folder is
 * absent. Hand-made expectations below were computed by hand or by a
 * separate script following reference/boleto.md, never by this code. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "core/date.h"
#include "core/diag.h"
#include "core/money.h"

static cdate ymd(int y, int m, int d)
{
	cdate c = date_from_ymd(y, m, d);
	assert_int_not_equal(c, CDATE_NONE);
	return c;
}

static cdate iso(const char *s)
{
	cdate c;
	assert_int_equal(date_parse_iso(s, strlen(s), &c), 0);
	return c;
}

/* ---- check digits ---- */

static void test_mod10(void **state)
{
	(void)state;
	/* Itaú manual worked example (reference/boleto.md §1) */
	assert_int_equal(boleto_mod10("341911012", 9), 1);
	assert_int_equal(boleto_mod10("3456788005", 10), 8);
	assert_int_equal(boleto_mod10("7123457000", 10), 1);
	assert_int_equal(boleto_mod10("00571234511012345678", 20), 8); /* nosso número DAC */
	assert_int_equal(boleto_mod10("005712345", 9), 7);             /* account DAC */
	assert_int_equal(boleto_mod10("0", 1), 0);                     /* sum 0 -> 0, not 10 */
	assert_int_equal(boleto_mod10("9", 1), 1);                     /* 18 -> 1+8 = 9 */
}

static void test_mod11_barcode(void **state)
{
	(void)state;
	assert_int_equal(boleto_barcode_dv("34196166700000123451101234567880057123457000"), 6);
	/* all zeros: r = 0, d = 11 -> 1; a DV of 0 never comes out */
	assert_int_equal(boleto_barcode_dv("00000000000000000000000000000000000000000000"), 1);
	/* same weights over the 43 digits directly */
	assert_int_equal(boleto_mod11_barcode("3419166700000123451101234567880057123457000", 43), 6);
	assert_int_equal(boleto_mod11_sum("3419166700000123451101234567880057123457000", 43, 2, 9), 742);
}

static void test_mod11_arrecadacao(void **state)
{
	(void)state;
	/* r = 0 -> 0, r = 1 -> 0, r = 10 -> 1 */
	assert_int_equal(boleto_mod11_arrecadacao("0", 1), 0);
	assert_int_equal(boleto_mod11_arrecadacao("6", 1), 0); /* 12 mod 11 = 1 */
	assert_int_equal(boleto_mod11_arrecadacao("5", 1), 1); /* 10 */
	assert_int_equal(boleto_mod11_arrecadacao("1", 1), 9); /* 2 -> 9 */
}

struct dv_case {
	enum boleto_dv_rule rule;
	const char *digits;
	const char *dv;
};

static void test_bank_dv_rules(void **state)
{
	(void)state;
	/* manual examples (reference/boleto.md, evidence §1-§3) and synthetic
	 * numbers whose DVs a separate script computed from the rules */
	static const struct dv_case cases[] = {
	    {BOLETO_DV_MOD11_BB, "05009401448", "1"}, /* BB manual 05009401448-1 */
	    {BOLETO_DV_MOD11_BB, "00771234567", "9"},
	    {BOLETO_DV_MOD11_BB, "98760000123", "X"}, /* d = 10 */
	    {BOLETO_DV_MOD11_BRADESCO, "0900000012345", "8"},
	    {BOLETO_DV_MOD11_BRADESCO, "0600000000099", "1"},
	    {BOLETO_DV_MOD11_BRADESCO, "0900000000002", "P"}, /* r = 1 */
	    {BOLETO_DV_MOD11_BRADESCO, "0900000000007", "0"}, /* r = 0 */
	    {BOLETO_DV_MOD11_SANTANDER, "566612457800", "2"}, /* Santander manual */
	    {BOLETO_DV_MOD11_SANTANDER, "000000000123", "6"},
	    {BOLETO_DV_MOD11_SANTANDER, "000000000005", "1"}, /* r = 10 -> 1 */
	    {BOLETO_DV_MOD11_CEF, "005507", "7"},             /* CEF manual código 005507-7 */
	    {BOLETO_DV_MOD11_CEF, "123456", "0"},             /* 11 - r = 10 -> 0 */
	    {BOLETO_DV_MOD11_CEF, "654321", "9"},
	    {BOLETO_DV_MOD11_BNB, "0001234", "3"},
	    {BOLETO_DV_MOD11_BNB, "0099999", "7"},
	    {BOLETO_DV_MOD11_SICOOB, "123400007654320000042", "4"}, /* coop + cliente(10) + nn */
	    {BOLETO_DV_MOD11_SAFRA, "00001234", "3"},
	    {BOLETO_DV_MOD11_SAFRA, "00000000", "1"}, /* r = 0 -> 1 */
	    {BOLETO_DV_MOD11_SAFRA, "00000006", "0"}, /* r = 1 -> 0 */
	    {BOLETO_DV_BANRISUL_NC, "00001234", "47"},
	    {BOLETO_DV_BANRISUL_NC, "12345678", "25"},
	    {BOLETO_DV_BANRISUL_NC, "00000016", "78"}, /* mod 10 gives 6, bumped to 7 */
	    {BOLETO_DV_BANRISUL_NC, "00000265", "06"}, /* 9 bumped wraps to 0 */
	    {BOLETO_DV_BANESTES_NN, "00001234", "39"},
	    {BOLETO_DV_MOD10, "000112100012345", "8"},
	};
	char out[3];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = boleto_dv(cases[i].rule, cases[i].digits, strlen(cases[i].digits), out);
		if (n != (int)strlen(cases[i].dv) || strcmp(out, cases[i].dv) != 0)
			fail_msg("%s(%s) = %s, expected %s", boleto_dv_rule_name(cases[i].rule),
			         cases[i].digits, out, cases[i].dv);
	}
	assert_int_equal(boleto_dv(BOLETO_DV_NONE, "1", 1, out), -1);
	assert_string_equal(boleto_dv_rule_name(BOLETO_DV_MOD11_SICOOB), "mod11_sicoob");
}

/* ---- fator de vencimento ---- */

static void test_factor_table(void **state)
{
	(void)state;
	static const struct {
		int y, m, d, factor;
	} t[] = {
	    {2000, 7, 3, 1000},  {2008, 2, 1, 3769},   {2025, 2, 21, 9999},  {2025, 2, 22, 1000},
	    {2025, 2, 23, 1001}, {2025, 2, 26, 1004},  {2025, 3, 12, 1018},  {2025, 12, 31, 1312},
	    {2029, 5, 20, 2548}, {2049, 10, 13, 9999}, {2049, 10, 14, 1000}, {2002, 5, 1, 1667},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (boleto_factor_from_date(ymd(t[i].y, t[i].m, t[i].d)) != t[i].factor)
			fail_msg("%04d-%02d-%02d: factor %d, expected %d", t[i].y, t[i].m, t[i].d,
			         boleto_factor_from_date(ymd(t[i].y, t[i].m, t[i].d)), t[i].factor);
	assert_int_equal(BOLETO_FACTOR_BASE, ymd(1997, 10, 7));
	assert_int_equal(BOLETO_FACTOR_FIRST, ymd(2000, 7, 3));
	assert_int_equal(boleto_factor_from_date(ymd(2000, 7, 2)), -1);
	assert_int_equal(boleto_factor_from_date(CDATE_NONE), -1);
}

static void test_factor_window(void **state)
{
	(void)state;
	cdate due, near;
	cdate r = ymd(2025, 6, 15);
	assert_int_equal(boleto_factor_to_date(1000, r, &due, NULL), BOLETO_DUE_DATE);
	assert_int_equal(due, ymd(2025, 2, 22));
	assert_int_equal(boleto_factor_to_date(1000, ymd(2000, 7, 1), &due, NULL), BOLETO_DUE_DATE);
	assert_int_equal(due, ymd(2000, 7, 3));
	assert_int_equal(boleto_factor_to_date(9999, r, &due, NULL), BOLETO_DUE_DATE);
	assert_int_equal(due, ymd(2025, 2, 21));
	assert_int_equal(boleto_factor_to_date(5000, r, &due, NULL), BOLETO_DUE_DATE);
	assert_int_equal(due, ymd(2036, 2, 5));
	assert_int_equal(boleto_factor_to_date(7654, r, &due, NULL), BOLETO_DUE_DATE);
	assert_int_equal(due, ymd(2018, 9, 21));
	assert_int_equal(boleto_factor_to_date(0, r, &due, NULL), BOLETO_DUE_NONE);
	assert_int_equal(due, CDATE_NONE);
	assert_int_equal(boleto_factor_to_date(999, r, &due, NULL), BOLETO_DUE_BELOW_1000);
	assert_int_equal(boleto_factor_to_date(1, r, &due, NULL), BOLETO_DUE_BELOW_1000);
	/* 6614 = 2015-11-16 (3499 days back) or 2040-06-? (5501 ahead): in the gap */
	assert_int_equal(boleto_factor_to_date(6614, r, &due, &near), BOLETO_DUE_OUT_OF_WINDOW);
	assert_int_equal(due, CDATE_NONE);
	assert_int_equal(near, ymd(2015, 11, 16));

	/* edges: R - 3001 and R + 5500 are accepted, one more day is not */
	cdate back = r - 3001, ahead = r + 5500;
	assert_int_equal(boleto_factor_to_date(boleto_factor_from_date(back), r, &due, NULL),
	                 BOLETO_DUE_DATE);
	assert_int_equal(due, back);
	assert_int_equal(boleto_factor_to_date(boleto_factor_from_date(ahead), r, &due, NULL),
	                 BOLETO_DUE_DATE);
	assert_int_equal(due, ahead);
	assert_int_equal(boleto_factor_to_date(boleto_factor_from_date(back - 1), r, &due, NULL),
	                 BOLETO_DUE_OUT_OF_WINDOW);
	assert_int_equal(boleto_factor_to_date(boleto_factor_from_date(ahead + 1), r, &due, NULL),
	                 BOLETO_DUE_OUT_OF_WINDOW);
	assert_true(boleto_due_in_window(back, r));
	assert_true(boleto_due_in_window(ahead, r));
	assert_false(boleto_due_in_window(back - 1, r));
	assert_false(boleto_due_in_window(ahead + 1, r));
	assert_false(boleto_due_in_window(CDATE_NONE, r));
}

static void test_factor_round_trip(void **state)
{
	(void)state;
	/* every day from the first encodable one to 2070 reads back to itself
	 * from the oldest and the newest reference that may still see it */
	for (cdate d = BOLETO_FACTOR_FIRST; d < ymd(2070, 1, 1); d++) {
		int f = boleto_factor_from_date(d);
		assert_true(f >= 1000 && f <= 9999);
		static const int refs[] = {0, 3001, -5500, 1000, -1000};
		for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
			cdate due;
			cdate r = d + refs[i];
			if (r < BOLETO_FACTOR_FIRST - BOLETO_WINDOW_FUTURE)
				continue;
			if (boleto_factor_to_date(f, r, &due, NULL) != BOLETO_DUE_DATE || due != d)
				fail_msg("day %d factor %d ref %+d read back as %d", (int)d, f, refs[i],
				         (int)due);
		}
	}
}

/* ---- barcode and linha ---- */

static void test_itau_worked_example(void **state)
{
	(void)state;
	struct boleto_request rq = {
	    .bank = 341,
	    .agency = "0057",
	    .account = "12345",
	    .wallet = "110",
	    .nosso_numero = "12345678",
	    .due = ymd(2002, 5, 1),
	    .amount_cents = 12345,
	};
	struct boleto_slip s;
	struct diag d;
	diag_clear(&d);
	assert_int_equal(boleto_encode(&rq, &s, &d), 0);
	assert_string_equal(s.nosso_numero_dv, "8");
	assert_string_equal(s.nosso_numero, "110/12345678");
	assert_string_equal(s.campo_livre, "1101234567880057123457000");
	assert_string_equal(s.barcode, "34196166700000123451101234567880057123457000");
	assert_string_equal(s.linha, "34191101213456788005871234570001616670000012345");
	assert_string_equal(s.linha_formatted, "34191.10121 34567.880058 71234.570001 6 16670000012345");
	assert_int_equal(s.factor, 1667);

	char back[45];
	boleto_linha_to_barcode(s.linha, back);
	assert_string_equal(back, s.barcode);

	/* an account DV from configuration that is not the DAC is refused */
	rq.account = "12345-3";
	assert_int_equal(boleto_encode(&rq, &s, &d), -1);
	assert_string_equal(d.field, "conta_dv");
	rq.account = "12345-7";
	assert_int_equal(boleto_encode(&rq, &s, &d), 0);
}

static void test_itau_short_dac_wallet(void **state)
{
	(void)state;
	/* carteira 168: DAC over carteira + nn only (computed by hand) */
	struct boleto_request rq = {
	    .bank = 341,
	    .agency = "0057",
	    .account = "12345",
	    .wallet = "168",
	    .nosso_numero = "12345678",
	    .due = ymd(2002, 5, 1),
	    .amount_cents = 12345,
	};
	struct boleto_slip s;
	struct diag d;
	assert_int_equal(boleto_encode(&rq, &s, &d), 0);
	assert_string_equal(s.nosso_numero_dv, "7");
	assert_string_equal(s.campo_livre, "1681234567870057123457000");
	assert_string_equal(s.barcode, "34193166700000123451681234567870057123457000");
	assert_string_equal(s.linha, "34191681293456787005971234570001316670000012345");
	/* written "0168" or as a number, it is still the exception carteira */
	rq.wallet = "0168";
	assert_int_equal(boleto_encode(&rq, &s, &d), 0);
	assert_string_equal(s.nosso_numero_dv, "7");
}

static void test_no_due_date_and_limits(void **state)
{
	(void)state;
	char bc[45];
	struct diag d;
	const char *campo = "1101234567880057123457000";
	assert_int_equal(boleto_barcode_build(341, CDATE_NONE, 0, campo, bc, &d), 0);
	assert_memory_equal(bc + 5, "00000000000000", 14);
	assert_int_equal(boleto_barcode_build(341, ymd(2000, 7, 2), 100, campo, bc, &d), -1);
	assert_string_equal(d.field, "due");
	assert_int_equal(boleto_barcode_build(341, ymd(2020, 1, 1), BOLETO_MAX_CENTS, campo, bc, &d), 0);
	assert_memory_equal(bc + 9, "9999999999", 10);
	assert_int_equal(boleto_barcode_build(341, ymd(2020, 1, 1), BOLETO_MAX_CENTS + 1, campo, bc, &d), -1);
	assert_string_equal(d.field, "amount");
	assert_int_equal(boleto_barcode_build(341, ymd(2020, 1, 1), -1, campo, bc, &d), -1);
	assert_int_equal(boleto_barcode_build(0, ymd(2020, 1, 1), 1, campo, bc, &d), -1);
	assert_int_equal(boleto_barcode_build(341, ymd(2020, 1, 1), 1, "123", bc, &d), -1);
	assert_int_equal(boleto_barcode_build(341, ymd(2020, 1, 1), 1, "11012345678800571234570X0", bc, &d),
	                 -1);
}

static int has_problem(const struct boleto_info *in, enum boleto_problem_code code, int where, int expected,
                       int found)
{
	for (int i = 0; i < in->nproblems; i++) {
		const struct boleto_problem *p = &in->problems[i];
		if (p->code == code && (where < 0 || p->where == where) &&
		    (expected < 0 || p->expected == expected) && (found < 0 || p->found == found))
			return 1;
	}
	return 0;
}

static void test_check_bancario(void **state)
{
	(void)state;
	struct boleto_info in;
	struct diag d;
	cdate r = ymd(2002, 4, 1);
	const char *l = "34191.10121 34567.880058 71234.570001 6 16670000012345";
	assert_int_equal(boleto_check(l, strlen(l), r, &in, &d), 0);
	assert_int_equal(in.kind, BOLETO_BANCARIO);
	assert_int_equal(in.form, BOLETO_FORM_LINHA);
	assert_string_equal(in.barcode, "34196166700000123451101234567880057123457000");
	assert_int_equal(in.bank, 341);
	assert_int_equal(in.factor, 1667);
	assert_int_equal(in.due_status, BOLETO_DUE_DATE);
	assert_int_equal(in.due, ymd(2002, 5, 1));
	assert_int_equal(in.amount_cents, 12345);
	assert_string_equal(in.campo_livre, "1101234567880057123457000");
	assert_string_equal(d.msg, "");

	const char *b = "34196166700000123451101234567880057123457000";
	assert_int_equal(boleto_check(b, strlen(b), r, &in, NULL), 0);
	assert_int_equal(in.form, BOLETO_FORM_BARCODE);
	assert_string_equal(in.linha, "34191101213456788005871234570001616670000012345");

	/* field 2 DV changed 8 -> 3: named, with both values; nothing repaired */
	const char *bad = "34191.10121 34567.880053 71234.570001 6 16670000012345";
	assert_int_equal(boleto_check(bad, strlen(bad), r, &in, &d), -1);
	assert_int_equal(in.nproblems, 1);
	assert_true(has_problem(&in, BOLETO_P_FIELD_DV, 2, 8, 3));
	assert_string_equal(d.field, "linha");
	assert_string_equal(d.msg, "field 2 DV: expected 8, found 3");

	/* general DV */
	const char *bad2 = "34195166700000123451101234567880057123457000";
	assert_int_equal(boleto_check(bad2, strlen(bad2), r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_GENERAL_DV, 5, 6, 5));
	assert_string_equal(d.field, "barcode");
	assert_non_null(strstr(d.msg, "expected 6, found 5"));

	/* currency and DV 0 together: both listed */
	const char *zeros = "00000000000000000000000000000000000000000000";
	assert_int_equal(boleto_check(zeros, 44, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_CURRENCY, 4, 9, 0));
	assert_true(has_problem(&in, BOLETO_P_GENERAL_DV, 5, 1, 0));
	assert_non_null(strstr(d.msg, "never valid"));

	/* lengths and characters */
	assert_int_equal(boleto_check("123456789", 9, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_LENGTH, -1, -1, 9));
	assert_non_null(strstr(d.msg, "length 9"));
	assert_int_equal(boleto_check("", 0, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_EMPTY, -1, -1, -1));
	assert_int_equal(boleto_check("3419/1", 6, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_NOT_DIGIT, 5, -1, '/'));
	assert_int_equal(d.col, 5);
	assert_non_null(strstr(d.msg, "'/' at position 5"));
	char nul[3] = {'1', '\0', '2'};
	assert_int_equal(boleto_check(nul, 3, r, &in, &d), -1);
	assert_non_null(strstr(d.msg, "0x00"));
	/* 48 digits not starting with 8, 47 starting with 8 */
	const char *l48 = "512345678901234567890123456789012345678901234567";
	assert_int_equal(boleto_check(l48, 48, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_LINE48_NOT_8, -1, -1, 5));
	const char *a47 = "81234567890123456789012345678901234567890123456";
	assert_int_equal(boleto_check(a47, 47, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_ARREC_LENGTH, -1, -1, 47));
	/* an overlong input is counted, not stored */
	char big[200];
	memset(big, '1', sizeof big);
	assert_int_equal(boleto_check(big, sizeof big, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_LENGTH, -1, -1, 200));
}

static void test_check_window_in_decoding(void **state)
{
	(void)state;
	struct boleto_info in;
	struct diag d;
	/* a valid code whose factor (6614) falls in the safety gap for R */
	char bc[45];
	assert_int_equal(
	    boleto_barcode_build(1, ymd(2015, 11, 16), 102656, "1101234567880057123457000", bc, &d), 0);
	assert_int_equal(boleto_check(bc, 44, ymd(2025, 6, 15), &in, &d), 0);
	assert_int_equal(in.factor, 6614);
	assert_int_equal(in.due_status, BOLETO_DUE_OUT_OF_WINDOW);
	assert_int_equal(in.due, CDATE_NONE);
	assert_int_equal(in.due_nearest, ymd(2015, 11, 16));
	/* read in 2016 it is a plain date */
	assert_int_equal(boleto_check(bc, 44, ymd(2016, 1, 1), &in, &d), 0);
	assert_int_equal(in.due, ymd(2015, 11, 16));
}

static void test_arrecadacao(void **state)
{
	(void)state;
	struct boleto_info in;
	struct diag d;
	cdate r = ymd(2020, 1, 1);
	char line[49];
	/* one digit short of a barcode */
	const char *b43 = "8263000000123450456202503100000000000000001";
	assert_int_equal(boleto_check(b43, 43, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_ARREC_LENGTH, -1, -1, 43));

	/* synthetic (DVs from a separate script): segment 2, value id 6
	 * (mod 10), R$ 123,45, company 0456, free field starting 20250310 */
	const char *good = "82630000001234504562025031000000000000000012";
	assert_int_equal(boleto_check(good, 44, r, &in, &d), 0);
	assert_int_equal(in.kind, BOLETO_ARRECADACAO);
	assert_int_equal(in.segment, 2);
	assert_int_equal(in.value_id, 6);
	assert_int_equal(in.arrec_value, 12345);
	assert_string_equal(in.company, "0456");
	assert_string_equal(in.free_field, "2025031000000000000000012");
	assert_int_equal(in.free_date, ymd(2025, 3, 10));
	assert_int_equal(boleto_arrec_barcode_to_linha(good, line), 0);
	assert_string_equal(line, "826300000013234504562021503100000002000000000125");
	assert_string_equal(in.linha, line);
	char f[BOLETO_LINHA_FMT_SIZE];
	assert_int_equal(boleto_linha_format(line, 48, f), 55);
	assert_string_equal(f, "82630000001-3 23450456202-1 50310000000-2 00000000012-5");
	assert_int_equal(boleto_check(f, strlen(f), r, &in, &d), 0);
	assert_int_equal(in.form, BOLETO_FORM_LINHA);
	assert_string_equal(in.barcode, good);

	/* block 1 DV wrong; general DV wrong; value id 1 */
	const char *b1 = "826300000019234504562021503100000002000000000125";
	assert_int_equal(boleto_check(b1, 48, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_BLOCK_DV, 1, 3, 9));
	assert_string_equal(d.msg, "block 1 DV: expected 3, found 9");
	const char *g = "82690000001234504562025031000000000000000012";
	assert_int_equal(boleto_check(g, 44, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_ARREC_DV, 4, 3, 9));
	const char *v1 = "82130000001234504562025031000000000000000012";
	assert_int_equal(boleto_check(v1, 44, r, &in, &d), -1);
	assert_true(has_problem(&in, BOLETO_P_VALUE_ID, 3, -1, 1));
	assert_int_equal(boleto_arrec_barcode_to_linha(v1, line), -1);

	/* value id 8: mod 11 (remainders 0/1 -> 0, 10 -> 1) */
	const char *m11 = "83800000009876507891234567890123456789012345";
	assert_int_equal(boleto_check(m11, 44, r, &in, &d), 0);
	assert_int_equal(in.value_id, 8);
	assert_int_equal(in.segment, 3);
	assert_int_equal(in.arrec_value, 98765);
	assert_int_equal(boleto_arrec_barcode_to_linha(m11, line), 0);
	assert_string_equal(line, "838000000092876507891237456789012341567890123457");
	assert_non_null(boleto_arrec_segment_name(3));
	assert_null(boleto_arrec_segment_name(8));
}

static void test_arrec_segment6_and_date(void **state)
{
	(void)state;
	/* built here: segment 6, value id 8, CNPJ root 12345678, free field
	 * starting 20250310; general DV by mod11_arrecadacao */
	char bc[45];
	char tmp[43];
	memcpy(tmp, "868", 3);
	memcpy(tmp + 3, "00000001500", 11);
	memcpy(tmp + 14, "12345678", 8);
	memcpy(tmp + 22, "202503109999999999999", 21);
	memcpy(bc, tmp, 3);
	bc[3] = (char)('0' + boleto_mod11_arrecadacao(tmp, 43));
	memcpy(bc + 4, tmp + 3, 40);
	bc[44] = '\0';
	struct boleto_info in;
	struct diag d;
	assert_int_equal(boleto_check(bc, 44, ymd(2025, 1, 1), &in, &d), 0);
	assert_int_equal(in.segment, 6);
	assert_string_equal(in.company, "12345678");
	assert_int_equal(in.arrec_value, 1500);
	assert_int_equal(in.free_date, ymd(2025, 3, 10));
	assert_int_equal((int)strlen(in.free_field), 21);
}

/* ---- encode errors ---- */

static void test_encode_errors(void **state)
{
	(void)state;
	struct boleto_slip s;
	struct diag d;
	struct boleto_request rq = {
	    .bank = 999, .nosso_numero = "1", .due = ymd(2025, 1, 1), .amount_cents = 100};
	assert_int_equal(boleto_encode(&rq, &s, &d), -1);
	assert_string_equal(d.field, "bank");
	rq.bank = 260;
	assert_int_equal(boleto_encode(&rq, &s, &d), -1);
	assert_non_null(strstr(d.msg, "Nu Pagamentos"));

	/* Sicredi without posto */
	struct boleto_request sic = {.bank = 748,
	                             .agency = "1234",
	                             .agreement = "54321",
	                             .nosso_numero = "00042",
	                             .due = ymd(2026, 12, 10),
	                             .amount_cents = 1000};
	assert_int_equal(boleto_encode(&sic, &s, &d), -1);
	assert_string_equal(d.field, "posto");
	assert_non_null(strstr(d.msg, "--opt posto="));
	struct boleto_opt o[2] = {{"posto", "07"}, {"tipo", "3"}};
	sic.opts = o;
	sic.nopts = 2;
	sic.wallet = "1";
	assert_int_equal(boleto_encode(&sic, &s, &d), 0);
	assert_string_equal(s.barcode, "74899165600000010003126200042812340754321109");
	assert_string_equal(s.linha, "74893126240004281234707543211093916560000001000");
	assert_string_equal(s.nosso_numero, "26/200042"); /* year from the due date */
	assert_string_equal(s.nosso_numero_dv, "8");
	/* the same number given as ano + byte + sequence */
	sic.nosso_numero = "26200042";
	assert_int_equal(boleto_encode(&sic, &s, &d), 0);
	assert_string_equal(s.barcode, "74899165600000010003126200042812340754321109");
	/* no due date: the year must be given */
	sic.nosso_numero = "42";
	sic.due = CDATE_NONE;
	assert_int_equal(boleto_encode(&sic, &s, &d), -1);
	assert_string_equal(d.field, "ano");
	sic.due = ymd(2026, 12, 10);
	/* tipo 2 does not exist */
	o[1].value = "2";
	assert_int_equal(boleto_encode(&sic, &s, &d), -1);
	assert_string_equal(d.field, "tipo");

	/* unknown option names the ones the bank takes */
	struct boleto_opt bad = {"posto", "1"};
	struct boleto_request itau = {.bank = 341,
	                              .agency = "0057",
	                              .account = "12345",
	                              .wallet = "110",
	                              .nosso_numero = "12345678",
	                              .due = ymd(2002, 5, 1),
	                              .amount_cents = 1,
	                              .opts = &bad,
	                              .nopts = 1};
	assert_int_equal(boleto_encode(&itau, &s, &d), -1);
	assert_non_null(strstr(d.msg, "seu_numero"));
	/* special carteira without its options */
	itau.nopts = 0;
	itau.wallet = "196";
	assert_int_equal(boleto_encode(&itau, &s, &d), -1);
	assert_string_equal(d.field, "seu_numero");
	/* too many digits, not digits, missing */
	itau.wallet = "110";
	itau.nosso_numero = "123456789";
	assert_int_equal(boleto_encode(&itau, &s, &d), -1);
	assert_string_equal(d.field, "nosso_numero");
	assert_non_null(strstr(d.msg, "at most 8"));
	itau.nosso_numero = "000012345678"; /* leading zeros beyond the width are fine */
	assert_int_equal(boleto_encode(&itau, &s, &d), 0);
	itau.nosso_numero = "12a";
	assert_int_equal(boleto_encode(&itau, &s, &d), -1);
	assert_non_null(strstr(d.msg, "not a number"));
	itau.nosso_numero = "1";
	itau.agency = NULL;
	assert_int_equal(boleto_encode(&itau, &s, &d), -1);
	assert_string_equal(d.field, "agency");

	/* Caixa's cap */
	struct boleto_request cef = {.bank = 104,
	                             .wallet = "RG",
	                             .agreement = "123456",
	                             .nosso_numero = "77",
	                             .due = ymd(2026, 12, 10),
	                             .amount_cents = INT64_C(1000000000)};
	assert_int_equal(boleto_encode(&cef, &s, &d), -1);
	assert_string_equal(d.field, "amount");
	cef.amount_cents = 50000;
	assert_int_equal(boleto_encode(&cef, &s, &d), 0);
	/* the short number got modalidade 1 (RG) and emissão 4 */
	assert_string_equal(s.nosso_numero, "14000000000000077");
	assert_string_equal(s.nosso_numero_dv, "4");
	assert_string_equal(s.barcode, "10492165600000500001234560000100040000000773");
	cef.nosso_numero = "14000000000000077"; /* the same, written in full */
	assert_int_equal(boleto_encode(&cef, &s, &d), 0);
	assert_string_equal(s.barcode, "10492165600000500001234560000100040000000773");
	cef.nosso_numero = "77";
	cef.wallet = NULL;
	assert_int_equal(boleto_encode(&cef, &s, &d), -1);
	assert_string_equal(d.field, "modalidade");
	cef.nosso_numero = "34000000000000006"; /* modalidade 3 does not exist */
	assert_int_equal(boleto_encode(&cef, &s, &d), -1);

	/* BB convênio of 5 digits has no layout */
	struct boleto_request bb = {.bank = 1,
	                            .agency = "1",
	                            .account = "1",
	                            .wallet = "18",
	                            .agreement = "12345",
	                            .nosso_numero = "1",
	                            .due = ymd(2020, 1, 1),
	                            .amount_cents = 1};
	assert_int_equal(boleto_encode(&bb, &s, &d), -1);
	assert_non_null(strstr(d.msg, "4, 6, 7 or 8"));
	/* BB convênio 4 with the X DV: printed, not put in the barcode */
	bb.agreement = "1234";
	bb.nosso_numero = "2";
	assert_int_equal(boleto_encode(&bb, &s, &d), 0);
	assert_string_equal(s.nosso_numero, "12340000002");
	assert_string_equal(s.nosso_numero_dv, "X");
	/* bank that needs an account DV */
	struct boleto_request bnb = {.bank = 4,
	                             .agency = "0123",
	                             .account = "4567",
	                             .wallet = "21",
	                             .nosso_numero = "1234",
	                             .due = ymd(2026, 12, 10),
	                             .amount_cents = 25050};
	assert_int_equal(boleto_encode(&bnb, &s, &d), -1);
	assert_string_equal(d.field, "conta_dv");
	bnb.account = "4567-8";
	assert_int_equal(boleto_encode(&bnb, &s, &d), 0);
	assert_string_equal(s.nosso_numero_dv, "3");
	assert_string_equal(s.barcode, "00494165600000250500123000456780001234321000");
	struct boleto_opt cdv = {"conta_dv", "3"};
	bnb.opts = &cdv;
	bnb.nopts = 1;
	assert_int_equal(boleto_encode(&bnb, &s, &d), -1); /* contradicts "-8" */
	assert_string_equal(d.field, "conta_dv");
	cdv.value = "8";
	bnb.account = "4567";
	assert_int_equal(boleto_encode(&bnb, &s, &d), 0);
	assert_string_equal(s.barcode, "00494165600000250500123000456780001234321000");
}

/* How ambiguous inputs are read (expected values from a separate script). */
static void test_input_readings(void **state)
{
	(void)state;
	struct boleto_slip s;
	struct diag d;
	/* Ailos: 1234567 does not end in its own DV (DV of 123456 is 0), so it
	 * is the account without DV and 9 is appended */
	struct boleto_request ailos = {.bank = 85,
	                               .account = "1234567",
	                               .wallet = "01",
	                               .agreement = "123456",
	                               .nosso_numero = "42",
	                               .due = ymd(2026, 12, 10),
	                               .amount_cents = 1000};
	assert_int_equal(boleto_encode(&ailos, &s, &d), 0);
	assert_string_equal(s.barcode, "08592165600000010001234561234567900000004201");
	assert_non_null(s.note);
	assert_non_null(strstr(s.note, "without its DV"));
	/* 1234560 ends in its DV: nrdconta, taken as is */
	ailos.account = "1234560";
	assert_int_equal(boleto_encode(&ailos, &s, &d), 0);
	assert_string_equal(s.barcode, "08599165600000010001234560123456000000004201");
	assert_non_null(strstr(s.note, "nrdconta"));
	/* saying it removes the guess */
	ailos.account = "1234567-9";
	assert_int_equal(boleto_encode(&ailos, &s, &d), 0);
	assert_string_equal(s.barcode, "08592165600000010001234561234567900000004201");
	assert_null(s.note);

	/* BB convênio 7: the number may carry the convênio in front */
	struct boleto_request bb = {.bank = 1,
	                            .wallet = "18",
	                            .agreement = "1234567",
	                            .nosso_numero = "1",
	                            .due = ymd(2026, 12, 10),
	                            .amount_cents = 1000};
	struct boleto_slip s2;
	assert_int_equal(boleto_encode(&bb, &s, &d), 0);
	assert_string_equal(s.campo_livre, "0000001234567000000000118");
	assert_string_equal(s.nosso_numero, "12345670000000001");
	assert_string_equal(s.nosso_numero_dv, "");
	bb.nosso_numero = "12345670000000001";
	assert_int_equal(boleto_encode(&bb, &s2, &d), 0);
	assert_string_equal(s.barcode, s2.barcode);
	/* convênio 6: up to 5 digits the DV'd layout, beyond it the free 17 */
	bb.agreement = "123456";
	bb.agency = "1";
	bb.account = "2";
	bb.nosso_numero = "99999";
	assert_int_equal(boleto_encode(&bb, &s, &d), 0);
	assert_string_equal(s.campo_livre, "1234569999900010000000218");
	bb.nosso_numero = "100000";
	assert_int_equal(boleto_encode(&bb, &s, &d), 0);
	assert_string_equal(s.campo_livre, "1234560000000000010000021");
	struct boleto_opt sv = {"servico", "21"};
	bb.opts = &sv;
	bb.nopts = 1;
	bb.nosso_numero = "5";
	assert_int_equal(boleto_encode(&bb, &s, &d), 0);
	assert_string_equal(s.campo_livre, "1234560000000000000000521");
	sv.value = "22";
	assert_int_equal(boleto_encode(&bb, &s, &d), -1);
	assert_string_equal(d.field, "servico");

	/* C6: the código may come as agreement or as account */
	struct boleto_request c6 = {.bank = 336,
	                            .account = "6242018",
	                            .wallet = "21",
	                            .nosso_numero = "77",
	                            .due = ymd(2026, 12, 10),
	                            .amount_cents = 1000};
	assert_int_equal(boleto_encode(&c6, &s, &d), 0);
	c6.account = NULL;
	c6.agreement = "000006242018";
	assert_int_equal(boleto_encode(&c6, &s2, &d), 0);
	assert_string_equal(s.barcode, s2.barcode);
	assert_string_equal(s.campo_livre, "0000062420180000000077213");

	/* BRB prints modalidade + number + 070 + the campo's two DVs */
	struct boleto_request brb = {.bank = 70,
	                             .agency = "82",
	                             .account = "528",
	                             .wallet = "2",
	                             .nosso_numero = "1",
	                             .due = ymd(2026, 12, 10),
	                             .amount_cents = 1000};
	assert_int_equal(boleto_encode(&brb, &s, &d), 0);
	assert_memory_equal(s.nosso_numero, "2000001070", 10);
	assert_memory_equal(s.nosso_numero + 10, s.campo_livre + 23, 2);
}

static void test_bank_registry(void **state)
{
	(void)state;
	static const int codes[] = {1,   4,   21,  33,  41,  70,  77,  84,  85,
	                            104, 136, 237, 336, 341, 422, 707, 748, 756};
	size_t n = 0;
	while (boleto_bank_at(n))
		n++;
	assert_int_equal(n, sizeof codes / sizeof codes[0]);
	for (size_t i = 0; i < n; i++) {
		const struct boleto_bank *b = boleto_bank_find(codes[i]);
		assert_non_null(b);
		assert_int_equal(boleto_bank_code(b), codes[i]);
		assert_ptr_equal(boleto_bank_at(i), b);
		assert_non_null(boleto_bank_name(b));
		assert_string_equal(boleto_bank_name_of(codes[i]), boleto_bank_name(b));
	}
	assert_null(boleto_bank_find(999));
	assert_null(boleto_bank_name_of(999));
	char buf[200];
	assert_string_equal(boleto_bank_option_list(boleto_bank_find(237), buf, sizeof buf), "none");
	assert_non_null(
	    strstr(boleto_bank_option_list(boleto_bank_find(748), buf, sizeof buf), "byte (default 2)"));
	assert_true(boleto_bank_takes_option(boleto_bank_find(341), "numero_documento"));
	assert_false(boleto_bank_takes_option(boleto_bank_find(341), "posto"));
}

/* ---- shared vectors ---- */

static const char *interop_dir(void)
{
	const char *e = getenv("CONCILIA_INTEROP");
	return e && *e ? e : SHARED_INTEROP_DIR;
}

static FILE *open_vectors(const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/boleto/%s", interop_dir(), name);
	return fopen(path, "r");
}

#define MAX_COLS 16

/* Splits line (modified) at tabs; returns the number of columns. */
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

struct opts_from_notes {
	char key[8][32];
	char val[8][32];
	struct boleto_opt opt[8];
	size_t n;
};

static void add_opt(struct opts_from_notes *o, const struct boleto_bank *b, const char *key, const char *val,
                    size_t vlen)
{
	if (!boleto_bank_takes_option(b, key) || o->n >= 8 || vlen == 0 || vlen >= 32)
		return;
	snprintf(o->key[o->n], 32, "%s", key);
	memcpy(o->val[o->n], val, vlen);
	o->val[o->n][vlen] = '\0';
	o->opt[o->n].key = o->key[o->n];
	o->opt[o->n].value = o->val[o->n];
	o->n++;
}

/* The notes column writes parameters as "key=value", "key value", "conta
 * dv D" or "conta NNN-D"; only options the bank takes are kept. */
static void parse_notes(const char *notes, const struct boleto_bank *b, struct opts_from_notes *o)
{
	static const char *const spaced[] = {"modalidade",   "parcela",  "produto", "nosso_numero_incremento",
	                                     "billing_type", "variacao", "tipo",    "posto",
	                                     "byte",         "ano",      "iof",     "emissao",
	                                     "servico",      NULL};
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", notes);
	o->n = 0;
	for (char *item = strtok(buf, ";,"); item; item = strtok(NULL, ";,")) {
		while (*item == ' ')
			item++;
		char *eq = strchr(item, '=');
		if (eq) {
			char *k = eq;
			while (k > item && k[-1] != ' ')
				k--;
			char key[32];
			snprintf(key, sizeof key, "%.*s", (int)(eq - k), k);
			size_t vl = strcspn(eq + 1, " )");
			add_opt(o, b, key, eq + 1, vl);
			continue;
		}
		char w1[40];
		if (sscanf(item, "conta dv %39s", w1) == 1 || sscanf(item, "agencia dv %39s", w1) == 1) {
			add_opt(o, b, item[0] == 'c' ? "conta_dv" : "agencia_dv", w1, strcspn(w1, " )"));
			continue;
		}
		if (sscanf(item, "conta %39s", w1) == 1) {
			char *h = strchr(w1, '-');
			if (h && h[1] >= '0' && h[1] <= '9')
				add_opt(o, b, "conta_dv", h + 1, 1);
			continue;
		}
		/* "key digits" anywhere in the item, as a whole word: "modalidade
		 * 01", "(servico 21)" */
		for (int i = 0; spaced[i]; i++) {
			size_t kl = strlen(spaced[i]);
			for (const char *k = strstr(item, spaced[i]); k; k = strstr(k + 1, spaced[i])) {
				if ((k > item && k[-1] != ' ' && k[-1] != '(') || k[kl] != ' ')
					continue;
				const char *v = k + kl + 1;
				size_t vl = strspn(v, "0123456789");
				if (vl)
					add_opt(o, b, spaced[i], v, vl);
				break;
			}
		}
	}
}

static void test_generation_vectors(void **state)
{
	(void)state;
	char path[1024], line[4096];
	FILE *fp = open_vectors("boleto-vectors.tsv", path, sizeof path);
	if (!fp) {
		print_message("SKIP: %s not found (set CONCILIA_INTEROP)\n", path);
		skip();
	}
	int rows = 0, failures = 0;
	int banks_seen[1000] = {0};
	assert_non_null(fgets(line, sizeof line, fp)); /* header */
	while (fgets(line, sizeof line, fp)) {
		char *c[MAX_COLS];
		if (line[0] == '\n' || split_tabs(line, c) < 15)
			continue;
		rows++;
		const char *id = c[12];
		struct boleto_request rq = {0};
		rq.bank = atoi(c[0]);
		banks_seen[rq.bank % 1000] = 1;
		rq.agency = c[1];
		rq.account = c[2];
		rq.wallet = c[3];
		rq.agreement = c[4];
		rq.nosso_numero = c[5];
		const char *why = NULL;
		if (date_parse_iso(c[6], strlen(c[6]), &rq.due) != 0 ||
		    money_parse_decimal(c[7], strlen(c[7]), &rq.amount_cents, &why) != 0) {
			print_message("%s: bad date or amount in the vector\n", id);
			failures++;
			continue;
		}
		const struct boleto_bank *b = boleto_bank_find(rq.bank);
		if (!b) {
			print_message("%s: bank %s not supported\n", id, c[0]);
			failures++;
			continue;
		}
		struct opts_from_notes o;
		parse_notes(c[14], b, &o);
		rq.opts = o.opt;
		rq.nopts = o.n;
		struct boleto_slip s;
		struct diag d;
		diag_clear(&d);
		if (boleto_encode(&rq, &s, &d) != 0) {
			print_message("%s: encode failed: %s: %s\n", id, d.field, d.msg);
			failures++;
			continue;
		}
		if (strcmp(s.nosso_numero_dv, c[8]) != 0 || strcmp(s.barcode, c[9]) != 0 ||
		    strcmp(s.linha, c[10]) != 0) {
			print_message(
			    "%s: got dv '%s' barcode %s linha %s\n%s: want dv '%s' barcode %s linha %s\n", id,
			    s.nosso_numero_dv, s.barcode, s.linha, id, c[8], c[9], c[10]);
			failures++;
			continue;
		}
		/* and the expected forms are valid and convert into each other */
		struct boleto_info in;
		if (boleto_check(c[9], strlen(c[9]), rq.due, &in, &d) != 0 || strcmp(in.linha, c[10]) != 0 ||
		    in.due != rq.due || in.amount_cents != rq.amount_cents ||
		    boleto_check(c[10], strlen(c[10]), rq.due, &in, &d) != 0 ||
		    strcmp(in.barcode, c[9]) != 0) {
			print_message("%s: expected barcode/linha do not check: %s\n", id, d.msg);
			failures++;
		}
	}
	fclose(fp);
	print_message("boleto-vectors.tsv: %d rows, %d failures\n", rows, failures);
	assert_true(rows > 0);
	assert_int_equal(failures, 0);
	/* every bank of the file is one the registry knows */
	for (int i = 1; i < 1000; i++)
		if (banks_seen[i])
			assert_non_null(boleto_bank_find(i));
}

/* The notes state reasons as "c1 DV 2 expected 9", "general DV 9 expected
 * 6", "length 50", "moeda 0", "arrec DV 9 expected 1", "block 1 DV 9
 * expected 5", "ref 1"; every one stated must be among the problems. */
static int reasons_agree(const char *notes, const struct boleto_info *in, const char *id)
{
	int ok = 1, a, b, c;
	const char *p;
	for (p = notes; (p = strstr(p, " DV ")) != NULL; p++) {
		/* "cN DV x expected y" */
		if (p - notes >= 2 && p[-2] == 'c' &&
		    sscanf(p - 1, "%d DV %d expected %d", &a, &b, &c) == 3 &&
		    !has_problem(in, BOLETO_P_FIELD_DV, a, c, b)) {
			print_message("%s: field %d DV %d/%d not reported\n", id, a, b, c);
			ok = 0;
		}
	}
	if ((p = strstr(notes, "general DV ")) && sscanf(p, "general DV %d expected %d", &a, &b) == 2 &&
	    !has_problem(in, BOLETO_P_GENERAL_DV, 5, b, a)) {
		print_message("%s: general DV not reported\n", id);
		ok = 0;
	}
	if ((p = strstr(notes, "arrec DV ")) && sscanf(p, "arrec DV %d expected %d", &a, &b) == 2 &&
	    !has_problem(in, BOLETO_P_ARREC_DV, 4, b, a)) {
		print_message("%s: arrecadação DV not reported\n", id);
		ok = 0;
	}
	if ((p = strstr(notes, "block ")) && sscanf(p, "block %d DV %d expected %d", &a, &b, &c) == 3 &&
	    !has_problem(in, BOLETO_P_BLOCK_DV, a, c, b)) {
		print_message("%s: block DV not reported\n", id);
		ok = 0;
	}
	if ((p = strstr(notes, "moeda ")) && sscanf(p, "moeda %d", &a) == 1 &&
	    !has_problem(in, BOLETO_P_CURRENCY, 4, 9, a)) {
		print_message("%s: currency not reported\n", id);
		ok = 0;
	}
	if ((p = strstr(notes, "ref ")) && sscanf(p, "ref %d", &a) == 1 &&
	    !has_problem(in, BOLETO_P_VALUE_ID, 3, -1, a)) {
		print_message("%s: value identifier not reported\n", id);
		ok = 0;
	}
	if ((p = strstr(notes, "length ")) && sscanf(p, "length %d", &a) == 1) {
		int hit = has_problem(in, BOLETO_P_LENGTH, -1, -1, a) ||
		          has_problem(in, BOLETO_P_ARREC_LENGTH, -1, -1, a) ||
		          (a == 48 && has_problem(in, BOLETO_P_LINE48_NOT_8, -1, -1, -1)) ||
		          (a == 0 && (has_problem(in, BOLETO_P_NOT_DIGIT, -1, -1, -1) ||
		                      has_problem(in, BOLETO_P_EMPTY, -1, -1, -1)));
		if (!hit) {
			print_message("%s: length %d not reported\n", id, a);
			ok = 0;
		}
	}
	return ok;
}

/* "factor N -> DATE ... for reference R", "factor N -> no due date",
 * "factor N falls in the ... safety gap for reference R", "factor N =
 * DATE", "due DATE", "R$ 1.026,56" */
/* "YYYY-MM-DD" at s (not necessarily NUL-terminated after it) */
static int is_iso_date(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static int facts_agree(const char *input, const char *notes, const struct boleto_info *in0, const char *id)
{
	int ok = 1;
	const char *p;
	char date1[11], date2[11];
	int f;
	struct boleto_info in;
	struct diag d;
	if ((p = strstr(notes, "factor ")) && sscanf(p, "factor %d", &f) == 1 &&
	    in0->kind == BOLETO_BANCARIO && in0->factor != f) {
		print_message("%s: factor %d, notes say %d\n", id, in0->factor, f);
		ok = 0;
	}
	/* each clause "... DATE (...) for reference R" */
	for (p = notes; (p = strstr(p, "for reference ")) != NULL; p++) {
		if (sscanf(p, "for reference %10s", date2) != 1)
			continue;
		cdate r = iso(date2);
		boleto_check(input, strlen(input), r, &in, &d);
		/* the claimed date is the last ISO date before this phrase */
		const char *q = p;
		int found = 0;
		while (q > notes && !found) {
			q--;
			if (q[0] == ';')
				break;
			if (q + 10 <= p && (q == notes || q[-1] == ' ') && is_iso_date(q)) {
				memcpy(date1, q, 10);
				date1[10] = '\0';
				found = 1;
			}
		}
		const char *clause = strstr(notes, "safety gap");
		if (clause && clause < p &&
		    (!found || strchr(clause, ';') == NULL || strchr(clause, ';') > p)) {
			if (in.due_status != BOLETO_DUE_OUT_OF_WINDOW) {
				print_message("%s: expected the safety gap for %s\n", id, date2);
				ok = 0;
			}
		} else if (found && (in.due_status != BOLETO_DUE_DATE || in.due != iso(date1))) {
			print_message("%s: due for reference %s should be %s (status %d)\n", id, date2, date1,
			              (int)in.due_status);
			ok = 0;
		}
	}
	if (strstr(notes, "no due date") && in0->due_status != BOLETO_DUE_NONE &&
	    in0->due_status != BOLETO_DUE_BELOW_1000) {
		print_message("%s: should have no due date\n", id);
		ok = 0;
	}
	/* "factor N = DATE", "factor N (DATE)", "; due DATE" (not "JSON says ... and due DATE") */
	const char *due_at = NULL;
	for (p = notes; (p = strstr(p, "due ")) != NULL; p++)
		if (p == notes || (p - notes >= 2 && p[-2] == ';'))
			due_at = p;
	date1[0] = '\0';
	if ((p = strstr(notes, "factor ")) && sscanf(p, "factor %*d = %10[0-9-]", date1) == 1)
		;
	else if ((p = strstr(notes, "factor ")) && sscanf(p, "factor %*d (%10[0-9-])", date1) == 1)
		;
	else if (due_at && sscanf(due_at, "due %10[0-9-]", date1) == 1)
		;
	else
		date1[0] = '\0';
	if (strlen(date1) == 10) {
		cdate want = iso(date1);
		boleto_check(input, strlen(input), want, &in, &d);
		if (in.due != want) {
			print_message("%s: due should be %s\n", id, date1);
			ok = 0;
		}
	}
	if ((p = strstr(notes, "R$ "))) {
		char amount[32];
		int64_t cents;
		const char *why;
		if (sscanf(p, "R$ %31[0-9.,]", amount) == 1) {
			size_t n = strlen(amount);
			while (n && (amount[n - 1] == ',' || amount[n - 1] == '.'))
				amount[--n] = '\0';
			if (money_parse_decimal(amount, n, &cents, &why) == 0) {
				int64_t got =
				    in0->kind == BOLETO_ARRECADACAO ? in0->arrec_value : in0->amount_cents;
				if (got != cents) {
					print_message("%s: amount %lld, notes say %s\n", id, (long long)got,
					              amount);
					ok = 0;
				}
			}
		}
	}
	return ok;
}

static void test_validation_vectors(void **state)
{
	(void)state;
	char path[1024], line[4096];
	FILE *fp = open_vectors("linha-vectors.tsv", path, sizeof path);
	if (!fp) {
		print_message("SKIP: %s not found (set CONCILIA_INTEROP)\n", path);
		skip();
	}
	int rows = 0, failures = 0, valid_rows = 0;
	assert_non_null(fgets(line, sizeof line, fp));
	while (fgets(line, sizeof line, fp)) {
		char *c[MAX_COLS];
		if (line[0] == '\n' || split_tabs(line, c) < 6)
			continue;
		rows++;
		char id[32];
		snprintf(id, sizeof id, "linha row %d", rows + 1);
		int want_valid = atoi(c[1]);
		struct boleto_info in;
		struct diag d;
		diag_clear(&d);
		cdate r = ymd(2025, 6, 15);
		int rc = boleto_check(c[0], strlen(c[0]), r, &in, &d);
		if ((rc == 0) != want_valid) {
			print_message("%s: '%s' %s, expected %s (%s)\n", id, c[0], rc ? "invalid" : "valid",
			              want_valid ? "valid" : "invalid", d.msg);
			failures++;
			continue;
		}
		if (want_valid) {
			valid_rows++;
			int kind = strcmp(c[3], "arrecadacao") == 0 ? BOLETO_ARRECADACAO : BOLETO_BANCARIO;
			if (strcmp(in.barcode, c[2]) != 0 || (int)in.kind != kind) {
				print_message("%s: barcode %s kind %d, expected %s %s\n", id, in.barcode,
				              (int)in.kind, c[2], c[3]);
				failures++;
				continue;
			}
			if (!facts_agree(c[0], c[5], &in, id))
				failures++;
		} else {
			if (d.msg[0] == '\0' || in.nproblems == 0 || !reasons_agree(c[5], &in, id)) {
				print_message("%s: reasons '%s' vs notes '%s'\n", id, d.msg, c[5]);
				failures++;
			}
		}
	}
	fclose(fp);
	print_message("linha-vectors.tsv: %d rows (%d valid), %d failures\n", rows, valid_rows, failures);
	assert_true(rows > 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mod10),
	    cmocka_unit_test(test_mod11_barcode),
	    cmocka_unit_test(test_mod11_arrecadacao),
	    cmocka_unit_test(test_bank_dv_rules),
	    cmocka_unit_test(test_factor_table),
	    cmocka_unit_test(test_factor_window),
	    cmocka_unit_test(test_factor_round_trip),
	    cmocka_unit_test(test_itau_worked_example),
	    cmocka_unit_test(test_itau_short_dac_wallet),
	    cmocka_unit_test(test_no_due_date_and_limits),
	    cmocka_unit_test(test_check_bancario),
	    cmocka_unit_test(test_check_window_in_decoding),
	    cmocka_unit_test(test_arrecadacao),
	    cmocka_unit_test(test_arrec_segment6_and_date),
	    cmocka_unit_test(test_encode_errors),
	    cmocka_unit_test(test_input_readings),
	    cmocka_unit_test(test_bank_registry),
	    cmocka_unit_test(test_generation_vectors),
	    cmocka_unit_test(test_validation_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
