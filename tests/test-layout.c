/* Unit tests for src/codec/layout.c: the layout file syntax (and its
 * FILE:LINE:COL errors), inheritance, record matching and typed field
 * extraction. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codec/layout.h"
#include "core/date.h"

/* A minimal layout used by most tests. */
static const char base_text[] = "# test layout\n"
                                "layout  base\n"
                                "manual  \"Test manual v1\"\n"
                                "family  cnab240\n"
                                "length  20\n"
                                "bank    *\n"
                                "record  head when 1-1 = \"0\"\n"
                                "  field tipo   1  1 num\n"
                                "  field nome   2 11 alnum\n"
                                "  field data  12 19 date8\n"
                                "record  detail when 1-1 = \"3\"\n"
                                "  field tipo   1  1 num\n"
                                "  field seg    2  2 alnum\n"
                                "  field valor  3 10 money\n"
                                "  field qtd   11 14 num    blank-ok\n"
                                "  field dia   15 20 date6  blank-ok\n"
                                "record  det_x when 1-1 = \"3\" and 2-2 = \"X\"\n"
                                "  field cod    3  4 alnum\n"
                                "occurrence 02 entry_confirmed \"Entrada confirmada\"\n"
                                "occurrence 06 liquidation     \"Liquidação\"\n";

static struct layout *parse_ok(const char *text)
{
	struct diag err;
	struct layout *l = layout_parse("t.layout", text, strlen(text), &err);
	if (l == NULL) {
		char buf[1024];
		fail_msg("unexpected layout error: %s", diag_format(&err, buf, sizeof buf));
	}
	return l;
}

/* ---- the built-in layouts */

static void test_builtin_febraban(void **state)
{
	(void)state;
	struct diag err;
	const struct layout *l = layout_builtin("cnab240-febraban", &err);
	assert_non_null(l);
	assert_string_equal(layout_family(l), "cnab240");
	assert_int_equal(layout_length(l), 240);
	assert_non_null(strstr(layout_manual(l), "10.05"));
	assert_true(layout_has_bank(l, 341, 1));
	assert_false(layout_has_bank(l, 341, 0));

	/* Spot checks against reference/cnab.md §2 (1-based, inclusive). */
	static const struct {
		const char *rec, *field;
		int start, end;
		enum layout_type type;
	} spots[] = {
	    {"file_header", "codigo_remessa_retorno", 143, 143, LAYOUT_ALNUM},
	    {"file_header", "data_geracao", 144, 151, LAYOUT_DATE8},
	    {"file_header", "nsa", 158, 163, LAYOUT_NUM},
	    {"segment_t", "nosso_numero", 38, 57, LAYOUT_ALNUM},
	    {"segment_t", "vencimento", 74, 81, LAYOUT_DATE8},
	    {"segment_t", "valor_titulo", 82, 96, LAYOUT_MONEY},
	    {"segment_t", "uso_empresa", 106, 130, LAYOUT_ALNUM},
	    {"segment_t", "pagador_inscricao", 134, 148, LAYOUT_ALNUM},
	    {"segment_t", "valor_tarifa", 199, 213, LAYOUT_MONEY},
	    {"segment_t", "motivo_ocorrencia", 214, 223, LAYOUT_ALNUM},
	    {"segment_u", "valor_acrescimos", 18, 32, LAYOUT_MONEY},
	    {"segment_u", "valor_pago", 78, 92, LAYOUT_MONEY},
	    {"segment_u", "valor_liquido", 93, 107, LAYOUT_MONEY},
	    {"segment_u", "data_ocorrencia", 138, 145, LAYOUT_DATE8},
	    {"segment_u", "data_credito", 146, 153, LAYOUT_DATE8},
	    {"lote_trailer", "quantidade_registros", 18, 23, LAYOUT_NUM},
	    {"file_trailer", "quantidade_lotes", 18, 23, LAYOUT_NUM},
	    {"file_trailer", "quantidade_registros", 24, 29, LAYOUT_NUM},
	};
	for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
		const struct layout_record *r = layout_record_by_name(l, spots[i].rec);
		assert_non_null(r);
		const struct layout_field *f = layout_field_by_name(r, spots[i].field);
		if (f == NULL)
			fail_msg("%s.%s missing", spots[i].rec, spots[i].field);
		if (f->start != spots[i].start || f->end != spots[i].end || f->type != spots[i].type)
			fail_msg("%s.%s is %d-%d type %d", spots[i].rec, spots[i].field, f->start, f->end,
			         (int)f->type);
	}

	/* The occurrence table of reference/cnab.md §4. */
	static const struct {
		const char *code;
		enum event_kind kind;
	} occ[] = {
	    {"02", EVENT_ENTRY_CONFIRMED},
	    {"03", EVENT_ENTRY_REJECTED},
	    {"06", EVENT_LIQUIDATION},
	    {"09", EVENT_WRITEOFF},
	    {"17", EVENT_LIQUIDATION_AFTER_WRITEOFF},
	    {"12", EVENT_INSTRUCTION_ACK},
	    {"13", EVENT_INSTRUCTION_ACK},
	    {"14", EVENT_INSTRUCTION_ACK},
	    {"27", EVENT_INSTRUCTION_ACK},
	    {"19", EVENT_INSTRUCTION_ACK},
	    {"20", EVENT_INSTRUCTION_ACK},
	    {"23", EVENT_PROTEST},
	    {"25", EVENT_PROTEST},
	    {"26", EVENT_INSTRUCTION_REJECTED},
	    {"30", EVENT_INSTRUCTION_REJECTED},
	    {"28", EVENT_TARIFF},
	};
	for (size_t i = 0; i < sizeof occ / sizeof occ[0]; i++) {
		const struct layout_occurrence *o = layout_occurrence(l, occ[i].code, 2);
		if (o == NULL || o->kind != occ[i].kind)
			fail_msg("occurrence %s: %s", occ[i].code, o ? event_kind_name(o->kind) : "missing");
		assert_true(o->text[0] != '\0');
	}
	assert_string_equal(layout_occurrence(l, "06", 2)->text, "Liquidação");
	assert_null(layout_occurrence(l, "99", 2));
	assert_null(layout_occurrence(l, "6", 1));
}

