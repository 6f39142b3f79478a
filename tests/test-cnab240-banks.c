/* Unit tests for the bank layouts of formats/cnab240-*.layout: synthetic
 * returns, one per bank, whose segment T carries the nosso número at the
 * bank manual's positions with other digits right beside it (carteira, DV,
 * parcela), so that a layout reading one position too many or too few
 * fails. The layout is chosen from the header's bank code, as in
 * `concilia import`. */
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

#define RL 240

/* A piece of a record: text at a 1-based position. */
struct put {
	int pos;
	const char *text;
};

struct file {
	char buf[8 * (RL + 1) + 1];
	size_t len;
	char bank[4];
};

static void add_rec(struct file *f, const struct put *puts, size_t n)
{
	char r[RL + 1];
	memset(r, ' ', RL);
	r[RL] = '\0';
	memcpy(r, f->bank, 3);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(puts[i].text);
		assert_true(puts[i].pos >= 1 && puts[i].pos - 1 + len <= RL);
		memcpy(r + puts[i].pos - 1, puts[i].text, len);
	}
	assert_true(f->len + RL + 1 < sizeof f->buf);
	memcpy(f->buf + f->len, r, RL);
	f->len += RL;
	f->buf[f->len++] = '\n';
}

/* Header, lote header, T (t_puts), U (paid), lote and file trailers. The
 * header's own positions come from hdr_puts (Santander moves them). */
static void build(struct file *f, const char *bank, const struct put *hdr_puts, size_t nh,
                  const struct put *t_puts, size_t nt, const char *mov, const char *paid15, int lote_count)
{
	memset(f, 0, sizeof *f);
	memcpy(f->bank, bank, 3);
	struct put h[16] = {{4, "0000"}, {8, "0"}, {73, "EMPRESA TESTE"}, {143, "2"},
	                    {144, "24112026"}, {158, "000007"}, {164, "040"}};
	size_t n = 7;
	for (size_t i = 0; i < nh; i++)
		h[n++] = hdr_puts[i];
	add_rec(f, h, n);
	add_rec(f, (const struct put[]){{4, "0001"}, {8, "1"}, {9, "T"}, {10, "01"}}, 4);

	/* FEBRABAN vencimento, valor and tarifa first; the bank's puts may
	 * overwrite them (Santander). */
	struct put t[20] = {{4, "0001"},          {8, "3"}, {9, "00001"}, {14, "T"}, {16, mov}, {74, "10112026"},
	                    {82, "000000000015000"}, {199, "000000000000000"}};
	n = 8;
	for (size_t i = 0; i < nt; i++)
		t[n++] = t_puts[i];
	add_rec(f, t, n);
	add_rec(f,
	        (const struct put[]){{4, "0001"},
	                             {8, "3"},
	                             {9, "00002"},
	                             {14, "U"},
	                             {16, mov},
	                             {18, "000000000000000000000000000000000000000000000000000000000000"},
	                             {78, paid15},
	                             {93, paid15},
	                             {138, "2311202624112026"}},
	        9);
	char cnt[8];
	snprintf(cnt, sizeof cnt, "%06d", lote_count);
	add_rec(f, (const struct put[]){{4, "0001"}, {8, "5"}, {18, cnt}}, 3);
	add_rec(f, (const struct put[]){{4, "9999"}, {8, "9"}, {18, "000001"}, {24, "000006"}}, 4);
}

struct got {
	int n;
	struct bank_event ev;
};

static int keep_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct got *g = ctx;
	(void)d;
	if (g->n++ == 0)
		g->ev = *ev;
	return 0;
}

static void parse_ok(const struct file *f, struct cnab_file_info *info, struct got *g)
{
	struct diag err;
	char msg[512];
	memset(g, 0, sizeof *g);
	if (cnab240_parse(NULL, "t.ret", (const unsigned char *)f->buf, f->len, info, keep_event, g, NULL, NULL,
	                  &err) != 0)
		fail_msg("%s", diag_format(&err, msg, sizeof msg));
	assert_int_equal(g->n, 1);
}

/* Lote of 4 records (header, T, U, trailer): FEBRABAN's count. */
#define ALL 4

static void test_bb(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* convênio 7 (1234567) + sequence 10: 17 digits, blank to 57 */
	build(&f, "001", NULL, 0, (const struct put[]){{38, "12345670000000042"}, {58, "1"}}, 2, "06",
	      "000000000012345", ALL);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-bb");
	assert_string_equal(g.ev.nosso_numero, "12345670000000042");
	assert_int_equal(g.ev.paid_cents, 12345);
	assert_int_equal(g.ev.kind, EVENT_LIQUIDATION);
}

