/* Boleto de cobrança, the bank-independent part: the 44-digit barcode, the
 * 47-digit linha digitável, the fator de vencimento (with the 2025-02-22
 * reset), the check digits FEBRABAN defines, and arrecadação codes
 * (first digit 8: 44-digit barcode, 48-digit line). Pure: no clock (the
 * reference date is an argument), no allocation, no printing.
 * Rules: reference/boleto.md §1-§3. Bank campo livre: codec/boleto_bank.h. */
#ifndef CONCILIA_BOLETO_H
#define CONCILIA_BOLETO_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/diag.h"

#define BOLETO_BARCODE_LEN     44
#define BOLETO_LINHA_LEN       47
#define BOLETO_ARREC_LINHA_LEN 48
#define BOLETO_CAMPO_LIVRE_LEN 25
/* "AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE" is 54 bytes,
 * "AAAAAAAAAAA-A BBBBBBBBBBB-B CCCCCCCCCCC-C DDDDDDDDDDD-D" 55: with NUL. */
#define BOLETO_LINHA_FMT_SIZE 56

/* The value field has 10 digits; a larger value would overwrite the factor. */
#define BOLETO_MAX_CENTS INT64_C(9999999999)

/* Fator de vencimento: days since 1997-10-07, 1000..9999, and from
 * 2025-02-22 on again 1000 + days, in cycles of 9000 days. */
#define BOLETO_FACTOR_BASE  10141 /* 1997-10-07 as a cdate */
#define BOLETO_FACTOR_FIRST 11141 /* 2000-07-03: factor 1000, first encodable due date */
#define BOLETO_FACTOR_CYCLE 9000
/* Decoding window around the reference date R: a factor names the date of
 * its cycle that lies in [R - PAST, R + FUTURE]. FEBRABAN's range is 3000
 * back and 5500 ahead, but its own example table accepts R - 3001; both
 * edges are accepted. The ~500 days left of the cycle are the safety gap
 * whose slips banks must refuse. */
#define BOLETO_WINDOW_PAST   3001
#define BOLETO_WINDOW_FUTURE 5500

/* ---- check digits (digits are '0'..'9'; callers guarantee it) ---- */

/* FEBRABAN mod 10 of the linha fields: weights 2,1,2,1... from the right,
 * digits of each product summed, DV = (10 - sum mod 10) mod 10. */
int boleto_mod10(const char *digits, size_t n);

/* Sum of digit x weight, weights wmin..wmax cycling from the right (the
 * building block of every mod 11 variant). */
unsigned boleto_mod11_sum(const char *digits, size_t n, int wmin, int wmax);

/* DV geral of the bank barcode: mod 11 weights 2..9 over the 43 digits
 * (positions 1-4 and 6-44), d = 11 - r, and 0, 10, 11 become 1. */
int boleto_mod11_barcode(const char *digits, size_t n);
/* Same, computed over a 44-digit barcode (position 5 skipped). */
int boleto_barcode_dv(const char *barcode);

/* Arrecadação mod 11: weights 2..9, remainder 0 or 1 -> 0, 10 -> 1,
 * else 11 - r. */
int boleto_mod11_arrecadacao(const char *digits, size_t n);

/* ---- fator de vencimento ---- */

/* The factor of a due date (1000..9999), or -1 before 2000-07-03. */
int boleto_factor_from_date(cdate due);

enum boleto_due_status {
	BOLETO_DUE_DATE = 0,          /* *due is the date the factor names */
	BOLETO_DUE_NONE = 1,          /* factor 0000: no due date in the code */
	BOLETO_DUE_BELOW_1000 = 2,    /* 0001..0999: no usable date */
	BOLETO_DUE_OUT_OF_WINDOW = 3, /* the factor's dates all fall in the safety gap */
};

/* Reads a factor back into a date relative to reference (today when
 * issuing; the payment or file date when reading a return). *due gets the
 * date for BOLETO_DUE_DATE, else CDATE_NONE. When out of the window and
 * nearest != NULL, *nearest gets the candidate closest to reference (for
 * the message only: never use it as the due date). */
enum boleto_due_status boleto_factor_to_date(int factor, cdate reference, cdate *due, cdate *nearest);

/* 1 when a slip due on due can be read back correctly on reference, i.e.
 * due lies inside the window; 0 otherwise. */
int boleto_due_in_window(cdate due, cdate reference);

/* ---- building ---- */

/* Barcode from its parts: bank (1..999), due (CDATE_NONE = factor 0000),
 * cents (0..BOLETO_MAX_CENTS; 0 = value not fixed), the campo livre (its
 * first 25 bytes, which must be digits). barcode receives 44 digits and a
 * NUL. Returns 0, or -1 with d. */
int boleto_barcode_build(int bank, cdate due, int64_t cents, const char *campo_livre, char *barcode,
                         struct diag *d);