static void test_builtins_all_parse(void **state)
{
	(void)state;
	size_t n = layout_builtin_count();
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		struct diag err;
		char buf[1024];
		const struct layout *l = layout_builtin_at(i, &err);
		if (l == NULL)
			fail_msg("built-in %zu: %s", i, diag_format(&err, buf, sizeof buf));
		assert_true(layout_record_count(l) > 0);
		for (size_t j = i + 1; j < n; j++) {
			const struct layout *m = layout_builtin_at(j, &err);
			if (m && strcmp(layout_name(l), layout_name(m)) == 0)
				fail_msg("two built-ins called %s", layout_name(l));
		}
	}
	struct diag err;
	assert_non_null(layout_builtin_for_bank("cnab240", 999, &err));
	assert_null(layout_builtin_for_bank("no-such-family", 1, &err));
	assert_null(layout_builtin("no-such-layout", &err));
	assert_non_null(strstr(err.msg, "no-such-layout"));
}

/* ---- syntax errors: each must name FILE:LINE:COL */

struct bad_case {
	const char *text;
	const char *where; /* "t.layout:L:C:" (or "t.layout:L:" for whole-file problems) */
	const char *msg;   /* substring of the message */
};

#define HEAD "layout x\nfamily cnab240\nlength 20\n"