static void test_santander(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* header: inscription 17/18-32, agência 33-36 ... código do beneficiário 53-61 */
	const struct put hdr[] = {{17, "2"}, {18, "012345678000195"}, {33, "31638"}, {38, "0130028625"},
	                          {53, "007401949"}};
	/* T: 41-53 nosso número (12 + DV), 54 carteira, 55-69 seu número,
	 * 70-77 vencimento, 78-92 valor, 101-125 uso da empresa, 194-208 tarifa */
	const struct put t[] = {{38, "999"}, {41, "0000000001406"}, {54, "5"}, {55, "SEU-77"},
	                        {70, "01122026"}, {78, "000000000001000"}, {101, "EMPRESA-REF"},
	                        {194, "000000000000392"}, {209, "0400000000"}};
	/* the lote trailer counts details only: 2 */
	build(&f, "033", hdr, sizeof hdr / sizeof hdr[0], t, sizeof t / sizeof t[0], "06", "000000000001000", 2);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-santander");
	assert_string_equal(info.company_document, "12345678000195"); /* 15 positions, zero-filled */
	assert_string_equal(info.agreement, "007401949");
	assert_string_equal(g.ev.nosso_numero, "1406");
	assert_string_equal(g.ev.seu_numero, "SEU-77");
	assert_string_equal(g.ev.company_ref, "EMPRESA-REF");
	assert_int_equal(g.ev.face_cents, 1000);
	assert_int_equal(g.ev.tariff_cents, 392);
	assert_int_equal(g.ev.paid_cents, 1000);
	assert_string_equal(g.ev.reasons, "04");
	assert_int_equal(g.ev.kind, EVENT_LIQUIDATION);

	/* FEBRABAN's count (4) is wrong for Santander */
	build(&f, "033", hdr, sizeof hdr / sizeof hdr[0], t, sizeof t / sizeof t[0], "06", "000000000001000", 4);
	struct diag err;
	char msg[512];
	assert_int_equal(cnab240_parse(NULL, "t.ret", (const unsigned char *)f.buf, f.len, &info, NULL, NULL,
	                               NULL, NULL, &err),
	                 -1);
	assert_non_null(strstr(diag_format(&err, msg, sizeof msg), "trailer says 4 detail records, lote has 2"));
}

static void test_caixa(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* 40-56: modalidade 14 + 15 digits; 57: DV, not part of the number */
	build(&f, "104", NULL, 0, (const struct put[]){{40, "14000000000000031"}, {57, "6"}, {58, "1"}}, 3, "46",
	      "000000000000800", ALL);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-caixa");
	assert_string_equal(g.ev.nosso_numero, "14000000000000031");
	/* Caixa 46: on-line liquidation */
	assert_int_equal(g.ev.kind, EVENT_LIQUIDATION);
	assert_int_equal(g.ev.paid_cents, 800);
	/* a code Caixa's table does not list is unknown, not FEBRABAN's */
	build(&f, "104", NULL, 0, (const struct put[]){{40, "14000000000000031"}}, 1, "17", "000000000000800", ALL);
	parse_ok(&f, &info, &g);
	assert_int_equal(g.ev.kind, EVENT_UNKNOWN);
}

static void test_itau(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* 38-40 carteira, 41-48 nosso número, 49 DAC, 59-68 seu número */
	const struct put t[] = {{38, "109"}, {41, "12345678"}, {49, "9"}, {59, "DOC-0001"}};
	build(&f, "341", (const struct put[]){{54, "0445"}, {66, "17600"}, {72, "6"}}, 3, t, 4, "06",
	      "000000000020000", ALL);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-itau");
	assert_string_equal(info.agency, "0445");
	assert_string_equal(info.account, "176006");
	assert_string_equal(g.ev.nosso_numero, "12345678");
	assert_string_equal(g.ev.seu_numero, "DOC-0001");
	assert_int_equal(g.ev.kind, EVENT_LIQUIDATION);
	assert_int_equal(g.ev.paid_cents, 20000);

	/* Itaú's own table: 17 is a rejection (FEBRABAN: a payment), 10 a
	 * write-off after a liquidation, 07 not defined. */
	static const struct {
		const char *mov;
		enum event_kind kind;
	} codes[] = {{"17", EVENT_INSTRUCTION_REJECTED}, {"10", EVENT_WRITEOFF}, {"08", EVENT_LIQUIDATION},
	             {"07", EVENT_UNKNOWN}};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		build(&f, "341", NULL, 0, t, 4, codes[i].mov, "000000000000000", ALL);
		parse_ok(&f, &info, &g);
		if (g.ev.kind != codes[i].kind)
			fail_msg("Itaú code %s: kind %s", codes[i].mov, event_kind_name(g.ev.kind));
	}
}

