/* Boleto barcode, linha digitável, fator de vencimento and arrecadação
 * codes (reference/boleto.md §1-§3). Everything here runs in the
 * benchmark's hot path: no allocation and no printf family unless a
 * diagnostic has to be written. */
#include "config.h"

#include "codec/boleto.h"

#include <stdio.h>
#include <string.h>

int boleto_mod10(const char *digits, size_t n)
{
	/* digit sum of 2 x d, for the digits weighted 2 (14 -> 1 + 4) */
	static const unsigned char twice[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
	unsigned sum = 0;
	size_t i = n;
	while (i >= 2) {
		sum += twice[digits[i - 1] - '0'] + (unsigned)(digits[i - 2] - '0');
		i -= 2;
	}
	if (i)
		sum += twice[digits[0] - '0'];
	return (int)((10 - sum % 10) % 10);
}

unsigned boleto_mod11_sum(const char *digits, size_t n, int wmin, int wmax)
{
	unsigned sum = 0;
	int w = wmin;
	for (size_t i = n; i-- > 0;) {
		sum += (unsigned)(digits[i] - '0') * (unsigned)w;
		w = w == wmax ? wmin : w + 1;
	}
	return sum;
}

int boleto_mod11_barcode(const char *digits, size_t n)
{
	int d = 11 - (int)(boleto_mod11_sum(digits, n, 2, 9) % 11);
	return d == 0 || d == 10 || d == 11 ? 1 : d;
}

int boleto_barcode_dv(const char *barcode)
{
	/* Weights 2..9 from the right over positions 1-4 and 6-44, laid out
	 * per barcode position (position 5, the DV itself, weighs 0): the
	 * hot path of every generation and check. */
	static const unsigned char w[BOLETO_BARCODE_LEN] = {
	    4, 3, 2, 9, 0, 8, 7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2, 9, 8,
	    7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2,
	};
	unsigned sum = 0, wsum = 0;
	/* fully unrolled, the weights become immediates; the '0' offsets
	 * are taken off once at the end */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 44
#elif defined(__clang__)
#pragma unroll
#endif
	for (int i = 0; i < BOLETO_BARCODE_LEN; i++) {
		sum += (unsigned)(unsigned char)barcode[i] * w[i];
		wsum += w[i];
	}
	sum -= '0' * wsum;
	int d = 11 - (int)(sum % 11);
	return d == 0 || d == 10 || d == 11 ? 1 : d;
}

int boleto_mod11_arrecadacao(const char *digits, size_t n)
{
	unsigned r = boleto_mod11_sum(digits, n, 2, 9) % 11;
	if (r == 0 || r == 1)
		return 0;
	if (r == 10)
		return 1;
	return (int)(11 - r);
}

/* ---- fator de vencimento ---- */

int boleto_factor_from_date(cdate due)
{
	if (due == CDATE_NONE || due < BOLETO_FACTOR_FIRST)
		return -1;
	return (int)(((int64_t)due - BOLETO_FACTOR_BASE - 1000) % BOLETO_FACTOR_CYCLE) + 1000;
}

enum boleto_due_status boleto_factor_to_date(int factor, cdate reference, cdate *due, cdate *nearest)
{
	if (due)
		*due = CDATE_NONE;
	if (nearest)
		*nearest = CDATE_NONE;
	if (factor == 0)
		return BOLETO_DUE_NONE;
	if (factor < 1000 || factor > 9999)
		return BOLETO_DUE_BELOW_1000;
	int64_t first = (int64_t)BOLETO_FACTOR_BASE + factor; /* its date in the first cycle */
	int64_t lo = (int64_t)reference - BOLETO_WINDOW_PAST;
	int64_t hi = (int64_t)reference + BOLETO_WINDOW_FUTURE;
	int64_t k = 0;
	if (lo > first)
		k = (lo - first + BOLETO_FACTOR_CYCLE - 1) / BOLETO_FACTOR_CYCLE;
	int64_t cand = first + k * BOLETO_FACTOR_CYCLE; /* the first one >= lo (or the first cycle) */
	if (cand >= lo && cand <= hi && cand <= INT32_MAX) {
		if (due)
			*due = (cdate)cand;
		return BOLETO_DUE_DATE;
	}
	if (nearest) {
		int64_t best = cand;
		if (k > 0) {
			int64_t below = cand - BOLETO_FACTOR_CYCLE;
			if (reference - below < cand - reference)
				best = below;
		}
		if (best >= INT32_MIN + 1 && best <= INT32_MAX)
			*nearest = (cdate)best;
	}
	return BOLETO_DUE_OUT_OF_WINDOW;
}

int boleto_due_in_window(cdate due, cdate reference)
{
	if (due == CDATE_NONE || reference == CDATE_NONE)
		return 0;
	int64_t delta = (int64_t)due - reference;
	return delta >= -BOLETO_WINDOW_PAST && delta <= BOLETO_WINDOW_FUTURE;
}

/* ---- building ---- */

/* Writes v as exactly n decimal digits (v < 10^n, n <= 5). */
static void put_digits(char *out, size_t n, uint32_t v)
{
	for (size_t i = n; i-- > 0;) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Stops at the first other byte, so a short string's NUL ends the scan. */
static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned)((unsigned char)s[i] - '0') > 9)
			return 0;
	return 1;
}