static void test_syntax_errors(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
	    {"", "t.layout:", "empty layout"},
	    {"family cnab240\n", "t.layout:1:1:", "first directive must be `layout NAME`"},
	    {"  layout\n", "t.layout:1:9:", "missing argument"},
	    {"layout a b\n", "t.layout:1:10:", "unexpected \"b\""},
	    {"layout a/b\n", "t.layout:1:9:", "invalid character '/'"},
	    {HEAD "frobnicate 1\n", "t.layout:4:1:", "unknown directive \"frobnicate\""},
	    {HEAD "layout y\n", "t.layout:4:1:", "given twice"},
	    {HEAD "length 30\n", "t.layout:4:1:", "`length` given twice"},
	    {"layout x\nfamily cnab240\nlength 0\n", "t.layout:3:8:", "record length must be"},
	    {"layout x\nfamily cnab240\nlength abc\n", "t.layout:3:8:", "expected a number"},
	    {"layout x\nfamily cnab240\nrecord r when 1-1 = \"0\"\n",
	     "t.layout:3:1:", "`length` must come before the first record"},
	    {HEAD "  field a 1 2 num\n", "t.layout:4:3:", "`field` outside a record"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 1 2 numeric\n",
	     "t.layout:5:15:", "unknown type \"numeric\""},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 5 2 num\n",
	     "t.layout:5:11:", "end position 2 is before start position 5"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 0 2 num\n", "t.layout:5:11:", "positions start at 1"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 15 21 num\n",
	     "t.layout:5:11:", "position 21 is beyond the record length 20"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 1 8 date6\n",
	     "t.layout:5:13:", "date6 fields are 6 positions wide"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 1 7 date8\n", "t.layout:5:13:", "8 positions wide"},
	    {"layout x\nfamily f\nlength 40\nrecord r when 1-1 = \"0\"\n  field a 1 19 money\n",
	     "t.layout:5:13:", "at most 18 digits"},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 1 2 num blank_ok\n",
	     "t.layout:5:19:", "unknown field option \"blank_ok\""},
	    {HEAD "record r when 1-1 = \"0\"\n  field a 1 2 num\n  field a 3 4 num\n",
	     "t.layout:6:9:", "field 'a' already defined at line 5"},
	    {HEAD "record r when 1-1 = \"0\"\nrecord r when 1-1 = \"1\"\n",
	     "t.layout:5:8:", "record 'r' already defined at line 4"},
	    {HEAD "record r\n", "t.layout:4:8:", "needs a `when` condition"},
	    {HEAD "record r where 1-1 = \"0\"\n", "t.layout:4:10:", "expected `when`"},
	    {HEAD "record r when 1-1 = \"00\"\n",
	     "t.layout:4:21:", "value \"00\" has 2 characters, positions 1-1 cover 1"},
	    {HEAD "record r when 1-1 = 0\n", "t.layout:4:21:", "must be quoted"},
	    {HEAD "record r when 1-1 \"0\"\n", "t.layout:4:19:", "expected '='"},
	    {HEAD "record r when x-1 = \"0\"\n", "t.layout:4:15:", "expected positions START-END"},
	    {HEAD "record r when 1-1 = \"0\" or 2-2 = \"1\"\n", "t.layout:4:25:", "expected `and`"},
	    {HEAD "record r when 1-1 = \"0\" and\n", "t.layout:4:28:", "missing condition"},
	    {HEAD "record r when 1-1 = \"0\n", "t.layout:4:21:", "unterminated string"},
	    {HEAD "manual \"a\\nb\"\n", "t.layout:4:10:", "unknown escape"},
	    {HEAD "occurrence 06 paid \"Liquidação\"\n", "t.layout:4:15:", "unknown event kind 'paid'"},
	    {HEAD "occurrence 06 unknown \"x\"\n", "t.layout:4:15:", "unknown event kind"},
	    {HEAD "occurrence 06 liquidation Liquidacao\n", "t.layout:4:27:", "must be a quoted string"},
	    {HEAD "occurrence 6a liquidation \"x\"\n", "t.layout:4:13:", "capital letters"},
	    {HEAD "occurrence 06 liquidation \"x\"\noccurrence 06 writeoff \"y\"\n",
	     "t.layout:5:12:", "occurrence 06 already defined at line 4"},
	    {HEAD "occurrence 06 liquidation "
	          "\"0123456789012345678901234567890123456789012345678901234567890123\"\n",
	     "t.layout:4:27:", "description longer than 63 bytes"},
	    {HEAD "bank 1000\n", "t.layout:4:6:", "bank code"},
	    {HEAD "bank 1\nbank 2\n", "t.layout:5:1:", "`bank` given twice"},
	    {HEAD "lote-count some\n", "t.layout:4:12:", "expected `all` or `details`"},
	    {HEAD "inherits cnab240-febraban\n", "t.layout:4:1:", "must come right after `layout`"},
	    {"layout x\ninherits no-such-parent\n",
	     "t.layout:2:10:", "unknown parent layout 'no-such-parent'"},
	    {"layout x\ninherits x\n", "t.layout:2:10:", "cannot inherit from itself"},
	    {"layout x\ninherits cnab240-febraban\ninherits cnab240-febraban\n",
	     "t.layout:3:1:", "`inherits` given twice"},
	    {"layout x\ninherits cnab240-febraban\nlength 400\n",
	     "t.layout:3:8:", "cannot change the record length"},
	    {"layout x\ninherits cnab240-febraban\nfamily cnab400\n",
	     "t.layout:3:8:", "cannot change the family"},
	    {"layout x\nlength 20\nrecord r when 1-1 = \"0\"\n", "t.layout:", "has no `family`"},
	    {"layout x\nfamily f\n", "t.layout:", "has no `length`"},
	    {HEAD, "t.layout:", "has no records"},
	    {HEAD "record r when 1-1 = \"0\"   \"x\"\n", "t.layout:4:27:", "expected `and`"},
	    {HEAD "manual \"x\"y\n", "t.layout:4:11:", "expected a blank after the closing quote"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct diag err;
		char buf[1024];
		struct layout *l = layout_parse("t.layout", cases[i].text, strlen(cases[i].text), &err);
		if (l != NULL) {
			layout_free(l);
			fail_msg("case %zu parsed but should fail: %s", i, cases[i].text);
		}
		diag_format(&err, buf, sizeof buf);
		if (strncmp(buf, cases[i].where, strlen(cases[i].where)) != 0 ||
		    strstr(buf, cases[i].msg) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s ... %s\"", i, buf, cases[i].where,
			         cases[i].msg);
		/* "t.layout:L:C:" has three colons: the column must be set. */
		int colons = 0;
		for (const char *c = cases[i].where; *c; c++)
			colons += *c == ':';
		if (colons == 3 && err.col < 1)
			fail_msg("case %zu: no column", i);
	}
}