static void test_sicredi(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* 9 digits at 38-46; 47-57 are not part of it */
	build(&f, "748", NULL, 0, (const struct put[]){{38, "172000595"}, {47, "77"}, {58, "1"}}, 3, "06",
	      "000000000000995", ALL);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-sicredi");
	assert_string_equal(g.ev.nosso_numero, "172000595");
	assert_int_equal(g.ev.paid_cents, 995);
}

static void test_sicoob(void **state)
{
	(void)state;
	struct file f;
	struct cnab_file_info info;
	struct got g;
	/* 38-47 nosso número (10), 48-49 parcela, 50-51 modalidade, 52 form */
	build(&f, "756", NULL, 0, (const struct put[]){{38, "0000005018"}, {48, "01"}, {50, "01"}, {52, "4"}}, 4,
	      "06", "000000000000600", ALL);
	parse_ok(&f, &info, &g);
	assert_string_equal(info.layout_name, "cnab240-sicoob");
	assert_string_equal(g.ev.nosso_numero, "5018");
	assert_int_equal(g.ev.kind, EVENT_LIQUIDATION);
	/* a Sicoob addition to FEBRABAN's table */
	build(&f, "756", NULL, 0, (const struct put[]){{38, "0000005018"}}, 1, "60", "000000000000000", ALL);
	parse_ok(&f, &info, &g);
	assert_int_equal(g.ev.kind, EVENT_INSTRUCTION_ACK);
}

/* Banks that write the FEBRABAN positions get a layout of their own name
 * and read T 38-57 whole. */
static void test_febraban_banks(void **state)
{
	(void)state;
	static const struct {
		const char *bank, *layout;
	} banks[] = {{"237", "cnab240-bradesco"}, {"041", "cnab240-banrisul"}, {"077", "cnab240-inter"},
	             {"085", "cnab240-ailos"},    {"208", "cnab240-btg"},      {"136", "cnab240-unicred"},
	             {"133", "cnab240-cresol"},   {"999", "cnab240-febraban"}};
	for (size_t i = 0; i < sizeof banks / sizeof banks[0]; i++) {
		struct file f;
		struct cnab_file_info info;
		struct got g;
		build(&f, banks[i].bank, NULL, 0, (const struct put[]){{38, "00000000101000000001"}, {58, "1"}}, 2,
		      "06", "000000000015000", ALL);
		parse_ok(&f, &info, &g);
		assert_string_equal(info.layout_name, banks[i].layout);
		assert_string_equal(g.ev.nosso_numero, "101000000001");
		assert_int_equal(g.ev.paid_cents, 15000);
	}
}

/* Every bank layout names its manual, inherits FEBRABAN and lists one bank. */
static void test_metadata(void **state)
{
	(void)state;
	size_t n = layout_builtin_count();
	size_t variants = 0;
	for (size_t i = 0; i < n; i++) {
		struct diag err;
		const struct layout *l = layout_builtin_at(i, &err);
		assert_non_null(l);
		if (strcmp(layout_family(l), "cnab240") != 0 || strcmp(layout_name(l), "cnab240-febraban") == 0)
			continue;
		variants++;
		assert_string_equal(layout_parent(l), "cnab240-febraban");
		assert_true(strlen(layout_manual(l)) > 10);
		assert_true(strcmp(layout_manual(l), layout_manual(layout_builtin("cnab240-febraban", &err))) != 0);
		assert_false(layout_has_bank(l, 999, 1)); /* never `bank *` */
	}
	assert_true(variants >= 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bb),      cmocka_unit_test(test_santander),      cmocka_unit_test(test_caixa),
	    cmocka_unit_test(test_itau),    cmocka_unit_test(test_sicredi),        cmocka_unit_test(test_sicoob),
	    cmocka_unit_test(test_metadata), cmocka_unit_test(test_febraban_banks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