int boleto_barcode_build(int bank, cdate due, int64_t cents, const char *campo_livre, char *barcode,
                         struct diag *d)
{
	int factor = 0;
	if (bank < 1 || bank > 999)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank", "bank code %d is not 001..999", bank);
	if (due != CDATE_NONE) {
		factor = boleto_factor_from_date(due);
		if (factor < 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "due",
			                "a due date before 2000-07-03 has no fator de vencimento");
	}
	if (cents < 0 || cents > BOLETO_MAX_CENTS)
		return diag_set(
		    d, DIAG_ERROR, NULL, 0, 0, "amount",
		    "the barcode holds 0.00 to 99999999.99; the amount would overwrite the factor");
	if (campo_livre == NULL || !all_digits(campo_livre, BOLETO_CAMPO_LIVRE_LEN))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "campo_livre",
		                "the campo livre must be 25 digits");
	put_digits(barcode, 3, (uint32_t)bank);
	barcode[3] = '9';
	put_digits(barcode + 5, 4, (uint32_t)factor);
	/* the value as two 5-digit halves: 32-bit divisions are cheaper */
	put_digits(barcode + 9, 5, (uint32_t)(cents / 100000));
	put_digits(barcode + 14, 5, (uint32_t)(cents % 100000));
	memcpy(barcode + 19, campo_livre, BOLETO_CAMPO_LIVRE_LEN);
	barcode[BOLETO_BARCODE_LEN] = '\0';
	barcode[4] = (char)('0' + boleto_barcode_dv(barcode));
	return 0;
}

void boleto_barcode_to_linha(const char *barcode, char *linha)
{
	memcpy(linha, barcode, 4);          /* bank, currency */
	memcpy(linha + 4, barcode + 19, 5); /* campo livre 1-5 */
	linha[9] = (char)('0' + boleto_mod10(linha, 9));
	memcpy(linha + 10, barcode + 24, 10); /* campo livre 6-15 */
	linha[20] = (char)('0' + boleto_mod10(linha + 10, 10));
	memcpy(linha + 21, barcode + 34, 10); /* campo livre 16-25 */
	linha[31] = (char)('0' + boleto_mod10(linha + 21, 10));
	linha[32] = barcode[4];              /* general DV */
	memcpy(linha + 33, barcode + 5, 14); /* factor, value */
	linha[BOLETO_LINHA_LEN] = '\0';
}

void boleto_linha_to_barcode(const char *linha, char *barcode)
{
	memcpy(barcode, linha, 4);
	barcode[4] = linha[32];
	memcpy(barcode + 5, linha + 33, 14);
	memcpy(barcode + 19, linha + 4, 5);
	memcpy(barcode + 24, linha + 10, 10);
	memcpy(barcode + 34, linha + 21, 10);
	barcode[BOLETO_BARCODE_LEN] = '\0';
}

/* Arrecadação: value identifier 6/7 -> mod 10, 8/9 -> mod 11; -1 else. */
static int arrec_dv(int value_id, const char *digits, size_t n)
{
	if (value_id == 6 || value_id == 7)
		return boleto_mod10(digits, n);
	if (value_id == 8 || value_id == 9)
		return boleto_mod11_arrecadacao(digits, n);
	return -1;
}