static void test_syntax_ok_forms(void **state)
{
	(void)state;
	/* Comments anywhere, CRLF, tabs, '=' glued to its neighbours, single
	 * positions, a UTF-8 BOM and escapes in strings are all fine. */
	static const char text[] = "\xEF\xBB\xBF# comment\r\n"
	                           "layout\tcrlf # trailing comment\r\n"
	                           "manual \"Quote \\\" and backslash \\\\\"\r\n"
	                           "family cnab240\r\nlength 20\r\n"
	                           "bank 1 033 341\r\n"
	                           "lote-count details\r\n"
	                           "\r\n"
	                           "record r when 1=\"0\" and 2-3=\"AB\"\r\n"
	                           "\tfield f 1 20 alnum\r\n"
	                           "occurrence A1 other \"x\"\r\n";
	struct layout *l = parse_ok(text);
	assert_string_equal(layout_name(l), "crlf");
	assert_string_equal(layout_manual(l), "Quote \" and backslash \\");
	assert_true(layout_has_bank(l, 33, 0));
	assert_true(layout_has_bank(l, 1, 0));
	assert_false(layout_has_bank(l, 237, 1));
	assert_true(layout_lote_counts_details(l));
	assert_non_null(layout_occurrence(l, "A1", 2));
	const unsigned char rec[] = "0AB                 ";
	const struct layout_record *r = layout_match(l, rec);
	assert_non_null(r);
	assert_string_equal(layout_record_name(r), "r");
	assert_null(layout_match(l, (const unsigned char *)"0AC                 "));
	layout_free(l);
}

/* ---- matching */

static void test_match_specific_first(void **state)
{
	(void)state;
	struct layout *l = parse_ok(base_text);
	const struct layout_record *r;
	r = layout_match(l, (const unsigned char *)"3X00000123          ");
	assert_string_equal(layout_record_name(r), "det_x");
	r = layout_match(l, (const unsigned char *)"3Y00000123          ");
	assert_string_equal(layout_record_name(r), "detail");
	r = layout_match(l, (const unsigned char *)"0NAME      24112026 ");
	assert_string_equal(layout_record_name(r), "head");
	assert_null(layout_match(l, (const unsigned char *)"9                   "));
	assert_int_equal(layout_record_count(l), 3);
	assert_non_null(layout_record_at(l, 2));
	assert_null(layout_record_at(l, 3));
	layout_free(l);
}

/* ---- inheritance */

static const struct layout *test_parent;

static const struct layout *resolve_test(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "base") == 0 ? test_parent : NULL;
}

