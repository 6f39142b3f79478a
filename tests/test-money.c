/* Unit tests for src/core/money.c: parsing, formatting, percentages and
 * exact rounding. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/money.h"

struct ok_case {
	const char *in;
	int64_t cents;
};

struct bad_case {
	const char *in;
	const char *why_part; /* substring expected in *why */
};

static void test_parse_decimal_ok(void **state)
{
	static const struct ok_case cases[] = {
		{"1234.56", 123456},
		{"1234,56", 123456},
		{"1.234,56", 123456},
		{"1,234.56", 123456},
		{"1234", 123400},
		{"1234,5", 123450},
		{"1234.5", 123450},
		{"-12.00", -1200},
		{"R$ 1.234,56", 123456},
		{"R$1.234,56", 123456},
		{"r$ 10,00", 1000},
		{"-R$ 0,05", -5},
		{"R$ -0,05", -5},
		{"  42  ", 4200},
		{"\t7,1\t", 710},
		{"0", 0},
		{"-0,00", 0},
		{"0,01", 1},
		{"007", 700},
		{"1.234.567,89", 123456789},
		{"1,234,567.89", 123456789},
		{"1.234.567", 123456700},
		{"1,234,567", 123456700},
		{"12.34", 1234},
		{"12,3", 1230},
		{"R$\xC2\xA0" "1.234,56", 123456}, /* no-break space from spreadsheets */
		{"1000000000000000", MONEY_MAX_CENTS},     /* R$ 10^15: the ceiling */
		{"999.999.999.999.999,99", MONEY_MAX_CENTS - 1},
		{"-1000000000000000.00", -MONEY_MAX_CENTS},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -777;
		const char *why = NULL;
		int rc = money_parse_decimal(cases[i].in, strlen(cases[i].in), &v, &why);
		if (rc != 0 || v != cases[i].cents)
			fail_msg("'%s': rc=%d v=%lld why=%s", cases[i].in, rc, (long long)v,
				 why ? why : "(null)");
	}
}

