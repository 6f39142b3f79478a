/* ISPB: the 8-digit identifier of a Brazilian payment institution in the
 * SPB (STR, SPI/Pix). Statements name banks by ISPB where CNAB files use the
 * 3-digit COMPE code. */
#ifndef CONCILIA_ISPB_H
#define CONCILIA_ISPB_H

#include <stddef.h>

/* The COMPE code of the institution whose ISPB is s[0..len) (8 digits), or
 * s itself when it is a 3-digit COMPE code; 0 when unknown. Only the
 * largest banks and cooperatives are listed: an unknown ISPB is normal. */
int ispb_bank_code(const char *s, size_t len);

#endif