static void test_inherits(void **state)
{
	(void)state;
	struct layout *parent = parse_ok(base_text);
	static const char child_text[] =
	    "layout child\n"
	    "inherits base\n"
	    "bank 341\n"
	    "record detail\n"                                 /* reopen: keep its `when` */
	    "  field valor  3  9 money\n"                     /* override a position */
	    "  field extra 16 20 alnum\n"                     /* add a field */
	    "record head when 1-1 = \"H\"\n"                  /* override the condition */
	    "record det_y when 1-1 = \"3\" and 2-2 = \"Y\"\n" /* add a record after the generic one */
	    "  field cod 3 4 alnum\n"
	    "occurrence 06 writeoff \"Baixa (variante)\"\n"
	    "occurrence 99 tariff \"Tarifa\"\n";
	struct diag err;
	char buf[512];
	test_parent = parent;
	struct layout *child =
	    layout_parse_with("child.layout", child_text, strlen(child_text), resolve_test, NULL, &err);
	if (child == NULL)
		fail_msg("%s", diag_format(&err, buf, sizeof buf));
	assert_string_equal(layout_parent(child), "base");
	assert_string_equal(layout_manual(child), "Test manual v1");
	assert_string_equal(layout_family(child), "cnab240");
	assert_int_equal(layout_length(child), 20);
	/* banks are not inherited */
	assert_true(layout_has_bank(child, 341, 0));
	assert_false(layout_has_bank(child, 1, 1));
	assert_true(layout_has_bank(parent, 1, 1));

	const struct layout_record *d = layout_record_by_name(child, "detail");
	const struct layout_field *v = layout_field_by_name(d, "valor");
	assert_int_equal(v->start, 3);
	assert_int_equal(v->end, 9);
	assert_non_null(layout_field_by_name(d, "extra"));
	assert_non_null(layout_field_by_name(d, "qtd")); /* untouched fields stay */
	/* the parent is unchanged */
	const struct layout_record *pd = layout_record_by_name(parent, "detail");
	assert_int_equal(layout_field_by_name(pd, "valor")->end, 10);
	assert_null(layout_field_by_name(pd, "extra"));

	/* det_y was added after the generic detail and still wins. */
	assert_string_equal(
	    layout_record_name(layout_match(child, (const unsigned char *)"3Y                  ")), "det_y");
	assert_string_equal(
	    layout_record_name(layout_match(child, (const unsigned char *)"H                   ")), "head");
	assert_null(layout_match(child, (const unsigned char *)"0                   "));

	assert_int_equal(layout_occurrence(child, "06", 2)->kind, EVENT_WRITEOFF);
	assert_string_equal(layout_occurrence(child, "06", 2)->text, "Baixa (variante)");
	assert_int_equal(layout_occurrence(child, "99", 2)->kind, EVENT_TARIFF);
	assert_int_equal(layout_occurrence(child, "02", 2)->kind, EVENT_ENTRY_CONFIRMED);
	assert_int_equal(layout_occurrence(parent, "06", 2)->kind, EVENT_LIQUIDATION);
	assert_null(layout_occurrence(parent, "99", 2));
	layout_free(child);
	layout_free(parent);
}

/* `occurrences reset`: a bank with its own movement-code table starts from
 * an empty one, so FEBRABAN meanings never leak into it. */
