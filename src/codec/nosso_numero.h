/* Nosso número: the bank's reference of a boleto. The same title can be
 * written with or without padding, punctuation or a bank-side prefix; the
 * matcher compares normalized forms and every record keeps the raw one. */
#ifndef CONCILIA_NOSSO_NUMERO_H
#define CONCILIA_NOSSO_NUMERO_H

#include <stddef.h>

#define NOSSO_NUMERO_MAX 20

/* Keeps letters and digits only (drops blanks, '-', '/', '.'), uppercases,
 * drops leading zeros ("0" stays "0"). out >= NOSSO_NUMERO_MAX + 1 bytes.
 * Returns the length, or -1 when nothing is left or the result is longer
 * than NOSSO_NUMERO_MAX. */
int nosso_numero_normalize(const char *s, size_t len, char *out);

#endif
