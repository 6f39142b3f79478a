/* Is the payer the debtor? Compares the payer's document reported by the
 * bank (full, or masked as Pix receipts and OFX memos show it) with the
 * debtor's CPF/CNPJ. Pure. */
#ifndef CONCILIA_PAYER_H
#define CONCILIA_PAYER_H

#include <stdbool.h>

enum payer_match {
	PAYER_UNKNOWN = 0, /* the bank did not say who paid */
	PAYER_SAME,        /* the full document is the debtor's */
	PAYER_PARTIAL,     /* masked ("***123456**"): every visible digit agrees */
	PAYER_DIFFERENT,   /* someone else paid */
};

/* payer: digits/letters, '*' for hidden positions when partial. */
enum payer_match payer_compare(const char *payer, bool partial, const char *debtor);

#endif