static void test_parse_decimal_bad(void **state)
{
	static const struct bad_case cases[] = {
		{"", "empty"},
		{"   ", "empty"},
		{"R$", "no digits"},
		{"-", "no digits"},
		{"abc", "invalid character"},
		{"12a", "invalid character"},
		{"1e5", "invalid character"},
		{"+5", "invalid character"},
		{"--5", "invalid character"},
		{"1 234,56", "invalid character"},
		{"1.234", "ambiguous"},
		{"1,234", "ambiguous"},
		{"0,123", "ambiguous"},
		{"1.23,45", "thousands"},
		{"1,23.45", "thousands"},
		{"1.2345,67", "thousands"},
		{"12345.678,90", "thousands"},
		{"1.234.5", "thousands"},
		{"1.234,56,78", "thousands"},
		{"1,234.567.8", "thousands"},
		{".50", "start with a digit"},
		{",5", "start with a digit"},
		{"12.", "no digits after"},
		{"1.234,", "no digits after"},
		{"1.2345", "more than two decimals"},
		{"1,999", "ambiguous"},
		{"1,9999", "more than two decimals"},
		{"1.234,567", "more than two decimals"},
		{"1000000000000000,01", "too large"},
		{"1000000000000001", "too large"},
		{"99999999999999999999999999", "too large"},
		{"-99999999999999999999999999", "too large"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -777;
		const char *why = NULL;
		int rc = money_parse_decimal(cases[i].in, strlen(cases[i].in), &v, &why);
		if (rc != -1 || v != -777 || why == NULL || strstr(why, cases[i].why_part) == NULL)
			fail_msg("'%s': rc=%d v=%lld why=%s (wanted '%s')", cases[i].in, rc,
				 (long long)v, why ? why : "(null)", cases[i].why_part);
	}
}

static void test_parse_decimal_uses_len(void **state)
{
	int64_t v = 0;
	const char *why = NULL;

	(void)state;
	/* Only the first 4 bytes count: no NUL termination needed. */
	assert_int_equal(money_parse_decimal("12,3456", 4, &v, &why), 0);
	assert_int_equal(v, 1230);
	assert_int_equal(money_parse_decimal(NULL, 0, &v, &why), -1);
	/* why may be NULL */
	assert_int_equal(money_parse_decimal("x", 1, &v, NULL), -1);
}

static void test_parse_digits(void **state)
{
	int64_t v = -1;
	size_t bad = 999;

	(void)state;
	assert_int_equal(money_parse_digits("000000000012345", 15, &v, &bad), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(money_parse_digits("0", 1, &v, &bad), 0);
	assert_int_equal(v, 0);
	assert_int_equal(money_parse_digits("999999999999999", 15, &v, &bad), 0);
	assert_int_equal(v, INT64_C(999999999999999));
	/* Leading zeros never overflow, however many. */
	assert_int_equal(money_parse_digits("000000000000000000000000000007", 30, &v, &bad), 0);
	assert_int_equal(v, 7);

	v = -1;
	assert_int_equal(money_parse_digits("00000001234 56", 14, &v, &bad), -1);
	assert_int_equal(bad, 11);
	assert_int_equal(v, -1);
	assert_int_equal(money_parse_digits("               ", 15, &v, &bad), -1);
	assert_int_equal(bad, 0);
	assert_int_equal(money_parse_digits("-12", 3, &v, &bad), -1);
	assert_int_equal(bad, 0);
	assert_int_equal(money_parse_digits("12.5", 4, &v, &bad), -1);
	assert_int_equal(bad, 2);
	assert_int_equal(money_parse_digits("", 0, &v, &bad), -1);
	assert_int_equal(bad, 0);

	/* Overflow: bad_index points at the digit that went too far. */
	assert_int_equal(money_parse_digits("100000000000000000", 18, &v, &bad), 0);
	assert_int_equal(v, MONEY_MAX_CENTS);
	assert_int_equal(money_parse_digits("100000000000000001", 18, &v, &bad), -1);
	assert_int_equal(bad, 17);
	assert_int_equal(money_parse_digits("99999999999999999999", 20, &v, &bad), -1);
	assert_int_equal(bad, 17);
	/* bad_index may be NULL */
	assert_int_equal(money_parse_digits("x", 1, &v, NULL), -1);
}

static void test_format(void **state)
{
	static const struct {
		int64_t cents;
		const char *plain, *brl, *comma;
	} cases[] = {
		{0, "0.00", "R$ 0,00", "0,00"},
		{5, "0.05", "R$ 0,05", "0,05"},
		{-5, "-0.05", "-R$ 0,05", "-0,05"},
		{100, "1.00", "R$ 1,00", "1,00"},
		{123456, "1234.56", "R$ 1.234,56", "1234,56"},
		{-123456, "-1234.56", "-R$ 1.234,56", "-1234,56"},
		{99999, "999.99", "R$ 999,99", "999,99"},
		{100000, "1000.00", "R$ 1.000,00", "1000,00"},
		{123456789012, "1234567890.12", "R$ 1.234.567.890,12", "1234567890,12"},
		{INT64_MAX, "92233720368547758.07", "R$ 92.233.720.368.547.758,07",
		 "92233720368547758,07"},
		{INT64_MIN, "-92233720368547758.08", "-R$ 92.233.720.368.547.758,08",
		 "-92233720368547758,08"},
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(money_format(cases[i].cents, buf, sizeof(buf)), strlen(cases[i].plain));
		assert_string_equal(buf, cases[i].plain);
		assert_int_equal(money_format_brl(cases[i].cents, buf, sizeof(buf)), strlen(cases[i].brl));
		assert_string_equal(buf, cases[i].brl);
		assert_int_equal(money_format_comma(cases[i].cents, buf, sizeof(buf)),
				 strlen(cases[i].comma));
		assert_string_equal(buf, cases[i].comma);
	}
}

static void test_format_small_buffer(void **state)
{
	char buf[5];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(money_format(123456, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "1234");
	assert_int_equal(money_format(123456, buf, 0), 0);
	assert_int_equal(buf[0], '1'); /* untouched */
}

static void test_round_trip(void **state)
{
	static const int64_t values[] = {0, 1, -1, 99, 100, 101, 123456, -987654321, MONEY_MAX_CENTS,
					 -MONEY_MAX_CENTS};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int64_t v;
		const char *why;
		size_t n = money_format_brl(values[i], buf, sizeof(buf));
		assert_int_equal(money_parse_decimal(buf, n, &v, &why), 0);
		assert_int_equal(v, values[i]);
		n = money_format(values[i], buf, sizeof(buf));
		if (values[i] >= -99999 && values[i] <= 99999) {
			/* below 1000 the machine form has no ambiguity */
			assert_int_equal(money_parse_decimal(buf, n, &v, &why), 0);
			assert_int_equal(v, values[i]);
		}
	}
}

static void test_percent(void **state)
{
	static const struct ok_case ok[] = {
		{"2", 20000},       {"2.5", 25000},  {"2,5", 25000},   {"0.0333", 333},
		{"0,033", 330},     {"1.0000", 10000}, {"100", 1000000}, {"100.0000", 1000000},
		{"0", 0},           {" 1 ", 10000},  {"2%", 20000},    {"0,0001", 1},
		{"007.5", 75000},
	};
	static const struct bad_case bad[] = {
		{"", "empty"},
		{"%", "empty"},
		{"-1", "negative"},
		{"100.0001", "above 100%"},
		{"101", "above 100%"},
		{"99999999999999999999", "above 100%"},
		{"0.00001", "more than four decimals"},
		{"2.", "no digits after"},
		{".5", "start with a digit"},
		{"2.5.1", "invalid character"},
		{"1,000.5", "invalid character"},
		{"abc", "start with a digit"},
		{"2 5", "invalid character"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = -1;
		const char *why = NULL;
		int rc = percent_parse(ok[i].in, strlen(ok[i].in), &v, &why);
		if (rc != 0 || v != ok[i].cents)
			fail_msg("'%s': rc=%d v=%lld why=%s", ok[i].in, rc, (long long)v,
				 why ? why : "(null)");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = -777;
		const char *why = NULL;
		int rc = percent_parse(bad[i].in, strlen(bad[i].in), &v, &why);
		if (rc != -1 || v != -777 || why == NULL || strstr(why, bad[i].why_part) == NULL)
			fail_msg("'%s': rc=%d why=%s (wanted '%s')", bad[i].in, rc,
				 why ? why : "(null)", bad[i].why_part);
	}
}

static void test_muldiv_known(void **state)
{
	(void)state;
	/* 2% of R$ 1.234,56 = 24,6912 -> 24,69 */
	assert_int_equal(money_muldiv_round(123456, 20000, 1000000), 2469);
	/* halves go away from zero */
	assert_int_equal(money_muldiv_round(5, 1, 10), 1);
	assert_int_equal(money_muldiv_round(-5, 1, 10), -1);
	assert_int_equal(money_muldiv_round(15, 1, 10), 2);
	assert_int_equal(money_muldiv_round(-15, 1, 10), -2);
	assert_int_equal(money_muldiv_round(25, 1, 10), 3);
	assert_int_equal(money_muldiv_round(4, 1, 10), 0);
	assert_int_equal(money_muldiv_round(-4, 1, 10), 0);
	assert_int_equal(money_muldiv_round(1, 1, 3), 0);
	assert_int_equal(money_muldiv_round(2, 1, 3), 1);
	assert_int_equal(money_muldiv_round(-2, 1, 3), -1);
	assert_int_equal(money_muldiv_round(7, 3, 1), 21);
	assert_int_equal(money_muldiv_round(0, INT64_MAX, 7), 0);
	/* intermediates far beyond 64 bits */
	assert_int_equal(money_muldiv_round(INT64_MAX, INT64_MAX, INT64_MAX), INT64_MAX);
	assert_int_equal(money_muldiv_round(INT64_MIN, INT64_MIN, INT64_MIN), INT64_MIN);
	assert_int_equal(money_muldiv_round(INT64_MIN, INT64_MAX, INT64_MAX), INT64_MIN);
	assert_int_equal(money_muldiv_round(INT64_MAX, 3, 6), INT64_MAX / 2 + 1); /* x.5 rounds up */
	assert_int_equal(money_muldiv_round(INT64_MIN, 1, 2), INT64_MIN / 2);
	assert_int_equal(money_muldiv_round(INT64_MIN + 1, 1, 2), INT64_MIN / 2); /* -x.5 away */
	assert_int_equal(money_muldiv_round(INT64_MAX, INT64_MAX - 1, INT64_MAX), INT64_MAX - 1);
	/* daily interest: 1% a month on R$ 1.000,00 for 1 day, 30-day month */
	assert_int_equal(money_muldiv_round(100000, 10000, 30 * 1000000), 33);
	/* out of range (caller bug) saturates instead of wrapping */
	assert_int_equal(money_muldiv_round(INT64_MAX, 2, 1), INT64_MAX);
	assert_int_equal(money_muldiv_round(INT64_MIN, -1, 1), INT64_MAX);
	assert_int_equal(money_muldiv_round(INT64_MIN, 2, 1), INT64_MIN);
	/* negative and zero divisors (caller bugs) stay defined */
	assert_int_equal(money_muldiv_round(10, 1, -4), -3);
	assert_int_equal(money_muldiv_round(10, 1, 0), 0);
}

/* splitmix64: a fixed pseudo-random sequence, so failures reproduce. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Checks the defining property rather than re-deriving the algorithm:
 * r is the integer nearest to a*b/d, and on an exact tie the one farther
 * from zero. */
static void test_muldiv_property(void **state)
{
	uint64_t seed = 12345;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		/* mix of magnitudes so that small and huge operands both occur */
		int sa = (int)(next_random(&seed) % 63), sb = (int)(next_random(&seed) % 63);
		int sd = (int)(next_random(&seed) % 63);
		int64_t a = (int64_t)(next_random(&seed) >> (1 + sa));
		int64_t b = (int64_t)(next_random(&seed) >> (1 + sb));
		int64_t d = (int64_t)(next_random(&seed) >> (1 + sd));
		if (d == 0)
			d = 1;
		if (next_random(&seed) & 1)
			a = -a;
		if (next_random(&seed) & 1)
			b = -b;
		__int128 p = (__int128)a * b;
		__int128 q = p / d;
		if (q > INT64_MAX - 1 || q < INT64_MIN + 1)
			continue; /* result would not fit: outside the contract */
		int64_t r = money_muldiv_round(a, b, d);
		__int128 err = p - (__int128)r * d; /* p - r*d, must be within d/2 */
		__int128 twice = 2 * err;
		int ok;
		if (twice == d)
			ok = p < 0; /* r*d below p: only right when p < 0 rounded down */
		else if (twice == -d)
			ok = p > 0; /* r*d above p: only right when p > 0 rounded up */
		else
			ok = twice < d && twice > -d;
		if (!ok)
			fail_msg("a=%lld b=%lld d=%lld r=%lld", (long long)a, (long long)b, (long long)d,
				 (long long)r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_decimal_ok),
		cmocka_unit_test(test_parse_decimal_bad),
		cmocka_unit_test(test_parse_decimal_uses_len),
		cmocka_unit_test(test_parse_digits),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_muldiv_known),
		cmocka_unit_test(test_muldiv_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