/* 44-digit barcode -> 47-digit linha (+ NUL), computing the field DVs. */
void boleto_barcode_to_linha(const char *barcode, char *linha);
/* 47-digit linha -> 44-digit barcode (+ NUL); no check. */
void boleto_linha_to_barcode(const char *linha, char *barcode);
/* 44-digit arrecadação barcode -> 48-digit line (+ NUL), block DVs by the
 * barcode's value identifier (position 3); -1 when that is not 6..9. */
int boleto_arrec_barcode_to_linha(const char *barcode, char *linha);
/* 48-digit arrecadação line -> 44-digit barcode (+ NUL); no check. */
void boleto_arrec_linha_to_barcode(const char *linha, char *barcode);

/* The printed form of a 47-digit linha ("34191.10121 34567.880058
 * 71234.570001 6 16670000012345") or of a 48-digit arrecadação line
 * ("84610000000-5 24610029110-2 00546033900-4 69589506108-0"). n is 47 or
 * 48; out needs BOLETO_LINHA_FMT_SIZE bytes. Returns the length, 0 when n
 * is neither. */
size_t boleto_linha_format(const char *linha, size_t n, char *out);

/* ---- checking what a person typed or a file carries ---- */

enum boleto_kind { BOLETO_BANCARIO = 1, BOLETO_ARRECADACAO = 2 };
enum boleto_form { BOLETO_FORM_BARCODE = 1, BOLETO_FORM_LINHA = 2 };

enum boleto_problem_code {
	BOLETO_P_EMPTY = 1,    /* no digits at all */
	BOLETO_P_NOT_DIGIT,    /* found = the byte, where = its 1-based offset in the input */
	BOLETO_P_LENGTH,       /* found = number of digits */
	BOLETO_P_ARREC_LENGTH, /* first digit 8 but not 44/48 digits; found = count */
	BOLETO_P_LINE48_NOT_8, /* 48 digits but first digit (found) is not 8 */
	BOLETO_P_FIELD_DV,     /* linha field `where` (1..3): expected, found */
	BOLETO_P_GENERAL_DV,   /* barcode position 5: expected, found (0 is never valid) */
	BOLETO_P_CURRENCY,     /* barcode position 4 is `found`, not 9 */
	BOLETO_P_VALUE_ID,     /* arrecadação position 3 is `found`, not 6..9 */
	BOLETO_P_ARREC_DV,     /* arrecadação general DV (position 4): expected, found */
	BOLETO_P_BLOCK_DV,     /* arrecadação line block `where` (1..4): expected, found */
};

struct boleto_problem {
	enum boleto_problem_code code;
	int where;
	int expected;
	int found;
};

#define BOLETO_MAX_PROBLEMS 8

struct boleto_info {
	enum boleto_kind kind;
	enum boleto_form form;
	size_t ndigits;                         /* digits found in the input */
	char barcode[BOLETO_BARCODE_LEN + 1];   /* "" when it could not be built */
	char linha[BOLETO_ARREC_LINHA_LEN + 1]; /* 47 or 48 digits; "" when not built */
	int nproblems;                          /* 0 = valid */
	struct boleto_problem problems[BOLETO_MAX_PROBLEMS];

	/* bancário (kind == BOLETO_BANCARIO and the code is valid) */
	int bank; /* COMPE code */
	int currency;
	int factor;
	enum boleto_due_status due_status;
	cdate due;            /* CDATE_NONE unless due_status == BOLETO_DUE_DATE */
	cdate due_nearest;    /* for BOLETO_DUE_OUT_OF_WINDOW: the closest candidate */
	int64_t amount_cents; /* 0 = value not fixed */
	char campo_livre[BOLETO_CAMPO_LIVRE_LEN + 1];

	/* arrecadação (kind == BOLETO_ARRECADACAO and the code is valid) */
	int segment;         /* position 2 */
	int value_id;        /* position 3: 6/8 effective value, 7/9 reference quantity */
	int64_t arrec_value; /* positions 5-15: centavos for 6/8, a quantity for 7/9 */
	char company[9];     /* positions 16-19, or 16-23 (CNPJ root) for segment 6 */
	char free_field[26]; /* the rest */
	cdate free_date;     /* first 8 free digits as AAAAMMDD when they form a
	                        date in 2000..2099 (issuer-defined), else CDATE_NONE */
};

/* Checks a barcode or line as typed or read: only spaces (and tabs, line
 * breaks), dots and hyphens are dropped; 44 digits = barcode, 47 = linha,
 * 48 = arrecadação line, first digit 8 = arrecadação. Every DV, the
 * currency and position 5 are checked and every problem is listed (never
 * repaired). Both forms are filled in when the digits allow it; the due
 * date is read with reference (see boleto_factor_to_date).
 * Returns 0 when valid; -1 when not, with info->problems and d (field
 * "barcode", "linha" or "input"; the message lists every problem). */
int boleto_check(const char *s, size_t len, cdate reference, struct boleto_info *info, struct diag *d);

/* One problem in words ("field 2 DV: expected 8, found 3"); returns buf. */
const char *boleto_problem_text(const struct boleto_problem *p, char *buf, size_t n);

/* Arrecadação segment name ("energia elétrica e gás"), or NULL. */
const char *boleto_arrec_segment_name(int segment);

#endif
