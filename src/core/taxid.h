/* CPF and CNPJ: the Brazilian taxpayer numbers of people and companies.
 * Check digits are verified; punctuation is accepted and removed. CNPJ may
 * be alphanumeric (Receita Federal, from July 2026): the 12 base
 * characters are digits or A-Z, the check digits are always digits. */
#ifndef CONCILIA_TAXID_H
#define CONCILIA_TAXID_H

#include <stddef.h>

enum taxid_kind { TAXID_NONE = 0, TAXID_CPF = 11, TAXID_CNPJ = 14 };

/* Normalizes "123.456.789-09" / "12.ABC.345/01DE-35" to bare characters
 * (uppercase) in out (>= 15 bytes) and validates. Returns the kind, or
 * TAXID_NONE with *why set to a static English explanation. */
enum taxid_kind taxid_normalize(const char *s, size_t len, char *out, const char **why);

/* "***.456.789-**" style mask for printing on documents (LGPD): keeps the
 * middle of a CPF, the whole of a CNPJ. out >= 20 bytes. */
void taxid_mask(const char *normalized, char *out, size_t n);

/* Pretty form "123.456.789-09" / "12.345.678/0001-95". out >= 20 bytes. */
void taxid_format(const char *normalized, char *out, size_t n);

#endif