int boleto_arrec_barcode_to_linha(const char *barcode, char *linha)
{
	int vid = barcode[2] - '0';
	if (arrec_dv(vid, barcode, 1) < 0)
		return -1;
	for (int b = 0; b < 4; b++) {
		memcpy(linha + 12 * b, barcode + 11 * b, 11);
		linha[12 * b + 11] = (char)('0' + arrec_dv(vid, barcode + 11 * b, 11));
	}
	linha[BOLETO_ARREC_LINHA_LEN] = '\0';
	return 0;
}

void boleto_arrec_linha_to_barcode(const char *linha, char *barcode)
{
	for (int b = 0; b < 4; b++)
		memcpy(barcode + 11 * b, linha + 12 * b, 11);
	barcode[BOLETO_BARCODE_LEN] = '\0';
}

size_t boleto_linha_format(const char *linha, size_t n, char *out)
{
	char *o = out;
	if (n == BOLETO_LINHA_LEN) {
		/* AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE
		 * (fixed-size copies: the compiler turns them into moves) */
		memcpy(o, linha, 5);
		o[5] = '.';
		memcpy(o + 6, linha + 5, 5);
		o[11] = ' ';
		memcpy(o + 12, linha + 10, 5);
		o[17] = '.';
		memcpy(o + 18, linha + 15, 6);
		o[24] = ' ';
		memcpy(o + 25, linha + 21, 5);
		o[30] = '.';
		memcpy(o + 31, linha + 26, 6);
		o[37] = ' ';
		o[38] = linha[32];
		o[39] = ' ';
		memcpy(o + 40, linha + 33, 14);
		o += 54;
	} else if (n == BOLETO_ARREC_LINHA_LEN) {
		for (int b = 0; b < 4; b++) {
			memcpy(o, linha + 12 * b, 11);
			o += 11;
			*o++ = '-';
			*o++ = linha[12 * b + 11];
			if (b < 3)
				*o++ = ' ';
		}
	} else {
		out[0] = '\0';
		return 0;
	}
	*o = '\0';
	return (size_t)(o - out);
}

/* ---- checking ---- */

static void add_problem(struct boleto_info *info, enum boleto_problem_code code, int where, int expected,
                        int found)
{
	if (info->nproblems >= BOLETO_MAX_PROBLEMS)
		return;
	struct boleto_problem *p = &info->problems[info->nproblems++];
	p->code = code;
	p->where = where;
	p->expected = expected;
	p->found = found;
}

const char *boleto_problem_text(const struct boleto_problem *p, char *buf, size_t n)
{
	switch (p->code) {
	case BOLETO_P_EMPTY:
		snprintf(buf, n, "no digits");
		break;
	case BOLETO_P_NOT_DIGIT:
		if (p->found >= 0x21 && p->found < 0x7f)
			snprintf(buf, n,
			         "character '%c' at position %d is not a digit (only spaces, dots and "
			         "hyphens may separate digits)",
			         p->found, p->where);
		else
			snprintf(buf, n,
			         "byte 0x%02x at position %d is not a digit (only spaces, dots and hyphens "
			         "may separate digits)",
			         (unsigned)p->found & 0xffu, p->where);
		break;
	case BOLETO_P_LENGTH:
		snprintf(buf, n,
		         "length %d: a barcode has 44 digits, a linha digitável 47, an arrecadação line 48",
		         p->found);
		break;
	case BOLETO_P_ARREC_LENGTH:
		snprintf(
		    buf, n,
		    "length %d: an arrecadação code (first digit 8) has 44 digits as barcode or 48 as line",
		    p->found);
		break;
	case BOLETO_P_LINE48_NOT_8:
		snprintf(buf, n,
		         "length 48 is an arrecadação line, which starts with 8; this one starts with %d",
		         p->found);
		break;
	case BOLETO_P_FIELD_DV:
		snprintf(buf, n, "field %d DV: expected %d, found %d", p->where, p->expected, p->found);
		break;
	case BOLETO_P_GENERAL_DV:
		snprintf(buf, n, "general DV (barcode position 5): expected %d, found %d%s", p->expected,
		         p->found, p->found == 0 ? " (0 is never valid)" : "");
		break;
	case BOLETO_P_CURRENCY:
		snprintf(buf, n, "currency (barcode position 4): expected 9 (real), found %d", p->found);
		break;
	case BOLETO_P_VALUE_ID:
		snprintf(buf, n,
		         "value identifier (position 3): expected 6, 7, 8 or 9, found %d; the DVs cannot be "
		         "checked",
		         p->found);
		break;
	case BOLETO_P_ARREC_DV:
		snprintf(buf, n, "general DV (barcode position 4): expected %d, found %d", p->expected,
		         p->found);
		break;
	case BOLETO_P_BLOCK_DV:
		snprintf(buf, n, "block %d DV: expected %d, found %d", p->where, p->expected, p->found);
		break;
	default:
		snprintf(buf, n, "unknown problem");
		break;
	}
	return buf;
}

