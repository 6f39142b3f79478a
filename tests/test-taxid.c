/* Unit tests for src/core/taxid.c: CPF and CNPJ (numeric and
 * alphanumeric) normalization, check digits, masks and formats. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/taxid.h"

struct valid_case {
	const char *in;
	enum taxid_kind kind;
	const char *normalized;
};

static void test_valid(void **state)
{
	static const struct valid_case cases[] = {
		{"529.982.247-25", TAXID_CPF, "52998224725"},
		{"52998224725", TAXID_CPF, "52998224725"},
		{" 529 982 247 25 ", TAXID_CPF, "52998224725"},
		{"123.456.789-09", TAXID_CPF, "12345678909"},
		{"000.000.001-91", TAXID_CPF, "00000000191"},
		{"11.222.333/0001-81", TAXID_CNPJ, "11222333000181"},
		{"11222333000181", TAXID_CNPJ, "11222333000181"},
		{"11.222.333/0002-62", TAXID_CNPJ, "11222333000262"},
		{"00.000.000/0001-91", TAXID_CNPJ, "00000000000191"},
		/* alphanumeric CNPJ, Receita Federal's example */
		{"12.ABC.345/01DE-35", TAXID_CNPJ, "12ABC34501DE35"},
		{"12ABC34501DE35", TAXID_CNPJ, "12ABC34501DE35"},
		{"12.abc.345/01de-35", TAXID_CNPJ, "12ABC34501DE35"},
		{"AB.CDE.FGH/IJKL-80", TAXID_CNPJ, "ABCDEFGHIJKL80"},
	};
	char out[15];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		memset(out, 'x', sizeof(out));
		enum taxid_kind k = taxid_normalize(cases[i].in, strlen(cases[i].in), out, &why);
		if (k != cases[i].kind || strcmp(out, cases[i].normalized) != 0)
			fail_msg("'%s': kind %d out '%s' why %s", cases[i].in, (int)k, out,
				 why ? why : "(null)");
	}
}

struct invalid_case {
	const char *in;
	const char *why; /* exact text */
};

static void test_invalid(void **state)
{
	static const struct invalid_case cases[] = {
		{"529.982.247-24", "CPF check digits do not match (expected 25)"},
		{"529.982.247-15", "CPF check digits do not match (expected 25)"},
		{"123.456.789-00", "CPF check digits do not match (expected 09)"},
		{"11.222.333/0001-80", "CNPJ check digits do not match (expected 81)"},
		{"11.222.333/0001-18", "CNPJ check digits do not match (expected 81)"},
		{"12.ABC.345/01DE-53", "CNPJ check digits do not match (expected 35)"},
		{"12.ABD.345/01DE-35", "CNPJ check digits do not match (expected 50)"},
		{"000.000.000-00", "CPF with all digits equal is not valid"},
		{"111.111.111-11", "CPF with all digits equal is not valid"},
		{"11111111111111", "CNPJ with all digits equal is not valid"},
		{"00.000.000/0000-00", "CNPJ with all digits equal is not valid"},
		{"12345678", "11 digits for a CPF or 14 characters for a CNPJ expected, found 8"},
		{"123.456.789", "11 digits for a CPF or 14 characters for a CNPJ expected, found 9"},
		{"1234567890123", "11 digits for a CPF or 14 characters for a CNPJ expected, found 13"},
		{"123456789012345", "11 digits for a CPF or 14 characters for a CNPJ expected, found 15"},
		{"1234567890123456789012345678",
		 "11 digits for a CPF or 14 characters for a CNPJ expected, found 28"},
		{"1234567890123456789012345678901234567890",
		 "11 digits for a CPF or 14 characters for a CNPJ expected, found more"},
		{"", "empty CPF/CNPJ"},
		{" ./- ", "empty CPF/CNPJ"},
		{"529.982.247-2A", "a CPF has only digits (letters are allowed in a CNPJ only)"},
		{"12.ABC.345/01DE-3A", "the CNPJ check digits (last two) must be digits"},
		{"529,982,247-25", "invalid character in CPF/CNPJ (expected digits, letters, '.', '-' or '/')"},
		{"12.ABÇ.345/01DE-35", "invalid character in CPF/CNPJ (expected digits, letters, '.', '-' or '/')"},
	};
	char out[15];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		enum taxid_kind k = taxid_normalize(cases[i].in, strlen(cases[i].in), out, &why);
		if (k != TAXID_NONE || why == NULL || strcmp(why, cases[i].why) != 0)
			fail_msg("'%s': kind %d why '%s', expected '%s'", cases[i].in, (int)k,
				 why ? why : "(null)", cases[i].why);
		assert_true(strlen(out) <= 14);
	}
	/* why may be NULL; only len bytes are read */
	assert_int_equal(taxid_normalize("52998224725999", 11, out, NULL), TAXID_CPF);
	assert_string_equal(out, "52998224725");
	assert_int_equal(taxid_normalize("5299822472", 10, out, NULL), TAXID_NONE);
}

