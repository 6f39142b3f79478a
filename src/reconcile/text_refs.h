/* References a payer wrote in free text ("pagamento NF-2026/0042 ref A-17"):
 * candidate ERP ids for rule R2. Pure. */
#ifndef CONCILIA_TEXT_REFS_H
#define CONCILIA_TEXT_REFS_H

#include <stddef.h>

#define TEXT_REF_MAX 65 /* as receivable ids: up to 64 characters */

/* Splits text into tokens of letters, digits and the joiners - _ / . that
 * ERP ids use (joiners at either end are dropped), keeps those holding at
 * least one digit and two or more characters, without repeats, in order.
 * Returns how many were written to out (at most max). */
size_t text_refs_extract(const char *text, char out[][TEXT_REF_MAX], size_t max);

#endif
