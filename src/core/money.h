/* Money as int64_t centavos. Never floating point: every amount is parsed
 * from text digit by digit and printed back from the integer. */
#ifndef CONCILIA_MONEY_H
#define CONCILIA_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Largest amount we accept anywhere: R$ 10^15 (far beyond any CNAB field,
 * far below INT64_MAX so that sums of a million items cannot overflow). */
#define MONEY_MAX_CENTS INT64_C(100000000000000000)

/* Parses an amount written by a person or an ERP: "1234.56", "1234,56",
 * "1.234,56", "1,234.56", "1234", "1234,5", "-12.00", "R$ 1.234,56"
 * (leading "R$" and surrounding blanks allowed). When both '.' and ','
 * appear, the last one is the decimal separator and the other must group
 * thousands by three. A lone '.' or ',' followed by exactly three digits
 * ("1.234") is ambiguous and refused rather than guessed. At most two
 * decimals. Returns 0 and sets *cents, or -1 and points *why at a static
 * English explanation. */
int money_parse_decimal(const char *s, size_t len, int64_t *cents, const char **why);

/* Parses a CNAB amount field: only digits, value in centavos (9(13)V99).
 * Returns 0, or -1 when a character is not a digit (*bad_index set to its
 * 0-based offset) or the value overflows. */
int money_parse_digits(const char *s, size_t len, int64_t *cents, size_t *bad_index);

/* "1234.56", "-0.05": machine form (JSON, CSV). Returns bytes written
 * (excluding NUL); buf of 32 bytes is always enough. */
size_t money_format(int64_t cents, char *buf, size_t n);

/* "R$ 1.234,56", "-R$ 0,05": what a Brazilian reader expects. */
size_t money_format_brl(int64_t cents, char *buf, size_t n);

/* "1234,56": decimal comma without grouping (spreadsheets in pt-BR). */
size_t money_format_comma(int64_t cents, char *buf, size_t n);

/* Parses a percentage such as "2", "2.5", "0,033", "1.0000" into
 * ten-thousandths of a percent (2% -> 20000). At most 4 decimals, not
 * negative, at most 100%. Returns 0 or -1 with *why. */
int percent_parse(const char *s, size_t len, int64_t *e4, const char **why);

/* round(a * b / d) half away from zero, exactly (128-bit intermediate).
 * d > 0. Used for every rate applied to money. */
int64_t money_muldiv_round(int64_t a, int64_t b, int64_t d);

#endif