/* Changing one character of a valid number breaks it unless the values
 * (ASCII - 48) differ by a multiple of 11, which mod-11 cannot see: digits
 * never do, letters can ("G" = 23 against "1"). So the alphanumeric CNPJ
 * accepts exactly those substitutions, and the CPF and numeric CNPJ none. */
static void test_single_substitutions(void **state)
{
	static const char *const valid[] = {"52998224725", "11222333000181", "12ABC34501DE35"};
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char buf[15], out[15];
	int blind = 0;

	(void)state;
	for (size_t v = 0; v < 3; v++) {
		size_t len = strlen(valid[v]);
		for (size_t pos = 0; pos < len; pos++) {
			for (size_t a = 0; a < sizeof(alphabet) - 1; a++) {
				memcpy(buf, valid[v], len + 1);
				if (buf[pos] == alphabet[a])
					continue;
				int delta = alphabet[a] - buf[pos];
				buf[pos] = alphabet[a];
				/* letters: only in the 12 base places of a CNPJ */
				int allowed = len == 14 && pos < 12;
				int letter = alphabet[a] >= 'A';
				int expect_ok = (!letter || allowed) && delta % 11 == 0;
				enum taxid_kind k = taxid_normalize(buf, len, out, NULL);
				if ((k != TAXID_NONE) != expect_ok)
					fail_msg("'%s' (from %s): kind %d", buf, valid[v], (int)k);
				blind += expect_ok;
			}
		}
	}
	assert_true(blind > 0); /* the blind spot was exercised, not skipped */
}

static void test_mask_and_format(void **state)
{
	char out[20];

	(void)state;
	taxid_mask("52998224725", out, sizeof(out));
	assert_string_equal(out, "***.982.247-**");
	taxid_mask("11222333000181", out, sizeof(out));
	assert_string_equal(out, "11.222.333/0001-81");
	taxid_mask("12ABC34501DE35", out, sizeof(out));
	assert_string_equal(out, "12.ABC.345/01DE-35");
	taxid_mask("123", out, sizeof(out));
	assert_string_equal(out, "***");
	taxid_mask("", out, sizeof(out));
	assert_string_equal(out, "***");

	taxid_format("52998224725", out, sizeof(out));
	assert_string_equal(out, "529.982.247-25");
	taxid_format("11222333000181", out, sizeof(out));
	assert_string_equal(out, "11.222.333/0001-81");
	taxid_format("12ABC34501DE35", out, sizeof(out));
	assert_string_equal(out, "12.ABC.345/01DE-35");
	taxid_format("12345", out, sizeof(out));
	assert_string_equal(out, "12345");

	/* short buffers are cut, never overrun */
	char small[8];
	memset(small, 'x', sizeof(small));
	taxid_format("11222333000181", small, sizeof(small));
	assert_string_equal(small, "11.222.");
	taxid_mask("52998224725", small, 5);
	assert_string_equal(small, "***.");
}

static void test_round_trip(void **state)
{
	static const char *const inputs[] = {"529.982.247-25", "11.222.333/0001-81",
					     "12.ABC.345/01DE-35"};
	char norm[15], pretty[20], again[15];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		enum taxid_kind k = taxid_normalize(inputs[i], strlen(inputs[i]), norm, NULL);
		assert_true(k != TAXID_NONE);
		taxid_format(norm, pretty, sizeof(pretty));
		assert_string_equal(pretty, inputs[i]);
		assert_int_equal(taxid_normalize(pretty, strlen(pretty), again, NULL), k);
		assert_string_equal(again, norm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_single_substitutions),
		cmocka_unit_test(test_mask_and_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
