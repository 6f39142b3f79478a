/* CPF (11 digits) and CNPJ (14 characters) validation and display.
 *
 * Both use mod-11 check digits. For the CNPJ each character counts as its
 * ASCII code minus 48, which leaves digits unchanged and lets the
 * alphanumeric CNPJ (letters in the 12 base positions, Receita Federal from
 * July 2026) validate with the very same rule. */
#include "config.h"

#include "core/taxid.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The explanations are static strings (the header promises callers may keep
 * the pointer), so the variable parts come from tables built with the
 * preprocessor: ROW(f, "4") expands to f("40"), ..., f("49"). */
#define ROW(f, p) \
	f(p "0"), f(p "1"), f(p "2"), f(p "3"), f(p "4"), f(p "5"), f(p "6"), f(p "7"), f(p "8"), f(p "9")
#define HUNDRED(f) \
	ROW(f, "0"), ROW(f, "1"), ROW(f, "2"), ROW(f, "3"), ROW(f, "4"), ROW(f, "5"), ROW(f, "6"), \
		ROW(f, "7"), ROW(f, "8"), ROW(f, "9")

#define CPF_MISMATCH(x) "CPF check digits do not match (expected " x ")"
#define CNPJ_MISMATCH(x) "CNPJ check digits do not match (expected " x ")"
#define BAD_COUNT(x) "11 digits for a CPF or 14 characters for a CNPJ expected, found " x

static const char *const cpf_mismatch[100] = {HUNDRED(CPF_MISMATCH)};
static const char *const cnpj_mismatch[100] = {HUNDRED(CNPJ_MISMATCH)};
static const char *const bad_count[30] = {
	BAD_COUNT("0"), BAD_COUNT("1"), BAD_COUNT("2"), BAD_COUNT("3"), BAD_COUNT("4"),
	BAD_COUNT("5"), BAD_COUNT("6"), BAD_COUNT("7"), BAD_COUNT("8"), BAD_COUNT("9"),
	ROW(BAD_COUNT, "1"), ROW(BAD_COUNT, "2"),
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Mod-11 check digit over s[0..n) with weights counting down from
 * first_weight to 2 and then restarting at 9 (CPF weights never restart
 * because they start at 10 or 11 and n is short enough). */
static int mod11(const char *s, size_t n, int first_weight, int restart)
{
	int sum = 0, w = first_weight;

	for (size_t i = 0; i < n; i++) {
		sum += (s[i] - '0') * w;
		w = w == 2 && restart ? 9 : w - 1;
	}
	int r = sum % 11;
	return r < 2 ? 0 : 11 - r;
}

static bool all_same(const char *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (s[i] != s[0])
			return false;
	return true;
}

static enum taxid_kind check_cpf(const char *c, const char **why)
{
	for (int i = 0; i < 11; i++) {
		if (!is_digit(c[i])) {
			*why = "a CPF has only digits (letters are allowed in a CNPJ only)";
			return TAXID_NONE;
		}
	}
	if (all_same(c, 11)) {
		*why = "CPF with all digits equal is not valid";
		return TAXID_NONE;
	}
	int d1 = mod11(c, 9, 10, 0);
	int d2 = mod11(c, 10, 11, 0);
	/* The second digit is computed over the first as written, so a
	 * mismatch in the first is reported with the digits expected for the
	 * base as a whole. */
	if (c[9] - '0' != d1 || c[10] - '0' != d2) {
		char fixed[11];
		memcpy(fixed, c, 9);
		fixed[9] = (char)('0' + d1);
		d2 = mod11(fixed, 10, 11, 0);
		*why = cpf_mismatch[d1 * 10 + d2];
		return TAXID_NONE;
	}
	return TAXID_CPF;
}

static enum taxid_kind check_cnpj(const char *c, const char **why)
{
	for (int i = 0; i < 12; i++) {
		if (!is_digit(c[i]) && !(c[i] >= 'A' && c[i] <= 'Z')) {
			*why = "invalid character in CNPJ";
			return TAXID_NONE;
		}
	}
	if (!is_digit(c[12]) || !is_digit(c[13])) {
		*why = "the CNPJ check digits (last two) must be digits";
		return TAXID_NONE;
	}
	if (all_same(c, 14)) {
		*why = "CNPJ with all digits equal is not valid";
		return TAXID_NONE;
	}
	int d1 = mod11(c, 12, 5, 1);
	char fixed[13];
	memcpy(fixed, c, 12);
	fixed[12] = (char)('0' + d1);
	int d2 = mod11(fixed, 13, 6, 1);
	if (c[12] - '0' != d1 || c[13] - '0' != d2) {
		*why = cnpj_mismatch[d1 * 10 + d2];
		return TAXID_NONE;
	}
	return TAXID_CNPJ;
}

/* out always ends up NUL-terminated: with the (first 14) significant
 * characters found, or "" when a character is not allowed at all. */
enum taxid_kind taxid_normalize(const char *s, size_t len, char *out, const char **why)
{
	const char *dummy;
	size_t n = 0;

	if (why == NULL)
		why = &dummy;
	out[0] = '\0';
	if (s == NULL)
		len = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '.' || c == '-' || c == '/' || c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) {
			out[0] = '\0';
			*why = "invalid character in CPF/CNPJ (expected digits, letters, '.', '-' or '/')";
			return TAXID_NONE;
		}
		if (n < 14)
			out[n] = c;
		n++;
	}
	out[n < 14 ? n : 14] = '\0';

	if (n == 11)
		return check_cpf(out, why);
	if (n == 14)
		return check_cnpj(out, why);
	if (n == 0)
		*why = "empty CPF/CNPJ";
	else if (n < sizeof(bad_count) / sizeof(bad_count[0]))
		*why = bad_count[n];
	else
		*why = "11 digits for a CPF or 14 characters for a CNPJ expected, found more";
	return TAXID_NONE;
}

static void copy_out(const char *text, char *out, size_t n)
{
	if (n == 0)
		return;
	snprintf(out, n, "%s", text);
}

void taxid_format(const char *normalized, char *out, size_t n)
{
	char buf[24];
	size_t len = strlen(normalized);
	const char *c = normalized;

	if (len == 11)
		snprintf(buf, sizeof(buf), "%.3s.%.3s.%.3s-%.2s", c, c + 3, c + 6, c + 9);
	else if (len == 14)
		snprintf(buf, sizeof(buf), "%.2s.%.3s.%.3s/%.4s-%.2s", c, c + 2, c + 5, c + 8, c + 12);
	else
		snprintf(buf, sizeof(buf), "%.20s", c);
	copy_out(buf, out, n);
}

/* Anything that is neither a CPF nor a CNPJ is masked whole: when in doubt,
 * print less. */
void taxid_mask(const char *normalized, char *out, size_t n)
{
	char buf[24];
	size_t len = strlen(normalized);

	if (len == 11) {
		snprintf(buf, sizeof(buf), "***.%.3s.%.3s-**", normalized + 3, normalized + 6);
		copy_out(buf, out, n);
	} else if (len == 14) {
		taxid_format(normalized, out, n);
	} else {
		copy_out("***", out, n);
	}
}