const char *boleto_arrec_segment_name(int segment)
{
	switch (segment) {
	case 1:
		return "prefeituras";
	case 2:
		return "saneamento";
	case 3:
		return "energia elétrica e gás";
	case 4:
		return "telecomunicações";
	case 5:
		return "órgãos governamentais";
	case 6:
		return "carnês e demais empresas (identificadas pelo CNPJ)";
	case 7:
		return "multas de trânsito";
	case 9:
		return "uso exclusivo do banco";
	default:
		return NULL;
	}
}

static uint64_t read_digits(const char *s, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

static void check_bancario(struct boleto_info *info, const char *dig, size_t n, cdate reference)
{
	if (n == BOLETO_LINHA_LEN) {
		static const unsigned char start[3] = {0, 10, 21}, len[3] = {9, 10, 10};
		for (int f = 0; f < 3; f++) {
			int want = boleto_mod10(dig + start[f], len[f]);
			int have = dig[start[f] + len[f]] - '0';
			if (want != have)
				add_problem(info, BOLETO_P_FIELD_DV, f + 1, want, have);
		}
		memcpy(info->linha, dig, BOLETO_LINHA_LEN);
		info->linha[BOLETO_LINHA_LEN] = '\0';
		boleto_linha_to_barcode(dig, info->barcode);
	} else {
		memcpy(info->barcode, dig, BOLETO_BARCODE_LEN);
		info->barcode[BOLETO_BARCODE_LEN] = '\0';
		boleto_barcode_to_linha(dig, info->linha);
	}
	const char *b = info->barcode;
	if (b[3] != '9')
		add_problem(info, BOLETO_P_CURRENCY, 4, 9, b[3] - '0');
	int want = boleto_barcode_dv(b);
	if (b[4] - '0' != want)
		add_problem(info, BOLETO_P_GENERAL_DV, 5, want, b[4] - '0');

	info->bank = (int)read_digits(b, 3);
	info->currency = b[3] - '0';
	info->factor = (int)read_digits(b + 5, 4);
	info->amount_cents = (int64_t)read_digits(b + 9, 10);
	memcpy(info->campo_livre, b + 19, BOLETO_CAMPO_LIVRE_LEN);
	info->campo_livre[BOLETO_CAMPO_LIVRE_LEN] = '\0';
	info->due_status = boleto_factor_to_date(info->factor, reference, &info->due, &info->due_nearest);
}

static void check_arrecadacao(struct boleto_info *info, const char *dig, size_t n)
{
	int vid = dig[2] - '0';
	info->value_id = vid;
	info->segment = dig[1] - '0';
	if (arrec_dv(vid, dig, 1) < 0) {
		/* Without the value identifier the modulus is unknown: say so
		 * rather than guess which DVs are wrong. */
		add_problem(info, BOLETO_P_VALUE_ID, 3, 6, vid);
		if (n == BOLETO_ARREC_LINHA_LEN) {
			memcpy(info->linha, dig, n);
			info->linha[n] = '\0';
			boleto_arrec_linha_to_barcode(dig, info->barcode);
		} else {
			memcpy(info->barcode, dig, n);
			info->barcode[n] = '\0';
		}
		return;
	}
	if (n == BOLETO_ARREC_LINHA_LEN) {
		for (int blk = 0; blk < 4; blk++) {
			int want = arrec_dv(vid, dig + 12 * blk, 11);
			int have = dig[12 * blk + 11] - '0';
			if (want != have)
				add_problem(info, BOLETO_P_BLOCK_DV, blk + 1, want, have);
		}
		memcpy(info->linha, dig, n);
		info->linha[n] = '\0';
		boleto_arrec_linha_to_barcode(dig, info->barcode);
	} else {
		memcpy(info->barcode, dig, n);
		info->barcode[n] = '\0';
		boleto_arrec_barcode_to_linha(dig, info->linha);
	}
	const char *b = info->barcode;
	char tmp[BOLETO_BARCODE_LEN - 1];
	memcpy(tmp, b, 3);
	memcpy(tmp + 3, b + 4, BOLETO_BARCODE_LEN - 4);
	int want = arrec_dv(vid, tmp, sizeof tmp);
	if (b[3] - '0' != want)
		add_problem(info, BOLETO_P_ARREC_DV, 4, want, b[3] - '0');

	info->arrec_value = (int64_t)read_digits(b + 4, 11);
	size_t clen = info->segment == 6 ? 8 : 4; /* segment 6: CNPJ root */
	memcpy(info->company, b + 15, clen);
	info->company[clen] = '\0';
	size_t flen = BOLETO_BARCODE_LEN - 15 - clen;
	memcpy(info->free_field, b + 15 + clen, flen);
	info->free_field[flen] = '\0';
	int y = (int)read_digits(info->free_field, 4), m = (int)read_digits(info->free_field + 4, 2),
	    dd = (int)read_digits(info->free_field + 6, 2);
	info->free_date = y >= 2000 && y <= 2099 ? date_from_ymd(y, m, dd) : CDATE_NONE;
}

int boleto_check(const char *s, size_t len, cdate reference, struct boleto_info *info, struct diag *d)
{
	char dig[BOLETO_ARREC_LINHA_LEN];
	size_t n = 0;

	memset(info, 0, sizeof *info);
	info->due = info->due_nearest = info->free_date = CDATE_NONE;
	/* 1 = digit, 2 = separator a person may type, 0 = anything else */
	static const unsigned char cls[256] = {
	    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,  ['6'] = 1,  ['7'] = 1,
	    ['8'] = 1, ['9'] = 1, [' '] = 2, ['.'] = 2, ['-'] = 2, ['\t'] = 2, ['\r'] = 2, ['\n'] = 2,
	};
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char k = cls[c];
		if (k == 1) {
			if (n < sizeof dig)
				dig[n] = (char)c;
			n++;
		} else if (k == 0) {
			add_problem(info, BOLETO_P_NOT_DIGIT, (int)(i < 1000000 ? i + 1 : 1000000), 0, c);
			break;
		}
	}
	info->ndigits = n;
	if (info->nproblems == 0) {
		int found = n > 1000000 ? 1000000 : (int)n;
		if (n == 0) {
			add_problem(info, BOLETO_P_EMPTY, 0, 0, 0);
		} else if (dig[0] == '8') {
			info->kind = BOLETO_ARRECADACAO;
			if (n == BOLETO_BARCODE_LEN || n == BOLETO_ARREC_LINHA_LEN) {
				info->form =
				    n == BOLETO_BARCODE_LEN ? BOLETO_FORM_BARCODE : BOLETO_FORM_LINHA;
				check_arrecadacao(info, dig, n);
			} else {
				add_problem(info, BOLETO_P_ARREC_LENGTH, 0, 0, found);
			}
		} else {
			info->kind = BOLETO_BANCARIO;
			if (n == BOLETO_BARCODE_LEN || n == BOLETO_LINHA_LEN) {
				info->form =
				    n == BOLETO_BARCODE_LEN ? BOLETO_FORM_BARCODE : BOLETO_FORM_LINHA;
				check_bancario(info, dig, n, reference);
			} else if (n == BOLETO_ARREC_LINHA_LEN) {
				add_problem(info, BOLETO_P_LINE48_NOT_8, 1, 8, dig[0] - '0');
			} else {
				add_problem(info, BOLETO_P_LENGTH, 0, 0, found);
			}
		}
	}
	if (info->nproblems == 0) {
		if (d)
			d->msg[0] = '\0';
		return 0;
	}
	if (d) {
		char msg[sizeof d->msg], one[200];
		size_t used = 0;
		msg[0] = '\0';
		for (int i = 0; i < info->nproblems; i++) {
			boleto_problem_text(&info->problems[i], one, sizeof one);
			int w = snprintf(msg + used, sizeof msg - used, "%s%s", i ? "; " : "", one);
			if (w < 0 || (size_t)w >= sizeof msg - used)
				break;
			used += (size_t)w;
		}
		const char *field = info->form == BOLETO_FORM_LINHA     ? "linha"
		                    : info->form == BOLETO_FORM_BARCODE ? "barcode"
		                                                        : "input";
		int col = info->problems[0].code == BOLETO_P_NOT_DIGIT ? info->problems[0].where : 0;
		diag_set(d, DIAG_ERROR, NULL, 0, col, field, "%s", msg);
	}
	return -1;
}