static void test_occurrences_reset(void **state)
{
	(void)state;
	struct layout *parent = parse_ok(base_text);
	static const char child_text[] = "layout own\n"
	                                 "inherits base\n"
	                                 "bank 341\n"
	                                 "occurrences reset\n"
	                                 "occurrence 06 liquidation \"Liquidação normal\"\n"
	                                 "occurrence 10 writeoff \"Baixa por ter sido liquidado\"\n";
	struct diag err;
	char buf[512];
	test_parent = parent;
	struct layout *child =
	    layout_parse_with("own.layout", child_text, strlen(child_text), resolve_test, NULL, &err);
	if (child == NULL)
		fail_msg("%s", diag_format(&err, buf, sizeof buf));
	assert_int_equal(layout_occurrence_count(child), 2);
	assert_null(layout_occurrence(child, "02", 2)); /* inherited, dropped */
	assert_string_equal(layout_occurrence(child, "06", 2)->text, "Liquidação normal");
	assert_int_equal(layout_occurrence(child, "10", 2)->kind, EVENT_WRITEOFF);
	/* the parent keeps its table */
	assert_int_equal(layout_occurrence_count(parent), 2);
	assert_non_null(layout_occurrence(parent, "02", 2));
	layout_free(child);

	/* misuse: after an occurrence line, twice, a wrong word */
	static const struct bad_case bad[] = {
	    {"layout own\ninherits base\noccurrence 07 other \"x\"\noccurrences reset\n", "own.layout:4:1:",
	     "must come before the layout's own `occurrence` lines"},
	    {"layout own\ninherits base\noccurrences reset\noccurrences reset\n", "own.layout:4:1:",
	     "given twice"},
	    {"layout own\ninherits base\noccurrences clear\n", "own.layout:3:13:", "expected `reset`"},
	    {"layout own\ninherits base\noccurrences\n", "own.layout:3:", "missing argument"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct layout *l = layout_parse_with("own.layout", bad[i].text, strlen(bad[i].text), resolve_test,
		                                     NULL, &err);
		if (l != NULL)
			fail_msg("case %zu parsed", i);
		diag_format(&err, buf, sizeof buf);
		if (strstr(buf, bad[i].where) != buf || strstr(buf, bad[i].msg) == NULL)
			fail_msg("case %zu: got \"%s\", want %s ... %s", i, buf, bad[i].where, bad[i].msg);
	}
	layout_free(parent);
}

static const struct layout *resolve_chain(void *ctx, const char *name)
{
	const struct layout *const *ls = ctx;
	for (; *ls; ls++)
		if (strcmp(layout_name(*ls), name) == 0)
			return *ls;
	return NULL;
}

static void test_inherits_chain_and_builtin(void **state)
{
	(void)state;
	struct diag err;
	char buf[512];
	struct layout *parent = parse_ok(base_text);
	const struct layout *list[3] = {parent, NULL, NULL};
	static const char child_text[] = "layout child\ninherits base\nrecord detail\n"
	                                 "  field valor 3 9 money\n";
	struct layout *child =
	    layout_parse_with("c.layout", child_text, strlen(child_text), resolve_chain, list, &err);
	assert_non_null(child);
	list[1] = child;
	/* The grandchild redefines a field its parent overrode: allowed once. */
	static const char grand_text[] = "layout grand\ninherits child\nrecord detail\n"
	                                 "  field valor 3 8 money\n";
	struct layout *grand =
	    layout_parse_with("g.layout", grand_text, strlen(grand_text), resolve_chain, list, &err);
	if (grand == NULL)
		fail_msg("%s", diag_format(&err, buf, sizeof buf));
	assert_int_equal(layout_field_by_name(layout_record_by_name(grand, "detail"), "valor")->end, 8);
	layout_free(grand);
	layout_free(child);
	layout_free(parent);

	/* A variant of the built-in FEBRABAN layout, as issue 3 will add. */
	static const char sant[] = "layout cnab240-test-variant\n"
	                           "inherits cnab240-febraban\n"
	                           "manual \"Test bank manual\"\n"
	                           "bank 033\n"
	                           "lote-count details\n"
	                           "record segment_t\n"
	                           "  field nosso_numero 41 53 alnum\n"
	                           "occurrence 09 writeoff \"Baixa\"\n";
	struct layout *v = layout_parse("v.layout", sant, strlen(sant), &err);
	if (v == NULL)
		fail_msg("%s", diag_format(&err, buf, sizeof buf));
	assert_string_equal(layout_manual(v), "Test bank manual");
	assert_true(layout_lote_counts_details(v));
	const struct layout_field *nn =
	    layout_field_by_name(layout_record_by_name(v, "segment_t"), "nosso_numero");
	assert_int_equal(nn->start, 41);
	assert_int_equal(nn->end, 53);
	assert_int_equal(layout_occurrence_count(v),
	                 layout_occurrence_count(layout_builtin("cnab240-febraban", &err)));
	layout_free(v);
}

/* ---- field extraction */

struct warn_log {
	int n;
	char last[512];
};

static void collect_warning(void *ctx, const struct diag *d)
{
	struct warn_log *w = ctx;
	w->n++;
	diag_format(d, w->last, sizeof w->last);
}

static void test_read_fields(void **state)
{
	(void)state;
	struct layout *l = parse_ok(base_text);
	const struct layout_record *d = layout_record_by_name(l, "detail");
	const struct layout_field *valor = layout_field_by_name(d, "valor");
	const struct layout_field *qtd = layout_field_by_name(d, "qtd");
	const struct layout_field *dia = layout_field_by_name(d, "dia");
	const struct layout_field *tipo = layout_field_by_name(d, "tipo");
	struct warn_log wl = {0, ""};
	struct layout_where w = {"data.ret", 7, collect_warning, &wl};
	struct diag err;
	char buf[512];
	int64_t v;
	cdate dt;

	unsigned char r[21];
	/*          12345678901234567890 */
	memcpy(r, "3Y00012345004211124 ", 20);
	assert_int_equal(layout_read_money(valor, r, &w, &v, &err), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(layout_read_num(qtd, r, &w, &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(layout_read_num(tipo, r, &w, &v, &err), 0);
	assert_int_equal(v, 3);
	/* "11124 " is not a date6: blank in the last position */
	assert_int_equal(layout_read_date(dia, r, &w, date_from_ymd(2026, 1, 1), &dt, &err), -1);
	diag_format(&err, buf, sizeof buf);
	assert_string_equal(buf, "data.ret:7:15: error: field 'dia': expected a date (DDMMAA), "
	                         "found \"11124 \"");

	memcpy(r, "3Y000123A5    241126", 20);
	assert_int_equal(layout_read_money(valor, r, &w, &v, &err), -1);
	diag_format(&err, buf, sizeof buf);
	assert_string_equal(buf, "data.ret:7:3: error: field 'valor': expected digits, found \"000123A5\"");
	/* blank-ok num: 0, no warning */
	assert_int_equal(layout_read_num(qtd, r, &w, &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wl.n, 0);
	assert_int_equal(layout_read_date(dia, r, &w, date_from_ymd(2026, 1, 1), &dt, &err), 0);
	assert_int_equal(dt, date_from_ymd(2026, 11, 24));

	/* blanks in a required money field */
	memcpy(r, "3Y        0001000000", 20);
	assert_int_equal(layout_read_money(valor, r, &w, &v, &err), -1);
	diag_format(&err, buf, sizeof buf);
	assert_string_equal(buf, "data.ret:7:3: error: field 'valor': expected digits, found blanks");
	/* zeros in a date mean "no date" */
	assert_int_equal(layout_read_date(dia, r, &w, CDATE_NONE, &dt, &err), 0);
	assert_int_equal(dt, CDATE_NONE);

	/* non-printable bytes are shown escaped */
	memcpy(r,
	       "3Y0000\xC7\x01"
	       "00          ",
	       20);
	assert_int_equal(layout_read_money(valor, r, &w, &v, &err), -1);
	diag_format(&err, buf, sizeof buf);
	assert_non_null(strstr(buf, "found \"0000\\xC7\\x0100\""));
	layout_free(l);

	/* blank-ok money: 0 with a warning */
	static const char money_text[] = "layout m\nfamily f\nlength 10\nrecord r when 1-1 = \"1\"\n"
	                                 "  field v 2 6 money blank-ok\n  field d 3 10 date8\n"
	                                 "  field y 3 10 date8ymd\n  field t 2 10 alnum\n";
	l = parse_ok(money_text);
	d = layout_record_by_name(l, "r");
	memcpy(r, "1         ", 10);
	assert_int_equal(layout_read_money(layout_field_by_name(d, "v"), r, &w, &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wl.n, 1);
	assert_string_equal(wl.last, "data.ret:7:2: warning: field 'v': blank amount read as 0");
	/* a required date8 that is blank */
	assert_int_equal(layout_read_date(layout_field_by_name(d, "d"), r, &w, CDATE_NONE, &dt, &err), -1);
	assert_non_null(strstr(err.msg, "expected a date (DDMMAAAA), found blanks"));
	memcpy(r, "1 31022024", 10);
	assert_int_equal(layout_read_date(layout_field_by_name(d, "d"), r, &w, CDATE_NONE, &dt, &err), -1);
	assert_non_null(strstr(err.msg, "expected a date (DDMMAAAA), found \"31022024\""));
	assert_int_equal(err.col, 3);
	memcpy(r, "1 29022024", 10);
	assert_int_equal(layout_read_date(layout_field_by_name(d, "d"), r, &w, CDATE_NONE, &dt, &err), 0);
	assert_int_equal(dt, date_from_ymd(2024, 2, 29));
	memcpy(r, "1 20241124", 10);
	assert_int_equal(layout_read_date(layout_field_by_name(d, "y"), r, &w, CDATE_NONE, &dt, &err), 0);
	assert_int_equal(dt, date_from_ymd(2024, 11, 24));

	/* text: trimmed, Latin-1 converted to UTF-8; raw: trimmed bytes */
	char out[64];
	memcpy(r,
	       "1 COBRAN\xC7"
	       "A ",
	       10);
	layout_read_text(layout_field_by_name(d, "t"), r, out, sizeof out);
	assert_string_equal(out, "COBRANÇA");
	layout_read_raw(layout_field_by_name(d, "t"), r, out, sizeof out);
	assert_string_equal(out, "COBRAN\xC7"
	                         "A");
	/* small output buffers truncate safely */
	layout_read_raw(layout_field_by_name(d, "t"), r, out, 4);
	assert_string_equal(out, "COB");
	size_t len;
	const unsigned char *p = layout_field_bytes(layout_field_by_name(d, "t"), r, &len);
	assert_int_equal(len, 9);
	assert_ptr_equal(p, r + 1);
	assert_false(layout_field_is_blank(layout_field_by_name(d, "t"), r));
	layout_free(l);
}

/* Every width from 1 to 18 digits, every position of a bad character:
 * the reader parses eight digits at a time, so lengths around multiples of
 * 8 are where it could go wrong. */
static void test_digit_widths(void **state)
{
	(void)state;
	char text[4096];
	size_t o =
	    (size_t)snprintf(text, sizeof text, "layout w\nfamily f\nlength 18\nrecord r when 1-1 = \"9\"\n");
	for (int w = 1; w <= 18; w++)
		o += (size_t)snprintf(text + o, sizeof text - o,
		                      "  field n%d 1 %d num\n"
		                      "  field m%d 1 %d money\n",
		                      w, w, w, w);
	struct layout *l = parse_ok(text);
	const struct layout_record *r = layout_record_by_name(l, "r");
	struct diag err;
	unsigned seed = 12345;
	for (int w = 1; w <= 18; w++) {
		char name[8];
		snprintf(name, sizeof name, "n%d", w);
		const struct layout_field *n = layout_field_by_name(r, name);
		snprintf(name, sizeof name, "m%d", w);
		const struct layout_field *m = layout_field_by_name(r, name);
		for (int trial = 0; trial < 50; trial++) {
			unsigned char rec[19];
			int64_t want = 0, got = -1, cents = -1;
			for (int i = 0; i < 18; i++) {
				seed = seed * 1103515245u + 12345u;
				rec[i] = (unsigned char)('0' + (seed >> 16) % 10);
				if (i < w)
					want = want * 10 + (rec[i] - '0');
			}
			rec[18] = '\0';
			assert_int_equal(layout_read_num(n, rec, NULL, &got, &err), 0);
			assert_int_equal(got, want);
			if (want <= INT64_C(100000000000000000)) {
				assert_int_equal(layout_read_money(m, rec, NULL, &cents, &err), 0);
				assert_int_equal(cents, want);
			}
			/* a bad byte anywhere in the field is found */
			static const unsigned char bad[] = {'/', ':', ' ', 'A', 0x00, 0xB0, 0x3A};
			for (int pos = 0; pos < w; pos++) {
				unsigned char keep = rec[pos];
				rec[pos] = bad[(pos + trial) % sizeof bad];
				if (layout_read_num(n, rec, NULL, &got, &err) != -1)
					fail_msg("width %d: byte 0x%02X at %d accepted", w, rec[pos], pos);
				assert_int_equal(err.col, 1);
				rec[pos] = keep;
			}
		}
	}
	layout_free(l);
}

static void test_load_file(void **state)
{
	(void)state;
	char path[] = "/tmp/test-layout-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fputs(base_text, fp);
	fputs("record broken when 1-1 = \"9\"\n  field z 1 2 wrong\n", fp);
	fclose(fp);
	struct diag err;
	char buf[1024];
	struct layout *l = layout_load_file(path, &err);
	assert_null(l);
	diag_format(&err, buf, sizeof buf);
	char want[128];
	snprintf(want, sizeof want, "%s:22:15: error: unknown type \"wrong\"", path);
	if (strncmp(buf, want, strlen(want)) != 0)
		fail_msg("got %s, want %s", buf, want);

	fp = fopen(path, "w");
	fputs(base_text, fp);
	fclose(fp);
	l = layout_load_file(path, &err);
	assert_non_null(l);
	assert_string_equal(layout_name(l), "base");
	layout_free(l);
	unlink(path);

	assert_null(layout_load_file("/nonexistent/dir/x.layout", &err));
	diag_format(&err, buf, sizeof buf);
	assert_non_null(strstr(buf, "/nonexistent/dir/x.layout"));
	assert_non_null(strstr(buf, "cannot open layout"));
}

static void test_event_kind_names(void **state)
{
	(void)state;
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		assert_int_equal(event_kind_from_name(event_kind_name((enum event_kind)k)), k);
	assert_string_equal(event_kind_name(EVENT_LIQUIDATION_AFTER_WRITEOFF), "liquidation_after_writeoff");
	assert_int_equal(event_kind_from_name("paid"), EVENT_KIND_COUNT);
	assert_int_equal(event_kind_from_name(NULL), EVENT_KIND_COUNT);
	assert_true(event_kind_is_payment(EVENT_LIQUIDATION));
	assert_true(event_kind_is_payment(EVENT_LIQUIDATION_AFTER_WRITEOFF));
	assert_false(event_kind_is_payment(EVENT_WRITEOFF));
	assert_false(event_kind_is_payment(EVENT_UNKNOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin_febraban),
	    cmocka_unit_test(test_builtins_all_parse),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_syntax_ok_forms),
	    cmocka_unit_test(test_match_specific_first),
	    cmocka_unit_test(test_inherits),
	    cmocka_unit_test(test_occurrences_reset),
	    cmocka_unit_test(test_inherits_chain_and_builtin),
	    cmocka_unit_test(test_read_fields),
	    cmocka_unit_test(test_digit_widths),
	    cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_event_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
